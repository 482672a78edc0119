import { components } from './graph-components';
import { isPlainStep, parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { clockComparison, clockUpdateOf, eachNode, keyOf, START_TIME, variableOf } from './verify-forms';
import type { MachineGraph } from './verify-graph';
import type { StateDefinition } from '../asl';

/*
 * Why the elapsed-time bound (verify-counters.ts) does not bound a loop whose Choice compares now
 * with a time a variable holds. The bound is sound only when every condition it rests on holds:
 * every Assign of the variable reads the execution's clock, keeps it or gives it no time, none
 * reads it afresh in a turn of the loop, a Wait of constant positive seconds in the loop moves the
 * clock on, and the Choice compares now (its EnteredTime or `$now()`), not the execution's start
 * time. Where one fails the loop stays unbounded; this names the loop, the condition that failed
 * and what to give instead, for an UNKNOWN's reason. It only explains: it proves nothing.
 */

/** What a Choice compares: the variable, the Choice, its rule (from 1), and whether now is the execution's start time. */
interface Compared { readonly variable: string; readonly choice: string; readonly rule: number; readonly startTime: boolean }

const ORDER = new Set(['<', '<=', '>', '>=']);

/** `$toMillis($states.context.Execution.StartTime)`: a time that never moves on. */
function startMillis(node: JsonataNode | undefined): boolean {
  let found = false;
  eachNode(node, (n) => {
    if (n.type !== 'function' || !isPlainStep(n.procedure, 'variable') || n.procedure.value !== 'toMillis' || n.arguments?.length !== 1) return;
    const arg = n.arguments[0];
    const steps = arg.type === 'path' && Array.isArray(arg.steps) ? (arg.steps as JsonataNode[]).map((s) => s.value) : [];
    if (steps.join('.') === 'states.context.Execution.StartTime') found = true;
  });
  return found;
}

/** The variable a side reads through `$toMillis($t)`, if any. */
function millisOf(node: JsonataNode | undefined): string | undefined {
  let found: string | undefined;
  eachNode(node, (n) => {
    if (found === undefined && n.type === 'function' && isPlainStep(n.procedure, 'variable') && n.procedure.value === 'toMillis' && n.arguments?.length === 1) {
      found = variableOf(n.arguments[0]);
    }
  });
  return found;
}

/** The comparisons of a time with now (or with the start time) the machine's JSONata Choices make. */
function comparisons(graph: MachineGraph): Compared[] {
  const out: Compared[] = [];
  for (const [choice, state] of graph.states()) {
    if (state.Type !== 'Choice') continue;
    (state.Choices ?? []).forEach((r, i) => {
      if (typeof r.Condition !== 'string') return;
      const parsed = parseJsonata(stripDelimiters(r.Condition));
      if ('error' in parsed) return;
      eachNode(parsed.ast, (n) => {
        const c = clockComparison(n);
        // Time since the execution started is no variable a run assigns: nothing to say of its Assigns.
        if (c?.variable === START_TIME) return;
        if (c !== undefined) {
          out.push({ variable: c.variable, choice, rule: i + 1, startTime: false });
          return;
        }
        if (n.type !== 'binary' || !ORDER.has(n.value as string)) return;
        const variable = startMillis(n.lhs) ? millisOf(n.rhs) : startMillis(n.rhs) ? millisOf(n.lhs) : undefined;
        if (variable !== undefined) out.push({ variable, choice, rule: i + 1, startTime: true });
      });
    });
  }
  return out;
}

/** The states of the graph's loop through `state` (its strongly connected component), or none when it is on no loop. */
function loopOf(graph: MachineGraph, state: string): string[] {
  const names = [...graph.states().keys()].filter((n) => graph.keeps(n));
  const index = new Map(names.map((n, i) => [n, i]));
  const nodes = names.map((n) => ({ next: graph.successors(n).filter((m) => index.has(m)).map((m) => index.get(m)!) }));
  const at = index.get(state);
  if (at === undefined) return [];
  const c = new Set(components(nodes).find((comp) => comp.includes(at))!);
  return c.size > 1 || nodes[at].next.includes(at) ? names.filter((_, i) => c.has(i)) : [];
}

/** Each Assign of `variable` in the machine: the state that makes it and the value. */
function assignsOfVariable(graph: MachineGraph, language: 'JSONPath' | 'JSONata', variable: string): Array<{ state: string; value: unknown; jsonata: boolean; expression: boolean }> {
  const out: Array<{ state: string; value: unknown; jsonata: boolean; expression: boolean }> = [];
  for (const [state, def] of graph.states()) {
    const jsonata = (def.QueryLanguage ?? language) === 'JSONata';
    const assigns = [def.Assign, ...(def.Catch ?? []).map((c) => c.Assign), ...(def.Type === 'Choice' ? (def.Choices ?? []).map((r) => r.Assign) : [])];
    for (const assign of assigns) {
      if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) continue;
      for (const [key, value] of Object.entries(assign)) {
        const { name, expression } = keyOf(key, jsonata);
        if (name === variable) out.push({ state, value, jsonata, expression });
      }
    }
  }
  return out;
}

