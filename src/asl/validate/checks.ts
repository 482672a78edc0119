import { compileIntrinsic, IntrinsicSyntaxError, literalDoubts } from '../intrinsics/compile';
import { newerOperator } from '../jsonata/version';
import { remember } from '../memo';
import { compilePath, compileReferencePath, PathSyntaxError } from '../path';
import { ValidationCodes as C, type Finding } from './codes';
import { refusedReferences, type JsonataReference } from './jsonata-references';
import { error, isObj, NO_FINDINGS, ptr, show, warning, type Obj } from './model';

/*
 * Value checks shared by the rules: paths, intrinsic calls, JSONata
 * expressions and payload templates. Each returns findings and never throws.
 */

const INTRINSIC_NAMES = new Set([
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique',
  'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge', 'States.MathRandom',
  'States.MathAdd', 'States.StringSplit', 'States.UUID',
]);
const INTRINSIC_HEAD = /^(States\.[A-Za-z0-9]+)\s*\(/;

/**
 * Whether compileIntrinsic is implemented yet: while it is a stub that refuses
 * every call, only the function name and the parentheses are checked here.
 */
let intrinsicsLive: boolean | undefined;
function intrinsicCompilerLive(): boolean {
  if (intrinsicsLive === undefined) {
    try {
      compileIntrinsic('States.UUID()');
      intrinsicsLive = true;
    } catch {
      intrinsicsLive = false;
    }
  }
  return intrinsicsLive;
}

const intrinsicCache = new Map<string, string | null>();

/** Why an intrinsic call is malformed, or null when it is fine. @internal */
export function intrinsicProblem(expr: string): string | null {
  const hit = intrinsicCache.get(expr);
  if (hit !== undefined) return hit;
  let problem: string | null = null;
  const head = INTRINSIC_HEAD.exec(expr);
  if (!head) {problem = "an intrinsic call is 'States.Name(arguments)'";} else if (!INTRINSIC_NAMES.has(head[1])) {problem = `'${head[1]}' is not an intrinsic function; use one of ${[...INTRINSIC_NAMES].join(', ')}`;} else if (!expr.endsWith(')')) {problem = "the call does not end with ')'";} else if (intrinsicCompilerLive()) {
    try {
      compileIntrinsic(expr);
    } catch (e) {
      if (e instanceof IntrinsicSyntaxError || e instanceof PathSyntaxError) problem = e.message;
      else throw e;
    }
  }
  if (intrinsicCache.size < 10_000) intrinsicCache.set(expr, problem);
  return problem;
}

const doubtCache = new Map<string, readonly string[]>();

/**
 * The warnings for a well-formed intrinsic call whose literal arguments make every run that
 * reaches it fail with States.Runtime: AWS's answer at CreateStateMachine is not recorded, so
 * the definition is not refused on a guess (docs/fidelity.md). `what` names the field.
 * @internal
 */
export function intrinsicDoubts(expr: string, at: string, what: string): readonly Finding[] {
  let doubts = doubtCache.get(expr);
  if (doubts === undefined) {
    doubts = intrinsicCompilerLive() ? literalDoubts(expr) : [];
    if (doubtCache.size < 10_000) doubtCache.set(expr, doubts);
  }
  if (doubts.length === 0) return NO_FINDINGS;
  const state = stateOf(at);
  return doubts.map((doubt) => warning(C.INTRINSIC_ARGUMENT_FAILS_AT_RUN, at,
    `${state === undefined ? '' : `State '${state}': `}${what} calls ${doubt}, so every run that reaches it fails with States.Runtime; `
    + 'whether AWS refuses the definition at CreateStateMachine is not recorded'));
}

/** The innermost state a JSON pointer is in (`/States/<name>/...`), or undefined. */
function stateOf(pointer: string): string | undefined {
  let name: string | undefined;
  for (const m of pointer.matchAll(/\/States\/([^/]+)/g)) name = m[1];
  return name?.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** What kind of path a field takes. @internal */
export type PathKind =
  /** Any JSONPath, wildcards and filters included (InputPath, OutputPath, `.$` values). */
  | 'path'
  /** A definite path into input, context or variables (…Path fields, Choice Variable). */
  | 'reference'
  /** A definite path rooted at `$` (ResultPath). */
  | 'result';

/** Judged paths, by kind then by path: a lookup builds no key string. */
const pathCaches: Record<PathKind, Map<string, string | null>> = { path: new Map(), reference: new Map(), result: new Map() };


/** Why a path is malformed for its kind, or null. @internal */
export function pathProblem(value: string, kind: PathKind): string | null {
  return remember(pathCaches[kind], value, judgePath, kind);
}

function judgePath(value: string, kind: PathKind): string | null {
  let problem: string | null = null;
  if (!value.startsWith('$')) {problem = "a path starts with '$'";} else {
    try {
      // compilePath reads `$.[0]` as `$[0]`, as AWS does.
      const compiled = kind === 'path' ? compilePath(value) : compileReferencePath(value);
      if (kind === 'result' && compiled.root.kind !== 'input') problem = "a ResultPath is rooted at '$' (not a variable or the context object)";
    } catch (e) {
      if (!(e instanceof PathSyntaxError)) throw e;
      problem = e.message.replace(/^Invalid JSONPath '.*?': /, '');
    }
  }
  return problem;
}

/** Checks an optional path field; `null` is allowed where AWS allows it (InputPath, OutputPath, ResultPath). @internal */
export function checkPathField(node: Obj, field: string, base: string, kind: PathKind, nullable: boolean): readonly Finding[] {
  if (!(field in node)) return NO_FINDINGS;
  const v = node[field];
  if (v === null && nullable) return NO_FINDINGS;
  // Judged paths are remembered: a path seen before costs a lookup, and its pointer is built only for a finding.
  if (typeof v === 'string' && !v.startsWith('States.') && pathProblem(v, kind) === null) return NO_FINDINGS;
  const at = ptr(base, field);
  if (typeof v !== 'string') {
    return [error(C.SCHEMA_VALIDATION_FAILED, at, `${field} must be a ${kind === 'path' ? 'JSONPath' : 'reference path'} string${nullable ? ' or null' : ''}, got ${show(v)}`)];
  }
  if (v.startsWith('States.')) {
    return [error(C.INVALID_JSON_PATH, at, `${field} is the intrinsic call ${show(v)}, but it takes a ${kind === 'path' ? 'path' : 'reference path'} such as '$.field'; compute the value in Parameters or a Pass state first`)];
  }
  const problem = pathProblem(v, kind);
  return problem ? [error(C.INVALID_JSON_PATH, at, `${field} ${show(v)} is not a valid ${kind === 'path' ? 'JSONPath' : kind === 'result' ? 'ResultPath' : 'reference path'}: ${problem}`)] : NO_FINDINGS;
}

/**
 * Checks the value of a `.$` field: a path or an intrinsic call. A finding is
 * at `at`, the payload template's own field: AWS reports the field's value
 * there ("The value for the field 'outputPath.$' must be a valid JSONPath or a
 * valid intrinsic function call at /States/TestTask/Parameters", and
 * "... 'Variable.$' ... at /States/Pass/Assign", as CreateStateMachine and
 * CloudFormation answered them: serverless-step-functions#399, cfn-lint#4085).
 * @internal
 */
export function checkDynamicValue(value: unknown, key: string, at: string): readonly Finding[] {
  if (typeof value !== 'string') {
    return [error(C.INVALID_PAYLOAD_TEMPLATE, at, `The field '${key}' ends in '.$', so its value must be a JSONPath or an intrinsic function call, got ${show(value)}; drop the '.$' for a literal value`,
      { kind: 'dynamic-value', field: key })];
  }
  // A value is an intrinsic call when it starts with 'States.' (a leading space makes it neither a
  // path nor a call, as statelint's fixtures have it); the call's grammar skips whitespace after it.
  const call = value.trimEnd();
  if (call.startsWith('States.')) {
    const problem = intrinsicProblem(call);
    return problem ? [error(C.INVALID_INTRINSIC_FUNCTION, at, `The field '${key}' has an invalid intrinsic function call ${show(value)}: ${problem}`, { kind: 'dynamic-value', field: key })]
      : intrinsicDoubts(call, at, `the field '${key}'`);
  }
  if (!value.startsWith('$')) {
    return [error(C.INVALID_PAYLOAD_TEMPLATE, at, `The field '${key}' ends in '.$', so its value ${show(value)} must be a JSONPath starting with '$' or an intrinsic function call starting with 'States.'; drop the '.$' for a literal value`,
      { kind: 'dynamic-value', field: key })];
  }
  const problem = pathProblem(value, 'path');
  return problem ? [error(C.INVALID_JSON_PATH, at, `The field '${key}' has an invalid JSONPath ${show(value)}: ${problem}`, { kind: 'dynamic-value', field: key })] : NO_FINDINGS;
}

/** The output names of `.$` fields, by field: thousands of states repeat a few, and each cut was a new string. */
const plainNames = new Map<string, string>();
const withoutDollar = (key: string): string => key.slice(0, -2);

/**
 * Checks a JSONPath payload template (Parameters, ResultSelector, ItemSelector,
 * Credentials, Assign, ...): `.$` values and fields given twice. @internal
 */
export function checkPayloadTemplate(value: unknown, at: string, out: Finding[] = [], template = at): Finding[] {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkPayloadTemplate(value[i], ptr(at, i), out, template);
    return out;
  }
  if (!isObj(value)) return out;
  // for-in walks the fields without a list of them (one per template of every state); own fields only, as Object.keys lists them.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    // The field's pointer is built only where it is needed: for a finding, or to look inside the value.
    if (key.length > 2 && key.endsWith('.$')) {
      const plain = remember(plainNames, key, withoutDollar);
      if (Object.prototype.hasOwnProperty.call(value, plain)) {
        out.push(error(C.INVALID_PAYLOAD_TEMPLATE, ptr(at, key), `The fields '${plain}' and '${key}' both produce '${plain}'; keep only one of them`));
      }
      // At the template's field however deep the `.$` field is: where AWS reports a top-level one (see checkDynamicValue).
      const findings = checkDynamicValue(v, key, template);
      for (let f = 0; f < findings.length; f++) out.push(findings[f]);
    } else if (v !== null && typeof v === 'object') {
      checkPayloadTemplate(v, ptr(at, key), out, template);
    }
  }
  return out;
}

