import { findingOf, machine, reaching, replays, runScenario } from './helpers';
import { checkAnswer, type Shape } from '../../src/contracts';
import { conformAnswer, madeUpAnswer, modelAllowsPlaced, modelErrors, requestSeed } from '../../src/explore/contract-answers';

const START = 'arn:aws:states:::aws-sdk:sfn:startExecution';

describe('explore: answers and errors from the contract', () => {
  it('makes up an answer with every required field of the output model, of its type', () => {
    const answer = madeUpAnswer(START);
    expect(answer).toEqual({ ExecutionArn: expect.stringMatching(/^arn:aws:/), StartDate: expect.any(String) });
    expect(checkAnswer(START, answer, 'STRICT')).toEqual([]);
  });

  it('makes up answers STRICT accepts for every operation of a service whose outputs nest required fields', () => {
    for (const resource of ['arn:aws:states:::aws-sdk:ec2:describeInstances', 'arn:aws:states:::aws-sdk:s3:listObjectsV2', 'arn:aws:states:::aws-sdk:ecs:describeServices',
      'arn:aws:states:::aws-sdk:bedrock:getEvaluationJob', 'arn:aws:states:::ecs:runTask', 'arn:aws:states:::states:startExecution']) {
      expect(checkAnswer(resource, madeUpAnswer(resource), 'STRICT')).toEqual([]);
    }
  });

  it('answers an empty object where no model describes the answer (a Lambda payload, a callback, an activity)', () => {
    expect(madeUpAnswer('arn:aws:states:::lambda:invoke')).toEqual({});
    expect(madeUpAnswer('arn:aws:lambda:us-east-1:1:function:f')).toEqual({});
    expect(madeUpAnswer('arn:aws:states:::sqs:sendMessage.waitForTaskToken')).toEqual({});
  });

  it('lists the errors the model says a Task raises, without the generic ones', () => {
    expect(modelErrors('arn:aws:states:::dynamodb:getItem')).toEqual(expect.arrayContaining(['DynamoDB.ResourceNotFoundException', 'DynamoDB.ProvisionedThroughputExceededException']));
    expect(modelErrors('arn:aws:states:::dynamodb:getItem')).not.toContain('DynamoDB.AmazonDynamoDBException');
    expect(modelErrors('arn:aws:states:::dynamodb:getItem').some((e) => e.startsWith('States.'))).toBe(false);
    expect(modelErrors('arn:aws:states:::lambda:invoke.waitForTaskToken')).toEqual([]);
  });

  it('reaches the states after an aws-sdk Task whose answer has required fields, under the default STRICT mock validation', async () => {
    const wf = machine({
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: START, Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:child' }, Next: 'Started' },
        Started: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 2, total: 2 });
    const scenario = report.scenarios.find((s) => s.path.includes('Started'))!;
    expect(scenario.status).toBe('SUCCEEDED');
    const run = await runScenario(wf, scenario);
    expect(run.status).toBe('SUCCEEDED');
  });

  it('fails a Task nothing handles with an error its model names, and names the others it can raise', async () => {
    const wf = machine({
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: { id: { S: '1' } } }, End: true } },
    });
    const report = await wf.explore();
    const { finding, scenario } = findingOf(report, 'unhandled-error');
    expect(finding.message).toContain('DynamoDB.ResourceNotFoundException');
    expect(finding.message).toContain('States.TaskFailed');
    const run = await runScenario(wf, scenario);
    expect(run.error).toBe(finding.error);
    expect(finding.error).toMatch(/^DynamoDB\.\w+Exception$/);
  });
});

