import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli } from './run-cli';
import { COVERAGE_DIR_ENV } from '../../src/testing/coverage';

const repoRoot = join(__dirname, '..', '..');
const fixture = join(repoRoot, 'test', 'testing', 'fixtures', 'shard-project');
// Four jest runs of a fixture project, each a second or two alone; minutes on a shared, busy 2-core machine.
const NESTED_JEST_MS = 300_000;

/** Runs jest on the fixture project (one shard of it, when asked) and answers the report it wrote. */
async function jestRun(dir: string, name: string, shard?: string): Promise<Record<string, unknown>> {
  const report = join(dir, `${name}.json`);
  await promisify(execFile)(process.execPath, [
    join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(fixture, 'jest.config.js'), '--coverage=false', '--ci',
    ...(shard ? [`--shard=${shard}`] : []),
  ], { cwd: fixture, env: { ...process.env, [COVERAGE_DIR_ENV]: join(dir, `${name}-workers`), STEPWRIGHT_TEST_REPORT: report } });
  return JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
}

describe('stepwright coverage merge', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwright-merge-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges the reports of jest --shard=1/3, 2/3 and 3/3 into the report of the unsharded run', async () => {
    const whole = await jestRun(dir, 'whole');
    const shards = [];
    for (const i of [1, 2, 3]) shards.push(await jestRun(dir, `shard-${i}`, `${i}/3`));
    // Each shard ran part of the suite: none alone has what the whole run has.
    for (const s of shards) expect(s.machines).not.toEqual(whole.machines);
    expect(shards.map((s) => s.run)).toEqual([1, 2, 3].map((index) => ({
      shard: { index, count: 3 }, tests: { total: 2, failed: 0 }, testFiles: { total: 2, failed: 0 },
    })));
    const merged = join(dir, 'merged.json');
    const summary = join(dir, 'summary.md');
    const outcome = await cli('coverage', 'merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}.json`)), '--out', merged, '--summary', summary);
    expect(outcome.err).toBe('');
    expect(outcome.code).toBe(0);
    const report = JSON.parse(readFileSync(merged, 'utf8'));
    expect(report.machines).toEqual(whole.machines);
    expect(report.cost).toEqual(whole.cost);
    expect(report.complete).toBe(true);
    expect(outcome.out).toContain('OrderWorkflow |    7 | 6/6 100% |');
    expect(readFileSync(summary, 'utf8')).toContain('| OrderWorkflow | 7 | 6/6 (100%) |');
  }, NESTED_JEST_MS);
});

