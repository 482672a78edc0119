import { parse } from 'yaml';
import { CAUGHT, caughtRun, mapRuns, ORDER, orderRuns, pricingMap, PROTO, PROTO_VISITED, protoRun, type MapRuns, type OrderRuns } from './fixtures';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { renderMermaid, RenderError } from '../../src/render';
import { MAX_NESTING } from '../../src/render/graph';
import { mermaidText } from '../../src/render/mermaid';
import { describeRule } from '../../src/render/rules';
import { MERMAID_IN_FAILURES_ENV, toSucceed } from '../../src/testing/matchers';

const def = (d: object): StateMachineDefinition => d as StateMachineDefinition;

/** The line declaring the node of `name` (by its label). */
function nodeLine(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.includes(`"${mermaidText(name)}`));
  if (!line) throw new Error(`no node labelled ${name} in\n${text}`);
  return line.trim();
}

/** The id the diagram gave a state. */
function idOf(text: string, name: string): string {
  const line = nodeLine(text, name);
  return /^(?:subgraph )?(s\d+)/.exec(line)![1];
}

/** The ids given each class by the diagram's `class` lines. */
function classesOf(text: string): Record<string, string[]> {
  return Object.fromEntries(text.split('\n').filter((l) => l.trim().startsWith('class ')).map((l) => {
    const [, ids, cls] = l.trim().split(' ');
    return [cls, ids.split(',').sort()];
  }));
}

let runs: OrderRuns;
let maps: MapRuns;
beforeAll(async () => { [runs, maps] = await Promise.all([orderRuns(), mapRuns()]); });

