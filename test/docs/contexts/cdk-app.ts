// Names the builder guides' fragments use: the app, and functions and tasks defined elsewhere in the stack.
import type { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

export declare const app: App;
export declare const stack: Stack;
export declare const chargeFn: lambda.Function;
export declare const refundFn: lambda.Function;
export declare const notifyFn: lambda.Function;
export declare const apiHandler: lambda.Function;
export declare const bookFlight: sfn.TaskStateBase;
export declare const cancelFlight: sfn.TaskStateBase;
export declare const bookCar: sfn.TaskStateBase;
export declare const cancelCar: sfn.TaskStateBase;
export declare const bookHotel: sfn.TaskStateBase;
export declare const cancelHotel: sfn.TaskStateBase;
export declare const notifyTraveller: sfn.TaskStateBase;
export declare const chargeCard: sfn.TaskStateBase;
export declare const notifyDeclined: sfn.TaskStateBase;
export declare const alertOnCall: sfn.TaskStateBase;
export declare const releaseLock: sfn.TaskStateBase;
export declare const bucket: s3.IBucket;
export declare const importRow: sfn.TaskStateBase;