describe('explore: answers it writes keep within the answer model\'s enums and bounds, which STRICT and PRESENT check', () => {
  const GET_JOB_RUN = 'arn:aws:states:::aws-sdk:glue:getJobRun';

  it('gives an enum field a value of its enum, keeping one that is', () => {
    // botocore's glue model: JobRunState is an enum (STARTING, RUNNING, …, SUCCEEDED, …).
    const placeholder = conformAnswer(GET_JOB_RUN, { JobRun: { JobRunState: 'JobRunState' } }) as { JobRun: { JobRunState: string } };
    expect(checkAnswer(GET_JOB_RUN, placeholder, 'STRICT')).toEqual([]);
    expect(conformAnswer(GET_JOB_RUN, { JobRun: { JobRunState: 'FAILED' } })).toEqual({ JobRun: { JobRunState: 'FAILED' } });
  });

  it('gives a text outside the enum an enum value the machine does not compare with, so an answer written to differ still does', () => {
    const CRAWLER = 'arn:aws:states:::aws-sdk:glue:getCrawler';
    // glue's CrawlerState: READY, RUNNING, STOPPING.
    expect(conformAnswer(CRAWLER, { Crawler: { State: '' } }, new Set(['READY']))).toMatchObject({ Crawler: { State: 'RUNNING' } });
    expect(conformAnswer(CRAWLER, { Crawler: { State: '' } })).toMatchObject({ Crawler: { State: 'READY' } });
  });

  it('takes the Default of a Choice on an enum field of an SDK answer by an enum value the rules do not name', async () => {
    const wf = machine({
      StartAt: 'Get crawler',
      States: {
        'Get crawler': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:getCrawler', Parameters: { Name: 'c' }, Next: 'Ready?' },
        'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.Crawler.State', StringEquals: 'READY', Next: 'Ready' }], Default: 'Busy' },
        'Ready': { Type: 'Succeed' },
        'Busy': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.choiceRules).toMatchObject({ reached: 2, total: 2, notReached: [] });
  });

  it('keeps a made-up number and text within the model\'s bounds', () => {
    const answer = conformAnswer(GET_JOB_RUN, { JobRun: { Attempt: 2.6, ExecutionTime: '90', Id: '' } });
    // glue's IdString is at least 1 long (botocore's glue model).
    expect(answer).toMatchObject({ JobRun: { Attempt: 3, ExecutionTime: 90, Id: '0' } });
    expect(checkAnswer(GET_JOB_RUN, answer, 'STRICT')).toEqual([]);
  });

  it('reaches every state of a JSONata poller that branches on a Glue job run\'s state', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Get job run',
      States: {
        'Get job run': {
          Type: 'Task',
          Resource: GET_JOB_RUN,
          Arguments: { JobName: 'nightly', RunId: 'r' },
          Assign: { runState: '{% $states.result.JobRun.JobRunState %}' },
          Output: '{% {"seconds": $states.result.JobRun.ExecutionTime} %}',
          Next: 'Job state?',
        },
        'Job state?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $runState = "SUCCEEDED" %}', Next: 'Slow?' },
            { Condition: '{% $runState in ["FAILED", "ERROR"] %}', Next: 'Job failed' },
          ],
          Default: 'Job running',
        },
        'Slow?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.seconds > 3600 %}', Next: 'Slow' }], Default: 'Done' },
        'Slow': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
        'Job failed': { Type: 'Fail', Error: 'Glue.JobFailed' },
        'Job running': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.states).toMatchObject({ reached: 7, total: 7, notReached: [] });
  });
});

describe('explore: an answer member the model types is absent, never null, as AWS leaves it out', () => {
  const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
  const QUERY = 'arn:aws:states:::aws-sdk:dynamodb:query';

  it('leaves out a null written where the model types the member (GetItem answers no Item when there is none)', () => {
    expect(conformAnswer(GET_ITEM, { Item: null })).toEqual({});
    expect(conformAnswer(QUERY, { Items: [null, { id: { S: 'a' } }], Count: null })).toEqual({ Items: [{ id: { S: 'a' } }] });
  });

  it('keeps a null in an answer no model describes: a Lambda function may return null', () => {
    expect(conformAnswer('arn:aws:states:::lambda:invoke', { item: null })).toEqual({ item: null });
  });

  it('refuses to place a null in a typed member of an answer; an answer no model describes takes one', () => {
    expect(modelAllowsPlaced(GET_ITEM, { Item: {} }, { Item: null })).toBe(false);
    expect(modelAllowsPlaced(GET_ITEM, { Item: {} }, {})).toBe(true);
    expect(modelAllowsPlaced('arn:aws:states:::lambda:invoke', {}, { item: null })).toBe(true);
  });
});

