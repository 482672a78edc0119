import type { StateMachineDefinition } from '../../src/asl/definition-types';
import type { ExploreFinding, ExploreReport, ExploreScenario } from '../../src/explore/report-types';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';

/*
 * What the explore tests do around a report: make a machine of a definition written inline, pick
 * the scenario that reaches a goal or shows a finding, and run a scenario as a test written from
 * it would (its input, its mocks). One copy, so that a test that cannot find what it looks for
 * fails with the same account of what the report holds.
 */

/** A workflow of a definition written inline (as an object, not typed as ASL). */
export function machine(definition: object, type?: 'STANDARD' | 'EXPRESS'): Workflow {
  return Workflow.fromDefinition(definition as StateMachineDefinition, type ? { type } : {});
}

/** The scenario that reaches a goal of a category; else throws, naming the scenarios and the goals of that category not reached. */
export function reaching(report: ExploreReport, category: keyof ExploreScenario['covers'], key: string): ExploreScenario {
  const found = report.scenarios.find((s) => s.covers[category]?.includes(key));
  if (!found) {
    throw new Error(`no scenario reaches ${category} ${key}; scenarios: ${report.scenarios.map((s) => s.name).join(' | ')}; `
      + `not reached: ${JSON.stringify(report[category].notReached)}`);
  }
  return found;
}

/** Runs a scenario as a test written from it would: its input, with its mocks. */
export function runScenario(wf: Workflow, s: ExploreScenario): Promise<WorkflowRun> {
  return wf.run(s.input, { mocks: mocksFromJson(s.mocks, s.name) });
}

/**
 * Runs a scenario as a test written from it would, and checks it ends as reported (status, the
 * path it reports, error); with `output`, a scenario that succeeds with the output reported too.
 */
export async function replays(wf: Workflow, s: ExploreScenario, { output = false } = {}): Promise<void> {
  const run = await runScenario(wf, s);
  const ended = { status: run.status, path: run.path.slice(0, s.path.length), error: run.error };
  expect(ended).toEqual({ status: s.status, path: s.path, error: s.error });
  if (output && s.status === 'SUCCEEDED') expect(run.output).toEqual(s.output);
}

/**
 * The first finding of a kind (at a state, when one is named) and the scenario it names; else
 * throws, naming the findings the report has.
 */
export function findingOf(report: ExploreReport, kind: ExploreFinding['kind'], state?: string): { finding: ExploreFinding; scenario: ExploreScenario } {
  const finding = report.findings.find((f) => f.kind === kind && (state === undefined || f.state === state));
  const where = state === undefined ? '' : ` at '${state}'`;
  if (!finding) throw new Error(`no ${kind} finding${where}; findings: ${report.findings.map((f) => `${f.kind}@${f.state}`).join(', ')}`);
  const scenario = report.scenarios.find((s) => s.name === finding.scenario);
  if (!scenario) throw new Error(`the ${kind} finding${where} names no scenario`);
  return { finding, scenario };
}

/** The finding of a kind at a state, with the scenario it names run as a test would run it. */
export async function findingAt(wf: Workflow, report: ExploreReport, kind: ExploreFinding['kind'], state: string) {
  const { finding, scenario } = findingOf(report, kind, state);
  return { finding, scenario, run: await runScenario(wf, scenario) };
}

/**
 * A DynamoDB query whose items `$map` turns into `$reports`, then a Choice on `$count($reports)`:
 * with the `$map` of the issue-77 proof, `None` is unreachable (an empty or absent list gives
 * nothing, which fails `Query`). Shared by the proof, witness and soundness tests.
 */
export function reportsMachine(assign = "{% $map($states.result.Items, function($i) { {'id': $i.id.S} }) %}") {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Query',
    States: {
      'Query': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
        Arguments: { TableName: 'Reports', KeyConditionExpression: 't = :t', ExpressionAttributeValues: { ':t': { S: 'a' } } },
        Assign: { reports: assign },
        Next: 'Any?',
      },
      'Any?': { Type: 'Choice', Choices: [{ Condition: '{% $count($reports) > 0 %}', Next: 'Some' }], Default: 'None' },
      'Some': { Type: 'Succeed' },
      'None': { Type: 'Succeed' },
    },
  };
}

/**
 * The issue-77 new user's machine: a DynamoDB getItem whose ResultSelector takes `$.Item`, then a
 * Choice on whether it is there. `Missing` is unreachable: an absent Item already fails `Load`.
 * Shared by the witness and soundness tests.
 */
export function getItemThenChoiceMachine() {
  return {
    StartAt: 'Load',
    States: {
      'Load': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: 'batches', Key: { batchId: { 'S.$': '$.batchId' } } },
        ResultSelector: { 'item.$': '$.Item' },
        ResultPath: '$.loaded',
        Next: 'Exists?',
      },
      'Exists?': { Type: 'Choice', Choices: [{ Variable: '$.loaded.item', IsPresent: true, Next: 'Found' }], Default: 'Missing' },
      'Found': { Type: 'Succeed' },
      'Missing': { Type: 'Fail', Error: 'NotFound' },
    },
  };
}

