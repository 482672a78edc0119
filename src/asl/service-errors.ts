/**
 * The error names a Task fails with when a call to a service fails in a way no operation of the
 * service's model names: the service's base exception, the SDK's own failure to call, the client's
 * time limit, and the role's missing permission. Each is `<prefix>.<Name>`, where the prefix is
 * the integration's (the catalogue's `errorPrefix` for an optimized integration, `SQS`; the model
 * index's for an AWS SDK integration, `Sqs`), and the name is the class the AWS SDK for Java raises
 * ("AWS SDK service integrations" and "Handling errors in Step Functions workflows", Step Functions
 * Developer Guide). The one place these names are built; a name the model gives an error is
 * built from the model (contracts/error-names.ts), and Lambda's are LambdaErrors (lambda-errors.ts).
 * @internal
 */
export const ServiceErrors = {
  /**
   * The base exception's class, `DynamoDbException` for the prefix `DynamoDb`: what the SDK for
   * Java 2.x raises for an error the model does not name (a recorded unmodeled validation error of
   * Secrets Manager fails with `SecretsManager.SecretsManagerException`).
   */
  baseClass: (prefix: string): string => `${prefix}Exception`,
  /** The base exception under its prefix: `DynamoDb.DynamoDbException`. */
  base: (prefix: string): string => `${prefix}.${ServiceErrors.baseClass(prefix)}`,
  /** The SDK's own failure to call or to read the answer: `S3.SdkClientException`. */
  sdkClient: (prefix: string): string => `${prefix}.SdkClientException`,
  /** A call past the client's time limit: `SQS.ClientExecutionTimeoutException`, which a Retry may name. */
  clientExecutionTimeout: (prefix: string): string => `${prefix}.ClientExecutionTimeoutException`,
  /** The role may not call the service: `DynamoDB.AccessDeniedException` (iam/access-denied.ts words its cause). */
  accessDenied: (prefix: string): string => `${prefix}.AccessDeniedException`,
  /**
   * A request its service refused as invalid, when the service's model names the exception:
   * `DynamoDb.ValidationException` (AWS's JSON services' validation error).
   */
  validation: (prefix: string): string => `${prefix}.ValidationException`,
  /** An error the service's model (or AWS's page) names, as a Task reports it: `Sqs.QueueDoesNotExistException`. */
  named: (prefix: string, name: string): string => `${prefix}.${name}`,
} as const;
