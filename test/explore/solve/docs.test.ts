import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextOf } from './helpers';
import type { ChoiceState } from '../../../src/asl/definition-types';
import { solveChoiceBranch } from '../../../src/explore/solve';

const guide = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'explore.md'), 'utf8');

/** The JSON of the fenced block tagged `json <name>` in docs/explore.md. */
function block(name: string): any {
  const found = new RegExp('```json ' + name + '\\n([^]*?)```').exec(guide);
  if (!found) throw new Error(`docs/explore.md has no block tagged 'json ${name}'`);
  return JSON.parse(found[1]);
}

describe('docs/explore.md', () => {
  it('shows the answers the solver gives for its example Choice state', () => {
    const state = block('choice-state') as ChoiceState;
    const answers = block('choice-answers') as Record<string, unknown>;
    const input = { order: { total: 20 }, customer: { tier: 'basic' } };
    expect(guide).toContain(JSON.stringify(input).replace(/:/g, ': ').replace(/,/g, ', ').replace(/\{/g, '{ ').replace(/\}/g, ' }'));
    for (const [branch, answer] of Object.entries(answers)) {
      const result = solveChoiceBranch(state, branch === 'default' ? 'default' : Number(branch), contextOf({ input, context: {} }));
      expect({ branch, result }).toEqual({ branch, result: answer });
    }
  });
});
