import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeInBrowser, openBrowser, REPORT_DIR, type BrowserSession } from './browser';
import { mapRuns, ORDER, orderRuns, pricingMap } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { renderMermaid } from '../../src/render';
import { extractStateMachines } from '../../src/workbench/template';
import { itWithShared, sharedPath } from '../shared-data';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = sharedPath('cdk-templates');

/** The committed Mermaid diagram of the example order workflow in the diagrams guide. */
function guideDiagram(): string {
  const guide = fs.readFileSync(path.join(ROOT, 'docs', 'diagrams.md'), 'utf8');
  const m = /<!-- order-workflow-diagram:start -->\s*```mermaid\n([\s\S]*?)```\s*<!-- order-workflow-diagram:end -->/.exec(guide);
  if (!m) throw new Error('docs/diagrams.md has no order-workflow diagram between its markers');
  return m[1];
}

/** Every state machine of the corpus: 79 in 70 templates. */
function corpusMachines(): Array<[string, StateMachineDefinition]> {
  const index = JSON.parse(fs.readFileSync(path.join(CORPUS, 'INDEX.json'), 'utf8')) as { files: Array<{ file: string }> };
  return index.files.flatMap(({ file }) => extractStateMachines(JSON.parse(fs.readFileSync(path.join(CORPUS, file), 'utf8')) as object)
    .map((m): [string, StateMachineDefinition] => [`${file} ${m.logicalId}`, m.definition]));
}

/** Names and rule values made of Mermaid's own syntax. */
const NASTY = {
  StartAt: 'a|b; c',
  States: {
    'a|b; c': { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'p|q"]; end', Next: '%% not a comment' }], Default: 'x:::y' },
    '%% not a comment': { Type: 'Pass', Next: 'end' },
    'x:::y': { Type: 'Pass', Next: 'end' },
    'end': { Type: 'Parallel', Branches: [{ StartAt: 'subgraph', States: { subgraph: { Type: 'Pass', End: true } } }], Next: 'line\nbreak \\ {x}' },
    'line\nbreak \\ {x}': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

interface Rendered {
  readonly name: string;
  readonly error?: string;
  readonly nodes: number;
}

