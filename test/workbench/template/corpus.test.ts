import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractStateMachines } from '../../../src/workbench/template';
import { describeWithShared, sharedPath } from '../../shared-data';

const corpus = sharedPath('cdk-templates');

interface IndexEntry { file: string; stateMachineCount: number; stateMachines: Array<{ logicalId: string }> }

const load = (file: string): object => JSON.parse(fs.readFileSync(path.join(corpus, file), 'utf-8')) as object;

/** Every string, and every key, anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {out.push(value);} else if (Array.isArray(value)) {value.forEach((v) => strings(v, out));} else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push(k); strings(v, out); }
  }
  return out;
}

describeWithShared('cdk-templates/INDEX.json', 'real CDK-synthesized templates (../shared/cdk-templates)', () => {
  const entries = (JSON.parse(fs.readFileSync(path.join(corpus, 'INDEX.json'), 'utf-8')) as { files: IndexEntry[] }).files;

  it('covers the 70 templates and 79 state machines the corpus index lists', () => {
    expect(entries).toHaveLength(70);
    const total = entries.reduce((n, e) => n + extractStateMachines(load(e.file)).length, 0);
    expect(total).toBe(79);
  });

  describe.each(entries.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    it('yields the state machines the index lists, by logical id', () => {
      const machines = extractStateMachines(load(file));
      expect(machines.map((m) => m.logicalId)).toEqual(entry.stateMachines.map((m) => m.logicalId));
      expect(machines).toHaveLength(entry.stateMachineCount);
    });

    it('resolves every definition to ASL with no CloudFormation token left', () => {
      for (const machine of extractStateMachines(load(file))) {
        expect(typeof machine.definition.StartAt).toBe('string');
        expect(typeof machine.definition.States).toBe('object');
        const text = JSON.stringify(machine.definition);
        expect(text).not.toMatch(/Fn::|"Ref"|\$\{Token|\$\{AWS::/);
        expect(strings(machine.definition).filter((s) => s.includes('${'))).toEqual([]);
        for (const placeholder of machine.resources.keys()) expect(text).toContain(placeholder);
      }
    });

    it('resolves to the same ASL and placeholders on every run', () => {
      const once = extractStateMachines(load(file));
      const again = extractStateMachines(load(file));
      expect(again.map((m) => [m.definition, [...m.resources]])).toEqual(once.map((m) => [m.definition, [...m.resources]]));
    });
  });
});
