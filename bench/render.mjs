// `node bench/render.mjs [states] [rounds]`: how long stepwright takes to draw a large state
// machine (bench/render-machine.js, 500 states by default) as Mermaid, as laid-out HTML and as SVG, on
// the compiled library (run `npx projen compile` first). Prints the median wall time and the
// median CPU time of this process, which stays meaningful on a busy machine.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerHelp } from './cli-options.mjs';

answerHelp();

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.join(here, '..', 'lib', 'render', 'index.js');
if (!fs.existsSync(lib)) {
  console.error('bench: lib/ is missing; run `npx projen compile` first');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { renderMermaid, renderHtml, renderSvg } = require(lib);
const { benchMachine } = require('./render-machine.js');

const states = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 7);
const definition = benchMachine(states);

function measure(fn) {
  const walls = [];
  const cpus = [];
  fn(); // warm-up: the first call compiles the code paths
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    fn();
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(walls), cpu: median(cpus) };
}

let size = 0;
const mermaid = measure(() => { size = renderMermaid(definition).length; });
const mermaidSize = size;
const html = measure(() => { size = renderHtml(definition).length; });
const htmlSize = size;
const svg = measure(() => { size = renderSvg(definition).length; });
const fmt = (m) => `${m.wall.toFixed(0).padStart(5)} ms wall, ${m.cpu.toFixed(0).padStart(5)} ms CPU`;
console.log(`render ${states} states, median of ${rounds}:`);
console.log(`  Mermaid          ${fmt(mermaid)}  (${mermaidSize} chars)`);
console.log(`  HTML (dagre)     ${fmt(html)}  (${htmlSize} chars)`);
console.log(`  SVG (dagre)      ${fmt(svg)}  (${size} chars)`);
