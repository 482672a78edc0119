import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareHistories, keyOrderDifference } from './history-compare';
import { awsRule, checkKeyOrder, type ObjectComparison } from './key-order-check';
import { scoreKeyOrder } from './output-order';
import { loadCases } from './recorded-run';
import { hashMapOrder } from '../../src/asl/key-order';
import { describeWithShared, sharedPath } from '../shared-data';

/*
 * The key order AWS gives the objects payload templates build (src/asl/key-order.ts), checked
 * against every object a recorded history shows (key-order-check.ts says where it looks), and
 * the key order of every output and Task input of the recordings (output-order.ts), which has
 * a floor in floor.json (`keyOrder`), as `npx projen conformance` holds it.
 */
const CASES_DIR = sharedPath('conformance', 'cases');
const FLOOR = (JSON.parse(fs.readFileSync(path.join(__dirname, 'floor.json'), 'utf8')) as { keyOrder: number }).keyOrder;

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);
/** Objects whose order says something: two keys or more. */
const ordered = (objects: readonly ObjectComparison[]): ObjectComparison[] => objects.filter((o) => o.recorded.length >= 2);
const describeMiss = (o: ObjectComparison): string => `${o.file} ${o.where}: predicted ${o.predicted.join(',')}, recorded ${o.recorded.join(',')}`;

describeWithShared('conformance/cases', "the key order of template objects in AWS's recorded histories", () => {
  const cases = loadCases(CASES_DIR, (c) => Array.isArray(c.history) && c.history.length > 0);
  const report = checkKeyOrder(cases);

  it('reads every template object a history shows, each with the keys its template names', () => {
    expect(report.sites).toBeGreaterThan(350);
    expect(report.incomparable).toBe(0);
    // JSON.parse would put integer-like keys first in the templates and in the recordings alike.
    expect(report.integerKeys).toBe(0);
  });

  it('finds every JSONPath template object in the order of the rule: fixed fields, then path fields in HashMap order', () => {
    const objects = ordered(report.objects).filter((o) => o.syntax === 'JSONPath');
    const byKind = new Map<string, [number, number]>();
    for (const o of objects) {
      const row = byKind.get(`${o.kind}${o.nested ? ', nested' : ''}`) ?? [0, 0];
      byKind.set(`${o.kind}${o.nested ? ', nested' : ''}`, [row[0] + 1, row[1] + (same(o.definition, o.recorded) ? 1 : 0)]);
    }
    console.log(`key order: ${objects.length} JSONPath template objects of 2+ keys in ${new Set(objects.map((o) => o.file)).size} recordings\n${
      [...byKind].map(([kind, [n, asWritten]]) => `  ${kind}: ${n} (in the definition's order: ${asWritten})`).join('\n')}`);
    expect(objects.filter((o) => !same(o.predicted, o.recorded)).map(describeMiss)).toEqual([]);
    expect(objects.length).toBeGreaterThan(180);
    // The rule is needed: the definition's order is wrong for many of them.
    expect(objects.filter((o) => !same(o.definition, o.recorded)).length).toBeGreaterThan(60);
    expect(objects.filter((o) => o.kind === 'Task parameters (TaskScheduled)' && !o.nested).length).toBeGreaterThan(90);
  });

  it("finds JSONata Arguments and Output objects, and Pass Results, in the definition's order", () => {
    const objects = ordered(report.objects).filter((o) => o.syntax !== 'JSONPath');
    expect(objects.filter((o) => !same(o.definition, o.recorded)).map(describeMiss)).toEqual([]);
    expect(objects.filter((o) => o.syntax === 'JSONata').length).toBeGreaterThan(40);
    // Not by chance: in HashMap order, many of them would differ.
    const hashed = checkKeyOrder(cases, (keys, syntax) => (syntax === 'JSONata' ? hashMapOrder(keys).map((i) => keys[i]) : awsRule(keys, syntax)));
    expect(ordered(hashed.objects).filter((o) => o.syntax === 'JSONata' && !same(o.predicted, o.recorded)).length).toBeGreaterThan(10);
  });

  it(`lists the keys of at least ${FLOOR}% of the outputs and Task inputs in AWS's order`, async () => {
    const { total, matched, share, misses } = await scoreKeyOrder(CASES_DIR);
    console.log(`key order: ${matched}/${total} outputs and Task inputs in AWS's order (${share}%)${misses.length ? `\n${misses.join('\n')}` : ''}`);
    expect(total).toBeGreaterThan(800);
    expect(share).toBeGreaterThanOrEqual(FLOOR);
  }, 120_000);
});

describe('the conformance comparison counts key order', () => {
  const event = (output: string): Record<string, unknown> => ({
    id: 2,
    previousEventId: 1,
    type: 'PassStateExited',
    timestamp: 'timestamp',
    stateExitedEventDetails: { name: 'S', output: JSON.parse(output) as unknown, outputDetails: { truncated: false } },
  });

  it('reports a document whose keys come in another order, at any depth', () => {
    expect(keyOrderDifference({ a: { x: 1, y: 2 }, b: 1 }, { a: { y: 2, x: 1 }, b: 1 })).toEqual({ path: '$.a', got: ['x', 'y'], expected: ['y', 'x'] });
    expect(keyOrderDifference([{ x: 1, y: 2 }], [{ x: 1, y: 2 }])).toBeUndefined();
  });

  it('fails a history equal by value whose output lists its keys in another order', () => {
    const diff = compareHistories([event('{"a":1,"b":2}')] as never, [event('{"b":2,"a":1}')] as never);
    expect(diff?.keyOrder).toEqual({ path: 'stateExitedEventDetails.output', got: ['a', 'b'], expected: ['b', 'a'] });
  });

  it("ignores the order of the events' own fields, which the recordings sorted", () => {
    const sorted = Object.fromEntries(Object.entries(event('{"a":1}')).sort(([a], [b]) => a.localeCompare(b)));
    expect(compareHistories([event('{"a":1}')] as never, [sorted] as never)).toBeUndefined();
  });
});
