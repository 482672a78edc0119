import { App, Stack, Token } from 'aws-cdk-lib';
import { stackResolveOptions } from '../../src/cfn/stack-facts';

describe('stackResolveOptions', () => {
  it('names an environment-agnostic stack by its construct id and leaves region and account to the defaults', () => {
    expect(stackResolveOptions(new Stack(new App(), 'Orders'), Token.isUnresolved)).toEqual({ stackName: 'Orders' });
  });

  it('takes the stack name, region and account when they are concrete', () => {
    const stack = new Stack(new App(), 'Orders', { stackName: 'orders-prod', env: { account: '111122223333', region: 'eu-west-1' } });
    expect(stackResolveOptions(stack, Token.isUnresolved)).toEqual({ stackName: 'orders-prod', region: 'eu-west-1', account: '111122223333' });
  });
});
