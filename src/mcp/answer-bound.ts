/*
 * A tool's answer cut to what a client can read. The SDK's client stops the
 * session at a message over 10 MiB (list_state_machines with the
 * definitions of a 14.6 MB template is one), and an answer is sent twice
 * over, as structured content and as its JSON in text. Past the bound, the
 * parts of an answer that can go (definitions, history events, findings,
 * scenarios) are left out from the end, those before them kept whole, and
 * the answer says what was left out and how to ask for less. An answer that
 * cannot be cut small enough is an error that says so.
 */

/**
 * Longest line written, in bytes. The SDK's client refuses more than 10 MiB
 * in its buffer, which holds the line being read and the rest of the chunk
 * that ends it; 8 MiB leaves that room.
 * @internal
 */
export const MAX_ANSWER_BYTES = 8 * 1_048_576;

/** What the JSON-RPC envelope (id, content block, field names) may add to an answer's two copies. */
const ENVELOPE_BYTES = 64 * 1024;

/** A tool's answer: structured content, and its text when that is not the structured content's JSON. */
export interface BoundedAnswer {
  readonly structured: Record<string, unknown>;
  readonly text?: string;
}

interface Cuts {
  /**
   * Where the answer may be cut, most expendable first. `a.*.b` is field `b`
   * of each item of array `a`. An array found there loses items from its
   * end; anything else is left out whole.
   */
  readonly at: readonly string[];
  /** How to ask for less. */
  readonly hint: string;
}

const CUTS: ReadonlyMap<string, Cuts> = new Map([
  ['list_state_machines', { at: ['machines.*.definition', 'machines'], hint: 'Ask for one stack with stack, or without definitions; the other tools read one state machine with stateMachine.' }],
  ['run', { at: ['history', 'childFailures.*.input', 'path', 'childFailures'], hint: 'Ask without history, or bound the run with limits.maxTransitions.' }],
  ['validate', { at: ['reports.*.findings', 'reports'], hint: 'Ask with warnings: false, or for one state machine of a file at a time.' }],
  ['check_iam', { at: ['machines.*.findings', 'machines.*.permissions', 'machines'], hint: 'Check one state machine at a time with stateMachine.' }],
  ['explore', { at: ['reports.*.scenarios', 'reports.*.findings', 'reports'], hint: 'Ask for fewer scenarios with maxScenarios, or one state machine with stateMachine.' }],
  ['verify', { at: ['properties'], hint: 'Check fewer properties at a time, or with a smaller input.' }],
  ['parity', { at: ['cases', 'failedRuns', 'rows'], hint: 'Check fewer runs (fewer inputs or testCases), or write the cases with stepwright parity --write-cases.' }],
]);

/** How to ask for less, for a tool whose answer cannot be cut. */
const UNCUT_HINT: ReadonlyMap<string, string> = new Map([
  ['render', 'Draw a smaller state machine, or without a run.'],
  ['test_state', 'Test the state with smaller input or mock.'],
]);

type Step = string | number;

interface Location {
  readonly steps: readonly Step[];
  readonly value: unknown;
}

/** What was left out at one place: a field, or an array's items from `kept` on. */
type LeftOut = { readonly steps: readonly Step[] } & ({ readonly kind: 'field' } | { readonly kind: 'items'; readonly kept: number; readonly total: number });

