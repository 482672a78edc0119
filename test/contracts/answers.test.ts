/*
 * Answers AWS gives, judged as a mock in the default mode (STRICT, advice told): every Task answer
 * recorded on AWS in ../shared/conformance, the response examples of botocore's models
 * (examples-1.json, in the committed extract) and the answers the developer guide shows. None may
 * be refused but where AWS's own TestState refuses it too; the figures are printed and held here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readExamplesExtract } from '../../scripts/extract-botocore-models';
import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { forEachState } from '../../src/asl/state-tree';
import { contractOf } from '../../src/contracts';
import type { Shape } from '../../src/contracts/shapes';
import { judgeMockResult } from '../../src/workbench/mocks/validation';
import { describeWithShared, sharedPath } from '../shared-data';

interface Answer { readonly where: string; readonly resource: string; readonly output: JsonValue }

const DEFAULT = { mode: 'STRICT', advice: 'warn', door: 'jest' } as const;

function judged(answers: readonly Answer[]): { refused: string[]; advised: number } {
  const refused: string[] = [];
  let advised = 0;
  for (const a of answers) {
    const verdict = judgeMockResult({ stateName: a.where, resource: a.resource, label: a.where }, a.output, DEFAULT);
    if (verdict.refusal !== undefined) refused.push(`${a.where} (${a.resource}): ${verdict.refusal.split('\n')[1]?.trim()}`);
    else if (verdict.advice !== undefined) advised++;
  }
  return { refused, advised };
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A model example's answer as Step Functions gives it: members in PascalCase (`ExecutionArn` for
 * the model's `executionArn`, as AWS's recordings of aws-sdk:sfn show); map keys are data, kept.
 */
function asStepFunctionsGives(shape: Shape | undefined, value: JsonValue, depth = 0): JsonValue {
  if (shape === undefined || depth > 32) return value;
  if (shape.type === 'structure' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      const pascal = k.charAt(0).toUpperCase() + k.slice(1);
      const field = shape.canonical(k) ?? shape.canonical(pascal) ?? k;
      return [field, asStepFunctionsGives(shape.member(field), v, depth + 1)];
    }));
  }
  if (shape.type === 'list' && Array.isArray(value)) return value.map((v) => asStepFunctionsGives(shape.member, v, depth + 1));
  if (shape.type === 'map' && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asStepFunctionsGives(shape.value, v, depth + 1)]));
  return value;
}

describeWithShared('conformance', 'the Task answers recorded on AWS', () => {
  const dir = sharedPath('conformance', 'cases');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'INDEX.json'), 'utf8')) as { cases: Array<{ file: string }> };
  const answers: Answer[] = [];
  const seen = new Set<string>();
  const keep = (where: string, resource: string, output: JsonValue): void => {
    const key = `${resource}\u0000${JSON.stringify(output)}`;
    if (seen.has(key)) return;
    seen.add(key);
    answers.push({ where, resource, output });
  };
  for (const c of index.cases) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, c.file), 'utf8')) as {
      definition: unknown; history?: Array<Record<string, unknown>>; taskMocks?: Array<{ state: string; kind: string; output?: JsonValue }>;
    };
    for (const event of data.history ?? []) {
      const details = event.taskSucceededEventDetails as { resourceType: string; resource: string; output: JsonValue } | undefined;
      if (event.type === 'TaskSucceeded' && details !== undefined) keep(`${c.file} event ${String(event.id)}`, `arn:aws:states:::${details.resourceType}:${details.resource}`, details.output);
    }
    const definition = (typeof data.definition === 'string' ? JSON.parse(data.definition) : data.definition) as StateMachineDefinition;
    const resources = new Map<string, string>();
    forEachState(definition, (name, state) => {
      const resource = (state as { Resource?: unknown }).Resource;
      if (state.Type === 'Task' && typeof resource === 'string') resources.set(name, resource);
    });
    for (const m of data.taskMocks ?? []) {
      const resource = resources.get(m.state);
      if (m.kind === 'task' && m.output !== undefined && resource !== undefined) keep(`${c.file} ${m.state}`, resource, m.output);
    }
  }

  it('are all accepted in the default mode: none is refused', () => {
    const { refused, advised } = judged(answers);
    process.stdout.write(`contracts: ${answers.length} distinct Task answers recorded on AWS: ${refused.length} refused, ${advised} with advice\n`);
    expect(answers.length).toBeGreaterThan(50);
    expect(refused).toEqual([]);
  });
});

