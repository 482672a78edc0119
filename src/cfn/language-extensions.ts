import { MAX_EXPANDED_VALUES, ResolveBudget } from './resolve-budget';
import { TemplateResolver, type CfnTemplate, type ResolveOptions } from './resolver';
import { TemplateError } from './template-error';
import { MAX_JSON_DEPTH } from '../asl/json-value';

/**
 * The `AWS::LanguageExtensions` transform's `Fn::ForEach` loops, expanded as CloudFormation expands them
 * before it reads the template (TemplateReference/intrinsic-function-reference-foreach.html):
 * `"Fn::ForEach::LoopName": [Identifier, Collection, {OutputKey: OutputValue}]`, as a key of an object in
 * the `Conditions`, `Resources` or `Outputs` section (a resource's properties included), stands for one
 * copy of its fragment per item of the collection, every `${Identifier}` in its keys and strings replaced
 * by the item, every `&{Identifier}` by the item without its non-alphanumeric characters, and every
 * `{"Ref": "Identifier"}` by the item. A fragment may hold loops of its own. The collection is a list, or
 * an intrinsic that resolves to one (a `Ref` to a `CommaDelimitedList` parameter). `Fn::Length` and
 * `Fn::ToJsonString`, the transform's other functions, are the resolver's. What a template without loops
 * gives is the template itself.
 * @internal
 */
export function expandLanguageExtensions(template: CfnTemplate, options: ResolveOptions = {}): CfnTemplate {
  const given: Sections = template;
  const sections = SECTIONS.filter((name) => hasLoop(given[name]));
  // "It can't be used in any of the following sections, AWSTemplateFormatVersion, Description, Metadata, Transform,
  // Parameters, Mappings, Rules, or Hooks" (the page above): a loop there would be read as a field of its own.
  const misplaced = Object.entries(template)
    .find(([name, v]) => !(SECTIONS as readonly string[]).includes(name) && (name.startsWith(FOR_EACH) || hasLoop(v)));
  if (misplaced !== undefined) {
    throw new TemplateError('INVALID_INTRINSIC', `${misplaced[0]}: Fn::ForEach stands in the template's ${misplaced[0]}, where CloudFormation `
      + `refuses it: a loop may stand only in ${SECTIONS.join(', ')} (a resource's properties included)`, { location: misplaced[0] });
  }
  if (sections.length === 0) return template;
  const key = JSON.stringify([options.parameters ?? {}, options.region, options.account, options.partition, options.stackName]);
  const cached = expansions.get(template)?.get(key);
  if (cached !== undefined) return told(cached, options.onNote);
  if (!transforms(template).includes(LANGUAGE_EXTENSIONS)) {
    throw new TemplateError('INVALID_INTRINSIC', `${sections[0]}: the template uses Fn::ForEach, which CloudFormation reads only under the `
      + `${LANGUAGE_EXTENSIONS} transform; add it to the template's Transform (Transform: [${LANGUAGE_EXTENSIONS}, ...] , before `
      + 'AWS::Serverless-2016-10-31 in a SAM template)', { location: sections[0] });
  }
  const loops = loopNames(template, sections);
  const expansion = new Expansion(new TemplateResolver(template, options));
  const out: CfnTemplate = { ...template, ...Object.fromEntries(sections.map((name) => [name, expansion.walk(given[name], name)])) };
  const resources = out.Resources;
  const taken = resources !== null && typeof resources === 'object' ? [...loops].find(([name]) => Object.hasOwn(resources, name)) : undefined;
  if (taken !== undefined) {
    throw new TemplateError('INVALID_INTRINSIC', `${taken[1]}: the loop's name '${taken[0]}' is also the logical id of a resource; CloudFormation `
      + 'refuses a loop named as a resource (intrinsic-function-reference-foreach.html): rename the loop', { location: taken[1] });
  }
  let byOptions = expansions.get(template);
  if (byOptions === undefined) expansions.set(template, byOptions = new Map());
  const made: Expanded = { template: out, notes: expansion.notes, told: new WeakSet() };
  byOptions.set(key, made);
  return told(made, options.onNote);
}

