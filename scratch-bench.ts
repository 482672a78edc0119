import { renderMermaid, renderHtml } from './src/render';
(async () => {
  const { benchMachine } = await (new Function('p', 'return import(p)'))('./bench/render-machine.mjs');
  for (const n of [100, 500]) {
    const def = benchMachine(n);
    for (let r = 0; r < 2; r++) {
      let t = performance.now(); renderMermaid(def); const tm = performance.now() - t;
      t = performance.now(); const h = renderHtml(def); const th = performance.now() - t;
      console.log(n, `mermaid ${tm.toFixed(0)} ms, html ${th.toFixed(0)} ms (${h.length} chars)`);
    }
  }
})();
