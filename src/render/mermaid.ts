import { buildGraph, END, START, type DiagramEdge, type DiagramGraph, type DiagramState, type DrawableDefinition } from './graph';
import { computeMarks, coverageLines, type Marks } from './marks';
import { pathFromRun, type CoverageData, type ExecutionData } from './overlay';
import { RenderError } from './render-error';
import { jsonWithoutMarks, LINE_MARKS } from './text-marks';
import type { StateType } from '../asl';

/** Options of {@link renderMermaid} and {@link renderHtml}. */
export interface RenderOptions {
  /**
   * An execution to draw on the machine: entered states and taken edges are
   * highlighted; the state the execution failed in is red with its error, and
   * so is every state a visit of which ended in an error (the Task in a
   * Parallel branch or Map iteration that raised it, each Parallel or Map
   * that failed with it), orange where its Catch handled the error;
   * retries and Map or Parallel runs are noted on their states. A `WorkflowRun`, the
   * interpreter's result, `stepwright run --json` output or
   * GetExecutionHistory output.
   * @default - no execution drawn
   */
  readonly run?: ExecutionData;
  /**
   * Coverage of the machine (an entry of `machines` in
   * `stepwright-coverage.json`, or of `coverageSummary()`): states,
   * transitions, Choice rules and Catch handlers never exercised are drawn
   * apart, and the percentages are shown.
   * @default - no coverage drawn
   */
  readonly coverage?: CoverageData;
  /**
   * A title above the diagram.
   * @default - none in Mermaid; in HTML and SVG the machine's name (`name`,
   * else the one in the run's `stateMachineArn` or `executionArn`), else the
   * definition's Comment, else 'State machine'
   */
  readonly title?: string;
  /**
   * The state machine's name: the HTML page's and the SVG's title when no
   * `title` is given (the definition's Comment is then shown under it).
   * `stepwright render` passes the StateMachineName or construct id from a
   * template or cdk.out, and the file's name for an ASL file.
   * @default - the name in the run's `stateMachineArn` or `executionArn`, when there is a run
   */
  readonly name?: string;
  /**
   * Direction of the flow: top-down or left-to-right.
   * @default 'TD'
   */
  readonly direction?: 'TD' | 'LR';
}

/** Mermaid node shapes per state type; Parallel and Map are subgraphs. A `Map`: a state's Type is the definition's string. */
const SHAPES = new Map<StateType, [open: string, close: string]>([
  ['Task', ['["', '"]']],
  ['Pass', ['[/"', '"/]']],
  ['Choice', ['{"', '"}']],
  ['Wait', ['{{"', '"}}']],
  ['Succeed', ['(["', '"])']],
  ['Fail', ['[["', '"]]']],
]);

/** Class styles; only those a diagram uses are written. */
const STYLES: Record<string, string> = {
  swSucceed: 'fill:#dcfce7,stroke:#16a34a',
  swFail: 'fill:#fef2f2,stroke:#b91c1c',
  swVisited: 'fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px',
  swFailed: 'fill:#fecaca,stroke:#dc2626,stroke-width:3px,color:#7f1d1d',
  swCaught: 'fill:#ffedd5,stroke:#ea580c,stroke-width:3px,color:#7c2d12',
  swUncovered: 'fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 3,color:#6b7280',
};
const TAKEN_STYLE = 'stroke:#1d4ed8,stroke-width:3px';
const MISSED_STYLE = 'stroke:#d97706,stroke-width:2px,stroke-dasharray:4 3';

/** What mermaidText writes as a numeric entity, beside the characters it names. */
const MERMAID_UNSAFE = new RegExp(`[\\u0000-\\u001f]|${LINE_MARKS.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`, 'g');

/**
 * Text safe inside a quoted Mermaid label: Mermaid reads `#name;` as an
 * entity, so `#`, quotes, angle brackets, `&` and backticks are written as
 * entities; line breaks become spaces. `%` is written as an entity too:
 * Mermaid takes `%%{init: …}%%` anywhere in the text, even inside a quoted
 * label, as configuration (theme, CSS), so a state name must never be able
 * to spell one. Other control characters, the marks that reorder a line
 * ({@link LINE_MARKS}) and half a surrogate pair are written as `#<code>;`
 * entities too (half a pair as U+FFFD): the drawing shows the same, and
 * printed to a terminal the text cannot drive it. Any other character
 * (unicode too) stays as it is.
 * @internal
 */
export function mermaidText(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/%/g, '#37;')
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/'/g, '#39;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    // Last, so that the `#` of these entities is not escaped again.
    .replace(MERMAID_UNSAFE, (c) => `#${c >= '\ud800' && c <= '\udfff' ? 0xfffd : c.charCodeAt(0)};`);
}

function label(lines: readonly string[]): string {
  return lines.map(mermaidText).join('<br/>');
}

function stateLines(s: DiagramState, marks: Marks): string[] {
  const head = s.type === 'Parallel' || s.type === 'Map' ? `${s.name} · ${s.type}` : s.name;
  return [head, ...s.retry, ...(marks.notes.get(s.name) ?? [])];
}

function endpoint(graph: DiagramGraph, name: string): string {
  if (name === START || name === END) return name;
  return graph.states.get(name)!.id;
}

