/*
 * What the machines of the modern corpus share: the AWS resources they call (functions, a
 * bucket, tables, topics, queues), named as a real app names them, and the state machine each
 * stack synthesizes. Every machine is JSONata-first: the state machine's QueryLanguage is JSONata
 * and every state inherits it.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export const JSONATA = sfn.QueryLanguage.JSONATA;

/** A Lambda function of the app (its code is not what the corpus is about). */
export function fn(scope: Construct, name: string): lambda.Function {
  return new lambda.Function(scope, name, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
    timeout: Duration.seconds(30),
  });
}

export function table(scope: Construct, name: string, key = 'pk'): dynamodb.Table {
  return new dynamodb.Table(scope, name, { partitionKey: { name: key, type: dynamodb.AttributeType.STRING } });
}

export function bucket(scope: Construct, name: string): s3.Bucket {
  return new s3.Bucket(scope, name);
}

export function topic(scope: Construct, name: string): sns.Topic {
  return new sns.Topic(scope, name);
}

export function queue(scope: Construct, name: string): sqs.Queue {
  return new sqs.Queue(scope, name);
}

/** The one state machine of a corpus stack, JSONata-first. */
export function machine(scope: Construct, chain: sfn.IChainable, type = sfn.StateMachineType.STANDARD): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Machine', {
    queryLanguage: JSONATA,
    stateMachineType: type,
    definitionBody: sfn.DefinitionBody.fromChainable(chain),
  });
}

/** A machine of the corpus: the stack's name and what builds its state machine. */
export interface ModernMachine {
  readonly name: string;
  /** The shape it stands for, as the issue names them. */
  readonly shape: 'document pipeline' | 'order saga' | 'ETL over S3' | 'human approval' | 'polling loop' | 'service workflow';
  build(stack: Stack): void;
}
