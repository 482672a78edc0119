import * as fs from 'node:fs';
import { answerJudge, failingAnswer, failRulesOf, misplacedStatus, mistypedStatus, statelessJob, undecidedEnd, unendedStatus, withoutFailure } from '../../src/asl/answer-outcomes';
import type { JsonValue } from '../../src/asl/definition-types';
import { CATALOGUE, type CatalogueFailRule, type CatalogueRow } from '../../src/asl/integrations';
import { StatesErrors } from '../../src/asl/states-errors';
import { serviceModel } from '../../src/contracts/sdk-models';
import { describeWithShared, hasShared, sharedPath } from '../shared-data';

/**
 * The answers AWS turns into a Task's failure, as the catalogue holds them (src/asl/integrations.ts,
 * `outcome`) and asl/answer-outcomes.ts judges them: every row says which of its answers fail the
 * Task, or that none does, with where AWS says so; each rule fails its failing answer with the
 * error and cause AWS gives and lets the answer beside it through; a recorded rule gives what AWS
 * recorded.
 */
const ROWS = [...CATALOGUE.values()];
const RECORDING = 'recording: ';
const CONFORMANCE = 'conformance/cases';

/** The Resource of a row called with a pattern. */
function resourceOf(row: CatalogueRow, pattern: string): string {
  return `arn:aws:states:::${row.resource}${pattern === 'request' ? '' : `.${pattern}`}`;
}

/** What a row's outcome lacks; empty for a complete one. */
function outcomeProblems(row: CatalogueRow): string[] {
  const out: string[] = [];
  const outcome = row.outcome as CatalogueRow['outcome'] | undefined;
  if (outcome === undefined) return ['no outcome: give the answers that fail the Task, or none, with a source'];
  const sources = 'fails' in outcome ? outcome.fails.flatMap((r) => r.source) : outcome.source;
  if ('fails' in outcome) {
    if (outcome.fails.length === 0) out.push('fails: no rule; write none with its reason instead');
    for (const rule of outcome.fails) {
      if (rule.source.length === 0) out.push(`a rule at ${rule.at.join(', ')} has no source`);
      for (const p of rule.patterns) if (!row.patterns.includes(p)) out.push(`a rule judges ${p}, a pattern the row does not offer`);
    }
  } else if (outcome.none.length < 20) {
    out.push('none, and no reason why');
  }
  if (sources.length === 0) out.push('no source');
  for (const source of sources) {
    // A report of an execution AWS ran is an issue's or a pull request's thread, where its author quotes the execution's failure.
    const report = /^observed: https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/.test(source);
    if (!/^https:\/\/(docs\.aws\.amazon\.com|kubernetes\.io)\/\S+$/.test(source) && !source.startsWith(RECORDING) && !report) {
      out.push(`source '${source}' is no page, recording nor report of an AWS execution`);
    }
  }
  // Every Run a Job integration says which of its job's ends fail the Task, or why none does.
  if (row.patterns.includes('sync') && 'fails' in outcome && !outcome.fails.some((r) => r.patterns.includes('sync'))) out.push('.sync: no rule for the job\'s end');
  return out;
}

/** The error a rule gives its failing example. */
function expectedError(rule: CatalogueFailRule, row: CatalogueRow): string {
  const spec = rule.error;
  if ('taskFailed' in spec) return StatesErrors.TASK_FAILED;
  if ('name' in spec) return spec.name;
  if ('from' in spec) return (rule.failing as { Payload: { errorType: string } }).Payload.errorType;
  return `${row.errorPrefix}${spec.infix}${String((rule.failing as Record<string, unknown>)[spec.status])}`;
}

function expectedCause(rule: CatalogueFailRule): string {
  if (rule.cause === 'answer') return JSON.stringify(rule.failing);
  const field = (rule.failing as Record<string, unknown>)[rule.cause.field];
  return typeof field === 'string' ? field : JSON.stringify(field);
}

/** The source a rule's tests cite: its recording, else its most particular page. */
function citation(rule: CatalogueFailRule): string {
  return rule.source.find((s) => s.startsWith(RECORDING)) ?? rule.source[rule.source.length - 1];
}