/** What a Wait of the loop waits, in words, when it is no positive constant; undefined when it is one. */
function waitWords(name: string, def: StateDefinition): string | undefined {
  const fields = new Map<string, unknown>(Object.entries(def));
  const seconds = fields.get('Seconds');
  if (typeof seconds === 'number' && seconds > 0) return undefined;
  const field = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].find((f) => fields.get(f) !== undefined) ?? 'Seconds';
  return `'${name}' waits ${field} ${JSON.stringify(fields.get(field))}`;
}

const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/**
 * Why the elapsed-time bound does not apply to the loops through `state` (every loop when absent):
 * for each comparison of a time with now that a Choice on such a loop makes, the loop's states,
 * each condition of the bound that fails, and what to give. '' when no such comparison is met or
 * every condition holds.
 * @internal
 */
export function clockBoundWhy(graph: MachineGraph, language: 'JSONPath' | 'JSONata', state?: string): string {
  let known = cache.get(graph);
  if (!known) cache.set(graph, known = new Map());
  const key = `${language}\u0000${state ?? '\u0001'}`;
  let got = known.get(key);
  if (got === undefined) known.set(key, got = whyOf(graph, language, state));
  return got;
}

/** Each graph's answers, by language and state: the bound proofs ask again for every property. */
const cache = new WeakMap<MachineGraph, Map<string, string>>();

function whyOf(graph: MachineGraph, language: 'JSONPath' | 'JSONata', state: string | undefined): string {
  const onLoop = state === undefined ? undefined : new Set(loopOf(graph, state));
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const c of comparisons(graph)) {
    const loop = loopOf(graph, c.choice);
    if (loop.length === 0 || (onLoop !== undefined && !onLoop.has(c.choice))) continue;
    const key = `${c.choice}\u0000${c.variable}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const inLoop = new Set(loop);
    const failed: string[] = [];
    if (c.startTime) {
      failed.push(`rule ${c.rule} of '${c.choice}' compares $${c.variable} with the execution's StartTime, which never moves on, not with now ($states.context.State.EnteredTime or $now())`);
    }
    const assigns = assignsOfVariable(graph, language, c.variable);
    if (assigns.length === 0) failed.push(`no Assign sets $${c.variable}`);
    for (const a of assigns) {
      const u = clockUpdateOf(c.variable, a.value, a.jsonata, a.expression);
      if (u === undefined) {
        failed.push(`'${a.state}' sets $${c.variable} to ${shown(a.value)}, which neither reads the execution's clock nor keeps it, so the input, a Task's answer or a date written there can put it at any time`);
      } else if (u === 'read' && inLoop.has(a.state)) {
        failed.push(`'${a.state}', on the loop, reads the clock into $${c.variable} afresh in every turn, so the time waited since never grows`);
      }
    }
    const waits = loop.filter((n) => graph.states().get(n)?.Type === 'Wait');
    const words = waits.map((n) => waitWords(n, graph.states().get(n)!));
    if (waits.length === 0) failed.push('no Wait on the loop moves the clock on');
    else if (words.every((w) => w !== undefined)) failed.push(`no Wait on the loop waits a positive constant number of Seconds (${words.join(', ')}), so a turn can take no time`);
    if (failed.length === 0) continue;
    parts.push(`the elapsed-time bound does not apply to the loop ${loop.map((n) => `'${n}'`).join(', ')} (rule ${c.rule} of '${c.choice}' compares now with $${c.variable}): ${failed.join('; ')}`);
  }
  if (parts.length === 0) return '';
  return `; ${parts.join('; ')}. To have the loop bounded, set the time from the clock before the loop and wait a constant number of seconds in it, or count its turns in a variable the Choice compares; else give mocks (--mocks) whose answers take the loop's Choice out of it`;
}
