// The per-Choice-rule property family of the seeds bench (bench/verify-corpus.mjs --choice-rules):
// for each Choice rule of a machine, the property "when this rule is the one that decides (the
// first whose condition holds on what the Choice saw), the state after the Choice is its Next; when
// another rule or the Default decides, its Next is not entered there", and the same for the
// Default. The condition is the machine's own rule as built, evaluated on each visit's input and
// variables read back from the run's history: a run predicate, so verify can break it, never prove
// it. The seeds are one per rule and kind: the rule negated, its comparison's constant moved, its
// Next swapped with the Default. A Choice inside a Distributed Map runs in child executions whose
// histories are not the parent's (as on AWS), and a rule that reads the context beyond the execution
// input cannot be evaluated from the history: their visits are not judged, so a seed there that
// changes a run counts as "changes a run, breaks no rule property". Needs the compiled library (lib/).
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const lib = (p) => require(path.join(repo, 'lib', p));
const { Property } = lib('testing/index.js');
const { readVisits, variablesAt } = lib('explore/visits.js');
const { machineStates } = lib('explore/goals.js');
const { scopeValue } = lib('explore/reads.js');
const { compileChoiceRule } = lib('asl/choice.js');

/** Rules that read the Context Object beyond the execution input: the history does not give the rest (as choice-taken.ts). */
const OTHER_CONTEXT = /\$\$(?!\.Execution\.Input\b)|\$states\.context(?!\.Execution\.Input\b)/;

/**
 * A JSONata Condition is evaluated asynchronously, a run predicate is called synchronously: the
 * Conditions are evaluated in a worker thread (explore's own evaluateCondition) while the
 * predicate waits on a shared flag.
 */
