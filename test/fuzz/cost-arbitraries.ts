/**
 * Hostile input for `stepwright cost`: coverage reports (`--coverage`), price tables
 * (`--prices`) and the two reports of `--diff`, each a valid document (with counts and prices
 * anywhere in their accepted range, up to 2^53 - 1 and $1,000,000) with at most one field
 * changed by a mutation: a value out of range or of the wrong type, NaN and ±Infinity written
 * as JSON can (`1e999`), a field deleted, a key renamed to `__proto__` or `constructor`, a value
 * wrapped in a `__proto__` object. Each case knows the field it touched, so the property can
 * ask that a refusal names it.
 */
import fc from 'fast-check';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { definitionId } from '../../src/testing/coverage';

/** The input families of the cost fuzzer. */
export const COST_FAMILIES = ['coverage-report', 'price-table', 'diff-report'] as const;
export type CostFamily = (typeof COST_FAMILIES)[number];

/** One generated command line of `stepwright cost` with the files it reads. */
export interface CostCase {
  readonly family: CostFamily;
  /** What was done to the document: `none`, `replace`, `delete`, `proto-key`, `proto-wrap`, `rename`, or `option` for a hostile option. */
  readonly mutation: string;
  /** The JSON text of each file, by name (text, so that `1e999` and `__proto__` keys survive). */
  readonly files: Readonly<Record<string, string>>;
  /** Arguments after `cost`, files named as `@name` (the property puts them in its directory). */
  readonly args: readonly string[];
  /** The path of the field the mutation touched (`cost.machines[0].usages[0].usage.durationMs`), or '' for none. */
  readonly field: string;
  /** Words one of which a refusal must contain: the field, its object, or what the field decides. */
  readonly names: readonly string[];
}

/** The machine every generated report is of: one Task, so a definition id the CLI computes the same. */
export const COST_MACHINE: StateMachineDefinition = {
  StartAt: 'Charge',
  States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'charge' }, End: true } },
} as unknown as StateMachineDefinition;

const MAX = Number.MAX_SAFE_INTEGER;
/** A quarter of it: four of them add up to no more than it. */
const QUARTER = Math.floor(MAX / 4);
/** Stands for a number JSON cannot write as itself; replaced in the text. */
const INFINITY = '\u0001+inf';
const MINUS_INFINITY = '\u0001-inf';

/** A count: mostly small, sometimes anywhere up to `most`. */
const count = (most = MAX): fc.Arbitrary<number> => fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: most }) },
  { weight: 1, arbitrary: fc.constant(most) },
);

