import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRecording, replay, succeed, Workflow } from 'stepwright/testing';

// A recorded execution replays exactly, every event of its history compared, even though its
// definition draws a UUID, a random number and the time: each is taken from the recording.
it('replays the order that failed in production', async () => {
  const recording = parseRecording(JSON.parse(fs.readFileSync(path.join(__dirname, 'recordings', 'run-42.json'), 'utf8')));
  expect(await replay(recording)).toMatchRecording();
});

// What no definition can tell (what a service answered when it took the work, the worker that
// took an activity) the mock says, and the history shows it as AWS would.
const approval = Workflow.fromDefinition({
  StartAt: 'AskApproval',
  States: {
    AskApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/approvals', MessageBody: { 'token.$': '$$.Task.Token' } },
      Next: 'Review',
    },
    Review: { Type: 'Task', Resource: 'arn:aws:states:eu-west-1:123456789012:activity:review', End: true },
  },
});

it('records what SQS answered and which worker reviewed', async () => {
  const run = await approval.run({ orderId: 'o-1' }, {
    mocks: {
      AskApproval: succeed({ approved: true }, { submitted: { MessageId: 'm-1', MD5OfMessageBody: '9a0b' } }),
      Review: succeed({ ok: true }, { workerName: 'reviewer-7' }),
    },
  });
  expect(run.history.find((e) => e.type === 'TaskSubmitted')?.taskSubmittedEventDetails)
    .toMatchObject({ output: '{"MessageId":"m-1","MD5OfMessageBody":"9a0b"}' });
  expect(run.history.find((e) => e.type === 'ActivityStarted')?.activityStartedEventDetails).toEqual({ workerName: 'reviewer-7' });
});
