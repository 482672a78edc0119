import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskHandler } from '../../../src/interpreter/execution-types';
import { asl, raw } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Whether lib/console holds the bundled page script and style sheet. */
export const ASSETS_BUILT = (): boolean => fs.existsSync(path.join(ROOT, 'lib', 'console', 'app.js')) && fs.existsSync(path.join(ROOT, 'lib', 'console', 'style.css'));

/** Bundles the console as the build does (`npx projen compile` runs the same script), so the tests serve what ships. */
export function buildConsoleAssets(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs')], { stdio: 'inherit' });
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
