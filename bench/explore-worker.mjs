// One machine at a time for bench/explore-corpus.mjs: loads it as a user would (an ASL file with
// Workflow.fromDefinition, a template's machine with Workflow.fromTemplate), explores it with no
// hand input, and answers with the report's figures. With `scaffoldDir`, also writes the jest file
// and MockConfigFile scaffolded from the report there. Runs in a worker thread, so the parent can
// stop a machine that runs past its hard limit.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { Workflow, scaffoldTests, scaffoldMockConfig, fail } = require(path.join(workerData.repo, 'lib', 'testing', 'index.js'));
const { writtenTests, failedCheck } = require(path.join(workerData.repo, 'lib', 'workbench', 'scaffold', 'checks.js'));
const { mutationScore } = await import('./explore-mutants.mjs');

/** The checks a test of the whole path makes (the reference the written tests' score is set beside). */
const wholePath = (tests) => tests.map((t) => ({
  ...t,
  checks: [
    ...t.checks.filter((c) => !['path', 'visited', 'not-visited', 'path-length'].includes(c.kind)),
    t.scenario.pathLength === undefined ? { kind: 'path', states: t.scenario.path } : { kind: 'path-length', length: t.scenario.pathLength },
  ],
}));

const CATEGORIES = ['states', 'transitions', 'choiceRules', 'catches', 'retries', 'callbacks'];

/** Every state of a definition with the Parallel or Map it runs in (the one walk is asl/state-tree's; this file runs on lib/, so it walks plainly). */
function statesOf(def, container, out = new Map()) {
  for (const [name, state] of Object.entries(def.States ?? {})) {
    out.set(name, { state, container });
    for (const branch of state.Branches ?? []) statesOf(branch, name, out);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) statesOf(processor, name, out);
  }
  return out;
}

/**
 * The Task states whose States.TaskFailed nothing catches (no Catch on them or on a Parallel or Map
 * around them): the unhandled-error findings present, which explore should each find. A Map that
 * tolerates failures fails with States.ExceedToleratedFailureThreshold once they pass its
 * threshold, so where one failed item of one passes it (a percentage under 100, a count of 0) only
 * its Catch of that error handles them (docs: maprun-fail-threshold.html).
 */
