import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { buildConsoleAssets, callbackAndRetryMachine, consoleToken, deeplyNestedCallback, gate, openConsoleBrowser, type ConsoleBrowser } from './console-helpers';
import { READABLE_SCALE as READABLE } from '../../../console/app/diagram';
import type { TaskHandler } from '../../../src/interpreter/execution-types';
import { describeInBrowser } from '../../render/browser';
import { asl, ROLE, serve } from '../helpers';

/**
 * Screenshots a person looks at, linked from docs/console.md: written by this test into
 * docs/console when STEPWRIGHT_WRITE_SCREENSHOTS=1 (then committed), else into a temp folder, so
 * that a test run (CI's among them) leaves the checkout as it found it.
 */
const SHOTS = process.env.STEPWRIGHT_WRITE_SCREENSHOTS === '1'
  ? path.resolve(__dirname, '..', '..', '..', 'docs', 'console')
  : path.join(os.tmpdir(), `stepwright-console-shots-${process.pid}`);
/** This checkout, whose path no page (and so no screenshot) may show. */
const CHECKOUT = path.resolve(__dirname, '..', '..', '..');
/** Bounded waits for what the page shows: events, never sleeps. */
const WAIT = { timeout: 20_000 };

const HOSTILE_NAME = '<script>window.__pwned=1</script>%%{init:{}}%% "q" \'s\' \u2028 end';
const HOSTILE_INPUT = JSON.stringify({ html: '<img src=x onerror="window.__pwned=2">', directive: '%%{init: {"securityLevel":"loose"}}%%', sep: '\u2028\u2029', quote: '"\'`' });

