import { getItemThenChoiceMachine, machine, orderLinesMachine, reportsMachine, sentimentRouteMachine, startedChildMachine } from './helpers';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { seededRandom } from '../../src/asl/random';
import type { Shape } from '../../src/contracts';
import { answerShapeAt } from '../../src/explore/contract-answers';
import type { ExploreReport } from '../../src/explore/report-types';

/*
 * Issue 77, soundness first: whatever explore proves unreachable, no run enters. Each machine
 * below has goals explore proves unreachable (by the flow of values, by answer shapes, by the
 * rules); each is run with random inputs and random answers its Tasks' contracts allow (every
 * field perhaps absent or null, lists of 0 to 2, numbers across and beyond the ranges AWS judges),
 * and no run may enter a state, or take a transition, that explore proved unreachable. The
 * random source is seeded, so a failure comes back the same.
 */

const RUNS = 60;

/** The seeded random source the interpreter draws from, as a function. */
function randomSource(seed: number): () => number {
  const source = seededRandom(seed);
  return () => source.next();
}

const WORDS = ['', 'a', 'sent', 'x', 'ACTIVE', '200'];
const NUMBERS = [-1, 0, 1, 2, 199, 200, 250, 299, 300, 404, 500, 1e6];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

/** Any JSON value, small. */
function anyValue(rand: () => number, depth: number): JsonValue {
  const k = Math.floor(rand() * (depth > 2 ? 5 : 7));
  switch (k) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return pick(rand, NUMBERS);
    case 3: case 4: return pick(rand, WORDS);
    case 5: return Array.from({ length: Math.floor(rand() * 3) }, () => anyValue(rand, depth + 1));
    default: return Object.fromEntries(['id', 'status', 'items', 'batchId'].filter(() => rand() < 0.5).map((f) => [f, anyValue(rand, depth + 1)]));
  }
}

/** A field of the input: any value, and `items` a list half the time, as its name says it mostly is. */
function inputField(rand: () => number, name: string): JsonValue {
  if (name === 'items' && rand() < 0.5) return Array.from({ length: Math.floor(rand() * 3) }, () => anyValue(rand, 2));
  return anyValue(rand, 1);
}

/** A value the contract's shape allows (a field of a structure perhaps absent or null). */
function shaped(rand: () => number, shape: Shape | undefined, depth: number): JsonValue {
  if (shape === undefined || depth > 5) return anyValue(rand, depth);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, JsonValue> = {};
      const fields = shape.union ? [pick(rand, shape.fields)] : shape.fields;
      for (const f of fields) {
        const r = rand();
        if (r < 0.25) continue;
        out[f] = r < 0.35 ? null : shaped(rand, shape.member(f), depth + 1);
      }
      return out;
    }
    case 'list': return Array.from({ length: Math.floor(rand() * 3) }, () => shaped(rand, shape.member, depth + 1));
    case 'map': return rand() < 0.5 ? {} : { k: shaped(rand, shape.value, depth + 1) };
    case 'integer': case 'number': return pick(rand, NUMBERS);
    case 'boolean': return rand() < 0.5;
    case 'string': return shape.enum && shape.enum.length > 0 ? pick(rand, shape.enum) : pick(rand, WORDS);
    default: return pick(rand, WORDS);
  }
}

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
const HTTP = 'arn:aws:states:::http:invoke';
const HTTP_ARGS = { ApiEndpoint: 'https://hooks.example.com/x', Method: 'POST', Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } };

