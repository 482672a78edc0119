import { committedList, renderIntegrationList } from './iam-integrations';
import { coveredIntegrations } from '../../src/iam';

describe('the list of covered integrations in docs/iam.md', () => {
  it('is the one the permission table generates (run `node -r ts-node/register/transpile-only scripts/generate-iam-docs.ts` when this fails)', () => {
    expect(committedList()).toBe(renderIntegrationList());
  });

  it('names every optimized integration of the table, EMR addStep and SageMaker createTrainingJob among them', () => {
    const list = committedList() ?? '';
    for (const row of coveredIntegrations()) expect(list).toContain(`\`${row.integration}\``);
    expect(list).toContain('`elasticmapreduce:addStep`');
    expect(list).toContain('`sagemaker:createTrainingJob`');
  });
});