/**
 * An order shipped once its Item is loaded (kept in `$order` by a JSONPath Assign) and its lines
 * counted (States.ArrayLength, then States.MathAdd one more): `Broken` is unreachable, since an
 * absent Item fails `Load` and the count plus one is at least 1. Shared by the flow, witness and
 * soundness tests.
 */
export function orderLinesMachine() {
  return {
    StartAt: 'Load',
    States: {
      Load: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: 'orders', Key: { orderId: { 'S.$': '$.batchId' } } },
        ResultSelector: { 'order.$': '$.Item' },
        ResultPath: '$.loaded',
        Assign: { 'order.$': '$.order' },
        Next: 'Count',
      },
      Count: { Type: 'Pass', Parameters: { 'lines.$': 'States.ArrayLength($.items)' }, ResultPath: '$.count', Next: 'Attempt' },
      Attempt: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.count.lines, 1)' }, ResultPath: '$.attempt', Next: 'Route' },
      Route: {
        Type: 'Choice',
        Choices: [
          { And: [{ Variable: '$order', IsPresent: true }, { Variable: '$.attempt.n', NumericGreaterThanEquals: 1 }], Next: 'Ship' },
        ],
        Default: 'Broken',
      },
      Ship: { Type: 'Succeed' },
      Broken: { Type: 'Fail', Error: 'Broken' },
    },
  };
}

/**
 * A poll that never ends with the answers explore makes up first (`Status` is never `DONE`), so
 * explore confirms its loop to AWS's 25,000 history events. Shared by the explore and verify
 * tests of confirming a loop without recording its history.
 */
export function pollForeverMachine(): StateMachineDefinition {
  return {
    StartAt: 'Poll',
    States: {
      'Poll': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'poll' }, ResultSelector: { 'Status.$': '$.Payload.Status' }, ResultPath: '$.job', Next: 'Done?' },
      'Done?': { Type: 'Choice', Choices: [{ Variable: '$.job.Status', StringEquals: 'DONE', Next: 'Done' }], Default: 'Poll' },
      'Done': { Type: 'Succeed' },
    },
  } as unknown as StateMachineDefinition;
}

/**
 * A support message's sentiment read with Comprehend, lowercased into `$mood` (the contract's
 * enum: POSITIVE, NEGATIVE, NEUTRAL, MIXED), then routed on it: `negative` is reached, `angry` is
 * no value the enum lowercases to. The channel is set once at the start to a constant and read
 * after a Choice whose branches meet again, so its Default is unreachable too. Shared by the
 * string-flow, witness and soundness tests.
 */
export function sentimentRouteMachine() {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Init',
    States: {
      'Init': { Type: 'Pass', Assign: { channel: "{% $lowercase($trim(' Email ')) %}" }, Next: 'Detect' },
      'Detect': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
        Arguments: { Text: '{% $string($states.input) %}', LanguageCode: 'en' },
        Assign: { mood: '{% $lowercase($states.result.Sentiment) %}' },
        Next: 'Route',
      },
      'Route': {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $mood = 'negative' %}", Next: 'Escalate' },
          { Condition: "{% $mood = 'angry' %}", Next: 'Calm down' },
        ],
        Default: 'Standard',
      },
      'Escalate': { Type: 'Pass', Next: 'Channel?' },
      'Calm down': { Type: 'Pass', Next: 'Channel?' },
      'Standard': { Type: 'Pass', Next: 'Channel?' },
      'Channel?': { Type: 'Choice', Choices: [{ Condition: "{% $channel = 'email' %}", Next: 'Send email' }], Default: 'Send SMS' },
      'Send email': { Type: 'Succeed' },
      'Send SMS': { Type: 'Fail', Error: 'NoEmail' },
    },
  };
}

/**
 * A child execution started with the SDK integration, its answer kept whole in `$started`, then a
 * Choice on whether it has the ExecutionArn and StartDate: the StartExecution model requires both of
 * an answer, so the Default is unreachable. Shared by the required-field, witness and soundness
 * tests.
 */
export function startedChildMachine() {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Start child',
    States: {
      'Start child': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sfn:startExecution',
        Arguments: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', Input: '{% $string($states.input) %}' },
        Assign: { started: '{% $states.result %}' },
        Next: 'Started?',
      },
      'Started?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $exists($started.ExecutionArn) and $exists($started.StartDate) %}', Next: 'Record' }],
        Default: 'Not started',
      },
      'Record': { Type: 'Succeed' },
      'Not started': { Type: 'Fail', Error: 'Child.NotStarted' },
    },
  };
}
