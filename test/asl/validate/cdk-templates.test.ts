import * as fs from 'fs';
import * as path from 'path';
import { validateDefinition } from '../../../src/asl/validate';
import { extractStateMachines } from '../../../src/testing/template';

// Every state machine of the templates the AWS CDK's own integ tests synthesized
// (../shared/cdk-templates) validates once the harness has resolved its tokens.
const DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'cdk-templates');
const present = fs.existsSync(DIR);
if (!present) console.warn(`cdk-templates test skipped: ${DIR} is absent`);
const run = present ? describe : describe.skip;

function machines(): Array<[string, unknown, 'STANDARD' | 'EXPRESS']> {
  if (!present) return [];
  const out: Array<[string, unknown, 'STANDARD' | 'EXPRESS']> = [];
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    for (const m of extractStateMachines(template)) out.push([`${file} ${m.logicalId}`, m.definition, m.type]);
  }
  return out;
}

run('validator on synthesized CDK templates', () => {
  const all = machines();
  it('finds all 79 state machines of the 70 templates', () => {
    expect(all.length).toBe(79);
  });
  it.each(all)('accepts %s', (_name, definition, type) => {
    const errors = validateDefinition(definition, { type }).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});
