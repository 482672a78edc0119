/**
 * The property the HTTP fuzz family checks, against a live `stepwright serve`
 * in a child process with a data directory: every request is answered, in
 * bounded time, with 200 or an AWS-shaped 400 (`__type`, `message`, the
 * `x-amzn-errortype` header), or, for a foreign Host or Origin (the door family),
 * 403 AccessDeniedException and nothing else; a request to the console API (the console
 * family) as console-property.ts says; a StartExecution naming a MockConfigFile
 * test case after the file was swapped for a FIFO, a link to /dev/zero, a directory, a
 * huge or a broken file (the hostile-file family) is answered 200 from the version
 * before; the process never dies; and every execution a
 * StartExecution answered 200 for is there after the server is killed with
 * SIGKILL and started again on the same directory. The jest test and the long
 * runner (test/fuzz/run.ts --family http) both use it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkConsoleAnswer, CONSOLE_MACHINE, consoleRequestLine } from './console-property';
import { mockConfigText, operationLabel, SETUP, type FileSwap, type HttpRequest } from './http-arbitraries';
import { PropertyViolation } from './property';
import { checkS3Answer, writeS3Fixtures } from './s3-arbitraries';
import { API_ERROR_STATUS, isApiErrorName } from '../../src/asl/api-errors';

/**
 * Whether an error's `__type` is in the namespace AWS names it in: the framework's errors in
 * `com.amazon.coral.service`, a refusal for the model's constraints ("N validation errors
 * detected: …") in `com.amazon.coral.validate`, every other error in Step Functions' package.
 */
function awsShapedType(type: string, message: string): boolean {
  const m = /^([\w.]+)#([A-Za-z]+)$/.exec(type);
  if (!m) return false;
  const [, namespace, name] = m;
  if (['SerializationException', 'UnknownOperationException', 'AccessDeniedException', 'InternalFailure'].includes(name)) return namespace === 'com.amazon.coral.service';
  if (name === 'ValidationException' && /^\d+ validation errors? detected: /.test(message)) return namespace === 'com.amazon.coral.validate';
  return namespace === 'com.amazonaws.swf.service.v2.model';
}

