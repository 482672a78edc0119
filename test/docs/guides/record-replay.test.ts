import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateMachineDefinition } from 'stepwright';
import { parseRecording, replay } from 'stepwright/testing';

// Made by: npx stepwright record <executionArn> --redact '$.customer.email' --out recordings/run-42.json
const recording = parseRecording(JSON.parse(fs.readFileSync(path.join(__dirname, 'recordings', 'run-42.json'), 'utf8')));

it('replays the order that failed in production', async () => {
  expect(await replay(recording)).toMatchRecording();
});

it('would ship that order with the new definition, which retries the carrier', async () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Charge',
    States: {
      Charge: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:charge', ResultPath: '$.payment', Next: 'Ship' },
      Ship: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:ship',
        Parameters: { 'orderId.$': '$.orderId', 'country.$': '$.address.country' },
        ResultPath: '$.shipment',
        Retry: [{ ErrorEquals: ['Carrier.Unavailable'], IntervalSeconds: 3600, MaxAttempts: 1 }], // new
        End: true,
      },
    },
  };
  const result = await replay(recording, {
    definition,
    fallback: () => ({ trackingNumber: '1Z-42' }), // answers the call the recording has no answer for
  });

  expect(result.unanswered).toEqual([]);
  expect(result.run).toSucceed();
  expect(result.run.output).toMatchObject({ shipment: { trackingNumber: '1Z-42' } });
  expect(result.describe()).toContain([
    'the sequence of states differs at step 4:',
    '  AWS:   nothing (the execution had ended)',
    "  local: left Task state 'Ship'",
  ].join('\n'));
});