const millis = fc.oneof(fc.nat({ max: 600_000 }), fc.integer({ min: 0, max: MAX }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const usd = fc.oneof(fc.constantFrom(0, 0.025, 1, 0.06, 1_000_000), fc.double({ min: 0, max: 1_000_000, noNaN: true }));

const childGroup = fc.record({
  mapState: fc.string({ maxLength: 20 }),
  type: fc.constantFrom('STANDARD', 'EXPRESS'),
  executions: count(),
  stateTransitions: count(),
  billedDurationMs: millis,
});

const usage = fc.record({
  statesEntered: count(QUARTER),
  retries: count(QUARTER),
  redrives: fc.option(count(QUARTER), { nil: undefined }),
  childExecutionsStarted: count(QUARTER),
  durationMs: millis,
  billedDurationMs: millis,
  // Within the 1,000,000 MB the memory estimate may reach: a payload of at most 256 KiB Map-stepped
  // at most 100 times, or either as large as a count may be with the other 0.
  memory: fc.oneof(
    fc.tuple(fc.nat({ max: 262_144 }), fc.nat({ max: 100 })),
    count().map((n) => [n, 0] as const),
    count().map((n) => [0, n] as const),
  ),
  childExecutions: fc.option(fc.array(childGroup, { maxLength: 2 }), { nil: undefined }),
  status: fc.option(fc.constantFrom('SUCCEEDED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT'), { nil: undefined }),
  error: fc.option(fc.constantFrom('States.TaskFailed', 'States.DataLimitExceeded', 'valueOf'), { nil: undefined }),
}).map((u) => {
  const out: Record<string, unknown> = {
    stateTransitions: u.statesEntered + u.retries + (u.redrives ?? 0) + u.childExecutionsStarted,
    statesEntered: u.statesEntered,
    retries: u.retries,
    childExecutionsStarted: u.childExecutionsStarted,
    durationMs: u.durationMs,
    billedDurationMs: u.billedDurationMs,
    largestPayloadBytes: u.memory[0],
    parallelOrMapSteps: u.memory[1],
  };
  if (u.redrives !== undefined) out.redrives = u.redrives;
  if (u.childExecutions !== undefined) out.childExecutions = u.childExecutions;
  if (u.status !== undefined) out.status = u.status;
  if (u.status !== undefined && u.status !== 'SUCCEEDED' && u.error !== undefined) out.error = u.error;
  return out;
});

const costRow = fc.record({
  file: fc.constantFrom('test/a.test.ts', 'test/b.test.ts', 'x|y`*', '__proto__'),
  machine: fc.constantFrom('Orders', 'valueOf', 'a\nb'),
  // A quarter of the most, so that rows of one file and machine (added up) stay countable.
  runs: count(QUARTER),
  stateTransitions: count(QUARTER),
  billedDurationMs: fc.integer({ min: 0, max: QUARTER }),
}).chain((r) => fc.option(fc.integer({ min: 0, max: r.runs }), { nil: undefined })
  .map((failedRuns) => (failedRuns === undefined ? r : { ...r, failedRuns })));

const coverageReport = fc.record({
  usages: fc.array(fc.record({ usage, runs: count(QUARTER).map((n) => Math.max(1, n)) }), { minLength: 1, maxLength: 4 }),
  rows: fc.array(costRow, { maxLength: 2 }),
}).map(({ usages, rows }) => ({
  machines: [],
  cost: { rows, machines: [{ id: definitionId(COST_MACHINE), name: 'Charge', usages }] },
}));

const band = fc.record({ gbHours: count(), usdPerGbHour: usd });
const priceTable = fc.record({
  standard: fc.record({ usdPer1000Transitions: usd, freeTransitionsPerMonth: count() }),
  express: fc.record({
    usdPerMillionRequests: usd,
    duration: fc.tuple(fc.array(band, { maxLength: 2 }), usd).map(([bands, last]) => [...bands, { usdPerGbHour: last }]),
  }),
}).map((us) => ({ source: 'fuzzed prices', retrieved: '2026-01-01', regions: { 'us-east-1': us } }));

const diffReport = fc.array(costRow, { minLength: 1, maxLength: 4 }).map((rows) => ({ cost: { rows } }));

type Path = ReadonlyArray<string | number>;

/** Every node of a JSON value but the root, by path. */
function paths(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const out: Path[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = [...at, Array.isArray(value) ? Number(k) : k];
    out.push(p, ...paths(v, p));
  }
  return out;
}

function dotted(prefix: string, path: Path): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? k : `${s}.${k}`), prefix);
}

const HOSTILE_VALUES: readonly unknown[] = [
  -1, -0.5, 0.5, -1e12, 1e300, -1e300, MAX + 2, 2 ** 64, INFINITY, MINUS_INFINITY, '1', '', 'valueOf', '__proto__', null, true, [], {},
  'x'.repeat(2_000), [1, 2, 3],
];

/** The fields whose sum stateTransitions must be: a change to one of them is refused as a change to the sum. */
const PARTS_OF_TRANSITIONS = new Set(['statesEntered', 'retries', 'redrives', 'childExecutionsStarted']);
/** Fields that together decide the memory estimate: a large one may be refused as the estimate's. */
const MEMORY_FIELDS = new Set(['largestPayloadBytes', 'parallelOrMapSteps']);

/** Words a refusal of a change at `path` may name. */
function namesFor(path: Path): string[] {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const last = keys[keys.length - 1] ?? '';
  const names = [...keys.slice(-2)];
  if (PARTS_OF_TRANSITIONS.has(last)) names.push('stateTransitions');
  if (MEMORY_FIELDS.has(last)) names.push('memory estimate');
  // A change to the machine's id leaves no machine of this definition: the refusal names the id.
  if (last === 'id') names.push('definition id');
  // A run counts: a sum of them past 2^53 is refused as a total of the machine's runs.
  if (last === 'runs') names.push('runs');
  // A changed status may leave no run that succeeded to price: the refusal names each failed run.
  if (last === 'status' || last === 'error') names.push('no run to price');
  // A price table's regions are checked by key, and its source and date as a whole.
  if (keys[0] === 'regions') names.push('regions');
  return names;
}

interface Mutated {
  readonly doc: unknown;
  readonly mutation: string;
  readonly path: Path;
}

/** The document with one node changed as `kind` says, by a deep copy (the original is shared by shrinking). */
function mutate(doc: unknown, path: Path, kind: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  const old = parent[key];
  // An own key, even '__proto__', as JSON.parse makes it: plain assignment would set the prototype.
  const define = (o: object, k: string, v: unknown) => Object.defineProperty(o, k, {
    value: v, enumerable: true, writable: true, configurable: true,
  });
  switch (kind) {
    case 'replace': parent[key] = value; break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'proto-key':
      if (Array.isArray(parent)) {
        parent[key] = define({}, '__proto__', old);
      } else {
        delete parent[key];
        define(parent, String(value), old);
      }
      break;
    case 'proto-wrap': parent[key] = define({}, '__proto__', old); break;
    default: throw new Error(`unknown mutation ${kind}`);
  }
  return copy;
}

