// Writes scripts/contracts/botocore-models.json.gz, the one source of the service contracts: for every
// AWS SDK service Step Functions integrates with (src/iam/sdk.ts's table), each operation's input,
// output and error shapes and every shape they reach, with the members, required members, enums and
// bounds (min/max) of botocore's service models, and every error shape with its fault, HTTP status
// and members (ExtractError). Documentation, patterns and wire details (locations,
// XML names) are left out. Beside it, scripts/contracts/botocore-examples.json.gz keeps the example
// requests and answers of the models (examples-1.json), which test/contracts/answers.test.ts judges;
// they are not shipped.
//
//   npx projen contracts:extract
//   node -r ts-node/register/transpile-only scripts/extract-botocore-models.ts [--data <botocore/data>]
//
// The models are read from botocore's own package (`pip install botocore`: its data/ folder holds
// every service's current model), found with --data, $BOTOCORE_DATA or the `python3` on PATH. Debian's
// python3-botocore is years older and is refused below 1.40. The extracts are committed, so the
// tables regenerate anywhere (scripts/generate-service-contracts.ts reads only them), and record
// botocore's version, a digest of the model files read and a digest of their own content:
// test/contracts/tables.test.ts re-extracts and compares where the same botocore is installed, and
// checks the content digests elsewhere.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { contentDigest, readGzJson, writeGzJson } from './contracts-extract-file';
import { SDK_SERVICES } from '../src/iam/sdk';

const ROOT = path.join(__dirname, '..');
export const MODELS_EXTRACT = path.join(ROOT, 'scripts', 'contracts', 'botocore-models.json.gz');
export const EXAMPLES_EXTRACT = path.join(ROOT, 'scripts', 'contracts', 'botocore-examples.json.gz');

/** The oldest botocore taken: Debian's 1.29 (2022) lacks years of members, answers and services. */
const MINIMUM_VERSION = [1, 40];

/**
 * `aws-sdk:` names whose model folder the rules below do not find: the folder is named after an
 * older service id (`events` for CloudWatch Events, now EventBridge; `config` for Config Service).
 */
const FOLDERS: Readonly<Record<string, string>> = { cloudwatchevents: 'events', configservice: 'config' };

/**
 * A member: the shape it refers to, or `[shape, flags]` where flags are `j` (a JSON value sent as
 * text) and `i` (an idempotency token the SDK fills in when it is missing).
 */
export type ExtractMember = string | [string, string];

/** A shape as the extract keeps it (botocore's keys, shortened). */
export interface ExtractShape {
  /** botocore's type: structure, list, map, string, integer, long, float, double, boolean, timestamp, blob. */
  readonly t: string;
  /** A structure's members. */
  readonly m?: Readonly<Record<string, ExtractMember>>;
  /** A structure's required members. */
  readonly r?: readonly string[];
  /** A union: exactly one member is set. */
  readonly u?: 1;
  /** A document (any JSON), an event stream, a streaming blob. */
  readonly d?: 1;
  readonly es?: 1;
  readonly st?: 1;
  /** A list's member, a map's key and value. */
  readonly l?: string;
  readonly k?: string;
  readonly v?: string;
  /** A string's values. */
  readonly e?: readonly string[];
  /** min and max: a string's or blob's length, a number's value, a list's or map's size. */
  readonly n?: number;
  readonly x?: number;
  /** A string's pattern, as the model writes it (a Java regular expression: AWS quotes it so when it refuses a value). */
  readonly p?: string;
  /** A sensitive value: AWS does not repeat it when it refuses it. */
  readonly s?: 1;
}

/**
 * An error shape of a model: who is at fault, the HTTP status AWS answers it with, and its members.
 * The status is the model's `error.httpStatusCode` (Smithy's `httpError`), else the one its
 * documentation states ("HTTP Status Code: 409", the line the API Reference prints under the error:
 * Step Functions' model states its 409 and 402 only so), else the protocol's default for the fault,
 * 400 for the client's and 500 for the server's (Smithy's `error` trait).
 */
