// Writes scripts/contracts/botocore-errors.json.gz: the error shapes each operation raises, for every
// AWS SDK service Step Functions integrates with, read from botocore's service models (Debian's
// python3-botocore: botocore/data/<service>/<api version>/service-2.json). The `aws-sdk` v2
// package's models, which give the request and answer shapes, hold no error lists.
//
//   apt-get install python3-botocore && npx projen contracts:errors
//   node -r ts-node/register/transpile-only scripts/extract-botocore-errors.ts [--data <botocore/data>] [--out <file>]
//
// The extract is committed: the generator (scripts/generate-service-contracts.ts) reads it, so the
// tables regenerate anywhere, botocore installed or not. It records botocore's version, a digest of
// the model files it read and a digest of its own content; test/contracts/tables.test.ts
// re-extracts and compares where botocore is installed, and checks the content digest elsewhere.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { SDK_SERVICES } from '../src/iam/sdk';
import { contentDigest, readGzJson, writeGzJson } from './contracts-extract-file';

const ROOT = path.join(__dirname, '..');
export const EXTRACT = path.join(ROOT, 'scripts', 'contracts', 'botocore-errors.json.gz');
/** Where Debian's python3-botocore puts the models. */
const DEBIAN_DATA = '/usr/lib/python3/dist-packages/botocore/data';

export interface BotocoreErrors {
  readonly source: { readonly package: 'botocore'; readonly version: string };
  /** sha256 of the model files read, in order of service: a re-extraction from other files says so. */
  readonly inputs: string;
  /** sha256 of `services` as JSON: a hand edit of the extract says so. */
  readonly digest: string;
  /** The service's `serviceId` → its model (`dynamodb-2012-08-10`) and each operation's error shapes. */
  readonly services: Record<string, { readonly model: string; readonly operations: Record<string, string[]> }>;
}

/** botocore's data folder: `--data`, then $BOTOCORE_DATA, then Debian's; undefined when none is there. */
export function botocoreData(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.BOTOCORE_DATA, DEBIAN_DATA].filter((d): d is string => d !== undefined && d !== '');
  return candidates.find((dir) => fs.existsSync(path.join(dir, '..', '__init__.py')) && fs.existsSync(path.join(dir, 'dynamodb')));
}

function botocoreVersion(data: string): string {
  const init = fs.readFileSync(path.join(data, '..', '__init__.py'), 'utf-8');
  const m = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(init);
  if (!m) throw new Error(`no __version__ in ${path.join(data, '..', '__init__.py')}`);
  return m[1];
}

/** `Database Migration Service` → `databasemigration`: the name Step Functions (the SDK for Java) gives the service. */
export function javaServiceKey(serviceId: string): string {
  return serviceId.replace(/^(Amazon|AWS)\s*/, '').replace(/[\s-]/g, '').replace(/Service$/, '').toLowerCase();
}

interface BotocoreModel {
  metadata: { serviceId?: string; uid?: string; endpointPrefix?: string; apiVersion: string };
  operations: Record<string, { errors?: Array<{ shape: string }> }>;
}

function readModel(file: string): Buffer {
  return file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(file)) : fs.readFileSync(file);
}

export function digestOf(services: BotocoreErrors['services']): string {
  return contentDigest(services);
}

export function extract(data: string): BotocoreErrors {
  const wanted = new Set<string>();
  for (const s of SDK_SERVICES.values()) {
    wanted.add(s.name);
    wanted.add(s.errorPrefix.toLowerCase());
  }
  const inputs = createHash('sha256');
  const services: Record<string, { model: string; operations: Record<string, string[]> }> = {};
  for (const dir of fs.readdirSync(data).sort()) {
    const versions = fs.existsSync(path.join(data, dir)) && fs.statSync(path.join(data, dir)).isDirectory()
      ? fs.readdirSync(path.join(data, dir)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort() : [];
    // The latest API version that has a service model (older folders may hold only examples).
    const file = versions.reverse().map((v) => ['service-2.json', 'service-2.json.gz'].map((f) => path.join(data, dir, v, f)))
      .flat().find((f) => fs.existsSync(f));
    if (file === undefined) continue;
    const bytes = readModel(file);
    const model = JSON.parse(bytes.toString('utf-8')) as BotocoreModel;
    const serviceId = model.metadata.serviceId ?? dir;
    if (!wanted.has(javaServiceKey(serviceId)) && !wanted.has(dir.replace(/-/g, ''))) continue;
    inputs.update(`${dir}/${path.basename(path.dirname(file))}\n`).update(bytes);
    const operations: Record<string, string[]> = {};
    for (const op of Object.keys(model.operations).sort()) {
      operations[op] = [...new Set((model.operations[op].errors ?? []).map((e) => e.shape))].sort();
    }
    services[serviceId] = { model: `${dir}-${path.basename(path.dirname(file))}`, operations };
  }
  return { source: { package: 'botocore', version: botocoreVersion(data) }, inputs: inputs.digest('hex'), digest: digestOf(services), services };
}

export function readExtract(file = EXTRACT): BotocoreErrors {
  return readGzJson<BotocoreErrors>(file);
}

export function writeExtract(value: BotocoreErrors, file = EXTRACT): void {
  writeGzJson(value, file);
}

if (require.main === module) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const data = botocoreData(arg('--data'));
  if (data === undefined) {
    console.error('botocore\'s models are not installed: `apt-get install python3-botocore`, or pass --data <botocore/data>');
    process.exit(1);
  }
  const out = path.resolve(arg('--out') ?? EXTRACT);
  const value = extract(data);
  writeExtract(value, out);
  console.log(`botocore ${value.source.version}: errors of ${Object.keys(value.services).length} services, ${fs.statSync(out).size} bytes in ${path.relative(process.cwd(), out)}`);
}
