import fc from 'fast-check';
import type { StateMachineDefinition } from '../../src/asl';
import { Property, violationOf, type PathProperty } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { delay, fail, succeed, type MockStep } from '../../src/workbench/mocks';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA } from './verify-setup';

/*
 * verify's soundness, fuzzed: small machines (Pass, Task, Choice, Parallel, Map, Wait, Fail, with
 * Retry and Catch) and path properties over their states are generated; verify judges each; then
 * random runs of the interpreter (random inputs, each Task call answered at random: a result, a
 * failure, a late answer, a timeout) must break no property verify said HOLDS, and every
 * counterexample of a VIOLATED one must run again, through the harness from its mocks, to the
 * path it gives, breaking the property there. Seeded: the same machines each time.
 */

stopExploreClock();

const SEED = 78;
const MACHINES = 14;
const RUNS_PER_MACHINE = 12;

/** A state of a Parallel's branch. */
type Leaf = { readonly kind: 'pass' } | { readonly kind: 'wait'; readonly seconds: number } | { readonly kind: 'task'; readonly timeout: boolean };

/** One step of the generated machine's chain. */
type Step =
  | Leaf
  | { readonly kind: 'guarded'; readonly timeout: boolean; readonly retry?: { readonly error: string; readonly max: number }; readonly caught?: string }
  | { readonly kind: 'choice'; readonly above: number; readonly failElse: boolean }
  | { readonly kind: 'parallel'; readonly branches: readonly (readonly Leaf[])[]; readonly caught: boolean }
  | { readonly kind: 'map'; readonly task: boolean; readonly concurrency: number };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.constant({ kind: 'pass' as const }),
  fc.integer({ min: 1, max: 5 }).map((seconds) => ({ kind: 'wait' as const, seconds })),
  fc.boolean().map((timeout) => ({ kind: 'task' as const, timeout })),
);
const ERRORS = ['States.TaskFailed', 'States.Timeout', 'States.ALL', 'Custom.Error'];
const step: fc.Arbitrary<Step> = fc.oneof(
  leaf,
  fc.record({
    kind: fc.constant('guarded' as const),
    timeout: fc.boolean(),
    retry: fc.option(fc.record({ error: fc.constantFrom(...ERRORS), max: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
    caught: fc.option(fc.constantFrom(...ERRORS), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('choice' as const), above: fc.integer({ min: 0, max: 9 }), failElse: fc.boolean() }),
  fc.record({ kind: fc.constant('parallel' as const), branches: fc.array(fc.array(leaf, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }), caught: fc.boolean() }),
  fc.record({ kind: fc.constant('map' as const), task: fc.boolean(), concurrency: fc.constantFrom(0, 1) }),
);

const task = (timeout: boolean, next: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: 'Task',
  Resource: LAMBDA,
  Parameters: { 'FunctionName': 'f', 'Payload.$': '$' },
  ResultPath: null,
  ...(timeout ? { TimeoutSeconds: 10 } : {}),
  ...extra,
  ...(next ? { Next: next } : { End: true }),
});

const leafState = (l: Leaf, next: string | undefined): Record<string, unknown> => {
  const end = next ? { Next: next } : { End: true };
  if (l.kind === 'pass') return { Type: 'Pass', ...end };
  if (l.kind === 'wait') return { Type: 'Wait', Seconds: l.seconds, ...end };
  return task(l.timeout, next);
};

/** The machine of a chain of steps, ending in Succeed or Fail. */
function machine(steps: readonly Step[], endsFailing: boolean): StateMachineDefinition {
  const states: Record<string, Record<string, unknown>> = {};
  steps.forEach((s, i) => {
    const name = `S${i}`;
    const next = i + 1 < steps.length ? `S${i + 1}` : 'End';
    switch (s.kind) {
      case 'pass': case 'wait': case 'task':
        states[name] = leafState(s, next);
        break;
      case 'guarded':
        states[name] = task(s.timeout, next, {
          ...(s.retry ? { Retry: [{ ErrorEquals: [s.retry.error], MaxAttempts: s.retry.max, IntervalSeconds: 1 }] } : {}),
          ...(s.caught ? { Catch: [{ ErrorEquals: [s.caught], ResultPath: null, Next: `${name}h` }] } : {}),
        });
        if (s.caught) states[`${name}h`] = { Type: 'Pass', Next: next };
        break;
      case 'choice':
        states[name] = { Type: 'Choice', Choices: [{ Variable: '$.x', NumericGreaterThan: s.above, Next: `${name}a` }], Default: `${name}b` };
        states[`${name}a`] = { Type: 'Pass', Next: next };
        states[`${name}b`] = s.failElse ? { Type: 'Fail', Error: 'Chose.Fail' } : { Type: 'Pass', Next: next };
        break;
      case 'parallel':
        states[name] = {
          Type: 'Parallel',
          Branches: s.branches.map((b, k) => {
            const own: Record<string, unknown> = {};
            b.forEach((l, j) => { own[`${name}p${k}${j}`] = leafState(l, j + 1 < b.length ? `${name}p${k}${j + 1}` : undefined); });
            return { StartAt: `${name}p${k}0`, States: own };
          }),
          ResultPath: null,
          ...(s.caught ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: `${name}h` }] } : {}),
          Next: next,
        };
        if (s.caught) states[`${name}h`] = { Type: 'Pass', Next: next };
        break;
      case 'map':
        states[name] = {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: s.concurrency,
          ResultPath: null,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: `${name}m`, States: { [`${name}m`]: s.task ? task(true, undefined) : { Type: 'Pass', End: true } } },
          Next: next,
        };
        break;
    }
  });
  states.End = endsFailing ? { Type: 'Fail', Error: 'Ended.Failing' } : { Type: 'Succeed' };
  return { StartAt: 'S0', States: states } as unknown as StateMachineDefinition;
}

