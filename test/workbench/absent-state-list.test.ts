import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { NAMES_LISTED } from '../../src/workbench/mocks/mock-config';
import { asl, ROLE, serve, until } from '../server/helpers';

/*
 * The advice on a state a MockConfigFile's test case mocks that the machine lacks lists the
 * machine's states as the refusal of a file read without a test case lists its test cases: the first
 * NAMES_LISTED and how many more, so that a machine of thousands of states makes no message of
 * thousands of names (at every door that runs a MockConfigFile).
 */

const STATES = 30;
const DEFINITION: StateMachineDefinition = {
  StartAt: 'P0',
  States: Object.fromEntries(Array.from({ length: STATES }, (_, i) => [`P${i}`, i + 1 < STATES ? { Type: 'Pass', Next: `P${i + 1}` } : { Type: 'Pass', End: true }])),
};
const CONFIG = { StateMachines: { Long: { TestCases: { T: { Gone: 'R' } } } }, MockedResponses: { R: { 0: { Return: 1 } } } };
const FIRST = Array.from({ length: NAMES_LISTED }, (_, i) => `P${i}`).join(', ');
const LISTED = `Its states: ${FIRST}, and ${STATES - NAMES_LISTED} more; rename the entry or remove it`;

describe('the advice on a mocked state the machine lacks', () => {
  it(`lists the first ${NAMES_LISTED} of the machine's states and counts the rest, in the jest harness`, async () => {
    const run = await Workflow.fromDefinition(DEFINITION, { name: 'Long' }).run({}, { mockConfig: { config: CONFIG, testCase: 'T' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toEqual([{ state: 'Gone', message: expect.stringContaining(LISTED) }]);
    expect(run.advice[0].message).not.toContain(`P${NAMES_LISTED}`);
  });

  it(`lists the first ${NAMES_LISTED} of the machine's states and counts the rest, in serve's log`, async () => {
    const env = await serve({ mockConfig: CONFIG });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Long', definition: asl(DEFINITION), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#T` }));
      expect((await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING')).status).toBe('SUCCEEDED');
      const advice = env.logs.filter((l) => l.includes("mocks state 'Gone'"));
      expect(advice).toEqual([expect.stringContaining(LISTED)]);
      expect(advice[0]).not.toContain(`P${NAMES_LISTED}`);
    } finally {
      await env.stop();
    }
  });

  it('still lists every state of a machine with few', async () => {
    const short: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } };
    const run = await Workflow.fromDefinition(short, { name: 'Long' }).run({}, { mockConfig: { config: CONFIG, testCase: 'T' } });
    expect(run.advice).toEqual([{ state: 'Gone', message: expect.stringContaining('Its states: A, B; rename the entry or remove it') }]);
  });
});