function unhandledTasks(def) {
  const states = statesOf(def);
  const catches = (s, error) => (s.Catch ?? []).some((c) => (c.ErrorEquals ?? []).some((e) => e === 'States.ALL' || e === error));
  const tolerates = (s) => s.Type === 'Map' && ['ToleratedFailureCount', 'ToleratedFailurePercentage', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'].some((k) => k in s);
  const out = [];
  for (const [name, { state }] of states) {
    if (state.Type !== 'Task') continue;
    let error = 'States.TaskFailed';
    let handled = catches(state, error);
    for (let up = states.get(name).container; up !== undefined && !handled; up = states.get(up).container) {
      const s = states.get(up).state;
      if (tolerates(s)) {
        // One failed item of one must pass the threshold (a count of N needs N + 1; a Path is the input's).
        const passes = (typeof s.ToleratedFailureCount === 'number' && s.ToleratedFailureCount < 1)
          || (typeof s.ToleratedFailurePercentage === 'number' && s.ToleratedFailurePercentage < 100);
        if (!passes) { handled = true; break; }
        error = 'States.ExceedToleratedFailureThreshold';
      }
      handled = catches(s, error);
    }
    if (!handled) out.push(name);
  }
  return out;
}

/**
 * Explore's own account of an unhandled Task it gave no finding: whether a scenario reached the
 * state (or why not), the Parallels and Maps around it, and whether the search was cut.
 */
function accountOf(def, report, state) {
  const states = statesOf(def);
  const around = [];
  for (let up = states.get(state).container; up !== undefined; up = states.get(up).container) {
    const s = states.get(up).state;
    around.push(`${s.Type}${s.ItemReader ? ' (ItemReader)' : ''}${s.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? ' (DISTRIBUTED)' : ''}`);
  }
  const unreachable = report.states.unreachable.find((n) => n.state === state);
  const notReached = report.states.notReached.find((n) => n.state === state);
  const reached = report.scenarios.some((s) => s.path.includes(state));
  const errorsAt = report.scenarios.filter((s) => s.status === 'FAILED' && s.path[s.path.length - 1] === state).map((s) => s.error);
  return {
    state,
    reached: unreachable ? 'proved unreachable' : notReached ? 'not reached' : reached ? 'reached' : 'reached (not in a scenario path)',
    reason: (unreachable ?? notReached)?.reason,
    around,
    stoppedBy: report.search.stoppedBy,
    failsThereWith: errorsAt,
  };
}

/** The most scenarios that enter a Task run again with it failing. */
const MAX_RERUNS = 20;

/** The error a re-run makes a Task raise: no Task raises it of itself, and `States.TaskFailed` and `States.ALL` catch it. */
const INJECTED = 'Bench.InjectedFailure';

/** A small seeded random source (mulberry32), so the extra inputs are the same on every run. */
function randomSource(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The input fields a definition names in a JSONPath (`$.a.b`, `$['a']`; not `$$.`), as lists of keys. */
function inputPathsOf(def) {
  const out = new Map();
  const walk = (v) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<![$\w])\$((?:\.[A-Za-z_][\w-]*|\['[^']*'\])+)/g)) {
        const keys = [...m[1].matchAll(/\.([A-Za-z_][\w-]*)|\['([^']*)'\]/g)].map((k) => k[1] ?? k[2]);
        out.set(JSON.stringify(keys), keys);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(def);
  return [...out.values()];
}

const RANDOM_VALUES = [0, 1, -1, 2, 100, 0.5, '', 'x', 'true', 'SUCCEEDED', '2026-01-01T00:00:00Z', true, false, null, [], [1], [{}], {}, { a: 1 }];

/** `n` inputs that set every field the definition reads to a value drawn from RANDOM_VALUES (or leave it out), seeded. */
function randomInputs(def, n, seed) {
  const paths = inputPathsOf(def);
  const random = randomSource(seed);
  const inputs = [];
  for (let i = 0; i < n; i++) {
    const input = {};
    for (const keys of paths) {
      if (random() < 0.2) continue;
      let at = input;
      for (const k of keys.slice(0, -1)) {
        if (at[k] === null || typeof at[k] !== 'object' || Array.isArray(at[k])) Object.defineProperty(at, k, { value: {}, enumerable: true, writable: true, configurable: true });
        at = at[k];
      }
      const value = structuredClone(RANDOM_VALUES[Math.floor(random() * RANDOM_VALUES.length)]);
      Object.defineProperty(at, keys[keys.length - 1], { value, enumerable: true, writable: true, configurable: true });
    }
    inputs.push(input);
  }
  return inputs;
}

/**
 * Whether a run with `state` answering INJECTED fails the execution with it: the Task was entered,
 * called, and nothing caught its failure. Unmocked Tasks answer with their input.
 */
async function failsUnhandled(wf, state, input, mocks) {
  let run;
  try {
    run = await wf.run(input, { mocks: { ...mocks, [state]: fail(INJECTED, `injected at ${state}`) }, seed: 0, mockValidation: 'NONE', unmocked: 'input' });
  } catch {
    return { entered: false, fails: false };
  }
  // A Task is reached when it is called: a state that fails on entry (a path it reads is not there) is in the path but made no call.
  const called = wf.definition !== undefined && isTask(wf.definition, state) ? run.taskCalls(state).length > 0 : run.path.includes(state);
  // Inside a Distributed Map that tolerates failures, the Map fails with the threshold's error once
  // every item's call has failed (maprun-fail-threshold.html): the injected failure ended the run.
  const ended = run.error === INJECTED || run.error === 'States.ExceedToleratedFailureThreshold';
  return { entered: called, fails: run.status === 'FAILED' && ended };
}

function isTask(def, state) {
  return statesOf(def).get(state)?.state.Type === 'Task';
}

/**
 * The findings present by re-running (independently of explore's claims): for each Task the
 * definition leaves unhandled, the scenarios that enter it are run again (their input and
 * answers) with that Task failing, and the Task counts present when the execution then fails with
 * its error. A Task no scenario enters is tried with `extraInputs` seeded inputs (and every
 * scenario's answers); one entered that way is a goal explore missed or wrongly proved
 * unreachable. The same inputs are tried on every state explore proved unreachable.
 */
async function rerunFindings(wf, report, tasks, tests, extraInputs) {
  const present = []; const handled = []; const notReached = []; const reachedByExtra = []; const proofsBroken = [];
  const extras = randomInputs(wf.definition, extraInputs, 46);
  const answerSets = [{}, ...tests.slice(0, 3).map((t) => t.mocks)];
  const tryExtra = async (state) => {
    for (const mocks of answerSets) {
      for (const input of [{}, ...tests.map((t) => t.scenario.input), ...extras]) {
        const r = await failsUnhandled(wf, state, input, mocks);
        if (r.entered) return { input, fails: r.fails };
      }
    }
    return undefined;
  };
  for (const task of tasks) {
    const entering = tests.filter((t) => t.scenario.path.includes(task)).sort((a, b) => a.scenario.path.length - b.scenario.path.length).slice(0, MAX_RERUNS);
    let entered = false;
    let fails = false;
    for (const t of entering) {
      const r = await failsUnhandled(wf, task, t.scenario.input, t.mocks);
      entered ||= r.entered;
      if (r.fails) {
        fails = true;
        break;
      }
    }
    if (!entered) {
      const extra = await tryExtra(task);
      if (extra === undefined) notReached.push(task);
      else {
        reachedByExtra.push({ state: task, input: extra.input, failsUnhandled: extra.fails });
        if (extra.fails) present.push(task);
      }
      continue;
    }
    (fails ? present : handled).push(task);
  }
  for (const { state } of report.states.unreachable) {
    if (tasks.includes(state)) continue;
    const extra = await tryExtra(state);
    if (extra !== undefined) proofsBroken.push({ state, input: extra.input });
  }
  for (const task of reachedByExtra) if (report.states.unreachable.some((u) => u.state === task.state)) proofsBroken.push(task);
  return { present, handled, notReached, reachedByExtra, proofsBroken };
}

function load(job) {
  if (job.kind === 'asl') return Workflow.fromDefinition(job.file);
  return Workflow.fromTemplate(job.file, { stateMachine: job.logicalId });
}

function sourceFor(job, dir) {
  const rel = path.relative(dir, job.file).split(path.sep).join('/');
  return job.kind === 'asl' ? { definition: rel } : { template: rel, stateMachine: job.logicalId };
}

parentPort.on('message', async (job) => {
  let wf;
  try {
    wf = load(job);
  } catch (e) {
    parentPort.postMessage({ id: job.id, phase: 'load', error: { name: e?.name ?? typeof e, message: String(e?.message ?? e).slice(0, 500) } });
    return;
  }
  const t0 = performance.now();
  let report;
  try {
    report = await wf.explore({ budgetSeconds: job.budget });
  } catch (e) {
    parentPort.postMessage({
      id: job.id, phase: 'explore', ms: performance.now() - t0,
      error: { name: e?.name ?? typeof e, message: String(e?.message ?? e).slice(0, 500), stack: String(e?.stack ?? '').split('\n').slice(0, 6).join('\n') },
    });
    return;
  }
  const ms = performance.now() - t0;
  const categories = {};
  for (const c of CATEGORIES) {
    const r = report[c];
    categories[c] = { reached: r.reached, total: r.total, unreachable: r.unreachable, notReached: r.notReached };
  }
  let scaffold;
  if (job.scaffoldDir) {
    // File names stay short (jest's cache adds its own long prefix): the id's tail and a hash of it.
    const hash = createHash('sha256').update(job.id).digest('hex').slice(0, 8);
    // The kind first, so the bench can tell the corpora's files apart.
    const base = `${job.kind}-${job.id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-60)}-${hash}`;
    const file = path.join(job.scaffoldDir, `${base}.explore.test.ts`);
    const text = scaffoldTests(report, { source: sourceFor(job, job.scaffoldDir), definition: wf.definition, generatedBy: 'bench/explore-corpus.mjs' });
    fs.writeFileSync(file, text);
    const config = scaffoldMockConfig(report, { definition: wf.definition });
    fs.writeFileSync(path.join(job.scaffoldDir, `${base}.MockConfigFile.json`), `${JSON.stringify(config, null, 2)}\n`);
    scaffold = { file: path.basename(file), tests: Math.max(1, report.scenarios.length) };
  }
  let mutation;
  if (job.mutants > 0) {
    const tests = writtenTests(report, wf.definition);
    const common = { Workflow, definition: wf.definition, type: wf.type, seed: 0, failedCheck, max: job.mutants, budgetMs: job.mutationSeconds * 1000 };
    try {
      const written = await mutationScore({ ...common, tests });
      const reference = await mutationScore({ ...common, tests: wholePath(tests) });
      mutation = { ...written, wholePathKilled: reference.killed, wholePathMutants: reference.mutants, tests: tests.length };
    } catch (e) {
      mutation = { error: String(e?.message ?? e).slice(0, 300) };
    }
  }
  const flagged = new Set(report.findings.filter((f) => f.kind === 'unhandled-error').map((f) => f.state));
  const missed = unhandledTasks(wf.definition).filter((t) => !flagged.has(t)).map((t) => accountOf(wf.definition, report, t));
  let rerun;
  try {
    rerun = await rerunFindings(wf, report, unhandledTasks(wf.definition), writtenTests(report, wf.definition), job.extraInputs);
  } catch (e) {
    rerun = { error: String(e?.message ?? e).slice(0, 300) };
  }
  parentPort.postMessage({
    id: job.id, ms, machine: report.machine, categories, mutation, missed,
    scenarios: report.scenarios.length,
    duplicates: report.scenarios.length - new Set(report.scenarios.map((s) => JSON.stringify([s.input, s.mocks]))).size,
    findings: report.findings.map((f) => ({ kind: f.kind, state: f.state, message: f.message })),
    search: report.search, scaffold,
    unhandledTasks: unhandledTasks(wf.definition),
    rerun,
  });
});
