import { requestSeed } from './contract-answers';
import type { StateInfo } from './goals';
import type { ChoiceRule, JsonValue } from '../asl';
import { fieldOf, parseJsonata } from './solve/jsonata-ast';
import { IntrinsicNames } from '../asl/intrinsics/names';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { compilePath, type Step } from '../asl/path';
import { contractOf, type Shape } from '../contracts';

/*
 * Type-directed seeds: the first value explore writes for a field a state
 * needs (a Task's Parameters read `$.reviewThreshold`) is of the kind the
 * machine compares the field with elsewhere, not its name as a string: a
 * number where a Choice compares it with numbers, a timestamp where with
 * timestamps, a boolean, a string its StringMatches pattern matches; and of
 * the kind the service's request member it flows into takes (a DynamoDB `S`
 * key is a string). A field seeded with the wrong kind can leave a comparison
 * explore cannot steer, or send a request the service refuses.
 */

/** A number and a time any comparison of their kind accepts; the solver moves them where a rule wants. */
const SEED_NUMBER = 1;
const SEED_TIMESTAMP = '2024-01-01T00:00:00Z';

const NUMERIC = /^Numeric(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const TIMESTAMP = /^Timestamp(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const BOOLEAN = /^BooleanEquals(Path)?$/;

/** A JSONata comparison with `<`, `>`, `<=` or `>=` on a plain path of the input or the result: a number. */
const JSONATA_BEFORE = /\$states\.(?:input|result)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(?:<=?|>=?)/g;
const JSONATA_AFTER = /(?:<=?|>=?)\s*\$states\.(?:input|result)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;

/**
 * The arguments of intrinsic functions that take one kind of value, by position: a number where
 * they compute (an end past its start), an algorithm name `States.Hash` accepts. `$.x` given
 * there is seeded so.
 */
const INTRINSIC_ARGUMENTS: ReadonlyMap<string, readonly (JsonValue | undefined)[]> = new Map<string, readonly (JsonValue | undefined)[]>([
  [IntrinsicNames.HASH, [undefined, 'SHA-256']],
  [IntrinsicNames.ARRAY_PARTITION, [undefined, SEED_NUMBER]],
  [IntrinsicNames.ARRAY_RANGE, [SEED_NUMBER, SEED_NUMBER + 1, SEED_NUMBER]],
  [IntrinsicNames.ARRAY_GET_ITEM, [undefined, 0]],
  [IntrinsicNames.MATH_RANDOM, [SEED_NUMBER, SEED_NUMBER + 1]],
  [IntrinsicNames.MATH_ADD, [SEED_NUMBER, SEED_NUMBER]],
]);

/** A JSONata comparison of a variable (`$lim > …`, `… <= $lim`): the variable's name. `$states` is not a variable of the machine's. */
const JSONATA_VARIABLE_BEFORE = /\$(?!states\b)([A-Za-z_][A-Za-z0-9_]*)\s*(?:<=?|>=?)/g;
const JSONATA_VARIABLE_AFTER = /(?:<=?|>=?)\s*\$(?!states\b)([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g;
/** A JSONata filter comparing an item's field with a number (`$states.result[score > 80]`, `[0 < qty]`): the field's name. */
const JSONATA_FILTER = /\[\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:<=?|>=?)\s*-?[0-9]|\[\s*-?[0-9][0-9.]*\s*(?:<=?|>=?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*\]/g;
/** A JSONPath reference to a whole variable (`$lim`), as a Choice rule's Variable or …Path operand takes it. */
const VARIABLE_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
/** `{% $states.input.limit %}`: an Assign that copies one field of the input or result. */
const JSONATA_COPY = /^\{%\s*\$states\.(?:input|result)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*%\}$/;

/** `States.F(…, $.x, …)` with a plain input path as an argument: the function, the argument's position and its last field. */
const INTRINSIC_CALL = /(States\.[A-Za-z]+)\(([^()]*)\)/g;

/** A structure's member, or a map's values, by a request field's name. */
function memberOf(shape: Shape, key: string): Shape | undefined {
  if (shape.type === 'structure') return shape.member(key);
  if (shape.type === 'map') return shape.value;
  return undefined;
}

/** A JSONPath `.$` value that reads one field of the input or a variable: its steps (and the variable). */
function jsonPathRead(text: string): { steps: readonly Step[]; variable?: string } | undefined {
  try {
    const path = compilePath(text);
    if (!path.definite || !path.steps) return undefined;
    if (path.root.kind === 'input') return { steps: path.steps };
    return path.root.kind === 'variable' ? { steps: path.steps, variable: path.root.name } : undefined;
  } catch {
    return undefined;
  }
}

/** A `{% %}` value that reads one field of the input or a variable whole: its steps (and the variable). */
function jsonataRead(text: string): { steps: readonly Step[]; variable?: string } | undefined {
  if (!isJsonataExpression(text)) return undefined;
  const parsed = parseJsonata(text.trim().slice(2, -2));
  if ('error' in parsed) return undefined;
  const read = fieldOf(parsed.ast, new Set());
  if (!read || !('ref' in read) || !read.whole) return undefined;
  const root = read.ref.root;
  if (root === 'input') return { steps: read.ref.steps };
  return typeof root === 'object' ? { steps: read.ref.steps, variable: root.variable } : undefined;
}

/** The last field name of a JSONPath path, or `undefined` for one that does not end in a field. */
function lastField(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const path = compilePath(text);
    const last = path.steps?.[path.steps.length - 1];
    return typeof last === 'string' ? last : undefined;
  } catch {
    return undefined;
  }
}

/** A string a StringMatches pattern matches: each `*` one `x`, escapes taken as the characters they escape. */
export function matching(pattern: string): string {
  return pattern.replace(/\\(.)|\*/g, (_m: string, escaped: string | undefined) => (escaped !== undefined ? escaped : 'x'));
}

/**
 * The seed for each field name the machine compares with one kind of value,
 * by name (values move between states under the same name more often than
 * under the same path). A name compared with two kinds gets none.
 */
export function seedsOf(states: ReadonlyMap<string, StateInfo>): ReadonlyMap<string, JsonValue> {
  const found = new Map<string, JsonValue | null>();
  const offer = (name: string | undefined, value: JsonValue): void => {
    if (name === undefined) return;
    const had = found.get(name);
    if (had === undefined) found.set(name, value);
    else if (had !== null && typeof had !== typeof value) found.set(name, null);
  };
  // A variable compared with one kind of value passes that kind on to the fields it is assigned
  // from (`"lim.$": "$.limit"`, then `NumericGreaterThanPath: "$lim"`): the seed goes to `limit`.
  const assignedFrom = new Map<string, string[]>();
  for (const info of states.values()) {
    const assign = (info.def as { Assign?: unknown }).Assign;
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) continue;
    for (const [key, value] of Object.entries(assign)) {
      const variable = key.endsWith('.$') ? key.slice(0, -2) : key;
      const field = key.endsWith('.$') ? lastField(value)
        : typeof value === 'string' ? JSONATA_COPY.exec(value)?.[1].split('.').pop() : undefined;
      if (field === undefined) continue;
      const fields = assignedFrom.get(variable) ?? [];
      if (!fields.includes(field)) fields.push(field);
      assignedFrom.set(variable, fields);
    }
  }
  const offerVariable = (variable: string, value: JsonValue): void => {
    for (const field of assignedFrom.get(variable) ?? []) offer(field, value);
  };
  const offerPath = (text: unknown, value: JsonValue): void => {
    const variable = typeof text === 'string' ? VARIABLE_PATH.exec(text) : null;
    if (variable) offerVariable(variable[1], value);
    else offer(lastField(text), value);
  };
  const rule = (r: ChoiceRule, depth: number): void => {
    if (depth > 32) return;
    for (const sub of [...(r.And ?? []), ...(r.Or ?? []), ...(r.Not ? [r.Not] : [])]) rule(sub, depth + 1);
    if (typeof r.Condition === 'string') {
      for (const re of [JSONATA_BEFORE, JSONATA_AFTER]) {
        for (const m of r.Condition.matchAll(re)) offer(m[1].slice(1).split('.').pop(), SEED_NUMBER);
      }
      for (const re of [JSONATA_VARIABLE_BEFORE, JSONATA_VARIABLE_AFTER]) {
        for (const m of r.Condition.matchAll(re)) offerVariable(m[1], SEED_NUMBER);
      }
    }
    for (const key of Object.keys(r)) {
      const operand = r[key];
      let seed: JsonValue | undefined;
      if (NUMERIC.test(key)) seed = SEED_NUMBER;
      else if (TIMESTAMP.test(key)) seed = SEED_TIMESTAMP;
      else if (BOOLEAN.test(key)) seed = true;
      else if (key === 'StringMatches' && typeof operand === 'string') seed = matching(operand);
      if (seed === undefined) continue;
      offerPath(r.Variable, seed);
      if (key.endsWith('Path')) offerPath(operand, seed);
    }
  };
  const intrinsics = (tpl: JsonValue | undefined, depth: number): void => {
    if (tpl === null || typeof tpl !== 'object' || depth > 32) return;
    for (const [key, value] of Object.entries(tpl)) {
      if (key.endsWith('.$') && typeof value === 'string') {
        for (const m of value.matchAll(INTRINSIC_CALL)) {
          const args = m[2].split(',');
          // A States.Format template holds one {} per value that follows it.
          const kinds = m[1] === IntrinsicNames.FORMAT ? [args.slice(1).map(() => '{}').join(' ')] : INTRINSIC_ARGUMENTS.get(m[1]);
          if (!kinds) continue;
          args.forEach((arg, i) => {
            const seed = kinds[i];
            if (seed !== undefined && arg.trim().startsWith('$.')) offer(lastField(arg.trim()), seed);
          });
        }
      } else {
        intrinsics(value, depth + 1);
      }
    }
  };
  // A field read whole into a member of a service's request: a value of the member's kind (a DynamoDB S key is a string).
  const requests = (tpl: JsonValue | undefined, shape: Shape | undefined, depth: number): void => {
    if (tpl === null || typeof tpl !== 'object' || shape === undefined || depth > 32) return;
    for (const [key, value] of Object.entries(tpl)) {
      const jsonPath = key.endsWith('.$');
      const member = memberOf(shape, jsonPath ? key.slice(0, -2) : key);
      if (member === undefined) continue;
      if (typeof value !== 'string') {
        requests(value, member, depth + 1);
        continue;
      }
      const read = jsonPath ? jsonPathRead(value) : jsonataRead(value);
      if (read === undefined) continue;
      const seed = requestSeed(member, read.steps);
      if (seed === undefined) continue;
      if (read.variable !== undefined && read.steps.length === 0) offerVariable(read.variable, seed);
      else offer([...read.steps].reverse().find((st): st is string => typeof st === 'string'), seed);
    }
  };
  // A field a JSONata filter compares with a number, in any expression of the machine (a Map's `Assign` counting its results).
  const filters = (value: unknown, depth: number): void => {
    if (typeof value === 'string') for (const m of value.matchAll(JSONATA_FILTER)) offer(m[1] ?? m[2], SEED_NUMBER);
    else if (value !== null && typeof value === 'object' && depth < 32) for (const v of Object.values(value)) filters(v, depth + 1);
  };
  for (const info of states.values()) {
    if (info.language === 'JSONata') filters(info.def, 0);
    if (info.def.Type === 'Choice') for (const r of info.def.Choices ?? []) rule(r, 0);
    const def = info.def as { Parameters?: JsonValue; ResultSelector?: JsonValue; ItemSelector?: JsonValue };
    for (const tpl of [def.Parameters, def.ResultSelector, def.ItemSelector]) intrinsics(tpl, 0);
  }
  for (const info of states.values()) {
    const def = info.def as { Parameters?: JsonValue; Arguments?: JsonValue; Resource?: unknown };
    if (info.def.Type !== 'Task' || typeof def.Resource !== 'string') continue;
    const shape = contractOf(def.Resource).request;
    requests(info.language === 'JSONata' ? def.Arguments : def.Parameters, shape, 0);
  }
  // A field a JSONata template copies under another name (`"latency": "{% $states.result.Payload.latencyMs %}"` in an
  // Output) passes the kind the new name is compared with on to the field it copies, through a chain of such copies.
  const copies = new Map<string, string[]>();
  const templates = (tpl: unknown, depth: number): void => {
    if (tpl === null || typeof tpl !== 'object' || depth > 32) return;
    for (const [key, value] of Object.entries(tpl)) {
      const field = typeof value === 'string' ? JSONATA_COPY.exec(value)?.[1].split('.').pop() : undefined;
      if (field === undefined || field === key) { templates(value, depth + 1); continue; }
      const fields = copies.get(key) ?? [];
      if (!fields.includes(field)) fields.push(field);
      copies.set(key, fields);
    }
  };
  for (const info of states.values()) {
    const def = info.def as { Output?: unknown; Arguments?: unknown; ItemSelector?: unknown };
    if (info.language === 'JSONata') for (const tpl of [def.Output, def.Arguments, def.ItemSelector]) templates(tpl, 0);
  }
  for (let round = 0; round < MAX_COPY_CHAIN; round++) {
    for (const [key, fields] of copies) {
      const value = found.get(key);
      if (value !== undefined && value !== null) for (const f of fields) offer(f, value);
    }
  }
  const out = new Map<string, JsonValue>();
  for (const [name, value] of found) if (value !== null) out.set(name, value);
  return out;
}

/**
 * A JSONata filter's comparison of an item's field, with any operator and either side (`[status = 'REJECTED']`,
 * `[$.status != "OK"]`, `['A' = kind]`), a lambda's field of its argument (`function($r) { $r.status = 'FAILED' }`),
 * or a field a filter takes as its predicate (`results[ok]`: the items whose `ok` is truthy).
 */
const JSONATA_FILTERED = /\[\s*(?:\$\.)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:!?=|<=?|>=?|in\b)|(?:!?=|<=?|>=?)\s*(?:\$\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\]|\$(?!states\b)[A-Za-z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*)\s*(?:!?=|<=?|>=?|in\b)|\[\s*(?:\$\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\]/g;
/** The most names {@link filteredFields} gives. */
const MAX_FILTERED = 16;
/** What {@link filteredFields} found, by machine (its states, read once per exploration). */
const filtered = new WeakMap<ReadonlyMap<string, StateInfo>, readonly string[]>();

/**
 * The fields the machine's JSONata expressions compare in a filter over a list
 * (`$count($states.input[status = 'REJECTED'])`), first met first: a field of each result of a
 * Map a later state filters on, which an iteration's Task answer may hold though no run gave it yet.
 */
export function filteredFields(states: ReadonlyMap<string, StateInfo>): readonly string[] {
  const known = filtered.get(states);
  if (known) return known;
  const out = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (typeof value === 'string') {
      if (!isJsonataExpression(value)) return;
      for (const m of value.matchAll(JSONATA_FILTERED)) {
        const name = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (name !== undefined && name !== 'states' && !/^(?:and|or|in|true|false|null)$/.test(name)) out.add(name);
      }
    } else if (value !== null && typeof value === 'object' && depth < 32) {
      for (const v of Object.values(value)) walk(v, depth + 1);
    }
  };
  for (const info of states.values()) if (info.language === 'JSONata') walk(info.def, 0);
  const names = [...out].slice(0, MAX_FILTERED);
  filtered.set(states, names);
  return names;
}

/** The most templates a field's kind is passed back through (an Output that renames what an earlier Output renamed). */
const MAX_COPY_CHAIN = 3;

const texts = new WeakMap<object, ReadonlySet<string>>();
/** Bound on the strings of a definition kept: a text compared with is short, and a definition is at most 1 MB. */
const MAX_TEXTS = 10_000;
const QUOTED = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;

/**
 * The texts a machine may compare a value with: every string of its definition and the quoted
 * literals of its JSONata expressions (`$runState = "SUCCEEDED"`). A made-up answer that has to
 * differ from what the machine names avoids them (see conformAnswer). Computed once per definition.
 */
export function textsOf(def: object): ReadonlySet<string> {
  const known = texts.get(def);
  if (known !== undefined) return known;
  const out = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (out.size >= MAX_TEXTS || depth > 64) return;
    if (typeof v === 'string') {
      out.add(v);
      if (isJsonataExpression(v)) for (const m of v.matchAll(QUOTED)) out.add(m[1] ?? m[2]);
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const item of Object.values(v)) walk(item, depth + 1);
    }
  };
  walk(def, 0);
  texts.set(def, out);
  return out;
}

/** The most texts {@link conditionTexts} keeps: candidates per field are bounded anyway. */
const MAX_CONDITION_TEXTS = 32;
const conditionTextsOf = new WeakMap<object, readonly JsonValue[]>();

/**
 * The literal texts the machine's Choice rules compare with, in definition order: the strings of
 * JSONPath `String…` rules and those quoted in JSONata Conditions (and in the Assign and Output
 * of their rules). A field compared with a variable or computed from another can need one of them
 * (`$status in $terminal`, where `$terminal` was assigned `["FAILED", "STOPPED"]` states before).
 */
export function conditionTexts(states: ReadonlyMap<string, StateInfo>): readonly JsonValue[] {
  const known = conditionTextsOf.get(states);
  if (known !== undefined) return known;
  const out = new Set<string>();
  const add = (t: string): void => { if (out.size < MAX_CONDITION_TEXTS && t.length <= 64) out.add(t); };
  const rule = (r: ChoiceRule): void => {
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === 'string' && /^String(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)$/.test(k)) add(k === 'StringMatches' ? v.replace(/\\?\*/g, (m) => (m === '*' ? '' : '*')) : v);
    }
    for (const sub of [...(r.And ?? []), ...(r.Or ?? []), ...(r.Not ? [r.Not] : [])]) rule(sub);
    if (typeof r.Condition === 'string') for (const m of r.Condition.matchAll(QUOTED)) add(m[1] ?? m[2]);
  };
  for (const info of states.values()) if (info.def.Type === 'Choice') for (const r of info.def.Choices ?? []) rule(r);
  const list = [...out];
  conditionTextsOf.set(states, list);
  return list;
}
