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

/** A JSON text pretty-printed when it parses, as it is otherwise. */
export function pretty(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
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