/** The names of a definition's states, branches and iterations included. */
function namesOf(def: StateMachineDefinition): string[] {
  const out: string[] = [];
  const walk = (states: Record<string, Record<string, unknown>>): void => {
    for (const [n, s] of Object.entries(states)) {
      out.push(n);
      for (const b of (s.Branches as Array<{ States: Record<string, Record<string, unknown>> }> | undefined) ?? []) walk(b.States);
      const p = s.ItemProcessor as { States: Record<string, Record<string, unknown>> } | undefined;
      if (p) walk(p.States);
    }
  };
  walk(def.States as unknown as Record<string, Record<string, unknown>>);
  return out;
}

/** Properties over a machine's states, picked by `picks` (numbers in [0, 1000)). */
function propertiesOf(names: readonly string[], picks: readonly number[]): Record<string, PathProperty> {
  const at = (k: number): string => names[picks[k % picks.length] % names.length];
  return {
    never: Property.never(at(0)),
    atMostOnce: Property.atMost(at(1), 1),
    precedes: Property.precedes(at(2), at(3)),
    leadsTo: Property.leadsTo(at(4), [at(5)]),
    succeeds: Property.endsWith({ statuses: ['SUCCEEDED'] }),
    failsAsWritten: Property.endsWith({ errors: ['Chose.Fail', 'Ended.Failing', 'States.TaskFailed'] }),
    transitions: Property.maxTransitions(4 + (picks[6 % picks.length] % 12)),
    seconds: Property.maxSeconds(picks[7 % picks.length] % 40),
  };
}

/** The answers of one run's calls in turn, from numbers fast-check drew (in [0, 100)), as fractions of one. */
function drawn(picks: readonly number[]): () => number {
  let i = 0;
  return () => picks[i++ % picks.length] / 100;
}

