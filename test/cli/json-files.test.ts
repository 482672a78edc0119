import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import { loadMockConfig, MockConfigError, parseRecording, RecordingError, templateFromCdkOut, TemplateError } from '../../src/testing';
import { recordedDefinition } from '../../src/workbench/replay/format';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-json-files-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const withBom = (value: unknown): Buffer => Buffer.concat([BOM, Buffer.from(JSON.stringify(value))]);
const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
const BOM_MESSAGE = 'it starts with a UTF-8 byte order mark (bytes EF BB BF)';

function recording(input: unknown, events: unknown[] = []): object {
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: JSON.stringify(PASS) },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input, output: {} },
    events,
  };
}

const nested = (levels: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

describe('replay of a recording with data nested too deep', () => {
  it('exits 2 with a recording error naming execution.input when the input nests 5,000 levels, not an internal error', async () => {
    // JSON.stringify itself runs out of stack on 5,000 levels: the text is written as such.
    const rec = file('deep-input.json', JSON.stringify(recording('DEEP')).replace('"DEEP"', `${'['.repeat(5000)}0${']'.repeat(5000)}`));
    const r = await cli('replay', rec);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stepwright replay: ${rec}: recording field 'execution.input' nests deeper than 1000 levels; `
      + 'Step Functions data is nested at most 1000 levels (see docs/limits.md), so this is not a recording of an execution: record it again or fix the field\n');
  });

  it('names the event field whose JSON text nests too deep', async () => {
    const deep = JSON.stringify(nested(1500));
    const rec = file('deep-event.json', JSON.stringify(recording({}, [
      { type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{}' } },
      { type: 'TaskSucceeded', id: 2, previousEventId: 1, taskSucceededEventDetails: { resource: 'x', output: deep } },
    ])));
    const r = await cli('replay', rec);
    expect(r.code).toBe(2);
    expect(r.err).toContain("recording field 'events[1].taskSucceededEventDetails.output' nests deeper than 1000 levels");
  });

  it('reads data nested 1,000 levels, as the interpreter runs it, and refuses 1,001', () => {
    expect(() => parseRecording(recording(nested(1000)))).not.toThrow();
    expect(() => parseRecording(recording(JSON.stringify(nested(1000))))).not.toThrow();
    expect(() => parseRecording(recording(nested(1001)))).toThrow(RecordingError);
    expect(() => parseRecording(recording(JSON.stringify(nested(1001))))).toThrow(RecordingError);
  });

  it('names the missing event of an events array with a hole, instead of skipping it', () => {
    const rec = recording({}) as { events: unknown[] };
    rec.events = [{ type: 'ExecutionStarted', id: 1 }, , { type: 'ExecutionSucceeded', id: 3 }]; // eslint-disable-line no-sparse-arrays
    expect(() => parseRecording(rec)).toThrow("recording field 'events[1].type' must be a history event type such as TaskSucceeded, got nothing");
  });
});

describe('--input files larger than an execution input may be', () => {
  const definition = (): string => file('pass.asl.json', JSON.stringify(PASS));

  it('refuses a 600 MB input file by its size, naming the 256 KiB input limit, before reading it', async () => {
    const big = path.join(dir, 'huge-input.json');
    // A sparse file: 600 MB long, no data on disk, so the test stays fast.
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 600 * 1024 * 1024);
    fs.closeSync(fd);
    const r = await cli('run', definition(), '--input', `@${big}`);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stepwright run: cannot read input file ${big}: 629,145,600 bytes is too large: `
      + 'AWS accepts an execution input of at most 262,144 bytes (256 KiB); StartExecution refuses a larger one: ValidationException: '
      + "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding\n");
    expect(r.err).not.toContain('definition');
  });

  it('refuses an input file just over 262,144 bytes, and runs one of exactly 262,144', async () => {
    const over = file('over.json', JSON.stringify({ s: 'x'.repeat(262_144 - 8 + 1) }));
    expect(fs.statSync(over).size).toBe(262_145);
    expect((await cli('run', definition(), '--input', `@${over}`)).err).toContain('262,145 bytes is too large: AWS accepts an execution input of at most 262,144 bytes');
    const exact = file('exact.json', JSON.stringify({ s: 'x'.repeat(262_144 - 8) }));
    expect((await cli('run', definition(), '--input', `@${exact}`)).code).toBe(0);
  });

  it('refuses an inline --input over the limit with the same words', async () => {
    const r = await cli('run', definition(), '--input', JSON.stringify({ s: 'x'.repeat(262_144) }));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--input is 262,152 bytes, too large: AWS accepts an execution input of at most 262,144 bytes (256 KiB)');
  });

  it('refuses a diff input file over the limit before starting anything', async () => {
    const inputs = path.join(dir, 'diff-inputs');
    fs.mkdirSync(inputs);
    fs.writeFileSync(path.join(inputs, 'big.json'), JSON.stringify({ s: 'x'.repeat(300_000) }));
    const r = await cli('diff', '--state-machine', 'arn:aws:states:us-east-1:123456789012:stateMachine:m', '--inputs', inputs, '--endpoint', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).toContain('is too large: AWS accepts an execution input of at most 262,144 bytes');
  });
});

