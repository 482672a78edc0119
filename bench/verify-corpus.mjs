// verify on the modern corpus (bench/modern-corpus/, JSONata-first machines built with stepwright's
// builders in a CDK app; needs the compiled library: `npx projen compile`), with properties that
// hold and seeded violations, the figures issue 78's closing note gives.
//
// For each machine, a family of path properties named from its own definition: each state never
// entered, entered at most once, leading to one of the states it can go to next (its Next, its
// Choice rules' and Default, its Catches'), and preceded by each state before it. verify judges
// them on the machine as built; every VIOLATED verdict must come with a counterexample that
// reproduces when run from its input and mocks as a test runs it. The properties it proves (HOLDS)
// are then judged on mutants of the machine, one seeded defect each (bench/explore-mutants.mjs: a
// Choice rule's target swapped or its comparison flipped, a Next that skips its state, a Catch
// dropped or narrowed, a Retry dropped): a seed is found when one of them is VIOLATED there with a
// counterexample that reproduces. For a seed verify finds nothing on, ground truth is got apart
// from verify: the mutant's explore scenarios, the machine's, and each scenario's input with every
// other scenario's mocks, run on the mutant and judged against the proved properties by
// violationOf (the judge verify uses). A run that breaks one is a MISS of verify's (a HOLDS or
// UNKNOWN where a counterexample exists), printed with its input and mocks; a seed no such run
// breaks (an equivalent mutant, or a defect the family cannot name) is counted apart. The same
// runs on the seeds verify found say how strong that ground truth is. A VIOLATED verdict that
// does not reproduce (a defect of verify) is counted too.
//
//
// With --choice-rules, the per-Choice-rule family takes the place of the one above
// (bench/choice-rules.mjs): for each Choice rule, "when this rule decides, its Next is the state
// after the Choice, and not when a rule with another Next decides" (the Default too), judged on the
// machine as built (never VIOLATED: the rule is the machine's own), then, for every rule, on three
// seeds: the rule negated, its constant moved, its Next swapped with the Default. A seed changes the
// machine's behaviour when a ground-truth run (as above: explore's scenarios of the mutant and of the
// machine, and their inputs crossed with each other's mocks) ends another way or takes another path
// on the mutant than on the machine. verify must find every seed whose ground truth breaks a rule
// property (else a MISS), and never give a VIOLATED whose counterexample the seed does not change
// (re-run on the machine as built, it takes the same path and ends the same way: a FALSE alarm).
//
//   node bench/verify-corpus.mjs [--budget 10] [--mutants 6] [--only <text>] [--json out.json]
//     [--ground-budget 1] [--ground-runs 200] [--choice-rules] [--rules-per-machine N] [--shard k/n]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerHelp, commandLine } from './cli-options.mjs';
import { modernJobs } from './corpus-machines.mjs';
import { mutantsOf } from './explore-mutants.mjs';
import { synthModernCorpus } from './modern-corpus.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const require = createRequire(import.meta.url);

