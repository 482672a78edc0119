import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { pollForeverMachine } from '../explore/helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * The bounds a user gives on the runs verify judges (issue 78: "a bound on loop turns and Map
 * items ... the result says which bound was hit"): `loopTurns` for a loop the definition leaves
 * unbounded, `mapItems` for a Map whose items the run's data gives. A HOLDS only such a bound earns
 * names it in its reason and in the report's boundsHit; without the bound the same property is
 * UNKNOWN (or VIOLATED by a run past it).
 */

stopExploreClock();

/** Poll until the job is DONE: nothing in the definition bounds the turns, so a run can reach the history limit. */
const POLL = pollForeverMachine();

/** An INLINE Map over the input's items: nothing in the definition bounds how many. */
const EACH = {
  StartAt: 'Each',
  States: {
    Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } }, ResultPath: null, Next: 'After' },
    After: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('verify within the bound given on a loop\'s turns (loopTurns)', () => {
  const props = { pollDecides: Property.leadsTo('Done?', ['Done', 'Poll']) };

  it('leaves a leadsTo UNKNOWN where a loop no bound limits can cut the run at the history limit', async () => {
    const report = await Workflow.fromDefinition(POLL).verify(props, { budgetSeconds: 20 });
    expect(report.properties.pollDecides.verdict).toBe('UNKNOWN');
    expect(report.boundsHit).toBeUndefined();
  });

  it('proves it HOLDS for the runs within the bound, naming the bound in the reason and in boundsHit', async () => {
    const report = await Workflow.fromDefinition(POLL).verify(props, { budgetSeconds: 20, loopTurns: 10 });
    expect(report.properties.pollDecides.verdict).toBe('HOLDS');
    expect(report.properties.pollDecides.reason).toContain('loopTurns, --max-loop-turns: 10 per run of its branch or iteration');
    expect(report.properties.pollDecides.reason).toContain('a run past it may break it');
    expect(report.boundsHit).toEqual(['loopTurns']);
    expect(report.complete).toBe(true);
  });

  it('cuts nothing where the bound still lets a run reach the history limit', async () => {
    const report = await Workflow.fromDefinition(POLL).verify(props, { budgetSeconds: 20, loopTurns: 20_000 });
    expect(report.properties.pollDecides.verdict).toBe('UNKNOWN');
    expect(report.boundsHit).toBeUndefined();
  });

  it('refuses a bound that is no positive integer, naming the option and the value', async () => {
    await expect(Workflow.fromDefinition(POLL).verify(props, { loopTurns: 0 })).rejects.toThrow('verify: loopTurns must be a positive integer, got 0');
    await expect(Workflow.fromDefinition(POLL).verify(props, { mapItems: 2.5 })).rejects.toThrow('verify: mapItems must be a positive integer, got 2.5');
  });
});

describe('verify within the bound given on a Map\'s items (mapItems)', () => {
  const props = { innerThrice: Property.atMost('Inner', 3), short: Property.maxTransitions(5) };

  it('finds a run given more items than a count allows where no bound is given', async () => {
    const report = await Workflow.fromDefinition(EACH).verify(props, { budgetSeconds: 20 });
    expect(report.properties.innerThrice.verdict).toBe('VIOLATED');
    expect(report.properties.short.verdict).toBe('VIOLATED');
  });

  it('proves the counts HOLD for runs of at most that many items, naming the bound, and gives no run past it', async () => {
    const report = await Workflow.fromDefinition(EACH).verify(props, { budgetSeconds: 20, mapItems: 3 });
    expect(report.properties.innerThrice).toMatchObject({ verdict: 'HOLDS' });
    expect(report.properties.short).toMatchObject({ verdict: 'HOLDS' });
    expect(report.properties.innerThrice.reason).toContain("Map 'Each' runs at most 3 iterations a run of it (bounded by the bound given on a Map's items (mapItems, --max-map-items: 3 per run of it))");
    expect(report.boundsHit).toEqual(['mapItems']);
  });

  it('keeps a Map whose definition bounds its items to its own bound', async () => {
    const fixed = structuredClone(EACH) as unknown as { States: { Each: Record<string, unknown> } };
    delete fixed.States.Each.ItemsPath;
    fixed.States.Each.Items = [1, 2];
    fixed.States.Each.QueryLanguage = 'JSONata';
    fixed.States.Each.ResultPath = undefined;
    delete fixed.States.Each.ResultPath;
    const report = await Workflow.fromDefinition(fixed as unknown as StateMachineDefinition).verify({ innerTwice: Property.atMost('Inner', 2) }, { budgetSeconds: 20, mapItems: 1 });
    expect(report.properties.innerTwice.verdict).toBe('HOLDS');
    expect(report.properties.innerTwice.reason).toContain('its Items is an array of 2 written in the definition');
    expect(report.boundsHit).toBeUndefined();
  });
});

describe('stepwright verify --max-loop-turns and --max-map-items', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bounds-'));
    fs.writeFileSync(path.join(dir, 'poll.asl.json'), JSON.stringify(POLL));
    fs.writeFileSync(path.join(dir, 'each.asl.json'), JSON.stringify(EACH));
    fs.writeFileSync(path.join(dir, 'poll.properties.js'), "exports.pollDecides = { kind: 'leadsTo', from: 'Done?', to: ['Done', 'Poll'] };\n");
    fs.writeFileSync(path.join(dir, 'each.properties.js'), "exports.innerThrice = { kind: 'atMost', state: 'Inner', times: 3 };\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the loop bound to verify: --json says in the reason what the HOLDS rests on, the text report in its first line', async () => {
    const json = await cli('verify', path.join(dir, 'poll.asl.json'), '--property', path.join(dir, 'poll.properties.js'), '--max-loop-turns', '10', '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.out) as Record<string, { verdict: string; reason: string }>;
    expect(out.pollDecides.verdict).toBe('HOLDS');
    expect(out.pollDecides.reason).toContain('--max-loop-turns: 10');
    const text = await cli('verify', path.join(dir, 'poll.asl.json'), '--property', path.join(dir, 'poll.properties.js'), '--max-loop-turns', '10');
    expect(text.out.split('\n')[0]).toContain('a HOLDS below rests on --max-loop-turns 10');
  });

  it('gives the Map bound to verify, and without it finds the run given more items', async () => {
    const bounded = await cli('verify', path.join(dir, 'each.asl.json'), '--property', path.join(dir, 'each.properties.js'), '--max-map-items', '3', '--json');
    expect((JSON.parse(bounded.out) as Record<string, { verdict: string }>).innerThrice.verdict).toBe('HOLDS');
    const free = await cli('verify', path.join(dir, 'each.asl.json'), '--property', path.join(dir, 'each.properties.js'), '--json');
    expect(free.code).toBe(1);
    expect((JSON.parse(free.out) as Record<string, { verdict: string }>).innerThrice.verdict).toBe('VIOLATED');
  });

  it('refuses a bound that is no positive integer with exit code 2, naming the option and the value', async () => {
    const r = await cli('verify', path.join(dir, 'poll.asl.json'), '--property', path.join(dir, 'poll.properties.js'), '--max-loop-turns', '1.5');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--max-loop-turns must be a positive integer, got '1.5'");
    const m = await cli('verify', path.join(dir, 'each.asl.json'), '--property', path.join(dir, 'each.properties.js'), '--max-map-items', '0');
    expect(m.code).toBe(2);
    expect(m.err).toContain("--max-map-items must be a positive integer, got '0'");
  });
});
