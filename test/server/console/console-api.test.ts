import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ASSETS_BUILT, buildConsoleAssets, callbackAndRetryMachine, consoleApi, consoleToken, RETRY_HANDLERS, type ConsoleApi } from './console-helpers';
import { asl, PASS, pour, raw, ROLE, serve, until } from '../helpers';

beforeAll(() => buildConsoleAssets());

describe('serve console: serving and safety', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { s = await serve(); });
  afterAll(() => s.stop());

  it('is served at /console on the API port with a policy that forbids inline scripts and network assets', async () => {
    expect(ASSETS_BUILT()).toBe(true);
    expect(s.server.consoleUrl).toBe(`${s.server.endpoint}/console`);
    const page = await raw(s.server.consoleUrl!, { method: 'GET', body: '' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // No inline script and nothing from another host: one script and one style sheet of the server's own.
    expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.body).toMatch(/<script src="\/console\/app\.js" defer><\/script>/);
    const script = await raw(`${s.server.endpoint}/console/app.js`, { method: 'GET', body: '' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(String(script.body).length).toBeGreaterThan(1000);
    const style = await raw(`${s.server.endpoint}/console/app.css`, { method: 'GET', body: '' });
    expect(String(style.body)).toContain('.sw-node');
  });

  it('answers GET /favicon.ico, which a browser sends with every page, with an icon and not an API error', async () => {
    for (const url of ['/favicon.ico', '/favicon.ico?v=2']) {
      const icon = await raw(`${s.server.endpoint}${url}`, { method: 'GET', body: '' });
      expect({ url, status: icon.status, type: icon.headers['content-type'] }).toEqual({ url, status: 200, type: 'image/svg+xml' });
      expect(String(icon.body)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
    const head = await raw(`${s.server.endpoint}/favicon.ico`, { method: 'HEAD', body: '' });
    expect(head.status).toBe(200);
    expect(String(head.body ?? '')).toBe('');
    const page = await raw(s.server.consoleUrl!, { method: 'GET', body: '' });
    expect(page.body).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml">');
  });

  it('refuses every API path without the page\'s token', async () => {
    for (const route of ['machines', 'machine?arn=x', 'executions', 'execution?arn=x', 'events?arn=x', 'visits?arn=x&state=y', 'compare?a=x&b=y', 'watch?arn=x']) {
      const answer = await raw(`${s.server.endpoint}/console/api/${route}`, { method: 'GET', body: '' });
      expect({ route, status: answer.status }).toEqual({ route, status: 403 });
    }
    const wrong = await raw(`${s.server.endpoint}/console/api/machines`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': 'guess' } });
    expect(wrong.status).toBe(403);
  });

  it('refuses an action without the token, from another origin, or not as JSON, and runs nothing', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'guarded', definition: PASS, roleArn: ROLE }));
    const token = await consoleToken(s.server.endpoint);
    const host = new URL(s.server.endpoint).host;
    const body = JSON.stringify({ action: 'start', stateMachineArn, input: '{}' });
    const post = (headers: Record<string, string>) => raw(`${s.server.endpoint}/console/api/action`, { body, headers: { 'content-type': 'application/json', ...headers } });
    expect((await post({ origin: `http://${host}` })).status).toBe(403);
    // A page of a foreign origin: the door refuses it before the console sees it.
    const foreign = await post({ 'origin': 'https://evil.example', 'x-stepwright-console-token': token });
    expect(foreign.status).toBe(403);
    expect(JSON.stringify(foreign.body)).toContain('evil.example');
    // Another local origin (a dev server on another port) passes the door but is not the console's page.
    expect((await post({ 'origin': 'http://127.0.0.1:1', 'x-stepwright-console-token': token })).status).toBe(403);
    expect((await post({ 'x-stepwright-console-token': token })).status).toBe(403);
    expect((await post({ 'origin': `http://${host}`, 'x-stepwright-console-token': token, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'origin': `http://${host}`, 'x-stepwright-console-token': token, 'content-type': 'text/plain' })).status).toBe(403);
    // A rebinding name in Host: the door's refusal.
    expect((await post({ 'host': 'rebind.example:80', 'origin': 'http://rebind.example', 'x-stepwright-console-token': token })).status).toBe(403);
    const list = await raw(`${s.server.endpoint}/console/api/executions?machine=${encodeURIComponent(stateMachineArn!)}`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    expect(list.body.total).toBe(0);
    const allowed = await post({ 'origin': `http://${host}`, 'x-stepwright-console-token': token });
    expect(allowed.status).toBe(200);
    expect(allowed.body.answer.executionArn).toMatch(/:execution:guarded:/);
  });

  it('answers an unknown action naming the ones it takes, and ignores fields an action does not take', async () => {
    const token = await consoleToken(s.server.endpoint);
    const host = new URL(s.server.endpoint).host;
    const answer = await raw(`${s.server.endpoint}/console/api/action`, {
      body: JSON.stringify({ action: '__proto__' }), headers: { 'content-type': 'application/json', 'origin': `http://${host}`, 'x-stepwright-console-token': token },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('start, stop, redrive, success, failure, heartbeat');
  });

  it('is off with console: false (--no-console): /console is not answered as a page', async () => {
    const off = await serve({ console: false });
    try {
      expect(off.server.consoleUrl).toBeUndefined();
      const answer = await raw(`${off.server.endpoint}/console`, { method: 'GET', body: '' });
      expect(answer.status).not.toBe(200);
      expect(String(answer.headers['content-type'])).not.toMatch(/html/);
    } finally {
      await off.stop();
    }
  });
});

describe('serve console: views', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let api: ConsoleApi;
  let token: string;
  const get = (route: string) => api.get(route);
  beforeAll(async () => {
    s = await serve({ timeScale: 1000, handlers: RETRY_HANDLERS() });
    api = await consoleApi(s.server.endpoint);
    token = api.token;
  });
  afterAll(() => s.stop());

  it('lists executions newest first, filtered by status and name, a page at a time', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'many', definition: PASS, roleArn: ROLE }));
    for (let i = 0; i < 12; i++) await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${String(i).padStart(2, '0')}` }));
    await until(() => get(`executions?machine=${encodeURIComponent(stateMachineArn!)}&status=SUCCEEDED`), (b) => b.total === 12);
    const page = await get(`executions?machine=${encodeURIComponent(stateMachineArn!)}&limit=5&offset=5`);
    expect(page.total).toBe(12);
    expect(page.executions.map((e: { name: string }) => e.name)).toEqual(['run-06', 'run-05', 'run-04', 'run-03', 'run-02']);
    const named = await get('executions?name=RUN-1');
    expect(named.executions.map((e: { name: string }) => e.name)).toEqual(['run-11', 'run-10']);
    expect((await get('executions?status=FAILED')).total).toBe(0);
    // Every machine's executions together, still newest first.
    const other = await s.sfn.send(new CreateStateMachineCommand({ name: 'other', definition: PASS, roleArn: ROLE }));
    await s.sfn.send(new StartExecutionCommand({ stateMachineArn: other.stateMachineArn, name: 'latest' }));
    const all = await get('executions?limit=3');
    expect(all.executions.map((e: { name: string; stateMachineName: string }) => `${e.stateMachineName}/${e.name}`)).toEqual(['other/latest', 'many/run-11', 'many/run-10']);
    const bad = await raw(`${s.server.endpoint}/console/api/executions?status=valueOf`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("Unknown status 'valueOf'");
  });

  it('shows a retried Task\'s attempts with their errors and back-off, and the callback it waits for; the success sent from the console ends it', async () => {
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'retry-callback', definition: callbackAndRetryMachine(), roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"order":"o-1"}' }));
    const arn = encodeURIComponent(executionArn!);
    const view = await until(() => get(`execution?arn=${arn}`), (v) => v.waiting.length === 1);
    expect(view.states.find((x: { name: string }) => x.name === 'Charge')).toMatchObject({ retries: 2, entered: 1 });
    const charges = await get(`visits?arn=${arn}&state=Charge`);
    expect(charges.total).toBe(1);
    const charge = charges.visits[0];
    expect(charge.attempts.map((a: { outcome: string; error?: string }) => [a.outcome, a.error])).toEqual([['failed', 'Busy'], ['failed', 'Busy'], ['succeeded', undefined]]);
    // IntervalSeconds 1, BackoffRate 2: one second, then two. The gap is read from the events'
    // times, and serve's clock runs at the wall's pace between waits, so a busy machine adds the
    // milliseconds the executor itself took: each gap is at least its back-off and under the next.
    const [first, second, third] = charge.attempts.map((a: { backoffMs?: number }) => a.backoffMs);
    expect(first).toBeUndefined();
    expect(second).toBeGreaterThanOrEqual(1000);
    expect(second).toBeLessThan(2000);
    expect(third).toBeGreaterThanOrEqual(2000);
    expect(third).toBeLessThan(4000);
    expect(charge.input).toBe('{"order":"o-1"}');
    expect(view.diagram.svg).toContain('data-state="Charge"');
    // The page's policy allows no inline style: the diagram comes without its style sheet (app.css has it).
    expect(view.diagram.svg).not.toContain('<style');
    // Laid out once for the revision; the run is drawn over it from the overlay.
    expect(view.diagram.svg).not.toContain('retried 2×');
    expect(view.overlay.visited).toEqual(expect.arrayContaining(['Charge', 'Approve']));
    expect(view.overlay.notes).toContainEqual(['Charge', ['retried 2×']]);
    // A page that has the diagram is not sent it again.
    const again = await get(`execution?arn=${arn}&limit=0&diagram=${view.diagram.id}`);
    expect(again.diagram).toEqual({ id: view.diagram.id });
    expect(again.events.events).toEqual([]);
    expect(view.waiting[0].state).toBe('Approve');
    const host = new URL(s.server.endpoint).host;
    const sent = await raw(`${s.server.endpoint}/console/api/action`, {
      body: JSON.stringify({ action: 'success', taskToken: view.waiting[0].token, output: '{"approved":true}' }),
      headers: { 'content-type': 'application/json', 'origin': `http://${host}`, 'x-stepwright-console-token': token },
    });
    expect(sent.status).toBe(200);
    const done = await until(() => get(`execution?arn=${arn}`), (v) => v.execution.status === 'SUCCEEDED');
    expect(done.waiting).toEqual([]);
    expect(JSON.parse(done.execution.output)).toMatchObject({ approval: { approved: true } });
    expect(done.events.events.map((e: { type: string }) => e.type)).toContain('TaskSucceeded');
    expect(done.eventCount).toBe(done.events.total);
  });

  it('shows a caught error on the state whose Catch sent the execution on, and counts Map iterations', async () => {
    const definition = asl({
      StartAt: 'Each',
      States: {
        Each: { Type: 'Map', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Pass', End: true } } }, Next: 'Boom' },
        Boom: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'catching', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '[1,2,3]' }));
    const arn = encodeURIComponent(executionArn!);
    const view = await until(() => get(`execution?arn=${arn}`), (v) => v.execution.status !== 'RUNNING');
    expect(view.execution.status).toBe('SUCCEEDED');
    const each = (await get(`visits?arn=${arn}&state=Each`)).visits[0];
    expect(each.children).toEqual({ started: 3, succeeded: 3, failed: 0, aborted: 0 });
    const works = await get(`visits?arn=${arn}&state=Work`);
    expect(works.total).toBe(3);
    expect(works.visits.map((w: { parentState?: string }) => w.parentState)).toEqual(['Each', 'Each', 'Each']);
    const boom = (await get(`visits?arn=${arn}&state=Boom`)).visits[0];
    expect(boom.caught.error).toBe('Boom.Failed');
  });

  it('sends the history a page at a time, and searches all of it on the server', async () => {
    const definition = asl({ StartAt: 'Each', States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } }, End: true } } });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'paged', definition, roleArn: ROLE }));
    const input = JSON.stringify(Array.from({ length: 60 }, (_, i) => i));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
    const arn = encodeURIComponent(executionArn!);
    // 60 iterations of 4 events, and the Map's and the execution's own: more than a page.
    const first = await until(() => get(`execution?arn=${arn}&limit=50`), (v) => v.execution.status === 'SUCCEEDED');
    expect(first.eventCount).toBe(first.events.total);
    expect(first.eventCount).toBeGreaterThan(240);
    expect(first.events.events.map((e: { id: number }) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const second = await get(`events?arn=${arn}&offset=50&limit=50`);
    expect(second.events.map((e: { id: number }) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 51));
    expect(second).toMatchObject({ offset: 50, next: 100, stopped: 'limit', total: first.eventCount });
    // Any case; a page of matches at a time, each saying where the next one starts.
    const found = await get(`events?arn=${arn}&q=mapiterationsucceeded&limit=25`);
    expect(found).toMatchObject({ offset: 0, total: first.eventCount, query: 'mapiterationsucceeded', stopped: 'limit' });
    expect(found.events).toHaveLength(25);
    expect(found.events.every((e: { type: string }) => e.type === 'MapIterationSucceeded')).toBe(true);
    expect(found.next).toBe(found.events[24].id);
    const ids = found.events.map((e: { id: number }) => e.id);
    for (let next = found.next; next < first.eventCount;) {
      const rest = await get(`events?arn=${arn}&q=MapIterationSucceeded&offset=${next}&limit=25`);
      expect(rest.offset).toBe(next);
      ids.push(...rest.events.map((e: { id: number }) => e.id));
      next = rest.next;
    }
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    // The search reads the payloads as JSON (not escaped twice): an input's member and value are found as written.
    const input1 = await get(`events?arn=${arn}&q=${encodeURIComponent('"index":59')}`);
    expect(input1.events.map((e: { type: string }) => e.type)).toEqual(['MapIterationStarted', 'MapIterationSucceeded']);
    // A search longer than the console reads is cut, not refused.
    expect((await get(`events?arn=${arn}&q=${'x'.repeat(5000)}`)).query).toHaveLength(256);
    const bad = await raw(`${s.server.endpoint}/console/api/events?arn=${arn}&offset=1.5`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    expect(bad.status).toBe(400);
    const missing = await raw(`${s.server.endpoint}/console/api/events?arn=nope`, { method: 'GET', body: '', headers: { 'x-stepwright-console-token': token } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('ExecutionDoesNotExist');
  });

  it('searches ASCII and other text in any case, and a query\'s regular expression characters as text', async () => {
    const definition = asl({ StartAt: 'Name', States: { Name: { Type: 'Pass', Result: { school: 'ÉCOLE Ünïcode' }, End: true } } });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'search-case', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ Pattern: 'A.B*C' }) }));
    const arn = encodeURIComponent(executionArn!);
    await until(() => get(`execution?arn=${arn}&limit=0`), (v) => v.execution.status === 'SUCCEEDED');
    const types = async (q: string): Promise<string[]> => (await get(`events?arn=${arn}&q=${encodeURIComponent(q)}`)).events.map((e: { type: string }) => e.type);
    // The input is ASCII; the Pass state's output is not.
    expect(await types('pattern":"a.b*c')).toEqual(['ExecutionStarted', 'PassStateEntered']);
    expect(await types('PATTERN":"A.B*C')).toEqual(['ExecutionStarted', 'PassStateEntered']);
    expect(await types('p.ttern')).toEqual([]);
    expect(await types('école ünïcode')).toEqual(['PassStateExited', 'ExecutionSucceeded']);
    expect(await types('École ÜNÏCODE')).toEqual(['PassStateExited', 'ExecutionSucceeded']);
  });

  it('lists 100 of the callbacks an execution waits for, and cuts a differing output of a comparison to 2,000 characters', async () => {
    // 110 branches, each waiting for its callback at once.
    const branches = Array.from({ length: 110 }, (_, i) => ({
      StartAt: `Approve ${i}`,
      States: { [`Approve ${i}`]: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, End: true } },
    }));
    const definition = asl({ StartAt: 'All', States: { All: { Type: 'Parallel', Branches: branches, End: true } } });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'many-callbacks', definition, roleArn: ROLE }));
    const { executionArn } = await s.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const arn = encodeURIComponent(executionArn!);
    const history = async () => (await get(`events?arn=${arn}&q=TaskSubmitted&limit=200`)).events.length;
    await until(history, (n) => n === 110);
    const view = await get(`execution?arn=${arn}&limit=0`);
    expect(view.waiting).toHaveLength(100);
    expect(new Set(view.waiting.map((w: { token: string }) => w.token)).size).toBe(100);
    expect(view.waiting.every((w: { state: string }) => /^Approve \d+$/.test(w.state))).toBe(true);
    const pass = (name: string, result: string) => s.sfn.send(new CreateStateMachineCommand({ name, definition: asl({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } }), roleArn: ROLE }));
    const a = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: (await pass('long-a', 'a'.repeat(10_000))).stateMachineArn }));
    const b = await s.sfn.send(new StartExecutionCommand({ stateMachineArn: (await pass('long-b', 'b'.repeat(10_000))).stateMachineArn }));
    const diff = await until(() => get(`compare?a=${encodeURIComponent(a.executionArn!)}&b=${encodeURIComponent(b.executionArn!)}`), (d) => d.a.status === 'SUCCEEDED' && d.b.status === 'SUCCEEDED');
    const output = diff.differences.find((d: string) => d.startsWith('output'));
    expect(output).toContain(`"${'a'.repeat(1999)}… (10002 characters)`);
    expect(output.length).toBeLessThan(4200);
  });

  it('refuses an action body over 1 MiB with ValidationException', async () => {
    const answer = await api.act({ action: 'start', input: 'x'.repeat(1024 * 1024) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'ValidationException', message: 'The action exceeds 1048576 bytes' });
  });

  it('refuses an action body that never ends as soon as it passes 1 MiB, and closes its connection', async () => {
    const { host } = new URL(s.server.endpoint);
    const head = `POST /console/api/action HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nContent-Type: application/json\r\n`
      + `X-Stepwright-Console-Token: ${token}\r\n`;
    for (const framing of ['Transfer-Encoding: chunked', `Content-Length: ${64 * 1024 * 1024}`]) {
      const poured = await pour(s.server.endpoint, head + framing, 64 * 1024 * 1024);
      expect({ framing, status: poured.answer.slice(0, 12) }).toEqual({ framing, status: 'HTTP/1.1 400' });
      expect(poured.answer).toContain('The action exceeds 1048576 bytes');
      expect(poured.sent).toBeLessThan(16 * 1024 * 1024);
      expect(poured.closed).toBe(true);
    }
  });

  it('compares two executions as the CLI\'s diff does: the first step where their paths part, the outcome, the output', async () => {
    const definition = asl({ StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Pass', End: true }, No: { Type: 'Fail', Error: 'Nope' } } });
    const { stateMachineArn } = await s.sfn.send(new CreateStateMachineCommand({ name: 'choose', definition, roleArn: ROLE }));
    const a = (await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'yes', input: '{"go":true}' }))).executionArn!;
    const b = (await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'no', input: '{"go":false}' }))).executionArn!;
    const c = (await s.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'yes-again', input: '{"go":true}' }))).executionArn!;
    await until(() => get(`executions?machine=${encodeURIComponent(stateMachineArn!)}&status=RUNNING`), (p) => p.total === 0);
    const diff = await get(`compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    expect(diff.equal).toBe(false);
    expect(diff.differences[0]).toMatch(/^path: at step 3, yes entered Pass state 'Yes', no entered Fail state 'No'/);
    expect(diff.differences[1]).toBe('outcome: yes SUCCEEDED, no FAILED (Nope)');
    const same = await get(`compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(c)}`);
    expect(same).toMatchObject({ equal: true, differences: [] });
  });
});