describeInBrowser('Mermaid output rendered by mermaid in Chromium', () => {
  let session: BrowserSession;

  beforeAll(async () => {
    session = await openBrowser();
    await session.page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
    // The package's own browser bundle, injected as text: nothing is fetched.
    await session.page.addScriptTag({ content: fs.readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8') });
    await session.page.evaluate(() => {
      (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 5000 });
    });
  }, 60_000);
  afterAll(async () => { await session?.close(); });

  /** Renders each diagram with mermaid.render and counts the state nodes of the SVG. */
  async function render(diagrams: Array<[string, string]>): Promise<Rendered[]> {
    return session.page.evaluate(async (list) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      const out: Array<{ name: string; error?: string; nodes: number }> = [];
      for (let i = 0; i < list.length; i++) {
        const [name, text] = list[i];
        try {
          const { svg } = await mermaid.render(`d${i}`, text);
          const nodes = (svg.match(/<g class="node [^"]*" id="[^"]*flowchart-s\d+-/g) ?? []).length;
          // Parallel and Map states are subgraphs (`d3-s5`); their branches (`d3-s5_b0`) are not states.
          const clusters = (svg.match(/<g class="cluster[^"]*" id="[^"]*?-s\d+"/g) ?? []).length;
          out.push({ name, nodes: nodes + clusters });
        } catch (e) {
          out.push({ name, error: String((e as Error)?.message ?? e), nodes: 0 });
        }
      }
      return out;
    }, diagrams);
  }

  function stateCount(definition: StateMachineDefinition): number {
    let n = 0;
    const visit = (m: { States: Record<string, { Type: string; Branches?: unknown[]; ItemProcessor?: unknown; Iterator?: unknown }> }): void => {
      for (const s of Object.values(m.States)) {
        n++;
        for (const b of (s.Branches ?? []) as Array<typeof m>) visit(b);
        const inner = (s.ItemProcessor ?? s.Iterator) as typeof m | undefined;
        if (inner) visit(inner);
      }
    };
    visit(definition as unknown as Parameters<typeof visit>[0]);
    return n;
  }

  it('renders the example workflows, the diagram of the diagrams guide and the overlays, with a node per state', async () => {
    const runs = await orderRuns();
    const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'cli', 'order-processing.asl.json'), 'utf8')) as StateMachineDefinition;
    const results = await render([
      ['examples/cli/order-processing.asl.json', renderMermaid(cli)],
      ['the order workflow of docs/diagrams.md', guideDiagram()],
      ['awkward names', renderMermaid(ORDER)],
      ['failed run', renderMermaid(ORDER, { run: runs.broken })],
      ['coverage', renderMermaid(ORDER, { coverage: runs.coverage, title: 'Order "coverage" #1' })],
      ['syntax in names and rules', renderMermaid(NASTY)],
    ]);
    expect(results[5].nodes).toBe(stateCount(NASTY));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results[0].nodes).toBe(stateCount(cli));
    expect(results[2].nodes).toBe(stateCount(ORDER));
    const svg = await session.page.evaluate(async (text) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      return (await mermaid.render('shown', text)).svg;
    }, renderMermaid(ORDER, { run: runs.broken }));
    // Names arrive as written: quotes, brackets, HTML-looking text and unicode.
    expect(svg).toContain('Check "total" [€]');
    expect(svg).toContain('Declined &lt;b&gt;#1&lt;/b&gt;');
    expect(svg).toContain('印刷 label');
    expect(svg).toContain('total &gt; 1000');
    // A Map's iteration summary reaches the drawing in its subgraph title.
    const { exceeded } = await mapRuns();
    const mapSvg = await session.page.evaluate(async (text) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      return (await mermaid.render('map', text)).svg;
    }, renderMermaid(pricingMap(1), { run: exceeded }));
    expect(mapSvg).toContain('5 iterations, 2 succeeded, 2 failed, 1 unfinished');
    // Shown in the same page (mermaid stays loaded for the next test) for a person to look at.
    await session.page.evaluate((markup) => {
      (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('out').innerHTML = markup;
    }, svg);
    fs.mkdirSync(REPORT_DIR, { recursive: true });
    await session.page.locator('#out').screenshot({ path: path.join(REPORT_DIR, 'mermaid-failed-run.png') });
    await session.page.evaluate(() => {
      (globalThis as unknown as { document: { getElementById(id: string): { innerHTML: string } } }).document.getElementById('out').innerHTML = '';
    });
    expect(session.errors).toEqual([]);
  }, 60_000);

  it('applies no %%{init}%% directive written into a state name or the title: the theme and CSS stay as configured, and both are drawn as written', async () => {
    const name = "Pay%%{init:{'theme':'dark','themeCSS':'.node rect{fill:#ff0000 !important} .injected{}'}}%%";
    const text = renderMermaid({ StartAt: name, States: { [name]: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done' }, Done: { Type: 'Succeed' } } } as unknown as StateMachineDefinition, { title: name });
    const drawn = await session.page.evaluate(async (diagram) => {
      const g = globalThis as unknown as {
        mermaid: { render(id: string, t: string): Promise<{ svg: string }> };
        document: { getElementById(id: string): { innerHTML: string; querySelector(s: string): { textContent: string } | null } };
        getComputedStyle(e: unknown): { fill: string };
      };
      const { svg } = await g.mermaid.render('injected', diagram);
      const out = g.document.getElementById('out');
      out.innerHTML = svg;
      const facts = {
        // The default theme fills nodes #ECECFF; the dark theme #1f2020.
        nodeStyle: /\.node rect[^{]*\{fill:([^;]+);/.exec(svg)?.[1],
        injected: /<style>[^<]*(\.injected|#ff0000)/.test(svg),
        fill: g.getComputedStyle(out.querySelector('[id*="flowchart-s0-"] .label-container')).fill,
        label: out.querySelector('[id*="flowchart-s0-"] .nodeLabel')?.textContent,
        title: out.querySelector('.flowchartTitleText')?.textContent,
      };
      out.innerHTML = '';
      return facts;
    }, text);
    expect(drawn).toEqual({ nodeStyle: '#ECECFF', injected: false, fill: 'rgb(236, 236, 255)', label: name, title: name });
    expect(session.errors).toEqual([]);
  });

  itWithShared('cdk-templates', 'renders all 79 state machines of ../shared/cdk-templates with a node per state', async () => {
    const machines = corpusMachines();
    expect(machines).toHaveLength(79);
    const results = await render(machines.map(([name, def]) => [name, renderMermaid(def)]));
    expect(results.filter((r) => r.error)).toEqual([]);
    const wrongCounts = results.filter((r, i) => r.nodes !== stateCount(machines[i][1])).map((r) => r.name);
    expect(wrongCounts).toEqual([]);
  }, 180_000);
});