export interface ExtractError {
  /** `client` (botocore's default, Smithy's `"error": "client"`) or `server` (botocore's `"fault": true`). */
  readonly f: 'client' | 'server';
  /** The HTTP status of the answer that carries it. */
  readonly h: number;
  /** Its members, as a structure's (`message`, `resourceName`, ...). */
  readonly m: Readonly<Record<string, ExtractMember>>;
}

export interface ExtractService {
  /** The model it comes from: `dynamodb-2012-08-10`. */
  readonly model: string;
  readonly serviceId: string;
  /** botocore's protocol: json, rest-json, rest-xml, query, ec2, smithy-rpc-v2-cbor. */
  readonly protocol: string;
  /** Operation → [input shape or null, output shape or null, error shapes]. */
  readonly operations: Readonly<Record<string, readonly [string | null, string | null, readonly string[]]>>;
  /**
   * Operation → the prefix the SDKs put before the endpoint's host for it (the model's endpoint
   * trait, `"endpoint":{"hostPrefix":"sync-"}`); absent when no operation has one.
   */
  readonly hostPrefixes?: Readonly<Record<string, string>>;
  /** Every error shape of the model (`"exception": true`), by name; their members' shapes are in `shapes`. */
  readonly errors: Readonly<Record<string, ExtractError>>;
  readonly shapes: Readonly<Record<string, ExtractShape>>;
}

export interface BotocoreModels {
  readonly source: { readonly package: 'botocore'; readonly version: string };
  /** sha256 of the model files read, in order of service. */
  readonly inputs: string;
  /** sha256 of `{ services, partitions }` as JSON. */
  readonly digest: string;
  /** By `aws-sdk:` service name. */
  readonly services: Readonly<Record<string, ExtractService>>;
  /** The partitions an ARN may name (`aws`, `aws-cn`, `aws-us-gov`, ...), from botocore's partitions.json. */
  readonly partitions: readonly string[];
  /** `aws-sdk:` names of src/iam/sdk.ts whose model botocore no longer holds (retired services), with why. */
  readonly missing: Readonly<Record<string, string>>;
}

/** One example of the models: the request and the answer an operation's documentation shows. */
export interface BotocoreExamples {
  readonly source: { readonly package: 'botocore'; readonly version: string };
  readonly digest: string;
  /** `aws-sdk:` name → operation → its examples. */
  readonly services: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<{ readonly input?: unknown; readonly output?: unknown }>>>>>;
}

/** `Database Migration Service` → `databasemigration`: the name Step Functions (the SDK for Java) gives the service. */
export function javaServiceKey(serviceId: string): string {
  return serviceId.replace(/^(Amazon|AWS)\s*/, '').replace(/[\s-]/g, '').replace(/Service$/, '').toLowerCase();
}

/** botocore's data folder: `--data`, $BOTOCORE_DATA, then the botocore the `python3` on PATH imports. */
export function botocoreData(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.BOTOCORE_DATA].filter((d): d is string => d !== undefined && d !== '');
  if (candidates.length === 0) {
    try {
      const init = execFileSync('python3', ['-c', 'import botocore; print(botocore.__file__)'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      candidates.push(path.join(path.dirname(init), 'data'));
    } catch {
      return undefined;
    }
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, '..', '__init__.py')) && fs.existsSync(path.join(dir, 'dynamodb')));
}

export function botocoreVersion(data: string): string {
  const init = fs.readFileSync(path.join(data, '..', '__init__.py'), 'utf-8');
  const m = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(init);
  if (!m) throw new Error(`no __version__ in ${path.join(data, '..', '__init__.py')}`);
  return m[1];
}

function readMaybeGz(file: string): Buffer {
  return file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(file)) : fs.readFileSync(file);
}