const RULES = ROWS.flatMap((row) => ('fails' in row.outcome ? row.outcome.fails : []).flatMap((rule, i) => rule.patterns.map((pattern) => ({
  name: `${row.resource}${pattern === 'request' ? '' : `.${pattern}`} #${i + 1} (${citation(rule)})`, row, rule, resource: resourceOf(row, pattern),
}))));

describe('the catalogue\'s outcomes: which answers fail a Task', () => {
  it.each(ROWS.map((r) => [r.resource, r] as const))('gives %s its failing answers or none, each with a source', (_key, row) => {
    expect(outcomeProblems(row)).toEqual([]);
  });

  it('finds a row with no outcome, a rule with no source, and a .sync row silent on its job\'s end', () => {
    const row = CATALOGUE.get('glue:startJobRun')!;
    expect(outcomeProblems({ ...row, outcome: undefined } as unknown as CatalogueRow)).toEqual([expect.stringContaining('no outcome')]);
    const rule = (row.outcome as { fails: readonly CatalogueFailRule[] }).fails[0];
    expect(outcomeProblems({ ...row, outcome: { fails: [{ ...rule, source: [] }] } })).toEqual(expect.arrayContaining([expect.stringContaining('has no source')]));
    expect(outcomeProblems({ ...row, outcome: { fails: [{ ...rule, patterns: ['request'] }] } })).toEqual(['.sync: no rule for the job\'s end']);
    expect(outcomeProblems({ ...row, outcome: { none: 'short', source: [] } })).toEqual(['none, and no reason why', 'no source']);
  });

  it('holds a rule for every integration the issue names, and more than 40 in all', () => {
    const judged = new Set(RULES.map((r) => r.row.resource.split(':')[0]));
    for (const service of ['events', 'lambda', 'glue', 'batch', 'ecs', 'elasticmapreduce', 'emr-serverless', 'emr-containers', 'sagemaker', 'codebuild', 'athena', 'states', 'eks', 'bedrock']) {
      expect(judged).toContain(service);
    }
    expect(RULES.length).toBeGreaterThan(40);
  });

  describe.each(RULES.map((r) => [r.name, r] as const))('%s', (_name, { row, rule, resource }) => {
    it('fails its failing answer with the error and cause AWS gives', () => {
      const failure = answerJudge(resource)!(rule.failing as JsonValue);
      expect(failure).toBeDefined();
      expect({ error: failure!.error, cause: failure!.cause }).toEqual({ error: expectedError(rule, row), cause: expectedCause(rule) });
    });

    it('lets the answer beside it through', () => {
      expect(answerJudge(resource)!(rule.succeeding as JsonValue)).toBeUndefined();
    });

    it('makes an answer that fails with that error, and takes the failure out of it', () => {
      const error = expectedError(rule, row);
      const made = failingAnswer(resource, error);
      expect(answerJudge(resource)!(made!)?.error).toBe(error);
      expect(answerJudge(resource)!(withoutFailure(resource, made!))).toBeUndefined();
    });
  });

  it('judges none of the answers of a Resource with no rule, and compiles a Resource\'s judge once', () => {
    expect(answerJudge('arn:aws:states:::sqs:sendMessage')).toBeUndefined();
    expect(answerJudge('arn:aws:states:::aws-sdk:eventbridge:putEvents')).toBeUndefined();
    expect(answerJudge('arn:aws:lambda:us-east-1:123456789012:function:f')).toBeUndefined();
    // ecs:runTask's Failures fail a .sync or callback call, never a request-response one ("do not fail the task").
    expect(answerJudge('arn:aws:states:::ecs:runTask')).toBeUndefined();
    expect(answerJudge('arn:aws:states:::glue:startJobRun.sync')).toBe(answerJudge('arn:aws:states:::glue:startJobRun.sync'));
    expect(failRulesOf('arn:aws:states:::states:startExecution')).toEqual([]);
  });

  it('judges a Resource whose partition is left to the deploy, and none whose suffix names no pattern', () => {
    expect(answerJudge('arn:${AWS::Partition}:states:::glue:startJobRun.sync')!({ JobRunState: 'FAILED' })?.error).toBe(StatesErrors.TASK_FAILED);
    expect(answerJudge('arn:aws:states:::glue:startJobRun.synch')).toBeUndefined();
  });

  it('reads Lambda\'s errorType from the raw text of the payload, and names an error without one Lambda.Unknown', () => {
    const judge = answerJudge('arn:aws:states:::lambda:invoke')!;
    const text = '{"errorType":"Boom","errorMessage":"bad"}';
    expect(judge({ StatusCode: 200, FunctionError: 'Unhandled', Payload: text })).toMatchObject({ error: 'Boom', cause: text });
    expect(judge({ StatusCode: 200, FunctionError: 'Unhandled', Payload: 'Task timed out after 3.00 seconds' }))
      .toMatchObject({ error: 'Lambda.Unknown', cause: 'Task timed out after 3.00 seconds' });
    expect(judge({ StatusCode: 200, FunctionError: null, Payload: { errorType: 'NotAnError' } })).toBeUndefined();
  });

  it('fails an ECS task one of whose containers exited with an error, whichever container it was', () => {
    const judge = answerJudge('arn:aws:states:::ecs:runTask.sync')!;
    expect(judge({ LastStatus: 'STOPPED', Containers: [{ ExitCode: 0 }, { ExitCode: 137 }] })?.error).toBe('States.TaskFailed');
    expect(judge({ LastStatus: 'STOPPED', Containers: [{ ExitCode: 0 }, { Name: 'sidecar' }] })).toBeUndefined();
  });

  it('takes a child execution\'s failure out of the answer the advice shows: Status FAILED becomes SUCCEEDED, its Error and Cause kept', () => {
    expect(withoutFailure('arn:aws:states:::states:startExecution.sync:2', { Status: 'FAILED', Output: { n: 1 } }))
      .toEqual({ Status: 'SUCCEEDED', Output: { n: 1 } });
    expect(failingAnswer('arn:aws:states:::apigateway:invoke', 'ApiGateway.404')).toMatchObject({ StatusCode: 404 });
    expect(failingAnswer('arn:aws:states:::lambda:invoke', 'Lambda.Unknown')).toMatchObject({ FunctionError: 'Unhandled', Payload: { errorMessage: 'failed' } });
    expect(failingAnswer('arn:aws:states:::glue:startJobRun.sync', 'Glue.AWSGlueException')).toBeUndefined();
  });
});

