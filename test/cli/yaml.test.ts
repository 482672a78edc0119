import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';

/*
 * The command line reads the same files `stepwright mcp` does: YAML
 * definitions and templates too (workbench/commands/sources.ts is shared).
 */

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-yaml-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const ORDER = `StartAt: Check
States:
  Check:
    Type: Choice
    Choices:
      - Variable: $.total
        NumericGreaterThan: 100
        Next: Review
    Default: Approve
  Review: {Type: Pass, Result: review, End: true}
  Approve: {Type: Pass, Result: approved, End: true}
`;

const TEMPLATE = `Resources:
  Fn:
    Type: AWS::Lambda::Function
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !Sub arn:aws:iam::\${AWS::AccountId}:role/r
      DefinitionString: !Join
        - ''
        - - '{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"'
          - !GetAtt Fn.Arn
          - '","End":true}}}'
`;

describe('YAML definitions and templates', () => {
  it('runs a .asl.yaml definition as its JSON', async () => {
    const r = await cli('run', file('order.asl.yaml', ORDER), '--input', '{"total": 500}', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: 'review', path: ['Check', 'Review'] });
  });

  it('reads a YAML template, CloudFormation short forms (!Sub, !Join, !GetAtt) included', async () => {
    const mocks = file('mocks.json', JSON.stringify({ 'arn:aws:lambda:us-east-1:123456789012:function:Fn': 'done' }));
    const r = await cli('run', file('stack.template.yaml', TEMPLATE), '--mocks', mocks, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: 'done' });
  });

  it('reads an alias inside a short form as the value its anchor names', async () => {
    // Converted apart from the document, the alias inside !Select read as {"source": "shared"}.
    const template = `Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: P
        States:
          P:
            Type: Pass
            Result:
              a: &shared {k: 1}
              b: !Select [0, [*shared]]
              c: !Join ['-', &parts [x, y]]
              d: !Join ['+', *parts]
            End: true
`;
    const r = await cli('run', file('alias.template.yaml', template), '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: { a: { k: 1 }, b: { k: 1 }, c: 'x-y', d: 'x+y' } });
  });

  it.each([
    ['a duplicate key', 'StartAt: A\nStartAt: B\nStates: {}\n', /not valid YAML: Map keys must be unique at line 2/],
    ['an unknown tag', 'StartAt: !Nope A\nStates: {}\n', /not valid YAML: Unresolved tag: !Nope at line 1/],
    ['a number JSON cannot hold', 'StartAt: A\nStates: {A: {Type: Wait, Seconds: .inf, End: true}}\n', /not valid YAML: \/States\/A\/Seconds is Infinity, which JSON cannot hold/],
    // A short form's list is parsed as a list like any other: its aliases count toward the same bound.
    ['an alias expansion bomb inside short forms', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} !Join [',', [${Array.from({ length: 10 }, () => `*${String.fromCharCode(97 + i)}`).join(', ')}]]`).join('\n')}\n`, /not valid YAML: .*alias/i],
    ['an alias expansion bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n')}\n`, /not valid YAML: .*alias/i],
  ])('reports %s as an invalid definition, naming the line', async (_what, text, message) => {
    const r = await cli('validate', file(`bad-${Math.random().toString(36).slice(2)}.asl.yaml`, text), '--json');
    expect(r.code).toBe(1);
    const [report] = JSON.parse(r.out);
    expect(report.findings[0].code).toBe('INVALID_JSON_DESCRIPTION');
    expect(`${report.findings[0].message}`).toMatch(message);
  });
});

describe('templates', () => {
  it.each([
    ['JSON', '{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": '
      + '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"__proto__": {"x": 1}, "y": 2}, "End": true}}}}}}}'],
    ['YAML', 'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: P\n'
      + '        States:\n          P: {Type: Pass, Result: {__proto__: {x: 1}, y: 2}, End: true}\n'],
  ])('runs a %s template whose Definition holds a field named __proto__ with that field in the output', async (format, text) => {
    const r = await cli('run', file(`proto.template.${format.toLowerCase()}`, text), '--json');
    expect(r.err).toBe('');
    expect(r.out.replace(/\s/g, '')).toContain('"output":{"__proto__":{"x":1},"y":2}');
  });
});

describe('names a template does not hold', () => {
  it.each([
    ['{"Fn::FindInMap": ["constructor", "name", "length"]}', /Fn::FindInMap found nothing at Mappings\.constructor\.name\.length/],
    ['{"Fn::GetAtt": ["toString", "Arn"]}', /the template has no resource 'toString'/],
  ])('refuses %s, as CloudFormation does, never running on an inherited value', async (value, message) => {
    const r = await cli('run', file('inherited.template.json', '{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": '
      + `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a": ${value}}, "End": true}}}}}}}`), '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('a template nested deeper than Step Functions reads', () => {
  it.each(['run', 'validate', 'render'])('is refused by %s by name, with no stack', async (command) => {
    const deep = file('deep.template.json', '{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": '
      + `${'{"Fn::Join": ["", ['.repeat(5_000)}"x"${']]}'.repeat(5_000)}}}}}`);
    const r = await cli(command, deep);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(3);
    expect(r.err + r.out).toContain('deeper than 1,000 levels');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('mocks files', () => {
  it('reads a mock keyed __proto__ as a mock like any other, not as the table\'s prototype', async () => {
    // Written as text: in an object literal, __proto__ would set the prototype.
    const machine = file('proto.asl.json', '{"StartAt": "__proto__", "States": {"__proto__": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}');
    const mocks = file('proto-mocks.json', '{"__proto__": {"Return": "answered"}}');
    const r = await cli('run', machine, '--mocks', mocks, '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ status: 'SUCCEEDED', output: 'answered' });
  });
});
