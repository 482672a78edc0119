/*
 * The MockConfigFile that `sam init` writes for its Step Functions templates
 * (aws-sam-cli-app-templates, the Node.js `step-func` apps: statemachine/test/MockConfigFile.json),
 * run as its makefile runs it against Step Functions Local: every `${...}` of the definition
 * replaced by one function ARN, the file given to the server (SFN_MOCK_CONFIG there,
 * --mock-config here), an execution started on `<machine ARN>#<test case>`. The file's content is
 * written again below in this test's own form: its retry cases throw `States.TaskFailed` with no
 * Cause, which AWS's mock error model allows (MockErrorOutput.cause: Required: No), and the
 * template's mock of the DynamoDB Task is a history event's shape, not PutItem's answer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { ROLE, serve, until } from './helpers';
import type { JsonValue } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing';

/** What the makefile's `sed` puts in place of every `${...}` of the template's definition. */
const MOCK_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:mock';
const MACHINE_NAME = 'StockTradingLocalTesting';

/** A Task calling the mock function, with the template's Retry on States.TaskFailed. */
function task(next: string | undefined, interval: number, attempts: number, backoff: number, extra: object = {}): object {
  return {
    Type: 'Task',
    Resource: MOCK_FUNCTION,
    ...extra,
    Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: interval, MaxAttempts: attempts, BackoffRate: backoff }],
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

const DEFINITION = {
  Comment: 'A state machine that does mock stock trading.',
  StartAt: 'Check Stock Value',
  States: {
    'Check Stock Value': task('Buy or Sell?', 15, 5, 1.5),
    'Buy or Sell?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.stock_price', NumericLessThanEquals: 50, Next: 'Buy Stock' }],
      Default: 'Sell Stock',
    },
    'Sell Stock': task('Record Transaction', 2, 3, 1),
    'Buy Stock': task('Record Transaction', 2, 3, 1),
    'Record Transaction': task(undefined, 20, 5, 10, {
      Parameters: {
        TableName: MOCK_FUNCTION,
        Item: {
          Id: { 'S.$': '$.id' }, Type: { 'S.$': '$.type' }, Price: { 'N.$': '$.price' }, Quantity: { 'N.$': '$.qty' }, Timestamp: { 'S.$': '$.timestamp' },
        },
      },
    }),
  },
};

/** A trade as the template's stock-seller and stock-buyer functions answer. */
function trade(type: 'sell' | 'buy', price: string, qty: string): JsonValue {
  return { id: '8cd8e4d92fe716b7cedff5636ab9d24e', price, type, qty, timestamp: '2022-06-22T21:14:18.228Z' };
}

/** Three failures with States.TaskFailed and no Cause, then the answer: the template's retry cases. */
function failThriceThen(value: JsonValue): Record<string, object> {
  return { '0-2': { Throw: { Error: 'States.TaskFailed' } }, '3': { Return: value } };
}

const MOCK_CONFIG = {
  StateMachines: {
    [MACHINE_NAME]: {
      TestCases: {
        HappyPathSellStockTest: { 'Check Stock Value': 'Above50', 'Sell Stock': 'Sold', 'Record Transaction': 'Recorded' },
        HappyPathBuyStockTest: { 'Check Stock Value': 'Below50', 'Buy Stock': 'Bought', 'Record Transaction': 'Recorded' },
        CheckStockRetryOnServiceExceptionTest: { 'Check Stock Value': 'CheckFailsThrice', 'Sell Stock': 'Sold', 'Record Transaction': 'Recorded' },
        SellStockRetryOnServiceExceptionTest: { 'Check Stock Value': 'Above50', 'Sell Stock': 'SellFailsThrice', 'Record Transaction': 'Recorded' },
      },
    },
  },
  MockedResponses: {
    Above50: { 0: { Return: { stock_price: 98 } } },
    Below50: { 0: { Return: { stock_price: 32 } } },
    Sold: { 0: { Return: trade('sell', '98', '7') } },
    Bought: { 0: { Return: trade('buy', '32', '7') } },
    // The template answers the DynamoDB Task with what a Step Functions Local history event holds.
    Recorded: {
      0: {
        Return: {
          resourceType: 'dynamodb',
          resource: 'putItem',
          output: { SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'LAT641GUVNBRI0DC' } },
        },
      },
    },
    CheckFailsThrice: failThriceThen({ stock_price: 89 }),
    SellFailsThrice: failThriceThen(trade('sell', '98', '5')),
  },
};

