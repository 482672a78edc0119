import type { StateInfo } from './goals';
import { jsonataSource, type JsonataEnv } from './jsonata-flow';
import { fieldOfResults, iterationInput, mapResults, readerItems, writesResults, type Tracer } from './provenance-maps';
import { pathOf, startsWith, takenRuleOf } from './provenance-paths';
import { contextSource, viaPath, walkTemplate, type ItemContext, type Roots } from './provenance-roots';
import { catcherOf, containerResults, failedVisit, iterationOutcomes, outputKeys, resultOf } from './run-values';
import { fixed, throughArrays, type Source, type Step } from './sources';
import { variablesAt, type Visit } from './visits';
import type { Catcher, ChoiceRule, JsonObject, JsonValue, QueryLanguage, StateDefinition } from '../asl';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { DEFAULT_QUERY_LANGUAGE } from '../asl/query-language';
import { stateField } from '../asl/state-tree';

/** How far one question may follow a value back before it gives up. */
const MAX_HOPS = 20_000;
/**
 * Values traced through nested states or assignments (each a few frames of this file's recursion): past it the trace
 * stops with a reason instead of exhausting the stack. A counter assigned from itself in a loop of hundreds of turns nests
 * once a turn (a Choice's rule negated in the modern corpus ran its loop long enough to end verify with a stack overflow).
 */
const MAX_NESTING = 300;

/**
 * Follows values back through a run: from where a state reads them to the execution input or a Task's
 * answer, through InputPath, Parameters, ItemSelector, ResultSelector, ResultPath, OutputPath, Assign (and
 * their JSONata forms when they are plain paths), Map items and Parallel branches. What a computation makes
 * (an intrinsic function, a JSONata expression) or a constant, the Context Object and an error output are `fixed`.
 */
export class Provenance {
  private hops = 0;
  private nesting = 0;
  /** Whether the last question followed a place the run's values chose (see `exact`). */
  private guessed = false;
  /**
   * Whether the last question was asked by a JSONata reader, for which a field read of an array
   * is the field of each item (`$states.input.rows` over a Map's results): see `mapResults`.
   */
  private mapsFields = false;
  private readonly next = new Map<Visit, Visit>();
  private readonly executionInput: JsonValue | undefined;
  private readonly onGuess: () => void;
  /** The ways back through a visit the Map's tracing takes (provenance-maps.ts). */
  private readonly tracer: Tracer;

  constructor(
    private readonly states: ReadonlyMap<string, StateInfo>,
    private readonly resultPrefix: (resource: string) => readonly Step[],
    visits: readonly Visit[],
    /** The call (the Map state's invocation) whose answer gave a Map visit its items through its ItemReader. */
    private readonly readerCall: (map: Visit) => number | undefined = () => undefined,
    /** Epoch milliseconds the run started at: what `$now()` gave its expressions. */
    private readonly startMs?: number,
    /** The items a Map visit's ItemReader answered with, when they were a list. */
    private readonly readerValue: (map: Visit) => JsonValue[] | undefined = () => undefined,
    /** What the iterations of a Map gave in other runs explore made (see `outcomes`). */
    private readonly otherOutcomes: (map: string) => ReadonlyArray<{ index: number; item: JsonValue; result: JsonValue }> = () => [],
  ) {
    this.onGuess = () => { this.guessed = true; };
    this.tracer = {
      states: this.states,
      info: (v) => this.info(v),
      language: (v) => this.language(v),
      raw: (v, s) => this.raw(v, s),
      effective: (v, s) => this.effective(v, s),
      output: (v, s) => this.output(v, s),
      variable: (v, n, s) => this.variable(v, n, s),
      jsonPathRoots: (v, input, item) => this.jsonPathRoots(v, input, item),
      template: (tpl, s, roots, where) => this.template(tpl, s, roots, where),
      jsonataTemplate: (tpl, s, roots, where) => this.jsonataTemplate(tpl, s, roots, where),
      envAt: (v) => this.envAt(v),
      readerCall: (map) => this.readerCall(map),
      readerValue: (map) => this.readerValue(map),
      outcomes: (v) => this.outcomes(v),
      otherOutcomes: (map) => this.otherOutcomes(map),
      outputKeys: (v) => this.outputKeys(v),
    };
    for (const v of visits) if (v.link.kind === 'after') this.next.set(v.link.visit, v);
    this.executionInput = visits.find((v) => v.link.kind === 'start' && v.parent === undefined)?.input;
  }