interface RawMember { shape: string; jsonvalue?: boolean; idempotencyToken?: boolean }
interface RawShape {
  type: string;
  members?: Record<string, RawMember>;
  required?: string[];
  union?: boolean;
  document?: boolean;
  eventstream?: boolean;
  streaming?: boolean;
  member?: RawMember;
  key?: RawMember;
  value?: RawMember;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { httpStatusCode?: number };
  documentation?: string;
}
interface RawModel {
  metadata: { serviceId?: string; protocol: string; apiVersion: string };
  operations: Record<string, {
    input?: { shape: string }; output?: { shape: string }; errors?: Array<{ shape: string }>; endpoint?: { hostPrefix?: string };
  }>;
  shapes: Record<string, RawShape>;
}

/** Each folder's latest model file, and its api version. */
function modelFiles(data: string): Map<string, { file: string; version: string }> {
  const out = new Map<string, { file: string; version: string }>();
  for (const dir of fs.readdirSync(data).sort()) {
    const full = path.join(data, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    const versions = fs.readdirSync(full).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort().reverse();
    for (const version of versions) {
      const file = ['service-2.json.gz', 'service-2.json'].map((f) => path.join(full, version, f)).find((f) => fs.existsSync(f));
      if (file !== undefined) {
        out.set(dir, { file, version });
        break;
      }
    }
  }
  return out;
}

/** The folder of an `aws-sdk:` service: by its service id, its folder name, or its error prefix. */
function folderOf(name: string, errorPrefix: string, ids: ReadonlyMap<string, string>): string | undefined {
  if (Object.hasOwn(FOLDERS, name)) return FOLDERS[name];
  for (const [dir, serviceId] of ids) if (javaServiceKey(serviceId) === name) return dir;
  for (const [dir] of ids) if (dir.replace(/-/g, '') === name) return dir;
  for (const [dir, serviceId] of ids) if (javaServiceKey(serviceId) === errorPrefix.toLowerCase()) return dir;
  return undefined;
}

function compactMember(member: RawMember): ExtractMember {
  const flags = `${member.jsonvalue ? 'j' : ''}${member.idempotencyToken ? 'i' : ''}`;
  return flags === '' ? member.shape : [member.shape, flags];
}

function compactShape(raw: RawShape): ExtractShape {
  const out: Record<string, unknown> = { t: raw.type };
  if (raw.type === 'structure') {
    out.m = Object.fromEntries(Object.entries(raw.members ?? {}).map(([name, member]) => [name, compactMember(member)]));
    if (raw.required && raw.required.length > 0) out.r = [...raw.required];
    if (raw.union) out.u = 1;
    if (raw.document) out.d = 1;
    if (raw.eventstream) out.es = 1;
  }
  if (raw.type === 'list') out.l = raw.member!.shape;
  if (raw.type === 'map') {
    out.k = raw.key!.shape;
    out.v = raw.value!.shape;
  }
  if (raw.document) out.d = 1;
  if (raw.streaming) out.st = 1;
  if (raw.enum && raw.enum.length > 0) out.e = [...raw.enum];
  if (typeof raw.min === 'number') out.n = raw.min;
  if (typeof raw.max === 'number') out.x = raw.max;
  if (typeof raw.pattern === 'string') out.p = raw.pattern;
  if (raw.sensitive) out.s = 1;
  return out as unknown as ExtractShape;
}

/** The documentation's own statement of an error's status, as the API Reference prints it. */
const DOCUMENTED_STATUS = /HTTP Status Code: (\d{3})\b/;

/** Every error shape of a model, by name (see ExtractError for where its status comes from). */
function errorShapes(model: RawModel): Record<string, ExtractError> {
  const out: Record<string, ExtractError> = {};
  for (const name of Object.keys(model.shapes).sort()) {
    const raw = model.shapes[name];
    if (raw.exception !== true) continue;
    const documented = DOCUMENTED_STATUS.exec(raw.documentation ?? '');
    const status = raw.error?.httpStatusCode ?? (documented ? Number(documented[1]) : raw.fault === true ? 500 : 400);
    const members = Object.fromEntries(Object.entries(raw.members ?? {}).map(([member, ref]) => [member, compactMember(ref)]));
    out[name] = { f: raw.fault === true ? 'server' : 'client', h: status, m: members };
  }
  return out;
}

/** The shapes an operation list reaches, by name, in the order they are reached. */
function reachable(model: RawModel, roots: readonly string[]): Record<string, ExtractShape> {
  const out: Record<string, ExtractShape> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (Object.hasOwn(out, name)) continue;
    const raw = model.shapes[name];
    if (raw === undefined) throw new Error(`shape ${name} is not in the model`);
    const shape = compactShape(raw);
    out[name] = shape;
    for (const member of Object.values(shape.m ?? {})) queue.push(typeof member === 'string' ? member : member[0]);
    for (const ref of [shape.l, shape.k, shape.v]) if (ref !== undefined) queue.push(ref);
  }
  return out;
}

