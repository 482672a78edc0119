/*
 * The console serve answers at /console: one page, its bundled script and style sheet
 * (lib/console, built by scripts/build-console.mjs), and a small JSON API under /console/api
 * that reads the server's store and acts through the Step Functions operations. The door has
 * checked Host and Origin before a request gets here; every API path needs the page's token too.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { actionRefusal, consoleUrl, newToken, sameToken, TOKEN_HEADER } from './guard';
import type { JsonObject, JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { SVG_STYLE } from '../../render/svg';
import { packageRoot } from '../../workbench/common/package-root';
import { ApiError, faultMessage } from '../api-errors';
import { consoleViews } from '../lazy';
import type { ExecutionDigest } from './execution-view';
import type { ExecutionRecord } from '../model';
import { describeMapRun } from '../operations/executions';
import type { StepFunctionsService } from '../service';

/** Where the bundled assets are: lib/console, from src/, lib/ and lib/entry alike. */
const ASSETS = path.join(packageRoot(), 'lib', 'console');

/** The largest action body read. */
const MAX_ACTION = 1024 * 1024;

/**
 * The page's policy: its own script and style sheet only, nothing from the network, no inline
 * script, no plugin, no frame, no form posting elsewhere.
 */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

/** The actions and the operation each runs. */
const ACTIONS: ReadonlyMap<string, string> = new Map([
  ['start', 'StartExecution'], ['stop', 'StopExecution'], ['redrive', 'RedriveExecution'],
  ['success', 'SendTaskSuccess'], ['failure', 'SendTaskFailure'], ['heartbeat', 'SendTaskHeartbeat'],
]);

/** The fields each action passes to its operation; anything else in the body is ignored. */
const ACTION_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['start', ['stateMachineArn', 'name', 'input']], ['stop', ['executionArn', 'error', 'cause']], ['redrive', ['executionArn']],
  ['success', ['taskToken', 'output']], ['failure', ['taskToken', 'error', 'cause']], ['heartbeat', ['taskToken']],
]);

/** How often live pages are told of changes at most (one timer for all of them). */
const WATCH_MS = 150;

/** Events of a history in a page when the page asks for no other number, and the most it may ask for (a page also ends at 8 MiB of payloads). */
const EVENTS_PAGE = 200;
const MAX_EVENTS_PAGE = 5000;

/** Executions whose digest (their events without payloads, their visits) the console keeps, the most recently read last. */
const DIGESTS_KEPT = 8;

/** Visits of a state the panel shows at most. */
const VISITS_SHOWN = 200;

/** State machines the home page lists at most (AWS's default quota is 10,000 a Region), and versions of each. */
const MACHINES_LISTED = 1000;
const VERSIONS_LISTED = 20;

/** Child executions of a Map Run the panel lists at most. */
const CHILDREN_SHOWN = 200;

/** The console of one server. @internal */
export class Console {
  readonly token = newToken();
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | undefined;
  /** What was read of the executions pages looked at last, each brought up to date when read again. */
  private readonly digests = new Map<ExecutionRecord, ExecutionDigest>();
  constructor(private readonly service: StepFunctionsService, private readonly report: (line: string) => void) {}