/** A template's expansion, with the notes it made and the callers' sinks told them. */
interface Expanded {
  readonly template: CfnTemplate;
  readonly notes: readonly string[];
  readonly told: WeakSet<object>;
}

/** The expanded template, its notes told once to each sink that asks (a door loads one template through several readers). */
function told(expanded: Expanded, onNote: ((message: string) => void) | undefined): CfnTemplate {
  if (onNote !== undefined && !expanded.told.has(onNote)) {
    expanded.told.add(onNote);
    for (const note of expanded.notes) onNote(note);
  }
  return expanded.template;
}

/** The transform's name, as a template's `Transform` gives it. */
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

/** The prefix of a loop's key: `Fn::ForEach::` and the loop's logical name. */
const FOR_EACH = 'Fn::ForEach::';

/** The sections a loop may stand in; CloudFormation refuses one anywhere else. */
const SECTIONS = ['Conditions', 'Resources', 'Outputs'] as const;

/** A template's sections a loop may stand in, as read: anything until expanded. */
type Sections = { readonly [K in (typeof SECTIONS)[number]]?: unknown };

/** One expansion per template and resolve options, so every reader of a template meets the same resources. */
const expansions = new WeakMap<object, Map<string, Expanded>>();

function transforms(template: CfnTemplate): unknown[] {
  const transform = (template as { Transform?: unknown }).Transform;
  return Array.isArray(transform) ? transform : [transform];
}

/**
 * Whether a loop's key stands anywhere in `value`: without recursion, each object looked at once (a
 * template in memory may share one from many places, or hold itself), and no deeper than
 * {@link MAX_JSON_DEPTH}, past which the resolver refuses the template by name.
 */
function hasLoop(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > MAX_JSON_DEPTH) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.startsWith(FOR_EACH)) return true;
      stack.push([item, depth + 1]);
    }
  }
  return false;
}

/**
 * The loops' names as the template writes them, each with where it stands: a loop's name "must be
 * unique within the template" (the page above), so one written twice is refused here, by name. A
 * loop nested in another is written once however many copies the outer one makes.
 */
function loopNames(template: Sections, sections: ReadonlyArray<(typeof SECTIONS)[number]>): Map<string, string> {
  const names = new Map<string, string>();
  const seen = new Set<object>();
  const stack: Array<[unknown, string, number]> = sections.map((name) => [template[name], name, 0]);
  while (stack.length > 0) {
    const [v, location, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > MAX_JSON_DEPTH) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${location}[${i}]`, depth + 1]));
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const at = `${location}.${key}`;
      if (key.startsWith(FOR_EACH)) {
        const name = key.slice(FOR_EACH.length);
        const first = names.get(name);
        if (first !== undefined) {
          throw new TemplateError('INVALID_INTRINSIC', `${at}: the loop's name '${name}' is also the name of the loop at ${first}; CloudFormation `
            + 'requires each loop\'s name to be unique within the template (intrinsic-function-reference-foreach.html): rename one', { location: at });
        }
        names.set(name, at);
      }
      stack.push([item, at, depth + 1]);
    }
  }
  return names;
}

/**
 * Most notes one template's expansion tells one by one: a Collection of 30,000 numbers is one thing
 * to quote, not 30,000 lines (10 MB) on stderr or in serve's log. The rest are counted in one more.
 */
const MAX_NOTES = 10;

class Expansion {
  /** What the run tells of the template without refusing it (a number or boolean item, read as its text): each once, MAX_NOTES at most. */
  private readonly told = new Set<string>();
  /** The notes past MAX_NOTES, counted. */
  private untold = 0;
  private made = 0;
  /** How deep the walk and the copies are: past MAX_JSON_DEPTH, refused by name before the stack gives out. */
  private readonly depth = new ResolveBudget();

  constructor(private readonly resolver: TemplateResolver) {}