/** An error's message under the member AWS writes it as: `Message` for the framework's SerializationException and AccessDeniedException, `message` for the others; undefined under the other. */
function messageOf(body: Record<string, unknown>): unknown {
  if (/^com\.amazon\.coral\.service#(?:SerializationException|AccessDeniedException)$/.test(String(body.__type))) return Object.hasOwn(body, 'message') ? undefined : body.Message;
  return Object.hasOwn(body, 'Message') ? undefined : body.message;
}

const CHILD = path.join(__dirname, '..', 'server', 'fixtures', 'serve-child.js');

/**
 * How long a request may take before it counts as unanswered. A healthy one
 * takes milliseconds; the slowest (a 1 MB definition validated, a GetActivityTask
 * long poll of 60 s at --time-scale 1000) take tens; the bound allows a machine
 * slowed tenfold and more.
 */
export const REQUEST_TIMEOUT_MS = Number(process.env.FUZZ_HTTP_TIMEOUT_MS ?? 30_000);

/** Runs time this much faster, so Waits and GetActivityTask's 60 s long poll end in milliseconds. */
const TIME_SCALE = '1000';

/** A raw answer. */
interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** A `stepwright serve` child process on a data directory. */
class LiveServer {
  /** Starts `stepwright serve --data-dir <dir> --mock-config <file>` and resolves once it prints its endpoint (bounded). */
  static start(dataDir: string, mockConfig: string, s3Dir: string): Promise<LiveServer> {
    const args = [CHILD, 'serve', '--port', '0', '--data-dir', dataDir, '--time-scale', TIME_SCALE, '--mock-config', mockConfig, '--s3-dir', s3Dir];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    proc.stderr!.on('data', (d: Buffer) => {
      stderr.push(String(d));
      if (stderr.length > 200) stderr.shift();
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`serve did not start in 60 s: ${stderr.join('')}`)); }, 60_000);
      proc.stdout!.once('data', (d: Buffer) => {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        resolve(new LiveServer(proc, new URL(String(d).trim()), stderr));
      });
      proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${stderr.join('')}`)); });
    });
  }

  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private constructor(readonly process: ChildProcess, readonly endpoint: URL, readonly stderr: string[]) {}

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends one request; rejects when no answer comes within {@link REQUEST_TIMEOUT_MS}. */
  send(r: HttpRequest): Promise<Answer> {
    const port = this.endpoint.port;
    const door = r.door;
    return this.exchange({
      method: r.method,
      path: '/',
      // A refused request closes its connection: the door family's go on connections of their own.
      agent: door ? false : this.agent,
      setHost: door?.host === undefined,
      headers: {
        ...(r.contentType ? { 'content-type': r.contentType } : {}),
        ...(r.target !== undefined ? { 'x-amz-target': r.target } : {}),
        'content-length': Buffer.byteLength(r.body),
        ...(door?.host !== undefined ? { host: door.host.replace('{port}', port) } : {}),
        ...(door?.origin !== undefined ? { origin: door.origin.replace('{port}', port) } : {}),
      },
    }, r.body, false);
  }

  /** A GET of `target` (a path of the console's), answered with its first chunk only when `stream` (a live view never ends). */
  get(target: string, headers: Record<string, string>, stream: boolean): Promise<Answer> {
    return this.exchange({ method: 'GET', path: target, agent: this.agent, headers }, '', stream);
  }

  /** One request and its answer (its first chunk of a 200 when `stream`); rejects when none comes within {@link REQUEST_TIMEOUT_MS}. */
  private exchange(options: http.RequestOptions, body: string, stream: boolean): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.endpoint.hostname, port: this.endpoint.port, ...options }, (res) => {
        const chunks: Buffer[] = [];
        const done = (): void => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }); };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (stream && res.statusCode === 200) {
            done();
            req.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (e) => { clearTimeout(timer); reject(e); });
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new PropertyViolation(`no answer within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      req.on('error', (e) => { clearTimeout(timer); reject(e); });
      req.end(body);
    });
  }

  /** A well-formed call that must succeed (setup and the checks after the restart). */
  async call(operation: string, params: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const answer = await this.send({ method: 'POST', target: `AWSStepFunctions.${operation}`, contentType: 'application/x-amz-json-1.0', body: JSON.stringify(params) });
    return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
  }

  /** SIGKILL, as a crash would end it. */
  kill9(): Promise<void> {
    this.agent.destroy();
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.process.once('exit', () => resolve());
      this.process.kill('SIGKILL');
    });
  }
}

/** The counts a run reports. */
export interface HttpFuzzCounts {
  readonly requests: number;
  readonly byOperation: ReadonlyMap<string, number>;
  /** `200`, `400 ValidationException`, ... */
  readonly byAnswer: ReadonlyMap<string, number>;
  /** Executions StartExecution answered 200 for (distinct ARNs). */
  readonly executionsAnswered: number;
  /** The S3 family's executions by how they ended: `SUCCEEDED`, `FAILED States.ItemReaderFailed`, ... */
  readonly byS3Outcome: ReadonlyMap<string, number>;
}

/**
 * One fuzz run: a live server set up with {@link SETUP}'s resources, the
 * property checked on each request, the executions it answered kept to be
 * looked for after the restart.
 */
export class HttpFuzzRun {
  /** Starts a server on `dataDir` and creates the resources requests name. */
  static async start(dataDir: string): Promise<HttpFuzzRun> {
    const mockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-fuzz-mock-'));
    const mockConfig = path.join(mockDir, 'MockConfigFile.json');
    fs.writeFileSync(mockConfig, mockConfigText(0));
    // The S3 family's local S3 folder, beside the MockConfigFile.
    const s3Dir = path.join(mockDir, 's3');
    writeS3Fixtures(s3Dir, path.join(__dirname, '..', 'workbench', 's3', 'fixtures'));
    const server = await LiveServer.start(dataDir, mockConfig, s3Dir);
    const run = new HttpFuzzRun(server, dataDir, mockConfig, s3Dir);
    await run.setUp();
    return run;
  }

