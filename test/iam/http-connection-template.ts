/**
 * A template whose machine calls an HTTP endpoint through an EventBridge connection (as aws-cdk-lib's
 * HttpInvoke writes it: the endpoint a States.Format of literals), and whose role is granted the
 * endpoint, the connection's credentials and its secret on `secretResource`: `{ 'Fn::GetAtt':
 * ['Conn', 'SecretArn'] }` is the secret's ARN, `{ 'Fn::GetAtt': ['Conn', 'Arn'] }` the connection's
 * (the wrong one). The CLI's and the MCP server's IAM checks are tested on it.
 */
export function httpConnectionTemplate(secretResource: unknown): object {
  return {
    Resources: {
      Conn: { Type: 'AWS::Events::Connection', Properties: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } } },
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      Grant: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'p',
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: { StringLike: { 'states:HTTPEndpoint': 'https://api.example.com/*' } } },
              { Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: { 'Fn::GetAtt': ['Conn', 'Arn'] } },
              { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secretResource },
            ],
          },
        },
      },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":5,"Parameters":{"ApiEndpoint.$":"States.Format(\'{}/{}\', \'https://api.example.com\', \'items\')","Method":"GET","Authentication":{"ConnectionArn":"', { 'Fn::GetAtt': ['Conn', 'Arn'] }, '"}},"End":true}}}']] },
        },
      },
    },
  };
}