/** Each Task's calls answered at random: a result, a failure (the Retry's, the Catch's, another), a late answer, a timeout where it has one. */
function randomMocks(def: StateMachineDefinition, picks: readonly number[]): Record<string, (input: unknown) => MockStep> {
  const next = drawn(picks);
  const mocks: Record<string, (input: unknown) => MockStep> = {};
  const walk = (states: Record<string, Record<string, unknown>>): void => {
    for (const [n, s] of Object.entries(states)) {
      if (s.Type === 'Task') {
        const timed = s.TimeoutSeconds !== undefined;
        mocks[n] = () => {
          const r = next();
          if (r < 0.45) return succeed({ ok: true });
          if (r < 0.6) return fail('States.TaskFailed', 'random');
          if (r < 0.7) return fail('Custom.Error', 'random');
          if (r < 0.85) return delay(1 + Math.floor(next() * (timed ? 9 : 30)), succeed({ ok: true }));
          return timed ? fail('States.Timeout') : succeed({ late: false });
        };
      }
      for (const b of (s.Branches as Array<{ States: Record<string, Record<string, unknown>> }> | undefined) ?? []) walk(b.States);
      const p = s.ItemProcessor as { States: Record<string, Record<string, unknown>> } | undefined;
      if (p) walk(p.States);
    }
  };
  walk(def.States as unknown as Record<string, Record<string, unknown>>);
  return mocks;
}

describe('verify, fuzzed against the interpreter', () => {
  it(`never HOLDS what a random run breaks, and every counterexample reproduces (${MACHINES} machines, ${RUNS_PER_MACHINE} random runs each)`, async () => {
    const cases = fc.sample(fc.record({
      steps: fc.array(step, { minLength: 1, maxLength: 4 }),
      endsFailing: fc.boolean(),
      picks: fc.array(fc.nat({ max: 999 }), { minLength: 8, maxLength: 8 }),
      runs: fc.array(fc.record({
        x: fc.integer({ min: -2, max: 12 }),
        items: fc.array(fc.nat({ max: 9 }), { maxLength: 3 }),
        answers: fc.array(fc.nat({ max: 99 }), { minLength: 7, maxLength: 7 }),
      }), { minLength: RUNS_PER_MACHINE, maxLength: RUNS_PER_MACHINE }),
    }), { numRuns: MACHINES, seed: SEED });
    const verdicts: Record<string, number> = { HOLDS: 0, UNKNOWN: 0, VIOLATED: 0 };
    for (const c of cases) {
      const def = machine(c.steps, c.endsFailing);
      const properties = propertiesOf(namesOf(def), c.picks);
      const wf = Workflow.fromDefinition(def);
      const report = await wf.verify(properties);
      const held = Object.entries(report.properties).filter(([, v]) => v.verdict === 'HOLDS').map(([name]) => name);
      for (const v of Object.values(report.properties)) verdicts[v.verdict]++;
      for (const r of c.runs) {
        const run = await wf.run({ x: r.x, items: r.items }, { mocks: randomMocks(def, r.answers) });
        for (const name of held) {
          const broken = violationOf(properties[name], run);
          if (broken !== undefined) {
            throw new Error(`HOLDS of ${name} (${report.properties[name].reason}) broken by a run: ${broken}; path ${run.path.join(' > ')}; machine ${JSON.stringify(def)}`);
          }
        }
      }
      for (const [name, v] of Object.entries(report.properties)) {
        if (v.verdict !== 'VIOLATED') continue;
        const { input, mocks, path } = v.counterexample!;
        const again = await wf.run(input, { mocks: mocksFromJson(mocks, name) });
        expect({ name, path: again.path }).toEqual({ name, path });
        expect(violationOf(properties[name], again)).toBeDefined();
      }
    }
    // The fuzz judges something of each kind.
    expect(verdicts.HOLDS).toBeGreaterThan(0);
    expect(verdicts.VIOLATED).toBeGreaterThan(0);
  }, 120_000);
});
