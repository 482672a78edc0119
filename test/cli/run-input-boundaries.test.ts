import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/cli';
import { Workflow } from '../../src/testing';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-cli-input-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('stepwright run: input that cannot run', () => {
  it('reports input nested 10,000 levels deep as bad input (exit 2), not an internal error', async () => {
    const definition = path.join(dir, 'pass.asl.json');
    fs.writeFileSync(definition, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const input = path.join(dir, 'deep.json');
    fs.writeFileSync(input, `${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`);
    const out = sink();
    const err = sink();
    const code = await main(['run', definition, '--input', `@${input}`], out.stream, err.stream);
    expect(code).toBe(2);
    expect(err.text()).toContain('the input cannot run: The execution input is not a JSON value: nesting deeper than 1000 levels');
    expect(err.text()).not.toContain('internal error');
  });

  it('names where input nested too deep goes wrong in one short line: the head and tail of the path, not 1,000 steps', async () => {
    const definition = path.join(dir, 'pass-short.asl.json');
    fs.writeFileSync(definition, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const input = path.join(dir, 'deep-array.json');
    fs.writeFileSync(input, `${'['.repeat(5_000)}0${']'.repeat(5_000)}`);
    const err = sink();
    expect(await main(['run', definition, '--input', `@${input}`], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toBe('stepwright run: the input cannot run: The execution input is not a JSON value: '
      + 'nesting deeper than 1000 levels at $[0][0][0][0][0][0][0][0]…(988 more)…[0][0][0][0].\n');
  });
});

describe('stepwright run --start-time', () => {
  const hold = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Timestamp: '2025-03-01T09:10:00Z', Next: 'Stamp' }, Stamp: { Type: 'Pass', Parameters: { 'started.$': '$$.Execution.StartTime' }, End: true } } };

  it('starts the run there on its virtual clock: $$.Execution.StartTime is it, and a Wait\'s Timestamp waits from it', async () => {
    const definition = path.join(dir, 'hold.asl.json');
    fs.writeFileSync(definition, JSON.stringify(hold));
    const out = sink();
    expect(await main(['run', definition, '--start-time', '2025-03-01T09:00:00.250Z', '--json'], out.stream, sink().stream)).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({ output: { started: '2025-03-01T09:00:00.250Z' }, startDate: '2025-03-01T09:00:00.250Z', stopDate: '2025-03-01T09:10:00.000Z' });
  });

  it('refuses a start time that is no RFC 3339 date-time with exit code 2, saying how to write one', async () => {
    const definition = path.join(dir, 'hold-refused.asl.json');
    fs.writeFileSync(definition, JSON.stringify(hold));
    const err = sink();
    expect(await main(['run', definition, '--start-time', 'tomorrow'], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toContain("--start-time must be an RFC 3339 date-time with its zone, as a Wait's Timestamp is written (2025-03-01T09:00:00Z), got 'tomorrow'");
  });
});

describe('stepwright run --seed', () => {
  const draw = { StartAt: 'Draw', States: { Draw: { Type: 'Pass' as const, Parameters: { 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(1, 1000000)' }, End: true } } };

  it('draws the run\'s random values from the seed, as the harness does with the same seed', async () => {
    const definition = path.join(dir, 'draw.asl.json');
    fs.writeFileSync(definition, JSON.stringify(draw));
    const outputOf = async (seed: string): Promise<unknown> => {
      const out = sink();
      expect(await main(['run', definition, '--seed', seed, '--json'], out.stream, sink().stream)).toBe(0);
      return (JSON.parse(out.text()) as { output: unknown }).output;
    };
    const seven = await outputOf('7');
    expect(seven).toEqual((await Workflow.fromDefinition(draw).run({}, { seed: 7 })).output);
    expect(await outputOf('8')).not.toEqual(seven);
  });

  it('refuses a seed that is no integer with exit code 2', async () => {
    const definition = path.join(dir, 'draw-refused.asl.json');
    fs.writeFileSync(definition, JSON.stringify(draw));
    const err = sink();
    expect(await main(['run', definition, '--seed', '1.5'], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toContain("--seed must be an integer, got '1.5'");
  });
});
