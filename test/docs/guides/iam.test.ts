import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { checkPermissions, Workflow } from 'stepwright/testing';

/** A state machine that saves an order with a hand-written Task: aws-cdk-lib grants it nothing. */
function ordersStack(grant: boolean): Stack {
  const stack = new Stack(new App(), 'Orders');
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const save = new sfn.CustomState(stack, 'Save', {
    stateJson: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: table.tableName, Item: { id: { 'S.$': '$.orderId' } } },
    },
  });
  const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(save) });
  if (grant) table.grantWriteData(machine);
  return stack;
}

it('finds the permission the Task lacks, and says how to grant it', () => {
  const [report] = checkPermissions(ordersStack(false));

  expect(report.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error MISSING_PERMISSION']);
  expect(report.findings[0].message).toContain("state 'Save' needs dynamodb:PutItem");
  expect(report.findings[0].fix).toContain('table.grantReadWriteData(stateMachine)');
});

it('passes once the table grants the state machine its writes', () => {
  expect(Workflow.fromStack(ordersStack(true))).toHaveTaskPermissions();
});

it('fails the Task as AWS would when a run checks permissions', async () => {
  const run = await Workflow.fromStack(ordersStack(false)).run({ orderId: 'o-1' }, { mocks: { Save: {} }, permissions: true });

  expect(run).toFail('DynamoDB.AccessDeniedException', expect.stringContaining('is not authorized to perform: dynamodb:PutItem'));
});
