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
// Sources (both pinned devDependencies or dependencies, so the drift test always has them):
// - the `aws-sdk` package's `apis/<model>.min.json`: every operation's input and output, each
//   structure's members with their types and required members, lists and maps. It is AWS's model
//   set in one package (the SDK for JavaScript v2, whose last release is final); documentation,
//   enums and length bounds are not in it.
// - the `@aws-sdk/client-<id>` packages this repository installs: each command's declaration
//   lists the error shapes the operation can raise (`@throws {@link ResourceNotFoundException}`).
//   A service with no client installed has no error list (`null`: unknown, never "none").
//   src/contracts/error-names.ts turns a shape into the name Step Functions reports.
//
// The service names and error prefixes are src/iam/sdk.ts's table (from the developer guide's
// "AWS SDK service integrations").
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
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

/** The packages the repository declares: only those are sources, never a transitive one that may come and go. */
function declaredPackages(): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')) as Record<string, Record<string, string> | undefined>;
  return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
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

/** `Database Migration Service` → `databasemigration`: the name Step Functions (the SDK for Java) gives the service. */
function javaServiceKey(serviceId: string): string {
  return serviceId.replace(/^(Amazon|AWS)\s*/, '').replace(/[\s-]/g, '').replace(/Service$/, '').toLowerCase();
}

/** Each operation's error shapes, from the `@throws` of its command's declaration in an SDK v3 client. */
function v3Errors(dir: string): Map<string, string[]> {
  const commands = path.join(dir, 'dist-types', 'commands');
  const out = new Map<string, string[]>();
  for (const file of fs.readdirSync(commands).filter((f) => f.endsWith('Command.d.ts')).sort()) {
    const text = fs.readFileSync(path.join(commands, file), 'utf-8');
    const errors = [...text.matchAll(/@throws \{@link (\w+)\} \((?:client|server) fault\)/g)].map((m) => m[1]);
    out.set(file.slice(0, -'Command.d.ts'.length), [...new Set(errors)].sort());
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
  readonly errors: { readonly packages: Record<string, string> };
  /** Service name → its table's file and error prefix; services with no model are listed in `missing`. */
  readonly services: Record<string, { readonly model: string; readonly errorPrefix: string; readonly errors: boolean }>;
  readonly missing: Record<string, string>;
}

export function generate(outDir: string): { files: string[]; index: GeneratedIndex } {
  const v2 = packageDir('aws-sdk');
  if (v2 === undefined) throw new Error('the aws-sdk devDependency is not installed: run `npm install`');
  const models = v2Models(path.join(v2, 'apis'));
  const byJavaKey = new Map<string, string>();
  for (const [key, { model }] of models) byJavaKey.set(javaServiceKey(model.metadata.serviceId ?? key), key);
  const declared = declaredPackages();

  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const index: GeneratedIndex = { models: { package: 'aws-sdk', version: packageVersion(v2) }, errors: { packages: {} }, services: {}, missing: {} };

  for (const service of [...SDK_SERVICES.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = byJavaKey.get(service.name) ?? byJavaKey.get(service.errorPrefix.toLowerCase()) ?? (models.has(service.name) ? service.name : undefined);
    if (key === undefined) {
      index.missing[service.name] = `aws-sdk ${index.models.version} has no model for it`;
      continue;
    }
    const { file, model } = models.get(key)!;
    const clientName = `@aws-sdk/client-${(model.metadata.serviceId ?? key).toLowerCase().replace(/\s+/g, '-')}`;
    const clientDir = declared.has(clientName) ? packageDir(clientName) : undefined;
    const errors = clientDir === undefined ? undefined : v3Errors(clientDir);
    if (clientDir !== undefined) index.errors.packages[clientName] = packageVersion(clientDir);

    const table = new ShapeTable(model);
    const operations: Record<string, [Ref, Ref, string[] | null]> = {};
    for (const op of Object.keys(model.operations).sort()) {
      const { input, output } = model.operations[op];
      const raised = errors?.get(op);
      operations[op] = [
        input === undefined ? emptyStructure(table) : table.ref(input),
        output === undefined ? emptyStructure(table) : table.ref(output),
        raised === undefined ? null : raised,
      ];
    }
    const out: ServiceTable = { service: service.name, errorPrefix: service.errorPrefix, model: file, protocol: model.metadata.protocol, operations, shapes: table.shapes };
    // Compressed: the tables take about 5 MB as JSON and about a fifth of that in gzip; the
    // loader reads one service's file and inflates it in about a millisecond.
    const name = `${service.name}.json.gz`;
    fs.writeFileSync(path.join(outDir, name), zlib.gzipSync(`${JSON.stringify(out)}\n`, { level: 9 }));
    written.push(name);
    index.services[service.name] = { model: file, errorPrefix: service.errorPrefix, errors: errors !== undefined };
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
  console.log(`contracts: ${files.length - 1} services from aws-sdk ${index.models.version} (${Object.keys(index.errors.packages).length} with errors), ${Object.keys(index.missing).length} without a model, ${(bytes / 1e6).toFixed(2)} MB in ${path.relative(process.cwd(), outDir) || '.'}`);
}
