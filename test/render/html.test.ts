import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dagre from '@dagrejs/dagre';
import { CAUGHT, catchIntoEveryOther, caughtRun, linearChain, mapRuns, ORDER, ORDER_STATES, pricingMap, sharedHandler } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { renderHtml, renderSvg, RenderError } from '../../src/render';
import { fail, Workflow } from '../../src/testing';
import { extractStateMachines } from '../../src/workbench/template';
import { itWithShared, sharedPath } from '../shared-data';

const CORPUS = sharedPath('cdk-templates');

/** `data-state` values of the nodes in the markup, XML entities decoded. */
function nodeNames(markup: string): string[] {
  const decode = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...markup.matchAll(/class="sw-node [^"]*" data-state="([^"]*)"/g)].map((m) => decode(m[1])).sort();
}

describe('renderHtml', () => {
  it('is one file that loads nothing: no external script, style, font or image, and a CSP that forbids them', () => {
    const html = renderHtml(ORDER);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
    expect(html).toContain('content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:"');
    expect(nodeNames(html)).toEqual([...ORDER_STATES].sort());
  });

  it('keeps a state name that closes a script element inside the embedded data', () => {
    const tricky = { StartAt: '</script><script>alert(1)</script>', States: { '</script><script>alert(1)</script>': { Type: 'Succeed' } } } as unknown as StateMachineDefinition;
    const html = renderHtml(tricky);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>');
  });

  it('writes a Map\'s iterations on its header in the HTML and in the SVG: 5 iterations, 3 succeeded, 2 failed', async () => {
    const { tolerated, exceeded } = await mapRuns();
    const header = (markup: string): string[] => {
      const node = /<g class="sw-node fork[^"]*" data-state="Price items"[^>]*>(.*?)<\/g>/.exec(markup)![1];
      return [...node.matchAll(/<text class="note[^"]*"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    };
    for (const markup of [renderHtml(pricingMap(2), { run: tolerated }), renderSvg(pricingMap(2), { run: tolerated })]) {
      expect(header(markup)).toEqual(['Map', '5 iterations, 3 succeeded, 2 failed']);
    }
    expect(header(renderSvg(pricingMap(1), { run: exceeded }))).toEqual(['Map', '5 iterations, 2 succeeded, 2 failed, 1 unfinished', '✗ States.ExceedToleratedFailureThreshold']);
  });

  describe('the header of a run that failed', () => {
    /** A Saga: Charge's error is caught into the compensation, which ends in the Fail state. */
    const SAGA: StateMachineDefinition = {
      StartAt: 'Reserve stock',
      States: {
        'Reserve stock': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'reserve' }, ResultPath: null, Next: 'Charge card' },
        'Charge card': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'charge' },
          ResultPath: null,
          End: true,
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Release stock' }],
        },
        'Release stock': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'release' }, ResultPath: null, Next: 'Order failed' },
        'Order failed': { Type: 'Fail', Error: 'Order.Failed', Cause: 'compensated' },
      },
    };
    const header = (html: string) => /<span class="error">(.*?)<\/span>/.exec(html)?.[1];

    it('names both the Task whose error started a Saga\'s compensation and the Fail state that ended it', async () => {
      const run = await Workflow.fromDefinition(SAGA).run({}, { mocks: { 'Reserve stock': {}, 'Charge card': fail('Payment.Declined'), 'Release stock': {} } });
      expect(run.status).toBe('FAILED');
      expect(header(renderHtml(SAGA, { run }))).toBe('Order.Failed: compensated (in Order failed, after Charge card failed with Payment.Declined)');
    });

    it('names only the state a failure with no Catch on the way ended in', async () => {
      const run = await Workflow.fromDefinition(SAGA).run({}, { mocks: { 'Reserve stock': fail('Stock.Out', 'none left') } });
      expect(header(renderHtml(SAGA, { run }))).toBe('Stock.Out: none left (in Reserve stock)');
    });
  });

  it('uses the title given, else the definition\'s Comment', () => {
    expect(renderHtml(ORDER)).toContain(`<title>${ORDER.Comment}</title>`);
    expect(renderHtml(ORDER, { title: 'Orders & <refunds>' })).toContain('<title>Orders &amp; &lt;refunds&gt;</title>');
  });

  it('titles the page and the SVG with the machine\'s name, the one given or the one in the run\'s ARN, with the Comment under it', async () => {
    const run = await caughtRun();
    const html = renderHtml(CAUGHT, { run });
    expect(html).toContain('<title>Caught</title>');
    expect(html).toContain('<h1>Caught</h1>\n<span class="sw-comment">Fan out, with every error caught on the way to the Fail state</span>');
    expect(renderSvg(CAUGHT, { run })).toContain('role="img">\n<title>Caught</title>');
    expect(renderHtml(CAUGHT, { run, name: 'Checkout' })).toContain('<title>Checkout</title>');
    expect(renderHtml(CAUGHT, { run, name: 'Checkout', title: 'Checkout, declined' })).toContain('<title>Checkout, declined</title>');
    const arns: Array<[object, string]> = [
      [{ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Billing:prod' }, 'Billing'],
      [{ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Billing:run-7' }, 'Billing'],
      [{ executionArn: 'arn:aws:states:eu-west-1:123456789012:express:Billing:run-7:0b5c' }, 'Billing'],
      [{ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Billing/Items:0b5c' }, 'Billing'],
      [{ executionArn: 'not an arn' }, CAUGHT.Comment!],
    ];
    for (const [ids, title] of arns) expect(renderHtml(CAUGHT, { run: { ...ids, path: run.path } })).toContain(`<title>${title}</title>`);
  });

  it('draws a linear chain of 5,000 states as SVG and as HTML, where dagre\'s own recursive steps exhausted the stack past 2,000', () => {
    const chain = linearChain(5000);
    const svg = renderSvg(chain);
    expect(svg.match(/class="sw-node state[^"]*" data-state=/g)).toHaveLength(5000);
    // Top-down: each state one rank below the one before it.
    const ys = [...svg.matchAll(/data-state="S(\d+)".*?<text class="name" x="[^"]*" y="([^"]*)"/g)]
      .map((m) => [Number(m[1]), Number(m[2])]).sort((a, b) => a[0] - b[0]).map(([, y]) => y);
    expect(ys).toHaveLength(5000);
    expect(ys.every((y, i) => i === 0 || y > ys[i - 1])).toBe(true);
    expect(renderHtml(chain).match(/class="sw-node state[^"]*" data-state=/g)).toHaveLength(5000);
  }, 60_000);

  it('refuses, with a RenderError that says what to do, a machine whose catches would need a layout too large to draw', () => {
    // Laid out once: the one refusal is checked for its class and its message.
    let refusal: unknown;
    try {
      renderSvg(sharedHandler(400));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RenderError);
    expect((refusal as Error).message).toMatch(/too large to lay out: .*--format mermaid/);
  });

  it('refuses states that each catch into every other before dagre lays them out, counting the rows they would pass', () => {
    // dagre's layout starts by building a graph of its own: the only graph set up is the one handed to it.
    const setGraph = jest.spyOn(dagre.graphlib.Graph.prototype, 'setGraph');
    try {
      // 200 states, 40,000 transitions: fewer than the rows allowed, but laid out they would pass 5,293,601.
      expect(() => renderSvg(catchIntoEveryOther(200))).toThrow(new RenderError('the diagram is too large to lay out: its transitions would pass 5293601 rows '
        + 'of the layout in all (at most 50000), as when many states catch into one handler drawn far below them; '
        + 'draw it as Mermaid (`stepwright render --format mermaid`, renderMermaid, MCP\'s render tool) or render parts of the machine separately'));
      expect(setGraph).toHaveBeenCalledTimes(1);
    } finally {
      setGraph.mockRestore();
    }
  });

  it('refuses more transitions in one scope than rows allowed before it builds a graph of them', () => {
    const setEdge = jest.spyOn(dagre.graphlib.Graph.prototype, 'setEdge');
    try {
      // 230 × 230 transitions: each passes a row at least.
      expect(() => renderSvg(catchIntoEveryOther(230))).toThrow(/too large to lay out: its transitions would pass at least 52901 rows of the layout in all \(at most 50000\)/);
      expect(setEdge).not.toHaveBeenCalled();
    } finally {
      setEdge.mockRestore();
    }
  });

  itWithShared('cdk-templates', 'lays out all 79 state machines of ../shared/cdk-templates with a node per state', () => {
    const index = JSON.parse(fs.readFileSync(path.join(CORPUS, 'INDEX.json'), 'utf8')) as { files: Array<{ file: string }> };
    let machines = 0;
    for (const { file } of index.files) {
      for (const m of extractStateMachines(JSON.parse(fs.readFileSync(path.join(CORPUS, file), 'utf8')) as object)) {
        const names: string[] = [];
        const visit = (sub: { States: Record<string, { Branches?: unknown[]; ItemProcessor?: unknown; Iterator?: unknown }> }): void => {
          for (const [name, s] of Object.entries(sub.States)) {
            names.push(name);
            for (const b of (s.Branches ?? []) as Array<typeof sub>) visit(b);
            const inner = (s.ItemProcessor ?? s.Iterator) as typeof sub | undefined;
            if (inner) visit(inner);
          }
        };
        visit(m.definition as unknown as Parameters<typeof visit>[0]);
        expect({ file, nodes: nodeNames(renderSvg(m.definition)) }).toEqual({ file, nodes: names.sort() });
        machines++;
      }
    }
    expect(machines).toBe(79);
  }, 60_000);
});
