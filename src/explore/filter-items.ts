import { setAt } from './plan';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';
import { compilePath, filterConditions, followSteps, type FilterCondition, type Step } from '../asl/path';

/*
 * Items a JSONPath filter selects, made up: a filter's conditions (`@.Type.Text == AMOUNT_PAID`,
 * `@.score > 0.5`, as the interpreter reads them, a bare word being the string it spells) become
 * values written into the item, and the filter itself, evaluated as a run evaluates it, says
 * whether the item made is selected. Explore writes such items where a path selects with a filter
 * (provenance-paths.ts), so that what a later state reads of the selection is there.
 */

/** The paths (under an item) a filter's conditions read, when it is a conjunction explore can meet; undefined when not. */
export function filterFields(filter: string): Step[][] | undefined {
  const conditions = filterConditions(filter);
  if (conditions === undefined || conditions.length === 0) return undefined;
  const out: Step[][] = [];
  for (const c of conditions) {
    const steps = stepsOf(c.path);
    if (steps === undefined) return undefined;
    out.push(steps);
  }
  return out;
}

/**
 * An item the filter selects, made from `base` (its other fields kept): each condition's path
 * given a value that meets it. Undefined when the filter is not a conjunction of conditions on the
 * item's fields, or the item made is not selected (the filter decides).
 */
export function itemSelectedBy(filter: string, base: JsonValue | undefined): JsonValue | undefined {
  const conditions = filterConditions(filter);
  if (conditions === undefined) return undefined;
  let item: JsonValue | undefined = base;
  for (const c of conditions) {
    const steps = stepsOf(c.path);
    if (steps === undefined) return undefined;
    const value = valueMeeting(c, followSteps(item, steps));
    if (value === undefined) return undefined;
    item = setAt(item, steps, value);
  }
  return item !== undefined && selects(filter, item) ? item : undefined;
}

/** The values that meet each condition of a filter, in the order {@link filterFields} gives their paths (undefined where explore has none). */
export function valuesMeeting(filter: string): Array<JsonValue | undefined> | undefined {
  return filterConditions(filter)?.map((c) => valueMeeting(c, undefined));
}

/** True when the filter selects the item, as a run evaluates it. */
export function selects(filter: string, item: JsonValue): boolean {
  try {
    const found = compilePath(`$[?(${filter})]`).read({ input: [item], context: null });
    return Array.isArray(found) && found.length === 1;
  } catch {
    return false;
  }
}

/** A list with the items the filter selects replaced by `items`, the others kept in their order. */
export function withSelected(list: JsonValue | undefined, filter: string, items: readonly JsonValue[]): JsonValue[] {
  const kept = Array.isArray(list) ? list.filter((item) => !selects(filter, item)) : [];
  return [...kept, ...items];
}

function stepsOf(path: string): Step[] | undefined {
  try {
    const compiled = compilePath(path);
    return compiled.definite && compiled.steps !== undefined && compiled.root.kind === 'input' ? [...compiled.steps] : undefined;
  } catch {
    return undefined;
  }
}

/** A value that meets one condition, the value there now when it does; undefined when explore knows none. */
function valueMeeting(c: FilterCondition, now: JsonValue | undefined): JsonValue | undefined {
  const v = c.value;
  const isList = Array.isArray(v);
  switch (c.relation) {
    case 'present': case 'exists':
      if (c.relation === 'exists' && v !== true) return undefined;
      return now !== undefined && now !== null ? now : 'value';
    case '==': case '===': return v;
    case '!=': case '!==':
      if (now !== undefined && !sameJson(now, v)) return now;
      return typeof v === 'number' ? v + 1 : typeof v === 'string' ? `not ${v}` : 'value';
    case '>': return typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}~` : undefined;
    case '>=': case '<=': return typeof v === 'number' || typeof v === 'string' ? v : undefined;
    case '<': return typeof v === 'number' ? v - 1 : typeof v === 'string' && v !== '' ? '' : undefined;
    case 'in': return isList && v.length > 0 ? v[0] : undefined;
    case 'nin': return isList ? `not ${JSON.stringify(v)}` : undefined;
    case 'anyof': return isList && v.length > 0 ? [v[0]] : undefined;
    case 'subsetof': return isList ? [] : undefined;
    case 'contains': return typeof v === 'string' ? v : v === undefined ? undefined : [v];
    case 'empty': return v === true ? [] : v === false ? ['value'] : undefined;
    case 'size': return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000 ? Array.from({ length: v }, () => 'value') : undefined;
    default: return undefined;
  }
}
