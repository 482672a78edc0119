/*
 * A template's Parameters checked as CloudFormation checks them when it creates the stack
 * (parameters-section-structure.html): the value in effect, given or the Default, against the
 * declaration, and a value for a parameter the template does not declare refused. Each message
 * is the one CloudFormation's CreateStack answers, with the value given.
 */
import { thrown } from './thrown';
import { extractStateMachines, type ExtractOptions } from '../../src/workbench/template';

/** A template whose state machine names its Glue job by the parameter `Job`, with `declarations` beside it. */
function templateWith(declarations: Record<string, object>): object {
  return {
    Parameters: { Job: { Type: 'String', Default: 'nightly' }, ...declarations },
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          Definition: { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun', Parameters: { JobName: { Ref: 'Job' } }, End: true } } },
          RoleArn: 'arn:aws:iam::123456789012:role/r',
        },
      },
    },
  };
}

const load = (declarations: Record<string, object>, parameters?: ExtractOptions['parameters']): unknown =>
  extractStateMachines(templateWith(declarations), parameters ? { parameters } : {});

/** The TemplateError loading throws, as its code and message. */
function refusal(declarations: Record<string, object>, parameters?: ExtractOptions['parameters']): { code: string; message: string } {
  const e = thrown(() => load(declarations, parameters));
  return { code: e.code, message: e.message };
}

