import { getItemThenChoiceMachine, machine, orderLinesMachine, reportsMachine, sentimentRouteMachine, startedChildMachine } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { goalId, type Exploration, type RunRecord } from '../../src/explore/context';
import { machineStates } from '../../src/explore/goals';
import type { Plan } from '../../src/explore/plan';
import { witnessBase } from '../../src/explore/proof-witness';
import { proveUnreachable } from '../../src/explore/proofs';
import type { AnswerShape, ExploreProof, ExploreReport } from '../../src/explore/report-types';
import type { Workflow } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * Issue 77: every proof is backed by runs where runs can show it, and no reason contradicts a
 * run explore made. Proofs by Choice rules, by errors and by states that always fail hold
 * whatever the values; their witnesses are runs, each with its input and mocks, that end where
 * the proof says. Each witness of every proof in the report is run again here as a test would
 * run it (its input, its mocks) and must end there.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';

/** A Choice whose second rule contradicts itself: `total` above 1000 and below 10. */
const CONTRADICTION = {
  StartAt: 'Big order?',
  States: {
    'Big order?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 100, Next: 'Review' },
        { And: [{ Variable: '$.total', NumericGreaterThan: 1000 }, { Variable: '$.total', NumericLessThan: 10 }], Next: 'Audit' },
      ],
      Default: 'Ship',
    },
    'Review': { Type: 'Succeed' },
    'Audit': { Type: 'Succeed' },
    'Ship': { Type: 'Succeed' },
  },
};

/** A Catch whose error the one before it takes first, and a Retry that never retries. */
const SHADOWED = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Card.Declined'], MaxAttempts: 0 }],
      Catch: [
        { ErrorEquals: ['States.TaskFailed', 'Card.Expired'], Next: 'Refund' },
        { ErrorEquals: ['Card.Expired'], Next: 'Notify' },
      ],
      Next: 'Done',
    },
    Refund: { Type: 'Succeed' },
    Notify: { Type: 'Succeed' },
    Done: { Type: 'Succeed' },
  },
};