describe('renderMermaid', () => {
  const text = (): string => renderMermaid(ORDER);

  it('draws a flowchart with Start and End nodes, the start edge and edges from terminal states to End', () => {
    const t = text();
    expect(t.startsWith('flowchart TD\n')).toBe(true);
    expect(t).toContain('sw_start(("Start"))');
    expect(t).toContain('sw_end((("End")))');
    expect(t).toContain(`sw_start --> ${idOf(t, 'Check "total" [€]')}`);
    expect(t).toContain(`${idOf(t, 'Done')} --> sw_end`);
    expect(t).toContain(`${idOf(t, 'Declined <b>#1</b>')} --> sw_end`);
  });

  it('gives each state type its shape', () => {
    const t = text();
    expect(nodeLine(t, 'Charge card')).toMatch(/^s\d+\["Charge card/);
    expect(nodeLine(t, 'Check "total" [€]')).toMatch(/^s\d+\{"/);
    expect(nodeLine(t, 'Add VAT')).toMatch(/^s\d+\[\/"Add VAT"\/\]$/);
    expect(nodeLine(t, 'Wait for approval')).toMatch(/^s\d+\{\{"Wait for approval"\}\}$/);
    expect(nodeLine(t, 'Done')).toMatch(/^s\d+\(\["Done"\]\)$/);
    expect(nodeLine(t, 'Declined <b>#1</b>')).toMatch(/^s\d+\[\["/);
  });

  it('labels Choice edges with their rule in words and the Default edge with default', () => {
    const t = text();
    const choice = idOf(t, 'Check "total" [€]');
    expect(t).toContain(`${choice} -->|"total #gt; 1000"| ${idOf(t, 'Wait for approval')}`);
    expect(t).toContain(`${choice} -->|"country == #quot;DE#quot; and not vat is present"| ${idOf(t, 'Add VAT')}`);
    expect(t).toContain(`${choice} -->|"default"| ${idOf(t, 'Charge card')}`);
  });

  it('draws Catch edges dashed and labelled with their errors', () => {
    const t = text();
    expect(t).toContain(`${idOf(t, 'Charge card')} -.->|"Card.Declined"| ${idOf(t, 'Declined <b>#1</b>')}`);
  });

  it('writes Retry on its state', () => {
    expect(nodeLine(text(), 'Charge card')).toBe('s3["Charge card<br/>retry ×3, backoff 2 on Card.Busy"]');
    const plain = renderMermaid(def({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Retry: [{ ErrorEquals: ['States.ALL'] }] } } }));
    expect(nodeLine(plain, 'T')).toBe('s0["T<br/>retry ×3, backoff 2"]');
  });

  it('draws Map item processors and Parallel branches as subgraphs nested to any depth', () => {
    const t = text();
    const lines = t.split('\n');
    const at = (s: string): number => lines.findIndex((l) => l.includes(s));
    const map = at('subgraph s4["Pack items · Map"]');
    const parallel = at('subgraph s5["Pack & label · Parallel"]'.replace('&', '#amp;'));
    const branch = at('subgraph s5_b1["Branch 2"]');
    const leaf = at(`["${mermaidText('印刷 label')}"]`);
    expect([map, parallel, branch, leaf].every((i) => i > 0)).toBe(true);
    expect(map).toBeLessThan(parallel);
    expect(parallel).toBeLessThan(branch);
    expect(branch).toBeLessThan(leaf);
    // Indentation follows the nesting: Map (2), Parallel (4), branch (6), state (8).
    expect(lines[leaf].match(/^ */)![0].length).toBe(8);
    expect(t).toContain(`${idOf(t, 'Charge card')} --> s4`);
    expect(t).toContain(`s4 --> ${idOf(t, 'Done')}`);
  });

  it('escapes names so quotes, brackets, # and HTML cannot break the syntax; ids never come from names', () => {
    expect(mermaidText('a "b" [c] {d} #e <f> & `g` 印')).toBe('a #quot;b#quot; [c] {d} #35;e #lt;f#gt; #amp; #96;g#96; 印');
    const t = renderMermaid(def({ StartAt: 'end', States: { 'end': { Type: 'Pass', Next: 'a"]-->x' }, 'a"]-->x': { Type: 'Succeed' } } }));
    expect(t).toContain('s0[/"end"/]');
    expect(t).toContain('s1(["a#quot;]--#gt;x"])');
    expect(t).toContain('s0 --> s1');
  });

  it('writes control characters, the marks that reorder a line and half a surrogate pair as entities, so printed the chart drives no terminal', () => {
    expect(mermaidText('a\u001b]0;t\u0007b\u009b31m\u202ec\u2028d\ud800e\u007f')).toBe('a#27;]0;t#7;b#155;31m#8238;c#8232;d#65533;e#127;');
    // A pair stays a pair, and a # written by the name is escaped once, not the entities made here.
    expect(mermaidText('\ud83d\ude00 #1')).toBe('\ud83d\ude00 #35;1');
  });

  it('writes the marks that drive a terminal or reorder a line in the title as \\u escapes, which its YAML reads back as they were', () => {
    const title = 'a\u001b]0;t\u0007b\u009b31m\u202ec\u2028d\u007f';
    const t = renderMermaid(def({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), { title });
    const line = t.split('\n')[1];
    expect(line).toBe('title: "a\\u001b]0;t\\u0007b\\u009b31m\\u202ec\\u2028d\\u007f"');
    expect(parse(t.split('---')[1])).toEqual({ title });
  });

  it('writes % and single quotes in every label as entities, so no name, rule, error or title can carry a %%{init}%% directive', () => {
    expect(mermaidText("50% off, 'quoted'")).toBe('50#37; off, #39;quoted#39;');
    const directive = "%%{init:{'theme':'dark','themeCSS':'.node rect{fill:red}'}}%%";
    const t = renderMermaid(def({
      StartAt: `Pay${directive}`,
      States: {
        [`Pay${directive}`]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Next: `Route${directive}`,
          Catch: [{ ErrorEquals: [`Declined${directive}`], Next: `Map${directive}` }],
        },
        [`Route${directive}`]: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: directive, Next: `Map${directive}` }], Default: `Map${directive}` },
        [`Map${directive}`]: {
          Type: 'Map',
          End: true,
          ItemProcessor: { StartAt: `Item${directive}`, States: { [`Item${directive}`]: { Type: 'Fail', Error: `E${directive}` } } },
        },
      },
    }), { title: `Title ${directive}`, run: { status: 'FAILED', error: `Err${directive}`, path: [`Pay${directive}`, `Map${directive}`, `Item${directive}`] } });
    // The title sits in the front matter, which Mermaid reads as YAML before it looks for directives.
    const body = t.slice(t.indexOf('flowchart'));
    expect(body).not.toContain('%');
    expect(body).not.toContain("'");
    const escaped = '#37;#37;{init:{#39;theme#39;:#39;dark#39;,#39;themeCSS#39;:#39;.node rect{fill:red}#39;}}#37;#37;';
    // In the state names, the Map's subgraph title, the Catch edge, the Choice rule and the run's error note.
    for (const label of [`Pay${escaped}`, `Route${escaped}`, `Map${escaped} · Map`, `Item${escaped}`, `|"Declined${escaped}"|`, `x == #quot;${escaped}#quot;`, `✗ Err${escaped}`]) {
      expect(body).toContain(label);
    }
  });

  it('draws the run of states named __proto__, constructor, toString, valueOf and hasOwnProperty as visited, with no note taken from Object.prototype', async () => {
    const t = renderMermaid(PROTO, { run: await protoRun() });
    expect(t).not.toMatch(/undefined|Map Runs|function|native code/);
    const visited = /class ([\w,]+) swVisited/.exec(t)![1].split(',').sort();
    expect(visited).toEqual(PROTO_VISITED.map((name) => idOf(t, name)).sort());
    expect(nodeLine(t, 'constructor')).toContain('retried 1×');
    expect(nodeLine(t, 'toString · Map')).toContain('2 iterations, 2 succeeded');
    expect(nodeLine(t, '__proto__')).toBe(`${idOf(t, '__proto__')}[/"__proto__"/]`);
  });

  it('reads a Choice rule with a key named as an Object.prototype member as a rule it does not know', () => {
    expect(describeRule({ Variable: '$.x', toString: true, Next: 'A' } as never)).toBe('x ?');
    expect(describeRule({ Variable: '$.x', constructor: 1, Next: 'A' } as never)).toBe('x ?');
  });

  it.each(['constructor', 'toString', '__proto__', 'Lambda'])('refuses a state of Type %j with a RenderError that lists the state types', (type) => {
    const bad = JSON.parse(`{ "StartAt": "A", "States": { "A": { "Type": ${JSON.stringify(type)}, "End": true } } }`) as StateMachineDefinition;
    expect(() => renderMermaid(bad)).toThrow(RenderError);
    expect(() => renderMermaid(bad)).toThrow(`state 'A' (the definition.States) has Type "${type}", which is not a state type: use Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map`);
  });

  it('takes a definition as it was read, unchecked, and names in a RenderError what it cannot draw', () => {
    // A DrawableDefinition is any object: tsc (test/tsconfig.json) refuses these calls where render typed its input a checked definition.
    const read: object = JSON.parse('{ "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } }');
    expect(renderMermaid(read)).toContain('"A"');
    const noStates: object = JSON.parse('{ "StartAt": "A" }');
    expect(() => renderMermaid(noStates)).toThrow('the definition.States is missing: a definition needs States');
  });

  it('refuses Parallel states nested deeper than it draws with a RenderError, never a stack overflow', () => {
    const nested = (depth: number): StateMachineDefinition => {
      let inner: object = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true } } };
      for (let i = 0; i < depth; i++) inner = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [inner], End: true } } };
      return inner as StateMachineDefinition;
    };
    expect(renderMermaid(nested(MAX_NESTING))).toContain('subgraph');
    for (const depth of [MAX_NESTING + 1, 5000]) {
      expect(() => renderMermaid(nested(depth))).toThrow(RenderError);
      expect(() => renderMermaid(nested(depth))).toThrow(`is nested ${MAX_NESTING + 1} Parallel or Map states deep; at most ${MAX_NESTING} can be drawn`);
    }
  });

  it('draws a run: entered states, the Task that raised the error in a Parallel in a Map and both containers failed, and the taken edges by index', () => {
    const t = renderMermaid(ORDER, { run: runs.broken });
    expect(t).toContain(`${idOf(t, '印刷 label')}["${mermaidText('印刷 label')}<br/>✗ Printer.Jammed"]`);
    const classes = classesOf(t);
    expect(classes.swFailed).toEqual([idOf(t, '印刷 label'), idOf(t, 'Pack items · Map'), idOf(t, 'Pack & label · Parallel')].sort());
    expect(classes.swVisited).toEqual(['s0', 's3', 's6'].sort());
    const edges = t.split('\n').filter((l) => /^\s+(s\d+|sw_start|sw_end) -/.test(l));
    const styled = /linkStyle ([\d,]+) stroke:#1d4ed8/.exec(t)![1].split(',').map(Number);
    expect(styled.map((i) => edges[i].trim()).sort()).toEqual(['s0 -->|"default"| s3', 's3 --> s4', 'sw_start --> s0'].sort());
  });

  it('draws the Task that raised an error in a Parallel branch failed, and the Parallel and the Task whose Catch handled an error as caught', async () => {
    const t = renderMermaid(CAUGHT, { run: await caughtRun() });
    const classes = classesOf(t);
    expect(classes.swFailed).toEqual([idOf(t, 'Charge'), idOf(t, 'Give up')].sort());
    expect(classes.swCaught).toEqual([idOf(t, 'Fan out · Parallel'), idOf(t, 'Notify')].sort());
    expect(nodeLine(t, 'Charge')).toContain('<br/>✗ Card.Declined"]');
    expect(nodeLine(t, 'Notify')).toContain('<br/>✗ Mail.Down, caught"]');
    expect(nodeLine(t, 'Fan out · Parallel')).toContain(' · ✗ Card.Declined, caught"]');
    expect(nodeLine(t, 'Give up')).toContain('<br/>✗ Order.Failed"]]');
  });

  it('notes a failure whose error the history does not name (`stepwright run --json --history`) as failed or caught', async () => {
    const run = await caughtRun();
    const history = run.history.map((e) => {
      const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
      return { id: e.id, type: e.type, ...(d?.name ? { state: d.name } : {}) };
    });
    const t = renderMermaid(CAUGHT, { run: { status: 'FAILED', error: 'Order.Failed', path: run.path, history } });
    expect(nodeLine(t, 'Charge')).toContain('<br/>✗ failed"]');
    expect(nodeLine(t, 'Notify')).toContain('<br/>✗ caught"]');
    expect(nodeLine(t, 'Fan out · Parallel')).toContain(' · ✗ caught"]');
  });

  it('notes retries, Map iterations and Parallel branch runs on their states', () => {
    const t = renderMermaid(ORDER, { run: runs.succeeded });
    expect(nodeLine(t, 'Charge card')).toContain('<br/>retried 2×');
    expect(t).toContain('subgraph s4["Pack items · Map · 2 iterations, 2 succeeded"]');
    expect(t).toContain('subgraph s5["Pack #amp; label · Parallel · ran 2×, 4 branch runs, 4 succeeded"]');
  });

  it('notes how many of a Map\'s iterations and a Parallel\'s branch runs failed', () => {
    const t = renderMermaid(ORDER, { run: runs.broken });
    expect(t).toContain('subgraph s4["Pack items · Map · 1 iteration, 1 failed · ✗ Printer.Jammed"]');
    expect(t).toContain('subgraph s5["Pack #amp; label · Parallel · 2 branches run, 1 succeeded, 1 failed · ✗ Printer.Jammed"]');
  });

  it('titles a Map whose 2 of 5 iterations failed with 5 iterations, 3 succeeded, 2 failed, when it tolerated them and when it failed', () => {
    const tolerated = renderMermaid(pricingMap(2), { run: maps.tolerated });
    expect(tolerated).toContain('subgraph s0["Price items · Map · 5 iterations, 3 succeeded, 2 failed"]');
    // The Task failed in two iterations; the Map tolerated it and did not fail.
    expect(tolerated).toContain('s1["Price<br/>✗ Price.Missing ×2"]');
    expect(classesOf(tolerated).swFailed).toEqual(['s1']);
    const failed = renderMermaid(pricingMap(1), { run: maps.exceeded });
    // The fifth iteration never ends in this history: the Map failed as the fourth one did.
    expect(failed).toContain('subgraph s0["Price items · Map · 5 iterations, 2 succeeded, 2 failed, 1 unfinished · ✗ States.ExceedToleratedFailureThreshold"]');
    expect(classesOf(failed).swFailed).toEqual(['s0', 's1']);
  });

  it('draws coverage: never-exercised states, never-taken branches and the percentages in the title', () => {
    const t = renderMermaid(ORDER, { coverage: runs.coverage, title: 'Order' });
    expect(t.split('\n').slice(0, 3)).toEqual(['---', 'title: "Order — coverage: states 9/10 (90%) · transitions 6/8 (75%) · choices 2/3 (66%) · catches 1/1 (100%) · retries 1/1 (100%)"', '---']);
    expect(t).toContain(`class ${idOf(t, 'Add VAT')} swUncovered`);
    const edges = t.split('\n').filter((l) => /^\s+(s\d+|sw_start|sw_end) -/.test(l));
    const missed = /linkStyle ([\d,]+) stroke:#d97706/.exec(t)![1].split(',').map(Number);
    expect(missed.map((i) => edges[i].trim())).toEqual(['s0 -->|"country == #quot;DE#quot; and not vat is present"| s2', 's2 --> s3']);
  });

  it('notes a retrier the tests never exercised on its state', () => {
    const coverage = { ...runs.coverage, retries: { covered: 0, total: 1, missed: ['Charge card#0'] } };
    expect(nodeLine(renderMermaid(ORDER, { coverage }), 'Charge card')).toBe('s3["Charge card<br/>retry ×3, backoff 2 on Card.Busy<br/>retry never exercised"]');
  });

  it('lays out left to right on request', () => {
    expect(renderMermaid(ORDER, { direction: 'LR' }).startsWith('flowchart LR\n')).toBe(true);
  });

  it.each([
    [{ States: {} }, /StartAt is missing/],
    [{ StartAt: 'A' }, /States is missing/],
    [{ StartAt: 'A', States: { A: { Next: 'B' } } }, /state 'A' .* has no Type/],
    [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }, /state 'A' Next names 'B', which is not a state/],
    [{ StartAt: 'Z', States: { A: { Type: 'Succeed' } } }, /StartAt names 'Z'/],
    [{ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X' }], End: true } } }, /state 'P' Branches\[0\].States is missing/],
  ])('refuses a malformed definition with a RenderError naming the field: %j', (bad, message) => {
    expect(() => renderMermaid(def(bad))).toThrow(RenderError);
    expect(() => renderMermaid(def(bad))).toThrow(message);
  });
});

