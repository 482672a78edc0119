// The lint rules that keep each AWS fact in one home (issue 76, .projenrc.ts "one home for each AWS
// fact"): a literal of a fact written outside its module is an eslint error. Each case writes a
// scratch file with the literal and lints it with the rule as the project's .eslintrc.json sets it
// for the file's place in src/ (the type-aware parts of the config are not needed by this rule).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Linter } from 'eslint';

// eslint 9 keeps its eslintrc reader here; the project's config is an .eslintrc.json written by projen.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegacyESLint } = require('eslint/use-at-your-own-risk') as {
  LegacyESLint: new (options: { cwd: string }) => { calculateConfigForFile(file: string): Promise<{ rules?: Record<string, Linter.RuleEntry> }> };
};

const ROOT = path.join(__dirname, '..');
const RULE = 'no-restricted-syntax';

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fact-homes-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The messages of the fact rules for `code` written in a scratch file, linted as if it sat at `where` in the repository. */
async function lintAs(where: string, code: string): Promise<string[]> {
  const file = path.join(scratch, path.basename(where));
  fs.writeFileSync(file, code);
  const config = await new LegacyESLint({ cwd: ROOT }).calculateConfigForFile(path.join(ROOT, where));
  const entry = config.rules?.[RULE];
  const linter = new Linter({ configType: 'eslintrc' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  linter.defineParser('ts', require('@typescript-eslint/parser'));
  const messages = linter.verify(fs.readFileSync(file, 'utf8'), {
    parser: 'ts',
    parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: entry === undefined ? {} : { [RULE]: entry },
  }, { filename: where });
  return messages.map((m) => (m.fatal ? `fatal: ${m.message}` : m.message));
}

/** `code` is refused at `where` with a message naming `names`, and let through in its home. */
async function expectRefusedOutside(where: string, code: string, names: string, home: string): Promise<void> {
  expect(await lintAs(where, code)).toEqual([expect.stringContaining(names)]);
  expect(await lintAs(home, code)).toEqual([]);
}

describe('the lint rules that keep each AWS fact in one home', () => {
  it("refuses a 'States.' error name written outside src/asl/", async () => {
    const messages = await lintAs('src/workbench/mocks/scratch.ts', "export const name = 'States.Runtime';\n");
    expect(messages).toEqual([expect.stringContaining('StatesErrors')]);
  });

  it("refuses a 'States.' name in a type outside src/asl/", async () => {
    const messages = await lintAs('src/server/scratch.ts', "export type Name = 'States.Timeout' | 'Other';\n");
    expect(messages).toEqual([expect.stringContaining('StatesErrors')]);
  });

  it("refuses an intrinsic function's name outside src/asl/ and names its home", async () => {
    const messages = await lintAs('src/explore/scratch.ts', 'export const fn = "States.Format";\n');
    expect(messages).toEqual([expect.stringContaining('IntrinsicNames')]);
  });

  it('lets a module outside src/asl/ use the names through StatesErrors', async () => {
    const code = "import { StatesErrors } from '../asl/states-errors';\nexport const name = StatesErrors.RUNTIME;\n";
    expect(await lintAs('src/interpreter/scratch.ts', code)).toEqual([]);
  });

  it("lets src/asl/ write a 'States.' name", async () => {
    expect(await lintAs('src/asl/scratch.ts', "export const name = 'States.Runtime';\n")).toEqual([]);
  });

  it.each([
    ['262144', 'export const MAX = 262144;\n'],
    ['262_144', 'export const MAX = 262_144;\n'],
    ['256 * 1024', 'export const MAX = 256 * 1024;\n'],
    ['256 * 1024 inside 256 MiB', 'export const MAX = 256 * 1024 * 1024;\n'],
  ])('refuses the payload limit written as %s outside src/asl/limits.ts', async (_form, code) => {
    expect(await lintAs('src/interpreter/scratch.ts', code)).toEqual([expect.stringContaining('AwsLimits.PAYLOAD_BYTES')]);
  });

  it('refuses the payload limit even in src/asl/ outside its module, and lets src/asl/limits.ts write it', async () => {
    expect(await lintAs('src/asl/validate/scratch.ts', 'export const MAX = 262_144;\n')).toEqual([expect.stringContaining('AwsLimits')]);
    expect(await lintAs('src/asl/limits.ts', 'export const MAX = 256 * 1024;\n')).toEqual([]);
  });

  it('lets other numbers near the limit through (256 MiB as 256 * 1024 ** 2, 262,145)', async () => {
    expect(await lintAs('src/server/scratch.ts', 'export const A = 256 * 1024 ** 2;\nexport const B = 262_145;\n')).toEqual([]);
  });

  it("refuses a 'Lambda.' error name outside src/asl/lambda-errors.ts, and lets other names through", async () => {
    expect(await lintAs('src/workbench/mocks/scratch.ts', "export const e = 'Lambda.SdkClientException';\n")).toEqual([expect.stringContaining('LambdaErrors')]);
    expect(await lintAs('src/constructs/scratch.ts', "export const list = ['Lambda.ServiceException'];\n")).toEqual([expect.stringContaining('LambdaErrors')]);
    expect(await lintAs('src/asl/lambda-errors.ts', "export const e = 'Lambda.ServiceException';\n")).toEqual([]);
    expect(await lintAs('src/asl/integrations.ts', "export const e = 'Lambda.Unknown';\n")).toEqual([]);
    expect(await lintAs('src/server/scratch.ts', "export const e = 'Lambda';\nexport const f = 'Payment.Declined';\n")).toEqual([]);
  });

  it.each([
    ['a cause', 'export const CAUSE = 32_768;\n', '32,768'],
    ['the history', 'export const EVENTS = 25000;\n', '25,000'],
    ['the seconds bound', 'export const SECONDS = 99_999_999;\n', '99,999,999'],
    ['MaxDelaySeconds', 'export const DELAY = 31_622_401;\n', '31,622,401'],
    ["a Standard execution's year", 'export const YEAR = 31_536_000;\n', '31,536,000'],
  ])("refuses AWS's limit of %s written as a number outside src/asl/limits.ts", async (_limit, code, shown) => {
    expect(await lintAs('src/mcp/scratch.ts', code)).toEqual([expect.stringContaining(`AWS's limit ${shown} is written once`)]);
    expect(await lintAs('src/asl/limits.ts', code)).toEqual([]);
  });

  it.each([
    ['2 ** 31 - 1', 'src/workbench/test-state/scratch.ts', 'export const MOST = 2 ** 31 - 1;\n'],
    ['-(2 ** 31)', 'src/server/validation/scratch.ts', 'export const LEAST = -(2 ** 31);\n'],
    ['2_147_483_647', 'src/server/scratch.ts', 'export const MAX_TIMER_MS = 2_147_483_647;\n'],
    ['2147483648', 'src/cli/scratch.ts', 'export const SEEDS = 2147483648;\n'],
  ])('refuses 2^31 written as %s outside the homes of the facts it bounds', async (_form, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('AwsLimits.INTEGER_MIN/INTEGER_MAX')]);
  });

  it("lets the homes of AWS's integer range, Node's longest timer and stepwright's seeds write 2^31", async () => {
    expect(await lintAs('src/asl/limits.ts', 'export const MIN = -(2 ** 31);\nexport const MAX = 2 ** 31 - 1;\n')).toEqual([]);
    expect(await lintAs('src/asl/timer.ts', 'export const LONGEST_TIMER_MS = 2_147_483_647;\n')).toEqual([]);
    expect(await lintAs('src/asl/random.ts', 'export const SEED_BOUND = 2 ** 31;\n')).toEqual([]);
    // Each home keeps the other rules: the payload limit is still refused in the timer's module.
    expect(await lintAs('src/asl/timer.ts', 'export const MAX = 262_144;\n')).toEqual([expect.stringContaining('AwsLimits.PAYLOAD_BYTES')]);
  });

  it.each([
    ['the base exception from a prefix', 'src/workbench/mocks/scratch.ts', 'export const base = (prefix: string): string => `${prefix}.${prefix}Exception`;\n'],
    ['the client exception from a row', 'src/contracts/scratch.ts', 'export const c = (row: { errorPrefix: string }): string => `${row.errorPrefix}.SdkClientException`;\n'],
    ['a denied role', 'src/iam/scratch.ts', 'export const d = (check: { errorService: string }): string => `${check.errorService}.AccessDeniedException`;\n'],
    ['the client\'s time limit', 'src/workbench/mocks/scratch.ts', 'export const t = (prefix: string): string => `${prefix}.ClientExecutionTimeoutException`;\n'],
    ['a literal base exception', 'src/workbench/s3/scratch.ts', "export const e = 'S3.S3Exception';\n"],
    ['a literal client exception', 'src/workbench/s3/scratch.ts', "export const e = 'S3.SdkClientException';\n"],
  ])("refuses a service's error name that no model gives built outside src/asl/service-errors.ts: %s", async (_what, where, code) => {
    await expectRefusedOutside(where, code, 'ServiceErrors', 'src/asl/service-errors.ts');
  });

  it("lets a model's error names through, and leaves Lambda's to LambdaErrors", async () => {
    const code = 'export const n = (prefix: string, shape: string): string => `${prefix}.${shape}`;\nexport const q = \'SQS.QueueDoesNotExistException\';\n';
    expect(await lintAs('src/workbench/mocks/scratch.ts', code)).toEqual([]);
    expect(await lintAs('src/asl/lambda-errors.ts', "export const e = 'Lambda.SdkClientException';\n")).toEqual([]);
  });

  it.each([
    ['a second declaration of the budget', 'src/workbench/commands/scratch.ts', 'const DEFAULT_BUDGET_SECONDS = 30;\nexport const limit = (b?: number): number => b ?? DEFAULT_BUDGET_SECONDS;\n'],
    ['a default written where it is read', 'src/explore/scratch.ts', 'export const most = (o: { maxScenarios?: number }): number => o.maxScenarios ?? 50;\n'],
  ])("refuses explore's option defaults outside src/explore/context.ts: %s", async (_what, where, code) => {
    await expectRefusedOutside(where, code, 'DEFAULT_BUDGET_SECONDS, DEFAULT_MAX_SCENARIOS', 'src/explore/context.ts');
  });

  it("refuses the default account's literal outside src/asl/aws-defaults.ts, in a string or an ARN template", async () => {
    const code = "export const a = '123456789012';\nexport const arn = (r: string): string => `arn:aws:states:us-east-1:123456789012:${r}`;\n";
    const messages = await lintAs('src/cfn/scratch.ts', code);
    expect(messages.filter((m) => m.includes('AwsDefaults.ACCOUNT'))).toEqual([expect.any(String), expect.any(String)]);
    // The ARN built by hand is refused as well, by the ARN format's rule.
    expect(messages.filter((m) => !m.includes('AwsDefaults.ACCOUNT'))).toEqual([expect.stringContaining('awsArn')]);
    expect(await lintAs('src/asl/aws-defaults.ts', "export const ACCOUNT = '123456789012';\n")).toEqual([]);
  });

  it.each([
    ['a Step Functions ARN', 'src/server/scratch.ts', 'export const arn = (r: string, a: string, n: string): string => `arn:aws:states:${r}:${a}:stateMachine:${n}`;\n'],
    ['an ARN of the template\'s partition', 'src/cfn/scratch.ts', 'export const arn = (p: string, b: string): string => `arn:${p}:s3:::${b}`;\n'],
    ['an ARN with no substitution', 'src/iam/scratch.ts', 'export const arn = `arn:aws:iam::aws:policy/ReadOnly`;\n'],
  ])('refuses an ARN built by hand outside src/asl/aws-defaults.ts: %s', async (_what, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('awsArn')]);
    expect(await lintAs('src/asl/aws-defaults.ts', code)).toEqual([]);
  });

  it('lets awsArn and statesArn build ARNs, and a template name an ARN in its words', async () => {
    const code = "import { awsArn, statesArn } from '../asl/aws-defaults';\n"
      + "export const a = awsArn('aws', 's3', '', '', 'bucket');\nexport const b = statesArn('us-east-1', '1', 'execution', 'M', 'n');\n"
      + 'export const m = (x: string): string => `${x} is not an ARN (arn:aws:iam::<account>:role/<name>)`;\n';
    expect(await lintAs('src/workbench/workflow/scratch.ts', code)).toEqual([]);
  });

  it.each([
    ['with ??', 'src/mcp/scratch.ts', "export const type = (t?: string) => t ?? 'STANDARD';\n"],
    ['with ||', 'src/server/scratch.ts', "export const type = (t?: string) => t || 'STANDARD';\n"],
    ['for a template that gives none', 'src/workbench/template/scratch.ts', "export const type = (t?: string) => (t === undefined ? 'STANDARD' : t);\n"],
  ])("refuses a state machine type's default written %s outside src/asl/aws-defaults.ts", async (_how, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('AwsDefaults.MACHINE_TYPE')]);
    expect(await lintAs('src/asl/aws-defaults.ts', code)).toEqual([]);
  });

  it("lets a type be compared with 'STANDARD' and a choice name it", async () => {
    const code = "export const standard = (t: string) => t === 'STANDARD';\nexport const other = (t: string) => (t === 'EXPRESS' ? 'EXPRESS' : 'STANDARD');\n";
    expect(await lintAs('src/cost/scratch.ts', code)).toEqual([]);
  });

  it.each([
    ['after ??', 'src/cfn/scratch.ts', "export const p = (o: { partition?: string }) => o.partition ?? 'aws';\n"],
    ['as a default in a pattern', 'src/iam/scratch.ts', "export const p = (arn: string) => { const [, partition = 'aws'] = arn.split(':'); return partition; };\n"],
    ["as AWS::Partition's fallback", 'src/iam/scratch.ts', "export const p = (ref: (n: string, f: string) => string) => ref('AWS::Partition', 'aws');\n"],
  ])('refuses the default partition written %s outside src/asl/aws-defaults.ts', async (_how, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('AwsDefaults.PARTITION')]);
    expect(await lintAs('src/asl/aws-defaults.ts', code)).toEqual([]);
  });

  it("lets a partition be compared with 'aws', and another be a default", async () => {
    const code = "export const commercial = (p: string) => p === 'aws';\nexport const account = (a?: string) => a ?? 'aws-cn';\n";
    expect(await lintAs('src/iam/scratch.ts', code)).toEqual([]);
  });

  it("refuses a scan for an event's details outside src/asl/history-events.ts", async () => {
    const code = "export const keys = (e: object): string[] => Object.keys(e).filter((k) => k.endsWith('EventDetails'));\n";
    expect(await lintAs('src/testing/scratch.ts', code)).toEqual([expect.stringContaining('factsOf')]);
    expect(await lintAs('src/asl/history-events.ts', code)).toEqual([]);
  });

  it.each([
    ['an integration', 'src/workbench/mocks/scratch.ts', 'export const SQS = /^arn:[^:]+:states:::sqs:(sendMessage)$/;\n'],
    ['a Lambda function ARN', 'src/render/scratch.ts', 'export const isFn = (r: string): boolean => /^arn:aws:lambda:[^:]*:[^:]*:function:/.test(r);\n'],
    ['an AWS SDK integration in src/asl/ outside its module', 'src/asl/validate/scratch.ts', 'export const SDK = /arn:aws:states:::aws-sdk:([a-z]+):/;\n'],
  ])("refuses a regex taking a Task's Resource apart outside src/asl/task-resource.ts: %s", async (_shape, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('taskResource()')]);
  });

  it.each([
    ['a callback by its suffix', 'src/workbench/replay/scratch.ts', "export const cb = (r: string): boolean => r.endsWith('.waitForTaskToken');\n"],
    ['a job by its suffix', 'src/workbench/scaffold/scratch.ts', "export const job = (r: string): boolean => r.endsWith('.sync') || r.includes('.sync:');\n"],
    ['an activity by its text', 'src/explore/scratch.ts', "export const act = (r: string): boolean => r.includes(':activity:');\n"],
    ['a job by a regex', 'src/constructs/scratch.ts', 'export const job = (r: string): boolean => /\\.sync(:\\d+)?$/.test(r);\n'],
    ['a Lambda invoke by a regex', 'src/explore/scratch.ts', 'export const invoke = (r: string): boolean => /:lambda:invoke$/.test(r);\n'],
    ['an activity by a regex', 'src/asl/validate/scratch.ts', 'export const act = (r: string): boolean => /:activity:/.test(r);\n'],
  ])("refuses a Resource's pattern or kind read off its text outside src/asl/task-resource.ts: %s", async (_shape, where, code) => {
    const messages = await lintAs(where, code);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toContain('taskResource()');
    expect(await lintAs('src/asl/task-resource.ts', code)).toEqual([]);
  });

  it("lets a message name a Resource's suffix, and a string end in other words", async () => {
    const code = "export const m = \"use '.sync' or '.waitForTaskToken'\";\nexport const json = (f: string): boolean => f.endsWith('.json');\n";
    expect(await lintAs('src/server/scratch.ts', code)).toEqual([]);
  });

  it('lets src/asl/task-resource.ts take a Resource apart, and other ARN regexes through elsewhere', async () => {
    expect(await lintAs('src/asl/task-resource.ts', 'export const STATES = /^arn:[^:]+:states:::(.+)$/;\n')).toEqual([]);
    const machineArn = 'export const MACHINE = /^arn:[^:]+:states:([^:]*):([^:]*):stateMachine:([^:]+)$/;\n';
    expect(await lintAs('src/workbench/workflow/scratch.ts', machineArn)).toEqual([]);
  });

  it("refuses an error name of Step Functions' API outside src/asl/api-errors.ts", async () => {
    expect(await lintAs('src/server/scratch.ts', "export const e = 'StateMachineDoesNotExist';\n")).toEqual([expect.stringContaining('ApiErrors')]);
    expect(await lintAs('src/workbench/test-state/scratch.ts', "export const r = { type: 'ValidationException' };\n")).toEqual([expect.stringContaining('ApiErrors')]);
    expect(await lintAs('src/interpreter/scratch.ts', "export const e = 'InternalFailure';\n")).toEqual([expect.stringContaining('ApiErrors')]);
    expect(await lintAs('src/asl/validate/scratch.ts', "export const e = 'InvalidArn';\n")).toEqual([expect.stringContaining('ApiErrors')]);
    expect(await lintAs('src/asl/api-errors.ts', "export const e = 'InvalidArn';\n")).toEqual([]);
  });

  it('refuses TaskTimedOut as an API error outside src/asl/api-errors.ts, and lets it name a history event', async () => {
    const made = "import { ApiError } from './api-errors';\nexport const e = new ApiError('TaskTimedOut', 'closed');\n";
    expect(await lintAs('src/server/scratch.ts', made)).toEqual([expect.stringContaining('ApiErrors')]);
    expect(await lintAs('src/testing/scratch.ts', "export const timedOut = (e: { type: string }) => e.type === 'TaskTimedOut';\n")).toEqual([]);
    expect(await lintAs('src/server/scratch.ts', "export const e = 'ValidationExceptionReason';\nexport const f = 'Payment.Declined';\n")).toEqual([]);
  });

  it.each([
    ['an API page', 'src/server/scratch.ts', 'export const page = (arn: string) => ({ stateMachineArn: arn, maxResults: 1000 });\n'],
    ['the default page', 'src/server/scratch.ts', 'export const max = (p: { maxResults?: number }): number => p.maxResults || 100;\n'],
    ['a bound of 1,000', 'src/workbench/replay/scratch.ts', 'export const ask = (left: number): number => Math.min(1000, left);\n'],
    ['an S3 listing', 'src/workbench/s3/scratch.ts', 'export const list = { Bucket: \'b\', MaxKeys: 1000 };\n'],
  ])("refuses a page's size written as a number outside src/asl/limits.ts: %s", async (_what, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('AwsLimits.PAGE_SIZE')]);
    expect(await lintAs('src/asl/limits.ts', code)).toEqual([]);
  });

  it("refuses a LoggingConfiguration rule outside src/asl/logging-configuration.ts: the ':*' qualifier or AWS's words", async () => {
    const qualifier = "export const qualified = (arn: string): boolean => arn.endsWith(':*');\n";
    expect(await lintAs('src/server/scratch.ts', qualifier)).toEqual([expect.stringContaining('loggingRefusal')]);
    const words = "export const m = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';\n";
    expect(await lintAs('src/workbench/commands/scratch.ts', words)).toEqual([expect.stringContaining('LoggingRefusals')]);
    expect(await lintAs('src/asl/logging-configuration.ts', qualifier + words)).toEqual([]);
  });

  it('refuses a list of the errors that pass every Catch outside src/asl/error-rules.ts', async () => {
    const code = "import { StatesErrors } from '../asl/states-errors';\n"
      + 'export const UNCATCHABLE = new Set([StatesErrors.RUNTIME, StatesErrors.DATA_LIMIT_EXCEEDED]);\n';
    expect(await lintAs('src/explore/scratch.ts', code)).toEqual([expect.stringContaining('TERMINAL_ERRORS')]);
    expect(await lintAs('src/asl/error-rules.ts', code)).toEqual([]);
    const longer = 'export const FAULTS = [StatesErrors.RUNTIME, StatesErrors.DATA_LIMIT_EXCEEDED, StatesErrors.NO_CHOICE_MATCHED];\n';
    expect(await lintAs('src/workbench/parity/scratch.ts', longer)).toEqual([]);
  });

  it.each([
    ['an as cast', 'export const d = (v: unknown) => v as StateMachineDefinition;\n'],
    ['an angle-bracket cast', 'export const d = (v: unknown) => <StateMachineDefinition>v;\n'],
    ['a cast through unknown to a state type', 'export const s = (v: object) => v as unknown as TaskState;\n'],
  ])('refuses a definition typed by %s, outside the validator', async (_form, code) => {
    const typed = `import type { StateMachineDefinition, TaskState } from '../asl';\n${code}`;
    // (A cast through unknown is refused by its own rule too.)
    expect(await lintAs('src/workbench/replay/scratch.ts', typed)).toContainEqual(expect.stringContaining('checkDefinition'));
  });

  it('lets a definition be typed by checkDefinition, and a state union narrowed by its Type', async () => {
    const code = "import { checkDefinition } from '../asl/validate';\n"
      + 'export const d = (v: unknown) => checkDefinition(v).definition;\n'
      + "export const m = (s: { Type: string }) => (s.Type === 'Map' ? (s as MapState) : undefined);\n";
    expect(await lintAs('src/server/scratch.ts', code)).toEqual([]);
  });

  it.each([
    ['a function reading an own value', 'export function own(o: Record<string, number>, key: string): number | undefined {\n  return Object.hasOwn(o, key) ? o[key] : undefined;\n}\n'],
    ['a function reading an own value of a record that may be absent', 'export function ownOf<T>(t: Record<string, T> | undefined, k: string): T | undefined {\n  return t !== undefined && Object.hasOwn(t, k) ? t[k] : undefined;\n}\n'],
    ['a function testing an own key with hasOwnProperty', 'export function own(obj: object, key: string): boolean {\n  return Object.prototype.hasOwnProperty.call(obj, key);\n}\n'],
    ['an arrow testing an own key', 'export const has = (o: object, name: string): boolean => Object.prototype.hasOwnProperty.call(o, name);\n'],
    ['a method reading an own value', 'export class C {\n  own(obj: Record<string, unknown>, key: string): unknown {\n    return Object.hasOwn(obj, key) ? obj[key] : undefined;\n  }\n}\n'],
  ])('refuses a local own-key helper outside src/asl/own.ts: %s', async (_shape, code) => {
    expect(await lintAs('src/workbench/parity/scratch.ts', code)).toEqual([expect.stringContaining('ownValue (src/asl/own.ts)')]);
    expect(await lintAs('src/asl/validate/scratch.ts', code)).toEqual([expect.stringContaining('ownValue (src/asl/own.ts)')]);
  });

  it('lets src/asl/own.ts hold the helper, and Object.hasOwn and ownValue be used anywhere', async () => {
    const helper = 'export function ownValue<T>(from: Record<string, T> | undefined, key: string): T | undefined {\n  return from !== undefined && Object.hasOwn(from, key) ? from[key] : undefined;\n}\n';
    expect(await lintAs('src/asl/own.ts', helper)).toEqual([]);
    const uses = "import { ownValue } from '../asl/own';\n"
      + 'export const a = (t: Record<string, number>, k: string): number => ownValue(t, k) ?? 0;\n'
      + "export const some = (o: object): boolean => ['A', 'B'].some((k) => Object.hasOwn(o, k));\n"
      + 'export function isKind(t: string): boolean {\n  return Object.hasOwn(KINDS, t);\n}\nconst KINDS = { a: 1 };\n';
    expect(await lintAs('src/cfn/scratch.ts', uses)).toEqual([]);
  });

  it("refuses a state machine's type written as a union outside src/asl/aws-defaults.ts, and lets MachineType through", async () => {
    await expectRefusedOutside('src/server/scratch.ts', "export interface M { readonly type?: 'STANDARD' | 'EXPRESS' }\n", 'MachineType', 'src/asl/aws-defaults.ts');
    expect(await lintAs('src/cli/scratch.ts', "export type T = 'EXPRESS' | 'STANDARD' | undefined;\n")).toEqual([expect.stringContaining('MachineType')]);
    expect(await lintAs('src/cli/scratch.ts', "import type { MachineType } from '../asl/aws-defaults';\nexport type T = MachineType | 'ANY';\n")).toEqual([]);
  });

  it.each([
    ['the oversized input', 'src/testing/scratch.ts', "export const m = (n: number): string => `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to ${n} bytes in UTF-8 encoding`;\n"],
    ['a null member', 'src/workbench/mocks/scratch.ts', "export const m = (f: string): string => `Value null at '${f}' failed to satisfy constraint: Member must not be null`;\n"],
    ['the count of errors', 'src/server/validation/scratch.ts', "export const m = (e: string): string => '1 validation error detected: ' + e;\n"],
  ])("refuses a ValidationException's words written outside src/asl/validation-messages.ts: %s", async (_form, where, code) => {
    await expectRefusedOutside(where, code, 'payloadTooLargeMessage', 'src/asl/validation-messages.ts');
  });

  it("lets CloudFormation's own 'failed to satisfy constraint' through", async () => {
    expect(await lintAs('src/cfn/scratch.ts', 'export const m = (n: string, d: string): string => `Parameter ${n} failed to satisfy constraint: ${d}`;\n')).toEqual([]);
  });

  it.each([
    ['a regular expression', 'src/mcp/scratch.ts', 'export const NAME = /^[A-Za-z0-9]+$/;\n'],
    ['the source of a pattern', 'src/workbench/common/scratch.ts', "export const NAME = '[A-Za-z0-9]+';\n"],
    ['an anchored source', 'src/cfn/scratch.ts', "export const NAME = new RegExp('^[A-Za-z0-9]+$');\n"],
  ])("refuses a CloudFormation parameter's name rule outside src/cfn/parameter-name.ts: %s", async (_form, where, code) => {
    await expectRefusedOutside(where, code, 'isParameterName', 'src/cfn/parameter-name.ts');
  });

  it('lets other patterns of letters and digits through (an intrinsic\'s name, words of a text)', async () => {
    expect(await lintAs('src/workbench/scaffold/scratch.ts', 'export const W = /[A-Za-z0-9]+/g;\nexport const I = /^States\\.[A-Za-z0-9]+/;\n')).toEqual([]);
  });

  it.each([
    ['the machine types', 'src/mcp/scratch.ts', "export const TYPES = ['STANDARD', 'EXPRESS'] as const;\n", 'MACHINE_TYPES', 'src/asl/aws-defaults.ts'],
    ['the mock validation modes', 'src/server/scratch.ts', "export const MODES = ['STRICT', 'PRESENT', 'NONE'];\n", 'MOCK_VALIDATION_MODES',
      'src/workbench/mocks/validation-mode.ts'],
  ])('refuses a list of %s outside its home', async (_what, where, code, name, home) => {
    await expectRefusedOutside(where, code, name, home);
  });

  it('refuses a seed defaulted to 0 outside src/asl/random.ts', async () => {
    await expectRefusedOutside('src/workbench/workflow/scratch.ts', 'export const s = (o: { seed?: number }): number => o.seed ?? 0;\n',
      'DEFAULT_SEED', 'src/asl/random.ts');
  });

  it('lets a list holding more than the machine types through (a status list)', async () => {
    expect(await lintAs('src/server/scratch.ts', "export const S = ['STANDARD', 'EXPRESS', 'ANY'];\n")).toEqual([]);
  });

  it.each([
    ['the history events', 'src/cli/scratch.ts', "export const HELP = 'Default: 25,000';\n"],
    ['the payload in bytes', 'src/mcp/scratch.ts', 'export const HELP = `at most 262,144 bytes`;\n'],
    ['the payload in KiB', 'src/explore/scratch.ts', 'export const m = (s: string): string => `${s} exceeds 256 KiB`;\n'],
    ["an Express execution's time", 'src/cost/scratch.ts', "export const m = 'past the 5 minutes an Express execution may last';\n"],
    ["EXPRESS's transitions", 'src/cli/scratch.ts', "export const HELP = '1,000,000 for EXPRESS';\n"],
    ["the virtual clock's start", 'src/mcp/scratch.ts', "export const HELP = 'Default: 2024-01-01T00:00:00Z.';\n"],
  ])('refuses %s written out in a text, and names the homes to state it from', async (_what, where, code) => {
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('PAYLOAD_WORDS')]);
  });

  it('lets a text state a limit from its home, and other numbers and durations through', async () => {
    const code = "import { AwsLimits, PAYLOAD_WORDS } from '../asl/limits';\nimport { withThousands } from '../asl/shorten';\n"
      + 'export const HELP = `Default: ${withThousands(AwsLimits.HISTORY_EVENTS)}; at most ${PAYLOAD_WORDS}`;\n'
      + "export const OTHER = '125,000 items, 15 minutes, 2,262,144 bytes, at 2024-01-01T00:00:00Z';\n";
    expect(await lintAs('src/server/scratch.ts', code)).toEqual([]);
    expect(await lintAs('src/asl/limits.ts', "export const W = '256 KiB';\n")).toEqual([]);
  });

  it.each([
    ['src/workbench/template/scratch.ts'],
    ['src/asl/scratch.ts'],
    ['src/asl/own.ts'],
  ])('refuses a cast through unknown in %s, a home of other facts or none', async (where) => {
    const code = 'export const n = (v: string): number => v as unknown as number;\n';
    expect(await lintAs(where, code)).toEqual([expect.stringContaining('never cast through unknown')]);
  });

  it('lets a cast to unknown alone, and a single cast, through', async () => {
    const code = 'export const u = (v: string): unknown => v as unknown;\nexport const s = (v: unknown): string => v as string;\n';
    expect(await lintAs('src/server/scratch.ts', code)).toEqual([]);
  });

  it('lets a cast through unknown stand with a disable comment that says why', async () => {
    const code = "// eslint-disable-next-line no-restricted-syntax -- a third party's private field\nexport const n = (v: string): number => v as unknown as number;\n";
    expect(await lintAs('src/constructs/scratch.ts', code)).toEqual([]);
  });

  it("refuses 'JSONPath' as a default outside src/asl/query-language.ts, and lets a language be compared with it", async () => {
    const code = "export const f = (s: { QueryLanguage?: string }) => s.QueryLanguage ?? 'JSONPath';\n";
    await expectRefusedOutside('src/explore/scratch.ts', code, 'DEFAULT_QUERY_LANGUAGE', 'src/asl/query-language.ts');
    expect(await lintAs('src/interpreter/scratch.ts', "export const f = (l: string) => l || 'JSONPath';\n")).toEqual([expect.stringContaining('queryLanguageOf')]);
    expect(await lintAs('src/interpreter/scratch.ts', "export const f = (l: string) => l === 'JSONPath';\n")).toEqual([]);
  });

  it('refuses Reflect.get outside src/asl/own.ts, and lets fieldOf and memberOf read a field anywhere', async () => {
    const code = 'export const q = (d: object): unknown => Reflect.get(d, \'QueryLanguage\');\n';
    await expectRefusedOutside('src/workbench/test-state/scratch.ts', code, 'fieldOf', 'src/asl/own.ts');
    const typed = "import { fieldOf, memberOf } from '../asl/own';\nexport const q = (d: unknown): unknown => fieldOf(d, 'QueryLanguage') ?? memberOf(globalThis, 'expect');\n";
    expect(await lintAs('src/testing/scratch.ts', typed)).toEqual([]);
    const trap = 'export const p = <T extends object>(o: T): T => new Proxy(o, { get: (t, k, r): unknown => Reflect.get(t, k, r) });\n';
    expect(await lintAs('src/workbench/s3/scratch.ts', trap)).toEqual([]);
  });

  it.each([
    ['as T', 'export const f = <T>(v: unknown): T => v as T;\n'],
    ['<T>', 'export const f = <T>(v: unknown): T => <T>v;\n'],
  ])('refuses a cast to a type parameter (%s) anywhere in src/', async (_form, code) => {
    expect(await lintAs('src/asl/own.ts', code)).toEqual([expect.stringContaining('never by a cast to its type parameter')]);
    expect(await lintAs('src/explore/scratch.ts', code)).toEqual([expect.stringContaining('never by a cast to its type parameter')]);
  });

  it('lets a generic be typed by overloads, and a cast to a type parameter stand with a reason', async () => {
    const overloads = 'export function f(v: string): string;\nexport function f(v: number): number;\n'
      + 'export function f(v: string | number): string | number { return v; }\n';
    expect(await lintAs('src/asl/scratch.ts', overloads)).toEqual([]);
    const why = "// eslint-disable-next-line no-restricted-syntax -- a module's exports are what its caller's import says\n"
      + 'export const f = <T>(v: unknown): T => v as T;\n';
    expect(await lintAs('src/workbench/common/scratch.ts', why)).toEqual([]);
  });

  it('lets a message quoting AWS keep its literal with a disable comment that says why', async () => {
    const code = "// eslint-disable-next-line no-restricted-syntax -- AWS's own words for this case\nexport const quoted = 'States.Runtime';\n";
    expect(await lintAs('src/server/scratch.ts', code)).toEqual([]);
  });
});
