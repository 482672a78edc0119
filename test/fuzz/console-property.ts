/**
 * The property the console family of the HTTP fuzzer checks (see console-arbitraries.ts): each
 * request to the console API is answered in bounded time (431 by node for a URL over its 16 KiB
 * of headers), refused 403 without the page's token,
 * else with JSON (a live stream with its first event) that is 200, or 400 with an error and a
 * message naming what was wrong (404 for the live view of no execution); a page holds at most
 * the events asked for and 8 MiB of payloads, says where the next starts, and says why it
 * stopped when it did not reach the end; the whole answer stays under 12 MiB, whatever the
 * history holds (one of 4,004 events carrying 200 KiB is searched, paged and compared).
 */
import type { ConsoleRequest } from './console-arbitraries';
import { PropertyViolation } from './property';
import { padLoop } from '../server/helpers';

/** A loop of 1,000 rounds carrying a 200 KiB input: 4,004 events, 800 MB written out. */
export const CONSOLE_MACHINE = {
  name: 'fz-console',
  definition: padLoop(1000),
  input: JSON.stringify({ pad: 'x'.repeat(200 * 1024), i: 0 }),
  /** The executions the family names: two of the loop, one that ends at once. */
  executions: { big: 'big-1', big2: 'big-2', small: 'small' },
} as const;

/** The bytes a console answer may be: a page's 8 MiB of payloads, its last event, and their JSON escaping. */
const MAX_ANSWER = 12 * 1024 * 1024;
const PAGE_PAYLOADS = 8 * 1024 * 1024;
const STOPS = new Set(['limit', 'page-bytes', 'search-events', 'search-bytes']);

/** What a console request got. */
export interface ConsoleAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** The request as sent: its path and headers, with the run's ARNs and the token put in. */
export function consoleRequestLine(c: ConsoleRequest, arns: Readonly<Record<'big' | 'big2' | 'small', string>>, token: string): { path: string; headers: Record<string, string> } {
  const given = c.token === 'page' ? token : c.token === 'wrong' ? `${token.slice(0, -2)}xx` : undefined;
  const machine = arns.big.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1');
  let query = c.query.replace(/\{(big2|big|small|machine)\}/g, (_m, k: 'big' | 'big2' | 'small' | 'machine') => encodeURIComponent(k === 'machine' ? machine : arns[k]));
  // First: a `token` the generator added too comes after it, and the console reads the first.
  if (c.route === 'watch' && given !== undefined) query = `token=${given}${query ? '&' : ''}${query}`;
  return {
    path: `/console/api/${c.route}${query ? `?${query}` : ''}`,
    headers: c.route !== 'watch' && given !== undefined ? { 'x-stepwright-console-token': given } : {},
  };
}