describe('explore: input values of the kind of the request member they flow into', () => {
  const string = { type: 'string' } as Shape;
  it('seeds a string member with the field\'s name, a number with 1, a boolean, a time, a list and an object by their kind', () => {
    expect(requestSeed(string, ['order', 'batchId'])).toBe('batchId');
    expect(requestSeed({ type: 'integer' } as Shape, ['delay'])).toBe(1);
    expect(requestSeed({ type: 'boolean' } as Shape, ['strong'])).toBe(true);
    expect(requestSeed({ type: 'timestamp' } as Shape, ['at'])).toBe('2024-01-01T00:00:00.000Z');
    expect(requestSeed({ type: 'list', member: string } as Shape, ['ids'])).toEqual([]);
    expect(requestSeed({ type: 'document' } as Shape, ['any'])).toBeUndefined();
  });

  it('keeps within what a member\'s enum and bounds allow, where the contract has them', () => {
    expect(requestSeed({ type: 'string', enum: ['STANDARD', 'EXPRESS'] } as unknown as Shape, ['type'])).toBe('STANDARD');
    expect(requestSeed({ type: 'string', min: 12 } as unknown as Shape, ['id'])).toBe('idxxxxxxxxxx');
    expect(requestSeed({ type: 'string', max: 3 } as unknown as Shape, ['region'])).toBe('reg');
    expect(requestSeed({ type: 'integer', min: 60, max: 3600 } as unknown as Shape, ['timeout'])).toBe(60);
    expect(requestSeed({ type: 'integer', max: 0 } as unknown as Shape, ['count'])).toBe(0);
  });
});

describe('explore keeps a JSONPath rule\'s field at a value the Task lets through (issue 77)', () => {
  // "A status code of 2XX indicates success ... All other status codes ... will result in an error" (connect-api-gateway.html).
  const apiCall = (choices: object[]) => machine({
    StartAt: 'Call API',
    States: {
      'Call API': { Type: 'Task', Resource: 'arn:aws:states:::apigateway:invoke', Parameters: { ApiEndpoint: 'abc.execute-api.us-east-1.amazonaws.com', Method: 'GET', AuthType: 'IAM_ROLE' }, Next: 'Call Successful?' },
      'Call Successful?': { Type: 'Choice', Choices: choices, Default: 'Notify Failure' },
      'Notify Success': { Type: 'Succeed' },
      ...(choices.length > 1 ? { 'Too many': { Type: 'Succeed' } } : {}),
      'Notify Failure': { Type: 'Fail', Error: 'Call.NotSuccessful' },
    },
  });

  it('takes the Default of a rule on StatusCode 200 with another 2xx status, not one that fails the Task', async () => {
    const wf = apiCall([{ Variable: '$.StatusCode', NumericEquals: 200, Next: 'Notify Success' }]);
    const report = await wf.explore();
    const scenario = reaching(report, 'states', 'Notify Failure');
    const status = (scenario.mocks['Call API'] as { Return: { StatusCode: number } }).Return.StatusCode;
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThanOrEqual(299);
    expect(status).not.toBe(200);
    expect(report.states.notReached).toEqual([]);
    for (const s of report.scenarios) await replays(wf, s);
  });

  it('names the Task, the field and what its service refuses when a rule needs a status no answer that goes on has', async () => {
    const report = await apiCall([
      { Variable: '$.StatusCode', NumericEquals: 200, Next: 'Notify Success' },
      { Variable: '$.StatusCode', NumericEquals: 429, Next: 'Too many' },
    ]).explore();
    const goal = [...report.choiceRules.unreachable, ...report.choiceRules.notReached].find((n) => n.rule === 'Call Successful?#1');
    expect(goal?.reason).toMatch(/'Call API'/);
    expect(goal?.reason).toMatch(/\.StatusCode/);
    expect(goal?.reason).toMatch(/outside \[200, 299\]/);
  });
});
