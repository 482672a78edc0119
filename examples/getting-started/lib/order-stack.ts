import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export class OrderStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const charge = new lambda.Function(this, 'ChargeFn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        'exports.handler = async (e) => { if (e.amount > 500) { const err = new Error("over limit"); err.name = "CardDeclined"; throw err; } return { chargeId: "ch_" + e.orderId }; };',
      ),
    });

    const chargeCard = new tasks.LambdaInvoke(this, 'Charge card', {
      lambdaFunction: charge,
      payload: sfn.TaskInput.fromObject({ orderId: sfn.JsonPath.stringAt('$.orderId'), amount: sfn.JsonPath.numberAt('$.amount') }),
      resultSelector: { 'chargeId.$': '$.Payload.chargeId' },
      resultPath: '$.payment',
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
    });
    chargeCard.addRetry({ errors: ['Lambda.TooManyRequestsException'], maxAttempts: 3, interval: Duration.seconds(2) });

    const declined = new sfn.Fail(this, 'Declined', { error: 'Payment.Declined' });
    chargeCard.addCatch(declined, { errors: ['CardDeclined'] });

    new sfn.StateMachine(this, 'Orders', {
      definitionBody: sfn.DefinitionBody.fromChainable(chargeCard.next(new sfn.Succeed(this, 'Done'))),
    });
  }
}