describe('stepwright coverage merge on reports it is given', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwright-merge-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hits = (states: Record<string, number>) => ({
    covered: Object.values(states).filter((n) => n > 0).length,
    total: Object.keys(states).length,
    missed: Object.keys(states).filter((k) => states[k] === 0),
    hits: states,
  });
  const none = { covered: 0, total: 0, missed: [], hits: {} };
  const usage = {
    stateTransitions: 3,
    statesEntered: 3,
    retries: 0,
    childExecutionsStarted: 0,
    durationMs: 5,
    billedDurationMs: 100,
    largestPayloadBytes: 2,
    parallelOrMapSteps: 0,
    childExecutions: [],
    status: 'SUCCEEDED',
  };
  const shard = (index: number, states: Record<string, number>, file: string, failed = 0) => ({
    machines: [{
      id: 'abc',
      name: 'Orders',
      runs: 1,
      states: hits(states),
      transitions: none,
      choices: none,
      catches: none,
      retries: none,
      files: [{
        file,
        runs: 1,
        states: { covered: 1, total: 2 },
        transitions: { covered: 0, total: 0 },
        choices: { covered: 0, total: 0 },
        catches: { covered: 0, total: 0 },
        retries: { covered: 0, total: 0 },
      }],
    }],
    cost: { rows: [{ file, machine: 'Orders', runs: 1, stateTransitions: 3, billedDurationMs: 100 }], machines: [{ id: 'abc', name: 'Orders', usages: [{ usage, runs: 1 }] }] },
    run: { shard: { index, count: 2 }, tests: { total: 1, failed }, testFiles: { total: 1, failed } },
  });
  const put = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  it('applies the threshold to the merged figures: two shards each below it pass together', async () => {
    const a = put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts'));
    const b = put('b.json', shard(2, { A: 0, B: 1 }, 'b.test.ts'));
    expect((await cli('coverage', 'merge', a, '--threshold', 'states=100')).code).toBe(1);
    const both = await cli('coverage', 'merge', a, b, '--threshold', 'states=100');
    expect(both.err).toBe('');
    expect(both.code).toBe(0);
  });

  it('lists two machines of one name without a path by id, whichever shard holds which', async () => {
    // Two definitions built in two test files, each named StateMachine (Workflow.fromDefinition).
    const named = (index: number, id: string, file: string) => {
      const r = shard(index, { A: 1 }, file);
      return { ...r, machines: [{ ...r.machines[0], id, name: 'StateMachine' }], cost: { rows: [{ ...r.cost.rows[0], machine: 'StateMachine' }], machines: [{ ...r.cost.machines[0], id, name: 'StateMachine' }] } };
    };
    const orders: string[][] = [];
    for (const [first, second] of [['fff', '111'], ['111', 'fff']]) {
      const a = put(`a-${first}.json`, named(1, first, 'a.test.ts'));
      const b = put(`b-${first}.json`, named(2, second, 'b.test.ts'));
      const out = join(dir, `merged-${first}.json`);
      expect((await cli('coverage', 'merge', a, b, '--out', out)).code).toBe(0);
      const merged = JSON.parse(readFileSync(out, 'utf8')) as { machines: { id: string }[]; cost: { machines: { id: string }[] } };
      orders.push(merged.machines.map((m) => m.id), merged.cost.machines.map((m) => m.id));
    }
    expect(orders).toEqual([['111', 'fff'], ['111', 'fff'], ['111', 'fff'], ['111', 'fff']]);
  });

  it('applies the cost budget to the merged figures: two shards each within it fail together', async () => {
    const a = put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts'));
    const b = put('b.json', shard(2, { A: 0, B: 1 }, 'b.test.ts'));
    expect((await cli('coverage', 'merge', a, '--budget', 'stateTransitions=5')).code).toBe(1);
    const both = await cli('coverage', 'merge', a, b, '--budget', 'stateTransitions=5');
    expect(both.code).toBe(1);
    expect(both.err).toContain('stateTransitions: 6 > 5');
  });

  it('says which figures come from a shard whose tests failed, and exits 1', async () => {
    const a = put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts'));
    const b = put('b.json', shard(2, { A: 0, B: 1 }, 'b.test.ts', 1));
    const summary = join(dir, 'summary.md');
    const outcome = await cli('coverage', 'merge', a, b, '--summary', summary);
    expect(outcome.code).toBe(1);
    expect(outcome.err).toContain('shard 2/2');
    expect(outcome.out).toContain('2 (shard 2/2 failed)');
    expect(outcome.out).toMatch(/b\.test\.ts +\| Orders +\| 1 \(shard 2\/2 failed\)/);
    expect(readFileSync(summary, 'utf8')).toContain('comes from a failing run');
  });

  it('names a shard that has no report, and exits 1', async () => {
    const outcome = await cli('coverage', 'merge', put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts')));
    expect(outcome.code).toBe(1);
    expect(outcome.err).toContain('shard 2/2 has no report');
  });

  it('refuses the same shard twice, or one test file in two reports', async () => {
    const a = put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts'));
    const again = put('again.json', shard(1, { A: 1, B: 0 }, 'x.test.ts'));
    expect(await cli('coverage', 'merge', a, again)).toMatchObject({ code: 2, err: expect.stringContaining('shard 1/2 is also') });
    const sameFile = put('same.json', shard(2, { A: 1, B: 0 }, 'a.test.ts'));
    expect(await cli('coverage', 'merge', a, sameFile)).toMatchObject({ code: 2, err: expect.stringContaining('test file a.test.ts is also in') });
  });

  it('appends the summary to the file it names, as $GITHUB_STEP_SUMMARY expects', async () => {
    const summary = put('summary.md', '# earlier step\n');
    const a = put('a.json', shard(1, { A: 1, B: 0 }, 'a.test.ts'));
    const b = put('b.json', shard(2, { A: 0, B: 1 }, 'b.test.ts'));
    await cli('coverage', 'merge', a, b, '--summary', summary, '--threshold', 'states=100');
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## stepwright coverage')).toBe(true);
    expect(text).toContain('**Passed:** states ≥ 100%');
  });

  it('escapes a state machine name in the Markdown summary', async () => {
    const report = shard(1, { A: 1 }, 'a.test.ts');
    delete (report as { run?: unknown }).run;
    report.machines[0].name = 'Orders | <img src=x>';
    const summary = join(dir, 'summary.md');
    await cli('coverage', 'merge', put('a.json', report), '--summary', summary);
    expect(readFileSync(summary, 'utf8')).toContain('| Orders \\| \\<img src=x\\> | 1 |');
  });

  it('writes a name in the Markdown summary as the text it is: no entity, strikethrough, link or reordering mark', async () => {
    const report = shard(1, { A: 1 }, 'https://evil.example/a.test.ts');
    delete (report as { run?: unknown }).run;
    report.machines[0].name = '~~Orders~~ &amp; www.evil.example \u202eX';
    report.cost.rows[0].machine = report.machines[0].name;
    report.cost.machines[0].name = report.machines[0].name;
    const summary = join(dir, 'summary.md');
    await cli('coverage', 'merge', put('a.json', report), '--summary', summary);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('| \\~\\~Orders\\~\\~ \\&amp; www\\.evil.example \ufffdX | 1 |');
    expect(text).toContain('| https\\://evil.example/a.test.ts | \\~\\~Orders\\~\\~ \\&amp; www\\.evil.example \ufffdX |');
    expect(text).not.toContain('\u202e');
  });

  it('writes through no symbolic link', async () => {
    const target = put('target.md', 'keep');
    const link = join(dir, 'link.md');
    symlinkSync(target, link);
    const outcome = await cli('coverage', 'merge', put('a.json', shard(1, { A: 1 }, 'a.test.ts')), '--summary', link);
    expect(outcome).toMatchObject({ code: 2, err: expect.stringContaining('is a symbolic link') });
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it.each([
    ['a negative count', (r: ReturnType<typeof shard>) => { r.machines[0].runs = -1; }, 'machines[0].runs must be a whole number'],
    ['an infinite count', (r: ReturnType<typeof shard>) => { (r.machines[0] as { runs: unknown }).runs = 'INFINITE'; }, 'machines[0].runs must be a whole number'],
    ['a fraction', (r: ReturnType<typeof shard>) => { r.machines[0].states.hits.A = 0.5; }, 'machines[0].states.hits["A"] must be a whole number'],
    ['covered counts that disagree with the hits', (r: ReturnType<typeof shard>) => { r.machines[0].states.covered = 2; }, 'says 2 of 2 covered'],
    ['a negative cost', (r: ReturnType<typeof shard>) => { r.cost.rows[0].stateTransitions = -3; }, 'cost.rows[0].stateTransitions'],
    ['more failed tests than tests', (r: ReturnType<typeof shard>) => { r.run.tests.failed = 2; }, 'run.tests.failed must be a whole number from 0 to 1'],
  ])('refuses a report with %s, naming the field', async (_what, spoil, message) => {
    const report = shard(1, { A: 1, B: 0 }, 'a.test.ts');
    spoil(report);
    const outcome = await cli('coverage', 'merge', put('a.json', JSON.stringify(report).replace('"INFINITE"', '1e400')));
    expect(outcome.code).toBe(2);
    expect(outcome.err).toContain(message);
  });

  it('reads a report\'s fields as its own: a __proto__ field is no way to supply machines', async () => {
    const outcome = await cli('coverage', 'merge', put('a.json', '{"__proto__": {"machines": []}, "cost": {"rows": [], "machines": []}}'));
    expect(outcome).toMatchObject({ code: 2, err: expect.stringContaining('machines must be a list') });
    expect(({} as Record<string, unknown>).machines).toBeUndefined();
  });

  it('keeps a state named __proto__ as an item of its own', async () => {
    const a = put('a.json', shard(1, JSON.parse('{"__proto__": 1, "B": 0}'), 'a.test.ts'));
    const b = put('b.json', shard(2, JSON.parse('{"__proto__": 0, "B": 1}'), 'b.test.ts'));
    const out = join(dir, 'out.json');
    expect((await cli('coverage', 'merge', a, b, '--out', out)).code).toBe(0);
    const states = JSON.parse(readFileSync(out, 'utf8')).machines[0].states;
    expect(Object.hasOwn(states.hits, '__proto__')).toBe(true);
    expect(states).toMatchObject({ covered: 2, total: 2, missed: [] });
  });

  it('refuses a report nested deeper than any report is, without parsing it', async () => {
    const outcome = await cli('coverage', 'merge', put('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    expect(outcome).toMatchObject({ code: 2, err: expect.stringContaining('nests deeper than 16 levels') });
  });

  it('refuses what is not a regular file, without blocking on a FIFO', async () => {
    const fifo = join(dir, 'fifo.json');
    await promisify(execFile)('mkfifo', [fifo]);
    expect(await cli('coverage', 'merge', fifo)).toMatchObject({ code: 2, err: expect.stringContaining('not a regular file') });
    expect(await cli('coverage', 'merge', dir)).toMatchObject({ code: 2, err: expect.stringContaining('directory') });
  });

  it('says a report cut short is not JSON', async () => {
    const outcome = await cli('coverage', 'merge', put('cut.json', JSON.stringify(shard(1, { A: 1 }, 'a.test.ts')).slice(0, 50)));
    expect(outcome).toMatchObject({ code: 2, err: expect.stringContaining('is not JSON') });
  });
});
