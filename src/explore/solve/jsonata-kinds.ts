/*
 * What the parts of a JSONata expression do with the fields it reads (readKinds): the kind of
 * value each must be for the expression not to fail, which explore gives a field it makes up.
 */
import { ARITHMETIC, BUILT_INS, fieldKey, fieldOf, isPlainStep, literalOf, localNames, stagesOf, type FieldRef, type JsonataNode } from './jsonata-ast';
import type { Step } from '../../asl/path';

/** What a part of an expression does with a value it reads, as far as it fails on another kind. */
export type ReadKind = 'any' | 'number' | 'string' | 'array' | 'object' | 'numeric' | 'json' | 'timestamp';

const NUMBER_ARGS = new Set(['abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'formatNumber', 'formatBase', 'formatInteger', 'fromMillis']);
const STRING_ARGS = new Set([
  'length', 'substring', 'substringBefore', 'substringAfter', 'uppercase', 'lowercase', 'trim', 'pad', 'contains', 'split',
  'match', 'replace', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl',
]);
const ARRAY_ARGS = new Set(['count', 'append', 'sort', 'reverse', 'distinct', 'join', 'sum', 'max', 'min', 'average', 'zip', 'shuffle']);
const OBJECT_ARGS = new Set(['keys', 'sift', 'each', 'spread', 'lookup']);

/**
 * Each field an expression reads, with what the part around it does with it: arithmetic and
 * the numeric functions want a number, `$number` a number or a string of one, the string functions a string, `$count` and its kind a
 * list, `$keys` and its kind an object; a field compared with `<` or `>` against a number, a
 * number, `$toMillis` an ISO 8601 time. A field read in several places gets the first kind that is not `any`.
 */
export function readKinds(ast: JsonataNode): Array<{ ref: FieldRef; kind: ReadKind }> {
  const local = localNames(ast);
  const out = new Map<string, { ref: FieldRef; kind: ReadKind }>();
  // The item parameter of a lambda a higher-order function calls on each item of a field
  // (`$map($states.result.Items, function($i) { $i.id.S })`) reads that field's items: the first, as a path mapping does.
  const items = new Map<string, FieldRef>();
  const itemRead = (node: JsonataNode): { ref: FieldRef; whole: boolean } | undefined => {
    const steps = node.type === 'variable' ? [node] : node.type === 'path' && Array.isArray(node.steps) ? node.steps as JsonataNode[] : [];
    const first = steps[0];
    const base = first?.type === 'variable' && !stagesOf(first) ? items.get(first.value) : undefined;
    if (!base) return undefined;
    const path: Step[] = [...base.steps, 0];
    let k = 1;
    for (; k < steps.length && isPlainStep(steps[k], 'name') && !steps[k].stages; k++) path.push(steps[k].value as string);
    return { ref: { key: fieldKey(base.root, path), root: base.root, steps: path }, whole: k === steps.length };
  };
  const note = (node: JsonataNode | undefined, kind: ReadKind): void => {
    if (!node) return;
    const read = fieldOf(node, local) ?? itemRead(node);
    if (!read || !('ref' in read)) return;
    // What a function does with a path that goes on past the field (a filter, a mapping) says nothing of the field.
    const k = read.whole ? kind : 'any';
    const had = out.get(read.ref.key);
    if (!had) out.set(read.ref.key, { ref: read.ref, kind: k });
    else if (had.kind === 'any') had.kind = k;
  };
  // Inside a mapping step (`$states.input.lines.(price * quantity)`), a relative path reads a field of each item.
  let scope: FieldRef | undefined;
  const relative = (node: JsonataNode | undefined): FieldRef | undefined => {
    if (!scope || node?.type !== 'path' || !Array.isArray(node.steps)) return undefined;
    const names = node.steps as JsonataNode[];
    if (!names.every((st) => isPlainStep(st, 'name') && !st.stages)) return undefined;
    const steps = [...scope.steps, ...names.map((st) => st.value as string)];
    return { key: fieldKey(scope.root, steps), root: scope.root, steps };
  };
  const noteRelative = (node: JsonataNode | undefined, kind: ReadKind): void => {
    const ref = relative(node);
    if (!ref) return;
    const had = out.get(ref.key);
    if (!had) out.set(ref.key, { ref, kind });
    else if (had.kind === 'any') had.kind = kind;
  };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as JsonataNode;
    const read = fieldOf(n, local);
    if (read) {
      if ('ref' in read) note(n, 'any');
      if (n.type === 'path') {
        const step = (n.steps as JsonataNode[])['ref' in read ? read.at : -1];
        if ('ref' in read && step?.type === 'block') {
          const outer = scope;
          scope = read.ref;
          visit(step.expressions);
          scope = outer;
          visit(n.steps.slice(read.at + 1));
        } else {
          visit(n.steps.slice(1));
        }
      }
      return;
    }
    if (n.type === 'path') {
      noteRelative(n, 'any');
      note(n, 'any');
    }
    if (n.type === 'binary' && ARITHMETIC.has(n.value)) {
      note(n.lhs, 'number');
      note(n.rhs, 'number');
      noteRelative(n.lhs, 'number');
      noteRelative(n.rhs, 'number');
    }
    if (n.type === 'unary' && n.value === '-') note(n.expression, 'number');
    if (n.type === 'binary' && ['<', '<=', '>', '>='].includes(n.value)) {
      if (typeof literalOf(n.rhs) === 'number') note(n.lhs, 'number');
      if (typeof literalOf(n.lhs) === 'number') note(n.rhs, 'number');
    }
    if (n.type === 'function' && n.procedure?.type === 'variable' && !local.has(n.procedure.value)) {
      const name = n.procedure.value as string;
      const first = n.arguments?.[0] as JsonataNode | undefined;
      if (NUMBER_ARGS.has(name)) note(first, 'number');
      else if (name === 'number') note(first, 'numeric');
      // Step Functions' own $parse takes a string of JSON (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
      else if (name === 'parse') note(first, 'json');
      // `$toMillis` reads an ISO 8601 time and throws D3110 on any other text (https://docs.jsonata.org/date-time-functions).
      else if (name === 'toMillis') note(first, 'timestamp');
      else if (STRING_ARGS.has(name)) note(first, 'string');
      else if (ARRAY_ARGS.has(name)) note(first, 'array');
      else if (OBJECT_ARGS.has(name)) note(first, 'object');
      // `$lookup(object, key)` takes its key as a string (signature `<x-s:x>`, https://docs.jsonata.org/object-functions#lookup).
      if (name === 'lookup') note(n.arguments?.[1] as JsonataNode | undefined, 'string');
    }
    const bound = n.type === 'function' ? itemParameters(n, local) : [];
    const list = bound.length > 0 ? fieldOf(n.arguments[0], local) ?? itemRead(n.arguments[0]) : undefined;
    const outer = new Map(items);
    if (list && 'ref' in list && list.whole) {
      note(n.arguments[0], 'array');
      for (const name of bound) items.set(name, list.ref);
    }
    for (const key of Object.keys(n)) {
      // The function a call names is not a value it reads.
      if (key === 'procedure' && n.type === 'function' && n.procedure?.type === 'variable' && BUILT_INS.has(n.procedure.value)) continue;
      if (typeof n[key] === 'object') visit(n[key]);
    }
    if (bound.length > 0) {
      items.clear();
      for (const [k, v] of outer) items.set(k, v);
    }
  };
  visit(ast);
  return [...out.values()];
}

/** The positions of the item parameters of the lambda each higher-order built-in calls with its first argument's items. */
const ITEM_PARAMETERS: ReadonlyMap<string, readonly number[]> = new Map([
  ['map', [0]], ['filter', [0]], ['single', [0]], ['reduce', [1]], ['sort', [0, 1]],
]);

/** The names a call of a higher-order built-in binds to its first argument's items (`$i` in `$map(x, function($i) {…})`). */
function itemParameters(n: JsonataNode, local: ReadonlySet<string>): string[] {
  const name = n.procedure?.type === 'variable' ? n.procedure.value as string : undefined;
  const at = name !== undefined && !local.has(name) ? ITEM_PARAMETERS.get(name) : undefined;
  const lambda = n.arguments?.[1] as JsonataNode | undefined;
  if (!at || lambda?.type !== 'lambda' || !Array.isArray(lambda.arguments)) return [];
  return at.map((i) => lambda.arguments[i]).filter((a: JsonataNode | undefined) => a?.type === 'variable').map((a: JsonataNode) => a.value as string);
}
