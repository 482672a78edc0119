import * as fs from 'fs';
import * as path from 'path';
import { validateDefinition } from '../../../src/asl/validate';

// Every state machine of the synthesized CDK templates in ../shared validates
// once its DefinitionString is resolved. The resolver here is a minimal,
// test-only one (Fn::Join of strings, Ref and Fn::GetAtt into placeholder ARNs).
const DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'cdk-templates');
const present = fs.existsSync(DIR);
if (!present) console.warn(`cdk-templates test skipped: ${DIR} is absent`);
const run = present ? describe : describe.skip;

type Json = any;
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com',
};

function arnOf(id: string, type: string | undefined): string {
  const [, svc = 'svc', kind = 'res'] = (type ?? 'AWS::Svc::Res').split('::');
  const service = svc.toLowerCase();
  if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:us-east-1:123456789012:function:${id}`;
  if (type === 'AWS::StepFunctions::Activity') return `arn:aws:states:us-east-1:123456789012:activity:${id}`;
  if (type === 'AWS::StepFunctions::StateMachine') return `arn:aws:states:us-east-1:123456789012:stateMachine:${id}`;
  return `arn:aws:${service}:us-east-1:123456789012:${kind.toLowerCase()}/${id}`;
}

function resolve(value: Json, resources: Record<string, Json>): string {
  if (typeof value === 'string') return value;
  if ('Ref' in value) {
    const ref = value.Ref as string;
    if (ref in PSEUDO) return PSEUDO[ref];
    const type = resources[ref]?.Type as string | undefined;
    return type === 'AWS::StepFunctions::Activity' || type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::SNS::Topic' ? arnOf(ref, type) : ref;
  }
  if ('Fn::GetAtt' in value) {
    const [id, attr] = value['Fn::GetAtt'] as [string, string];
    return attr === 'Arn' ? arnOf(id, resources[id]?.Type) : `${id}${attr}`;
  }
  if ('Fn::Join' in value) {
    const [sep, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map((p) => resolve(p, resources)).join(sep);
  }
  throw new Error(`unsupported token ${JSON.stringify(value).slice(0, 80)}`);
}

function machines(): Array<[string, string]> {
  if (!present) return [];
  const out: Array<[string, string]> = [];
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    for (const [id, r] of Object.entries<Json>(template.Resources ?? {})) {
      if (r.Type !== 'AWS::StepFunctions::StateMachine' || !r.Properties.DefinitionString) continue;
      out.push([`${file} ${id}`, resolve(r.Properties.DefinitionString, template.Resources)]);
    }
  }
  return out;
}

run('validator on synthesized CDK templates', () => {
  const all = machines();
  it('finds the state machines of the templates', () => {
    expect(all.length).toBeGreaterThanOrEqual(70);
  });
  it.each(all)('accepts %s', (_name, definition) => {
    const errors = validateDefinition(definition).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});
