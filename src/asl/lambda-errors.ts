/**
 * The error names a Task that calls Lambda fails with when the Lambda service, not the function,
 * fails: Step Functions names them `Lambda.` and the service's exception (Step Functions
 * Developer Guide, "Handling errors in Step Functions workflows" and the best practice "Handle
 * transient Lambda service exceptions"). The one place these names are written; the name of a
 * function's own error (its `errorType`, else `Lambda.Unknown`) is the Lambda row's of the
 * catalogue (integrations.ts, which imports nothing).
 * @internal
 */
export const LambdaErrors = {
  CLIENT_EXECUTION_TIMEOUT: 'Lambda.ClientExecutionTimeoutException',
  SERVICE: 'Lambda.ServiceException',
  AWS_LAMBDA: 'Lambda.AWSLambdaException',
  SDK_CLIENT: 'Lambda.SdkClientException',
  TOO_MANY_REQUESTS: 'Lambda.TooManyRequestsException',
} as const;