/** What the validator learns from parsing one JSONata expression. @internal */
export interface JsonataAnalysis {
  /** Why the expression does not parse, or null. */
  readonly problem: string | null;
  /** The JSONata parser's own message when it does not parse (AWS quotes it), or null. */
  readonly parserMessage: string | null;
  /** References AWS refuses (see jsonata-references.ts), in the order written; empty when it does not parse. */
  readonly refused: readonly JsonataReference[];
}

const jsonataCache = new Map<string, JsonataAnalysis>();

let jsonataParser: typeof import('jsonata') | undefined;
/** The JSONata engine, loaded the first time an expression is analysed: a JSONPath machine never loads it. */
function jsonata(expr: string): ReturnType<typeof import('jsonata')> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  jsonataParser ??= require('jsonata') as typeof import('jsonata');
  return jsonataParser(expr);
}

/** Parses a JSONata expression (without its delimiters) once and remembers what it found. @internal */
export function analyseJsonata(expr: string): JsonataAnalysis {
  const hit = jsonataCache.get(expr);
  if (hit !== undefined) return hit;
  let result: JsonataAnalysis;
  try {
    const ast = jsonata(expr).ast();
    // The library parses 2.1's `??` and `?:`; AWS's 2.0.6 refuses them at create, in its parser's words.
    const newer = newerOperator(ast);
    result = newer
      ? {
        problem: `${newer.parserMessage}${newer.position !== undefined ? ` (at character ${newer.position})` : ''}: '${newer.operator}' came in JSONata 2.1.0, `
          + `and Step Functions implements JSONata 2.0.6; write ${newer.instead}`,
        parserMessage: newer.parserMessage,
        refused: [],
      }
      : { problem: null, parserMessage: null, refused: refusedReferences(ast) };
  } catch (e) {
    const err = e as { message?: string; position?: number };
    const parserMessage = err.message ?? String(e);
    const problem = expr.trim() === '' ? 'the expression is empty'
      : `${parserMessage}${err.position !== undefined ? ` (at character ${err.position})` : ''}`;
    result = { problem, parserMessage, refused: [] };
  }
  if (jsonataCache.size < 10_000) jsonataCache.set(expr, result);
  return result;
}

