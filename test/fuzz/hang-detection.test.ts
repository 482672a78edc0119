import type { FuzzCase } from './arbitraries';
import { checkCase, PropertyViolation } from './property';

/*
 * The property's hang check times progress, not the whole run: a case that records no history
 * event for hangMs counts as hung, however long it has run. A callback Task without TimeoutSeconds
 * whose handler never sends the token is such a case: nothing moves the virtual clock, and the
 * execution waits for sendTaskSuccess as AWS would.
 */
describe('the fuzz property\'s hang check', () => {
  it('reports a case that records no history event for hangMs as hung, naming the bound', async () => {
    const c: FuzzCase = {
      definition: {
        StartAt: 'Ask',
        States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } },
      },
      input: {},
      type: 'STANDARD',
      behaviours: [{ kind: 'return', value: {} }],
    };
    const outcome = checkCase(c, 200);
    await expect(outcome).rejects.toBeInstanceOf(PropertyViolation);
    await expect(outcome).rejects.toThrow('the execution recorded no history event for 200 ms of real time');
  });
});
