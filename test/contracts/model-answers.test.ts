/*
 * An answer built from the model itself, every member filled with a value the model allows (at the
 * edges of its bounds, a blob as the base64 text Step Functions gives), is never refused: whatever
 * the checks refuse, the model must allow nothing of it. One answer per operation of every AWS SDK
 * service the tables hold, at each edge; the figures are printed.
 */
import type { JsonValue } from '../../src/asl/definition-types';
import { checkAnswer, contractOf } from '../../src/contracts';
import { actionNames, modelIndex, serviceModel } from '../../src/contracts/sdk-models';
import type { ScalarShape, Shape } from '../../src/contracts/shapes';

type Edge = 'low' | 'high';
/** Texts and blobs longer than this are made at their minimum: a bound of megabytes says nothing more. */
const LONGEST = 8192;

function length(shape: ScalarShape, edge: Edge): number {
  const low = Math.max(shape.min ?? 0, 1);
  return edge === 'high' && shape.max !== undefined && shape.max <= LONGEST ? shape.max : Math.min(low, shape.max ?? low);
}

function scalar(shape: ScalarShape, edge: Edge): JsonValue {
  switch (shape.type) {
    case 'string': return shape.enum !== undefined ? shape.enum[edge === 'high' ? shape.enum.length - 1 : 0] : 'a'.repeat(length(shape, edge));
    case 'blob': return Buffer.alloc(length(shape, edge), 0xab).toString('base64');
    case 'integer': return edge === 'high' ? shape.max ?? Math.max(shape.min ?? 1, 1) : shape.min ?? 0;
    case 'number': return edge === 'high' ? shape.max ?? Math.max(shape.min ?? 1.5, 1.5) : shape.min ?? 0.5;
    case 'boolean': return edge === 'high';
    case 'timestamp': return '2026-11-27T10:00:00.000Z';
    default: return { any: [1, 'json'] };
  }
}

/**
 * What {@link answer} built for a shape at a depth, per edge: a member's shape recurs across a model's
 * operations (the views are the model's own, one per shape), and the checks only read an answer.
 */
const built = { low: new WeakMap<Shape, Map<number, JsonValue>>(), high: new WeakMap<Shape, Map<number, JsonValue>>() };

function answer(shape: Shape, edge: Edge, depth: number): JsonValue {
  let byDepth = built[edge].get(shape);
  if (byDepth === undefined) {
    byDepth = new Map();
    built[edge].set(shape, byDepth);
  }
  let value = byDepth.get(depth);
  if (value === undefined) {
    value = build(shape, edge, depth);
    byDepth.set(depth, value);
  }
  return value;
}

function build(shape: Shape, edge: Edge, depth: number): JsonValue {
  switch (shape.type) {
    case 'structure': {
      // Deep in a recursive model, only what must be there.
      const fields = depth > 12 ? shape.required : shape.union ? shape.fields.slice(0, 1) : shape.fields;
      return Object.fromEntries(fields.map((f) => [f, answer(shape.member(f)!, edge, depth + 1)]));
    }
    case 'list': return depth > 12 ? [] : [answer(shape.member, edge, depth + 1)];
    case 'map': return depth > 12 ? {} : { key: answer(shape.value, edge, depth + 1) };
    default: return scalar(shape, edge);
  }
}

describe('an answer the model allows', () => {
  const resources = Object.keys(modelIndex().services).flatMap((service) => {
    const model = serviceModel(service);
    return model === undefined ? [] : actionNames(model).map((action) => `arn:aws:states:::aws-sdk:${service}:${action}`);
  });

  it.each(['low', 'high'] as const)('is never refused, every member filled at the %s edge of its bounds', (edge) => {
    const refused: string[] = [];
    let judged = 0;
    for (const resource of resources) {
      const output = contractOf(resource).output;
      if (output === undefined) continue;
      judged++;
      const found = checkAnswer(resource, answer(output, edge, 0), 'STRICT').filter((f) => f.aws !== undefined);
      if (found.length > 0) refused.push(`${resource}: ${found[0].message}`);
    }
    process.stdout.write(`contracts: ${judged} answers built from the models at the ${edge} edge: ${refused.length} refused\n`);
    expect(judged).toBeGreaterThan(15_000);
    expect(refused).toEqual([]);
  });
});