/**
 * The service model whose enums name a row's job statuses: the row's API's, or for a row with
 * fields of its own the service it calls (EMR's steps); none for a Kubernetes Job (eks:runJob).
 */
function statusModelOf(row: CatalogueRow): string | undefined {
  if ('api' in row.fields) return row.fields.api[0];
  return row.resource.startsWith('elasticmapreduce:') ? 'emr' : undefined;
}

/** The enums of a service model that hold every one of `values`. */
function enumsHolding(service: string, values: readonly string[]): string[][] {
  const model = serviceModel(service);
  if (model === undefined) return [];
  return model.shapes.flatMap((shape) => ('e' in shape && shape.e !== undefined && values.every((v) => shape.e!.includes(v)) ? [[...shape.e]] : []));
}

const JOB_RULES = RULES.filter(({ rule, row, resource }) => 'oneOf' in rule.test && statusModelOf(row) !== undefined && resource.includes('.sync'));

describe('the catalogue\'s job statuses are the service model\'s own', () => {
  it.each(JOB_RULES.map((r) => [r.name, r] as const))('%s names statuses one enum of the model holds, the success beside them', (_name, { row, rule }) => {
    const failing = (rule.test as { oneOf: readonly string[] }).oneOf;
    const succeeded = (rule.succeeding as Record<string, unknown>);
    const success = rule.at.map((path) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], succeeded))
      .find((v) => typeof v === 'string') as string;
    expect(enumsHolding(statusModelOf(row)!, [...failing, success])).not.toEqual([]);
  });

  it('finds a status the model does not name, as a typo would be', () => {
    expect(enumsHolding('glue', ['SUCCEEDED', 'CANCELED'])).toEqual([]);
    expect(JOB_RULES.length).toBeGreaterThan(25);
  });

  it('fails a Glue run that EXPIRED (the model\'s JobRunState) and an EKS cluster described without its envelope', () => {
    expect(answerJudge('arn:aws:states:::glue:startJobRun.sync')!({ JobRunState: 'EXPIRED' })?.error).toBe(StatesErrors.TASK_FAILED);
    expect(answerJudge('arn:aws:states:::eks:createCluster.sync')!({ Name: 'c', Status: 'FAILED' })?.error).toBe(StatesErrors.TASK_FAILED);
    expect(answerJudge('arn:aws:states:::eks:createCluster.sync')!({ Name: 'c', Status: 'ACTIVE' })).toBeUndefined();
  });
});