/** `b` merged into `a` as botocore merges a model's extras: objects member by member, anything else replaced. */
function mergeInto(a: Record<string, unknown>, b: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(b)) {
    const here = a[key];
    const bothObjects = [here, value].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (bothObjects) mergeInto(here as Record<string, unknown>, value as Record<string, unknown>);
    else a[key] = value;
  }
}

/**
 * A model with its `service-2.sdk-extras.json` merged in, as botocore's loader reads it: the members
 * the SDKs add to the API's own (RDS's, DocumentDB's and Neptune's `SourceRegion`, from which they
 * sign the `PreSignedUrl` a cross-region copy needs; the AWS SDK for Java's requests have it too:
 * https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/rds/model/CopyDBSnapshotRequest.html).
 * A request that sets one is a request AWS takes. The extras' bytes join the model's, so the
 * digest of what was read changes with either.
 */
function withExtras(bytes: Buffer, folder: string): Buffer {
  const extras = ['service-2.sdk-extras.json.gz', 'service-2.sdk-extras.json'].map((f) => path.join(folder, f)).find((f) => fs.existsSync(f));
  if (extras === undefined) return bytes;
  const merge = (JSON.parse(readMaybeGz(extras).toString('utf-8')) as { merge?: Record<string, unknown> }).merge;
  if (merge === undefined) return bytes;
  const model = JSON.parse(bytes.toString('utf-8')) as Record<string, unknown>;
  mergeInto(model, merge);
  return Buffer.from(JSON.stringify(model), 'utf-8');
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}