const { flag } = commandLine();
const budget = Number(flag('--budget', '10'));
const maxMutants = Number(flag('--mutants', '6'));
const only = flag('--only', undefined);
const jsonOut = flag('--json', undefined);
// Ground truth for the seeds verify finds nothing on: explore's budget per mutant, and the runs judged.
const groundBudget = Number(flag('--ground-budget', '1'));
const groundRuns = Number(flag('--ground-runs', '200'));
const choiceRules = process.argv.includes('--choice-rules');
// At most this many rules' seeds per machine (all of them when absent), for a shorter run.
const rulesPerMachine = Number(flag('--rules-per-machine', 'Infinity'));
// `--shard k/n`: the k-th of n interleaved slices of the machines, for runs side by side.
const shardText = flag('--shard', undefined);
const shard = shardText === undefined ? undefined : shardText.split('/').map(Number);
if (!(budget > 0) || !(maxMutants >= 0)) {
  console.error('verify-corpus: --budget must be a positive number of seconds and --mutants a count');
  process.exit(2);
}
if (!fs.existsSync(path.join(repo, 'lib', 'testing', 'index.js'))) {
  console.error('verify-corpus: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}
const { Workflow, Property, mocksFromJson } = require(path.join(repo, 'lib', 'testing', 'index.js'));
// Loaded here, once lib/ is known to be there: choice-rules.mjs loads lib/ as it is imported, and a
// static import runs before this file's first line, so `--help` would need lib/.
const { choicesOf, closeChoiceOracle, ruleFamily, ruleSeeds } = await import('./choice-rules.mjs');
// The one judge of a run against a property, the one verify itself uses.
const { violationOf } = require(path.join(repo, 'lib', 'explore', 'properties.js'));

/** Every state of a definition, nested ones included, with the names it can go to next. */
function statesOf(def, out = new Map()) {
  for (const [name, s] of Object.entries(def.States ?? {})) {
    const next = new Set();
    if (typeof s.Next === 'string') next.add(s.Next);
    if (typeof s.Default === 'string') next.add(s.Default);
    for (const r of s.Choices ?? []) if (typeof r.Next === 'string') next.add(r.Next);
    for (const c of s.Catch ?? []) if (typeof c.Next === 'string') next.add(c.Next);
    out.set(name, [...next]);
    for (const b of s.Branches ?? []) statesOf(b, out);
    if (s.ItemProcessor) statesOf(s.ItemProcessor, out);
    if (s.Iterator) statesOf(s.Iterator, out);
  }
  return out;
}

/** The property family of a machine, keyed by a name that says what each asks. */
function familyOf(def) {
  const states = statesOf(def);
  const props = {};
  for (const [name, next] of states) {
    props[`never ${name}`] = Property.never(name);
    props[`atMost1 ${name}`] = Property.atMost(name, 1);
    if (next.length > 0) props[`leadsTo ${name} -> ${next.join('|')}`] = Property.leadsTo(name, next);
    for (const n of next) props[`precedes ${name} < ${n}`] = Property.precedes(name, n);
  }
  return props;
}

/** Whether a VIOLATED verdict's counterexample breaks the property again, run from its input and mocks as a test runs it. */
async function reproduces(wf, name, verdict) {
  const c = verdict.counterexample;
  try {
    const run = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, name) });
    return JSON.stringify(run.path) === JSON.stringify(c.path) && run.status === c.status;
  } catch {
    return false;
  }
}

/**
 * The seeded defect `m` of `definition` (machine `wf`'s), verified against `properties`: its
 * mutant, its entry (pushed onto `seeds`: kind, where, then ms or the error verify threw) and
 * verify's report. Undefined when the mutant is no machine or verify threw; `counts` (a totals
 * object) counts each: invalid, seeded, crashed, and the ms verify took.
 */
async function verifySeed(wf, definition, m, properties, seeds, counts) {
  let mutant;
  try {
    mutant = Workflow.fromDefinition(m.apply(definition), { type: wf.type });
  } catch {
    counts.invalid++;
    return undefined;
  }
  const seed = { kind: m.kind, where: m.where };
  seeds.push(seed);
  counts.seeded++;
  const t0 = performance.now();
  let report;
  try {
    report = await mutant.verify(properties, { budgetSeconds: budget });
  } catch (e) {
    seed.error = String(e?.message ?? e);
    counts.crashed++;
    return undefined;
  }
  seed.ms = Math.round(performance.now() - t0);
  counts.ms += seed.ms;
  return { mutant, seed, report };
}

/** Whether a run stopped at a Task no mock answers: a run AWS never makes past that Task, judged on its prefix only. */
const unanswered = (run) => run.status === 'FAILED' && run.error === 'States.Runtime' && /mock/i.test(run.cause ?? '');

/**
 * Ground truth for a seed verify found nothing on, got apart from verify: the mutant's own explore
 * scenarios, the machine's (as built), and each scenario's input with every other scenario's
 * mocks, each run on the mutant as a test runs it and judged against the proved properties by
 * violationOf. The first run that breaks one is returned: a MISS of verify's.
 */