const MACHINES: Record<string, object> = {
  'Comprehend Sentiment lowercased, a constant variable read after a join': sentimentRouteMachine(),
  'sfn:startExecution, a Choice on the fields its model requires': startedChildMachine(),
  'getItem, JSONPath ResultSelector on $.Item, IsPresent': getItemThenChoiceMachine(),
  'getItem, JSONPath OutputPath then IsPresent': {
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: GET_ITEM,
        Parameters: { TableName: 'b', Key: { id: { S: 'x' } } },
        ResultSelector: { 'item.$': '$.Item' },
        ResultPath: '$.loaded',
        OutputPath: '$.loaded',
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [{ Not: { Variable: '$.item', IsPresent: true }, Next: 'Missing' }], Default: 'Found' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  },
  'getItem, JSONata Assign batch = the Item, $exists': {
    QueryLanguage: 'JSONata',
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: GET_ITEM,
        Arguments: { TableName: 'b', Key: { batchId: { S: '{% $string($states.input.batchId) %}' } } },
        Assign: { batch: '{% $states.result.Item %}' },
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [{ Condition: '{% $exists($batch) %}', Next: 'Found' }], Default: 'Missing' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  },
  'query, $count of a $map': reportsMachine(),

  'HTTP status judged 2xx, then sent or not': {
    QueryLanguage: 'JSONata',
    StartAt: 'Call',
    States: {
      'Call': { Type: 'Task', Resource: HTTP, Arguments: HTTP_ARGS, Output: '{% $states.result.StatusCode %}', Next: 'Judge' },
      'Judge': { Type: 'Pass', Output: "{% {'status': $states.input >= 200 and $states.input < 300 ? 'sent' : 'not sent'} %}", Next: 'Sent?' },
      'Sent?': { Type: 'Choice', Choices: [{ Condition: "{% $states.input.status = 'sent' %}", Next: 'Done' }], Default: 'Refused' },
      'Done': { Type: 'Succeed' },
      'Refused': { Type: 'Fail', Error: 'Refused' },
    },
  },
  'a Choice after another on the same number, a Pass between': {
    QueryLanguage: 'JSONata',
    StartAt: 'Route',
    States: {
      'Route': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.r >= 1 and $states.input.r <= 2 %}', Next: 'Low' },
          { Condition: '{% $states.input.r >= 1 %}', Next: 'Keep' },
        ],
        Default: 'Other',
      },
      'Keep': { Type: 'Pass', Next: 'Again?' },
      'Again?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.r <= 2 %}', Next: 'Never' }], Default: 'High' },
      'Low': { Type: 'Succeed' },
      'Other': { Type: 'Succeed' },
      'Never': { Type: 'Succeed' },
      'High': { Type: 'Succeed' },
    },
  },
  'a JSONPath Pass between, a numeric rule on what it placed': {
    StartAt: 'Set',
    States: {
      'Set': { Type: 'Pass', Result: { n: 5 }, ResultPath: '$.r', Next: 'Keep' },
      'Keep': { Type: 'Pass', Parameters: { 'n.$': '$.r.n', 'other.$': '$' }, Next: 'Big?' },
      'Big?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 3, Next: 'Small' }], Default: 'Big' },
      'Small': { Type: 'Succeed' },
      'Big': { Type: 'Succeed' },
    },
  },
  'a JSONPath order: an Assign of a ResultSelector path, States.ArrayLength, then States.MathAdd': orderLinesMachine(),
  'JSONPath intrinsics on the input: a count rounded half up, a number made a string': {
    StartAt: 'Count',
    States: {
      'Count': { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd(States.ArrayLength($.items), -0.5)', 't.$': 'States.JsonToString($.r)' }, Next: 'Neg?' },
      'Neg?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Never' }, { Variable: '$.t', NumericEquals: 1, Next: 'Never' }], Default: 'Text?' },
      'Text?': { Type: 'Choice', Choices: [{ Variable: '$.t', IsString: true, Next: 'Some' }], Default: 'Never' },
      'Some': { Type: 'Succeed' },
      'Never': { Type: 'Succeed' },
    },
  },
  'a JSONata Assign, then a JSONPath Assign of the same variable from the input': {
    StartAt: 'Set',
    States: {
      'Set': { Type: 'Pass', QueryLanguage: 'JSONata', Assign: { n: 5 }, Next: 'Reset' },
      'Reset': { Type: 'Pass', Assign: { 'n.$': '$.r' }, Next: 'There?' },
      'There?': { Type: 'Choice', Choices: [{ Variable: '$n', IsPresent: false, Next: 'Never' }], Default: 'Five?' },
      'Five?': { Type: 'Choice', Choices: [{ Variable: '$n', NumericEquals: 5, Next: 'Was5' }], Default: 'Other' },
      'Was5': { Type: 'Succeed' },
      'Other': { Type: 'Succeed' },
      'Never': { Type: 'Succeed' },
    },
  },
  'JSONPath rules that together take every count, and a Choice on the way read again': {
    StartAt: 'Route',
    States: {
      'Route': { Type: 'Choice', Choices: [{ Variable: '$.r', NumericGreaterThanEquals: 2, Next: 'High' }], Default: 'Keep' },
      'Keep': { Type: 'Pass', Result: 'kept', ResultPath: '$.note', Next: 'Again?' },
      'Again?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.r', NumericGreaterThanEquals: 2, Next: 'Never' }, { Variable: '$.r', IsNumeric: true, Next: 'Count' }],
        Default: 'Other',
      },
      'Count': { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.items)' }, ResultPath: '$.count', Next: 'Size?' },
      'Size?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.count.n', NumericGreaterThanEquals: 1, Next: 'Some' }, { Variable: '$.count.n', NumericLessThan: 1, Next: 'None' }],
        Default: 'Never',
      },
      'High': { Type: 'Succeed' },
      'Other': { Type: 'Succeed' },
      'Some': { Type: 'Succeed' },
      'None': { Type: 'Succeed' },
      'Never': { Type: 'Succeed' },
    },
  },
  'a JSONPath rule Assign on the way, its variable read by a later Choice': {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.r', NumericGreaterThan: 5, Assign: { 'big': true, 'r.$': '$.r' }, Next: 'Check' }],
        Default: 'Small',
      },
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$r', NumericLessThanEquals: 5, Next: 'Never' }, { Variable: '$big', BooleanEquals: true, Next: 'Done' }],
        Default: 'Never',
      },
      Small: { Type: 'Succeed' },
      Done: { Type: 'Succeed' },
      Never: { Type: 'Succeed' },
    },
  },
  'JSONata lambda:invoke with no Output, a Choice on a field the envelope lacks and one it has': {
    QueryLanguage: 'JSONata',
    StartAt: 'Score',
    States: {
      Score: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'score', Payload: '{% $states.input %}' }, Next: 'Route' },
      Route: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $states.input.tier = 'gold' %}", Next: 'Gold' },
          { Condition: "{% $states.input.Payload.tier = 'silver' %}", Next: 'Silver' },
        ],
        Default: 'Plain',
      },
      Gold: { Type: 'Succeed' },
      Silver: { Type: 'Succeed' },
      Plain: { Type: 'Succeed' },
    },
  },
  'JSONPath rules comparing a count with other paths': {
    StartAt: 'Count',
    States: {
      Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.items)', 'floor': -1, 'r.$': '$.r' }, Next: 'Check' },
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericLessThanEqualsPath: '$.floor', Next: 'Never' }, { Variable: '$.n', NumericLessThanPath: '$.r', Next: 'Below' }],
        Default: 'Other',
      },
      Never: { Type: 'Succeed' },
      Below: { Type: 'Succeed' },
      Other: { Type: 'Succeed' },
    },
  },
};