  /** The notes to tell: the first MAX_NOTES, then how many more there are. */
  get notes(): string[] {
    const each = [...this.told];
    return this.untold === 0 ? each : [...each, `${this.untold.toLocaleString('en-US')} more number or boolean items of the template's `
      + 'loops\' Collections are read as their text the same way: quote each as the text you mean'];
  }

  private note(text: string): void {
    if (this.told.has(text)) return;
    if (this.told.size < MAX_NOTES) this.told.add(text);
    else this.untold++;
  }

  /** `value` with every loop in it expanded. */
  walk(value: unknown, location: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    this.depth.enter(undefined, location);
    try {
      return this.walkObject(value, location);
    } finally {
      this.depth.leave();
    }
  }

  private walkObject(value: object, location: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.walk(v, `${location}[${i}]`));
    const out: Array<[string, unknown]> = [];
    const own = new Set(Object.keys(value).filter((k) => !k.startsWith(FOR_EACH)));
    const keys = new Set<string>();
    for (const [key, v] of Object.entries(value)) {
      if (!key.startsWith(FOR_EACH)) {
        out.push([key, this.walk(v, `${location}.${key}`)]);
        continue;
      }
      for (const [made, copy] of this.loop(v, `${location}.${key}`)) {
        if (own.has(made) || keys.has(made)) {
          throw this.error(`${location}.${key}`, `the loop makes the key '${made}', which ${own.has(made) ? 'the template already has' : 'another copy made'} `
            + 'here; CloudFormation refuses a key twice: put ${Identifier} (or &{Identifier}) in the loop\'s OutputKey so each item makes its own');
        }
        keys.add(made);
        out.push([made, copy]);
      }
    }
    // fromEntries defines each key as the object's own (a `__proto__` key too), as setField does.
    return Object.fromEntries(out);
  }

  /** The keys and values one loop makes, in the collection's order. */
  private loop(arg: unknown, location: string): Array<[string, unknown]> {
    if (!Array.isArray(arg) || arg.length !== 3) {
      throw this.error(location, `Fn::ForEach takes [Identifier, Collection, {OutputKey: OutputValue}], got ${shown(arg)}`);
    }
    const [identifier, collection, fragment] = arg as [unknown, unknown, unknown];
    if (typeof identifier !== 'string' || identifier === '') {
      throw this.error(`${location}[0]`, `the loop's Identifier must be a name such as "TopicName", got ${shown(identifier)}`);
    }
    if (fragment === null || typeof fragment !== 'object' || Array.isArray(fragment)) {
      throw this.error(`${location}[2]`, `the loop's third item must be an object of {OutputKey: OutputValue}, got ${shown(fragment)}`);
    }
    // "${Identifier} or &{Identifier} must be included in the OutputKey parameter" (the page above), one item or many.
    const fixed = Object.keys(fragment).find((k) => !k.startsWith(FOR_EACH) && !k.includes(`\${${identifier}}`) && !k.includes(`&{${identifier}}`));
    if (fixed !== undefined) {
      throw this.error(`${location}[2]`, `the loop's OutputKey '${fixed}' holds neither \${${identifier}} nor &{${identifier}}, which CloudFormation `
        + `requires of every OutputKey: put one in it (such as '${fixed}\${${identifier}}') so each item makes its own key`);
    }
    const out: Array<[string, unknown]> = [];
    for (const item of this.items(collection, `${location}[1]`)) {
      const copy = this.walk(this.substitute(fragment, identifier, item, `${location}[2]`), `${location}[2]`);
      out.push(...Object.entries(copy as object));
    }
    return out;
  }

  /** The collection's items as text, resolved as CloudFormation resolves it (a `Ref` to a list parameter). */
  private items(collection: unknown, location: string): string[] {
    const list = this.resolver.resolve(collection, { location, record: () => undefined });
    if (!Array.isArray(list)) {
      throw this.error(location, `the loop's Collection must be a list, or a Ref to a CommaDelimitedList parameter, got ${shown(list)}`);
    }
    return list.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' || typeof item === 'boolean') {
        this.note(scalarItemNote(`${location}[${i}]`, item));
        return String(item);
      }
      throw this.error(`${location}[${i}]`, `the loop's Collection holds ${shown(item)}; its items must be strings`);
    });
  }

  /** A copy of `value` for one item, each value it holds counted against MAX_EXPANDED_VALUES. */
  private substitute(value: unknown, identifier: string, item: string, location: string): unknown {
    this.count(1, location);
    if (typeof value === 'string') return this.replaced(value, identifier, item, location);
    if (value === null || typeof value !== 'object') return value;
    this.depth.enter(undefined, location);
    try {
      if (Array.isArray(value)) return value.map((v) => this.substitute(v, identifier, item, location));
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0][0] === 'Ref' && entries[0][1] === identifier) return item;
      // fromEntries defines each key as the object's own (a `__proto__` key too), as setField does.
      return Object.fromEntries(entries.map(([k, v]) => [
        this.replaced(k, identifier, item, location), this.substitute(v, identifier, item, location),
      ]));
    } finally {
      this.depth.leave();
    }
  }

  /**
   * `text` with `${identifier}` replaced by the item and `&{identifier}` by its letters and digits, its
   * length counted against MAX_EXPANDED_VALUES before it is made: a text of many `${Id}` and a long item
   * would otherwise make one string of hundreds of megabytes (or past the longest string there can be).
   */
  private replaced(text: string, identifier: string, item: string, location: string): string {
    if (!text.includes('{')) return text;
    const brace = `{${identifier}}`;
    const bare = item.replace(/[^A-Za-z0-9]/g, '');
    // One pass, left to right: what an item puts in is never read again as a placeholder.
    const parts: string[] = [];
    let from = 0;
    let length = 0;
    for (let i = text.indexOf(brace); i >= 0;) {
      const sigil = i > from ? text[i - 1] : '';
      if (sigil !== '$' && sigil !== '&') {
        i = text.indexOf(brace, i + 1);
        continue;
      }
      const made = sigil === '$' ? item : bare;
      parts.push(text.slice(from, i - 1), made);
      length += i - 1 - from + made.length;
      from = i + brace.length;
      i = text.indexOf(brace, from);
    }
    this.count(length + text.length - from, location);
    return from === 0 ? text : parts.join('') + text.slice(from);
  }

  /** Counts `n` more values, or characters of text, the loops make; past MAX_EXPANDED_VALUES, refused. */
  private count(n: number, location: string): void {
    this.made += n;
    if (this.made > MAX_EXPANDED_VALUES) {
      throw this.error(location, `the template's Fn::ForEach loops make more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values and `
        + 'characters of text, more than the 1 MB processed template CloudFormation deploys can hold (template-macros-troubleshoot-processed-template.html)');
    }
  }

  private error(location: string, problem: string): TemplateError {
    return new TemplateError('INVALID_INTRINSIC', `${location}: ${problem}`, { location });
  }
}


function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/**
 * The note on a number or boolean in a loop's Collection. AWS documents the Collection as strings
 * (intrinsic-function-reference-foreach.html shows `["Value1","Value2"]`; the transform's RFC,
 * cfn-language-discussion RFCs/0009-Fn::ForEach.md, types it "Array of Strings") and says nothing of
 * what it makes of a number: the run reads the item as its text and says so, so that a YAML `1.0`
 * read as the number 1, or `yes` read as true, is seen before a key that differs from AWS's.
 */
function scalarItemNote(location: string, item: number | boolean): string {
  const text = String(item);
  return `${location}: the loop's Collection holds the ${typeof item} ${text}, which this run reads as the text '${text}'; `
    + 'CloudFormation documents a Collection of strings and what it makes of a non-string item is not known here: '
    + `quote the item as the text you mean ('${text}' in YAML, "${text}" in JSON) so the keys and values it makes are certain`;
}
