import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '../../../src/asl/definition-types';
import type { MockConfig } from '../../../src/workbench/mocks/mock-config';
import type { BehaviourCase } from '../case-format';

/** The test case every per-case MockConfigFile holds. */
export const TEST_CASE = 'Case';

/** A case's `mockConfig` as a MockConfigFile of one state machine and one test case. */
export function mockConfigFile(c: BehaviourCase, machine: string, responsePrefix = ''): MockConfig {
  const testCase: Record<string, string> = {};
  const responses: Record<string, MockConfig['MockedResponses'][string]> = {};
  Object.entries(c.mockConfig ?? {}).forEach(([state, byInvocation], i) => {
    const name = `${responsePrefix}R${i}`;
    testCase[state] = name;
    responses[name] = byInvocation as MockConfig['MockedResponses'][string];
  });
  return { StateMachines: { [machine]: { TestCases: { [TEST_CASE]: testCase } } }, MockedResponses: responses };
}

/** Several MockConfigFiles as one (serve reads one file): response names must not collide. */
export function mergeMockConfigs(files: readonly MockConfig[]): MockConfig {
  const merged = { StateMachines: {} as Record<string, MockConfig['StateMachines'][string]>, MockedResponses: {} as Record<string, MockConfig['MockedResponses'][string]> };
  for (const f of files) {
    for (const [k, v] of Object.entries(f.StateMachines)) {
      if (k in merged.StateMachines) throw new Error(`two cases name state machine ${k} in serve's MockConfigFile`);
      merged.StateMachines[k] = v;
    }
    for (const [k, v] of Object.entries(f.MockedResponses)) {
      if (k in merged.MockedResponses) throw new Error(`two cases name mocked response ${k} in serve's MockConfigFile`);
      merged.MockedResponses[k] = v;
    }
  }
  return merged;
}

/** Writes a case's S3 folder: a folder per bucket, a file per key (a string as it is, any other value as its JSON). */
export function writeS3Folder(dir: string, s3: BehaviourCase['s3']): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [bucket, objects] of Object.entries(s3 ?? {})) {
    fs.mkdirSync(path.join(dir, bucket), { recursive: true });
    for (const [key, content] of Object.entries(objects)) {
      const file = path.join(dir, bucket, ...key.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    }
  }
}

/** What the run wrote to its S3 folder: every file the case did not put there or whose content changed, JSON parsed. */
export function writtenFiles(dir: string, before: BehaviourCase['s3']): Record<string, Record<string, JsonValue>> {
  const out: Record<string, Record<string, JsonValue>> = {};
  if (!fs.existsSync(dir)) return out;
  for (const bucket of fs.readdirSync(dir).sort()) {
    const root = path.join(dir, bucket);
    if (!fs.statSync(root).isDirectory()) continue;
    for (const key of filesUnder(root)) {
      const text = fs.readFileSync(path.join(root, ...key.split('/')), 'utf8');
      const given = before?.[bucket]?.[key];
      if (given !== undefined && (typeof given === 'string' ? given : JSON.stringify(given)) === text) continue;
      (out[bucket] ??= {})[key] = parsed(text);
    }
  }
  return out;
}

function filesUnder(root: string, prefix = ''): string[] {
  const keys: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const key = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) keys.push(...filesUnder(root, key));
    else if (entry.isFile()) keys.push(key);
  }
  return keys;
}

function parsed(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** What a {@link limiter} spent: the sum of its tasks' run times (queueing left out) and the span from the first start to the last end. */
export interface LimiterTimes {
  readonly busyMs: number;
  readonly spanMs: number;
}

/** Runs at most `n` of the tasks given to it at once, in the order given, and times them. */
export function limiter(n: number): (<T>(task: () => Promise<T>) => Promise<T>) & { readonly times: () => LimiterTimes } {
  let running = 0;
  let busyMs = 0;
  let first: number | undefined;
  let last = 0;
  const waiting: Array<() => void> = [];
  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot to the next waiting one, so no newcomer slips in between.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    const started = performance.now();
    first ??= started;
    try {
      return await task();
    } finally {
      last = performance.now();
      busyMs += last - started;
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
  return Object.assign(run, { times: (): LimiterTimes => ({ busyMs, spanMs: first === undefined ? 0 : last - first }) });
}

/**
 * Writes a template case's template into `dir` as `name`, with its samconfig.toml beside it (where
 * `sam deploy`, and every door, reads one), and returns the template file's path.
 */
export function writeTemplate(dir: string, c: BehaviourCase, name = 'template.json'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(c.template));
  if (c.samconfig !== undefined) fs.writeFileSync(path.join(dir, 'samconfig.toml'), c.samconfig);
  return file;
}

/** A template case's parameter values as `--parameter Name=Value` arguments (the CLI's and serve's). */
export function parameterArgs(parameters: BehaviourCase['parameters']): string[] {
  return Object.entries(parameters ?? {}).flatMap(([name, value]) => ['--parameter', `${name}=${value}`]);
}