async function groundTruth(mutant, proved, baseScenarios) {
  let own = [];
  try {
    own = (await mutant.explore({ budgetSeconds: groundBudget, seed: 1 })).scenarios;
  } catch {
    // A mutant explore cannot search still has the machine's scenarios.
  }
  const scenarios = [...own, ...baseScenarios];
  const candidates = scenarios.map((s) => ({ input: s.input, mocks: s.mocks }));
  for (const a of scenarios) for (const b of scenarios) if (a !== b) candidates.push({ input: a.input, mocks: b.mocks });
  const seen = new Set();
  let runs = 0;
  for (const c of candidates) {
    const key = JSON.stringify(c);
    if (seen.has(key) || runs >= groundRuns) continue;
    seen.add(key);
    runs++;
    let run;
    try {
      run = await mutant.run(c.input, { mocks: mocksFromJson(c.mocks, 'ground truth') });
    } catch {
      totals.groundThrew++;
      continue;
    }
    const partial = unanswered(run);
    totals.groundRuns++;
    if (partial) totals.groundPartial++;
    for (const [name, p] of Object.entries(proved)) {
      const reason = violationOf(p, run, partial);
      if (reason !== undefined) return { runs, violation: { property: name, reason, input: c.input, mocks: c.mocks, path: run.path, status: run.status } };
    }
  }
  return { runs };
}

const tally = (report) => {
  const t = { HOLDS: 0, UNKNOWN: 0, VIOLATED: 0 };
  for (const v of Object.values(report.properties)) t[v.verdict]++;
  return t;
};

/** What the per-Choice-rule pass counts (--choice-rules). */
const ruleTotals = { choices: 0, rules: 0, properties: 0, builtViolated: 0, builtNotReproduced: 0, seeded: 0, invalid: 0, found: 0, missed: 0, changedUnnamed: 0, unchanged: 0, falseAlarms: 0, notReproduced: 0, foundUnseen: 0, groundRuns: 0, ms: 0, groundMs: 0, crashed: 0 };
const ruleMisses = [];
const ruleFalse = [];

/** A run's path and status, to tell two runs apart. */
const shapeOf = (run) => JSON.stringify([run.status, run.error ?? null, run.path]);

/**
 * Ground truth for a seed of the rule pass: explore's scenarios of the mutant and of the machine,
 * and each one's input with every other's mocks, run on both. Whether one ends another way or takes
 * another path on the mutant, and the first that breaks one of `family` on the mutant.
 */
async function ruleGround(wf, mutant, family, baseScenarios) {
  let own = [];
  try {
    own = (await mutant.explore({ budgetSeconds: groundBudget, seed: 1 })).scenarios;
  } catch {
    // A mutant explore cannot search still has the machine's scenarios.
  }
  const scenarios = [...own, ...baseScenarios];
  const candidates = scenarios.map((s) => ({ input: s.input, mocks: s.mocks }));
  for (const a of scenarios) for (const b of scenarios) if (a !== b) candidates.push({ input: a.input, mocks: b.mocks });
  const seen = new Set();
  let changed = false;
  let violation;
  for (const c of candidates) {
    const key = JSON.stringify(c);
    if (seen.has(key) || seen.size >= groundRuns) continue;
    seen.add(key);
    let m;
    let b;
    try {
      m = await mutant.run(c.input, { mocks: mocksFromJson(c.mocks, 'ground truth') });
      b = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, 'ground truth') });
    } catch {
      continue;
    }
    ruleTotals.groundRuns++;
    if (shapeOf(m) === shapeOf(b)) continue;
    changed = true;
    if (violation !== undefined) continue;
    // A rule property reads only the Choice visits that went on to a next state: a run stopped
    // later, at a Task no mock answers, already breaks it in its prefix, whatever that Task answers.
    for (const [name, p] of Object.entries(family)) {
      const reason = violationOf(p, m);
      if (reason !== undefined) {
        violation = { property: name, reason, input: c.input, mocks: c.mocks, path: m.path, status: m.status };
        break;
      }
    }
    if (violation !== undefined) break;
  }
  return { changed, violation };
}

