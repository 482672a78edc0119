import { reportsMachine } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { goalId, type Exploration, type RunRecord } from '../../src/explore/context';
import { proveByFlow } from '../../src/explore/flow-proofs';
import { witnessFlow } from '../../src/explore/flow-witness';
import { machineStates } from '../../src/explore/goals';
import { basePlan, type Plan } from '../../src/explore/plan';

/*
 * Issue 77: a proof is backed by runs, and a run that takes the branch it closes drops it. The
 * runs here are stood in for (the interpreter is not what is tested): each answers as the test
 * says, so that a run contradicting the proof can be made, which a sound proof never meets.
 */

const DEF = reportsMachine() as unknown as StateMachineDefinition;

function record(plan: Plan, goals: string[], path: string[], status = 'SUCCEEDED'): RunRecord {
  return {
    id: 0,
    plan,
    calls: new Map([['Query', [{ kind: 'return', value: { Items: [{ id: { S: '1' } }] } }]]]),
    readerCalls: new Map(),
    capped: false,
    goals: new Set(goals),
    origin: 'test',
    result: { status, path } as unknown as RunRecord['result'],
  };
}

/** An exploration whose runs end as `ends` says for each plan, noting the runs it keeps. */
function exploration(ends: (plan: Plan) => RunRecord): { x: Exploration; kept: string[] } {
  const states = machineStates(DEF);
  const parent = record(basePlan({}), [goalId('choiceRules', 'Any?#0')], ['Query', 'Any?', 'Some']);
  const kept: string[] = [];
  const x = {
    states,
    fixed: new Map(),
    parentsFor: () => [parent],
    stopped: () => false,
    restore: async () => undefined,
    runPlan: async (plan: Plan) => ends(plan),
    execute: async (plan: Plan, origin: string) => { kept.push(origin); return ends(plan); },
  } as unknown as Exploration;
  return { x, kept };
}

describe('the runs behind a proof by the flow of values', () => {
  const proof = proveByFlow(machineStates(DEF), 'Any?#default')!;

  it('drops the proof, and keeps the run, when a witness run takes the branch the proof closes', async () => {
    const { x, kept } = exploration((plan) => record(plan, [goalId('choiceRules', 'Any?#default')], ['Query', 'Any?', 'None']));
    expect(await witnessFlow(x, 'Any?#default', proof)).toBeUndefined();
    expect(kept).toEqual(['a run that contradicts a proof']);
  });

  it('keeps the proof with one shape for each place the runs end, and names them in the reason', async () => {
    const { x, kept } = exploration((plan) => {
      const items = (plan.calls.get('Query')?.get(0) as { value?: { Items?: unknown } } | undefined)?.value?.Items;
      return items === undefined && plan.calls.has('Query')
        ? record(plan, [], ['Query'], 'FAILED')
        : record(plan, [goalId('choiceRules', 'Any?#0')], ['Query', 'Any?', 'Some']);
    });
    const witnessed = await witnessFlow(x, 'Any?#default', proof);
    expect(kept).toEqual([]);
    expect(witnessed?.proof).toMatchObject({
      kind: 'value-flow',
      shapes: [
        { values: [], ends: { kind: 'other', state: 'Any?', takes: 'Any?#0' } },
        { values: [{ task: 'Query', field: '.Items', shape: 'absent' }], ends: { kind: 'fails', state: 'Query' } },
      ],
    });
    expect(witnessed?.reason).toMatch(/; as runs show: the answers of a run explore made: 'Any\?' takes Any\?#0; 'Query' answers \.Items absent: 'Query' fails with/);
  });
});
