import type { CollectionTag, ScalarTag } from 'yaml';
import { JsonFileError } from './command-errors';
import { jsonSyntaxErrorAt } from './json-syntax';
import { MAX_JSON_DEPTH } from '../../asl/json-value';

/**
 * Definitions and templates as text: JSON, or YAML (Workflow Studio exports
 * YAML, SAM and CloudFormation templates are often written in it). Whatever
 * the text, what comes out is a JSON value, so a YAML definition means
 * exactly what its JSON would.
 */

/** CloudFormation's short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`), each standing for its long form. */
const CFN_FUNCTIONS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Ref', 'Condition',
];

function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // `!GetAtt Resource.Attribute` is the scalar spelling of ["Resource", "Attribute"].
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/**
 * A short form written as a list or a map (`!Join [",", *names]`) stays a YAML collection:
 * `{"Fn::Join": <the list>}` built of the parsed nodes, not of their values. Its aliases are
 * then resolved when the document is (converted early, an alias would read `{"source": "names"}`),
 * and counted toward the document's alias bound, so a short form cannot hide an expansion bomb.
 */
function longFormNode(lib: typeof import('yaml'), name: string, value: import('yaml').YAMLMap | import('yaml').YAMLSeq): import('yaml').YAMLMap {
  const map = new lib.YAMLMap();
  map.items.push(new lib.Pair(new lib.Scalar(name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`), value));
  return map;
}

function cfnTags(lib: typeof import('yaml')): Array<ScalarTag | CollectionTag> {
  return CFN_FUNCTIONS.flatMap((name): Array<ScalarTag | CollectionTag> => [
    { tag: `!${name}`, resolve: (text: string) => longForm(name, text) },
    { tag: `!${name}`, collection: 'seq', resolve: (seq) => longFormNode(lib, name, seq) },
    { tag: `!${name}`, collection: 'map', resolve: (map) => longFormNode(lib, name, map) },
  ]);
}

let yamlParser: { readonly lib: typeof import('yaml'); readonly parseDocument: typeof import('yaml').parseDocument; readonly tags: Array<ScalarTag | CollectionTag> } | undefined;
/**
 * The yaml package and the short-form tags, loaded by the first YAML text: a JSON definition or
 * template (`stepwright run machine.asl.json`, most runs) never loads its 70-odd modules.
 */
function yaml(): NonNullable<typeof yamlParser> {
  if (yamlParser === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const lib = require('yaml') as typeof import('yaml');
    yamlParser = { lib, parseDocument: lib.parseDocument, tags: cfnTags(lib) };
  }
  return yamlParser;
}

/** Aliases a YAML document may expand: enough for any template, too few for an expansion bomb. */
const MAX_ALIASES = 100;

/**
 * The deepest nesting stepwright hands the yaml package. Its parser recurses once or more per
 * level and overflows the stack near 1,000; an overflow that lands while V8 compiles one of its
 * regular expressions aborts the whole process ("RegExpCompiler Allocation failed"), which no
 * catch can stop. A template or configuration file nests a few dozen levels.
 * @internal
 */
export const MAX_YAML_DEPTH = 256;

/**
 * Why YAML text nests deeper than {@link MAX_YAML_DEPTH}, naming the line, or undefined. Read from
 * the yaml package's concrete syntax tree, which its parser builds with a stack of its own (no
 * recursion), and walked with one: the depth measured is the one composing the document recurses
 * to, and measuring it cannot overflow.
 * @internal
 */
export function yamlNestingProblem(text: string): string | undefined {
  const { Parser } = yaml().lib;
  const pending: Array<{ token: CstToken; depth: number }> = [];
  for (const document of new Parser().parse(text)) pending.push({ token: document as CstToken, depth: 0 });
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    if (depth > MAX_YAML_DEPTH) {
      const line = text.slice(0, token.offset ?? 0).split('\n').length;
      return `nested deeper than ${MAX_YAML_DEPTH} levels at line ${line}; stepwright reads YAML nested at most ${MAX_YAML_DEPTH} deep`;
    }
    // A document holds its value at its own depth; a collection its items' keys and values one deeper.
    if (token.type === 'document' && token.value) pending.push({ token: token.value, depth });
    for (const item of token.items ?? []) {
      if (item.key) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The fields of the yaml package's CST tokens the depth walk reads. */
interface CstToken {
  readonly type: string;
  readonly offset?: number;
  readonly value?: CstToken;
  readonly items?: ReadonlyArray<{ readonly key?: CstToken | null; readonly value?: CstToken }>;
}

/**
 * Parses YAML text (YAML 1.2, core schema, CloudFormation's short-form tags)
 * into a JSON value. Duplicate keys, unknown tags and values JSON has no
 * spelling for (`.inf`, `.nan`) are refused, naming the line.
 * @throws JsonFileError naming `label`
 * @internal
 */
export function parseYamlText(text: string, label: string): unknown {
  const deep = yamlNestingProblem(text);
  if (deep !== undefined) throw new JsonFileError(label, deep, 'YAML');
  let value: unknown;
  try {
    const { parseDocument, tags } = yaml();
    const doc = parseDocument(text, { customTags: tags, uniqueKeys: true, prettyErrors: true });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw new JsonFileError(label, oneLine(problem.message), 'YAML');
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    if (e instanceof JsonFileError) throw e;
    // A stack overflow on absurd nesting, an alias count past the limit.
    throw new JsonFileError(label, oneLine((e as Error).message), 'YAML');
  }
  const bad = nonJson(value, '', 0);
  if (bad) throw new JsonFileError(label, bad, 'YAML');
  return value;
}

/**
 * Parses a definition or template given as text: JSON when it starts with
 * `{` or `[` (so a JSON mistake is reported as one, with its line and
 * column), YAML otherwise.
 * @throws JsonFileError naming `label`
 * @internal
 */
export function parseDefinitionText(text: string, label: string): unknown {
  if (looksLikeJson(text)) return parseJson(text, label);
  if (text.trim() === '') throw new JsonFileError(label, 'the text is empty');
  return parseYamlText(text, label);
}

/** True for text read as JSON rather than YAML: it starts with `{` or `[`. @internal */
export function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0];
  return start === '{' || start === '[';
}

/** Parses JSON text, naming the line and column of a syntax error. @internal */
export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonFileError(label, withLineAndColumn(text, (e as Error).message));
  }
}

/**
 * A JSON.parse message with the line and column of the place it names, and none of the text: for
 * an unexpected character V8 quotes the text around it and names no position ("Unexpected token
 * 'h', "hello…" is not valid JSON"), which would print the start of a file read through a symlink,
 * so the place is found by scanning (see json-syntax.ts) and told in these words instead.
 * @internal
 */
export function withLineAndColumn(text: string, rawMessage: string): string {
  if (text.trim() === '') return 'the file is empty';
  const message = rawMessage.replace(/\s+/g, ' ');
  const m = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (m && !m[1].startsWith('Unexpected token') && !m[1].includes('"')) return `${m[1]} at ${lineAndColumn(text, Number(m[2]))}`;
  const at = jsonSyntaxErrorAt(text);
  if (at === undefined) return 'the text is not JSON';
  return `${at >= text.length ? 'Unexpected end of JSON input' : 'Unexpected character'} at ${lineAndColumn(text, at)}`;
}

/** `line L, column C` (both from 1) of the offset `pos` of `text`, counted without copying the text. */
function lineAndColumn(text: string, pos: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${pos - lineStart + 1}`;
}

function oneLine(message: string): string {
  // yaml's pretty errors draw the line and a caret under it: keep the first line, which names the place.
  return message.split('\n')[0].trim();
}

/** Where a parsed YAML value holds something JSON cannot (a non-finite number), or undefined. */
function nonJson(value: unknown, at: string, depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at || 'the value'} is ${value}, which JSON cannot hold; write a finite number or a string`;
  if (depth > MAX_JSON_DEPTH) return `${at} is nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = nonJson(value[i], `${at}/${i}`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      const bad = nonJson(v, `${at}/${k}`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  return `${at || 'the value'} is not a JSON value (${Object.prototype.toString.call(value)})`;
}
