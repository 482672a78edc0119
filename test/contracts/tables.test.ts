import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { contentDigest } from '../../scripts/contracts-extract-file';
import { botocoreData, botocoreVersion, extract, readExamplesExtract, readModelsExtract, type BotocoreModels } from '../../scripts/extract-botocore-models';
import { generate } from '../../scripts/generate-service-contracts';
import { contractOf, modelIndex } from '../../src/contracts';
import { loadedServices, modelVersion } from '../../src/contracts/sdk-models';

const ROOT = path.join(__dirname, '..', '..');
const DATA = path.join(ROOT, 'src', 'contracts', 'data');

/**
 * The committed extract, read once for the file: 16 MB of JSON behind 2 MB of gzip, two seconds of
 * CPU a read, which three tests and the generator's process each paid. No test changes it.
 */
let committedExtract: BotocoreModels | undefined;
const modelsExtract = (): BotocoreModels => (committedExtract ??= readModelsExtract());

/** A table's content: gzip's bytes may differ between zlib versions, what they hold may not. */
function content(file: string): string {
  const bytes = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(bytes).toString('utf-8') : bytes.toString('utf-8');
}

describe('service contract tables', () => {
  it('are what the generator writes from the committed extract of botocore\'s models (npx projen contracts), offline', () => {
    // The extract is committed: every input is there wherever the tests run, so this never skips.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      // The function `npx projen contracts` runs (scripts/generate-service-contracts.ts, whose
      // command line only picks the folder), given the extract it reads by default.
      generate(out, modelsExtract());
      const generated = fs.readdirSync(out).sort();
      expect(fs.readdirSync(DATA).sort()).toEqual(generated);
      const drifted = generated.filter((f) => content(path.join(out, f)) !== content(path.join(DATA, f)));
      expect(drifted).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('record the botocore version they come from, the one source of requests, answers and errors', () => {
    const extracted = modelsExtract();
    expect(modelIndex().models).toEqual({ package: 'botocore', version: extracted.source.version });
    expect(modelVersion()).toBe(`botocore ${extracted.source.version}`);
    expect(Object.keys(modelIndex().services).length).toBeGreaterThan(330);
    expect(modelIndex().services.dynamodb).toEqual({ model: 'dynamodb-2012-08-10', errorPrefix: 'DynamoDb', protocol: 'json', errors: true });
    expect(contractOf('arn:aws:states:::aws-sdk:dynamodb:getItem').source).toBe(`dynamodb-2012-08-10 (botocore ${extracted.source.version})`);
  });

  it('hold the integrations Step Functions added in 2026: Bedrock AgentCore, its control plane and S3 Vectors', () => {
    // "Service integrations release history", Step Functions Developer Guide: March 12, 2026.
    for (const resource of ['aws-sdk:bedrockagentcore:invokeAgentRuntime', 'aws-sdk:bedrockagentcorecontrol:createAgentRuntime', 'aws-sdk:s3vectors:putVectors']) {
      const contract = contractOf(`arn:aws:states:::${resource}`);
      expect(contract.unknown).toBeUndefined();
      expect(contract.request).toBeDefined();
    }
    expect(contractOf('arn:aws:states:::aws-sdk:s3vectors:putVectors').requiredFields).toContain('Vectors');
  });

  it('answer with the members AWS answers today: S3 PutObject\'s ChecksumType, KMS Decrypt\'s KeyMaterialId', () => {
    expect(contractOf('arn:aws:states:::aws-sdk:s3:putObject').output).toMatchObject({ type: 'structure', fields: expect.arrayContaining(['ChecksumType', 'ChecksumCRC64NVME']) });
    expect(contractOf('arn:aws:states:::aws-sdk:kms:decrypt').output).toMatchObject({ type: 'structure', fields: expect.arrayContaining(['KeyMaterialId']) });
  });

  it('keep an answer\'s enums and bounds, as TestState checks them: S3 StorageClass, Lambda MemorySize', () => {
    const getObject = contractOf('arn:aws:states:::aws-sdk:s3:getObject').output;
    expect(getObject?.type === 'structure' && getObject.member('StorageClass')).toMatchObject({ type: 'string', enum: expect.arrayContaining(['STANDARD', 'GLACIER']) });
    const getFunction = contractOf('arn:aws:states:::aws-sdk:lambda:getFunction').output;
    const configuration = getFunction?.type === 'structure' ? getFunction.member('Configuration') : undefined;
    expect(configuration?.type === 'structure' && configuration.member('MemorySize')).toEqual({ type: 'integer', min: 128, max: 32768 });
  });

  it('leave a retired service without a model unjudged, not unknown', () => {
    const contract = contractOf('arn:aws:states:::aws-sdk:iotanalytics:batchPutMessage');
    expect(contract.unknown).toBeUndefined();
    expect(contract.request).toBeUndefined();
    expect(modelIndex().missing.iotanalytics).toMatch(/no model/);
  });

  it('stay under 1.6 MB on disk for every service together', () => {
    const bytes = fs.readdirSync(DATA).reduce((sum, f) => sum + fs.statSync(path.join(DATA, f)).size, 0);
    expect(bytes).toBeLessThan(1_600_000);
  });

  it('read only the tables of the services asked for', () => {
    contractOf('arn:aws:states:::aws-sdk:dynamodb:getItem');
    const loaded = loadedServices();
    expect(loaded).toContain('dynamodb');
    expect(loaded).not.toContain('ec2');
  });

  it('leave EC2 without an error list: its model names no error shape', () => {
    expect(modelIndex().services.ec2.errors).toBe(false);
    expect(contractOf('arn:aws:states:::aws-sdk:ec2:describeInstances').errors.complete).toBe(false);
  });
});

describe('the extract of botocore\'s models (scripts/contracts/botocore-models.json.gz and botocore-examples.json.gz)', () => {
  it('holds what it was extracted as: its content matches the digest recorded when it was written', () => {
    // Where botocore is not installed (CI, most machines) this is what guards the extracts: an
    // edit by hand changes the content and not the digest.
    const models = modelsExtract();
    expect(contentDigest({ services: models.services, partitions: models.partitions })).toBe(models.digest);
    expect(models.inputs).toMatch(/^[0-9a-f]{64}$/);
    const examples = readExamplesExtract();
    expect(contentDigest(examples.services)).toBe(examples.digest);
    expect(examples.source).toEqual(models.source);
  });

  it('is what scripts/extract-botocore-models.ts writes from the botocore installed here, when it is the same version (npx projen contracts:extract)', () => {
    const data = botocoreData();
    const committed = modelsExtract();
    if (data === undefined || botocoreVersion(data) !== committed.source.version) {
      // Said, not hidden: the digests above guard the extract; another botocore is taken on purpose.
      process.stdout.write(`contracts: botocore ${committed.source.version} is not installed here (${data === undefined ? 'none is' : `${botocoreVersion(data)} is`}): the extract is checked by its digest only\n`);
      expect(fs.existsSync(path.join(ROOT, 'scripts', 'contracts', 'botocore-models.json.gz'))).toBe(true);
      return;
    }
    const fresh = extract(data);
    expect(fresh.models.inputs).toBe(committed.inputs);
    expect(fresh.models.digest).toBe(committed.digest);
    expect(fresh.examples.digest).toBe(readExamplesExtract().digest);
  }, 120_000);
});
