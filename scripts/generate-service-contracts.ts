// Writes src/contracts/data/: one table per AWS SDK service that Step Functions integrates with
// (`arn:aws:states:::aws-sdk:<service>:<action>`), and an index naming the model version they come
// from. The one source is the committed extract of botocore's models,
// scripts/contracts/botocore-models.json.gz (scripts/extract-botocore-models.ts): requests, answers
// and error names alike, so the three can never come from models of different ages.
//
//   npx projen contracts                                   rewrites src/contracts/data/
//   node -r ts-node/register/transpile-only scripts/generate-service-contracts.ts --out <dir>
//
// Each service's table is `<service>.json.gz` (gzip of one line of JSON). A shape reference is a
// scalar type's name or an index into the table's `shapes`; a scalar with an enum or bounds is a
// shape of its own (`{c: 'string', e: [...], n: 1, x: 2048}`), shared by every member that has the
// same, and only where an answer can reach it: a request's values are not judged by enum or bounds.
// Lists' and maps' sizes and strings' patterns are not kept: TestState is not known to check them.
// The service names and error prefixes are src/iam/sdk.ts's table.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { readModelsExtract, type BotocoreModels, type ExtractMember, type ExtractService, type ExtractShape } from './extract-botocore-models';
import { SDK_SERVICES } from '../src/iam/sdk';

const ROOT = path.join(__dirname, '..');

/** A reference to a shape: a scalar type's name, or an index into the table's `shapes`. */
type Ref = string | number;
type Shape =
  | { s: Record<string, Ref>; r?: string[]; u?: 1; i?: string[] }
  | { l: Ref }
  | { m: [Ref, Ref] }
  | { c: string; e?: string[]; n?: number; x?: number };

const SCALARS: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  long: 'integer',
  byte: 'integer',
  short: 'integer',
  float: 'number',
  double: 'number',
  boolean: 'boolean',
  timestamp: 'timestamp',
  blob: 'blob',
  character: 'string',
};

/** Interns a service's shapes into one table, in the order its operations reach them. */
class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly named = new Map<string, number>();
  private readonly scalars = new Map<string, number>();
  /** The shapes an answer reaches: only their enums and bounds are kept (a request's are not checked). */
  private readonly answered: ReadonlySet<string>;
  constructor(private readonly service: ExtractService) {
    this.answered = reach(service, Object.values(service.operations).map(([, output]) => output).filter((o): o is string => o !== null));
  }

  ref(name: string | null, flags = ''): Ref {
    if (name === null) return this.empty();
    const shape = this.service.shapes[name];
    if (shape === undefined) throw new Error(`shape ${name} is not in the model of ${this.service.model}`);
    if (flags.includes('j')) return 'json';
    if (shape.d) return 'document';
    // An event stream is not an answer Step Functions can give (it refuses streaming calls).
    if (shape.es) return 'any';
    if (shape.t !== 'structure' && shape.t !== 'list' && shape.t !== 'map') return this.scalar(shape, this.answered.has(name));
    const known = this.named.get(name);
    if (known !== undefined) return known;
    const index = this.shapes.length;
    this.shapes.push({ l: 'string' });
    this.named.set(name, index);
    this.shapes[index] = this.build(shape);
    return index;
  }

  private empty(): Ref {
    const key = '{}';
    const known = this.scalars.get(key);
    if (known !== undefined) return known;
    this.shapes.push({ s: {} });
    this.scalars.set(key, this.shapes.length - 1);
    return this.shapes.length - 1;
  }

  private scalar(shape: ExtractShape, answered: boolean): Ref {
    const type = SCALARS[shape.t];
    if (type === undefined) throw new Error(`unknown shape type ${shape.t} in ${this.service.model}`);
    // A request's values are not judged by enum or bounds (Step Functions leaves that to the service).
    const bounded = answered && (type === 'string' || type === 'blob' || type === 'integer' || type === 'number');
    const constraint: Shape = {
      c: type,
      ...(type === 'string' && shape.e && answered ? { e: [...shape.e] } : {}),
      ...(bounded && shape.n !== undefined ? { n: shape.n } : {}),
      ...(bounded && shape.x !== undefined ? { x: shape.x } : {}),
    };
    if (Object.keys(constraint).length === 1) return type;
    const key = JSON.stringify(constraint);
    const known = this.scalars.get(key);
    if (known !== undefined) return known;
    this.shapes.push(constraint);
    this.scalars.set(key, this.shapes.length - 1);
    return this.shapes.length - 1;
  }

  private build(shape: ExtractShape): Shape {
    if (shape.t === 'list') return { l: this.ref(shape.l!) };
    if (shape.t === 'map') return { m: [this.ref(shape.k!), this.ref(shape.v!)] };
    const members: Record<string, Ref> = {};
    const tokens: string[] = [];
    for (const [name, member] of Object.entries(shape.m ?? {})) {
      const [target, flags] = split(member);
      members[name] = this.ref(target, flags);
      if (flags.includes('i')) tokens.push(name);
    }
    return {
      s: members,
      ...(shape.r && shape.r.length > 0 ? { r: [...shape.r] } : {}),
      ...(shape.u ? { u: 1 as const } : {}),
      ...(tokens.length > 0 ? { i: tokens } : {}),
    };
  }
}

