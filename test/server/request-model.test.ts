import * as fs from 'node:fs';
import { sfnModelsExtract } from './sfn-models-extract';
import type { BotocoreModels } from '../../scripts/extract-botocore-models';
import { SERVE_MODEL_FILE, serveModelSource } from '../../scripts/generate-serve-model';
import { OPERATIONS } from '../../src/server/operations';
import { MODEL_SOURCE, OPERATION_INPUTS, PARTITIONS } from '../../src/server/validation/stepfunctions-model.generated';

describe('serve\'s request model (src/server/validation/stepfunctions-model.generated.ts)', () => {
  // Read once for the file (see sfnModelsExtract): serve's model is made from Step Functions' alone.
  let read: BotocoreModels | undefined;
  const extract = (): BotocoreModels => (read ??= sfnModelsExtract());

  it('is what scripts/generate-serve-model.ts writes from the committed extract of botocore\'s models (npx projen contracts)', () => {
    expect(fs.readFileSync(SERVE_MODEL_FILE, 'utf-8')).toBe(serveModelSource(extract()));
  });

  it('comes from the botocore the contracts come from, and names the partitions its partitions.json has', () => {
    expect(MODEL_SOURCE.version).toBe(extract().source.version);
    expect(PARTITIONS).toEqual(expect.arrayContaining(['aws', 'aws-cn', 'aws-us-gov']));
  });

  it('has an input shape for every operation serve answers, and serve answers every operation of the model', () => {
    expect([...OPERATIONS.keys()].sort()).toEqual(Object.keys(OPERATION_INPUTS).sort());
  });
});