/** Document order of two places. */
function compareSteps(a: readonly Step[], b: readonly Step[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return a.length - b.length;
}

function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

/** The bytes an answer takes in a message: the structured content, and the text as a JSON string. */
function messageSize(answer: BoundedAnswer): number {
  const json = JSON.stringify(answer.structured);
  return Buffer.byteLength(json) + byteSize(answer.text ?? json);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every place a pattern names, in document order. */
function locate(root: unknown, pattern: string): Location[] {
  let found: Location[] = [{ steps: [], value: root }];
  for (const segment of pattern.split('.')) {
    const next: Location[] = [];
    for (const { steps, value } of found) {
      if (segment === '*') {
        if (Array.isArray(value)) value.forEach((item: unknown, i) => next.push({ steps: [...steps, i], value: item }));
      } else if (isRecord(value) && Object.hasOwn(value, segment)) {
        next.push({ steps: [...steps, segment], value: value[segment] });
      }
    }
    found = next;
  }
  return found;
}

/** `root` with the value at `steps` replaced (or removed, for `undefined`), copying only the objects on the way. */
function replaced(root: unknown, steps: readonly Step[], value: unknown): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps;
  if (Array.isArray(root) && typeof step === 'number') {
    const copy = root.slice();
    copy[step] = replaced(root[step], rest, value);
    return copy;
  }
  // A place locate found: every step before it is an array's item or an object's field.
  if (!isRecord(root)) return root;
  const copy = { ...root };
  if (rest.length === 0 && value === undefined) delete copy[step];
  else copy[step] = replaced(copy[step], rest, value);
  return copy;
}

function pathText(steps: readonly Step[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${s}`)).join('');
}

/**
 * The answer as it fits in {@link MAX_ANSWER_BYTES}: unchanged when it
 * does; else cut, with a `truncated` note of what was left out; else (no
 * cut makes it fit) an error message that says how to ask for less.
 * @internal
 */
export function boundAnswer(tool: string, answer: BoundedAnswer, limit: number = MAX_ANSWER_BYTES): { answer: BoundedAnswer } | { error: string } {
  const budget = limit - ENVELOPE_BYTES;
  const full = messageSize(answer);
  if (full <= budget) return { answer };
  const cuts = CUTS.get(tool);
  const tooLarge = `The answer would be ${full.toLocaleString('en-US')} bytes, more than the ${limit.toLocaleString('en-US')} bytes (${limit / 1_048_576} MiB) an answer may be`;
  const hint = cuts?.hint ?? UNCUT_HINT.get(tool) ?? 'Ask for less.';
  // A text of the tool's own (render's Mermaid) is not cut: a diagram cut short is a wrong diagram.
  if (cuts === undefined || answer.text !== undefined) return { error: `${tooLarge}. ${hint}` };

  const leftOut = new Map<string, LeftOut>();
  let structured: unknown = answer.structured;
  const noted = (): BoundedAnswer => {
    const list = [...leftOut.entries()].sort(([, a], [, b]) => compareSteps(a.steps, b.steps))
      .map(([at, what]) => (what.kind === 'field' ? at : `${at}[${what.kept}…${what.total - 1}]`));
    return { structured: { ...(structured as Record<string, unknown>), truncated: { message: `${tooLarge}: what leftOut lists was left out. ${hint}`, leftOut: list } } };
  };
  for (const pattern of cuts.at) {
    // The estimate can fall short (escaping in the text copy varies, the note adds bytes): another pass at the same place settles it.
    for (let pass = 0; pass < 4; pass++) {
      const size = messageSize(noted());
      if (size <= budget) return { answer: noted() };
      const before = structured;
      // Each byte of structured content is sent twice: as itself, and in the text (escaped).
      const perByte = size / byteSize(structured);
      const places = locate(structured, pattern).filter((p) => p.value !== undefined);
      const costs = places.map((p) => byteSize(p.value) * perByte);
      // What of this pattern's content may stay: the first places whole, then what fits of the next, then nothing.
      let allowance = costs.reduce((a, b) => a + b, 0) - (size - budget);
      places.forEach((place, i) => {
        const at = pathText(place.steps);
        if (Array.isArray(place.value)) {
          let kept = 0;
          while (kept < place.value.length) {
            const cost = (byteSize(place.value[kept]) + 1) * perByte;
            if (cost > allowance) break;
            allowance -= cost;
            kept += 1;
          }
          allowance = kept === place.value.length ? allowance : -1;
          if (kept === place.value.length) return;
          const earlier = leftOut.get(at);
          leftOut.set(at, { steps: place.steps, kind: 'items', kept, total: earlier?.kind === 'items' ? earlier.total : place.value.length });
          structured = replaced(structured, place.steps, place.value.slice(0, kept));
        } else if (costs[i] <= allowance) {
          allowance -= costs[i];
        } else {
          allowance = -1;
          leftOut.set(at, { steps: place.steps, kind: 'field' });
          structured = replaced(structured, place.steps, undefined);
        }
      });
      if (structured === before) break;
    }
  }
  const last = noted();
  return messageSize(last) <= budget ? { answer: last } : { error: `${tooLarge}. ${hint}` };
}