  /** Answers a request under /console; false when the path is not the console's. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const url = consoleUrl(req.url);
    if (url === undefined) return false;
    const p = url.pathname;
    res.setHeader('content-security-policy', CONSOLE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cache-control', 'no-store');
    if (p === '/console/api/action') {
      this.dispatch(req, res, p, url.searchParams);
      return true;
    }
    // Answered once the request is read: a keep-alive connection whose request body is left unread is closed by Node.
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_ACTION) req.destroy();
    });
    req.on('end', () => this.dispatch(req, res, p, url.searchParams));
    req.on('error', () => undefined);
    return true;
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse, p: string, q: URLSearchParams): boolean {
    try {
      if (p === '/console' || p === '/console/') return this.page(req, res);
      if (p === '/console/app.js') return this.asset(req, res, 'app.js', 'text/javascript; charset=utf-8');
      if (p === '/console/app.css') return this.asset(req, res, 'style.css', 'text/css; charset=utf-8', SVG_STYLE);
      if (p.startsWith('/console/api/')) return this.api(req, res, p.slice('/console/api/'.length), q);
      return text(res, 404, `No console page at ${p}`);
    } catch (e) {
      this.report(`console: ${req.method} ${p}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return json(res, 500, { error: ApiErrors.InternalFailure, message: faultMessage(e) });
    }
  }

  /** Ends the live streams (the server is closing). */
  close(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private page(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'GET the console');
    const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="stepwright-console-token" content="${this.token}">
<title>stepwright console</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/console/app.css">
<script src="/console/app.js" defer></script>
</head>
<body><noscript>The console needs JavaScript.</noscript></body>
</html>
`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  }

  private asset(req: http.IncomingMessage, res: http.ServerResponse, file: string, type: string, suffix = ''): boolean {
    let body: Buffer;
    try {
      body = Buffer.concat([fs.readFileSync(path.join(ASSETS, file)), Buffer.from(suffix)]);
    } catch {
      return text(res, 500, `The console's ${file} is not built (${ASSETS}): run \`npx projen compile\` (or node scripts/build-console.mjs) in a clone of stepwright`);
    }
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  private api(req: http.IncomingMessage, res: http.ServerResponse, route: string, q: URLSearchParams): boolean {
    if (route === 'watch') {
      if (!sameToken(q.get('token'), this.token)) return refuse(req, res, 'The live view needs the console\'s token: open the console at /console');
      return this.watch(res, q);
    }
    if (route === 'action') {
      if (req.method !== 'POST') return refuse(req, res, 'POST an action', 405);
      const refusal = actionRefusal(req, this.token);
      if (refusal !== undefined) return refuse(req, res, refusal);
      void this.act(req, res);
      return true;
    }
    const given = req.headers[TOKEN_HEADER];
    if (!sameToken(typeof given === 'string' ? given : undefined, this.token)) return refuse(req, res, 'The console\'s API needs its token: open the console at /console');
    if (req.method !== 'GET') return refuse(req, res, 'GET the console\'s views', 405);
    try {
      switch (route) {
        case 'machines': return json(res, 200, this.machines());
        case 'machine': return json(res, 200, this.machine(q.get('arn') ?? ''));
        case 'executions': return json(res, 200, this.executions(q));
        case 'execution': {
          const have = q.get('diagram');
          return json(res, 200, this.digest(q.get('arn')).view(q.get('q') ?? '', boundedInt(q.get('limit'), EVENTS_PAGE, 0, MAX_EVENTS_PAGE), have === null ? undefined : boundedInt(have, 0, 0, Number.MAX_SAFE_INTEGER)));
        }
        case 'events': return json(res, 200, this.digest(q.get('arn')).events(q.get('q') ?? '', boundedInt(q.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER), boundedInt(q.get('limit'), EVENTS_PAGE, 1, MAX_EVENTS_PAGE)));
        case 'visits': return json(res, 200, this.digest(q.get('arn')).visitsOf(q.get('state') ?? '', VISITS_SHOWN));
        case 'maprun': return json(res, 200, this.mapRun(q.get('arn') ?? ''));
        case 'compare': {
          const [a, b] = [this.digest(q.get('a')), this.digest(q.get('b'))];
          const side = (d: ExecutionDigest) => ({ record: d.record, events: d.lightEvents() });
          return json(res, 200, consoleViews().compareExecutions(side(a), side(b)));
        }
        default: return json(res, 404, { error: 'NotFound', message: `No console API '${route}'` });
      }
    } catch (e) {
      if (e instanceof ApiError) return json(res, e.status, { error: e.type, message: e.message });
      throw e;
    }
  }

  private execution(arn: string | null): ExecutionRecord {
    const record = arn === null ? undefined : this.service.store.findExecution(arn);
    if (!record) throw new ApiError(ApiErrors.ExecutionDoesNotExist, `Execution Does Not Exist: '${arn ?? ''}'`);
    return record;
  }

  /** The digest of the execution `arn` names, brought up to date: the one kept, or a new one. */
  private digest(arn: string | null): ExecutionDigest {
    const record = this.execution(arn);
    const digest = this.digests.get(record) ?? new (consoleViews().ExecutionDigest)(this.service, record);
    this.digests.delete(record);
    this.digests.set(record, digest);
    if (this.digests.size > DIGESTS_KEPT) this.digests.delete(this.digests.keys().next().value!);
    digest.sync();
    return digest;
  }

