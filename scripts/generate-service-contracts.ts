// Writes src/contracts/data/: one table per AWS SDK service that Step Functions integrates with
// (`arn:aws:states:::aws-sdk:<service>:<action>`), read from AWS's published service models, and
// an index naming the model packages and versions the tables come from.
//
//   npx projen contracts                                   rewrites src/contracts/data/
//   node -r ts-node/register/transpile-only scripts/generate-service-contracts.ts --out <dir>
//
// Each service's table is `<service>.json.gz` (gzip of one line of JSON); `index.json` names the
// model packages and versions.
//
// Sources (pinned devDependencies or dependencies, or a committed extract, so the drift test
// always has them):
// - the `aws-sdk` package's `apis/<model>.min.json`: every operation's input and output, each
//   structure's members with their types and required members, lists and maps. It is AWS's model
//   set in one package (the SDK for JavaScript v2, whose last release is final); documentation,
//   enums and length bounds are not in it.
// - the `@aws-sdk/client-<id>` packages this repository declares: each command's declaration
//   lists the error shapes the operation can raise (`@throws {@link ResourceNotFoundException}`),
//   and the client's schemas (`GetItemInput$`) give the requests and answers of a model newer than
//   v2's, which these tables then take instead (Bedrock's, grown since v2 froze).
// - scripts/contracts/v3-errors.json.gz, extracted by scripts/extract-v3-errors.ts from pinned v3
//   clients this repository does not declare (fetched with `npm pack`, not installed): the error
//   shapes of the services newer than botocore's extract (Bedrock Runtime's among them).
// - scripts/contracts/botocore-errors.json.gz, extracted from botocore's models by
//   scripts/extract-botocore-errors.ts: the error shapes of every operation of the other services.
//   An operation neither lists has no error list (`null`: unknown, never "none"), and neither does
//   a service whose model names no error at all (EC2's errors are codes, not shapes).
//   src/contracts/error-names.ts turns a shape into the name Step Functions reports.
//
// The service names and error prefixes are src/iam/sdk.ts's table (from the developer guide's
// "AWS SDK service integrations").
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { javaServiceKey, readExtract, type BotocoreErrors } from './extract-botocore-errors';
import { readV3Extract, v3Errors, type V3Errors } from './extract-v3-errors';
import { SDK_SERVICES } from '../src/iam/sdk';

const ROOT = path.join(__dirname, '..');

interface MinMember { shape?: string; type?: string; members?: Record<string, MinMember>; member?: MinMember;
  key?: MinMember; value?: MinMember; required?: string[]; union?: boolean; jsonvalue?: boolean; document?: boolean;
  streaming?: boolean; eventstream?: boolean }
interface MinModel {
  metadata: { apiVersion: string; serviceId?: string; protocol: string; uid?: string };
  operations: Record<string, { input?: MinMember; output?: MinMember }>;
  shapes: Record<string, MinMember>;
}

/** A reference to a shape: a scalar type's name, or an index into the table's `shapes`. */
type Ref = string | number;
type Shape =
  | { s: Record<string, Ref>; r?: string[]; u?: 1 }
  | { l: Ref }
  | { m: [Ref, Ref] };

const SCALARS: Record<string, string> = {
  string: 'string', integer: 'integer', long: 'integer', float: 'number', double: 'number',
  boolean: 'boolean', timestamp: 'timestamp', blob: 'blob', character: 'string', byte: 'integer', short: 'integer',
};

function packageVersion(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8')) as { version: string }).version;
}

function packageDir(name: string): string | undefined {
  const dir = path.join(ROOT, 'node_modules', ...name.split('/'));
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : undefined;
}

/**
 * Declared clients that are not sources. S3's v3 model names HeadObject's missing key `NotFound`,
 * where the Java SDK Step Functions calls raises NoSuchKey (`S3.NoSuchKeyException`, as the
 * recordings show for GetObject): botocore's list, which names NoSuchKey, stays S3's source.
 * @aws-sdk/client-s3 is declared for `--endpoint s3=<url>`, not for its model.
 */
const NOT_SOURCES = new Set(['@aws-sdk/client-s3']);

/** The packages the repository declares: only those are sources, never a transitive one that may come and go. */
function declaredPackages(): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')) as Record<string, Record<string, string> | undefined>;
  return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((p) => !NOT_SOURCES.has(p)));
}