  /**
   * The values a JSONata field of a visit was evaluated on (read when asked): its input, its
   * result or error output where the field sees one, the Context Object as far as explore knows
   * it (the execution input, a Map's item), and the variables as the state started.
   */
  private envAt(v: Visit, seen: { result?: boolean; errorOutput?: JsonValue; item?: () => JsonValue | undefined } = {}): () => JsonataEnv {
    return () => {
      const item = seen.item?.();
      const result = seen.result ? v.result ?? containerResults(this.states, v) : undefined;
      return {
        input: v.input,
        ...(result !== undefined ? { result } : {}),
        ...(seen.errorOutput !== undefined ? { errorOutput: seen.errorOutput } : {}),
        context: { Execution: { Input: this.executionInput ?? {} }, ...(item !== undefined ? { Map: { Item: { Value: item } } } : {}) },
        variables: variablesAt(v),
        ...(this.startMs !== undefined ? { now: this.startMs } : {}),
      };
    };
  }

  /** The source of the value at `steps` of what a state reads as `$` (JSONPath: after InputPath; JSONata: `$states.input`). */
  scope(v: Visit, root: 'input' | 'context' | 'errorOutput' | { variable: string }, steps: readonly Step[]): Source {
    this.hops = 0;
    this.guessed = false;
    this.mapsFields = this.language(v) === 'JSONata';
    if (root === 'errorOutput') return this.errorOutput(v, steps);
    if (root === 'input') return this.language(v) === 'JSONata' ? this.raw(v, steps) : this.effective(v, steps);
    if (root === 'context') return contextSource(v, steps, undefined);
    return this.variable(v, root.variable, steps);
  }

  /**
   * Whether the source the last {@link scope} answered is the value itself in every run that
   * takes the same states: false when the way back went through a place this run's values chose
   * (a JSONata conditional's branch, the part of a `$merge` that held the field, an item of a
   * list a filter kept), where another run's values may take it from elsewhere.
   */
  get exact(): boolean {
    return !this.guessed;
  }

