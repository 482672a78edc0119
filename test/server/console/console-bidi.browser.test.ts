import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { buildConsoleAssets, openConsoleBrowser, type ConsoleBrowser } from './console-helpers';
import type { TaskHandler } from '../../../src/interpreter/execution-types';
import { describeInBrowser } from '../../render/browser';
import { asl, ROLE, serve } from '../helpers';

// A state name may hold a right-to-left override (U+202E): AWS's names refuse control characters,
// not the marks that reorder text. The console wrote a retried state's chip as one text,
// "⟳ <name> retried 2×", so the override reversed the words after the name too (the count read
// "×2 deirter"), and an event's details as JSON text in which the override reversed every field
// after the name. Each name now sits in a <bdi>, which keeps its reordering to itself, and the
// details write the mark as its JSON escape.

const NAME = 'Pay\u202eevil';
const WAIT = { timeout: 20_000 };

describeInBrowser('names holding bidirectional marks in the console', () => {
  let browser: ConsoleBrowser;
  let s: Awaited<ReturnType<typeof serve>>;
  const handlers: Record<string, TaskHandler> = {
    pay: (input, request) => {
      if (request.retryCount < 2) throw Object.assign(new Error('busy'), { name: 'Busy', stack: 'Busy: busy' });
      return { paid: true, input };
    },
  };

  beforeAll(async () => {
    buildConsoleAssets();
    s = await serve({ timeScale: 1000, handlers });
    browser = await openConsoleBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('isolates a retried state\'s name from the words around it', async () => {
    const definition = asl({
      StartAt: NAME,
      States: {
        [NAME]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'pay' },
          Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 3 }],
          End: true,
        },
      },
    });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'bidi', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const { page } = browser;
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    const chip = page.locator('#retried .retried-chip');
    await chip.waitFor(WAIT);
    expect(await chip.textContent()).toBe(`⟳ ${NAME} retried 2×`);
    // The name alone is isolated: the words after it keep their order.
    expect(await chip.locator('bdi').allTextContents()).toEqual([NAME]);
    // Every text on the page holding the override is isolated in a <bdi>.
    const loose = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const found: string[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent?.includes('\u202e') && !n.parentElement?.closest('bdi, pre, textarea, svg')) found.push(`${n.parentElement?.tagName}: ${n.textContent}`);
      }
      return found;
    });
    expect(loose).toEqual([]);
    expect(await page.locator('#events').textContent()).toContain('"name":"Pay\\u202eevil"');
  });
});
