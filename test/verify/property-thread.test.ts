import * as path from 'path';
import { PropertyError, type VerifyProperty } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { PropertyThread } from '../../src/workbench/commands/verify';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import type { WorkflowRun } from '../../src/workbench/workflow';
import { cli } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { builtCli, ORDER, scratchFolder } from './verify-setup';

/*
 * A property module is the user's code: `stepwright verify` loads it, and calls its functions of
 * the run, in a worker thread bounded in time and memory. A function that never returns, or
 * allocates without end, is stopped and its property refused by name, with the other properties'
 * verdicts; a module whose top level never ends is refused. The limits here are small, so each
 * test waits for the stop it causes; none asserts how long anything took.
 */

stopExploreClock();

const { write } = scratchFolder('verify-thread-');


const LOOPING = [
  "exports.neverReview = { kind: 'never', state: 'Review' };",
  'exports.loops = (run) => { while (true) {} };',
  "exports.succeedsOrDeclines = (run) => run.status === 'SUCCEEDED' || run.error === 'Declined';",
  "exports.throws = (run) => { if (run.path.includes('Review')) throw new Error('no review'); return true; };",
].join('\n');

describe('stepwright verify with a function of the run that never returns', () => {
  it('stops it at --predicate-timeout-ms, names it, the limit and what to do, and gives the other verdicts with exit code 2', () => {
    const r = builtCli('verify', ORDER, '--property', write('loops.properties.js', LOOPING), '--json', '--predicate-timeout-ms', '2000');
    expect(r.code).toBe(2);
    expect(r.err).toContain("property 'loops' did not return within 2000 ms on a run (input ");
    expect(r.err).toContain('a function of the run must be a quick, pure function of the finished run');
    expect(r.err).toContain('--predicate-timeout-ms');
    const out = JSON.parse(r.out) as Record<string, { verdict: string; reason: string }>;
    expect(Object.keys(out)).toEqual(['neverReview', 'loops', 'succeedsOrDeclines', 'throws']);
    expect(out.loops.verdict).toBe('UNKNOWN');
    expect(out.loops.reason).toContain("property 'loops' did not return within 2000 ms");
    expect(out.neverReview.verdict).toBe('VIOLATED');
    expect(out.succeedsOrDeclines.verdict).toBe('VIOLATED');
    // A function called in a fresh thread after the stop still answers, and what it throws is its violation.
    expect(out.throws).toMatchObject({ verdict: 'VIOLATED', reason: expect.stringContaining('makes the predicate throw: no review') });
  });

  it('prints the other verdicts as text too, then the refusal on standard error', () => {
    const r = builtCli('verify', ORDER, '--property', write('loops-text.properties.js', LOOPING), '--predicate-timeout-ms', '2000');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/VIOLATED\s+neverReview/);
    expect(r.out).toMatch(/UNKNOWN\s+loops/);
    expect(r.err).toContain("property 'loops' did not return within 2000 ms");
  });

  it('refuses a --predicate-timeout-ms that is no positive whole number, with exit code 2', async () => {
    for (const bad of ['0', '-5', '1.5', 'soon', '']) {
      const r = await cli('verify', ORDER, '--property', write('plain.properties.js', "exports.neverReview = { kind: 'never', state: 'Review' };\n"), '--predicate-timeout-ms', bad);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--predicate-timeout-ms must be a whole number of milliseconds');
    }
  });
});

describe('stepwright verify with a property module whose top level never ends', () => {
  it('stops its loading at six times --predicate-timeout-ms and refuses it with exit code 2 and no report', () => {
    const r = builtCli('verify', ORDER, '--property', write('toploop.properties.js', "while (true) {}\nexports.neverReview = { kind: 'never', state: 'Review' };\n"), '--json', '--predicate-timeout-ms', '300');
    expect(r.code).toBe(2);
    expect(r.err).toContain('did not finish loading within 1800 ms and was stopped');
    expect(r.err).toContain('its top-level code must only define the properties');
    expect(r.out).toBe('');
  });
});