  /**
   * The source of what one JSONata field of a visit gives as a whole, the field named as an
   * EvaluationFailed event names it (`Assign/addons`, `Arguments/Key/id/S`, `Output`): the
   * state's own field, as it ran before any Catch took the state on.
   */
  jsonataField(v: Visit, location: string): Source | undefined {
    this.hops = 0;
    this.mapsFields = true;
    const info = this.info(v);
    if (!info || info.language !== 'JSONata') return undefined;
    // AWS names a Choice rule's field with its index in brackets (`Choices[2]/Condition`): one step more.
    const [field, ...path] = location.split('/').flatMap((part) => {
      const indexed = /^(.+)\[(\d+)\]$/.exec(part);
      return indexed ? [indexed[1], indexed[2]] : [part];
    });
    const def = info.def;
    let node: JsonValue | undefined = field === 'Output' && def.Type === 'Choice'
      ? this.jsonataOutputField(v, def)
      : stateField(def, field);
    for (const key of path) node = Array.isArray(node) ? node[Number(key)] : node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof node !== 'string' || !isJsonataExpression(node)) return undefined;
    const seesResult = (field === 'Output' || field === 'Assign') && (def.Type === 'Task' || def.Type === 'Map' || def.Type === 'Parallel');
    const roots: Roots = {
      input: (s) => this.raw(v, throughArrays(v.input, s)),
      context: (s) => contextSource(v, s, undefined),
      variable: (name, s) => this.variable(v, name, s),
      ...(seesResult ? { result: (s: readonly Step[]) => this.jsonataResult(v, s) } : {}),
      env: this.envAt(v, { result: seesResult }),
    };
    return jsonataSource(node.trim().slice(2, -2), [], roots, roots.env!, `the ${location} of state '${v.name}'`, this.onGuess);
  }

  /** The source of a value in a visit's raw input. */
  rawInput(v: Visit, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    return this.raw(v, steps);
  }

  /** What a JSONPath `.$` value (a path or an intrinsic call) of a visit gives, read on its input (after InputPath), its Task's result, or that after its ResultSelector. */
  expression(v: Visit, text: string, on: 'input' | 'result' | 'selected'): Source {
    this.hops = 0;
    this.mapsFields = false;
    const input = on === 'input' ? (s: readonly Step[]) => this.effective(v, s)
      : on === 'result' ? (s: readonly Step[]) => this.result(v, s) : (s: readonly Step[]) => this.selected(v, s);
    return viaPath(text, [], this.jsonPathRoots(v, input), `'${v.name}'`);
  }

  /** The source of a value in item `index` of a Map visit's items (before ItemSelector). */
  mapItem(map: Visit, index: number, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    const def = this.info(map)?.def;
    if (def?.Type === 'Map' && def.ItemReader !== undefined) return readerItems(this.tracer, map, [index, ...steps]);
    // A JSONata Map's items are what its `Items` reads (`{% $states.input.payments %}`), item `index` under it.
    const items = def?.Type === 'Map' && this.language(map) === 'JSONata' ? this.jsonataField(map, 'Items') : undefined;
    if (items?.kind === 'input' || items?.kind === 'task') return { ...items, steps: [...items.steps, index, ...steps] };
    if (def?.Type !== 'Map' || this.language(map) === 'JSONata') return fixed(`the items of '${map.name}'`);
    return viaPath(def.ItemsPath ?? '$', [index, ...steps], this.jsonPathRoots(map, (s) => this.effective(map, s)), `the ItemsPath of Map '${map.name}'`);
  }

  /** The source of a value in the result a Task visit received (before ResultSelector). */
  taskResult(v: Visit, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    return this.result(v, steps);
  }

  /** The source of a value in the result a Task, Map or Parallel visit's Assign and ResultPath see: after its ResultSelector. */
  selectedResult(v: Visit, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    return this.selected(v, steps);
  }

  /** The source of a value in a visit's output. */
  stateOutput(v: Visit, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    return this.output(v, steps);
  }

  private info(v: Visit): StateInfo | undefined {
    return this.states.get(v.name);
  }

  private language(v: Visit): QueryLanguage {
    return this.info(v)?.language ?? DEFAULT_QUERY_LANGUAGE;
  }

  private tooFar(): boolean {
    return ++this.hops > MAX_HOPS;
  }

  /** `trace` one level deeper, or a fixed source past {@link MAX_NESTING} levels. */
  private nested(trace: () => Source): Source {
    if (this.nesting >= MAX_NESTING) return fixed(`it passes through more than ${MAX_NESTING} nested states or assignments`);
    this.nesting++;
    try {
      return trace();
    } finally {
      this.nesting--;
    }
  }

  private raw(v: Visit, steps: readonly Step[]): Source {
    if (this.tooFar()) return fixed(`it passes through more than ${MAX_HOPS} states`);
    const link = v.link;
    switch (link.kind) {
      case 'start': return { kind: 'input', steps };
      case 'after': return this.nested(() => this.output(link.visit, steps));
      case 'branch': return this.branchInput(link.parallel, steps);
      case 'iteration': return iterationInput(this.tracer, link.map, link.index, steps);
    }
  }

  private effective(v: Visit, steps: readonly Step[]): Source {
    const def = this.info(v)?.def;
    if (!def) return fixed(`state '${v.name}' is not in the definition`);
    if (this.language(v) === 'JSONata') return this.raw(v, steps);
    const ip = def.InputPath;
    if (ip === undefined || ip === '$') return this.raw(v, steps);
    if (ip === null) return fixed(`InputPath null of state '${v.name}' gives {}`);
    return viaPath(ip, steps, this.jsonPathRoots(v, (s) => this.raw(v, s)), `the InputPath of state '${v.name}'`);
  }

  /** The roots of a JSONPath field evaluated at visit `v`, `$` being what `input` answers. */
  private jsonPathRoots(v: Visit, input: (steps: readonly Step[]) => Source, item?: ItemContext): Roots {
    return {
      input,
      context: (s) => contextSource(v, s, item),
      variable: (name, s) => this.variable(v, name, s),
    };
  }

  /** A JSONPath payload template (Parameters, ItemSelector, ResultSelector, Assign): the source of the value at `steps` of what it builds. */
  private template(tpl: JsonValue | undefined, steps: readonly Step[], roots: Roots, where: string): Source {
    return walkTemplate(tpl, steps, roots, where, false, this.onGuess);
  }

  /** A JSONata template (Arguments, Output, Assign, Items, ItemSelector): the source of the value at `steps`. */
  private jsonataTemplate(tpl: JsonValue | undefined, steps: readonly Step[], roots: Roots, where: string): Source {
    return walkTemplate(tpl, steps, roots, where, true, this.onGuess);
  }

  private output(v: Visit, steps: readonly Step[]): Source {
    if (this.tooFar()) return fixed(`it passes through more than ${MAX_HOPS} states`);
    const info = this.info(v);
    if (!info) return fixed(`state '${v.name}' is not in the definition`);
    const def = info.def;
    if (v.caught) return this.caughtOutput(v, def, steps);
    if (info.language === 'JSONata') {
      const output = this.jsonataOutputField(v, def);
      const roots: Roots = {
        input: (s) => this.raw(v, throughArrays(v.input, s)),
        context: (s) => contextSource(v, s, undefined),
        variable: (name, s) => this.variable(v, name, s),
        result: (s) => this.jsonataResult(v, s),
        env: this.envAt(v, { result: true }),
      };
      if (output !== undefined) return this.jsonataTemplate(output, steps, roots, `the Output of state '${v.name}'`);
      if (def.Type === 'Task' || def.Type === 'Map' || def.Type === 'Parallel') return this.result(v, steps);
      return this.raw(v, steps);
    }
    let merged = steps;
    const op = def.OutputPath;
    if (op === null) return fixed(`OutputPath null of state '${v.name}' gives {}`);
    if (op !== undefined && op !== '$') {
      const path = pathOf(op);
      if (!path || path.root.kind !== 'input' || !path.steps) return fixed(`the OutputPath ${op} of state '${v.name}'`);
      merged = [...path.steps, ...steps];
    }
    return this.merged(v, def, merged);
  }

  /** The source of a value in what a JSONPath state holds before its OutputPath (its input with the result placed by ResultPath). */
  mergedValue(v: Visit, steps: readonly Step[]): Source {
    this.hops = 0;
    this.mapsFields = false;
    const def = this.info(v)?.def;
    if (!def) return fixed(`state '${v.name}' is not in the definition`);
    return this.merged(v, def, steps);
  }

  private merged(v: Visit, def: StateDefinition, merged: readonly Step[]): Source {
    switch (def.Type) {
      case 'Choice': case 'Wait': case 'Succeed':
        return this.effective(v, merged);
      case 'Pass': case 'Task': case 'Map': case 'Parallel': {
        const rp = def.ResultPath;
        if (rp === null) return this.raw(v, merged);
        if (rp === undefined || rp === '$') return this.selected(v, merged);
        const path = pathOf(rp);
        if (!path?.steps) return fixed(`the ResultPath ${rp} of state '${v.name}'`);
        if (startsWith(merged, path.steps)) return this.selected(v, merged.slice(path.steps.length));
        if (startsWith(path.steps, merged)) return fixed(`state '${v.name}' writes its result inside it (ResultPath ${rp})`, false);
        return this.raw(v, merged);
      }
      default:
        return fixed(`state '${v.name}' has no output`);
    }
  }

  /** A Choice's JSONata Output: the taken rule's, else the state's. */
  private jsonataOutputField(v: Visit, def: StateDefinition): JsonValue | undefined {
    if (def.Type === 'Choice') {
      const rule = this.takenRule(v, def.Choices ?? [], def.Default);
      if (rule && rule.Output !== undefined) return rule.Output;
      return rule === undefined ? def.Output : undefined;
    }
    return def.Output;
  }

  private caughtOutput(v: Visit, def: StateDefinition, steps: readonly Step[]): Source {
    const catcher = this.catcherOf(v, def);
    if (!catcher) return fixed(`state '${v.name}' failed, and explore cannot tell which Catch took it`);
    if (this.language(v) === 'JSONata') {
      if (catcher.Output === undefined) return fixed(`the error output of state '${v.name}'`);
      return this.jsonataTemplate(catcher.Output, steps, {
        input: (s) => this.raw(v, throughArrays(v.input, s)),
        context: (s) => contextSource(v, s, undefined),
        variable: (name, s) => this.variable(v, name, s),
        errorOutput: (s) => this.errorOutput(v, s),
        env: this.envAt(v, { errorOutput: v.outcome && !v.outcome.ok ? { Error: v.outcome.error } : {} }),
      }, `the Catch Output of state '${v.name}'`);
    }
    const rp = catcher.ResultPath;
    if (rp === null) return this.raw(v, steps);
    const path = rp === undefined || rp === '$' ? { steps: [] as Step[] } : pathOf(rp);
    if (!path?.steps) return fixed(`the Catch ResultPath ${rp} of state '${v.name}'`);
    if (startsWith(steps, path.steps)) {
      // Its Cause may come from a Task's answer, though the error output as a whole does not.
      return this.errorOutput(v, steps.slice(path.steps.length));
    }
    if (startsWith(path.steps, steps)) return fixed(`state '${v.name}' writes its error output inside it (ResultPath ${rp})`, false);
    return this.raw(v, steps);
  }

  /** What a visit's Output, Assign and ResultSelector read as its result (see run-values.ts). */
  resultOf(v: Visit): JsonValue | undefined {
    return resultOf(this.states, v);
  }

  /**
   * The source of a value under a JSONata state's `$states.result`. A Map's results as a whole
   * come from its iterations, one per item: what explore can change of them is its items.
   */
  private jsonataResult(v: Visit, steps: readonly Step[]): Source {
    const def = this.info(v)?.def;
    if (def?.Type !== 'Map' || steps.length > 0 || writesResults(def)) return this.result(v, this.resultSteps(v, steps));
    return mapResults(this.tracer, v);
  }

  /** What each iteration of a Map visit gave: the item it had (before ItemSelector) and its result. Not for batches. */
  outcomes(v: Visit): Array<{ index: number; item: JsonValue; result: JsonValue }> {
    return iterationOutcomes(this.states, v, this.readerValue);
  }

  /** The literal keys of the object a JSONata state's Output builds (a template's, or an object constructor's). */
  private outputKeys(v: Visit): string[] {
    const info = this.info(v);
    return info?.language === 'JSONata' ? outputKeys(this.jsonataOutputField(v, info.def)) : [];
  }

  /**
   * The steps of a JSONata path under `$states.result`, with an index before each field read of
   * an array (JSONata maps it over the items): a Map's or Parallel's result is always its array
   * of results, whose first one a field is read of.
   */
  private resultSteps(v: Visit, steps: readonly Step[]): readonly Step[] {
    const type = this.info(v)?.def.Type;
    if ((type === 'Map' || type === 'Parallel') && typeof steps[0] === 'string') return [0, ...steps];
    return throughArrays(v.result, steps);
  }

  /** The source of a value in a caught visit's error output (`$states.errorOutput`): its Error and Cause are explore's to choose as the failed call's answer, or a Fail state's. */
  private errorOutput(v: Visit, steps: readonly Step[]): Source {
    const part = steps.length === 1 && (steps[0] === 'Error' || steps[0] === 'Cause') ? steps[0] : undefined;
    const call = this.failedCall(v);
    if (part !== undefined && call) return part === 'Error' ? { kind: 'cause', ...call, field: 'Error' } : { kind: 'cause', ...call };
    // A Fail state raising it again (a Saga, a TryCatch): its Error and Cause come from where it reads them.
    const failed = part !== undefined ? this.failedVisit(v) : undefined;
    const def = failed ? this.info(failed)?.def : undefined;
    if (part !== undefined && failed && def?.Type === 'Fail') {
      if (this.language(failed) === 'JSONata') return this.jsonataField(failed, part) ?? fixed(`the ${part} of Fail state '${failed.name}'`);
      const path = part === 'Error' ? def.ErrorPath : def.CausePath;
      const roots = this.jsonPathRoots(failed, (s) => this.effective(failed, s));
      return typeof path === 'string' ? viaPath(path, [], roots, `the ${part}Path of Fail state '${failed.name}'`) : fixed(`the ${part} of Fail state '${failed.name}'`);
    }
    return fixed(`the error output of state '${v.name}'`, steps.length > 0 || call === undefined);
  }

  /** The Task call whose error a caught visit failed with: its own last call, or that of the Task in its branches that failed. */
  private failedCall(v: Visit): { state: string; invocation: number } | undefined {
    const failed = this.failedVisit(v);
    if (failed === undefined || this.info(failed)?.def.Type !== 'Task') return undefined;
    const invocation = failed.calls[failed.calls.length - 1];
    return invocation === undefined ? undefined : { state: failed.name, invocation };
  }

  private failedVisit(v: Visit): Visit | undefined {
    return failedVisit(this.states, v);
  }

  private catcherOf(v: Visit, def: StateDefinition): Catcher | undefined {
    return catcherOf(def, v, this.next.get(v)?.name);
  }

  /** What a state's Assign and ResultPath see as its result: after ResultSelector. */
  private selected(v: Visit, steps: readonly Step[]): Source {
    const def = this.info(v)?.def;
    if (def?.ResultSelector !== undefined && (def.Type === 'Task' || def.Type === 'Map' || def.Type === 'Parallel')) {
      return this.template(def.ResultSelector, steps, this.jsonPathRoots(v, (s) => this.result(v, s)), `the ResultSelector of state '${v.name}'`);
    }
    return this.result(v, steps);
  }

  private result(v: Visit, steps: readonly Step[]): Source {
    const info = this.info(v);
    if (!info) return fixed(`state '${v.name}' is not in the definition`);
    const def = info.def;
    switch (def.Type) {
      case 'Task': {
        const invocation = v.calls[v.calls.length - 1];
        if (invocation === undefined) return fixed(`state '${v.name}' made no call`);
        const prefix = this.resultPrefix(def.Resource);
        if (startsWith(steps, prefix)) return { kind: 'task', state: v.name, invocation, steps: steps.slice(prefix.length) };
        if (startsWith(prefix, steps)) return fixed(`the result of Task '${v.name}' wraps its answer in ${prefix.join('.')}`, false);
        return fixed(`the field ${steps.join('.')} of the result of Task '${v.name}', which the Lambda invoke envelope sets`);
      }
      case 'Pass': {
        if (info.language === 'JSONata') return this.raw(v, steps);
        if (def.Result !== undefined) return fixed(`the Result of Pass state '${v.name}'`);
        if (def.Parameters !== undefined) return this.template(def.Parameters, steps, this.jsonPathRoots(v, (s) => this.effective(v, s)), `the Parameters of state '${v.name}'`);
        return this.effective(v, steps);
      }
      case 'Map': {
        if (writesResults(def)) return fixed(`the ResultWriter's answer of Map '${v.name}'`);
        const index = steps[0];
        if (steps.length === 0) return mapResults(this.tracer, v);
        if (typeof index === 'string' && this.mapsFields) return fieldOfResults(this.tracer, v, steps);
        const end = typeof index === 'number' ? v.iterationEnds.get(index) : undefined;
        if (!end) return fixed(`Map '${v.name}' has no iteration ${String(index)} that succeeded`);
        // Which iteration gives a result depends on the items of this run.
        this.guessed = true;
        return this.output(end, steps.slice(1));
      }
      case 'Parallel': {
        const index = steps[0];
        if (steps.length === 0) return fixed(`the results of Parallel '${v.name}'`, false);
        if (typeof index !== 'number') return fixed(`the results of Parallel '${v.name}' are an array`);
        const ends = v.children.filter((c) => {
          const ci = this.info(c);
          return ci?.branch === index && c.exited !== undefined && (ci.def.End === true || ci.def.Type === 'Succeed');
        });
        const end = ends[ends.length - 1];
        if (!end) return fixed(`branch ${index} of Parallel '${v.name}' did not end`);
        return this.output(end, steps.slice(1));
      }
      default:
        return fixed(`state '${v.name}' has no result`);
    }
  }

  private branchInput(par: Visit, steps: readonly Step[]): Source {
    const info = this.info(par);
    if (!info) return fixed(`state '${par.name}' is not in the definition`);
    if (info.language === 'JSONata') {
      if (info.def.Arguments === undefined) return this.raw(par, steps);
      return this.jsonataTemplate(info.def.Arguments, steps, {
        input: (s) => this.raw(par, throughArrays(par.input, s)),
        context: (s) => contextSource(par, s, undefined),
        variable: (n, s) => this.variable(par, n, s),
        env: this.envAt(par),
      }, `the Arguments of Parallel '${par.name}'`);
    }
    if (info.def.Parameters !== undefined) {
      return this.template(info.def.Parameters, steps, this.jsonPathRoots(par, (s) => this.effective(par, s)), `the Parameters of Parallel '${par.name}'`);
    }
    return this.effective(par, steps);
  }

  /** The source of variable `name` (and steps under it) as state `v` sees it when it starts. */
  private variable(v: Visit, name: string, steps: readonly Step[]): Source {
    let cur = v;
    for (;;) {
      if (this.tooFar()) return fixed(`it passes through more than ${MAX_HOPS} states`);
      const link = cur.link;
      if (link.kind === 'start') return fixed(`no state before '${v.name}' assigns the variable $${name}`);
      if (link.kind === 'after') {
        if (link.visit.assigned.has(name)) return this.nested(() => this.assignment(link.visit, name, steps));
        cur = link.visit;
      } else {
        // A Map's or Parallel's own Assign runs after its children: only what came before it is visible inside.
        cur = link.kind === 'iteration' ? link.map : link.parallel;
      }
    }
  }

  private assignment(p: Visit, name: string, steps: readonly Step[]): Source {
    const info = this.info(p);
    if (!info) return fixed(`state '${p.name}' is not in the definition`);
    const def = info.def;
    const all = [name, ...steps];
    const where = `the Assign of state '${p.name}'`;
    if (info.language === 'JSONata') {
      const roots: Roots = {
        input: (s) => this.raw(p, throughArrays(p.input, s)),
        context: (s) => contextSource(p, s, undefined),
        variable: (n, s) => this.variable(p, n, s),
        result: (s) => this.jsonataResult(p, s),
        errorOutput: (s) => this.errorOutput(p, s),
        env: this.envAt(p, p.caught ? { errorOutput: p.outcome && !p.outcome.ok ? { Error: p.outcome.error } : {} } : { result: true }),
      };
      return this.jsonataTemplate(this.assignField(p, def), all, roots, where);
    }
    if (p.caught) {
      return this.template(this.catcherOf(p, def)?.Assign, all, this.jsonPathRoots(p, () => fixed(`the error output of state '${p.name}'`)), where);
    }
    const input = def.Type === 'Choice' || def.Type === 'Wait' || def.Type === 'Succeed'
      ? (s: readonly Step[]) => this.effective(p, s)
      : (s: readonly Step[]) => this.selected(p, s);
    return this.template(this.assignField(p, def), all, this.jsonPathRoots(p, input), where);
  }

  /** The Assign a visit applied: a Choice's taken rule's, a caught state's Catch's, else the state's. */
  private assignField(p: Visit, def: StateDefinition): JsonObject | undefined {
    if (p.caught) return this.catcherOf(p, def)?.Assign;
    if (def.Type === 'Choice') {
      const rule = this.takenRule(p, def.Choices ?? [], def.Default);
      return rule ? rule.Assign : def.Assign;
    }
    return def.Assign;
  }

  /** The rule a Choice visit took (`undefined`: its Default), told by the state it went to, and by its rules when several lead there. */
  private takenRule(v: Visit, choices: readonly ChoiceRule[], defaultNext: string | undefined): ChoiceRule | undefined {
    return takenRuleOf(v, this.info(v)!.def, this.language(v), this.next.get(v)?.name, choices, defaultNext);
  }
}