  private readonly byOperation = new Map<string, number>();
  private readonly byAnswer = new Map<string, number>();
  private readonly byS3Outcome = new Map<string, number>();
  private readonly answered = new Set<string>();
  private requests = 0;

  private swaps = 0;
  /** The console family's executions and the page's token. */
  private consoleArns: Record<'big' | 'big2' | 'small', string> = { big: '', big2: '', small: '' };
  private consoleToken = '';

  private constructor(
    private server: LiveServer, private readonly dataDir: string, private readonly mockConfig: string, private readonly s3Dir: string,
  ) {}

  /** Puts `swap` where the MockConfigFile is, as a user or an attacker might while serve runs. */
  private swapMockConfig(swap: FileSwap): void {
    const file = this.mockConfig;
    fs.rmSync(file, { recursive: true, force: true });
    const replace = (content: string): void => {
      fs.writeFileSync(`${file}.tmp`, content);
      fs.renameSync(`${file}.tmp`, file);
    };
    switch (swap) {
      case 'fifo': execFileSync('mkfifo', [file]); break;
      case 'link to /dev/zero': fs.symlinkSync('/dev/zero', file); break;
      case 'directory': fs.mkdirSync(file); break;
      case 'sparse 300 MB':
        fs.writeFileSync(`${file}.tmp`, '');
        fs.truncateSync(`${file}.tmp`, 300 * 1024 * 1024);
        fs.renameSync(`${file}.tmp`, file);
        break;
      case 'not JSON': replace('{"StateMachines": '); break;
      case 'byte order mark': replace(`\ufeff${mockConfigText(++this.swaps)}`); break;
      case 'missing': break;
      case 'dangling link': fs.symlinkSync(path.join(path.dirname(file), 'nowhere.json'), file); break;
      case 'valid': replace(mockConfigText(++this.swaps)); break;
    }
  }

  get counts(): HttpFuzzCounts {
    return {
      requests: this.requests,
      byOperation: this.byOperation,
      byAnswer: this.byAnswer,
      byS3Outcome: this.byS3Outcome,
      executionsAnswered: this.answered.size,
    };
  }

  /** The server's log lines so far (its standard error), for a report. */
  get serverLog(): string {
    return this.server.stderr.join('');
  }