/** Checks one answer; throws a PropertyViolation naming what broke. Answers the label the counts use. */
export function checkConsoleAnswer(c: ConsoleRequest, path: string, answer: ConsoleAnswer): string {
  const where = `console ${c.route} ${path.slice(0, 300)}`;
  if (answer.text.length > MAX_ANSWER) throw new PropertyViolation(`${where}: an answer of ${answer.text.length} bytes`);
  // Node's HTTP parser refuses a request whose headers pass 16 KiB (the request line among them) before serve sees it.
  if (answer.status === 431 && path.length > 8 * 1024) return '431';
  if (c.token !== 'page') {
    if (answer.status !== 403) throw new PropertyViolation(`${where}: without the page's token, answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return '403';
  }
  if (c.route === 'watch' && answer.status === 200) {
    if (!answer.contentType.startsWith('text/event-stream') || !answer.text.startsWith('retry: ')) {
      throw new PropertyViolation(`${where}: a live stream that is not one (${answer.contentType}): ${answer.text.slice(0, 200)}`);
    }
    return '200';
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    throw new PropertyViolation(`${where}: ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 200)}`);
  }
  if (answer.status === 400 || (answer.status === 404 && c.route === 'watch')) {
    // A Map Run is refused as DescribeMapRun refuses it: a malformed ARN, or one no execution ran.
    const refusals = c.route === 'maprun' ? /^(ValidationException|InvalidArn|ResourceNotFound)$/
      : c.route === 'machine' ? /^StateMachineDoesNotExist$/ : /^(ValidationException|ExecutionDoesNotExist)$/;
    if (typeof body.error !== 'string' || typeof body.message !== 'string' || !refusals.test(body.error)) {
      throw new PropertyViolation(`${where}: a refusal without an error and a message: ${answer.text.slice(0, 300)}`);
    }
    return `${answer.status} ${body.error}`;
  }
  if (answer.status !== 200) throw new PropertyViolation(`${where}: answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  if (c.route === 'events') checkPage(where, body, path);
  if (c.route === 'execution') {
    if (typeof (body.execution as { status?: unknown })?.status !== 'string' || typeof (body.diagram as { id?: unknown })?.id !== 'number') {
      throw new PropertyViolation(`${where}: a view without the execution's status or a diagram: ${answer.text.slice(0, 300)}`);
    }
    checkPage(where, body.events as Record<string, unknown>, path);
  }
  if (c.route === 'visits' && !(Array.isArray(body.visits) && body.visits.length <= 200)) throw new PropertyViolation(`${where}: more than 200 visits`);
  if (c.route === 'maprun' && !(Array.isArray(body.children) && body.children.length <= 200)) throw new PropertyViolation(`${where}: more than 200 children`);
  if (c.route === 'compare' && (typeof body.equal !== 'boolean' || !Array.isArray(body.differences))) throw new PropertyViolation(`${where}: not a comparison: ${answer.text.slice(0, 300)}`);
  // The list holds no definition (1 MB each): a machine's own page does.
  if (c.route === 'machines') {
    const machines = body.machines as Array<Record<string, unknown>>;
    if (!Array.isArray(machines) || machines.length > 1000 || typeof body.total !== 'number' || machines.some((m) => 'definition' in m)) {
      throw new PropertyViolation(`${where}: not a list of at most 1,000 machines without definitions: ${answer.text.slice(0, 300)}`);
    }
  }
  if (c.route === 'machine' && typeof body.definition !== 'string') throw new PropertyViolation(`${where}: a machine without its definition: ${answer.text.slice(0, 300)}`);
  return '200';
}

/** A page: its events within what was asked for and 8 MiB of payloads, where the next starts, why it stopped short. */
function checkPage(where: string, page: Record<string, unknown>, path: string): void {
  const events = page.events as Record<string, unknown>[];
  const { offset, next, total } = page as { offset: number; next: number; total: number };
  if (!Array.isArray(events) || ![offset, next, total].every((n) => Number.isSafeInteger(n) && n >= 0) || next < offset || next > total) {
    throw new PropertyViolation(`${where}: a page without a sound offset, next and total: ${JSON.stringify({ offset, next, total })}`);
  }
  const limit = Number(new URLSearchParams(path.split('?')[1] ?? '').get('limit'));
  if (Number.isInteger(limit) && limit >= 1 && events.length > Math.min(limit, 5000)) throw new PropertyViolation(`${where}: ${events.length} events for limit ${limit}`);
  let payloads = 0;
  for (const e of events.slice(0, -1)) payloads += JSON.stringify(e).length;
  if (payloads > PAGE_PAYLOADS * 1.2) throw new PropertyViolation(`${where}: ${payloads} bytes of events before the last one of a page`);
  if (next < total && !STOPS.has(String(page.stopped))) throw new PropertyViolation(`${where}: a page that ends at ${next} of ${total} without saying why (${String(page.stopped)})`);
  if (next === total && page.stopped !== undefined && page.stopped !== 'limit') throw new PropertyViolation(`${where}: a page that reached the end says it stopped: ${String(page.stopped)}`);
}