describe('template parameters checked as CloudFormation checks them at deploy', () => {
  const ENV = { Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' } };

  it('refuses a value outside AllowedValues, in CloudFormation\'s words', () => {
    expect(refusal(ENV, { Env: 'staging' })).toEqual({
      code: 'INVALID_PARAMETER_VALUE', message: "Parameter 'Env' must be one of AllowedValues (dev, prod); got 'staging'",
    });
    expect(load(ENV, { Env: 'prod' })).toHaveLength(1);
  });

  it("says the template's ConstraintDescription instead, as CloudFormation does", () => {
    const described = { Env: { ...ENV.Env, ConstraintDescription: 'Must be dev or prod.' } };
    expect(refusal(described, { Env: 'staging' }).message).toBe("Parameter Env failed to satisfy constraint: Must be dev or prod.; got 'staging'");
  });

  it('refuses a Default outside AllowedValues when no value is given, and takes a given value over it', () => {
    const badDefault = { Env: { ...ENV.Env, Default: 'staging' } };
    expect(refusal(badDefault).message).toBe("Parameter 'Env' must be one of AllowedValues (dev, prod); got 'staging' (its Default)");
    expect(load(badDefault, { Env: 'dev' })).toHaveLength(1);
  });

  it('reads AllowedValues written as YAML booleans or numbers as the text they stand for', () => {
    expect(load({ Flag: { Type: 'String', AllowedValues: [true, false], Default: false } }, { Flag: 'true' })).toHaveLength(1);
    expect(load({ Size: { Type: 'Number', AllowedValues: [128, 256], Default: 128 } }, { Size: '256.0' })).toHaveLength(1);
  });

  it('refuses a value AllowedPattern does not match as a whole', () => {
    const named = { Name: { Type: 'String', AllowedPattern: '[a-z]+' } };
    expect(refusal(named, { Name: 'etl-1' }).message).toBe("Parameter 'Name' must match pattern [a-z]+; got 'etl-1'");
    expect(load(named, { Name: 'etl' })).toHaveLength(1);
  });

  it('matches AllowedPattern against each member of a CommaDelimitedList', () => {
    const profiles = { Profiles: { Type: 'CommaDelimitedList', AllowedPattern: '\\w+' } };
    expect(refusal(profiles, { Profiles: 'dev,te st' }).message).toBe("Parameter 'Profiles' must match pattern \\w+; got 'dev,te st'");
    expect(load(profiles, { Profiles: 'dev,test' })).toHaveLength(1);
    expect(load(profiles, { Profiles: ['dev', 'test'] })).toHaveLength(1);
  });

  it('refuses a String shorter than MinLength or longer than MaxLength', () => {
    const sized = { Code: { Type: 'String', MinLength: 2, MaxLength: '4' } };
    expect(refusal(sized, { Code: 'a' }).message).toBe("Parameter 'Code' must contain at least 2 characters; got 'a'");
    expect(refusal(sized, { Code: 'abcde' }).message).toBe("Parameter 'Code' must contain at most 4 characters; got 'abcde'");
    expect(load(sized, { Code: 'abcd' })).toHaveLength(1);
  });

  it('refuses a Number that is not one, or lies outside MinValue and MaxValue', () => {
    const count = { Count: { Type: 'Number', MinValue: 1, MaxValue: '10', Default: 3 } };
    expect(refusal(count, { Count: 'ten' }).message).toBe("Parameter 'Count' must be a number; got 'ten'");
    expect(refusal(count, { Count: '0' }).message).toBe("Parameter 'Count' must be a number not less than 1; got '0'");
    expect(refusal(count, { Count: '10.5' }).message).toBe("Parameter 'Count' must be a number not greater than 10; got '10.5'");
    expect(refusal(count, { Count: '0x5' }).message).toBe("Parameter 'Count' must be a number; got '0x5'");
    expect(load(count, { Count: '1e1' })).toHaveLength(1);
    expect(load(count)).toHaveLength(1);
  });

  it('refuses a List<Number> with a member that is not a number', () => {
    const ports = { Ports: { Type: 'List<Number>' } };
    expect(refusal(ports, { Ports: '80,http' }).message).toBe("Parameter 'Ports' must be a number; got '80,http'");
    expect(load(ports, { Ports: '80,443' })).toHaveLength(1);
  });

  it("masks a NoEcho parameter's value in the refusal, as CloudFormation masks it", () => {
    const secret = { Token: { Type: 'String', NoEcho: true, MinLength: 8 } };
    expect(refusal(secret, { Token: 'hunter2' }).message).toBe("Parameter 'Token' must contain at least 8 characters; got '****'");
  });

  it('reads a Unicode property in AllowedPattern as Java does, and lets through an escape JavaScript reads otherwise', () => {
    const tag = { Tag: { Type: 'String', AllowedPattern: '[\\p{L}\\p{N}_.:/=+\\-@]*' } };
    expect(load(tag, { Tag: 'équipe-1' })).toHaveLength(1);
    expect(refusal(tag, { Tag: 'a b' }).message).toBe("Parameter 'Tag' must match pattern [\\p{L}\\p{N}_.:/=+\\-@]*; got 'a b'");
    // Java's \A and \z anchor; JavaScript would read them as the letters A and z.
    expect(load({ Anchored: { Type: 'String', AllowedPattern: '\\A[a-z]+\\z' } }, { Anchored: 'abc' })).toHaveLength(1);
    // A POSIX class of Java's that JavaScript does not know.
    expect(load({ Posix: { Type: 'String', AllowedPattern: '\\p{Alnum}+' } }, { Posix: 'abc' })).toHaveLength(1);
  });

  it('lets through what only the account can tell, and a pattern JavaScript cannot read', () => {
    // CloudFormation checks an AWS::EC2 id against the account, and reads an SSM parameter from it.
    expect(load({ Vpc: { Type: 'AWS::EC2::VPC::Id', AllowedValues: ['vpc-1'] } }, { Vpc: 'vpc-2' })).toHaveLength(1);
    expect(load({ Key: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/key', AllowedPattern: '[a-z]+' } })).toHaveLength(1);
    expect(load({ Odd: { Type: 'String', AllowedPattern: '[a-z' } }, { Odd: 'A' })).toHaveLength(1);
  });

  it('gives a Ref to a Number or a YAML-typed Default as a string, as CloudFormation does', () => {
    const template = templateWith({}) as { Parameters: Record<string, object> };
    template.Parameters.Job = { Type: 'Number', Default: 7 };
    const [machine] = extractStateMachines(template);
    expect(machine.definition.States.Run).toMatchObject({ Parameters: { JobName: '7' } });
    template.Parameters.Job = { Type: 'String', Default: true };
    expect(extractStateMachines(template)[0].definition.States.Run).toMatchObject({ Parameters: { JobName: 'true' } });
  });

  it('refuses a value for a parameter the template does not declare, naming those it declares', () => {
    expect(refusal(ENV, { Enviroment: 'dev', Job: 'x' })).toEqual({
      code: 'UNDECLARED_PARAMETER', message: 'Parameters: [Enviroment] do not exist in the template; it declares Job, Env',
    });
    const bare = { Resources: {} };
    expect(thrown(() => extractStateMachines(bare, { parameters: { Env: 'dev' } })).message)
      .toBe('Parameters: [Env] do not exist in the template; it declares no Parameters');
  });
});