/** The latest API version of each model of the `aws-sdk` package, by its client key (`dynamodb`, `stepfunctions`). */
function v2Models(apis: string): Map<string, { file: string; model: MinModel }> {
  const metadata = JSON.parse(fs.readFileSync(path.join(apis, 'metadata.json'), 'utf-8')) as Record<string, { prefix?: string }>;
  const files = fs.readdirSync(apis);
  const out = new Map<string, { file: string; model: MinModel }>();
  for (const key of Object.keys(metadata).sort()) {
    const prefix = metadata[key].prefix ?? key;
    const versions = files.filter((f) => f.startsWith(`${prefix}-`) && /^\d{4}-\d{2}-\d{2}\.min\.json$/.test(f.slice(prefix.length + 1))).sort();
    const file = versions[versions.length - 1];
    if (file === undefined) continue;
    out.set(key, { file: file.replace(/\.min\.json$/, ''), model: JSON.parse(fs.readFileSync(path.join(apis, file), 'utf-8')) as MinModel });
  }
  return out;
}

/** Interns a model's shapes into one table, in the order operations reach them. */
class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly named = new Map<string, number>();
  constructor(private readonly model: MinModel) {}

  ref(member: MinMember | undefined): Ref {
    if (member === undefined) return 'structure';
    if (member.shape !== undefined) {
      const known = this.named.get(member.shape);
      if (known !== undefined) return known;
      const target = this.model.shapes[member.shape];
      if (target === undefined) throw new Error(`shape ${member.shape} is not in the model`);
      if (target.type !== 'structure' && target.type !== 'list' && target.type !== 'map') return this.scalar(target);
      const index = this.reserve();
      this.named.set(member.shape, index);
      this.shapes[index] = this.build(target);
      return index;
    }
    if (member.type !== 'structure' && member.type !== 'list' && member.type !== 'map') return this.scalar(member);
    const index = this.reserve();
    this.shapes[index] = this.build(member);
    return index;
  }

  private reserve(): number {
    this.shapes.push({ l: 'string' });
    return this.shapes.length - 1;
  }

  private scalar(member: MinMember): string {
    if (member.document) return 'document';
    if (member.jsonvalue) return 'json';
    const type = member.type ?? 'string';
    const scalar = SCALARS[type];
    if (scalar === undefined) throw new Error(`unknown shape type ${type}`);
    return scalar;
  }

  private build(shape: MinMember): Shape {
    if (shape.type === 'list') return { l: this.ref(shape.member) };
    if (shape.type === 'map') return { m: [this.ref(shape.key), this.ref(shape.value)] };
    const members: Record<string, Ref> = {};
    for (const name of Object.keys(shape.members ?? {})) members[name] = this.ref(shape.members![name]);
    return {
      s: members,
      ...(shape.required && shape.required.length > 0 ? { r: [...shape.required] } : {}),
      ...(shape.union ? { u: 1 as const } : {}),
    };
  }
}

/** A schema of an SDK v3 client (@smithy/types' static schemas): a number, `'unit'`, an array, a thunk. */
type V3Ref = number | string | unknown[] | (() => V3Ref);

/** What a simple schema's number means (@smithy/types' sentinels); list and map modifiers are bits 64 and 128. */
function v3Scalar(id: number): string {
  switch (id) {
    case 0: return 'string';
    case 1: case 17: case 19: return 'number';
    case 2: return 'boolean';
    case 4: case 5: case 6: case 7: return 'timestamp';
    case 15: return 'document';
    case 21: case 42: return 'blob';
    default: throw new Error(`unknown simple schema ${id}`);
  }
}

/**
 * Interns an SDK v3 client's schemas into one table, as ShapeTable does for a v2 model. The
 * schemas do not tell an integer from a float: a member the v2 model has under the same
 * structure keeps v2's type, any other number is `number`.
 */