/**
 * Runs that enter what explore proved unreachable: each as the state or transition, and the run's
 * input and answers; and how many runs entered each Choice a branch of which was proved.
 */
async function violations(def: object, report: ExploreReport, seed: number): Promise<{ found: string[]; entered: Record<string, number> }> {
  const wf = machine(def);
  const states = (def as StateMachineDefinition).States;
  const rand = randomSource(seed);
  const unreachableStates = new Set(report.states.unreachable.map((n) => n.state));
  const unreachableEdges = new Set(report.transitions.unreachable.map((n) => n.transition));
  const found: string[] = [];
  const entered: Record<string, number> = Object.fromEntries(report.choiceRules.unreachable.map((n) => [n.rule.slice(0, n.rule.lastIndexOf('#')), 0]));
  for (let i = 0; i < RUNS; i++) {
    const input = rand() < 0.2 ? anyValue(rand, 0) : Object.fromEntries(['batchId', 'status', 'items', 'r'].filter(() => rand() < 0.6).map((f) => [f, inputField(rand, f)]));
    const answers: Record<string, JsonValue> = {};
    for (const [name, s] of Object.entries(states)) {
      if (s.Type === 'Task' && typeof s.Resource === 'string') answers[name] = shaped(rand, answerShapeAt(s.Resource, []), 0);
    }
    const mocks = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, () => v]));
    const run = await wf.run(input, { mocks });
    const last = run.path[run.path.length - 1];
    for (const choice of Object.keys(entered)) if (run.path.includes(choice)) entered[choice]++;
    for (const [k, name] of run.path.entries()) {
      const proof = report.states.proofs?.[name];
      // A state proved to fail on every entry may be entered, to fail there.
      const failsThere = proof?.kind === 'fails' && run.status === 'FAILED' && name === last;
      if (unreachableStates.has(name) && !failsThere) found.push(`state ${name} (input ${JSON.stringify(input)}, answers ${JSON.stringify(answers)})`);
      if (k > 0 && unreachableEdges.has(`${run.path[k - 1]} -> ${name}`)) found.push(`transition ${run.path[k - 1]} -> ${name}`);
    }
  }
  return { found, entered };
}

describe('no run enters what explore proved unreachable', () => {
  it.each(Object.keys(MACHINES))('%s: random inputs and contract answers never enter a state explore proved unreachable', async (name) => {
    const def = MACHINES[name];
    const report = await machine(def).explore();
    // Each machine is here for a proof: one that proves nothing checks nothing.
    expect(report.states.unreachable.length + report.choiceRules.unreachable.length).toBeGreaterThan(0);
    const { found, entered } = await violations(def, report, name.length * 7919);
    expect(found).toEqual([]);
    // The random runs get past the way in: each Choice with a branch proved is entered by some of them.
    for (const [choice, runs] of Object.entries(entered)) expect({ choice, entered: runs > 0 }).toEqual({ choice, entered: true });
  });
});