/** The per-Choice-rule pass on one machine: the family as built, then each rule's seeds. */
async function rulePass(wf, definition, row) {
  const choices = choicesOf(definition);
  row.choices = choices.length;
  row.seeds = [];
  if (choices.length === 0) return;
  const families = choices.map((c) => ({ choice: c, family: ruleFamily(c) }));
  const all = Object.assign({}, ...families.map((f) => f.family));
  ruleTotals.choices += choices.length;
  ruleTotals.rules += choices.reduce((n, c) => n + c.info.def.Choices.length, 0);
  ruleTotals.properties += Object.keys(all).length;
  const started = performance.now();
  let built;
  try {
    built = await wf.verify(all, { budgetSeconds: budget });
  } catch (e) {
    row.error = String(e?.message ?? e);
    ruleTotals.crashed++;
    return;
  }
  row.ms = Math.round(performance.now() - started);
  Object.assign(row, tally(built));
  row.builtViolated = Object.entries(built.properties).filter(([, v]) => v.verdict === 'VIOLATED').map(([name, v]) => ({ name, reason: v.reason }));
  ruleTotals.builtViolated += row.builtViolated.length;
  for (const [name, v] of Object.entries(built.properties)) {
    if (v.verdict === 'VIOLATED' && !(await reproduces(wf, name, v))) ruleTotals.builtNotReproduced++;
  }
  let baseScenarios;
  let rulesSeeded = 0;
  for (const { choice, family } of families) {
    const seeds = ruleSeeds(choice);
    const ruleCount = new Set(seeds.map((s) => s.where)).size;
    if (rulesSeeded >= rulesPerMachine) break;
    rulesSeeded += ruleCount;
    for (const m of seeds) {
      const verified = await verifySeed(wf, definition, m, family, row.seeds, ruleTotals);
      if (verified === undefined) continue;
      const { mutant, seed, report: r } = verified;
      let reproduced = 0;
      for (const [name, v] of Object.entries(r.properties)) {
        if (v.verdict !== 'VIOLATED') continue;
        if (!(await reproduces(mutant, name, v))) {
          ruleTotals.notReproduced++;
          continue;
        }
        reproduced++;
        // The seed must change the run it names: on the machine as built it ends another way, or takes another path.
        const c = v.counterexample;
        let same = true;
        try {
          const b = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, name) });
          same = JSON.stringify([b.status, b.path]) === JSON.stringify([c.status, c.path]);
        } catch {
          same = true;
        }
        if (same) {
          ruleTotals.falseAlarms++;
          ruleFalse.push({ machine: row.id, ...seed, property: name, reason: v.reason, input: c.input, mocks: c.mocks });
        }
      }
      seed.violated = Object.entries(r.properties).filter(([, v]) => v.verdict === 'VIOLATED').map(([name]) => name);
      const g0 = performance.now();
      if (baseScenarios === undefined) {
        try {
          baseScenarios = (await wf.explore({ budgetSeconds: groundBudget, seed: 1 })).scenarios;
        } catch {
          baseScenarios = [];
        }
      }
      const truth = await ruleGround(wf, mutant, family, baseScenarios);
      seed.groundMs = Math.round(performance.now() - g0);
      ruleTotals.groundMs += seed.groundMs;
      seed.changed = truth.changed;
      if (reproduced > 0) {
        ruleTotals.found++;
        if (!truth.changed) ruleTotals.foundUnseen++;
      } else if (truth.violation) {
        ruleTotals.missed++;
        seed.miss = truth.violation;
        seed.verdict = r.properties[truth.violation.property].verdict;
        seed.verdictReason = r.properties[truth.violation.property].reason;
        ruleMisses.push({ machine: row.id, ...seed });
      } else if (truth.changed) ruleTotals.changedUnnamed++;
      else ruleTotals.unchanged++;
    }
  }
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-verify-corpus-'));
const rows = [];
const misses = [];
const totals = { machines: 0, properties: 0, HOLDS: 0, UNKNOWN: 0, VIOLATED: 0, notReproduced: 0, seeded: 0, found: 0, noProvedPropertyBroken: 0, missed: 0, groundMs: 0, groundRuns: 0, groundThrew: 0, groundPartial: 0, confirmed: 0, invalid: 0, crashed: 0, ms: 0, minimized: 0 };
try {
  const jobs = modernJobs(synthModernCorpus(outdir)).filter((j) => !j.extractError && (only === undefined || j.id.includes(only)))
    .filter((_, i) => shard === undefined || i % shard[1] === shard[0] - 1);
  for (const job of jobs) {
    const row = { id: job.id };
    rows.push(row);
    let wf;
    try {
      wf = Workflow.fromTemplate(job.file, { stateMachine: job.logicalId });
    } catch (e) {
      row.error = String(e?.message ?? e);
      totals.crashed++;
      continue;
    }
    const definition = wf.definition;
    if (choiceRules) {
      await rulePass(wf, definition, row);
      if (row.choices) {
        const t = ruleTotals;
        console.error(`[${rows.length}/${jobs.length}] ${row.id}: ${row.seeds.length} seeds, ${row.seeds.filter((x) => x.violated?.length > 0).length} found; so far ${t.seeded} seeds: ${t.found} found, ${t.missed} missed, ${t.changedUnnamed} changed unnamed, ${t.unchanged} unchanged, ${t.falseAlarms} false alarms, ${t.builtViolated} VIOLATED as built`);
        // What is done so far, for a run cut short.
        if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ partial: true, ruleTotals, ruleMisses, ruleFalse, rows }, null, 2));
      }
      continue;
    }
    const props = familyOf(definition);
    const started = performance.now();
    let report;
    try {
      report = await wf.verify(props, { budgetSeconds: budget });
    } catch (e) {
      row.error = String(e?.message ?? e);
      totals.crashed++;
      continue;
    }
    row.ms = Math.round(performance.now() - started);
    row.runs = report.runs;
    row.complete = report.complete;
    Object.assign(row, tally(report));
    // Each UNKNOWN's reason, in the --json rows: what the verdict asks for.
    row.unknownReasons = Object.fromEntries(Object.entries(report.properties).filter(([, v]) => v.verdict === 'UNKNOWN').map(([name, v]) => [name, v.reason]));
    row.notReproduced = 0;
    for (const [name, v] of Object.entries(report.properties)) {
      if (v.verdict !== 'VIOLATED') continue;
      if (!(await reproduces(wf, name, v))) row.notReproduced++;
      if (v.counterexample.minimized.shrunkFromCharacters !== undefined) totals.minimized++;
    }
    totals.machines++;
    totals.properties += Object.keys(props).length;
    for (const k of ['HOLDS', 'UNKNOWN', 'VIOLATED', 'notReproduced', 'ms']) totals[k] += row[k];

    // Seeded defects: judged by the properties proved on the machine as built.
    const proved = Object.fromEntries(Object.entries(props).filter(([name]) => report.properties[name].verdict === 'HOLDS'));
    row.seeds = [];
    if (Object.keys(proved).length === 0) continue;
    let baseScenarios;
    for (const m of mutantsOf(definition, maxMutants)) {
      const verified = await verifySeed(wf, definition, m, proved, row.seeds, totals);
      if (verified === undefined) continue;
      const { mutant, seed, report: r } = verified;
      const broken = Object.entries(r.properties).filter(([, v]) => v.verdict === 'VIOLATED');
      let reproduced = 0;
      for (const [name, v] of broken) {
        if (await reproduces(mutant, name, v)) reproduced++;
        else totals.notReproduced++;
      }
      seed.violated = broken.map(([name]) => name);
      if (reproduced > 0) totals.found++;
      const g0 = performance.now();
      if (baseScenarios === undefined) {
        try {
          baseScenarios = (await wf.explore({ budgetSeconds: groundBudget, seed: 1 })).scenarios;
        } catch {
          baseScenarios = [];
        }
      }
      const truth = await groundTruth(mutant, proved, baseScenarios);
      seed.groundMs = Math.round(performance.now() - g0);
      totals.groundMs += seed.groundMs;
      seed.groundRuns = truth.runs;
      if (reproduced > 0) {
        // Calibration: how many of the seeds verify found the independent runs find too.
        if (truth.violation) totals.confirmed++;
        continue;
      }
      if (truth.violation) {
        seed.miss = truth.violation;
        seed.verdict = r.properties[truth.violation.property].verdict;
        seed.verdictReason = r.properties[truth.violation.property].reason;
        totals.missed++;
        misses.push({ machine: row.id, ...seed });
      } else totals.noProvedPropertyBroken++;
    }
  }
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
  await closeChoiceOracle();
}