/** The names of the shapes reachable from the given ones. */
function reach(service: ExtractService, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const shape = service.shapes[name];
    if (shape === undefined) continue;
    for (const member of Object.values(shape.m ?? {})) queue.push(split(member)[0]);
    for (const ref of [shape.l, shape.k, shape.v]) if (ref !== undefined) queue.push(ref);
  }
  return seen;
}

function split(member: ExtractMember): [string, string] {
  return typeof member === 'string' ? [member, ''] : member;
}

/** One service's table, as written to `<service>.json.gz`. */
export interface ServiceTable {
  readonly service: string;
  readonly errorPrefix: string;
  readonly model: string;
  readonly protocol: string;
  /** Operation name → [input, output, the error shapes it raises, or null when the model names no error at all]. */
  readonly operations: Record<string, [Ref, Ref, string[] | null]>;
  readonly shapes: Shape[];
}

export interface GeneratedIndex {
  /** The models the tables come from: `{ package: 'botocore', version: '1.43.11' }`. */
  readonly models: { readonly package: string; readonly version: string };
  /** Service name → its model, error prefix, protocol and whether its model lists errors. */
  readonly services: Record<string, { readonly model: string; readonly errorPrefix: string; readonly protocol: string; readonly errors: boolean }>;
  /** Services of src/iam/sdk.ts with no model, and why. */
  readonly missing: Record<string, string>;
}

export function generate(outDir: string, models: BotocoreModels = readModelsExtract()): { files: string[]; index: GeneratedIndex } {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const index: GeneratedIndex = { models: { ...models.source }, services: {}, missing: { ...models.missing } };
  for (const service of [...SDK_SERVICES.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const source = Object.hasOwn(models.services, service.name) ? models.services[service.name] : undefined;
    if (source === undefined) {
      index.missing[service.name] ??= `botocore ${models.source.version} has no model for it`;
      continue;
    }
    const table = new ShapeTable(source);
    // EC2's model names no error shape (its API answers codes such as InvalidInstanceID.NotFound): its lists are unknown, not empty.
    const listsErrors = Object.values(source.operations).some(([, , errors]) => errors.length > 0);
    const operations: Record<string, [Ref, Ref, string[] | null]> = {};
    for (const op of Object.keys(source.operations).sort()) {
      const [input, output, errors] = source.operations[op];
      operations[op] = [table.ref(input), table.ref(output), listsErrors ? [...errors] : null];
    }
    const out: ServiceTable = {
      service: service.name, errorPrefix: service.errorPrefix, model: source.model, protocol: source.protocol, operations, shapes: table.shapes,
    };
    const name = `${service.name}.json.gz`;
    fs.writeFileSync(path.join(outDir, name), zlib.gzipSync(`${JSON.stringify(out)}\n`, { level: 9 }));
    written.push(name);
    index.services[service.name] = { model: source.model, errorPrefix: service.errorPrefix, protocol: source.protocol, errors: listsErrors };
  }
  fs.writeFileSync(path.join(outDir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  written.push('index.json');
  // A service that left the table leaves no file behind.
  for (const stale of fs.readdirSync(outDir).filter((f) => f.endsWith('.json.gz') && !written.includes(f))) fs.rmSync(path.join(outDir, stale));
  return { files: written.sort(), index };
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = at >= 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : path.join(ROOT, 'src', 'contracts', 'data');
  const { files, index } = generate(outDir);
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(outDir, f)).size, 0);
  const withErrors = Object.values(index.services).filter((e) => e.errors).length;
  console.log(`contracts: ${files.length - 1} services from ${index.models.package} ${index.models.version} (${withErrors} with error lists), `
    + `${Object.keys(index.missing).length} without a model, ${bytes} bytes in ${path.relative(process.cwd(), outDir) || '.'}`);
}