describeInBrowser('the serve console in Chromium', () => {
  let browser: ConsoleBrowser;
  let s: Awaited<ReturnType<typeof serve>>;
  const gates = { first: gate(), second: gate() };
  let deliverFails = true;
  const handlers: Record<string, TaskHandler> = {
    // Only the execution the test watches (order o-1) waits for the test's word.
    Charge: async (input, request) => {
      if ((input as { Payload?: { order?: string } } | null)?.Payload?.order !== 'o-1') return { charged: true, input: null };
      if (request.retryCount === 0) {
        await gates.first.opened;
        // A stack of one line: the screenshots must not show a path of the machine that took them.
        throw Object.assign(new Error('the payment service is busy'), { name: 'Busy', stack: 'Busy: the payment service is busy' });
      }
      await gates.second.opened;
      return { charged: true, input };
    },
    Deliver: () => {
      if (deliverFails) throw Object.assign(new Error('the courier is away'), { name: 'Courier.Away', stack: 'Courier.Away: the courier is away' });
      return { delivered: true };
    },
    Boom: () => {
      throw Object.assign(new Error('it broke'), { name: 'Boom.Failed', stack: 'Boom.Failed: it broke' });
    },
  };

  beforeAll(async () => {
    buildConsoleAssets();
    fs.mkdirSync(SHOTS, { recursive: true });
    s = await serve({ timeScale: 1000, handlers });
    browser = await openConsoleBrowser();
  });
  afterAll(async () => {
    gates.first.open();
    gates.second.open();
    await browser?.close();
    await s?.stop();
    if (process.env.STEPWRIGHT_WRITE_SCREENSHOTS !== '1') fs.rmSync(SHOTS, { recursive: true, force: true });
  });

  /** A screenshot of the page, after checking that it shows no path of the checkout or the home folder. */
  const shoot = async (page: ConsoleBrowser['page'], name: string): Promise<void> => {
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(CHECKOUT);
    if (os.homedir().length > 1) expect(text).not.toContain(os.homedir());
    await page.screenshot({ path: path.join(SHOTS, name), fullPage: false });
  };
  afterEach(() => {
    expect(browser.errors).toEqual([]);
    browser.errors.length = 0;
  });

  it('starts an execution from the input editor, shows its retry live, sends the callback and sees it succeed', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'orders', definition: callbackAndRetryMachine(), roleArn: ROLE }));
    await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'earlier', input: '{"order":"o-0"}' }));

    await page.goto(`${s.server.consoleUrl}#/machine/${encodeURIComponent(stateMachineArn!)}`);
    // The editor holds the last input the machine was started with.
    const editor = page.locator('#start-input');
    await editor.waitFor(WAIT);
    expect(JSON.parse(await editor.inputValue())).toEqual({ order: 'o-0' });
    await editor.fill('{"order":"o-1"}');
    await page.click('#start');
    await page.waitForURL(/#\/execution\//, WAIT);
    await page.locator('.exec-head .badge', { hasText: 'RUNNING' }).waitFor(WAIT);
    expect(await page.locator('#retried .retried-chip').count()).toBe(0);

    // The first attempt fails now: the page hears of it from the server and shows the retry.
    gates.first.open();
    await page.locator('#retried .retried-chip', { hasText: 'Charge retried 1×' }).waitFor(WAIT);
    await page.locator('#graph .sw-node.sw-retried[data-state="Charge"]').waitFor(WAIT);
    // The run drawn over the diagram serve laid out once: the state entered, the edge into it, its note.
    await page.locator('#graph .sw-node.visited[data-state="Charge"] .sw-run-notes', { hasText: 'retried 1×' }).waitFor(WAIT);
    expect(await page.locator('#graph .sw-edge.taken[data-to="Charge"]').count()).toBe(1);
    gates.second.open();
    const callback = page.locator('#waiting .callback');
    await callback.waitFor(WAIT);
    expect(await callback.locator('strong').textContent()).toBe('Approve');

    await page.click('#graph .sw-node[data-state="Charge"]');
    await page.locator('#panel .attempts tr.failed', { hasText: 'Busy' }).waitFor(WAIT);
    await page.locator('#panel .attempts tr.succeeded').waitFor(WAIT);
    await shoot(page, 'retried-state.png');

    await callback.locator('textarea').fill('{"approved":true}');
    await callback.locator('.send-success').click();
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    await page.locator('#events td', { hasText: 'ExecutionSucceeded' }).waitFor(WAIT);
    // Serve searches the whole history; the table shows what it found.
    await page.fill('#event-search', 'TaskFailed');
    await page.locator('#events .events-info', { hasText: 'match "taskfailed"' }).waitFor(WAIT);
    expect(await page.locator('#events tbody tr').count()).toBe(1);
    expect(await page.locator('#events tbody tr td').nth(1).textContent()).toBe('TaskFailed');
    await shoot(page, 'succeeded.png');
  });

  it('redrives a failed execution from its page', async () => {
    const { page } = browser;
    const definition = asl({
      StartAt: 'Pack',
      States: {
        Pack: { Type: 'Pass', Next: 'Deliver' },
        Deliver: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'deliver' }, End: true },
      },
    });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'shipping', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'parcel-1', input: '{}' }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('.exec-head .badge', { hasText: 'FAILED' }).waitFor(WAIT);
    await page.locator('.exec-head .error', { hasText: 'Courier.Away' }).waitFor(WAIT);
    deliverFails = false;
    await page.click('#redrive');
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    await page.locator('.exec-head .facts', { hasText: 'redriven 1×' }).waitFor(WAIT);
    await shoot(page, 'redriven.png');

    await page.goto(`${s.server.consoleUrl}#/`);
    await page.locator('.executions-table tbody tr', { hasText: 'parcel-1' }).waitFor(WAIT);
    // Newest first.
    expect(await page.locator('.executions-table tbody tr').first().textContent()).toContain('parcel-1');
    await shoot(page, 'executions.png');
  });

  it('reads only what is new at each change: the summary without the diagram or events, then the events after those shown', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'approval', definition: deeplyNestedCallback(0), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const asked: URL[] = [];
    const listen = (r: { url(): string }): void => { if (r.url().includes('/console/api/')) asked.push(new URL(r.url())); };
    page.on('request', listen);
    try {
      await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
      const callback = page.locator('#waiting .callback');
      await callback.waitFor(WAIT);
      const shown = await page.locator('#events tbody tr').count();
      asked.length = 0;
      await callback.locator('.send-success').click();
      await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
      await page.locator('#events td', { hasText: 'ExecutionSucceeded' }).waitFor(WAIT);
      const reloads = asked.filter((u) => u.pathname.endsWith('/execution'));
      expect(reloads.length).toBeGreaterThan(0);
      for (const u of reloads) {
        expect(u.searchParams.get('limit')).toBe('0');
        expect(u.searchParams.get('diagram')).toMatch(/^\d+$/);
      }
      const pages = asked.filter((u) => u.pathname.endsWith('/events'));
      expect(pages.length).toBeGreaterThan(0);
      expect(Number(pages[0].searchParams.get('offset'))).toBe(shown);
      expect(await page.locator('#events tbody tr td:nth-child(1)').allTextContents()).toEqual(
        Array.from({ length: await page.locator('#events tbody tr').count() }, (_, i) => String(i + 1)));
    } finally {
      page.off('request', listen);
    }
  });

  it('shows what it can of a running execution whose definition render refuses to draw: why, its history, its callback, and Stop', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'nested-deep', definition: deeplyNestedCallback(200), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('.exec-head .badge', { hasText: 'RUNNING' }).waitFor(WAIT);
    expect(await page.locator('#diagram-refused').textContent()).toMatch(/^No diagram: .*at most 100 can be drawn/);
    await page.locator('#waiting .callback strong', { hasText: 'Approve' }).waitFor(WAIT);
    await page.locator('#events td', { hasText: 'ParallelStateEntered' }).first().waitFor(WAIT);
    await page.click('#stop');
    await page.locator('.exec-head .badge', { hasText: 'ABORTED' }).waitFor(WAIT);
    // The history is longer than the table's first page: the end of it is found by a search.
    await page.fill('#event-search', 'ExecutionAborted');
    await page.locator('#events .events-info', { hasText: /^1 of \d+ events match "executionaborted"$/ }).waitFor(WAIT);
    expect(await page.locator('#events tbody tr td').nth(1).textContent()).toBe('ExecutionAborted');
  });

  it('renders a definition and an input full of markup, directives, quotes and U+2028 as inert text', async () => {
    const { page } = browser;
    const definition = asl({
      Comment: '<script>window.__pwned=3</script>',
      StartAt: HOSTILE_NAME,
      States: { [HOSTILE_NAME]: { Type: 'Pass', Next: '<img src=x onerror=alert(1)>' }, '<img src=x onerror=alert(1)>': { Type: 'Succeed' } },
    });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'hostile', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: HOSTILE_INPUT }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    await page.click('#graph .sw-node[data-type="Pass"]');
    await page.locator('#panel h2').waitFor(WAIT);
    expect(await page.locator('#panel h2').textContent()).toBe(HOSTILE_NAME);
    await page.locator('#panel details').first().evaluate((d) => { (d as HTMLDetailsElement).open = true; });
    expect(JSON.parse(await page.locator('#panel pre').first().textContent() ?? '')).toEqual(JSON.parse(HOSTILE_INPUT));
    expect(await page.locator('#events').textContent()).toContain('<script>window.__pwned=1</script>');
    await page.goto(`${s.server.consoleUrl}#/machine/${encodeURIComponent(stateMachineArn!)}`);
    await page.locator('#start-input').waitFor(WAIT);
    // Nothing ran: no global set, no image element made from the text, no error (a script the policy stopped would log one).
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('img, script:not([src])').length)).toBe(0);
  });

  it('answers the icon the page asks for with one Chromium loads, so no load fails', async () => {
    const { page } = browser;
    await page.goto(`${s.server.consoleUrl}#/`);
    await page.locator('h1', { hasText: 'State machines' }).waitFor(WAIT);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.ico');
    // Headless Chromium under Playwright fails any page request for exactly /favicon.ico before it is sent,
    // so the page loads the same answer with a query; the plain path is answered the same (console-api.test.ts).
    const loaded = await page.evaluate(() => new Promise<string>((resolve) => {
      const img = new Image();
      img.onload = () => resolve(`loaded ${img.naturalWidth}x${img.naturalHeight}`);
      img.onerror = () => resolve('failed');
      img.src = '/favicon.ico?from=the-page';
    }));
    expect(loaded).toMatch(/^loaded [1-9]\d*x[1-9]/);
  });

  it('shows a Task whose error the enclosing Parallel caught as caught there, with no empty caught line', async () => {
    const { page } = browser;
    const definition = asl({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'boom' }, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'caught-in-parallel', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await page.locator('.exec-head .badge', { hasText: 'SUCCEEDED' }).waitFor(WAIT);
    await page.click('#graph .sw-node[data-state="Boom"]');
    await page.locator('#panel .attempts tr.failed', { hasText: 'Boom.Failed' }).waitFor(WAIT);
    expect(await page.locator('#panel .caught-by').textContent()).toBe("its error ended its branch; the Catch of 'Both' took it");
    expect(await page.locator('#panel .caught').count()).toBe(0);
    await page.click('#graph .sw-cluster[data-state="Both"] > rect, #graph .sw-node[data-state="Both"]');
    await page.locator('#panel h2', { hasText: 'Both' }).waitFor(WAIT);
    await page.locator('#panel .caught', { hasText: /^caught: Boom\.Failed \(/ }).waitFor(WAIT);
  });

  /** A chain of `steps` Pass states before a callback Task, Approve, the execution waits in; its execution's page open. */
  const openChain = async (name: string, steps: number): Promise<void> => {
    const states: Record<string, unknown> = {};
    for (let i = 1; i <= steps; i++) states[`Step ${i}`] = { Type: 'Pass', Next: i === steps ? 'Approve' : `Step ${i + 1}` };
    states.Approve = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true };
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name, definition: asl({ StartAt: 'Step 1', States: states }), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await browser.page.goto(`${s.server.consoleUrl}#/execution/${encodeURIComponent(executionArn!)}`);
    await browser.page.locator('#waiting .callback').waitFor(WAIT);
  };
  /** Where the diagram is: whether it overflows its box, the scale it is drawn at, whether Approve is in view. */
  const geometry = () => browser.page.locator('#graph').evaluate((box) => {
    const svg = box.querySelector('svg')!;
    const drawn = svg.getBoundingClientRect();
    const frame = box.getBoundingClientRect();
    const node = box.querySelector('.sw-node[data-state="Approve"]')!.getBoundingClientRect();
    return {
      overflows: box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1,
      svgInside: drawn.height <= box.clientHeight + 1 && drawn.width <= box.clientWidth + 1,
      approveInView: node.top >= frame.top && node.bottom <= frame.bottom && node.left >= frame.left && node.right <= frame.right,
      scale: Math.round((drawn.width / svg.viewBox.baseVal.width) * 100) / 100,
      scrollTop: box.scrollTop,
    };
  });
  const zoomNote = () => browser.page.locator('#zoom-note').innerText();

  it('opens a diagram that is readable fitted to its box fitted, and says nothing of zoom', async () => {
    await openChain('short', 4);
    expect(await geometry()).toEqual({ overflows: false, svgInside: true, approveInView: true, scale: 1, scrollTop: 0 });
    expect(await zoomNote()).toBe('');
  });

  it('opens a 46-state diagram too large to read fitted at a readable scale around the running state, and keeps its place through Stop and Redrive', async () => {
    const { page } = browser;
    // 45 states before a callback the execution waits in: fitted to a 900-pixel window, its names would be 3 pixels high.
    await openChain('tall', 45);
    const readable = await geometry();
    expect(readable).toMatchObject({ overflows: true, approveInView: true, scale: Math.round(READABLE * 100) / 100 });
    expect(readable.scrollTop).toBeGreaterThan(0);
    expect(await zoomNote()).toBe(`too large to read fitted: shown at ${Math.round(READABLE * 100)}%, scroll to see the rest`);

    await page.click('#zoom');
    await page.locator('#zoom', { hasText: 'Fit to view' }).waitFor(WAIT);
    const full = await geometry();
    expect(full).toMatchObject({ overflows: true, approveInView: true, scale: 1 });
    expect(full.scrollTop).toBeGreaterThan(readable.scrollTop);
    expect(await zoomNote()).toBe('');

    await page.click('#stop');
    await page.locator('.exec-head .badge', { hasText: 'ABORTED' }).waitFor(WAIT);
    expect(await geometry()).toEqual(full);
    await page.click('#redrive');
    await page.locator('.exec-head .badge', { hasText: 'RUNNING' }).waitFor(WAIT);
    await page.locator('#waiting .callback').waitFor(WAIT);
    expect(await geometry()).toEqual(full);

    await page.click('#zoom');
    await page.locator('#zoom', { hasText: 'Actual size' }).waitFor(WAIT);
    expect(await geometry()).toMatchObject({ overflows: true, approveInView: true, scale: Math.round(READABLE * 100) / 100 });
  });

  it('refuses a cross-site request from a page of another origin, and the console on a rebinding name', async () => {
    const { page } = browser;
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'target', definition: asl({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: ROLE }));
    const attacker = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (attacker.address() as AddressInfo).port;
      await page.goto(`http://evil.test:${port}/`);
      const action = `${s.server.endpoint}/console/api/action`;
      const outcome = await page.evaluate(async ({ url, arn }) => {
        const body = JSON.stringify({ action: 'start', stateMachineArn: arn, input: '{}' });
        const results: string[] = [];
        const attempts: RequestInit[] = [
          { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body },
          { method: 'POST', headers: { 'content-type': 'application/json', 'x-stepwright-console-token': 'guess' }, body },
        ];
        for (const init of attempts) {
          try {
            const res = await fetch(url, init);
            results.push(`status ${res.status}`);
          } catch (e) {
            results.push(`blocked: ${String(e)}`);
          }
        }
        return results;
      }, { url: action, arn: stateMachineArn! });
      // The no-cors POST is sent and answered 403 (its answer is opaque to the page); the JSON one is stopped at its preflight.
      expect(outcome[0]).toBe('status 0');
      expect(outcome[1]).toMatch(/^blocked: TypeError/);
      const list = await fetch(`${s.server.endpoint}/console/api/executions?machine=${encodeURIComponent(stateMachineArn!)}`, {
        headers: { 'x-stepwright-console-token': await consoleToken(s.server.endpoint) },
      });
      expect(((await list.json()) as { total: number }).total).toBe(0);
      // The console itself on a name that resolves to loopback (DNS rebinding): refused by the door.
      const rebound = await page.goto(`http://evil.test:${s.server.port}/console`);
      expect(rebound?.status()).toBe(403);
      expect(await page.locator('body').textContent()).toContain("Host 'evil.test:");
      // A refused page and a blocked fetch log errors in the browser; they are the point here.
      browser.errors.length = 0;
    } finally {
      await new Promise<void>((resolve) => {
        attacker.close(() => resolve());
        attacker.closeAllConnections();
      });
    }
  });

  it('lets a page of another loopback origin call the API as @aws-sdk/client-sfn does, through its CORS preflight, and a page of a foreign origin not', async () => {
    const { page } = browser;
    const site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><title>a local app</title>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const port = (site.address() as AddressInfo).port;
      // The headers @aws-sdk/client-sfn sends from a browser: none a page may send without a preflight.
      const call = (url: string) => page.evaluate(async (endpoint) => {
        try {
          const res = await fetch(endpoint, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': 'AWSStepFunctions.DescribeActivity',
              'x-amz-user-agent': 'aws-sdk-js/3',
              'amz-sdk-invocation-id': '00000000-0000-4000-8000-000000000000',
              'amz-sdk-request': 'attempt=1; max=3',
              'x-amz-date': '20260101T000000Z',
              'authorization': 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=0',
            },
            body: JSON.stringify({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:none' }),
          });
          return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), requestId: res.headers.get('x-amzn-requestid'), body: await res.json() as { __type?: string } };
        } catch (e) {
          return { blocked: String(e) };
        }
      }, url);
      await page.goto(`http://127.0.0.1:${port}/`);
      const local = await call(s.server.endpoint);
      expect(local).toMatchObject({ status: 400, errorType: 'ActivityDoesNotExist:http://internal.amazon.com/coral/com.amazonaws.swf.service.v2.model/', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect((local as { body: { __type?: string } }).body.__type).toMatch(/#ActivityDoesNotExist$/);
      await page.goto(`http://evil.test:${port}/`);
      expect(await call(s.server.endpoint)).toEqual({ blocked: expect.stringMatching(/^TypeError/) });
      // A blocked fetch logs errors in the browser; they are the point here.
      browser.errors.length = 0;
    } finally {
      await new Promise<void>((resolve) => {
        site.close(() => resolve());
        site.closeAllConnections();
      });
    }
  });
});