if (choiceRules) {
  for (const r of rows) {
    if (r.error) {
      console.log(`${r.id}: ERROR ${r.error}`);
      continue;
    }
    if (!r.choices) continue;
    const found = r.seeds.filter((s) => s.violated?.length > 0).length;
    console.log(`${r.id}: ${r.choices} Choices, as built ${r.UNKNOWN} UNKNOWN, ${r.VIOLATED} VIOLATED; ${r.ms} ms; seeds ${found}/${r.seeds.length} found, ${r.seeds.filter((s) => s.changed).length} change a ground-truth run`);
  }
  const t = ruleTotals;
  console.log(`\nChoice rules: ${t.choices} Choices, ${t.rules} rules, ${t.properties} properties; as built ${t.builtViolated} VIOLATED (${t.builtNotReproduced} not reproduced)`);
  console.log(`seeds: ${t.seeded} (${t.invalid} refused by validation): ${t.found} found by verify with a counterexample that reproduces and that the seed changes (${t.foundUnseen} of them no ground-truth run changes); ${t.missed} missed (a ground-truth run breaks a rule property, verify did not say VIOLATED); ${t.changedUnnamed} change a ground-truth run but break no rule property; ${t.unchanged} change no ground-truth run`);
  console.log(`false alarms (VIOLATED on a run the seed does not change): ${t.falseAlarms}; counterexamples that did not reproduce: ${t.notReproduced}; crashes: ${t.crashed}; ground truth: ${t.groundRuns} runs, each on the mutant and the machine`);
  for (const m of ruleMisses) {
    const x = m.miss;
    console.log(`  MISS ${m.machine}: ${m.kind} at ${m.where}: '${x.property}' ${m.verdict} on the mutant (${m.verdictReason}); run ${x.reason}; input ${JSON.stringify(x.input)}; mocks ${JSON.stringify(x.mocks)}`);
  }
  for (const f of ruleFalse) console.log(`  FALSE ${f.machine}: ${f.kind} at ${f.where}: '${f.property}' (${f.reason}); input ${JSON.stringify(f.input)}; mocks ${JSON.stringify(f.mocks)}`);
  console.log(`time: ${(t.ms / 1000).toFixed(1)} s verifying mutants, ${(t.groundMs / 1000).toFixed(1)} s getting ground truth`);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ruleTotals, ruleMisses, ruleFalse, rows }, null, 2));
  process.exit(0);
}