describe('a .sync answer with no job state (advice, never a failure: AWS answers with the job as it ended)', () => {
  /** Every .sync Resource whose rules read a job's state, with those rules. */
  const STATE_RULES = [...new Set(RULES.filter(({ resource }) => /\.sync(:2)?$/.test(resource)).map(({ resource }) => resource))].map((resource) => ({
    resource,
    rules: RULES.filter((r) => r.resource === resource && 'oneOf' in r.rule.test && r.rule.test.oneOf.length > 0).map((r) => r.rule),
  })).filter(({ rules }) => rules.length > 0);

  it('takes every .sync Resource whose job states a rule reads', () => {
    expect(STATE_RULES.length).toBeGreaterThanOrEqual(27);
  });

  it.each(STATE_RULES.map((r) => [r.resource, r] as const))('%s: finds no state in {} or a job\'s other fields, names where it is read, and the end to answer', (_name, { resource, rules }) => {
    for (const answer of [{}, { JobId: 'job-1', Name: 'nightly' }, [], 'done', null] as JsonValue[]) {
      expect(answerJudge(resource)!(answer)).toBeUndefined();
      const hit = statelessJob(resource, answer);
      expect(hit?.read).toEqual(expect.arrayContaining(rules.flatMap((rule) => [...rule.at, ...(rule.running?.at ?? [])])));
      // The end it names succeeds and holds a state; the failing states it names fail the Task at the first path read.
      expect(answerJudge(resource)!(hit!.ended)).toBeUndefined();
      expect(statelessJob(resource, hit!.ended)).toBeUndefined();
      const at = hit!.read[0].split('.').reduceRight<JsonValue>((inner, step) => (step === '*' ? [inner] : { [step]: inner }), hit!.failing[0]);
      expect(answerJudge(resource)!(at)?.error).toBe(StatesErrors.TASK_FAILED);
    }
    for (const rule of rules) {
      expect(statelessJob(resource, rule.failing as JsonValue)).toBeUndefined();
      expect(statelessJob(resource, rule.succeeding as JsonValue)).toBeUndefined();
    }
  });

  it('finds a state of any value but null, one no list names included, and says nothing of a request, a callback, SDK or waiting call', () => {
    const glue = 'arn:aws:states:::glue:startJobRun.sync';
    expect(statelessJob(glue, { JobRunState: null })).toMatchObject({ read: ['JobRunState'], ended: { JobRunState: 'SUCCEEDED' } });
    expect(statelessJob(glue, { JobRunState: 'SOMETHING_NEW' })).toBeUndefined();
    expect(statelessJob('arn:aws:states:::ecs:runTask.sync', { LastStatus: 'STOPPED', Containers: [{ ExitCode: 0 }] })).toBeUndefined();
    expect(statelessJob('arn:aws:states:::ecs:runTask.sync', { Containers: [{ ExitCode: 0 }] })).toMatchObject({ read: ['StopCode', 'LastStatus'] });
    expect(statelessJob('arn:aws:states:::glue:startJobRun', {})).toBeUndefined();
    expect(statelessJob('arn:aws:states:::ecs:runTask.waitForTaskToken', {})).toBeUndefined();
    expect(statelessJob('arn:aws:states:::aws-sdk:glue:startJobRun', {})).toBeUndefined();
    expect(statelessJob('arn:aws:states:::elasticmapreduce:terminateCluster.sync', {})).toBeUndefined();
  });
});

