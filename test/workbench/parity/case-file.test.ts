import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  caseFileOf, checkParity, loadCaseFile, parseCaseFile, ParityError, PARITY_CASE_FORMAT, writeCaseFile, type ParityCaseFile, type ParityRequest,
} from '../../../src/workbench/parity';
import { localTestState } from '../../../src/workbench/parity/local';

const request: ParityRequest = {
  definition: {
    StartAt: 'Charge',
    States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultSelector: { 'id.$': '$.Payload.id' }, Next: 'Done' }, Done: { Type: 'Succeed' } },
  },
  stateName: 'Charge',
  input: { amount: 5 },
  inspectionLevel: 'DEBUG',
  mock: { result: { Payload: { id: 'ch_1' } }, fieldValidationMode: 'NONE' },
  variables: { who: 'ann' },
  context: { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:M:r' } },
  stateConfiguration: { retrierRetryCount: 1 },
};
const site = { machine: 'Orders', state: 'Charge', visit: 2, attempt: 1, run: 'r' };
const aws = { status: 'SUCCEEDED' as const, output: { id: 'ch_1', fee: 0 }, nextState: 'Done' };
const local = { status: 'SUCCEEDED' as const, output: { id: 'ch_1' }, nextState: 'Done' };

describe('parity case files', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-parity-case-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are written and read back unchanged: request, both answers, title and when', () => {
    const file = caseFileOf(site, request, aws, local, 'output', 'AWS (us-east-1)', new Date('2026-01-02T03:04:05Z'));
    const written = writeCaseFile(dir, site, file);
    expect(path.basename(written)).toBe('Orders.Charge.2-1.json');
    expect(loadCaseFile(written)).toEqual({
      format: PARITY_CASE_FORMAT,
      version: 1,
      title: 'Orders/Charge, visit 2: output differs',
      recordedAt: '2026-01-02T03:04:05.000Z',
      against: 'AWS (us-east-1)',
      request,
      aws,
      local,
    });
  });

  it('never overwrite a file: a second case of the same visit gets a number', () => {
    const file = caseFileOf(site, request, aws, local, 'output', 'x', new Date(0));
    writeCaseFile(dir, site, file);
    expect(path.basename(writeCaseFile(dir, site, file))).toBe('Orders.Charge.2-1-2.json');
  });

  it('name their file with only the characters a file name can hold', () => {
    const odd = { ...site, machine: '../up', state: 'a/b c' };
    const written = writeCaseFile(dir, odd, caseFileOf(odd, request, aws, local, 'output', 'x', new Date(0)));
    expect(path.dirname(written)).toBe(dir);
    expect(path.basename(written)).toBe('__up.a_b_c.2-1.json');
  });

  it('are taken in by the suite as conformance cases: --recorded compares stepwright with the answer the file holds', async () => {
    const info: ParityRequest = { ...request, inspectionLevel: 'INFO' };
    const agreeing = caseFileOf(site, info, local, local, 'output', 'x', new Date(0));
    const differing = caseFileOf(site, info, aws, local, 'output', 'x', new Date(0));
    const report = await checkParity({ cases: [{ file: 'agreeing.json', case: agreeing }, { file: 'differing.json', case: differing }] }, { recorded: true });
    expect(report.rows.map((r) => [r.site.machine, r.verdict, r.differences?.map((d) => d.field)])).toEqual([
      ['agreeing.json', 'equal', undefined],
      ['differing.json', 'differs', ['output']],
    ]);
    expect(report.calls).toBe(0);
  });

  const valid: ParityCaseFile = caseFileOf(site, request, aws, local, 'output', 'x', new Date(0));
  const withField = (change: (o: any) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(valid));
    change(copy);
    return copy;
  };
  it('hold a definition as its JSON, which stepwright\'s TestState checks before it reads the mock against it', async () => {
    const file = withField((o) => { o.request.definition = { Type: 'Parallel', Branches: 5, End: true }; o.request.mock = { result: [] }; });
    const parsed = parseCaseFile(file, 'case.json');
    const answer = await localTestState(parsed.request);
    expect(answer).toMatchObject({ refused: { type: 'InvalidDefinition', message: expect.stringMatching(/\/Branches \[SCHEMA_VALIDATION_FAILED\]/) } });
  });

  it.each([
    ['another format', (o: any) => { o.format = 'stepwright-recording'; }, "'format' must be 'stepwright-parity-case' (write case files with stepwright parity --write-cases), got \"stepwright-recording\""],
    ['another version', (o: any) => { o.version = 2; }, "'version' must be 1, the version this stepwright reads, got 2"],
    ['no request', (o: any) => { delete o.request; }, "'request' must be an object: the TestState request (definition, stateName, input, …), got nothing"],
    ['a definition as text', (o: any) => { o.request.definition = '{}'; }, "'request.definition' must be the state machine definition (or a single state), as an object, got \"{}\""],
    ['a state name too long', (o: any) => { o.request.stateName = 's'.repeat(81); }, "'request.stateName' must be the name of the state to test, at most 80 characters"],
    ['an unknown inspection level', (o: any) => { o.request.inspectionLevel = 'ALL'; }, "'request.inspectionLevel' must be 'INFO', 'DEBUG' or 'TRACE', got \"ALL\""],
    ['a mock with both result and errorOutput', (o: any) => { o.request.mock.errorOutput = { error: 'E' }; }, "'request.mock' must be an object with result or errorOutput (one of them)"],
    ['an errorOutput without its error', (o: any) => { o.request.mock = { errorOutput: { cause: 'c' } }; }, "'request.mock.errorOutput.error' must be the error name, a string, got nothing"],
    ['a negative retry count', (o: any) => { o.request.stateConfiguration.retrierRetryCount = -1; }, "'request.stateConfiguration.retrierRetryCount' must be a whole number, 0 or more, got -1"],
    ['variables that are a list', (o: any) => { o.request.variables = [1]; }, "'request.variables' must be an object, a member per variable, got [1]"],
    ['an answer with another status', (o: any) => { o.aws.status = 'RUNNING'; }, "'aws.status' must be SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR, got \"RUNNING\""],
    ['a refusal without its type', (o: any) => { o.aws = { refused: { message: 'm' } }; }, "'aws.refused.type' must be the exception name, e.g. ValidationException, got nothing"],
    ['a next state that is not text', (o: any) => { o.local.nextState = 3; }, "'local.nextState' must be a string, got 3"],
  ])('refuse %s, naming the file, the field and what it must be', (_what, change, message) => {
    expect(() => parseCaseFile(withField(change), 'case.json')).toThrow(ParityError);
    expect(() => parseCaseFile(withField(change), 'case.json')).toThrow(`case.json: ${message}`);
  });

  it('refuse a member named __proto__ as any other unknown member: it is not read', () => {
    const text = JSON.stringify(valid).replace('"request":', '"__proto__": {"polluted": true}, "request":');
    const parsed = parseCaseFile(JSON.parse(text), 'case.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).not.toContain('__proto__');
  });

  it('refuse a file that is not a regular JSON file of at most 8 MiB, naming why', () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, `"${'x'.repeat(8 * 1_048_576)}"`);
    expect(() => loadCaseFile(big)).toThrow(/big\.json: cannot read it: .*8,388,608/);
    const bom = path.join(dir, 'bom.json');
    fs.writeFileSync(bom, `\ufeff${JSON.stringify(valid)}`);
    expect(() => loadCaseFile(bom)).toThrow(/bom\.json: cannot read it: it starts with a UTF-8 byte order mark/);
    expect(() => loadCaseFile(dir)).toThrow(`${dir}: cannot read it: it is a directory`);
    const deep = path.join(dir, 'deep.json');
    fs.writeFileSync(deep, `${'['.repeat(1_100)}${']'.repeat(1_100)}`);
    expect(() => loadCaseFile(deep)).toThrow(/deep\.json: not a parity case: .*deeper than 1000/);
  });
});