describe('a function of the run that allocates without end', () => {
  it('is stopped when its thread runs out of memory, and refused naming the memory limit', async () => {
    const file = write('hungry.properties.js', [
      "exports.neverReview = { kind: 'never', state: 'Review' };",
      'exports.hungry = (run) => { const a = []; for (;;) a.push(new Array(1e6).fill(run.status)); };',
    ].join('\n'));
    // A call limit far past what filling 32 MiB takes: the thread's end, not the limit, stops the wait.
    const thread = await PropertyThread.load(file, { limits: { callMs: 600_000, memoryMb: 32 } });
    try {
      const wf = Workflow.fromDefinition(ORDER);
      const refused = await wf.verify(thread.properties).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(PropertyError);
      const e = refused as PropertyError;
      expect(e.message).toContain("property 'hungry' ran out of memory on a run");
      expect(e.message).toContain('32 MiB');
      expect(e.report?.properties.hungry.verdict).toBe('UNKNOWN');
      expect(e.report?.properties.neverReview.verdict).toBe('VIOLATED');
    } finally {
      await thread.close();
    }
  });
});

describe('a property module that throws what cannot be printed, or throws outside a call', () => {
  const HOSTILE = [
    'exports.bare = (run) => { throw Object.create(null); };',
    'exports.trap = (run) => { throw { toString() { throw new Error(\'toString boom\'); } }; };',
    "exports.proxy = (run) => { throw new Proxy(new Error('hidden'), { getPrototypeOf() { throw 1; }, get() { throw 2; } }); };",
    "exports.thenTrap = (run) => ({ get then() { throw new Error('then boom'); } });",
    "exports.late = (run) => { Promise.reject(new Error('late boom')); setTimeout(() => { throw Object.create(null); }); return true; };",
    "exports.ok = (run) => run.status === 'SUCCEEDED';",
  ].join('\n');

  it('answers each call, what was thrown as text, and keeps its thread', async () => {
    // A call limit far past any call: a thread that crashed, not answering, would hold the test past its timeout.
    const thread = await PropertyThread.load(write('hostile.properties.js', HOSTILE), { limits: { callMs: 600_000 } });
    try {
      const wf = Workflow.fromDefinition(ORDER);
      thread.definition = wf.definition;
      const run = await wf.run({ total: 5 }, { mocks: mocksFromJson({ Charge: { Return: { status: 'PAID' } } }, 'the run') });
      const call = (name: string) => (thread.properties[name] as (r: WorkflowRun) => unknown)(run);
      expect(() => call('bare')).toThrow('[object Object]');
      expect(() => call('trap')).toThrow('[object Object]');
      expect(() => call('proxy')).toThrow('a value that cannot be printed');
      // An object whose `then` throws when read is no promise: a value that cannot cross, never a crash.
      expect(typeof call('thenTrap')).not.toBe('boolean');
      for (let i = 0; i < 3; i++) {
        expect(call('late')).toBe(true);
        expect(call('ok')).toBe(true);
      }
    } finally {
      await thread.close();
    }
  });
});

describe('a property module in its thread', () => {
  const ORDER_PROPERTIES = path.resolve(__dirname, 'fixtures', 'order.properties.js');

  it('gives the same verdicts as the same properties called in verify\'s own thread', async () => {
    const thread = await PropertyThread.load(ORDER_PROPERTIES);
    try {
      const wf = Workflow.fromDefinition(ORDER);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fixture, loaded in this thread to compare
      const local = require(ORDER_PROPERTIES) as Record<string, VerifyProperty<WorkflowRun>>;
      expect(await wf.verify(thread.properties)).toEqual(await wf.verify(local));
    } finally {
      await thread.close();
    }
  });

  it('gives a function of the run the run tests use: its fields and helpers read the same there', async () => {
    const source = [
      'exports.reads = (run) => ({',
      "  status: run.status, output: run.output, error: run.error, path: run.path, visited: run.visited('Charge'),",
      "  attempts: run.attempts('Charge').map((a) => a.outcome), calls: run.taskCalls('Charge'), input: run.inputOf('Charge'),",
      "  events: run.eventsOf('Charge').map((e) => e.type), retries: run.retries('Charge'), started: run.startDate.toISOString(),",
      '  mermaid: run.toMermaid(), advice: run.advice, children: run.children.length,',
      '});',
    ].join('\n');
    const file = write('reads.properties.js', source);
    const thread = await PropertyThread.load(file);
    try {
      const wf = Workflow.fromDefinition(ORDER);
      thread.definition = wf.definition;
      const run = await wf.run({ total: 5 }, { mocks: mocksFromJson({ Charge: { Return: { status: 'PAID' } } }, 'the run') });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module, in this thread
      const here = (require(file) as { reads: (r: WorkflowRun) => unknown }).reads(run);
      const there = (thread.properties.reads as (r: WorkflowRun) => unknown)(run);
      expect(there).toEqual(here);
    } finally {
      await thread.close();
    }
  });
});