describe('a .sync job that has not ended (advice, never a failure: the Task waits for the end)', () => {
  const RUNNING_RULES = RULES.filter(({ rule, resource }) => rule.running !== undefined && /\.sync(:2)?$/.test(resource));
  const at = (path: string, value: string): JsonValue => path.split('.').reduceRight<JsonValue>((inner, step) => (step === '*' ? [inner] : { [step]: inner }), value);

  it('names the states before the end of every .sync job whose answer holds its state where the Task reads it', () => {
    const rows = new Set(RUNNING_RULES.map(({ row }) => row.resource));
    const withStates = [...CATALOGUE.values()].filter((row) => row.patterns.includes('sync') && 'fails' in row.outcome
      && row.outcome.fails.some((rule) => 'oneOf' in rule.test && rule.test.oneOf.length > 0 && !/^(eks:delete|eks:runJob)/.test(row.resource)));
    expect(withStates.map((row) => row.resource).filter((r) => !rows.has(r))).toEqual([]);
    expect(rows.size).toBeGreaterThanOrEqual(26);
  });

  it.each(RUNNING_RULES.map((r) => [r.name, r] as const))('%s: finds each running state where the Task reads it, lets it through, and names the end', (_name, { rule, resource }) => {
    const running = rule.running!;
    for (const state of running.oneOf) {
      for (const path of running.at) {
        const answer = at(path, state);
        expect(answerJudge(resource)!(answer)).toBeUndefined();
        const hit = unendedStatus(resource, answer);
        expect(hit).toMatchObject({ read: path, value: state });
        // The end it names is the job's succeeding end, which the judge lets through, and no job still running.
        expect(answerJudge(resource)!(hit!.ended)).toBeUndefined();
        expect(unendedStatus(resource, hit!.ended)).toBeUndefined();
        for (const failing of hit!.failing) expect(answerJudge(resource)!(at(path, failing))?.error).toBe(StatesErrors.TASK_FAILED);
      }
    }
    expect(unendedStatus(resource, rule.failing as JsonValue)).toBeUndefined();
    expect(unendedStatus(resource, rule.succeeding as JsonValue)).toBeUndefined();
  });

  // ECS's LastStatus is text in its model: the task lifecycle page lists its states.
  it.each(RUNNING_RULES.filter(({ row, rule }) => statusModelOf(row) !== undefined && rule.running!.at === rule.at).map((r) => [r.name, r] as const))(
    '%s: the states before the end are in the model\'s enum, beside its ends', (_name, { row, rule }) => {
      const failing = (rule.test as { oneOf: readonly string[] }).oneOf;
      expect(enumsHolding(statusModelOf(row)!, [...rule.running!.oneOf, ...failing])).not.toEqual([]);
    });

  it('reads an ECS task\'s LastStatus, a child execution\'s Status, and nothing of a request\'s answer or of other fields', () => {
    expect(unendedStatus('arn:aws:states:::ecs:runTask.sync', { LastStatus: 'RUNNING', Containers: [{ Name: 'app' }] }))
      .toEqual({ read: 'LastStatus', value: 'RUNNING', ended: { LastStatus: 'STOPPED' }, failing: [] });
    expect(unendedStatus('arn:aws:states:::states:startExecution.sync:2', { Status: 'RUNNING', ExecutionArn: 'arn' }))
      .toEqual({ read: 'Status', value: 'RUNNING', ended: { Status: 'SUCCEEDED' }, failing: ['FAILED', 'TIMED_OUT', 'ABORTED'] });
    expect(unendedStatus('arn:aws:states:::elasticmapreduce:addStep.sync', { Status: { State: 'PENDING' } }))
      .toMatchObject({ read: 'Status.State', ended: { Status: { State: 'COMPLETED' } } });
    // A request-response call answers at once: a job it started is running, and that is its answer.
    expect(unendedStatus('arn:aws:states:::batch:submitJob', { Status: 'RUNNING' })).toBeUndefined();
    expect(unendedStatus('arn:aws:states:::aws-sdk:batch:describeJobs', { Jobs: [{ Status: 'RUNNING' }] })).toBeUndefined();
    // RunTask's own answer (a callback's) lists tasks that have just started.
    expect(unendedStatus('arn:aws:states:::ecs:runTask.waitForTaskToken', { Tasks: [{ LastStatus: 'PROVISIONING' }], Failures: [] })).toBeUndefined();
    expect(unendedStatus('arn:aws:states:::batch:submitJob.sync', { Status: 'SUCCEEDED', Container: { Status: 'RUNNING' } })).toBeUndefined();
    expect(unendedStatus('arn:aws:states:::batch:submitJob.sync', 'RUNNING')).toBeUndefined();
    expect(unendedStatus('arn:aws:states:::batch:submitJob.sync', { Status: 'running' })).toBeUndefined();
  });
});

