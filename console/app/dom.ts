/// <reference lib="dom" />
/*
 * The console's few DOM helpers. Every string from a definition, an input or a history reaches the
 * page as text (textContent, attribute values), never as markup.
 */

type Child = Node | string | undefined | false;

/** An element's class, attributes and event listeners. */
interface ElementProps {
  class?: string;
  attrs?: Record<string, string>;
  on?: Record<string, (ev: Event) => void>;
}

/** An element with a class, attributes and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const [k, f] of Object.entries(props.on ?? {})) el.addEventListener(k, f);
  for (const c of children) if (c !== undefined && c !== false) el.append(typeof c === 'string' ? shown(c) : c);
  return el;
}

/**
 * The marks that reorder the text after them (bidirectional embeddings, overrides and isolates):
 * a state name may hold one (AWS's names refuse the control characters, not these).
 */
const BIDI_MARKS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * JSON text with each mark of {@link BIDI_MARKS} written as its `\\u` escape: the same JSON, whose
 * words after a name holding an override keep their order.
 */
export function jsonWithoutMarks(json: string): string {
  return json.replace(new RegExp(BIDI_MARKS.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A string as the page shows it: in a `<bdi>` when it holds a mark of {@link BIDI_MARKS}, so that a
 * name's right-to-left override reverses the rest of the name only, not the words beside it
 * ("⟳ <name> retried 2×" read backwards, the count and all).
 */
function shown(s: string): Node {
  if (!BIDI_MARKS.test(s)) return document.createTextNode(s);
  const isolated = document.createElement('bdi');
  isolated.textContent = s;
  return isolated;
}

/** The console's token, from the page serve wrote. */
export function token(): string {
  return document.querySelector('meta[name="stepwright-console-token"]')?.getAttribute('content') ?? '';
}

/** A console API error, with the server's message. */
export class ApiFailure extends Error {}

/** GETs a console view. */
export async function get<T>(route: string, params: Record<string, string> = {}): Promise<T> {
  const q = new URLSearchParams(params).toString();
  const res = await fetch(`/console/api/${route}${q ? `?${q}` : ''}`, { headers: { 'x-stepwright-console-token': token() } });
  const body = await res.json() as T & { message?: string };
  if (!res.ok) throw new ApiFailure(body.message ?? `${res.status}`);
  return body;
}

/** POSTs an action. */
export async function act(action: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch('/console/api/action', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-stepwright-console-token': token() },
    body: JSON.stringify({ action, ...fields }),
  });
  const body = await res.json() as { answer?: Record<string, unknown>; message?: string; error?: string };
  if (!res.ok) throw new ApiFailure(`${body.error ?? res.status}: ${body.message ?? ''}`);
  return body.answer ?? {};
}

// One formatter each, made once: toLocaleString makes a new one per call, which costs seconds over 10,000 rows.
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A date as the tables show it: local date and time with milliseconds. */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${DATE_TIME.format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * Most characters pretty-printing may add to a JSON text: the line breaks and indents grow with the
 * depth, so 250 KB of 125 arrays each 998 deep (AWS reads JSON 1,000 levels deep) would take 250 M
 * characters and half a minute to show.
 */
export const PRETTY_ADDED_CHARS = 2_097_152;

/**
 * The characters `JSON.stringify(value, null, 2)` adds to the compact text: a line break and an
 * indent before each element or member and before the bracket closing a container that has any,
 * and a space after each member's colon. Infinity once past `most`: the walk stops there.
 */
export function indentChars(value: unknown, most: number): number {
  let added = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const v = item.value;
    if (v === null || typeof v !== 'object') continue;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    if (children.length === 0) continue;
    const inner = item.depth + 1;
    added += children.length * (1 + 2 * inner) + 1 + 2 * item.depth + (Array.isArray(v) ? 0 : children.length);
    if (added > most) return Infinity;
    for (const c of children) stack.push({ value: c, depth: inner });
  }
  return added;
}

/**
 * A JSON text pretty-printed when it parses and its indents add at most {@link PRETTY_ADDED_CHARS}
 * characters, as it is otherwise (the same JSON, on fewer lines).
 */
export function pretty(text: string | undefined): string {
  if (text === undefined) return '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return indentChars(value, PRETTY_ADDED_CHARS) <= PRETTY_ADDED_CHARS ? JSON.stringify(value, null, 2) : text;
}

/** A time of day with milliseconds, for the rows of one execution. */
export function clock(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${TIME.format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The link to a console page. */
export function link(hash: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { attrs: { href: hash } }, ...children);
}

/** The status as a coloured badge. */
export function badge(status: string): HTMLElement {
  return h('span', { class: `badge s-${status.replace(/[^A-Z_]/g, '')}` }, status);
}