  private async setUp(): Promise<void> {
    const must = async (operation: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const { status, body } = await this.server.call(operation, params);
      if (status !== 200) throw new Error(`setup: ${operation} answered ${status} ${JSON.stringify(body)}`);
      return body;
    };
    await must('CreateActivity', { name: SETUP.activity });
    for (const m of SETUP.machines) {
      const { stateMachineArn } = await must('CreateStateMachine', { name: m.name, definition: m.definition, roleArn: SETUP.role, type: m.type, publish: true });
      await must('CreateStateMachineAlias', { name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${String(stateMachineArn)}:1`, weight: 100 }] });
    }
    await this.setUpConsole(must);
  }

  /** The console family's executions (two of 4,004 events carrying 200 KiB, one small), ended, and the page's token. */
  private async setUpConsole(must: (operation: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>): Promise<void> {
    const { stateMachineArn } = await must('CreateStateMachine', { name: CONSOLE_MACHINE.name, definition: CONSOLE_MACHINE.definition, roleArn: SETUP.role });
    const names = CONSOLE_MACHINE.executions;
    for (const key of ['big', 'big2', 'small'] as const) {
      const input = key === 'small' ? JSON.stringify({ pad: '', i: 999 }) : CONSOLE_MACHINE.input;
      this.consoleArns[key] = String((await must('StartExecution', { stateMachineArn, name: names[key], input })).executionArn);
    }
    for (const executionArn of Object.values(this.consoleArns)) {
      for (let i = 0; i < 1200 && (await must('DescribeExecution', { executionArn })).status === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    }
    const page = await this.server.get('/console', {}, false);
    this.consoleToken = /name="stepwright-console-token" content="([A-Za-z0-9_-]+)"/.exec(page.text)?.[1] ?? '';
    if (this.consoleToken === '') throw new Error(`setup: no console token in ${page.text.slice(0, 200)}`);
  }

  /** Sends one request and checks the answer; throws a PropertyViolation naming what broke. */
  async check(r: HttpRequest): Promise<void> {
    const label = operationLabel(r);
    this.requests++;
    this.byOperation.set(label, (this.byOperation.get(label) ?? 0) + 1);
    if (r.swap) this.swapMockConfig(r.swap);
    let answer: Answer;
    const consoleLine = r.console ? consoleRequestLine(r.console, this.consoleArns, this.consoleToken) : undefined;
    try {
      answer = consoleLine ? await this.server.get(consoleLine.path, consoleLine.headers, r.console!.route === 'watch') : await this.server.send(r);
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      await new Promise((resolve) => setImmediate(resolve));
      const fate = this.server.alive ? 'the connection failed' : `the server died (${this.server.process.signalCode ?? `exit ${this.server.process.exitCode}`})`;
      throw new PropertyViolation(`${label}: ${fate}: ${(e as Error).message}; server log: ${this.serverLog.slice(-2000)}`);
    }
    if (r.console) {
      const key = `console ${checkConsoleAnswer(r.console, consoleLine!.path, { status: answer.status, contentType: String(answer.headers['content-type'] ?? ''), text: answer.text })}`;
      this.byAnswer.set(key, (this.byAnswer.get(key) ?? 0) + 1);
      return;
    }
    // A request no JSON protocol claims (any method but POST, a body whose Content-Type is not JSON's) is answered as AWS's
    // JSON 1.0 services answer it: 404, <UnknownOperationException/>, no Content-Type.
    if (r.method !== 'POST' || (r.body !== '' && !JSON_MEDIA_TYPES.includes(r.contentType))) {
      const unclaimed = '404 <UnknownOperationException/>';
      this.byAnswer.set(unclaimed, (this.byAnswer.get(unclaimed) ?? 0) + 1);
      if (answer.status !== 404 || answer.text !== '<UnknownOperationException/>\n' || answer.headers['content-type'] !== undefined) {
        throw new PropertyViolation(`${label}: a request no protocol claims (${r.method}, Content-Type ${JSON.stringify(r.contentType)}) answered ${answer.status} ${answer.text.slice(0, 200)}`);
      }
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      throw new PropertyViolation(`${label}: ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 200)}`);
    }
    const type = answer.status === 200 ? undefined : String(body.__type ?? '').replace(/^[\w.]*#/, '');
    const key = type === undefined ? '200' : `${answer.status} ${type}`;
    this.byAnswer.set(key, (this.byAnswer.get(key) ?? 0) + 1);
    if (r.door?.expected === 'refused') {
      const shown = `Host ${JSON.stringify(r.door.host)} Origin ${JSON.stringify(r.door.origin)}`;
      if (answer.status !== 403 || type !== 'AccessDeniedException' || !awsShapedType(String(body.__type), String(messageOf(body))) || String(answer.headers['x-amzn-errortype']).split(':')[0] !== type || typeof messageOf(body) !== 'string') {
        throw new PropertyViolation(`${label}: ${shown} must be refused with 403 AccessDeniedException, got ${answer.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
      return;
    }
    if (answer.status === 403) {
      throw new PropertyViolation(`${label}: refused a request the door must let in (Host ${JSON.stringify(r.door?.host)} Origin ${JSON.stringify(r.door?.origin)}): ${JSON.stringify(body).slice(0, 300)}`);
    }
    // An earlier fuzzed DeleteStateMachine may have removed the machine, or, while one of its
    // executions still runs, left it DELETING (StartExecution then answers StateMachineDeleting, as
    // its API reference lists): then there is no test case to start.
    if (r.swap && answer.status !== 200 && type !== 'StateMachineDoesNotExist' && type !== 'StateMachineDeleting') {
      throw new PropertyViolation(`${label}: StartExecution of the test case after the MockConfigFile became ${r.swap} answered ${key}: the version before must stay in use; `
        + `${JSON.stringify(body).slice(0, 300)}`);
    }
    // 400, or the status the model documents for the error (409 ConflictException, 402 ServiceQuotaExceededException).
    const errorStatus = type !== undefined && isApiErrorName(type) ? API_ERROR_STATUS[type] : 400;
    if (answer.status !== 200 && answer.status !== errorStatus) {
      throw new PropertyViolation(`${label}: answered ${answer.status} ${JSON.stringify(body).slice(0, 500)}; server log: ${this.serverLog.slice(-2000)}`);
    }
    if (answer.headers['content-type'] !== (r.contentType === 'application/json' ? 'application/json' : 'application/x-amz-json-1.0') || typeof answer.headers['x-amzn-requestid'] !== 'string') {
      throw new PropertyViolation(`${label}: answered without AWS's headers: ${JSON.stringify(answer.headers)}`);
    }
    if (answer.status !== 200) {
      // A body AWS's framework cannot read, or a target it does not know, is answered with the type alone (http.ts).
      const unworded = /^com\.amazon\.coral\.service#(?:SerializationException|UnknownOperationException)$/.test(String(body.__type)) && Object.keys(body).length === 1;
      if (!awsShapedType(String(body.__type), String(messageOf(body))) || (!unworded && typeof messageOf(body) !== 'string') || String(answer.headers['x-amzn-errortype']).split(':')[0] !== type) {
        throw new PropertyViolation(`${label}: a 400 not shaped as AWS shapes it: ${JSON.stringify(body).slice(0, 500)}`);
      }
    }
    if (r.s3 && answer.status === 200) {
      const { violation, outcome } = checkS3Answer(body, this.s3Dir);
      this.byS3Outcome.set(outcome, (this.byS3Outcome.get(outcome) ?? 0) + 1);
      if (violation) throw new PropertyViolation(`${label}: ${violation}; request ${r.body.slice(0, 300)}`);
    }
    // AWS reads a POST's body before its target: one that is not a JSON object is SerializationException whatever it names.
    if (label.startsWith('(') && type !== 'UnknownOperationException' && !(type === 'SerializationException' && r.method === 'POST' && !isObjectText(r.body))) {
      throw new PropertyViolation(`${label}: a request naming no operation answered ${key}`);
    }
    if ((label === 'StartExecution' || ((r.swap || r.door) && r.target === 'AWSStepFunctions.StartExecution')) && answer.status === 200) {
      const arn = body.executionArn;
      if (typeof arn !== 'string') throw new PropertyViolation(`StartExecution answered 200 without an executionArn: ${JSON.stringify(body)}`);
      // EXPRESS executions are not kept (AWS does not keep them either).
      if (arn.includes(':execution:')) this.answered.add(arn);
    }
  }

  /**
   * Kills the server with SIGKILL, starts it again on the same directory, and
   * describes every execution StartExecution answered: each must be there.
   * Answers the ARNs it did not find (an empty list when the property holds).
   */
  async restartAndCheck(): Promise<{ checked: number; missing: string[]; statuses: ReadonlyMap<string, number> }> {
    await this.server.kill9();
    // Started again on a MockConfigFile it can read: the start refuses one that is not (tested apart).
    this.swapMockConfig('valid');
    this.server = await LiveServer.start(this.dataDir, this.mockConfig, this.s3Dir);
    const missing: string[] = [];
    const statuses = new Map<string, number>();
    for (const executionArn of this.answered) {
      const { status, body } = await this.server.call('DescribeExecution', { executionArn });
      if (status !== 200 || body.executionArn !== executionArn) {
        missing.push(`${executionArn}: ${status} ${JSON.stringify(body)}`);
        continue;
      }
      statuses.set(String(body.status), (statuses.get(String(body.status)) ?? 0) + 1);
    }
    return { checked: this.answered.size, missing, statuses };
  }

  /** Stops the server (SIGKILL: nothing of it is needed after a run). */
  async stop(): Promise<void> {
    await this.server.kill9();
    fs.rmSync(path.dirname(this.mockConfig), { recursive: true, force: true });
  }
}

/** Whether a request body reads as a JSON object, or is empty (which serve reads once it knows the operation). */
function isObjectText(body: string): boolean {
  if (body.trim() === '') return true;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The media types AWS's JSON 1.0 services read a body of. */
const JSON_MEDIA_TYPES: readonly string[] = ['application/x-amz-json-1.0', 'application/json'];
