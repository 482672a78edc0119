import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskHandler } from '../../../src/interpreter/execution-types';
import type { BrowserSession } from '../../render/browser';
import { asl, raw } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Whether lib/console holds the bundled page script and style sheet. */
export const ASSETS_BUILT = (): boolean => fs.existsSync(path.join(ROOT, 'lib', 'console', 'app.js')) && fs.existsSync(path.join(ROOT, 'lib', 'console', 'style.css'));

/** Bundles the console as the build does (`npx projen compile` runs the same script), so the tests serve what ships. */
export function buildConsoleAssets(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs')], { stdio: 'inherit' });
}

/** The console API of a server, with its page's token. */
export interface ConsoleApi {
  readonly token: string;
  /** GETs a view, which must be answered 200; its body. */
  get(route: string): Promise<any>;
  /** POSTs an action from the console's own origin. */
  act(fields: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** The console API of the server at `endpoint`. */
export async function consoleApi(endpoint: string): Promise<ConsoleApi> {
  const token = await consoleToken(endpoint);
  const headers = { 'x-stepwright-console-token': token };
  return {
    token,
    async get(route) {
      const answer = await raw(`${endpoint}/console/api/${route}`, { method: 'GET', body: '', headers });
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
      return answer.body;
    },
    act: (fields) => raw(`${endpoint}/console/api/action`, {
      body: JSON.stringify(fields),
      headers: { ...headers, 'content-type': 'application/json', 'origin': `http://${new URL(endpoint).host}` },
    }),
  };
}

/** The token the console's page carries. */
export async function consoleToken(endpoint: string): Promise<string> {
  const page = await raw(`${endpoint}/console`, { method: 'GET', body: '' });
  const m = /name="stepwright-console-token" content="([A-Za-z0-9_-]+)"/.exec(String(page.body));
  if (!m) throw new Error(`no token in the console page: ${String(page.body).slice(0, 200)}`);
  return m[1];
}

/**
 * Handlers for {@link callbackAndRetryMachine}: `Charge` fails twice with `Busy`, then succeeds;
 * `Boom` always fails with `Boom.Failed`.
 */
export function RETRY_HANDLERS(): Record<string, TaskHandler> {
  return {
    Charge: (input, request) => {
      if (request.retryCount < 2) throw Object.assign(new Error('the payment service is busy'), { name: 'Busy' });
      return { charged: true, input };
    },
    Boom: () => { throw Object.assign(new Error('it broke'), { name: 'Boom.Failed' }); },
  };
}

/** A Task retried twice (1 s, then 2 s back-off), then a callback (`Approve`) waiting for its token. */
export function callbackAndRetryMachine(): string {
  return asl({
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }],
        ResultPath: '$.charge',
        Next: 'Approve',
      },
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
        ResultPath: '$.approval',
        End: true,
      },
    },
  });
}

/** The browser of a console test file: render's one launcher, reaching serve and a rebinding name only. */
export type ConsoleBrowser = BrowserSession;

/**
 * Launches Debian's Chromium headless (test/render/browser.ts). `evil.test` resolves to 127.0.0.1 in
 * it, as a rebinding name would; requests anywhere but 127.0.0.1 and evil.test are aborted and noted in `errors`.
 */
export function openConsoleBrowser(): Promise<ConsoleBrowser> {
  // Loaded here, not at the top: the API tests that share these helpers need no browser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by the tests that launch Chromium
  const { openBrowser } = require('../../render/browser') as typeof import('../../render/browser');
  return openBrowser({ hostResolverRules: 'MAP evil.test 127.0.0.1', allow: /^(https?:\/\/(127\.0\.0\.1|evil\.test)[:/]|data:|about:)/ });
}

/** A promise and the function that resolves it: lets a test decide when a handler answers. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

/**
 * Parallels nested `depth` deep (render draws 100 at most), with a `.waitForTaskToken` Task
 * (`Approve`) at the bottom: an execution waits there for its callback.
 */
export function deeplyNestedCallback(depth: number): string {
  let inner: Record<string, unknown> = {
    StartAt: 'Approve',
    States: { Approve: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
  };
  for (let level = depth; level >= 1; level--) inner = { StartAt: `Level ${level}`, States: { [`Level ${level}`]: { Type: 'Parallel', Branches: [inner], End: true } } };
  return asl(inner);
}

/** `count` Tasks in a row, each caught into one handler drawn below them all: more than render lays out from about 250. */
export function manyCatchesIntoOne(count: number): string {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    states[`Step ${i}`] = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Next: i === count - 1 ? 'Done' : `Step ${i + 1}`, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] };
  }
  return asl({ StartAt: 'Step 0', States: { ...states, Done: { Type: 'Succeed' }, Handle: { Type: 'Fail', Error: 'Handled' } } });
}