/** Why a JSONata expression (without its delimiters) does not parse, or null. @internal */
export function jsonataProblem(expr: string): string | null {
  return analyseJsonata(expr).problem;
}

/** Where a JSONata string is evaluated, as far as the reference rules care. @internal */
export interface JsonataSite {
  /**
   * True for the Output and Assign of a Catch entry, the only places where
   * `$states.errorOutput` exists.
   * @default false
   */
  readonly catcher?: boolean;
}

/**
 * Findings for the references AWS refuses in a parsed expression: one per
 * distinct name, in the order written. @internal
 */
export function refusedReferenceFindings(expr: string, at: string, site: JsonataSite = {}): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const ref of analyseJsonata(expr).refused) {
    if (ref.kind === 'errorOutput' && site.catcher) continue;
    const key = `${ref.kind}\u0000${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kind = { kind: 'jsonata-reference', reference: ref.kind, name: ref.name } as const;
    if (ref.kind === 'root') {
      out.push(error(C.UNSUPPORTED_JSONATA_EXPRESSION, at, "Reference to '$$' is not supported. Step Functions gives JSONata no input document; read the input from $states.input and the Context Object from $states.context", kind));
    } else if (ref.kind === 'errorOutput') {
      out.push(error(C.UNSUPPORTED_JSONATA_EXPRESSION, at, "Field '$states.errorOutput' does not exist. It exists only in the Output and Assign of a Catch entry; read the error there and pass it on in a variable or the output", kind));
    } else if (ref.name === '$') {
      out.push(error(C.UNSUPPORTED_JSONATA_EXPRESSION, at, "Reference to '$' at the top level is not supported. Step Functions gives JSONata no context item; read the input from $states.input", kind));
    } else {
      out.push(error(C.UNSUPPORTED_JSONATA_EXPRESSION, at, `Reference to '${ref.name}' at the top level is not supported. Step Functions gives JSONata no context item; read it from $states.input.${ref.name}, or use a variable $${ref.name}`, kind));
    }
  }
  return out;
}

/** True for a whole-string JSONata expression `{% ... %}`. @internal */
export function isJsonataExpression(s: string): boolean {
  return s.length >= 4 && s.startsWith('{%') && s.endsWith('%}');
}

/**
 * Checks one string of a JSONata field: a `{% %}` expression must parse, be
 * closed, and read nothing AWS refuses (a top-level name, `$`, `$$`, or
 * `$states.errorOutput` outside a Catch). @internal
 */
export function checkJsonataString(s: string, at: string, field: string, site: JsonataSite = {}): Finding[] {
  if (isJsonataExpression(s)) {
    const expr = s.slice(2, -2);
    const { problem, parserMessage } = analyseJsonata(expr);
    return problem
      ? [error(C.INVALID_JSONATA, at, `${field} has an invalid JSONata expression ${show(s)}: ${problem}`, { kind: 'jsonata-syntax', parser: parserMessage ?? problem })]
      : refusedReferenceFindings(expr, at, site);
  }
  if (s.startsWith('{%')) {
    return [error(C.INVALID_JSONATA, at, `${field} ${show(s)} opens a JSONata expression with '{%' but does not end with '%}'; close it, or remove '{%' for a literal string`)];
  }
  if (s.endsWith('%}')) {
    return [error(C.INVALID_JSONATA, at, `${field} ${show(s)} ends with '%}' but does not start with '{%'; write '{% expression %}', or remove '%}' for a literal string`)];
  }
  return [];
}

/** Checks every string inside a JSONata field value (Arguments, Output, Assign, ...). @internal */
export function checkJsonataValue(value: unknown, at: string, field: string, out: Finding[] = [], site: JsonataSite = {}): Finding[] {
  if (typeof value === 'string') out.push(...checkJsonataString(value, at, field, site));
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) checkJsonataValue(value[i], ptr(at, i), field, out, site);
  else if (isObj(value)) for (const k of Object.keys(value)) checkJsonataValue(value[k], ptr(at, k), field, out, site);
  return out;
}

/**
 * Checks a numeric field: an integer (or number) within bounds, or, under
 * JSONata, a `{% %}` expression. @internal
 */
export function checkNumber(
  node: Obj, field: string, base: string,
  opts: { min?: number; max?: number; integer?: boolean; jsonata?: boolean; hint?: string },
): readonly Finding[] {
  if (!(field in node)) return NO_FINDINGS;
  const v = node[field];
  if (typeof v === 'number' && (!opts.integer || Number.isInteger(v))
    && (opts.min === undefined || v >= opts.min) && (opts.max === undefined || v <= opts.max)) return NO_FINDINGS;
  const at = ptr(base, field);
  if (typeof v === 'string' && opts.jsonata && isJsonataExpression(v)) return checkJsonataString(v, at, field);
  if (typeof v !== 'number' || (opts.integer && !Number.isInteger(v))) {
    const what = opts.integer ? 'an integer' : 'a number';
    return [error(C.SCHEMA_VALIDATION_FAILED, at, `${field} must be ${what}${opts.jsonata ? " or a JSONata expression '{% ... %}'" : ''}, got ${show(v)}`)];
  }
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    const allowed = opts.max === undefined ? `at least ${opts.min}` : opts.min === undefined ? `at most ${opts.max}` : `between ${opts.min} and ${opts.max}`;
    const kind = opts.min !== undefined && v < opts.min
      ? { kind: 'out-of-range' as const, bound: 'minimum' as const, limit: opts.min, decimal: opts.integer !== true }
      : { kind: 'out-of-range' as const, bound: 'maximum' as const, limit: opts.max!, decimal: opts.integer !== true };
    return [error(C.VALUE_OUT_OF_RANGE, at, `${field} is ${v}, but it must be ${allowed}${opts.integer ? ' (an integer)' : ''}; ${opts.hint ?? 'set it within that range'}`, kind)];
  }
  return NO_FINDINGS;
}

/** Reports a pair of fields that exclude each other. @internal */
export function exclusive(node: Obj, a: string, b: string, base: string): readonly Finding[] {
  return a in node && b in node
    ? [error(C.MUTUALLY_EXCLUSIVE_FIELDS, ptr(base, b), `${a} and ${b} cannot both be set; keep one of them`)]
    : NO_FINDINGS;
}
