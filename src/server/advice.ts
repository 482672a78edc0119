/*
 * How serve's log prints others' text and a piece of advice. It imports nothing that runs, so the
 * HTTP door, loaded before serve's first answer, can advise too.
 */
import type { RunAdvice } from '../workbench/mocks';

/** Others' text (state names, mock fields) as serve's log prints it: control characters escaped but the line breaks. @internal */
export function logText(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A piece of advice as serve's log prints it: `advice: <where>: <message>`, its lines after the first indented. @internal */
export function adviceLine(where: string, advice: RunAdvice): string {
  return `advice: ${where}: ${logText(advice.message).replace(/\n/g, '\n  ')}`;
}

/** What tells advice about a request to `operation` on serve's log. @internal */
export function adviser(s: { readonly options: { readonly log: (line: string) => void } }, operation: string): (message: string) => void {
  return (message) => s.options.log(adviceLine(operation, { state: '', message }));
}