/** A state that fails on every entry (its filter has a lone `=`, which fails on any input), after a Task. */
const ALWAYS_FAILS = {
  StartAt: 'Load',
  States: {
    Load: { Type: 'Task', Resource: LAMBDA, Parameters: { FunctionName: 'load' }, ResultPath: '$.loaded', Next: 'Pick' },
    Pick: { Type: 'Pass', InputPath: '$.items[?(@.lang = es)]', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

/** The new user's getItem, then a Choice on whether the Item is there (a proof by answer shapes). */
const GET_THEN_CHOICE = getItemThenChoiceMachine();

const CATEGORIES = ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'] as const;

/** Every proof in the report with its key, category first. */
function proofsOf(report: ExploreReport): Array<{ goal: string; proof: ExploreProof }> {
  return CATEGORIES.flatMap((c) => Object.entries(report[c].proofs ?? {}).map(([key, proof]) => ({ goal: `${c} ${key}`, proof })));
}

/** The witnesses of a proof, when it has any. */
function shapesOf(proof: ExploreProof): readonly AnswerShape[] {
  return 'shapes' in proof ? proof.shapes ?? [] : [];
}

/** Where a run ended, as a witness says it: failed at a state with an error, or went from a state to the next. */
async function endOf(wf: Workflow, shape: AnswerShape, name: string): Promise<AnswerShape['ends'] | { kind: 'went'; from: string; to: string | undefined }> {
  const run = await wf.run(shape.input ?? {}, { mocks: mocksFromJson(shape.mocks ?? {}, name) });
  const ends = shape.ends;
  if (ends.kind === 'fails') {
    return { kind: 'fails', state: run.status === 'FAILED' ? run.path[run.path.length - 1] : `(${run.status})`, error: run.error ?? '' };
  }
  const at = run.path.indexOf(ends.state);
  return { kind: 'went', from: ends.state, to: at >= 0 ? run.path[at + 1] : undefined };
}

/** Runs every witness of every proof as a test would, and checks each ends where the proof says; the count of witnesses run. */
async function witnessesHold(def: object): Promise<{ report: ExploreReport; ran: number }> {
  const wf = machine(def);
  const report = await wf.explore();
  let ran = 0;
  for (const { goal, proof } of proofsOf(report)) {
    for (const shape of shapesOf(proof)) {
      // A witness run carries what runs it again; a case shown by the solver alone carries neither.
      if (shape.mocks === undefined) continue;
      const got = await endOf(wf, shape, goal);
      const want = shape.ends.kind === 'fails' ? shape.ends : { kind: 'went', from: shape.ends.state, to: shape.ends.next };
      expect({ goal, ends: got }).toEqual({ goal, ends: want });
      ran++;
    }
  }
  return { report, ran };
}

describe('the runs behind proofs that hold whatever the values', () => {
  it('a proof by Choice rules is shown by the runs explore made that entered the Choice, one per branch they took', async () => {
    const { report, ran } = await witnessesHold(CONTRADICTION);
    const proof = report.choiceRules.proofs?.['Big order?#1'];
    expect(proof?.kind).toBe('rules');
    expect(shapesOf(proof!).map((s) => s.ends.kind === 'other' ? s.ends.takes : s.ends.kind).sort()).toEqual(['Big order?#0', 'Big order?#default']);
    expect(report.choiceRules.unreachable.find((n) => n.rule === 'Big order?#1')?.reason).toMatch(/; as runs show: a run explore made: 'Big order\?' takes Big order\?#/);
    expect(ran).toBeGreaterThanOrEqual(2);
  });

  it('a Catch whose error the Catch before it takes is shown by a run failing with that error, caught by the earlier Catch', async () => {
    const { report } = await witnessesHold(SHADOWED);
    const proof = report.catches.proofs?.['Charge#1'];
    expect(proof?.kind).toBe('errors');
    expect(shapesOf(proof!)).toEqual([expect.objectContaining({
      values: [{ task: 'Charge', field: '', shape: 'error', error: 'Card.Expired' }],
      ends: expect.objectContaining({ kind: 'other', state: 'Charge', takes: 'Charge#0', next: 'Refund' }),
      mocks: { Charge: { Throw: { Error: 'Card.Expired', Cause: expect.any(String) } } },
    })]);
    expect(report.catches.unreachable.find((n) => n.catch === 'Charge#1')?.reason).toMatch(/as runs show: 'Charge' fails with Card\.Expired: Catch\[0\] takes it \(-> Refund\)/);
  });

  it('a Retry with MaxAttempts 0 is shown by a run failing with its error once, which nothing retries', async () => {
    const { report } = await witnessesHold(SHADOWED);
    const proof = report.retries.proofs?.['Charge#0'];
    expect(proof?.kind).toBe('errors');
    const shapes = shapesOf(proof!);
    // States.TaskFailed in a Catch takes any error a Task raises but States.Timeout.
    expect(shapes.map((s) => [s.values[0]?.error, s.ends])).toEqual([['Card.Declined', expect.objectContaining({ takes: 'Charge#0', next: 'Refund' })]]);
    // One call: the error is not retried.
    expect(shapes[0].mocks).toEqual({ Charge: { Throw: { Error: 'Card.Declined', Cause: expect.any(String) } } });
    expect(report.retries.unreachable[0].reason).toBe("Retry[0] has MaxAttempts 0: it never retries; as runs show: 'Charge' fails with Card.Declined: Catch[0] takes it (-> Refund)");
  });

  it('a Retry whose error the Retry before it retries is shown by a run retried by that one, failing where nothing takes it', async () => {
    const def = {
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { FunctionName: 'charge' },
          End: true,
          Retry: [{ ErrorEquals: ['Card.Declined', 'Card.Busy'], MaxAttempts: 1, IntervalSeconds: 1 }, { ErrorEquals: ['Card.Busy'], MaxAttempts: 2 }],
        },
      },
    };
    const { report } = await witnessesHold(def);
    expect(report.retries.unreachable).toEqual([{
      retry: 'Charge#1',
      reason: "every error Retry[1] names (Card.Busy) is taken first by Retry[0] (Card.Declined, Card.Busy); as runs show: 'Charge' fails with Card.Busy: nothing takes it, the execution fails with Card.Busy",
    }]);
    // Two calls: the first and Retry[0]'s one retry.
    expect(shapesOf(report.retries.proofs!['Charge#1'])[0].mocks).toEqual({ Charge: { Throw: { Error: 'Card.Busy', Cause: expect.any(String) } } });
  });

  it('a state that fails on every entry is shown by the runs that entered it, each failing there', async () => {
    const { report, ran } = await witnessesHold(ALWAYS_FAILS);
    const proof = report.states.proofs?.Pick;
    expect(proof).toMatchObject({ kind: 'fails', when: 'entry', shapes: [{ ends: { kind: 'fails', state: 'Pick', error: 'States.Runtime' } }] });
    expect(ran).toBeGreaterThan(0);
  });

  it.each([
    ['by answer shapes', GET_THEN_CHOICE],
    ['by the flow of values', reportsMachine()],
    ['by the flow of values through $lowercase of an enum', sentimentRouteMachine()],
    ['by the fields a model requires of an answer', startedChildMachine()],
  ])('every witness of a proof %s carries its mocks and runs again to where it says', async (_how, def) => {
    const { report, ran } = await witnessesHold(def);
    expect(proofsOf(report).length).toBeGreaterThan(0);
    expect(ran).toBeGreaterThan(0);
  });
});

describe('the runs behind a proof by the flow of values vary nested fields', () => {
  /** getItem, the Item's status assigned to $s, then a Choice on it whose Default no run takes. */
  const NESTED_STATUS = {
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: GET_ITEM,
        Arguments: { TableName: 'batches', Key: { id: { S: 'b-1' } } },
        Assign: { s: '{% $states.result.Item.status.S %}' },
        Next: 'Status?',
      },
      'Status?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $s = null %}', Next: 'NoStatus' }, { Condition: "{% $exists($s) or $s = 'DONE' %}", Next: 'Found' }],
        Default: 'Missing',
      },
      'NoStatus': { Type: 'Succeed' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  };

  it('never shows a run with a nested field the model types (.Item.status.S, a string) null, which AWS leaves out instead', async () => {
    const { report } = await witnessesHold(NESTED_STATUS);
    const proof = report.choiceRules.proofs?.['Status?#default'];
    expect(proof?.kind).toBe('value-flow');
    expect(shapesOf(proof!).flatMap((s) => s.values).filter((v) => v.shape === 'null')).toEqual([]);
    // The rule on a null status is closed: an absent S fails Load, and a present one is a string.
    expect(report.states.unreachable.map((n) => n.state).sort()).toEqual(['Missing', 'NoStatus']);
  });
});

