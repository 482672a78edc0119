import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { buildConsoleAssets, openConsoleBrowser, type ConsoleBrowser } from './console-helpers';
import { describeInBrowser } from '../../render/browser';
import { asl, ROLE, serve } from '../helpers';

/**
 * Every wait is for what the page shows (an event), never a sleep; its bound is a guard against a
 * hang, not a race with Chromium's work: beside six CPU-bound processes the first test took 14 s
 * (2 s alone), and a bound of 20 s a wait failed it on a machine busier still. Playwright's own
 * bound on a click, a fill or a navigation (30 s) is raised to the same.
 */
const WAIT = { timeout: 120_000 };
/** jest's bound on each test and on the setup (Chromium's launch, the console's bundle), a hang guard likewise. */
const HANG = 300_000;

/**
 * A DISTRIBUTED Map (Label Batch) over `$.items`: an item `{ ask: true }` waits in its child
 * execution for a callback (`Ask`), the others pass.
 */
const MACHINE = asl({
  StartAt: 'Fan out',
  States: {
    'Fan out': {
      Type: 'Map',
      Label: 'Batch',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Which',
        States: {
          Which: { Type: 'Choice', Choices: [{ Variable: '$.ask', IsPresent: true, Next: 'Ask' }], Default: 'Done' },
          Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true },
          Done: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
});

describeInBrowser('the serve console and a Map Run\'s child executions, in Chromium', () => {
  let browser: ConsoleBrowser;
  let s: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    buildConsoleAssets();
    s = await serve();
    browser = await openConsoleBrowser();
    browser.page.setDefaultTimeout(WAIT.timeout);
  }, HANG);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  }, HANG);
  afterEach(() => {
    expect(browser.errors).toEqual([]);
    browser.errors.length = 0;
  });

  it('shows a child\'s callback on the parent\'s page, the Map panel\'s item counts, and opens a child\'s own page', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'fans', definition: MACHINE, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'first', input: JSON.stringify({ items: [{ n: 1 }, { ask: true }, { n: 3 }] }) }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);

    // The callback a child waits for is on its parent's page, with the child that holds it.
    const callback = page.locator('#waiting .callback');
    await callback.waitFor(WAIT);
    expect(await callback.locator('strong').textContent()).toBe('Ask');
    expect(await callback.locator('a').count()).toBe(1);

    // The Map's panel: its Map Run's items counted, its child executions listed.
    await page.click('#graph .sw-node[data-state="Fan out"]');
    // The panel is drawn again on each change the run streams, so a box can be replaced between two
    // reads: wait for one box that shows both the counts and its third child, then check no fourth.
    const counted = page.locator('#panel .map-run', { has: page.locator('.item-counts', { hasText: 'items: 2 succeeded, 0 failed, 1 running, 0 pending, 0 aborted of 3' }) });
    await counted.locator('.children li').nth(2).waitFor(WAIT);
    expect(await counted.locator('.children li').nth(3).count()).toBe(0);

    await callback.locator('textarea').fill('{"answered":true}');
    await callback.locator('.send-success').click();
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    await page.locator('#panel .map-run .item-counts', { hasText: 'items: 3 succeeded' }).waitFor(WAIT);

    // A child opens as an execution of its own: its history, its way back to its parent.
    await page.locator('#panel .map-run .children li a').first().click();
    await page.locator('.exec-head .child-of', { hasText: 'child of Map Run' }).waitFor(WAIT);
    await page.locator('#events td', { hasText: 'ExecutionStarted' }).waitFor(WAIT);
    await page.locator('#events td', { hasText: 'ExecutionSucceeded' }).waitFor(WAIT);
    await page.locator('.exec-head .child-of a', { hasText: 'first' }).click();
    await page.locator('.exec-head h1', { hasText: 'first' }).waitFor(WAIT);
  }, HANG);

  it('shows the callback on the child\'s own page too, and answers it from there', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'asks', definition: MACHINE, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'second', input: JSON.stringify({ items: [{ ask: true }] }) }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('#waiting .callback a').click();
    await page.locator('.exec-head .child-of').waitFor(WAIT);
    const callback = page.locator('#waiting .callback');
    await callback.waitFor(WAIT);
    expect(await callback.locator('strong').textContent()).toBe('Ask');
    await callback.locator('.send-success').click();
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
  }, HANG);
});