for (const r of rows) {
  if (r.error) {
    console.log(`${r.id}: ERROR ${r.error}`);
    continue;
  }
  const found = r.seeds.filter((s) => s.violated?.length > 0).length;
  console.log(`${r.id}: ${r.HOLDS} HOLDS, ${r.UNKNOWN} UNKNOWN, ${r.VIOLATED} VIOLATED (${r.notReproduced} not reproduced); ${r.runs} runs${r.complete ? ', complete' : ''}; ${r.ms} ms; seeds ${found}/${r.seeds.length} found`);
}
console.log(`\n${totals.machines} machines, ${totals.properties} properties: ${totals.HOLDS} HOLDS, ${totals.UNKNOWN} UNKNOWN, ${totals.VIOLATED} VIOLATED (${totals.minimized} counterexamples with their input shrunk)`);
console.log(`seeded defects: ${totals.seeded}: ${totals.found} found by verify with a counterexample that reproduces; ${totals.missed} missed (a run breaks a proved property, verify did not say VIOLATED); ${totals.noProvedPropertyBroken} where no run found breaks a proved property; ${totals.invalid} mutants refused by validation`);
console.log(`ground truth: ${totals.groundRuns} runs of mutants judged (${totals.groundPartial} stopped at an unanswered Task, judged on their prefix; ${totals.groundThrew} refused); it finds ${totals.confirmed} of the ${totals.found} seeds verify found`);
for (const m of misses) {
  const x = m.miss;
  console.log(`  MISS ${m.machine}: ${m.kind} at ${m.where}: '${x.property}' ${m.verdict} on the mutant (${m.verdictReason}); run ${x.reason}; input ${JSON.stringify(x.input)}; mocks ${JSON.stringify(x.mocks)}`);
}
console.log(`counterexamples that did not reproduce: ${totals.notReproduced}; crashes: ${totals.crashed}; time: ${(totals.ms / 1000).toFixed(1)} s verifying mutants, ${(totals.groundMs / 1000).toFixed(1)} s getting ground truth`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ totals, rows }, null, 2));
