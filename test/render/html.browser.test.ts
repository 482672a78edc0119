import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeInBrowser, openBrowser, REPORT_DIR, type BrowserSession } from './browser';
import { CAUGHT, caughtRun, linearChain, mapRuns, ORDER, ORDER_STATES, orderRuns, pricingMap, PROTO, PROTO_VISITED, protoRun, type OrderRuns } from './fixtures';
import { benchMachine } from '../../bench/render-machine.js';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { renderHtml, renderSvg } from '../../src/render';

/** The names of the nodes of the page that carry `cls` (or every node, without one). */
async function statesWith(session: BrowserSession, cls?: string): Promise<string[]> {
  const selector = `.sw-node${cls ? `.${cls}` : ''}[data-state]`;
  const names = await session.page.$$eval(selector, (nodes) => nodes.map((n) => n.getAttribute('data-state') ?? ''));
  return names.sort();
}

describeInBrowser('the HTML diagram in Chromium', () => {
  let session: BrowserSession;
  let runs: OrderRuns;

  beforeAll(async () => {
    [session, runs] = await Promise.all([openBrowser(), orderRuns()]);
    fs.mkdirSync(REPORT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => { await session?.close(); });
  beforeEach(() => { if (session) session.errors.length = 0; });

  async function open(html: string): Promise<void> {
    await session.page.setContent(html, { waitUntil: 'load' });
  }

  it('draws every state as a node, once, with no console error and no network request', async () => {
    await open(renderHtml(ORDER));
    expect(await statesWith(session)).toEqual([...ORDER_STATES].sort());
    expect(session.errors).toEqual([]);
  });

  it('puts visited on exactly the entered states, and failed on the Task that raised the error and on the Parallel and Map that failed with it', async () => {
    await open(renderHtml(ORDER, { run: runs.broken, title: 'Broken label printer' }));
    expect(await statesWith(session, 'failed')).toEqual(['Pack & label', 'Pack items', '印刷 label']);
    expect(await statesWith(session, 'caught')).toEqual([]);
    expect(await statesWith(session, 'visited')).toEqual([...new Set(runs.broken.path)].sort());
    expect(await session.page.textContent('header')).toContain('Printer.Jammed');
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-failed-run.png') });
    expect(session.errors).toEqual([]);
  });

  it('notes retries on the state that retried and highlights the taken Catch edge', async () => {
    await open(renderHtml(ORDER, { run: runs.succeeded }));
    const charge = session.page.locator('.sw-node[data-state="Charge card"]');
    expect(await charge.textContent()).toContain('retried 2×');
    expect(await charge.textContent()).toContain('retry ×3, backoff 2 on Card.Busy');
    expect(await session.page.locator('.sw-node[data-state="Pack items"]').textContent()).toContain('2 iterations, 2 succeeded');
    await open(renderHtml(ORDER, { run: runs.declined }));
    const taken = await session.page.$$eval('.sw-edge.taken', (edges) => edges.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`));
    expect(taken.sort()).toEqual([
      'Charge card -> Declined <b>#1</b>', 'Check "total" [€] -> Wait for approval', 'Wait for approval -> Charge card', 'sw_start -> Check "total" [€]',
    ].sort());
  });

  it('shows on a Map that ran how many of its iterations succeeded and failed, tolerated or not', async () => {
    const { tolerated, exceeded } = await mapRuns();
    await open(renderHtml(pricingMap(2), { run: tolerated }));
    const header = session.page.locator('.sw-node[data-state="Price items"] text.note');
    expect(await header.allTextContents()).toEqual(['Map', '5 iterations, 3 succeeded, 2 failed']);
    expect(await statesWith(session, 'failed')).toEqual(['Price']);
    await open(renderHtml(pricingMap(1), { run: exceeded }));
    expect(await statesWith(session, 'failed')).toEqual(['Price', 'Price items']);
    expect(await header.allTextContents()).toContain('5 iterations, 2 succeeded, 2 failed, 1 unfinished');
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-map-iterations.png') });
    expect(session.errors).toEqual([]);
  });

  it('puts uncovered on exactly the states never exercised and shows the percentages', async () => {
    await open(renderHtml(ORDER, { coverage: runs.coverage }));
    expect(await statesWith(session, 'uncovered')).toEqual(['Add VAT']);
    expect(await statesWith(session, 'visited')).toEqual([]);
    const missed = await session.page.$$eval('.sw-edge.missed', (edges) => edges.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`));
    expect(missed.sort()).toEqual(['Add VAT -> Charge card', 'Check "total" [€] -> Add VAT']);
    const header = await session.page.textContent('header');
    expect(header).toContain(`states ${runs.coverage.states.covered}/${runs.coverage.states.total}`);
    expect(header).toMatch(/choices 2\/3 \(66%\)/);
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-coverage.png') });
    expect(session.errors).toEqual([]);
  });

  it('marks states named __proto__, constructor, toString, valueOf and hasOwnProperty visited, notes nothing taken from Object.prototype, and shows each when clicked', async () => {
    await open(renderHtml(PROTO, { run: await protoRun() }));
    expect(await statesWith(session, 'visited')).toEqual([...PROTO_VISITED].sort());
    expect(await session.page.textContent('#sw-canvas')).not.toMatch(/undefined|Map Runs|native code/);
    for (const [name, type] of [['__proto__', 'Pass'], ['toString', 'Map'], ['constructor', 'Task'], ['hasOwnProperty', 'Parallel'], ['propertyIsEnumerable', 'Fail']]) {
      await session.page.click(`.sw-node[data-state="${name}"]`);
      expect(await session.page.textContent('#sw-panel h2')).toBe(name);
      expect(await session.page.textContent('#sw-panel .facts')).toMatch(new RegExp(`^${type}`));
      expect(await session.page.textContent('#sw-panel pre')).toContain(`"Type": "${type}"`);
    }
    expect(session.errors).toEqual([]);
  });

  it('shows the definition of the state clicked', async () => {
    await open(renderHtml(ORDER));
    await session.page.click('.sw-node[data-state="Charge card"]');
    const panel = await session.page.textContent('#sw-panel');
    expect(panel).toContain('Charge card');
    expect(panel).toContain('"Card.Declined"');
    expect(await session.page.$$eval('.sw-node.selected', (n) => n.map((x) => x.getAttribute('data-state')))).toEqual(['Charge card']);
  });

  it('fits the whole of a tall machine and of a wide one into the first view, centred', async () => {
    for (const [definition, direction] of [[linearChain(40), 'TD'], [linearChain(40), 'LR'], [benchMachine(100), 'TD']] as const) {
      await open(renderHtml(definition, { direction }));
      const [canvas, drawing] = await session.page.evaluate(() => {
        type Element = { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } };
        const d = (globalThis as unknown as { document: { querySelector(s: string): Element } }).document;
        const box = (s: string): number[] => {
          const r = d.querySelector(s).getBoundingClientRect();
          return [r.left, r.top, r.right, r.bottom];
        };
        return [box('#sw-canvas'), box('#sw-canvas svg')];
      });
      const inside = { left: drawing[0] >= canvas[0], top: drawing[1] >= canvas[1], right: drawing[2] <= canvas[2], bottom: drawing[3] <= canvas[3] };
      expect({ direction, ...inside }).toEqual({ direction, left: true, top: true, right: true, bottom: true });
      // Centred along the side that has room to spare.
      const slack = [drawing[0] - canvas[0], canvas[2] - drawing[2], drawing[1] - canvas[1], canvas[3] - drawing[3]];
      expect(Math.abs(slack[0] - slack[1])).toBeLessThan(2);
      expect(Math.abs(slack[2] - slack[3])).toBeLessThan(2);
    }
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-fit-100-states.png') });
  });

  it('opens a machine too long to show at 1/20 of its size at its start, as wide as the window allows, and zooms out to the whole of it', async () => {
    for (const direction of ['TD', 'LR'] as const) {
      await open(renderHtml(linearChain(2000), { direction }));
      const view = await session.page.evaluate(() => {
        const g = globalThis as unknown as {
          stepwright: { view: { x: number; y: number; k: number } };
          document: { querySelector(s: string): { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } } };
        };
        const start = g.document.querySelector('.sw-node.start').getBoundingClientRect();
        const canvas = g.document.querySelector('#sw-canvas').getBoundingClientRect();
        const startInView = start.left >= canvas.left && start.top >= canvas.top && start.right <= canvas.right && start.bottom <= canvas.bottom;
        return { ...g.stepwright.view, startInView };
      });
      expect({ direction, k: view.k, startInView: view.startInView }).toEqual({ direction, k: 1, startInView: true });
      await session.page.mouse.move(500, 400);
      for (let i = 0; i < 12; i++) await session.page.mouse.wheel(0, 2000);
      const k = await session.page.evaluate(() => (globalThis as unknown as { stepwright: { view: { k: number } } }).stepwright.view.k);
      expect(k).toBeLessThan(0.01);
    }
    expect(session.errors).toEqual([]);
  }, 60_000);

  it('zooms with the wheel and pans by dragging', async () => {
    await open(renderHtml(ORDER));
    const transform = (): Promise<string> => session.page.$eval('#sw-canvas svg', (s) => (s as unknown as { style: { transform: string } }).style.transform);
    const before = await transform();
    await session.page.mouse.move(500, 400);
    await session.page.mouse.wheel(0, -400);
    const zoomed = await transform();
    expect(zoomed).not.toEqual(before);
    await session.page.mouse.down();
    await session.page.mouse.move(650, 480, { steps: 4 });
    await session.page.mouse.up();
    expect(await transform()).not.toEqual(zoomed);
  });

  it('lays out a 100-state machine with no overlapping nodes', async () => {
    await open(renderHtml(benchMachine(100)));
    expect(await session.page.locator('.sw-node[data-state]').count()).toBe(100);
    const boxes = await session.page.$$eval('.sw-node.state .shape', (shapes) => shapes.map((s) => {
      const b = (s as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }).getBBox();
      return [b.x, b.y, b.width, b.height];
    }));
    const overlap = (a: number[], b: number[]): boolean => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && overlap(a, b)));
    expect(overlaps).toEqual([]);
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-100-states.png') });
  });

  it('renders the standalone SVG with the same nodes', async () => {
    const svg = renderSvg(ORDER, { run: runs.broken });
    expect(svg.startsWith('<?xml')).toBe(true);
    await open(`<!DOCTYPE html><html><body>${svg.replace(/^<\?xml[^>]*>/, '')}</body></html>`);
    expect(await statesWith(session)).toEqual([...ORDER_STATES].sort());
    expect(await statesWith(session, 'failed')).toEqual(['Pack & label', 'Pack items', '印刷 label']);
    expect(session.errors).toEqual([]);
  });

  it('renders a standalone SVG whose state names and error hold characters XML forbids (U+0001, U+FFFF, a lone surrogate) as a document Chromium opens', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'Start\u0001here',
      States: { 'Start\u0001here': { Type: 'Pass', Next: 'Give\u001fup' }, 'Give\u001fup': { Type: 'Fail', Error: 'Broke\uFFFF\uD800', Cause: 'x' } },
    };
    const svg = renderSvg(definition, { run: { status: 'FAILED', error: 'Broke\uFFFF\uD800', path: ['Start\u0001here', 'Give\u001fup'] } });
    // As a file opened on its own: Chromium's XML parser, which replaces the whole diagram with an error on one such character.
    await session.page.goto(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    const parsed = await session.page.evaluate(() => ({
      root: document.documentElement.localName,
      errors: document.getElementsByTagName('parsererror').length,
      states: Array.from(document.querySelectorAll('.sw-node[data-state]')).map((n) => n.getAttribute('data-state')),
      text: document.documentElement.textContent ?? '',
    }));
    // The other tests write HTML into the page, which an SVG document cannot take.
    await session.page.goto('about:blank');
    expect(parsed).toMatchObject({ root: 'svg', errors: 0, states: ['Start\u2401here', 'Give\u241fup'] });
    expect(parsed.text).toContain('✗ Broke\uFFFD\uFFFD');
    expect(session.errors).toEqual([]);
  });

  it('marks failed the Task that raised an error inside a Parallel, marks caught the Parallel and the Task whose Catch handled one, and says so in the panel', async () => {
    await open(renderHtml(CAUGHT, { run: await caughtRun() }));
    expect(await statesWith(session, 'failed')).toEqual(['Charge', 'Fan out', 'Give up', 'Notify']);
    expect(await statesWith(session, 'caught')).toEqual(['Fan out', 'Notify']);
    // Drawn apart: a caught error is orange, an uncaught one red.
    const fill = (name: string): Promise<string> => session.page.$eval(`.sw-node[data-state="${name}"] .shape`, (e) => (globalThis as unknown as { getComputedStyle(x: unknown): { fill: string } }).getComputedStyle(e).fill);
    expect(await fill('Charge')).toBe('rgb(254, 202, 202)');
    expect(await fill('Notify')).toBe('rgb(255, 237, 213)');
    expect(await session.page.locator('.sw-node[data-state="Charge"] text.alert').textContent()).toBe('✗ Card.Declined');
    expect(await session.page.locator('.sw-node[data-state="Fan out"] text.alert').textContent()).toBe('✗ Card.Declined, caught');
    await session.page.click('.sw-node[data-state="Notify"]');
    expect(await session.page.textContent('#sw-panel .error')).toBe('✗ Mail.Down, caught');
    await session.page.click('.sw-node[data-state="Give up"]');
    expect(await session.page.textContent('#sw-panel .error')).toBe('✗ Order.Failed: nothing worked');
    expect(await session.page.textContent('.sw-legend')).toContain('error caught');
    await session.page.screenshot({ path: path.join(REPORT_DIR, 'html-caught-errors.png') });
    expect(session.errors).toEqual([]);
  });
});