class JsonataOracle {
  constructor() {
    this.flag = new Int32Array(new SharedArrayBuffer(4));
    this.asked = 0;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const { evaluateCondition } = require(${JSON.stringify(path.join(repo, 'lib', 'explore', 'conditions.js'))});
      const { flag, port } = workerData;
      parentPort.on('message', async ({ id, conditions, input, variables, executionInput, now }) => {
        let answer;
        try {
          answer = 'default';
          for (let i = 0; i < conditions.length; i++) {
            const holds = await evaluateCondition(conditions[i], i, [], { input, context: { Execution: { Input: executionInput } }, variables }, now);
            if (holds instanceof Error) { answer = null; break; }
            if (holds) { answer = i; break; }
          }
        } catch {
          answer = null;
        }
        port.postMessage({ id, answer });
        Atomics.store(flag, 0, id);
        Atomics.notify(flag, 0);
      });`;
    this.worker = new Worker(code, { eval: true, workerData: { flag: this.flag, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  /** The rule (its index, or 'default') that decides, or null when one cannot be evaluated. */
  decide(message) {
    // Each question carries its number and the answer names it: the flag can be seen before the
    // answer is on the port, and an answer read a question late answered every later question with
    // the one before it (under load, hundreds of false alarms from one machine on).
    const id = ++this.asked;
    this.worker.postMessage({ ...message, id });
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      if (seen !== id) {
        Atomics.wait(this.flag, 0, seen, 1000);
        continue;
      }
      const received = receiveMessageOnPort(this.port);
      if (received === undefined) {
        Atomics.wait(this.flag, 0, seen, 1);
        continue;
      }
      if (received.message.id === id) return received.message.answer;
    }
  }

  close() {
    return this.worker.terminate();
  }
}

let oracle;
/** The one JSONata oracle of the process (a worker thread, started on first use). */
function jsonataOracle() {
  oracle ??= new JsonataOracle();
  return oracle;
}

/** Stops the JSONata oracle's thread, if one was started. */
export async function closeChoiceOracle() {
  if (oracle) await oracle.close();
  oracle = undefined;
}

/** The Choice states of a definition, nested ones too: [{ name, info }]. */
export function choicesOf(definition) {
  return [...machineStates(definition).values()].filter((info) => info.def.Type === 'Choice').map((info) => ({ name: info.name, info }));
}

/** The rule that decides a visit of the Choice `info` as built (its index or 'default'), or null when it cannot be told. */
function decidingRule(info, visit, executionInput) {
  const def = info.def;
  if (OTHER_CONTEXT.test(JSON.stringify(def.Choices))) return null;
  const variables = variablesAt(visit);
  if (info.language === 'JSONata') {
    const conditions = def.Choices.map((r) => r.Condition);
    return jsonataOracle().decide({ conditions, input: visit.input, variables, executionInput, now: visit.entered.timestamp.getTime() });
  }
  const input = scopeValue(visit, info, 'input', executionInput);
  if (input === undefined) return null;
  const reader = { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) };
  const context = { Execution: { Input: executionInput } };
  try {
    for (let i = 0; i < def.Choices.length; i++) {
      if (compileChoiceRule(def.Choices[i], `/States/${info.name}/Choices/${i}`)({ input, context, variables: reader })) return i;
    }
  } catch {
    return null;
  }
  return 'default';
}

const targetOf = (def, rule) => (rule === 'default' ? def.Default : def.Choices[rule].Next);

/**
 * The property family of one Choice (as built): a run property per rule and one for the Default,
 * keyed `rule <Choice> #<n> -> <Next>` / `rule <Choice> default -> <Default>`. Each visit's deciding
 * rule is worked out once per run and shared by the Choice's properties.
 */
export function ruleFamily(choice) {
  const { name, info } = choice;
  const def = info.def;
  const decided = new WeakMap();
  /** Each visit of the Choice that went on in its branch: [deciding rule, the state it went to]. */
  const visitsOf = (run) => {
    let out = decided.get(run);
    if (out) return out;
    out = [];
    const read = readVisits(run.history);
    for (const v of read.byState.get(name) ?? []) {
      if (!v.next) continue;
      const rule = decidingRule(info, v, read.input);
      if (rule === null || targetOf(def, rule) === undefined) continue;
      out.push([rule, v.next.name]);
    }
    decided.set(run, out);
    return out;
  };
  const family = {};
  const rules = [...def.Choices.keys(), ...(def.Default !== undefined ? ['default'] : [])];
  for (const k of rules) {
    const target = targetOf(def, k);
    const judge = (run) => visitsOf(run).every(([rule, next]) => (rule === k ? next === target : targetOf(def, rule) === target || next !== target));
    const label = k === 'default' ? 'default' : `#${k + 1}`;
    family[`rule ${name} ${label} -> ${target}`] = Property.run((run) => judge(run), `when ${k === 'default' ? 'no rule' : `rule ${k + 1}`} of '${name}' decides, '${target}' is next, and it is not next when another target's rule decides`);
  }
  return family;
}

/** The first number (else string) literal of a JSONata Condition outside its regular expressions, as [index, text, moved]. */
function constantOf(condition) {
  const inner = condition.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
  const token = /(["'])((?:\\.|(?!\1)[^\\])*)\1|\/(?:\\.|[^/\\\n])+\/[a-z]*|(?<![\w$.])(\d+(?:\.\d+)?)(?![\w.])/g;
  let firstString;
  for (const m of inner.matchAll(token)) {
    if (m[3] !== undefined) return { at: m.index, text: m[0], moved: String(Number(m[3]) + 1) };
    if (m[1] !== undefined && firstString === undefined) firstString = { at: m.index, text: m[0], moved: `${m[1]}${m[2]}-moved${m[1]}` };
  }
  return firstString === undefined ? undefined : firstString;
}

/** A JSONPath rule's comparison (nested in And/Or/Not: the first one), as [holder, operator]. */
function comparisonOf(rule) {
  if (!rule || typeof rule !== 'object') return undefined;
  for (const k of ['And', 'Or']) if (Array.isArray(rule[k])) return comparisonOf(rule[k][0]);
  if (rule.Not) return comparisonOf(rule.Not);
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && k !== 'Assign' && k !== 'Output' && !k.endsWith('Path') && k !== 'IsPresent');
  return op === undefined ? undefined : [rule, op];
}

function movedLiteral(v) {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}-moved`;
  if (typeof v === 'boolean') return !v;
  return undefined;
}

/** The Choice state `name` in a (copied) definition, nested ones too. */
function choiceIn(def, name) {
  return machineStates(def).get(name).def;
}

/**
 * The seeds of one Choice: per rule, the rule negated, its constant moved, its Next swapped with
 * the Default; each { kind, where, apply(def) } (apply changes a deep copy).
 */
export function ruleSeeds(choice) {
  const { name, info } = choice;
  const def = info.def;
  const seeds = [];
  const add = (kind, i, change) => seeds.push({
    kind, where: `${name} rule ${i + 1}`,
    apply: (d) => { const copy = structuredClone(d); change(choiceIn(copy, name).Choices[i], choiceIn(copy, name)); return copy; },
  });
  def.Choices.forEach((rule, i) => {
    if (typeof rule.Condition === 'string') {
      const inner = rule.Condition.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
      add('negate', i, (r) => { r.Condition = `{% $not(${inner}) %}`; });
      const c = constantOf(rule.Condition);
      if (c) add('move-constant', i, (r) => { r.Condition = `{% ${inner.slice(0, c.at)}${c.moved}${inner.slice(c.at + c.text.length)} %}`; });
    } else if (typeof rule.Condition !== 'boolean') {
      add('negate', i, (r) => {
        const body = Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'Next' && k !== 'Assign' && k !== 'Output' && k !== 'Comment'));
        for (const k of Object.keys(body)) delete r[k];
        r.Not = body;
      });
      const found = comparisonOf(rule);
      if (found && movedLiteral(found[0][found[1]]) !== undefined) {
        add('move-constant', i, (r) => { const [h, op] = comparisonOf(r); h[op] = movedLiteral(h[op]); });
      }
    }
    if (def.Default !== undefined && rule.Next !== def.Default) {
      add('swap-default', i, (r, c) => { const t = r.Next; r.Next = c.Default; c.Default = t; });
    }
  });
  return seeds;
}