describe('the response examples of botocore\'s models (examples-1.json)', () => {
  const extract = readExamplesExtract();
  const answers: Answer[] = [];
  for (const [service, operations] of Object.entries(extract.services)) {
    for (const [operation, list] of Object.entries(operations)) {
      const resource = `arn:aws:states:::aws-sdk:${service}:${operation.charAt(0).toLowerCase()}${operation.slice(1)}`;
      list.forEach((example, i) => {
        if (example.output === undefined) return;
        answers.push({ where: `${service}:${operation}#${i}`, resource, output: asStepFunctionsGives(contractOf(resource).output, example.output as JsonValue) });
      });
    }
  }
  const { refused, advised } = judged(answers);

  it('are refused only where AWS\'s TestState refuses them too: a timestamp written as a number, a value outside the model\'s enum or bounds', () => {
    process.stdout.write(`contracts: ${answers.length} response examples of the models: ${refused.length} refused, ${advised} with advice\n${refused.map((r) => `  ${r}`).join('\n')}\n`);
    expect(answers.length).toBeGreaterThan(1000);
    // Each refusal is one TestState makes (recorded kinds: "must be a string" for a timestamp given as a number, "is not an expected value").
    for (const r of refused) expect(r).toMatch(/expected timestamp \(ISO 8601 text\), got (integer|number)|is not one of the values the model allows|is (below|above) the model's|is shorter than|is longer than|expected (integer|number|string|boolean|blob)/);
    expect(refused.length).toBe(EXAMPLES_REFUSED);
  });
});

/**
 * What the developer guide's pages show each optimized integration answering (its "Response syntax"
 * and examples), written out here with values of our own.
 */
const GUIDE: ReadonlyArray<readonly [string, JsonValue]> = [
  ['arn:aws:states:::lambda:invoke', { ExecutedVersion: '$LATEST', Payload: { message: 'done' }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } }],
  ['arn:aws:states:::sqs:sendMessage', { MD5OfMessageBody: '0cc175b9c0f1b6a831c399e269772661', MessageId: '9f6c7d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f' }],
  ['arn:aws:states:::sns:publish', { MessageId: '9f6c7d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f' }],
  ['arn:aws:states:::dynamodb:getItem', { Item: { MessageId: { S: 'm-1' }, Body: { S: 'hello' } } }],
  ['arn:aws:states:::dynamodb:putItem', {}],
  ['arn:aws:states:::events:putEvents', { Entries: [{ EventId: '9f6c7d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f' }], FailedEntryCount: 0 }],
  ['arn:aws:states:::states:startExecution', { ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:run-1', StartDate: '2025-01-01T10:00:00.000Z' }],
  ['arn:aws:states:::states:startExecution.sync:2', {
    ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:run-1',
    Input: { a: 1 },
    InputDetails: { Included: true },
    Name: 'run-1',
    Output: { b: 2 },
    OutputDetails: { Included: true },
    StartDate: '2025-01-01T10:00:00.000Z',
    StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child',
    Status: 'SUCCEEDED',
    StopDate: '2025-01-01T10:00:05.000Z',
  }],
  ['arn:aws:states:::ecs:runTask', { Failures: [], Tasks: [{ TaskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/1', LastStatus: 'PROVISIONING' }] }],
  ['arn:aws:states:::batch:submitJob', { JobArn: 'arn:aws:batch:us-east-1:123456789012:job/1', JobId: '1', JobName: 'j' }],
  ['arn:aws:states:::glue:startJobRun', { JobRunId: 'jr_1' }],
  ['arn:aws:states:::athena:startQueryExecution', { QueryExecutionId: 'q-1' }],
  ['arn:aws:states:::apigateway:invoke', { Headers: { 'Content-Type': ['application/json'] }, ResponseBody: { ok: true }, StatusCode: 200, StatusText: 'OK' }],
  ['arn:aws:states:::http:invoke', { Headers: { 'content-type': ['application/json'] }, ResponseBody: { ok: true }, StatusCode: 200, StatusText: 'OK' }],
  ['arn:aws:states:::bedrock:invokeModel', { Body: { results: [{ outputText: 'hello' }] }, ContentType: 'application/json' }],
  ['arn:aws:states:::codebuild:startBuild', { Build: { Id: 'p:1', Arn: 'arn:aws:codebuild:us-east-1:123456789012:build/p:1', BuildStatus: 'IN_PROGRESS' } }],
  ['arn:aws:states:::elasticmapreduce:createCluster', { ClusterArn: 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1', JobFlowId: 'j-1' }],
  ['arn:aws:states:::eks:call', { ResponseBody: { kind: 'PodList' }, StatusCode: 200, StatusText: 'OK' }],
];

describe('the answers the developer guide shows for the optimized integrations', () => {
  it('are all accepted in the default mode', () => {
    const { refused } = judged(GUIDE.map(([resource, output], i) => ({ where: `guide#${i}`, resource, output })));
    expect(refused).toEqual([]);
  });
});

/** The model examples refused, each for a reason TestState refuses too (botocore 1.43.11's examples). */
const EXAMPLES_REFUSED = 44;