/** What each test case does, read from a history: the states entered and the failures of each Task. */
interface Outcome {
  readonly status: string;
  readonly entered: string[];
  readonly failures: Array<{ state: string; details: Record<string, unknown> }>;
}

function outcomeOf(status: string, history: ReadonlyArray<{ type?: string } & Record<string, unknown>>): Outcome {
  const entered: string[] = [];
  const failures: Outcome['failures'] = [];
  let current = '';
  for (const e of history) {
    if (e.type!.endsWith('StateEntered')) {
      current = (e.stateEnteredEventDetails as { name: string }).name;
      entered.push(current);
    }
    if (e.type === 'LambdaFunctionFailed' || e.type === 'TaskFailed') {
      failures.push({ state: current, details: (e.lambdaFunctionFailedEventDetails ?? e.taskFailedEventDetails) as Record<string, unknown> });
    }
  }
  return { status, entered, failures };
}

const THRICE = (state: string): Outcome['failures'] => [1, 2, 3].map(() => ({ state, details: { error: 'States.TaskFailed' } }));

/** What every door must report for each test case. */
const EXPECTED: Record<string, Outcome> = {
  HappyPathSellStockTest: { status: 'SUCCEEDED', entered: ['Check Stock Value', 'Buy or Sell?', 'Sell Stock', 'Record Transaction'], failures: [] },
  HappyPathBuyStockTest: { status: 'SUCCEEDED', entered: ['Check Stock Value', 'Buy or Sell?', 'Buy Stock', 'Record Transaction'], failures: [] },
  CheckStockRetryOnServiceExceptionTest: {
    status: 'SUCCEEDED', entered: ['Check Stock Value', 'Buy or Sell?', 'Sell Stock', 'Record Transaction'], failures: THRICE('Check Stock Value'),
  },
  SellStockRetryOnServiceExceptionTest: {
    status: 'SUCCEEDED', entered: ['Check Stock Value', 'Buy or Sell?', 'Sell Stock', 'Record Transaction'], failures: THRICE('Sell Stock'),
  },
};

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sam-init-'));
  file = path.join(dir, 'MockConfigFile.json');
  fs.writeFileSync(file, JSON.stringify(MOCK_CONFIG, null, 4));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("sam init's step-func MockConfigFile, run as its makefile runs it", () => {
  describe('through serve --mock-config', () => {
    let env: Awaited<ReturnType<typeof serve>>;
    let arn: string;
    beforeAll(async () => {
      // The template's retries wait 15 s and more: 1000 times faster, the history keeps their length.
      env = await serve({ mockConfig: file, timeScale: 1000 });
      const definition = JSON.stringify(DEFINITION);
      const created = await env.sfn.send(new CreateStateMachineCommand({ name: MACHINE_NAME, definition, roleArn: ROLE }));
      arn = created.stateMachineArn!;
    });
    afterAll(() => env.stop());

    it('starts with the file, its Throws without a Cause taken', () => {
      expect(env.logs.join('\n')).toMatch(/MockConfigFile .*MockConfigFile\.json version [0-9a-f]{8}/);
    });

    for (const [testCase, expected] of Object.entries(EXPECTED)) {
      const retried = expected.failures.length > 0 ? 'the Task fails with States.TaskFailed and no cause three times, the Retry runs it again, ' : '';
      it(`runs ${testCase}: ${retried}it succeeds`, async () => {
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#${testCase}`, name: testCase }));
        const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
        const events: HistoryEvent[] = (await env.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
        const plain = events.map((e) => JSON.parse(JSON.stringify(e)) as { type?: string } & Record<string, unknown>);
        expect(outcomeOf(done.status!, plain)).toEqual(expected);
      });
    }
  });

  describe('through the jest harness (mockConfig: { file, testCase })', () => {
    const workflow = Workflow.fromDefinition(DEFINITION as never, { name: MACHINE_NAME });
    for (const [testCase, expected] of Object.entries(EXPECTED)) {
      it(`runs ${testCase} as serve does`, async () => {
        const run = await workflow.run({}, { mockConfig: { file, testCase } });
        expect(outcomeOf(run.status, run.history as unknown as Array<{ type?: string } & Record<string, unknown>>)).toEqual(expected);
      });
    }
  });
});