class V3ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly named = new Map<unknown[], number>();
  constructor(private readonly v2: MinModel | undefined) {}

  ref(schema: V3Ref, owner?: { structure: string; member: string }): Ref {
    const resolved = typeof schema === 'function' ? schema() : schema;
    if (resolved === 'unit') return 'structure';
    if (typeof resolved === 'number') return this.simple(resolved, owner);
    if (!Array.isArray(resolved)) throw new Error(`unknown schema ${String(resolved)}`);
    // A member schema: [schema, traits].
    if (resolved.length === 2) return this.withTraits(resolved[0] as V3Ref, resolved[1], owner);
    const kind = resolved[0] as number;
    if (kind === 0) return this.withTraits(resolved[4] as V3Ref, resolved[3], owner);
    const known = this.named.get(resolved);
    if (known !== undefined) return known;
    const index = this.shapes.length;
    this.shapes.push({ l: 'string' });
    this.named.set(resolved, index);
    this.shapes[index] = this.build(resolved);
    return index;
  }

  private withTraits(schema: V3Ref, traits: unknown, owner?: { structure: string; member: string }): Ref {
    const ref = this.ref(schema, owner);
    const mediaType = traits !== null && typeof traits === 'object' ? (traits as Record<string, unknown>).mediaType : undefined;
    return ref === 'string' && typeof mediaType === 'string' && mediaType.includes('json') ? 'json' : ref;
  }

  private simple(id: number, owner?: { structure: string; member: string }): Ref {
    if (id & 64) return this.inline({ l: this.simple(id & 63) });
    if (id & 128) return this.inline({ m: ['string', this.simple(id & 127)] });
    const scalar = v3Scalar(id);
    return scalar === 'number' && owner !== undefined ? this.v2Number(owner) : scalar;
  }

  private v2Number(owner: { structure: string; member: string }): string {
    const member = this.v2?.shapes[owner.structure]?.members?.[owner.member];
    const type = member?.shape !== undefined ? this.v2?.shapes[member.shape]?.type : member?.type;
    return type !== undefined && SCALARS[type] === 'integer' ? 'integer' : 'number';
  }

  private inline(shape: Shape): number {
    this.shapes.push(shape);
    return this.shapes.length - 1;
  }

  private build(schema: unknown[]): Shape {
    const kind = schema[0] as number;
    const name = schema[2] as string;
    if (kind === 1) return { l: this.ref(schema[4] as V3Ref) };
    if (kind === 2) return { m: [this.ref(schema[4] as V3Ref), this.ref(schema[5] as V3Ref)] };
    if (kind !== 3 && kind !== 4 && kind !== -3) throw new Error(`unknown schema kind ${kind} (${name})`);
    const names = schema[4] as string[];
    const refs = schema[5] as V3Ref[];
    const members: Record<string, Ref> = {};
    names.forEach((member, i) => { members[member] = this.ref(refs[i], { structure: name, member }); });
    const required = kind === 3 && typeof schema[6] === 'number' ? names.slice(0, schema[6]) : [];
    return { s: members, ...(required.length > 0 ? { r: required } : {}), ...(kind === 4 ? { u: 1 as const } : {}) };
  }
}

/** An SDK v3 client's operations, by name, as [input, output] schemas. */
function v3Operations(dir: string): Map<string, [V3Ref, V3Ref]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = require(dir) as Record<string, unknown>;
  const out = new Map<string, [V3Ref, V3Ref]>();
  for (const [key, value] of Object.entries(client)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    out.set(value[2] as string, [value[4] as V3Ref, value[5] as V3Ref]);
  }
  return out;
}

/** One service's table, as written to `<service>.json`. */
export interface ServiceTable {
  readonly service: string;
  readonly errorPrefix: string;
  readonly model: string;
  readonly protocol: string;
  /** Operation name → [input, output, the error shapes it raises or null when not known]. */
  readonly operations: Record<string, [Ref, Ref, string[] | null]>;
  readonly shapes: Shape[];
}

export interface GeneratedIndex {
  readonly models: { readonly package: string; readonly version: string };
  /**
   * Where error lists come from: the declared v3 clients, the v3 clients of the committed extract
   * (scripts/contracts/v3-errors.json.gz), and botocore's version for the others.
   */
  readonly errors: { readonly packages: Record<string, string>; readonly extracted: Record<string, string>; readonly botocore: string };
  /**
   * Service name → its table's file and error prefix, whether it has error lists, and the
   * sources of its shapes and errors (`aws-sdk 2.1693.0`, `@aws-sdk/client-bedrock 3.1163.0`,
   * `botocore 1.29.27`); services with no model are listed in `missing`.
   */
  readonly services: Record<string, {
    readonly model: string; readonly errorPrefix: string; readonly errors: boolean; readonly shapesFrom: string; readonly errorsFrom?: string;
  }>;
  readonly missing: Record<string, string>;
}

/** Each operation's error shapes from botocore's extract, or undefined when its model names no error at all. */
function botocoreErrors(extract: BotocoreErrors, serviceId: string, file: string): Map<string, string[]> | undefined {
  // By the service's id, or by its model's name where the id changed since (`CloudWatch Events`, now `EventBridge`).
  const entry = Object.hasOwn(extract.services, serviceId) ? extract.services[serviceId] : Object.values(extract.services).find((e) => e.model === file);
  if (entry === undefined) return undefined;
  const operations = new Map(Object.entries(entry.operations));
  return [...operations.values()].some((errors) => errors.length > 0) ? operations : undefined;
}

