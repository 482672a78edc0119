import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { botocoreData, digestOf, EXTRACT, extract, readExtract } from '../../scripts/extract-botocore-errors';
import { digestOf as v3DigestOf, readV3Extract, V3_CLIENTS } from '../../scripts/extract-v3-errors';
import { contractOf, modelIndex } from '../../src/contracts';
import { loadedServices } from '../../src/contracts/sdk-models';

const ROOT = path.join(__dirname, '..', '..');
const DATA = path.join(ROOT, 'src', 'contracts', 'data');

/** A table's content: gzip's bytes may differ between zlib versions, what they hold may not. */
function content(file: string): string {
  const bytes = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(bytes).toString('utf-8') : bytes.toString('utf-8');
}

describe('service contract tables', () => {
  it('are what the generator writes from the pinned models (npx projen contracts)', () => {
    // aws-sdk and the v3 clients are dependencies and botocore's errors a committed extract: every
    // input is there wherever the tests run, so this never skips.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/generate-service-contracts.ts', '--out', out], { cwd: ROOT, stdio: 'pipe' });
      const generated = fs.readdirSync(out).sort();
      expect(fs.readdirSync(DATA).sort()).toEqual(generated);
      const drifted = generated.filter((f) => content(path.join(out, f)) !== content(path.join(DATA, f)));
      expect(drifted).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('record the model package and version they come from', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-sdk', 'package.json'), 'utf-8')) as { version: string };
    expect(modelIndex().models).toEqual({ package: 'aws-sdk', version: installed.version });
    expect(Object.keys(modelIndex().services).length).toBeGreaterThan(300);
    expect(modelIndex().errors.botocore).toBe(readExtract().source.version);
    expect(modelIndex().services.bedrock.shapesFrom).toMatch(/^@aws-sdk\/client-bedrock \d+\.\d+\.\d+$/);
    expect(modelIndex().services.rekognition).toEqual(expect.objectContaining({ shapesFrom: `aws-sdk ${installed.version}`, errorsFrom: `botocore ${readExtract().source.version}` }));
  });

  it('stay under 2 MB on disk for every service together', () => {
    const bytes = fs.readdirSync(DATA).reduce((sum, f) => sum + fs.statSync(path.join(DATA, f)).size, 0);
    expect(bytes).toBeLessThan(2_000_000);
  });

  it('read only the tables of the services asked for', () => {
    contractOf('arn:aws:states:::aws-sdk:dynamodb:getItem');
    const loaded = loadedServices();
    expect(loaded).toContain('dynamodb');
    expect(loaded).not.toContain('ec2');
  });
});

describe('the extract of botocore\'s error lists (scripts/contracts/botocore-errors.json.gz)', () => {
  it('holds what it was extracted as: its content matches the digest recorded when it was written', () => {
    // Wherever python3-botocore is not installed (CI, most machines) this is what guards the extract:
    // an edit by hand changes the content and not the digest.
    const committed = readExtract();
    expect(digestOf(committed.services)).toBe(committed.digest);
    expect(committed.inputs).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(committed.services).length).toBeGreaterThan(250);
  });

  it('is what scripts/extract-botocore-errors.ts writes from the botocore installed here, when it is (npx projen contracts:errors)', () => {
    const data = botocoreData();
    if (data === undefined) {
      // Said, not hidden: the test above guards the extract, and this one re-extracts where the models are.
      process.stdout.write('contracts: botocore\'s models are not installed (apt-get install python3-botocore): the extract is checked by its digest only\n');
      expect(fs.existsSync(EXTRACT)).toBe(true);
      return;
    }
    const fresh = extract(data);
    const committed = readExtract();
    if (fresh.source.version !== committed.source.version) {
      // Another botocore: the extract is re-made on purpose with `npx projen contracts:errors`, not compared.
      process.stdout.write(`contracts: botocore ${fresh.source.version} is installed, the extract holds ${committed.source.version}\n`);
      return;
    }
    expect(fresh.inputs).toBe(committed.inputs);
    expect(fresh.services).toEqual(committed.services);
  }, 60_000);
});

describe('the extract of the v3 clients\' error lists (scripts/contracts/v3-errors.json.gz)', () => {
  it('holds what it was extracted as: its content matches the digest recorded when it was written', () => {
    // Re-extracting needs the registry (npx projen contracts:v3-errors); offline, the digest guards it.
    const committed = readV3Extract();
    expect(v3DigestOf(committed.services)).toBe(committed.digest);
    expect(committed.packages).toEqual(V3_CLIENTS);
    expect(Object.keys(committed.services).sort()).toEqual(Object.keys(V3_CLIENTS).sort());
  });

  it('gives Bedrock Runtime its errors, recorded as coming from its pinned client', () => {
    expect(modelIndex().services.bedrockruntime).toEqual(expect.objectContaining({ errors: true, errorsFrom: `@aws-sdk/client-bedrock-runtime ${V3_CLIENTS['@aws-sdk/client-bedrock-runtime']}` }));
    expect(modelIndex().errors.extracted).toEqual(V3_CLIENTS);
    expect(contractOf('arn:aws:states:::aws-sdk:bedrockruntime:invokeModel').errors).toEqual(expect.objectContaining({ complete: true, names: expect.arrayContaining(['BedrockRuntime.ModelTimeoutException', 'BedrockRuntime.ThrottlingException']) }));
  });

  it('leaves EC2 without an error list: its model names no error shape', () => {
    expect(modelIndex().services.ec2.errors).toBe(false);
    expect(contractOf('arn:aws:states:::aws-sdk:ec2:describeInstances').errors.complete).toBe(false);
  });
});
