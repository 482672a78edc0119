import { committedAnswerOutcomes, renderAnswerOutcomes } from './answer-outcome-table';
import { CATALOGUE } from '../../src/asl/integrations';

describe('the table of answers AWS turns into failures in docs/testing.md', () => {
  it('is the one the catalogue generates (run `node -r ts-node/register/transpile-only scripts/generate-answer-outcome-docs.ts` when this fails)', () => {
    expect(committedAnswerOutcomes()).toBe(renderAnswerOutcomes());
  });

  it('names every optimized integration of the catalogue, with a page for each', () => {
    const table = committedAnswerOutcomes() ?? '';
    for (const row of CATALOGUE.values()) expect([row.resource, table.includes(`\`${row.resource}`)]).toEqual([row.resource, true]);
    expect(table).toContain('| `events:putEvents`, `events:putEvents.waitForTaskToken` | `FailedEntryCount` | a number above 0 | `EventBridge.FailedEntry` | the answer, as JSON | recorded |');
  });
});
