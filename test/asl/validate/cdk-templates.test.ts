import * as fs from 'fs';
import * as path from 'path';
import { validateDefinition } from '../../../src/asl/validate';
import { extractStateMachines } from '../../../src/workbench/template';
import { describeWithShared, sharedPath } from '../../shared-data';

// Every state machine of the templates the AWS CDK's own integ tests synthesized
// (../shared/cdk-templates) validates once the harness has resolved its tokens.
const DIR = sharedPath('cdk-templates');

function machines(): Array<[string, unknown, 'STANDARD' | 'EXPRESS']> {
  const out: Array<[string, unknown, 'STANDARD' | 'EXPRESS']> = [];
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    for (const m of extractStateMachines(template)) out.push([`${file} ${m.logicalId}`, m.definition, m.type]);
  }
  return out;
}

describeWithShared('cdk-templates', 'validator on synthesized CDK templates', () => {
  const all = machines();
  it('finds all 79 state machines of the 70 templates', () => {
    expect(all.length).toBe(79);
  });
  it.each(all)('accepts %s', (_name, definition, type) => {
    const errors = validateDefinition(definition, { type }).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});
