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

  it('says what each .sync rule stands on: the guide\'s Batch sample for a job that FAILED, a reported AWS execution for an ECS container\'s exit code', () => {
    const table = committedAnswerOutcomes() ?? '';
    expect(table).toContain('| `batch:submitJob.sync` | `Status` | one of FAILED | `States.TaskFailed` | the answer, as JSON | Step Functions guide |');
    expect(table).toContain('[batch-job-notification.html](https://docs.aws.amazon.com/step-functions/latest/dg/batch-job-notification.html)');
    expect(table).toContain('| `ecs:runTask.sync` | `Containers.*.ExitCode` | a number above 0 | `States.TaskFailed` | the answer, as JSON | observed |');
    expect(table).toContain('an AWS execution reported in [awslabs/realtime-fraud-detection-with-gnn-on-dgl/issues/1192]');
  });
});
