/**
 * The icon a browser asks for (`GET /favicon.ico`) when it opens a page of serve (the console, or
 * the endpoint itself): an SVG, which browsers take whatever the path's extension, so that the
 * request is answered and no page logs a failed load.
 */
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
  + '<rect width="32" height="32" rx="6" fill="#0f172a"/>'
  + '<path d="M7 23h6v-5h6v-5h6" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** The answer to a GET or HEAD of `/favicon.ico` (with or without a query), or undefined for any other request. @internal */
export function faviconAnswer(method: string | undefined, url: string | undefined): { headers: Record<string, string>; body: string } | undefined {
  if ((method !== 'GET' && method !== 'HEAD') || !/^\/favicon\.ico(\?|$)/.test(url ?? '')) return undefined;
  return {
    headers: { 'content-type': 'image/svg+xml', 'content-length': String(Buffer.byteLength(ICON)), 'cache-control': 'max-age=86400' },
    body: method === 'HEAD' ? '' : ICON,
  };
}