export function extract(data: string): { models: BotocoreModels; examples: BotocoreExamples } {
  const version = botocoreVersion(data);
  if (!versionAtLeast(version, MINIMUM_VERSION)) {
    throw new Error(`botocore ${version} at ${data} is older than ${MINIMUM_VERSION.join('.')}: install a current one (pip install botocore) or pass --data`);
  }
  const files = modelFiles(data);
  const parsed = new Map<string, { bytes: Buffer; model: RawModel }>();
  const ids = new Map<string, string>();
  for (const [dir, { file }] of files) {
    const bytes = withExtras(readMaybeGz(file), path.dirname(file));
    const model = JSON.parse(bytes.toString('utf-8')) as RawModel;
    parsed.set(dir, { bytes, model });
    ids.set(dir, model.metadata.serviceId ?? dir);
  }
  const inputs = createHash('sha256');
  const services: Record<string, ExtractService> = {};
  const missing: Record<string, string> = {};
  const examples: Record<string, Record<string, Array<{ input?: unknown; output?: unknown }>>> = {};
  for (const service of [...SDK_SERVICES.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = folderOf(service.name, service.errorPrefix, ids);
    if (dir === undefined) {
      missing[service.name] = `botocore ${version} has no model for it (a retired service)`;
      continue;
    }
    const { bytes, model } = parsed.get(dir)!;
    const apiVersion = files.get(dir)!.version;
    inputs.update(`${service.name} ${dir}/${apiVersion}\n`).update(bytes);
    const operations: Record<string, [string | null, string | null, string[]]> = {};
    const hostPrefixes: Record<string, string> = {};
    const roots: string[] = [];
    for (const op of Object.keys(model.operations).sort()) {
      const o = model.operations[op];
      const errors = [...new Set((o.errors ?? []).map((e) => e.shape))].sort();
      operations[op] = [o.input?.shape ?? null, o.output?.shape ?? null, errors];
      if (o.endpoint?.hostPrefix !== undefined) hostPrefixes[op] = o.endpoint.hostPrefix;
      for (const ref of [o.input?.shape, o.output?.shape]) if (ref !== undefined) roots.push(ref);
    }
    const errors = errorShapes(model);
    for (const error of Object.values(errors)) roots.push(...Object.values(error.m).map((member) => (typeof member === 'string' ? member : member[0])));
    services[service.name] = {
      model: `${dir}-${apiVersion}`,
      serviceId: model.metadata.serviceId ?? dir,
      protocol: model.metadata.protocol,
      operations,
      ...(Object.keys(hostPrefixes).length > 0 ? { hostPrefixes } : {}),
      errors,
      shapes: reachable(model, roots),
    };
    const examplesFile = path.join(data, dir, apiVersion, 'examples-1.json');
    if (fs.existsSync(examplesFile)) {
      const raw = JSON.parse(fs.readFileSync(examplesFile, 'utf-8')) as { examples?: Record<string, Array<{ input?: unknown; output?: unknown }>> };
      const kept: Record<string, Array<{ input?: unknown; output?: unknown }>> = {};
      for (const op of Object.keys(raw.examples ?? {}).sort()) {
        const list = raw.examples![op].map((e) => ({
          ...(e.input !== undefined ? { input: e.input } : {}),
          ...(e.output !== undefined ? { output: e.output } : {}),
        }));
        if (list.length > 0) kept[op] = list;
      }
      if (Object.keys(kept).length > 0) examples[service.name] = kept;
    }
  }
  const partitionsFile = path.join(data, 'partitions.json');
  const partitionsBytes = fs.readFileSync(partitionsFile);
  inputs.update('partitions.json\n').update(partitionsBytes);
  const partitions = (JSON.parse(partitionsBytes.toString('utf-8')) as { partitions: Array<{ id: string }> }).partitions.map((p) => p.id).sort();
  const source = { package: 'botocore' as const, version };
  return {
    models: { source, inputs: inputs.digest('hex'), digest: contentDigest({ services, partitions }), services, partitions, missing },
    examples: { source, digest: contentDigest(examples), services: examples },
  };
}

export function readModelsExtract(file = MODELS_EXTRACT): BotocoreModels {
  return readGzJson<BotocoreModels>(file);
}

export function readExamplesExtract(file = EXAMPLES_EXTRACT): BotocoreExamples {
  return readGzJson<BotocoreExamples>(file);
}

if (require.main === module) {
  const at = process.argv.indexOf('--data');
  const data = botocoreData(at >= 0 ? process.argv[at + 1] : undefined);
  if (data === undefined) {
    console.error('botocore\'s models are not found: `pip install botocore`, or pass --data <botocore/data> (or set BOTOCORE_DATA)');
    process.exit(1);
  }
  const { models, examples } = extract(data);
  writeGzJson(models, MODELS_EXTRACT);
  writeGzJson(examples, EXAMPLES_EXTRACT);
  const size = (f: string): string => `${(fs.statSync(f).size / 1e6).toFixed(2)} MB`;
  console.log(`botocore ${models.source.version}: ${Object.keys(models.services).length} services (${Object.keys(models.missing).length} without a model), `
    + `${size(MODELS_EXTRACT)} in ${path.relative(process.cwd(), MODELS_EXTRACT)}, examples of ${Object.keys(examples.services).length} services, ${size(EXAMPLES_EXTRACT)}`);
}
