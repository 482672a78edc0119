/*
 * What the console asks of a request beyond the door's Host and Origin checks: the per-process
 * token of the page serve handed out, and for an action a same-origin request. A page of another
 * origin cannot read the console's page (no CORS), so it cannot learn the token; one on a
 * rebinding name is refused by the door before it gets here.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';

/**
 * The URL of a request under /console, or undefined when the request is not the console's: read
 * without loading the console, whose module is loaded with its first page.
 */
export function consoleUrl(requestUrl: string | undefined): URL | undefined {
  const url = new URL(requestUrl ?? '/', 'http://console.invalid');
  return url.pathname === '/console' || url.pathname.startsWith('/console/') ? url : undefined;
}

/** The header the console's script sends the token in. */
export const TOKEN_HEADER = 'x-stepwright-console-token';

/** A per-process secret: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `given` is the token, compared in constant time. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why an action (a POST that changes something) is refused; undefined when it may go on. It must
 * carry the token, come from the console's own origin (the `Origin` a browser sends with a POST
 * names the page's origin, which must be the origin the request was sent to) and be JSON, which
 * a cross-site form cannot send.
 */
export function actionRefusal(req: http.IncomingMessage, token: string): string | undefined {
  const given = req.headers[TOKEN_HEADER];
  if (!sameToken(typeof given === 'string' ? given : undefined, token)) return 'This action needs the console\'s token: open the console at /console and act from there';
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (typeof origin !== 'string' || origin !== `http://${host}`) return 'An action must come from the console\'s own page (same origin)';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'An action must come from the console\'s own page (Sec-Fetch-Site: same-origin)';
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) return 'An action is a JSON request (Content-Type: application/json)';
  return undefined;
}
