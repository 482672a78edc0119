import type { JsonValue, StateMachineDefinition } from '../asl';
import { answerShapeAt } from './contract-answers';
import { machineStates } from './goals';
import { readsOf } from './reads';

/*
 * The fields of a Task's answer a probe places a value at beyond those the answer already holds:
 * a run of the search answered `{}` where the machine reads `Payload.status` gives no text to
 * change, yet the value the machine compares goes there. They are the fields the Task's own reads
 * take from its answer (its ResultSelector, Output, Assign), and those a Choice rule reads, followed
 * back through a run to the answer that wrote them (verify-asks.ts). A value goes to one only where
 * the service's model allows it ({@link modelAllows}).
 */

/** A JSON value's kind, as JSONata's `$type` names it. @internal */
export type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/** The kind of a value the answer model's type gives; the free types (any JSON) are absent. */
const MODEL_KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['string', 'string'], ['timestamp', 'string'], ['blob', 'string'],
  ['integer', 'number'], ['long', 'number'], ['float', 'number'], ['double', 'number'], ['number', 'number'],
  ['boolean', 'boolean'], ['list', 'array'], ['structure', 'object'], ['map', 'object'],
]);
/** The answer model's types that hold any JSON. */
const FREE_TYPES: ReadonlySet<string> = new Set(['any', 'json', 'document']);

/** A JSON value's kind, as JSONata's `$type` names it; undefined for no value. @internal */
export const kindOf = (v: JsonValue | undefined): Kind | undefined =>
  v === undefined ? undefined : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v as Kind;

/**
 * Whether the service's model lets a Task's answer hold `v` at `steps`: always where no model
 * describes the answer (a Lambda function's payload) or the field, or one it lies in, holds any
 * JSON (a model's reply, Bedrock's `Body`); else only a value of the kind the model types the
 * field, and never at a field the model does not have (`mapped`: a field's name read from a
 * list is its items', as a JSONata path reads it).
 * @internal
 */
export function modelAllows(resource: string, steps: ReadonlyArray<string | number>, v: JsonValue, mapped = false): boolean {
  if (answerShapeAt(resource, []) === undefined) return true;
  for (let i = 1; i < steps.length; i++) {
    const around = answerShapeAt(resource, steps.slice(0, i), mapped)?.type;
    if (around === undefined) return false;
    if (FREE_TYPES.has(around)) return true;
  }
  const type = answerShapeAt(resource, steps, mapped)?.type;
  if (type === undefined) return false;
  return FREE_TYPES.has(type) || MODEL_KINDS.get(type) === kindOf(v);
}

/** Per Task state, fields of its answer (the runner's envelope taken off), as steps. @internal */
export type AnswerFields = ReadonlyMap<string, ReadonlyArray<ReadonlyArray<string | number>>>;

/**
 * Per Task, the fields its ResultSelector, Output or Assign read from its answer (the runner's
 * envelope taken off), at most `most` each.
 * @internal
 */
export function answerReads(
  def: StateMachineDefinition, prefixOf: (resource: string) => ReadonlyArray<string | number>, most: number,
): Map<string, Array<Array<string | number>>> {
  const out = new Map<string, Array<Array<string | number>>>();
  for (const info of machineStates(def).values()) {
    const resource = info.def.Type === 'Task' ? info.def.Resource : undefined;
    if (typeof resource !== 'string') continue;
    const prefix = prefixOf(resource);
    const paths = readsOf(info)
      .filter((r) => r.scope === 'result' && r.steps.length > prefix.length && prefix.every((s, i) => r.steps[i] === s))
      .map((r) => r.steps.slice(prefix.length));
    if (paths.length > 0) out.set(info.name, paths.slice(0, most));
  }
  return out;
}

/** A field of a Task's answer (the runner's envelope taken off) that Choice rules read, with those rules. @internal */
export interface FieldRead {
  readonly state: string;
  readonly steps: ReadonlyArray<string | number>;
  readonly rules: readonly unknown[];
  /** Where the rules read inside the JSON text at `steps`, when they read it through `$parse`. */
  readonly inner?: ReadonlyArray<string | number>;
}

/** The fields of `reads` per Task (those read inside a JSON text are the text probes' alone: {@link FieldRead.inner}). @internal */
export function fieldsOf(reads: readonly FieldRead[]): Map<string, Array<ReadonlyArray<string | number>>> {
  const out = new Map<string, Array<ReadonlyArray<string | number>>>();
  for (const r of reads) {
    if (r.inner) continue;
    const list = out.get(r.state) ?? [];
    list.push(r.steps);
    out.set(r.state, list);
  }
  return out;
}

/** The fields of `a` and of `b` per Task, each once, at most `most` per Task (`a`'s first). @internal */
export function joinFields(a: AnswerFields, b: AnswerFields, most: number): Map<string, Array<ReadonlyArray<string | number>>> {
  const out = new Map<string, Array<ReadonlyArray<string | number>>>();
  for (const m of [a, b]) {
    for (const [state, paths] of m) {
      const list = out.get(state) ?? [];
      const held = new Set(list.map((p) => JSON.stringify(p)));
      for (const p of paths) {
        if (list.length >= most || held.has(JSON.stringify(p))) continue;
        held.add(JSON.stringify(p));
        list.push(p);
      }
      out.set(state, list);
    }
  }
  return out;
}