  /** A Map Run as DescribeMapRun gives it (dates as ISO strings), with the first of its child executions kept. */
  private mapRun(arn: string): unknown {
    const run = describeMapRun(this.service, { mapRunArn: arn });
    const iso = (s: unknown): string | undefined => (typeof s === 'number' ? new Date(s * 1000).toISOString() : undefined);
    const children = this.service.store.childrenOf(arn);
    return {
      mapRun: { ...run, startDate: iso(run.startDate), stopDate: iso(run.stopDate), redriveDate: iso(run.redriveDate) },
      childrenKept: children.length,
      children: children.slice(0, CHILDREN_SHOWN).map((e) => ({
        executionArn: e.arn,
        name: e.name,
        status: e.status,
        startDate: new Date(e.startDate).toISOString(),
        ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate).toISOString() } : {}),
      })),
    };
  }

  /**
   * The state machines, oldest first, as the home page lists them: at most {@link MACHINES_LISTED},
   * each with its newest {@link VERSIONS_LISTED} versions, and neither its definition (1 MB each)
   * nor its last input (256 KiB), which only its own page reads: a server of many large
   * state machines answers the list in a few hundred bytes a machine.
   */
  private machines(): unknown {
    const page: unknown[] = [];
    let total = 0;
    for (const m of this.service.store.machines.all()) {
      if (total++ >= MACHINES_LISTED) continue;
      const versions = [...m.versions.values()];
      page.push({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type,
        creationDate: new Date(m.creationDate).toISOString(),
        versionCount: versions.length,
        versions: versions.slice(-VERSIONS_LISTED).map((v) => ({ stateMachineVersionArn: v.arn, version: v.number })),
        aliases: [...m.aliases.values()].map((a) => ({ stateMachineAliasArn: a.arn, name: a.name, routing: a.routing })),
        executions: this.service.store.executionsOf(m.arn).length,
      });
    }
    return { total, machines: page };
  }

  /** One state machine as its page shows it: its definition, versions, aliases and the input of its last execution. */
  private machine(arn: string): unknown {
    const m = this.service.store.machine(arn);
    const executions = this.service.store.executionsOf(m.arn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type,
      creationDate: new Date(m.creationDate).toISOString(),
      definition: m.current.definition,
      versions: [...m.versions.values()].map((v) => ({ stateMachineVersionArn: v.arn, version: v.number, description: v.description ?? '', creationDate: new Date(v.creationDate).toISOString() })),
      aliases: [...m.aliases.values()].map((a) => ({ stateMachineAliasArn: a.arn, name: a.name, description: a.description ?? '', routing: a.routing })),
      executions: executions.length,
      lastInput: lastInput(executions),
    };
  }

  /** Executions newest first, filtered by state machine, status and name, one page of them. */
  private executions(q: URLSearchParams): unknown {
    const machineArn = q.get('machine');
    const status = q.get('status') ?? '';
    const name = (q.get('name') ?? '').slice(0, 256).toLowerCase();
    if (status !== '' && !STATUSES.has(status)) throw new ApiError(ApiErrors.ValidationException, `Unknown status '${status}'; use one of ${[...STATUSES].join(', ')}`);
    const offset = boundedInt(q.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = boundedInt(q.get('limit'), 200, 1, 10_000);
    const machines = machineArn ? [this.service.store.machine(machineArn).arn] : [...this.service.store.machines.all()].map((m) => m.arn);
    // One walk of the store's per-machine lists, newest first: count what matches, keep the page.
    let total = 0;
    const page: unknown[] = [];
    for (const e of this.service.store.executionsNewestFirst(machines)) {
      if (status !== '' && e.status !== status) continue;
      if (name !== '' && !e.name.toLowerCase().includes(name)) continue;
      if (total++ < offset || page.length >= limit) continue;
      page.push({
        executionArn: e.arn,
        name: e.name,
        status: e.status,
        stateMachineName: e.machine.name,
        type: e.machine.type,
        startDate: new Date(e.startDate).toISOString(),
        ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate).toISOString() } : {}),
        redriveCount: e.redriveCount,
      });
    }
    return { total, offset, limit, executions: page };
  }

  private async act(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const body = await readBody(req, res);
      let parsed: JsonValue;
      try {
        parsed = JSON.parse(body);
      } catch {
        json(res, 400, { error: ApiErrors.SerializationException, message: 'The action is not valid JSON' });
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        json(res, 400, { error: ApiErrors.SerializationException, message: 'The action must be a JSON object' });
        return;
      }
      const fields = parsed;
      const action = typeof fields.action === 'string' ? fields.action : '';
      const operation = ACTIONS.get(action);
      if (operation === undefined) {
        json(res, 400, { error: ApiErrors.ValidationException, message: `Unknown action '${action.slice(0, 40)}'; use one of ${[...ACTIONS.keys()].join(', ')}` });
        return;
      }
      const params: JsonObject = {};
      for (const field of ACTION_FIELDS.get(action)!) if (Object.hasOwn(fields, field) && fields[field] !== '') params[field] = fields[field];
      const answer = await this.service.call(operation, params, new AbortController().signal);
      json(res, 200, { action, answer });
    } catch (e) {
      if (e instanceof ApiError) {json(res, e.status, { error: e.type, message: e.message });} else {
        this.report(`console action: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        json(res, 500, { error: ApiErrors.InternalFailure, message: faultMessage(e) });
      }
    }
  }

  /** Server-sent events: `change` whenever the execution's history grows or its status changes. */
  private watch(res: http.ServerResponse, q: URLSearchParams): boolean {
    const record = this.service.store.findExecution(q.get('arn') ?? '');
    if (!record) return json(res, 404, { error: ApiErrors.ExecutionDoesNotExist, message: `Execution Does Not Exist: '${q.get('arn') ?? ''}'` });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'connection': 'keep-alive' });
    res.write('retry: 2000\n\n');
    const watcher: Watcher = { record, res, seen: '' };
    this.watchers.add(watcher);
    this.notify(watcher);
    res.on('close', () => {
      this.watchers.delete(watcher);
      if (this.watchers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    });
    this.timer ??= setInterval(() => { for (const w of this.watchers) this.notify(w); }, WATCH_MS).unref();
    return true;
  }

  private notify(w: Watcher): void {
    const r = w.record;
    const digest = this.digests.get(r);
    // A diagram laid out in a worker thread is a change too: the page reads it when it is ready.
    const now = `${versionOf(r)}${digest?.diagramPending ? ':laying out' : ''}`;
    if (now === w.seen) return;
    // The page reads the execution again when told: not before its path may be worked out again,
    // unless the execution has ended (the last change a page must hear of).
    if (digest !== undefined && r.status === 'RUNNING' && performance.now() < digest.nextPath) return;
    w.seen = now;
    w.res.write(`event: change\ndata: ${JSON.stringify({ status: r.status, events: historyLength(r), redriveCount: r.redriveCount })}\n\n`);
  }
}

interface Watcher {
  readonly record: ExecutionRecord;
  readonly res: http.ServerResponse;
  seen: string;
}

/** Events in an execution's history so far, over all its runs. */
function historyLength(r: ExecutionRecord): number {
  let length = 0;
  for (const s of r.segments) length += 'historyRecorder' in s ? s.historyRecorder.length : s.length;
  return length;
}

/** What a page of an execution shows changes when this does: its status, its history's length, its redrives. */
function versionOf(r: ExecutionRecord): string {
  return `${r.status}:${historyLength(r)}:${r.redriveCount}`;
}

function lastInput(executions: readonly ExecutionRecord[]): string | undefined {
  return executions.length === 0 ? undefined : executions[executions.length - 1].input;
}

function boundedInt(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ApiError(ApiErrors.ValidationException, `'${value.slice(0, 40)}' is not a whole number`);
  return Math.min(Math.max(n, min), max);
}

/**
 * An action's body. One past {@link MAX_ACTION} is refused as soon as it is (its Content-Length
 * says so, or its bytes pass it), and its connection closed once the answer is out: read to its
 * end, a body that never ends would hold the connection until Node's request timeout.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const tooLarge = (): void => {
      over = true;
      chunks.length = 0;
      res.shouldKeepAlive = false;
      reject(new ApiError(ApiErrors.ValidationException, `The action exceeds ${MAX_ACTION} bytes`));
    };
    if (Number(req.headers['content-length']) > MAX_ACTION) {
      tooLarge();
      return;
    }
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_ACTION) tooLarge();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): true {
  const encoded = JSON.stringify(body);
  if (res.headersSent) return true;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(encoded) });
  res.end(encoded);
  return true;
}

function text(res: http.ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, message: string, status = 403): true {
  req.resume();
  res.shouldKeepAlive = false;
  return json(res, status, { error: ApiErrors.AccessDeniedException, message });
}
