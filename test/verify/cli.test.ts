import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import * as path from 'path';
import { main } from '../../src/cli/cli';
import { loadPropertyModule, MODULE_PROPERTY_LIMIT } from '../../src/workbench/commands/property-module';
import { cli, sink, type CliOutcome } from '../cli/run-cli';
import { stopExploreClock } from '../explore-clock';
import { BUILT_MAIN, builtCli, ORDER, runThroughCli, scratchFolder } from './verify-setup';

/*
 * `stepwright verify`: the property module's exports by name, the verdicts as text or as one JSON
 * object keyed by property name, and a VIOLATED counterexample that `stepwright run --input …
 * --mocks …` reproduces.
 */

stopExploreClock();

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

interface Verdicts {
  [name: string]: { verdict: string; reason: string; counterexample?: { input: unknown; mocks: Record<string, unknown>; path: string[] } };
}

/**
 * `stepwright verify` of ORDER with order.properties.js, `--json`: the same command's report is read by
 * the two tests below, so it runs once, for whichever of them asks first (each runs alone as well).
 */
let orderReport: Promise<CliOutcome> | undefined;
const verifyOrder = (): Promise<CliOutcome> => (orderReport ??= cli('verify', ORDER, '--property', fixture('order.properties.js'), '--json'));

describe('stepwright verify', () => {
  it('prints one JSON object keyed by property name and exits 1 when a property is VIOLATED', async () => {
    const r = await verifyOrder();
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as Verdicts;
    expect(Object.keys(out)).toEqual(['neverAudit', 'neverReview', 'chargesOnce', 'succeedsOrDeclines']);
    expect(out.neverAudit.verdict).toBe('HOLDS');
    expect(out.chargesOnce.verdict).toBe('HOLDS');
    expect(out.neverReview.verdict).toBe('VIOLATED');
    expect(out.succeedsOrDeclines.verdict).toBe('VIOLATED');
  });

  it('gives a counterexample that stepwright run reproduces from its input and mocks', async () => {
    const out = JSON.parse((await verifyOrder()).out) as Verdicts;
    const c = out.neverReview.counterexample!;
    const result = await runThroughCli<{ path: string[] }>(ORDER, c.input, c.mocks);
    expect(result.path).toEqual(c.path);
    expect(result.path).toContain('Review');
  });

  it('VIOLATES maxSeconds with a counterexample whose Task times out, and stepwright run takes the same 30 s from it', async () => {
    // On AWS the Task times out only once its TimeoutSeconds (30) have passed: the run cannot end within 10 s.
    const machine = fixture('slow-call.asl.json');
    const out = JSON.parse((await cli('verify', machine, '--property', fixture('quick.properties.js'), '--json')).out) as Verdicts;
    expect(out.quick.verdict).toBe('VIOLATED');
    const c = out.quick.counterexample!;
    expect(JSON.stringify(c.mocks)).toContain('States.Timeout');
    const result = await runThroughCli<{ path: string[]; startDate: string; stopDate: string }>(machine, c.input, c.mocks);
    expect(result.path).toEqual(['Call', 'Late']);
    expect((Date.parse(result.stopDate) - Date.parse(result.startDate)) / 1000).toBe(30);
  });

  it('gives a made-up Task failure the Cause AWS gives, in the mocks, and stepwright run fails the run with that Cause', async () => {
    // A Fail whose CausePath reads the caught Cause: without one it would end with States.Runtime, as AWS never does here.
    const machine = fixture('cause-out.asl.json');
    const out = JSON.parse((await cli('verify', machine, '--property', fixture('cause-out.properties.js'), '--json')).out) as Verdicts;
    expect(out.neverReported.verdict).toBe('VIOLATED');
    const c = out.neverReported.counterexample!;
    const cause = (c.mocks.Charge as { Throw: { Error: string; Cause: string } }).Throw.Cause;
    expect(JSON.parse(cause)).toEqual({ errorType: 'Payment.Declined', errorMessage: expect.any(String), trace: [] });
    const result = await runThroughCli<{ path: string[]; error: string; cause: string }>(machine, c.input, c.mocks);
    expect({ path: result.path, error: result.error, cause: result.cause }).toEqual({ path: ['Charge', 'Report'], error: 'Payment.Declined', cause });
  });

  it('VIOLATES a property over the ends with a callback refused without a Cause, and stepwright run --mocks reproduces it', async () => {
    // SendTaskFailure's cause is optional: the refusal reaches the Fail as {"Error"} alone, and its CausePath fails the run.
    const machine = fixture('refused-callback.asl.json');
    const out = JSON.parse((await cli('verify', machine, '--property', fixture('refused-callback.properties.js'), '--json')).out) as Verdicts;
    expect(out.knownEnds.verdict).toBe('VIOLATED');
    const c = out.knownEnds.counterexample!;
    expect(c.mocks).toEqual({ 'Request signature': { Throw: { Error: 'Signature.Refused' } } });
    const result = await runThroughCli<{ path: string[]; status: string; error: string }>(machine, c.input, c.mocks);
    expect({ path: result.path, status: result.status, error: result.error }).toEqual({ path: ['Init', 'Request signature', 'Refused'], status: 'FAILED', error: 'States.Runtime' });
  });

  it('exits 0 when nothing is VIOLATED, printing each verdict and reason', async () => {
    const r = await cli('verify', ORDER, '--property', fixture('holding.properties.js'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/HOLDS\s+neverAudit: 'Audit' is never entered/);
    expect(r.out).toMatch(/HOLDS\s+reviewLeadsToShip/);
  });

  it('refuses a malformed property with exit code 2, naming the module and the property', async () => {
    const r = await cli('verify', ORDER, '--property', fixture('bad.properties.js'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("property 'bad' (atMost): times must be an integer >= 0, got -2");
  });

  it('refuses a missing --property and a property module that is not a file, with exit code 2', async () => {
    expect((await cli('verify', ORDER)).code).toBe(2);
    const r = await cli('verify', ORDER, '--property', path.join(__dirname, 'fixtures'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a regular file');
  });

  it('says --property takes a module file, and what it exports, when given a condition as text', async () => {
    const r = await cli('verify', ORDER, '--property', 'status = "SUCCEEDED"');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read the property module status = "SUCCEEDED": no such file');
    expect(r.err).toContain('--property takes the path of a CommonJS or ES module');
    expect(r.err).toContain("exports.shipped = Property.never('Cancelled')");
  });
});

/** A standard error that says it is a terminal, keeping what is written to it. */
function terminal(): { stream: Writable & { isTTY: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }), { isTTY: true });
  return { stream, text: () => chunks.join('') };
}

describe('stepwright verify on a terminal', () => {
  it('shows the runs and properties broken on standard error, then clears the line before the report', async () => {
    const out = sink();
    const err = terminal();
    const code = await main(['verify', ORDER, '--property', fixture('order.properties.js')], out.stream, err.stream);
    expect(code).toBe(1);
    const shown = err.text();
    expect(shown).toMatch(/^\r\u001b\[Kverify: 1 run, [01] propert(y|ies) broken, 0\.0 s of 30 s\r/);
    expect(shown).toMatch(/\r\u001b\[Kverify: \d+ runs, 2 properties broken: minimizing and confirming the counterexamples\r\u001b\[K$/);
    expect(out.text()).toMatch(/VIOLATED\s+neverReview/);
  });

  it('shows no progress with --json, nor when standard error is not a terminal', async () => {
    const err = terminal();
    const out = sink();
    expect(await main(['verify', ORDER, '--property', fixture('order.properties.js'), '--json'], out.stream, err.stream)).toBe(1);
    expect(err.text()).toBe('');
    expect(JSON.parse(out.text())).toHaveProperty('neverReview.verdict', 'VIOLATED');
    expect((await cli('verify', ORDER, '--property', fixture('order.properties.js'))).err).toBe('');
  });
});


describe('stepwright verify with an ES module of properties', () => {
  it('loads a .mjs module by its named exports, functions of the run included', () => {
    const r = builtCli('verify', ORDER, '--property', fixture('order.properties.mjs'), '--json');
    expect(r.err).toBe('');
    const out = JSON.parse(r.out) as Verdicts;
    expect(Object.keys(out)).toEqual(['neverAudit', 'neverReview', 'succeedsOrDeclines']);
    expect([out.neverAudit.verdict, out.neverReview.verdict, out.succeedsOrDeclines.verdict]).toEqual(['HOLDS', 'VIOLATED', 'VIOLATED']);
    expect(r.code).toBe(1);
  });

  it('loads a .js module of a "type": "module" package by its default export', () => {
    const r = builtCli('verify', ORDER, '--property', path.join(__dirname, 'fixtures', 'esm', 'order.properties.js'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/HOLDS\s+neverAudit/);
    expect(r.out).toMatch(/HOLDS\s+reviewLeadsToShip/);
  });

  it('names the module and the syntax error of an ES module that does not load, with exit code 2', () => {
    const r = builtCli('verify', ORDER, '--property', fixture('broken.properties.mjs'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot load the property module');
    expect(r.err).toContain('broken.properties.mjs');
    expect(r.out).toBe('');
  });
});

describe('stepwright verify with a property module that misbehaves', () => {
  const { write } = scratchFolder('verify-modules-');

  it('names the module and the error of an export getter that throws, with exit code 2 and no stack', async () => {
    const file = write('getter.properties.js', "Object.defineProperty(exports, 'g', { enumerable: true, get() { throw new Error('getter boom'); } });\n");
    const r = await cli('verify', ORDER, '--property', file, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read the exports of the property module');
    expect(r.err).toContain('getter boom');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  it('names the module and what it threw when that is no Error (throw null), with exit code 2', async () => {
    for (const [name, thrown, said] of [['null', 'null', ': null'], ['bare', 'Object.create(null)', ': [object Object]']]) {
      const r = await cli('verify', ORDER, '--property', write(`throws-${name}.properties.js`, `throw ${thrown};\n`), '--json');
      expect(r.code).toBe(2);
      expect(r.err).toContain('cannot load the property module');
      expect(r.err).toContain(`throws-${name}.properties.js${said}`);
      expect(r.out).toBe('');
    }
  });

  it('names the line of a syntax error in a CommonJS module, the module as it was given', async () => {
    // node 20 gives an ES module's syntax error no place on its stack: only its message is told.
    for (const [name, text, line] of [
      ['syntax.properties.js', "exports.neverReview = { kind: 'never', state: 'Review' };\nexports.a = (run) => run.status ===;\n", 2],
      ['syntax.properties.cjs', "exports.neverReview = { kind: 'never', state: 'Review' };\n\nexports.a = { kind: ;\n", 3],
    ] as const) {
      const file = write(name, text);
      const r = await cli('verify', ORDER, '--property', file, '--json');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`cannot load the property module ${file}: Unexpected token ';' (at ${file}:${line})`);
      expect(r.out).toBe('');
    }
  });

  it('asks for a name when the module exports only a function', async () => {
    const file = write('lone.properties.js', "module.exports = (run) => run.status === 'SUCCEEDED';\n");
    const r = await cli('verify', ORDER, '--property', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('exports only a function, with no name');
    expect(r.err).toContain('export const succeeds');
  });

  it('refuses a module of more properties than verify takes from one, with exit code 2 and the number', async () => {
    const file = write('many.properties.js', `for (let i = 0; i <= ${MODULE_PROPERTY_LIMIT}; i++) exports['p' + i] = { kind: 'never', state: 'Review' };\n`);
    const r = await cli('verify', ORDER, '--property', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`exports ${MODULE_PROPERTY_LIMIT + 1} properties; verify takes at most ${MODULE_PROPERTY_LIMIT} from one module`);
    expect(r.out).toBe('');
  });

  it('loads a module of as many properties as verify takes from one', async () => {
    const file = write('limit.properties.js', `for (let i = 0; i < ${MODULE_PROPERTY_LIMIT}; i++) exports['p' + i] = { kind: 'never', state: 'Review' };\n`);
    await expect(loadPropertyModule(file)).resolves.toHaveLength(MODULE_PROPERTY_LIMIT);
  });

  it('says a TypeScript module that does not load is TypeScript, and what to give instead', () => {
    // Through the built CLI: jest's own loader compiles TypeScript, Node's does not.
    const file = write('order.properties.ts', "export const neverAudit: object = { kind: 'never', state: 'Audit' };\n");
    const r = builtCli('verify', ORDER, '--property', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot load the property module');
    expect(r.err).toContain('compile it to .js or .mjs');
  });
});

describe('stepwright verify with a property module that prints or keeps the process alive', () => {
  const { write } = scratchFolder('verify-noisy-');

  it('keeps --json one JSON object when the module and its predicates print to standard output', () => {
    const file = write('noisy.properties.js', "console.log('loading my properties');\nexports.succeeds = (run) => { console.log('checking', run.status); return true; };\nexports.neverReview = { kind: 'never', state: 'Review' };\n");
    const r = builtCli('verify', ORDER, '--property', file, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toHaveProperty('neverReview.verdict', 'VIOLATED');
    expect(r.err).toContain('loading my properties');
    expect(r.err).toContain('checking');
  });

  it('refuses a module that calls process.exit while it loads, with exit code 2, never exit 0 and no report', () => {
    const file = write('exits.properties.js', "process.exit(0);\nexports.neverReview = { kind: 'never', state: 'Review' };\n");
    const r = builtCli('verify', ORDER, '--property', file, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot load the property module');
    expect(r.err).toContain('called process.exit(0)');
    expect(r.out).toBe('');
  });

  it('tells what the module throws outside a call on standard error, with no stack, and gives every verdict', () => {
    const file = write('late.properties.js', [
      "exports.late = (run) => { setTimeout(() => { throw new Error('late boom'); }); return run.status !== 'TIMED_OUT'; };",
      "exports.bare = (run) => { if (run.path.includes('Review')) throw Object.create(null); return true; };",
      "exports.long = (run) => { if (run.path.includes('Review')) throw new Error('x'.repeat(100000)); return true; };",
      "exports.neverReview = { kind: 'never', state: 'Review' };",
    ].join('\n'));
    const r = builtCli('verify', ORDER, '--property', file, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as Record<string, { verdict: string; reason: string }>;
    expect(out.late.verdict).not.toBe('VIOLATED');
    expect(out.late.reason).not.toContain('crashed its thread');
    expect(out.bare).toMatchObject({ verdict: 'VIOLATED', reason: expect.stringContaining('makes the predicate throw: [object Object]') });
    expect(out.long.reason).toContain(`makes the predicate throw: ${'x'.repeat(999)}…`);
    expect(out.long.reason).not.toContain('x'.repeat(1000));
    expect(out.neverReview.verdict).toBe('VIOLATED');
    expect(r.err).toContain('late.properties.js threw outside any call of its functions (from a timer or a promise it left), which no verdict reads: late boom');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).not.toContain('process.exit');
  });

  it('ends after its report when the module leaves a timer running', () => {
    const file = write('timer.properties.js', "setInterval(() => {}, 1000);\nexports.neverReview = { kind: 'never', state: 'Review' };\n");
    // The bound only keeps a hang from holding the suite: the command ends as soon as it has written.
    const r = spawnSync(process.execPath, [BUILT_MAIN, 'verify', ORDER, '--property', file, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toHaveProperty('neverReview.verdict', 'VIOLATED');
  });
});
