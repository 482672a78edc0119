import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { findExpressViolations } from '../../src/constructs/express-validation';

function expressMachine(stack: Stack, resource: string, substitutions?: Record<string, string>): void {
  const ask = new sfn.CustomState(stack, 'Ask', {
    stateJson: { Type: 'Task', Resource: resource, Parameters: { 'TaskToken.$': '$$.Task.Token' }, TimeoutSeconds: 60 },
  });
  new sfn.StateMachine(stack, 'Machine', {
    stateMachineType: sfn.StateMachineType.EXPRESS,
    definitionBody: sfn.DefinitionBody.fromChainable(ask),
    ...(substitutions ? { definitionSubstitutions: substitutions } : {}),
    timeout: Duration.minutes(1),
  });
}

describe('findExpressViolations', () => {
  it('sees a callback Resource that DefinitionSubstitutions puts into the definition', () => {
    const stack = new Stack(new App(), 'Test');
    expressMachine(stack, '${Pattern}', { Pattern: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken' });
    expect(findExpressViolations(stack)).toEqual([expect.stringMatching(/State 'Ask' in EXPRESS state machine 'Test\/Machine' uses the callback pattern/)]);
  });

  it('sees an activity referenced by its ARN attribute, resolved as the harness resolves it', () => {
    const stack = new Stack(new App(), 'Test');
    const activity = new sfn.Activity(stack, 'Review');
    expressMachine(stack, activity.activityArn);
    expect(findExpressViolations(stack)).toEqual([expect.stringMatching(/State 'Ask' .* uses an activity/)]);
  });

  it('finds nothing wrong with a request-response task', () => {
    const stack = new Stack(new App(), 'Test');
    expressMachine(stack, 'arn:aws:states:::sqs:sendMessage');
    expect(findExpressViolations(stack)).toEqual([]);
  });
});
