import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODELS_EXTRACT, readModelsExtract, type BotocoreModels } from '../../scripts/extract-botocore-models';

/**
 * The committed extract of botocore's models with Step Functions' model alone among its services,
 * which is all serve's tests read. The whole extract is 16 MB of JSON, 0.45 CPU-s to parse; inside
 * a test run (STEPWRIGHT_TEST_TMPDIR, the run's scratch folder) the cut is kept there, keyed by
 * the extract's bytes, so that the run parses the whole extract once.
 */
export function sfnModelsExtract(): BotocoreModels {
  const scratch = process.env.STEPWRIGHT_TEST_TMPDIR;
  if (!scratch) return cut(readModelsExtract());
  const key = createHash('sha256').update(fs.readFileSync(MODELS_EXTRACT)).digest('hex');
  const file = path.join(scratch, 'sfn-models-extract', `${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BotocoreModels;
  } catch {
    const models = cut(readModelsExtract());
    // Written aside and renamed: a worker reading the same key sees all of it or none of it.
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const aside = `${file}.${process.pid}.${Date.now()}`;
    fs.writeFileSync(aside, JSON.stringify(models));
    fs.renameSync(aside, file);
    return models;
  }
}

function cut(models: BotocoreModels): BotocoreModels {
  return { ...models, services: { sfn: models.services.sfn } };
}