describe('a UTF-8 byte order mark is refused by name by every JSON file the command line reads', () => {
  it('in a definition: run exits 2 and validate reports it as the file not being JSON', async () => {
    const def = file('bom.asl.json', withBom(PASS));
    const run = await cli('run', def);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`stepwright run: ${def}: not valid JSON: ${BOM_MESSAGE}, which JSON text may not begin with and the AWS CLI passes on to AWS with file://; save it as UTF-8 without a byte order mark\n`);
    const validate = await cli('validate', def);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain(`INVALID_JSON_DESCRIPTION at /\n          The file is not valid JSON: ${BOM_MESSAGE}`);
  });

  it('in an --input file, a --mocks file, a MockConfigFile and a recording', async () => {
    const def = file('plain.asl.json', JSON.stringify(PASS));
    const cases: Array<[string, string[]]> = [
      ['input', ['run', def, '--input', `@${file('bom-input.json', withBom({ a: 1 }))}`]],
      ['mocks', ['run', def, '--mocks', file('bom-mocks.json', withBom({ P: 1 }))]],
      ['MockConfigFile', ['run', def, '--mocks', file('bom-config.json', withBom({ StateMachines: {}, MockedResponses: {} })), '--test-case', 'T']],
      ['recording', ['replay', file('bom-recording.json', withBom(recording({})))]],
    ];
    for (const [what, args] of cases) {
      const r = await cli(...args);
      expect({ what, code: r.code, bom: r.err.includes(BOM_MESSAGE) }).toEqual({ what, code: 2, bom: true });
    }
  });

  // AWS's tools drop it from a template: the SAM CLI and `aws cloudformation deploy` parse one with
  // PyYAML, whose scanner skips a byte order mark at the start (test/workbench/template/bom-template.test.ts).
  it('but not in a template (JSON or YAML), which AWS\'s tools read past it', async () => {
    const template = { Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', DefinitionString: JSON.stringify(PASS) } } } };
    const json = await cli('run', file('bom.template.json', withBom(template)), '--json');
    expect({ code: json.code, status: JSON.parse(json.out).status }).toEqual({ code: 0, status: 'SUCCEEDED' });
    const yaml = file('bom.template.yaml', Buffer.concat([BOM, Buffer.from(`Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      RoleArn: arn:aws:iam::123456789012:role/r\n      DefinitionString: '${JSON.stringify(PASS)}'\n`)]));
    const validated = await cli('validate', yaml);
    expect({ code: validated.code, out: validated.out }).toEqual({ code: 0, out: `${yaml} M: valid\n` });
  });

  it('in a template of a cdk.out directory and in a MockConfigFile read by the harness or serve', () => {
    const out = path.join(dir, 'cdk.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'Stack.template.json'), withBom({ Resources: {} }));
    expect(() => templateFromCdkOut(out, 'Stack')).toThrow(TemplateError);
    expect(() => templateFromCdkOut(out, 'Stack')).toThrow(BOM_MESSAGE);
    const config = file('bom-mock-config.json', withBom({ StateMachines: {}, MockedResponses: {} }));
    expect(() => loadMockConfig(config)).toThrow(MockConfigError);
    expect(() => loadMockConfig(config)).toThrow(BOM_MESSAGE);
  });

  it('names UTF-16 text (as PowerShell writes it) instead of a cryptic syntax error', async () => {
    const utf16 = file('utf16.asl.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(PASS), 'utf16le')]));
    const r = await cli('run', utf16);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not valid JSON: it is UTF-16 text (it starts with the byte order mark FF FE); JSON files are UTF-8');
  });

  it('refuses a recording passed as text with a leading U+FEFF, in a RecordingError naming it', () => {
    expect(() => parseRecording(`\ufeff${JSON.stringify(recording({}))}`)).toThrow(`the recording is not JSON: ${BOM_MESSAGE}`);
  });
});

describe('a file that is not JSON is refused by the place it breaks, without quoting the file', () => {
  const SECRET = 'AKIAEXAMPLESECRETKEY';

  it('replay of a file that is not JSON, read through a symlink, names the line and column and none of its text', async () => {
    const secret = file('credentials', `[default]\naws_secret_access_key = ${SECRET}\n`);
    const link = path.join(dir, 'recording.json');
    fs.symlinkSync(secret, link);
    const r = await cli('replay', link);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stepwright replay: ${link}: not valid JSON: Unexpected character at line 1, column 2\n`);
  });

  it('replay names the line and column where a recording breaks on its third line', async () => {
    const rec = file('broken-recording.json', `{\n  "format": "stepwright-recording",\n  "version": ${SECRET}\n}`);
    const r = await cli('replay', rec);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stepwright replay: ${rec}: not valid JSON: Unexpected character at line 3, column 14\n`);
  });

  it('a recording passed as text is refused by its place too, and its definition field', () => {
    expect(() => parseRecording(`${SECRET} {}`)).toThrow(/^the recording is not JSON: Unexpected character at line 1, column 1$/);
    const rec = { ...recording({}), stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: `{"StartAt": ${SECRET}}` } };
    expect(() => recordedDefinition(parseRecording(rec))).toThrow(/^stateMachine\.definition is not JSON: Unexpected character at line 1, column 13; record the execution again, or fix the JSON$/);
  });
});
