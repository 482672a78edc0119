import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaseFileError, loadCorpus } from './case-format';
import { differences, firstDifference } from './compare';
import { limiter } from './doors/case-files';
import { EXECUTION_NAME, normalise } from './normalise';
import type { DoorOutcome, Observation } from './observation';

/* The behaviour-case harness itself (cases.test.ts runs the corpus): what it normalises, what it calls a difference, what it refuses. */

const START = Date.UTC(2024, 0, 1);
const names = { machine: 'StateMachine', execution: EXECUTION_NAME, start: START };
const ran = (observation: Observation, machine = 'StateMachine'): DoorOutcome => ({ kind: 'ran', observation, names: { ...names, machine } });

describe('normalise', () => {
  it('numbers UUIDs by first appearance, so one id seen twice stays one placeholder', () => {
    const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const other = '9a9b9c9d-0000-4000-8000-000000000001';
    const o = normalise({ status: 'SUCCEEDED', output: { a: id, b: other, c: `x-${id}` } }, names);
    expect(o.output).toEqual({ a: '<uuid:1>', b: '<uuid:2>', c: 'x-<uuid:1>' });
  });

  it('writes a time within a year of the run\'s start as <time>, and one outside it as such, ISO or HTTP', () => {
    const o = normalise({ status: 'SUCCEEDED', output: ['2024-01-01T00:00:00Z', '2024-06-01T10:00:00.123Z', 'Mon, 01 Jan 2024 00:00:00 GMT', '2026-01-01T00:00:00Z'] }, names);
    expect(o.output).toEqual(['<time>', '<time>', '<time>', '<time outside the run>']);
  });

  it("writes a child execution's StartDate and StopDate in milliseconds, in a startExecution Task's answer, as <time>", () => {
    const answer = JSON.stringify({ ExecutionArn: 'arn', StartDate: START + 5, StopDate: Date.UTC(2030, 0, 1), Count: START });
    const o = normalise({ status: 'SUCCEEDED', output: answer }, names);
    expect(o.output).toBe(JSON.stringify({ ExecutionArn: 'arn', StartDate: '<time>', StopDate: '<time outside the run>', Count: START }));
    // The answer as the cause of a failure, JSON text inside JSON text.
    const nested = normalise({ status: 'SUCCEEDED', output: JSON.stringify({ Cause: answer }) }, names);
    expect(nested.output).toBe(JSON.stringify({ Cause: JSON.stringify({ ExecutionArn: 'arn', StartDate: '<time>', StopDate: '<time outside the run>', Count: START }) }));
  });

  it('names the machine <machine> in ARNs and as a value, never as a key, and the execution <execution>', () => {
    const o = normalise({
      status: 'SUCCEEDED',
      output: {
        StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:case-0000001', Name: 'case-0000001' },
        json: '{"Name":"case-0000001"}',
        run: `arn:aws:states:us-east-1:123456789012:execution:case-0000001:${EXECUTION_NAME}`,
        other: 'case-00000012',
      },
    }, { ...names, machine: 'case-0000001' });
    expect(o.output).toEqual({
      StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:<machine>', Name: '<machine>' },
      json: '{"Name":"<machine>"}',
      run: 'arn:aws:states:us-east-1:123456789012:execution:<machine>:<execution>',
      other: 'case-00000012',
    });
  });

  it('writes the option a message names as <option …> however the door spells it, and nothing else', () => {
    const said = [
      "set mockValidation: 'NONE' now",
      'set --mock-validation NONE now',
      'set stepwright serve --mock-validation NONE now',
      'set the tool\'s mockValidation: "NONE" now',
    ].map((cause) => normalise({ status: 'FAILED', cause }, names).cause);
    expect(said).toEqual(Array(4).fill('set <option mockValidation NONE> now'));
    expect(normalise({ status: 'FAILED', cause: '--request-checks warn, --mock-advice fail, --other x' }, names).cause)
      .toBe('<option requestChecks warn>, <option mockAdvice fail>, --other x');
  });

  it('leaves key order, numbers and everything else as the door said it', () => {
    const o = normalise({ status: 'FAILED', error: 'States.Runtime', cause: 'n=1.0', output: { b: 1, a: 2 } }, names);
    expect(Object.keys(o.output as object)).toEqual(['b', 'a']);
    expect(o.cause).toBe('n=1.0');
  });
});