/** The status rules of `.sync` jobs (a terminal state the answer names), with the failing status of each. */
const STATUS_RULES = RULES.filter(({ rule, resource }) => ('oneOf' in rule.test || 'above' in rule.test) && /\.sync(:2)?$/.test(resource));

describe('a job\'s failing state in a case the service never writes (advice, never a failure)', () => {
  const STATE_RULES = STATUS_RULES.filter(({ rule }) => 'oneOf' in rule.test);
  /** An answer holding `value` at a rule's path, a list of one at each `*`. */
  const at = (path: string, value: string): JsonValue => path.split('.').reduceRight<JsonValue>((inner, step) => (step === '*' ? [inner] : { [step]: inner }), value);
  it.each(STATE_RULES.map((r) => [r.name, r] as const))('%s: finds each failing state lower-cased where the Task reads it, and lets it through', (_name, { rule, resource }) => {
    for (const state of (rule.test as { oneOf: readonly string[] }).oneOf) {
      for (const path of rule.at) {
        const answer = at(path, state.toLowerCase());
        expect(answerJudge(resource)!(answer)).toBeUndefined();
        expect(mistypedStatus(resource, answer)).toEqual({ read: path, value: state.toLowerCase(), meant: state });
      }
    }
    expect(mistypedStatus(resource, rule.failing as JsonValue)).toBeUndefined();
    expect(mistypedStatus(resource, rule.succeeding as JsonValue)).toBeUndefined();
  });

  it('leaves alone a succeeding state in any case, a request\'s answer, and states no rule reads', () => {
    expect(mistypedStatus('arn:aws:states:::glue:startJobRun.sync', { JobRunState: 'succeeded' })).toBeUndefined();
    expect(mistypedStatus('arn:aws:states:::glue:startJobRun', { JobRunState: 'failed' })).toBeUndefined();
    expect(mistypedStatus('arn:aws:states:::glue:startJobRun.sync', { JobRun: { JobRunState: 'failed' } })).toBeUndefined();
    expect(mistypedStatus('arn:aws:states:::sagemaker:createTrainingJob.sync', { TrainingJobStatus: 'FAILED' }))
      .toEqual({ read: 'TrainingJobStatus', value: 'FAILED', meant: 'Failed' });
    expect(mistypedStatus('arn:aws:states:::states:startExecution.sync:2', { Status: 'aborted', Output: '{}' }))
      .toEqual({ read: 'Status', value: 'aborted', meant: 'ABORTED' });
    // An ECS container's exit code is a number: a failing one given as text is told, 0 as text is not.
    expect(mistypedStatus('arn:aws:states:::ecs:runTask.sync', { Containers: [{ Name: 'app', ExitCode: '137' }] }))
      .toEqual({ read: 'Containers.*.ExitCode', value: '137', meant: 137 });
    expect(mistypedStatus('arn:aws:states:::ecs:runTask.sync', { Containers: [{ ExitCode: '0' }] })).toBeUndefined();
  });
});