function mutated(doc: fc.Arbitrary<unknown>): fc.Arbitrary<Mutated> {
  return doc.chain((d) => {
    const all = paths(d);
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant<Mutated>({ doc: d, mutation: 'none', path: [] }) },
      {
        weight: 6,
        arbitrary: fc.record({
          at: fc.nat({ max: all.length - 1 }),
          kind: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'proto-key', 'proto-wrap'),
          value: fc.constantFrom(...HOSTILE_VALUES),
          key: fc.constantFrom('__proto__', 'constructor', 'valueOf'),
        }).map(({ at, kind, value, key }): Mutated => ({ doc: mutate(d, all[at], kind, kind === 'proto-key' ? key : value), mutation: kind, path: all[at] })),
      },
    );
  });
}

/** JSON text with the stand-ins for ±Infinity written as numbers JSON parses to them. */
function text(doc: unknown): string {
  return JSON.stringify(doc).split(JSON.stringify(INFINITY)).join('1e999').split(JSON.stringify(MINUS_INFINITY)).join('-1e999');
}

const perMonth = fc.constantFrom('0', '1', '1000000', '9007199254740991');

/** A hostile `--coverage` report, with options. */
function coverageCase(): fc.Arbitrary<CostCase> {
  return fc.record({ m: mutated(coverageReport), perMonth, json: fc.boolean(), includeFailed: fc.boolean(), memory: fc.constantFrom(undefined, '64', '1000000') })
    .map(({ m, perMonth: n, json, includeFailed, memory }): CostCase => ({
      family: 'coverage-report',
      mutation: m.mutation,
      files: { 'report.json': text(m.doc) },
      args: ['@machine', '--coverage', '@report.json', '--per-month', n, ...(json ? ['--json'] : []), ...(includeFailed ? ['--include-failed'] : []),
        ...(memory !== undefined ? ['--memory-mb', memory] : [])],
      field: m.mutation === 'none' ? '' : dotted('', m.path),
      names: m.mutation === 'none' ? [] : namesFor(m.path),
    }));
}

/** A hostile `--prices` table, and sometimes a hostile `--region`. */
function priceCase(): fc.Arbitrary<CostCase> {
  const region = fc.oneof({ weight: 5, arbitrary: fc.constant('us-east-1') }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'eu-west-1') });
  return fc.record({ m: mutated(priceTable), perMonth, json: fc.boolean(), region })
    .map(({ m, perMonth: n, json, region: r }): CostCase => {
      const option = r !== 'us-east-1';
      return {
        family: 'price-table',
        mutation: option && m.mutation === 'none' ? 'option' : m.mutation,
        files: { 'prices.json': text(m.doc), 'mocks.json': JSON.stringify({ Charge: { Return: { Payload: { id: 'ch_1' } } } }) },
        args: ['@machine', '--input', '{}', '--mocks', '@mocks.json', '--prices', '@prices.json', '--region', r, '--per-month', n, ...(json ? ['--json'] : [])],
        field: m.mutation === 'none' ? '' : dotted('', m.path),
        names: [...(m.mutation === 'none' ? [] : namesFor(m.path)), ...(option ? ['region'] : [])],
      };
    });
}

/** Two `--diff` reports, one of them hostile. */
function diffCase(): fc.Arbitrary<CostCase> {
  return fc.record({ m: mutated(diffReport), other: diffReport, first: fc.boolean() }).map(({ m, other, first }): CostCase => ({
    family: 'diff-report',
    mutation: m.mutation,
    files: { 'before.json': text(first ? m.doc : other), 'after.json': text(first ? other : m.doc) },
    args: ['--diff', '@before.json', '@after.json'],
    field: m.mutation === 'none' ? '' : dotted('', m.path),
    names: m.mutation === 'none' ? [] : namesFor(m.path),
  }));
}

/** Cases of the families asked for, in equal parts. */
export function costCaseArb(families: readonly CostFamily[] = COST_FAMILIES): fc.Arbitrary<CostCase> {
  const by: Record<CostFamily, () => fc.Arbitrary<CostCase>> = { 'coverage-report': coverageCase, 'price-table': priceCase, 'diff-report': diffCase };
  return fc.oneof(...families.map((f) => by[f]()));
}