function edgeLine(graph: DiagramGraph, e: DiagramEdge): string {
  const arrow = e.kind === 'catch' ? '-.->' : '-->';
  const text = e.label !== undefined ? `|"${mermaidText(e.label)}"|` : '';
  return `${endpoint(graph, e.from)} ${arrow}${text} ${endpoint(graph, e.to)}`;
}

/**
 * The Mermaid flowchart of a graph and its overlays.
 * @internal
 */
export function mermaidOf(graph: DiagramGraph, marks: Marks, options: RenderOptions & { coverage?: CoverageData }): string {
  const out: string[] = [];
  const title = [options.title, ...(options.coverage ? [`coverage: ${coverageLines(options.coverage).join(' · ')}`] : [])]
    .filter((t): t is string => t !== undefined && t !== '');
  // A YAML double-quoted scalar, as JSON text is one: its \u escapes read back as the same title.
  if (title.length) out.push('---', `title: ${jsonWithoutMarks(JSON.stringify(title.join(' — ')))}`, '---');
  // Written as it is into the chart's first line: a value from an untyped caller must not add lines of its own.
  const direction: unknown = options.direction ?? 'TD';
  if (direction !== 'TD' && direction !== 'LR') {
    throw new RenderError(`direction must be 'TD' or 'LR', got ${JSON.stringify(String(direction).slice(0, 40))}`);
  }
  out.push(`flowchart ${direction}`);
  out.push(`  ${START}(("Start"))`);
  const classes = new Map<string, string[]>();
  const addClass = (cls: string, id: string): void => {
    const list = classes.get(cls) ?? [];
    list.push(id);
    classes.set(cls, list);
  };
  const emit = (names: readonly string[], indent: string): void => {
    for (const name of names) {
      const s = graph.states.get(name)!;
      if (s.type === 'Succeed') addClass('swSucceed', s.id);
      if (s.type === 'Fail') addClass('swFail', s.id);
      if (marks.uncovered.has(name)) addClass('swUncovered', s.id);
      else if (marks.caught.has(name)) addClass('swCaught', s.id);
      else if (marks.failed.has(name)) addClass('swFailed', s.id);
      else if (marks.visited.has(name)) addClass('swVisited', s.id);
      if (s.type === 'Parallel' || s.type === 'Map') {
        // Mermaid clips a subgraph title to one line: its notes follow the name on that line.
        out.push(`${indent}subgraph ${s.id}["${mermaidText(stateLines(s, marks).join(' · '))}"]`);
        for (const sid of s.scopes) {
          const scope = graph.scopes.get(sid)!;
          if (s.type === 'Parallel') {
            out.push(`${indent}  subgraph ${sid}["${label([scope.label])}"]`);
            emit(graph.members.get(sid)!, `${indent}    `);
            out.push(`${indent}  end`);
          } else {
            emit(graph.members.get(sid)!, `${indent}  `);
          }
        }
        out.push(`${indent}end`);
      } else {
        const [open, close] = SHAPES.get(s.type)!;
        out.push(`${indent}${s.id}${open}${label(stateLines(s, marks))}${close}`);
      }
    }
  };
  emit(graph.top, '  ');
  out.push(`  ${END}((("End")))`);
  graph.edges.forEach((e) => out.push(`  ${edgeLine(graph, e)}`));
  for (const cls of Object.keys(STYLES)) if (classes.has(cls)) out.push(`  classDef ${cls} ${STYLES[cls]}`);
  for (const [cls, ids] of classes) out.push(`  class ${ids.join(',')} ${cls}`);
  const taken = [...marks.taken].filter((i) => !marks.missedEdges.has(i));
  if (taken.length) out.push(`  linkStyle ${taken.join(',')} ${TAKEN_STYLE}`);
  if (marks.missedEdges.size) out.push(`  linkStyle ${[...marks.missedEdges].join(',')} ${MISSED_STYLE}`);
  return `${out.join('\n')}\n`;
}

/**
 * A state machine as a Mermaid flowchart, for GitHub, Markdown previews and
 * mermaid.live: Start and End nodes, a shape per state type (Task: box,
 * Choice: diamond, Pass: parallelogram, Wait: hexagon, Succeed: stadium,
 * Fail: double-edged box), Choice edges labelled with their rule in words,
 * Default edges, dashed Catch edges labelled with their errors, Retry noted
 * on its state, and Parallel branches and Map item processors as nested
 * subgraphs. With `run` and `coverage`, an execution's path and the states
 * and branches never exercised are drawn on it.
 *
 * Large machines: Mermaid refuses more than 500 edges by default (its
 * `maxEdges` setting).
 *
 * @example
 * import { renderMermaid } from 'stepwright';
 * const text = renderMermaid(definition, { direction: 'LR' });
 * // flowchart LR
 * //   sw_start(("Start"))
 * //   s0{"Check total"} ...
 */
export function renderMermaid(definition: DrawableDefinition, options: RenderOptions = {}): string {
  const graph = buildGraph(definition);
  const path = options.run ? pathFromRun(graph, options.run) : undefined;
  return mermaidOf(graph, computeMarks(graph, path, options.coverage), options);
}