describe('a job\'s failing end held where the Task does not read it (advice, never a failure)', () => {
  it.each(STATUS_RULES.map((r) => [r.name, r] as const))('%s: finds its failing answer wrapped as a describe call answers it, and lets it through', (_name, { rule, resource }) => {
    const status = 'oneOf' in rule.test ? rule.test.oneOf[0] : (rule.test as { above: number }).above + 1;
    const wrapped = { Wrapper: rule.failing as JsonValue };
    expect(answerJudge(resource)!(wrapped)).toBeUndefined();
    const hit = misplacedStatus(resource, wrapped);
    expect(hit).toMatchObject({ value: status, read: rule.at[0] });
    expect(hit!.found.startsWith('Wrapper')).toBe(true);
    // What the advice says to answer instead fails the Task with that status, as AWS would.
    expect(answerJudge(resource)!(hit!.failing)?.error).toBe(StatesErrors.TASK_FAILED);
    // Where the Task reads it, the judge fails the answer: nothing is misplaced.
    expect(misplacedStatus(resource, rule.failing as JsonValue)).toBeUndefined();
    expect(misplacedStatus(resource, rule.succeeding as JsonValue)).toBeUndefined();
  });

  it('finds an ECS container\'s exit code in the tasks DescribeTasks answers, and no exit code of 0', () => {
    const resource = 'arn:aws:states:::ecs:runTask.sync';
    expect(misplacedStatus(resource, { Tasks: [{ StopCode: 'EssentialContainerExited', Containers: [{ Name: 'app', ExitCode: 2 }] }], Failures: [] }))
      .toEqual({ found: 'Tasks[0].Containers[0].ExitCode', value: 2, read: 'Containers.*.ExitCode', failing: { Containers: [{ ExitCode: 2 }] } });
    expect(misplacedStatus(resource, { Tasks: [{ Containers: [{ ExitCode: 0 }] }] })).toBeUndefined();
    // A request-response call's answer is RunTask's own: its fields are data.
    expect(misplacedStatus('arn:aws:states:::ecs:runTask', { Tasks: [{ Containers: [{ ExitCode: 2 }] }] })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::events:putEvents', { Result: { FailedEntryCount: 1 } })).toBeUndefined();
  });

  it('finds it in a list the describe call answers, and flat where the answer nests it', () => {
    expect(misplacedStatus('arn:aws:states:::batch:submitJob.sync', { Jobs: [{ JobId: 'j' }, { Status: 'FAILED' }] }))
      .toEqual({ found: 'Jobs[1].Status', value: 'FAILED', read: 'Status', failing: { Status: 'FAILED' } });
    expect(misplacedStatus('arn:aws:states:::glue:startJobRun.sync', { JobRun: { Id: 'jr_1', JobRunState: 'TIMEOUT' } }))
      .toMatchObject({ found: 'JobRun.JobRunState', failing: { JobRunState: 'TIMEOUT' } });
    expect(misplacedStatus('arn:aws:states:::athena:startQueryExecution.sync', { Status: { State: 'FAILED' } }))
      .toMatchObject({ found: 'Status.State', read: 'QueryExecution.Status.State', failing: { QueryExecution: { Status: { State: 'FAILED' } } } });
  });

  it('leaves alone a succeeding status, a status under another name, the caller\'s data, a job\'s deep data, and other patterns', () => {
    expect(misplacedStatus('arn:aws:states:::glue:startJobRun.sync', { JobRun: { JobRunState: 'SUCCEEDED' } })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::glue:startJobRun.sync', { JobRunState: 'SUCCEEDED', Arguments: { '--state': 'FAILED' } })).toBeUndefined();
    // A child execution's output is its own data: a Status in it is no execution's end.
    expect(misplacedStatus('arn:aws:states:::states:startExecution.sync:2', { Status: 'SUCCEEDED', Output: { Status: 'FAILED' } })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::states:startExecution.sync:2', { Status: 'SUCCEEDED', Input: { Status: 'ABORTED' } })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::batch:submitJob.sync', { Status: 'SUCCEEDED', A: { B: { C: { Status: 'FAILED' } } } })).toBeUndefined();
    // A request-response call's answer is the API's own, whatever status it holds.
    expect(misplacedStatus('arn:aws:states:::glue:startJobRun', { JobRun: { JobRunState: 'FAILED' } })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::aws-sdk:glue:getJobRun', { JobRun: { JobRunState: 'FAILED' } })).toBeUndefined();
    expect(misplacedStatus('arn:aws:states:::glue:startJobRun.sync', 'FAILED')).toBeUndefined();
  });

  it('looks at a bounded part of an answer however large', () => {
    const wide = { Jobs: [...Array.from({ length: 5_000 }, (_, i) => ({ JobId: `j${i}` })), { Status: 'FAILED' }] };
    expect(misplacedStatus('arn:aws:states:::batch:submitJob.sync', wide)).toBeUndefined();
  });
});

/** The recorded executions the rules cite. */
const RECORDED = [...new Map(RULES.flatMap(({ rule, row }) => rule.source.filter((s) => s.startsWith(RECORDING))
  .map((s) => [s.slice(RECORDING.length), row] as const)))];

describeWithShared(CONFORMANCE, 'the catalogue\'s recorded outcomes: AWS\'s failing answers judged as AWS judged them', () => {
  it.each(RECORDED.map(([file, row]) => [file, row] as const))('%s', (file, row) => {
    const path = sharedPath(CONFORMANCE, file);
    expect(hasShared(CONFORMANCE, file)).toBe(true);
    const recorded = JSON.parse(fs.readFileSync(path, 'utf8')) as {
      definition: { States: Record<string, { Resource?: string }> };
      taskMocks: Array<{ state: string; error?: string; cause?: string }>;
    };
    const failed = recorded.taskMocks.filter((m) => m.error !== undefined && m.cause !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const call of failed) {
      const resource = recorded.definition?.States?.[call.state]?.Resource
        ?? resourceOf(row, row.resource === 'ecs:runTask' ? 'sync' : 'request');
      // What the service answered, as the recording's cause holds it: Lambda's raw payload, any other service's answer as JSON.
      const answer: JsonValue = row.resource === 'lambda:invoke'
        ? { StatusCode: 200, FunctionError: 'Unhandled', Payload: call.cause! }
        : JSON.parse(call.cause!) as JsonValue;
      const failure = answerJudge(resource)!(answer);
      expect(failure?.error).toBe(call.error);
      expect(JSON.parse(failure!.cause!)).toEqual(JSON.parse(call.cause!));
    }
  });
});

describe('undecidedEnd: a .sync job\'s end its service lists that no page ties to the Task\'s outcome', () => {
  const CLUSTER = 'arn:aws:states:::elasticmapreduce:createCluster.sync';
  const listed = (): readonly string[] => ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING', 'TERMINATING', 'TERMINATED', 'TERMINATED_WITH_ERRORS'];
  it('names a listed end that is neither the success, a failing end nor a state before the end, where the Task reads it', () => {
    expect(undecidedEnd(CLUSTER, { Status: { State: 'TERMINATED' } }, listed)).toEqual({
      read: 'Status.State', value: 'TERMINATED', succeeded: { Status: { State: 'WAITING' } }, failing: ['TERMINATED_WITH_ERRORS'],
    });
  });
  it('names none for the success, a state before the end, a state the service does not list, a failing end, or another pattern', () => {
    for (const state of ['WAITING', 'STARTING', 'WAITING_FOR_GODOT', 'TERMINATED_WITH_ERRORS']) {
      expect([state, undecidedEnd(CLUSTER, { Cluster: { Status: { State: state } } }, listed)]).toEqual([state, undefined]);
    }
    expect(undecidedEnd('arn:aws:states:::elasticmapreduce:createCluster', { Cluster: { Status: { State: 'TERMINATED' } } }, listed)).toBeUndefined();
    expect(undecidedEnd(CLUSTER, { Cluster: { Status: { State: 'TERMINATED' } } }, () => undefined)).toBeUndefined();
  });
});
