/*
 * Polling loops: an Athena query waited on until it ends, a Glue job polled a bounded number of
 * times, a transcription job whose transcript is then scored, and a flaky call retried with an
 * exponential backoff the machine keeps itself.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Choice, Task } from 'stepwright';
import { fn, JSONATA, machine, type ModernMachine } from './common';

export const athenaReport: ModernMachine = {
  name: 'AthenaReport',
  shape: 'polling loop',
  build(stack) {
    const start = Task.awsSdkCall(stack, 'Start query', {
      service: 'athena',
      action: 'startQueryExecution',
      parameters: {
        QueryString: `{% "SELECT region, sum(total) FROM sales WHERE day = '" & $states.input.day & "' GROUP BY region" %}`,
        WorkGroup: 'reports',
      },
      iamResources: ['*'],
      assign: { queryId: '{% $states.result.QueryExecutionId %}' },
      outputs: '{% $states.input %}',
    });
    const wait = new sfn.Wait(stack, 'Wait for query', { time: sfn.WaitTime.duration(Duration.seconds(10)) });
    const poll = Task.awsSdkCall(stack, 'Get query state', {
      service: 'athena',
      action: 'getQueryExecution',
      parameters: { QueryExecutionId: '{% $queryId %}' },
      iamResources: ['*'],
      outputs: '{% {"state": $states.result.QueryExecution.Status.State, "reason": $states.result.QueryExecution.Status.StateChangeReason} %}',
    });
    const results = Task.awsSdkCall(stack, 'Get results', {
      service: 'athena',
      action: 'getQueryResults',
      parameters: { QueryExecutionId: '{% $queryId %}', MaxResults: 100 },
      iamResources: ['*'],
      outputs: '{% {"rows": $count($states.result.ResultSet.Rows) - 1, "regions": $states.result.ResultSet.Rows[[1..100]].Data[0].VarCharValue} %}',
    });
    const failed = new sfn.Fail(stack, 'Query failed', { error: 'Athena.QueryFailed' });
    const empty = new sfn.Pass(stack, 'No sales', { outputs: '{% {"rows": 0, "regions": []} %}' });
    const send = Task.lambdaInvoke(stack, 'Send report', {
      lambdaFunction: fn(stack, 'ReportFn'),
      payload: sfn.TaskInput.fromObject({ regions: '{% $states.input.regions %}' }),
    });
    const rows = Choice.jsonata(stack, 'Any rows?')
      .when(sfn.Condition.jsonata('{% $states.input.rows > 0 %}'), send)
      .otherwise(empty);
    const state = Choice.jsonata(stack, 'Query done?')
      .when(sfn.Condition.jsonata('{% $states.input.state = "SUCCEEDED" %}'), results.next(rows))
      .when(sfn.Condition.jsonata('{% $states.input.state in ["FAILED", "CANCELLED"] %}'), failed)
      .otherwise(wait);
    machine(stack, start.next(wait).next(poll).next(state));
  },
};

export const glueJob: ModernMachine = {
  name: 'GlueJobPoller',
  shape: 'polling loop',
  build(stack) {
    const start = Task.awsSdkCall(stack, 'Start job', {
      service: 'glue',
      action: 'startJobRun',
      parameters: { JobName: 'nightly-rollup', Arguments: { '--day': '{% $states.input.day %}' } },
      iamResources: ['*'],
      assign: { runId: '{% $states.result.JobRunId %}', polls: 0 },
    });
    start.addRetry({ errors: ['Glue.ConcurrentRunsExceededException'], interval: Duration.minutes(5), maxAttempts: 6 });
    const wait = new sfn.Wait(stack, 'Wait a minute', { time: sfn.WaitTime.duration(Duration.minutes(1)) });
    const get = Task.awsSdkCall(stack, 'Get job run', {
      service: 'glue',
      action: 'getJobRun',
      parameters: { JobName: 'nightly-rollup', RunId: '{% $runId %}' },
      iamResources: ['*'],
      assign: { polls: '{% $polls + 1 %}', runState: '{% $states.result.JobRun.JobRunState %}' },
      outputs: '{% {"seconds": $states.result.JobRun.ExecutionTime} %}',
    });
    const tooLong = new sfn.Fail(stack, 'Job took too long', { error: 'Glue.TooLong' });
    const failed = new sfn.Fail(stack, 'Job failed', { error: 'Glue.JobFailed' });
    const slow = Task.lambdaInvoke(stack, 'Warn slow job', {
      lambdaFunction: fn(stack, 'SlowFn'),
      payload: sfn.TaskInput.fromObject({ runId: '{% $runId %}', seconds: '{% $states.input.seconds %}' }),
    });
    const duration = Choice.jsonata(stack, 'Slow?')
      .when(sfn.Condition.jsonata('{% $states.input.seconds > 3600 %}'), slow)
      .otherwise(new sfn.Succeed(stack, 'Rolled up'));
    const state = Choice.jsonata(stack, 'Job state?')
      .when(sfn.Condition.jsonata('{% $runState = "SUCCEEDED" %}'), duration)
      .when(sfn.Condition.jsonata('{% $runState in ["FAILED", "ERROR", "TIMEOUT", "STOPPED"] %}'), failed)
      .when(sfn.Condition.jsonata('{% $polls >= 60 %}'), tooLong)
      .otherwise(wait);
    machine(stack, start.next(wait).next(get).next(state));
  },
};

export const transcription: ModernMachine = {
  name: 'CallTranscription',
  shape: 'polling loop',
  build(stack) {
    const start = Task.awsSdkCall(stack, 'Start transcription', {
      service: 'transcribe',
      action: 'startTranscriptionJob',
      parameters: {
        TranscriptionJobName: '{% $states.context.Execution.Name %}',
        Media: { MediaFileUri: "{% 's3://calls/' & $states.input.callId & '.wav' %}" },
        LanguageCode: '{% $exists($states.input.language) ? $states.input.language : "en-US" %}',
      },
      iamResources: ['*'],
      assign: { job: '{% $states.result.TranscriptionJob.TranscriptionJobName %}' },
    });
    const wait = new sfn.Wait(stack, 'Wait for transcript', { time: sfn.WaitTime.duration(Duration.seconds(20)) });
    const get = Task.awsSdkCall(stack, 'Get transcription', {
      service: 'transcribe',
      action: 'getTranscriptionJob',
      parameters: { TranscriptionJobName: '{% $job %}' },
      iamResources: ['*'],
      outputs: '{% {"status": $states.result.TranscriptionJob.TranscriptionJobStatus, "uri": $states.result.TranscriptionJob.Transcript.TranscriptFileUri} %}',
    });
    const score = Task.lambdaInvoke(stack, 'Score call', {
      lambdaFunction: fn(stack, 'ScoreFn'),
      payload: sfn.TaskInput.fromObject({ transcript: '{% $states.input.uri %}' }),
      outputs: '{% {"score": $states.result.score, "flags": $states.result.flags} %}',
    });
    const coach = Task.lambdaInvoke(stack, 'Assign coaching', {
      lambdaFunction: fn(stack, 'CoachFn'),
      payload: sfn.TaskInput.fromObject({ flags: '{% $states.input.flags %}' }),
    });
    const failed = new sfn.Fail(stack, 'Transcription failed', { error: 'Transcribe.Failed' });
    const quality = Choice.jsonata(stack, 'Needs coaching?')
      .when(sfn.Condition.jsonata('{% $states.input.score < 60 or $contains($join($states.input.flags, ","), "complaint") %}'), coach)
      .otherwise(new sfn.Succeed(stack, 'Good call'));
    const status = Choice.jsonata(stack, 'Transcribed?')
      .when(sfn.Condition.jsonata('{% $states.input.status = "COMPLETED" %}'), score.next(quality))
      .when(sfn.Condition.jsonata('{% $states.input.status = "FAILED" %}'), failed)
      .otherwise(wait);
    machine(stack, start.next(wait).next(get).next(status));
  },
};

export const backoffRetry: ModernMachine = {
  name: 'PartnerSync',
  shape: 'polling loop',
  build(stack) {
    const init = new sfn.Pass(stack, 'Initialise', { assign: { attempt: 0 } });
    const call = Task.lambdaInvoke(stack, 'Call partner API', {
      // aws-cdk-lib renders a Task's Catch in the state's own language only: without it, the Catch's Output is dropped.
      queryLanguage: JSONATA,
      lambdaFunction: fn(stack, 'PartnerFn'),
      payload: sfn.TaskInput.fromObject({ account: '{% $states.input.account %}' }),
      outputs: '{% $merge([$states.input, {"response": $states.result}]) %}',
      transientErrorRetry: false,
    });
    const giveUp = new sfn.Fail(stack, 'Partner unavailable', { error: 'Partner.Unavailable' });
    const bump = new sfn.Pass(stack, 'Count attempt', { assign: { attempt: '{% $attempt + 1 %}' }, outputs: '{% $states.input %}' });
    const backoff = new sfn.Wait(stack, 'Back off', { time: sfn.WaitTime.seconds('{% $power(2, $attempt) %}') });
    call.addCatch(bump, { errors: ['Partner.RateLimited', 'Partner.Timeout'], outputs: '{% $states.input %}' });
    const again = Choice.jsonata(stack, 'Try again?')
      .when(sfn.Condition.jsonata('{% $attempt < 5 %}'), backoff.next(call))
      .otherwise(giveUp);
    bump.next(again);
    const apply = Task.lambdaInvoke(stack, 'Apply changes', {
      lambdaFunction: fn(stack, 'ApplyFn'),
      payload: sfn.TaskInput.fromObject({ changes: '{% $states.input.response.changes %}' }),
    });
    const changed = Choice.jsonata(stack, 'Changes?')
      .when(sfn.Condition.jsonata('{% $count($states.input.response.changes) > 0 %}'), apply)
      .otherwise(new sfn.Succeed(stack, 'In sync'));
    call.next(changed);
    machine(stack, init.next(call));
  },
};
