// Explore at scale: a machine of N Task+Choice pairs (each Task's answer decides its Choice), explored
// with no hand input, in a process of its own so that its peak RSS (process.resourceUsage().maxRSS)
// is its own. Prints, per machine: its size, the time explore took against its budget, what the
// report holds (goals reached, scenarios, whether the search was cut) and the peak memory.
// Needs the compiled library (`npx projen compile`).
//
//   node bench/explore-scale.mjs [--pairs 2500] [--budget 5] [--memory-pairs 500] [--memory-budget 30]
//     the first machine (2,500 pairs, 0.8 MB, under AWS's 1 MiB) checks that explore and its report end
//     within the budget; the second (500 pairs, 1,001 states) measures the memory of a full-length search
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { pairsMachine } = require('./explore-pairs.js');
const argv = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};

if (argv[0] === '--child') {
  const [, pairs, budget] = argv;
  const { Workflow } = require(path.join(here, '..', 'lib', 'testing', 'index.js'));
  const definition = pairsMachine(Number(pairs));
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  const wf = Workflow.fromDefinition(definition);
  const t0 = performance.now();
  const report = await wf.explore({ budgetSeconds: Number(budget) });
  const ms = performance.now() - t0;
  const goals = ['states', 'transitions', 'choiceRules'].map((c) => `${c} ${report[c].reached}/${report[c].total}`).join(', ');
  process.stdout.write(JSON.stringify({
    pairs: Number(pairs), states: Object.keys(definition.States).length, bytes, budgetSeconds: Number(budget), ms,
    goals, scenarios: report.scenarios.length, search: report.search, maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
} else {
  const runs = [
    { pairs: Number(flag('pairs', '2500')), budget: Number(flag('budget', '5')) },
    { pairs: Number(flag('memory-pairs', '500')), budget: Number(flag('memory-budget', '30')) },
  ];
  for (const r of runs) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(r.pairs), String(r.budget)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      console.log(`${r.pairs} pairs: exited ${child.status}\n${child.stderr}`);
      continue;
    }
    const x = JSON.parse(child.stdout);
    console.log(`${x.pairs} Task+Choice pairs (${x.states} states, ${(x.bytes / 1024 / 1024).toFixed(2)} MiB), budget ${x.budgetSeconds} s: `
      + `explore took ${(x.ms / 1000).toFixed(2)} s${x.ms > x.budgetSeconds * 1000 ? ' (PAST THE BUDGET)' : ''}; ${x.goals}; ${x.scenarios} scenarios from ${x.search.runs} runs, `
      + `${x.search.complete ? 'complete' : (x.search.stoppedBy ? `stopped by ${x.search.stoppedBy}` : 'incomplete: goals left not reached')}; peak RSS ${x.maxRssMb.toFixed(0)} MB`);
  }
}
