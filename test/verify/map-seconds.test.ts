import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import type { PropertyVerdict } from '../../src/explore/verify';
import { secondsBound } from '../../src/explore/verify-seconds';
import { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';

/*
 * maxSeconds over a Map whose iterations run side by side (MaxConcurrency 0 or more than 1), Waits
 * in them overlapping on the virtual clock. verify once bounded such a Map by its items times its
 * iteration, as if one ran after another, and left a limit between the two UNKNOWN. The bound is
 * now its rounds of items run at once (items over MaxConcurrency, cut at AWS's cap of 40 inline
 * iterations, rounded up) times its iteration: what the interpreter's schedule gives (its workers
 * take the items in order, each as the last ends), checked here against runs of it.
 */

stopExploreClock();

/** A JSONata Map over `items` written in the definition: a "slow" item waits 10 s, any other passes. */
function waits(items: unknown[], fields: Record<string, unknown> = {}, mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE'): StateMachineDefinition {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Items: items,
        ItemProcessor: {
          ProcessorConfig: mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
          StartAt: 'Slow?',
          States: {
            'Slow?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input = "slow" %}', Next: 'Hold' }], Default: 'Quick' },
            'Hold': { Type: 'Wait', Seconds: 10, End: true },
            'Quick': { Type: 'Pass', End: true },
          },
        },
        ...fields,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

const slow = (n: number): string[] => Array.from({ length: n }, () => 'slow');

async function seconds(def: StateMachineDefinition): Promise<number> {
  const run = await Workflow.fromDefinition(def).run({});
  expect(run.status).toBe('SUCCEEDED');
  return (run.stopDate.getTime() - run.startDate.getTime()) / 1000;
}

describe('the seconds bound of a Map whose iterations run side by side', () => {
  it.each([
    ['every item at once (MaxConcurrency 0, 3 items)', waits(slow(3)), 10],
    ['two at a time, 3 items', waits(slow(3), { MaxConcurrency: 2 }), 20],
    ['two at a time, a quick item among slow ones', waits(['slow', 'quick', 'slow', 'slow'], { MaxConcurrency: 2 }), 20],
    ['MaxConcurrency 0 past the inline cap of 40: 41 items', waits(slow(41)), 20],
    ['MaxConcurrency 0 past the inline cap: 100 items', waits(slow(100)), 30],
    ['MaxConcurrency 50 cut at the inline cap: 41 items', waits(slow(41), { MaxConcurrency: 50 }), 20],
    ['a DISTRIBUTED Map, 100 items at once', waits(slow(100), {}, 'DISTRIBUTED'), 10],
    ['one at a time (MaxConcurrency 1)', waits(slow(3), { MaxConcurrency: 1 }), 30],
  ])('is what the longest run of the interpreter lasts: %s', async (_what, def, expected) => {
    expect(secondsBound(def, false)).toMatchObject({ seconds: expected });
    // Every item slow is the longest run: the bound is met, not only not passed.
    expect(await seconds(def)).toBe(expected);
  });

  it('takes one at a time where the definition does not fix MaxConcurrency (MaxConcurrencyPath, a JSONata expression)', () => {
    expect(secondsBound(waits(slow(3), { MaxConcurrency: '{% $states.context.Execution.Input.n %}' }), false)).toMatchObject({ seconds: 30 });
    const jsonPath = { ...waits(slow(3)), QueryLanguage: undefined } as unknown as { States: { Each: Record<string, unknown> } };
    jsonPath.States.Each.MaxConcurrencyPath = '$.n';
    expect(secondsBound(jsonPath as unknown as StateMachineDefinition, false)).toMatchObject({ seconds: 30 });
  });

  it('keeps a Map\'s Retry around all its rounds', () => {
    const def = waits(slow(3), { MaxConcurrency: 2, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 5 }] });
    expect(secondsBound(def, false)).toMatchObject({ seconds: 2 * 20 + 5 });
  });
});

describe('verify of maxSeconds over a Map whose iterations run side by side', () => {
  it.each([
    ['every item at once', waits(slow(3)), 10],
    ['two at a time', waits(slow(3), { MaxConcurrency: 2 }), 20],
  ])('HOLDS at the bound and is VIOLATED under it, reproduced by the harness and stepwright run: %s', async (_what, def, bound) => {
    const wf = Workflow.fromDefinition(def);
    const report = await wf.verify({ atBound: Property.maxSeconds(bound), under: Property.maxSeconds(bound - 1) });
    expect(report.properties.atBound).toMatchObject({ verdict: 'HOLDS', reason: expect.stringContaining(`no run lasts more than ${bound} s`) });
    const again = await reproduced(wf, def, report.properties.under);
    expect(again).toEqual({ harness: bound, cli: bound });
  });
});

/** A VIOLATED maxSeconds' counterexample re-run through the harness and `stepwright run --mocks`: the seconds each lasted. */
async function reproduced(wf: Workflow, def: StateMachineDefinition, verdict: PropertyVerdict): Promise<{ harness: number; cli: number }> {
  expect(verdict.verdict).toBe('VIOLATED');
  const { input, mocks, path: seen } = verdict.counterexample!;
  const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'under') });
  expect(run.path).toEqual(seen);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-map-seconds-'));
  try {
    const machine = path.join(dir, 'map.asl.json');
    const mocksFile = path.join(dir, 'mocks.json');
    fs.writeFileSync(machine, JSON.stringify(def));
    fs.writeFileSync(mocksFile, JSON.stringify(mocks));
    const ran = await cli('run', machine, '--input', JSON.stringify(input), '--mocks', mocksFile, '--json');
    const out = JSON.parse(ran.out) as { path: string[]; startDate: string; stopDate: string };
    expect(out.path).toEqual(seen);
    return {
      harness: (run.stopDate.getTime() - run.startDate.getTime()) / 1000,
      cli: (Date.parse(out.stopDate) - Date.parse(out.startDate)) / 1000,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