describe('differences', () => {
  const c = loadCorpus(path.join(__dirname, 'corpus')).find((x) => x.id === 'choice-rules-default')!;
  const right: Observation = { status: 'SUCCEEDED', output: { total: 250, size: 'medium' }, path: ['Size', 'Medium'] };

  it('finds none when every door gives the expected answer', () => {
    expect(differences(c, { jest: ran(right), cli: ran(right), mcp: ran(right) })).toEqual([]);
  });

  it('names the door and field that miss the expectation', () => {
    const wrong = { ...right, output: { total: 250, size: 'small' } };
    expect(differences(c, { jest: ran(right), cli: ran(wrong) }).map((d) => d.key)).toEqual(['cli.output']);
  });

  it('compares what the expectation leaves open with the jest door, key order included', () => {
    const jest = { ...right, events: ['ExecutionStarted', 'ChoiceStateEntered:Size'] };
    const mcp = { ...right, events: ['ExecutionStarted', 'ExecutionSucceeded'] };
    const found = differences({ ...c, expect: { status: 'SUCCEEDED' } }, { jest: ran(jest), mcp: ran(mcp) });
    expect(found).toEqual([{ key: 'mcp.events', detail: 'at events[1]: jest says "ChoiceStateEntered:Size", mcp says "ExecutionSucceeded"' }]);
  });

  it('counts a refusal as a difference of its own, and a door that cannot run the case as none', () => {
    const found = differences(c, { jest: ran(right), serve: { kind: 'refused', message: 'InvalidDefinition' }, cli: { kind: 'cannot', reason: 'a reason' } });
    expect(found.map((d) => d.key)).toEqual(['serve.refused']);
  });

  it('of a case every door must refuse, counts a refusal as none and a door that ran it as a difference', () => {
    const refused = { ...c, expect: { refused: true as const } };
    const found = differences(refused, { jest: { kind: 'refused', message: 'ValidationException' }, serve: { kind: 'refused', message: 'ValidationException' }, cli: ran(right) });
    expect(found).toEqual([{ key: 'cli.status', detail: 'expected the door to refuse the run, as StartExecution does; it ran, SUCCEEDED' }]);
  });

  it('shows where two values first differ', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toEqual({ at: '.a[1].b', a: 2, b: 3 });
    expect(firstDifference({ a: 1, b: 2 }, { b: 2, a: 1 })).toEqual({ at: ' (keys)', a: ['a', 'b'], b: ['b', 'a'] });
    expect(firstDifference([1], [1])).toBeUndefined();
  });

  it('tells a -0 from a 0, as toEqual does, though JSON text writes both 0', () => {
    expect(firstDifference({ a: [-0] }, { a: [0] })).toEqual({ at: '.a[0]', a: -0, b: 0 });
    expect(firstDifference({ a: -0 }, { a: -0 })).toBeUndefined();
  });
});

describe('case files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-format-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const refusal = (name: string, content: unknown): string => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    try {
      loadCorpus(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(CaseFileError);
      return (e as Error).message;
    }
    throw new Error('loaded');
  };
  const base = { description: 'a case', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, expect: { status: 'SUCCEEDED' } };

  it('refuses a misspelt field, naming the file and the field', () => {
    expect(refusal('typo.json', { ...base, mock: {} })).toMatch(/^typo\.json: unknown field 'mock'/);
    expect(refusal('typo.json', { ...base, expect: { status: 'SUCCEEDED', ouput: 1 } })).toMatch(/^typo\.json: unknown field 'expect\.ouput'/);
  });

  it('refuses a case without a description, a status, or with both definition and template', () => {
    expect(refusal('a.json', { ...base, description: '' })).toContain('description must say');
    expect(refusal('a.json', { ...base, expect: {} })).toContain('expect.status must be one of');
    expect(refusal('a.json', { ...base, expect: { refused: true, status: 'FAILED' } })).toContain('expect.refused is true, alone');
    expect(refusal('a.json', { ...base, template: {} })).toContain('give definition or template, one of them');
  });

  it('refuses a door that cannot run the case without its reason, and a name that is no door', () => {
    expect(refusal('a.json', { ...base, cannot: { cli: '' } })).toContain('cannot.cli must give the reason');
    expect(refusal('a.json', { ...base, cannot: { lambda: 'because it is not a door' } })).toContain("cannot names 'lambda', which is no door");
  });

  it('refuses text that is not JSON, naming the file', () => {
    expect(refusal('broken.json', '{')).toMatch(/^broken\.json: not JSON/);
  });
});

describe('limiter', () => {
  it('runs at most n tasks at once, a freed slot going to the next one waiting', async () => {
    const limit = limiter(2);
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const task = () => limit(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    });
    const all = Promise.all([task(), task(), task(), task()]);
    for (let i = 0; i < 4; i++) {
      while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
      gates.shift()!();
    }
    await all;
    expect(most).toBe(2);
  });
});