describe('Choice rules in words', () => {
  it.each([
    [{ Variable: '$.total', NumericGreaterThan: 1000 }, 'total > 1000'],
    [{ Variable: '$.n', NumericLessThanEquals: 3 }, 'n <= 3'],
    [{ Variable: '$.a', NumericEqualsPath: '$.b' }, 'a == b'],
    [{ Variable: '$.s', StringMatches: 'log-*.txt' }, 's matches "log-*.txt"'],
    [{ Variable: '$.t', TimestampGreaterThanEquals: '2024-01-01T00:00:00Z' }, 't >= "2024-01-01T00:00:00Z"'],
    [{ Variable: '$.ok', BooleanEquals: false }, 'ok == false'],
    [{ Variable: '$.x', IsNull: false }, 'x is not null'],
    [{ Variable: '$$.Execution.Name', IsString: true }, '$$.Execution.Name is a string'],
    [{ Or: [{ Variable: '$.a', NumericLessThan: 0 }, { And: [{ Variable: '$.b', StringEquals: 'x' }, { Variable: '$.c', IsPresent: true }] }] }, 'a < 0 or (b == "x" and c is present)'],
    [{ Condition: '{% $states.input.total > 1000 %}' }, '$states.input.total > 1000'],
  ])('%j reads %s', (rule, words) => {
    expect(describeRule(rule as never)).toBe(words);
  });

  it('shortens a very long rule with an ellipsis', () => {
    const words = describeRule({ Condition: `{% ${'$a and '.repeat(30)}$b %}` } as never);
    expect(words.length).toBe(80);
    expect(words.endsWith('…')).toBe(true);
  });

  it('refuses a direction other than TD or LR from an untyped caller with a RenderError, never writing it into the chart', () => {
    const direction = 'TD\n  click sw_start href "javascript:alert(1)"';
    const draw = (): string => renderMermaid(def({ StartAt: 'A', States: { A: { Type: 'Succeed' } } }), { direction } as never);
    expect(draw).toThrow(RenderError);
    expect(draw).toThrow('direction must be \'TD\' or \'LR\', got "TD\\n  click sw_start href \\"javascript:ale"');
  });

  it('refuses a Choice rule nested 20,000 deep (built in memory) with a RenderError naming where, not a stack overflow', () => {
    let rule: object = { Variable: '$.x', IsPresent: true };
    for (let i = 0; i < 20_000; i++) rule = { Not: rule };
    const deep = def({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'E' }], Default: 'E' }, E: { Type: 'Succeed' } } });
    expect(() => renderMermaid(deep)).toThrow(RenderError);
    expect(() => renderMermaid(deep)).toThrow(/nesting deeper than 1000 levels at \$\.States\.C\.Choices\[0\]\.Not\.Not/);
  });


  it('puts a rule naming the same rules again and again (2^60 of them, in memory) in words at once, cut short', () => {
    let rule: object = { Variable: '$.x', IsPresent: true };
    for (let i = 0; i < 60; i++) rule = { And: [rule, rule] };
    const words = describeRule(rule as never);
    expect(words).toMatch(/^\(\(\(.*…$/);
    expect(words.length).toBeLessThanOrEqual(80);
  });
});

describe('WorkflowRun.toMermaid and matcher messages', () => {
  afterEach(() => { delete process.env[MERMAID_IN_FAILURES_ENV]; });

  it('draws the run on its own definition', () => {
    expect(runs.broken.toMermaid()).toBe(renderMermaid(ORDER, { run: runs.broken }));
    expect(runs.broken.toMermaid({ direction: 'LR' }).startsWith('flowchart LR')).toBe(true);
  });

  it('ends a failure message with the Mermaid path only when STEPWRIGHT_MERMAID is set', () => {
    const ctx = { equals: (a: unknown, b: unknown) => a === b } as never;
    expect(toSucceed.call(ctx, runs.broken).message()).not.toContain('```mermaid');
    process.env[MERMAID_IN_FAILURES_ENV] = '1';
    const message = toSucceed.call(ctx, runs.broken).message();
    expect(message).toContain('```mermaid\nflowchart TD');
    expect(message).toContain('✗ Printer.Jammed');
  });
});
