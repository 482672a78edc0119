import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapRuns, ORDER, ORDER_STATES, pricingMap } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/types';
import { renderHtml, renderSvg } from '../../src/render';
import { extractStateMachines } from '../../src/testing/template';
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

  it('uses the title given, else the definition\'s Comment', () => {
    expect(renderHtml(ORDER)).toContain(`<title>${ORDER.Comment}</title>`);
    expect(renderHtml(ORDER, { title: 'Orders & <refunds>' })).toContain('<title>Orders &amp; &lt;refunds&gt;</title>');
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