export function generate(outDir: string, botocore: BotocoreErrors = readExtract(), extracted: V3Errors = readV3Extract()): { files: string[]; index: GeneratedIndex } {
  const v2 = packageDir('aws-sdk');
  if (v2 === undefined) throw new Error('the aws-sdk devDependency is not installed: run `npm install`');
  const models = v2Models(path.join(v2, 'apis'));
  const byJavaKey = new Map<string, string>();
  for (const [key, { model }] of models) byJavaKey.set(javaServiceKey(model.metadata.serviceId ?? key), key);
  const declared = declaredPackages();

  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const v2Source = `aws-sdk ${packageVersion(v2)}`;
  const index: GeneratedIndex = {
    models: { package: 'aws-sdk', version: packageVersion(v2) }, errors: { packages: {}, extracted: {}, botocore: botocore.source.version }, services: {}, missing: {},
  };

  for (const service of [...SDK_SERVICES.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = byJavaKey.get(service.name) ?? byJavaKey.get(service.errorPrefix.toLowerCase()) ?? (models.has(service.name) ? service.name : undefined);
    if (key === undefined) {
      index.missing[service.name] = `aws-sdk ${index.models.version} has no model for it`;
      continue;
    }
    const { file, model } = models.get(key)!;
    const serviceId = model.metadata.serviceId ?? key;
    const clientName = `@aws-sdk/client-${serviceId.toLowerCase().replace(/\s+/g, '-')}`;
    const clientDir = declared.has(clientName) ? packageDir(clientName) : undefined;
    const clientSource = clientDir === undefined ? undefined : `${clientName} ${packageVersion(clientDir)}`;
    const v3 = clientDir === undefined ? undefined : v3Errors(clientDir);
    const packed = v3 === undefined && Object.hasOwn(extracted.services, clientName) ? new Map(Object.entries(extracted.services[clientName].operations)) : undefined;
    const packedSource = packed === undefined ? undefined : `${clientName} ${extracted.packages[clientName]}`;
    const fromBotocore = v3 === undefined && packed === undefined ? botocoreErrors(botocore, serviceId, file) : undefined;
    const errors = v3 ?? packed ?? fromBotocore;
    if (clientDir !== undefined) index.errors.packages[clientName] = packageVersion(clientDir);
    if (packed !== undefined) index.errors.extracted[clientName] = extracted.packages[clientName];

    let operations: Record<string, [Ref, Ref, string[] | null]>;
    let shapes: Shape[];
    const raisedBy = (op: string): string[] | null => errors?.get(op) ?? null;
    if (clientDir !== undefined) {
      // The client's model is newer than v2's: its operations, requests and answers.
      const table = new V3ShapeTable(model);
      operations = {};
      const v3Ops = v3Operations(clientDir);
      for (const op of [...v3Ops.keys()].sort()) {
        const [input, output] = v3Ops.get(op)!;
        operations[op] = [table.ref(input), table.ref(output), raisedBy(op)];
      }
      shapes = table.shapes;
    } else {
      const table = new ShapeTable(model);
      operations = {};
      for (const op of Object.keys(model.operations).sort()) {
        const { input, output } = model.operations[op];
        operations[op] = [input === undefined ? emptyStructure(table) : table.ref(input), output === undefined ? emptyStructure(table) : table.ref(output), raisedBy(op)];
      }
      shapes = table.shapes;
    }
    const out: ServiceTable = { service: service.name, errorPrefix: service.errorPrefix, model: file, protocol: model.metadata.protocol, operations, shapes };
    // Compressed: the tables take about 5 MB as JSON and about a fifth of that in gzip; the
    // loader reads one service's file and inflates it in about a millisecond.
    const name = `${service.name}.json.gz`;
    fs.writeFileSync(path.join(outDir, name), zlib.gzipSync(`${JSON.stringify(out)}\n`, { level: 9 }));
    written.push(name);
    const errorsFrom = v3 !== undefined ? clientSource : packedSource ?? (fromBotocore !== undefined ? `botocore ${botocore.source.version}` : undefined);
    index.services[service.name] = {
      model: file, errorPrefix: service.errorPrefix, errors: errors !== undefined, shapesFrom: clientSource ?? v2Source, ...(errorsFrom ? { errorsFrom } : {}),
    };
  }
  fs.writeFileSync(path.join(outDir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  written.push('index.json');
  // A service that left the table leaves no file behind.
  for (const stale of fs.readdirSync(outDir).filter((f) => f.endsWith('.json.gz') && !written.includes(f))) fs.rmSync(path.join(outDir, stale));
  return { files: written.sort(), index };
}

function emptyStructure(table: ShapeTable): Ref {
  return table.ref({ type: 'structure', members: {} });
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = at >= 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : path.join(ROOT, 'src', 'contracts', 'data');
  const { files, index } = generate(outDir);
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(outDir, f)).size, 0);
  const withErrors = Object.values(index.services).filter((e) => e.errors).length;
  console.log(`contracts: ${files.length - 1} services from aws-sdk ${index.models.version} and ${Object.keys(index.errors.packages).length} v3 clients (${Object.keys(index.errors.extracted).length} more for errors, ${withErrors} with errors, botocore ${index.errors.botocore}), ${Object.keys(index.missing).length} without a model, ${(bytes / 1e6).toFixed(2)} MB in ${path.relative(process.cwd(), outDir) || '.'}`);
}