describe('the runs behind a proof by the flow of values through JSONPath states', () => {
  it('shows the order proof (an Assign of a ResultSelector path, ArrayLength, MathAdd) on runs that end where it says', async () => {
    const { report, ran } = await witnessesHold(orderLinesMachine());
    expect(report.choiceRules.proofs?.['Route#default']?.kind).toBe('value-flow');
    expect(ran).toBeGreaterThan(0);
  });
});

describe('no reason contradicts a run explore made', () => {
  const SHADOWED_DEF = SHADOWED as unknown as StateMachineDefinition;

  /** An exploration of SHADOWED whose runs end as `ends` says, noting the runs it keeps. */
  function exploration(ends: (plan: Plan) => Set<string>, covered: string[] = []): { x: Exploration; kept: string[] } {
    const def = SHADOWED as unknown as StateMachineDefinition;
    const states = machineStates(def);
    const record = (plan: Plan, goals: Set<string>): RunRecord => ({
      id: 0,
      plan,
      calls: new Map([['Charge', [{ kind: 'return', value: {} }]]]),
      readerCalls: new Map(),
      capped: false,
      goals,
      origin: 'test',
      result: { status: 'SUCCEEDED', path: ['Charge', 'Done'], history: [] } as unknown as RunRecord['result'],
    });
    const parent = record({ input: {}, calls: new Map(), from: new Map() }, new Set([goalId('states', 'Charge')]));
    const kept: string[] = [];
    const x = {
      states,
      fixed: new Map(),
      coveredBy: new Map(covered.map((g) => [g, parent])),
      parentsFor: () => [parent],
      stopped: () => false,
      restore: async () => undefined,
      visitsOf: () => ({ byState: new Map([['Charge', [{ name: 'Charge', calls: [0], children: [] }]]]) }),
      runPlan: async (plan: Plan) => record(plan, ends(plan)),
      execute: async (plan: Plan, origin: string) => { kept.push(origin); return record(plan, ends(plan)); },
    } as unknown as Exploration;
    return { x, kept };
  }

  it('drops a proof by errors, and keeps the run, when its witness run is taken by the rule proved closed', async () => {
    const { base } = await proveUnreachable(SHADOWED_DEF, machineStates(SHADOWED_DEF));
    expect(base.proofs.get('catches')!.has('Charge#1')).toBe(true);
    const { x, kept } = exploration(() => new Set([goalId('catches', 'Charge#1')]));
    const witnessed = await witnessBase(x, base);
    expect(witnessed.proofs.get('catches')!.has('Charge#1')).toBe(false);
    expect(witnessed.deadEdges.get('Charge -> Notify')).toBeUndefined();
    expect(kept).toContain('a run that contradicts a proof');
  });

  it('keeps a proof by errors, with its run, when the witness run is taken by the earlier Catch', async () => {
    const { base } = await proveUnreachable(SHADOWED_DEF, machineStates(SHADOWED_DEF));
    const { x, kept } = exploration(() => new Set([goalId('catches', 'Charge#0')]));
    const witnessed = await witnessBase(x, base);
    expect(witnessed.proofs.get('catches')!.get('Charge#1')?.reason).toMatch(/as runs show: 'Charge' fails with Card\.Expired: Catch\[0\] takes it \(-> Refund\)/);
    expect(kept).toEqual([]);
  });

  it('drops a proof by Choice rules that a run explore made took', async () => {
    const def = CONTRADICTION as unknown as StateMachineDefinition;
    const { base } = await proveUnreachable(def, machineStates(def));
    const x = {
      states: machineStates(def), fixed: new Map(), coveredBy: new Map([[goalId('choiceRules', 'Big order?#1'), {}]]), parentsFor: () => [], stopped: () => false,
    } as unknown as Exploration;
    const witnessed = await witnessBase(x, base);
    expect(witnessed.proofs.get('choiceRules')!.has('Big order?#1')).toBe(false);
    expect(witnessed.deadEdges.get('Big order? -> Audit')).toBeUndefined();
  });
});
