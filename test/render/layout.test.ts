import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { benchMachine } from '../../bench/render-machine.js';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { buildGraph } from '../../src/render/graph';
import { initialOrder, layoutGraph, type LaidCluster, type LaidNode, type Layout } from '../../src/render/layout';
import { computeMarks } from '../../src/render/marks';
import { extractStateMachines } from '../../src/workbench/template';
import { itWithShared, sharedPath } from '../shared-data';

const def = (d: object): StateMachineDefinition => d as StateMachineDefinition;

function laidOut(definition: StateMachineDefinition, direction: 'TD' | 'LR' = 'TD'): Layout {
  const graph = buildGraph(definition);
  return layoutGraph(graph, computeMarks(graph), direction);
}

interface Rect { x0: number; y0: number; x1: number; y1: number }
const rect = (b: { x: number; y: number; width: number; height: number }): Rect =>
  ({ x0: b.x - b.width / 2, y0: b.y - b.height / 2, x1: b.x + b.width / 2, y1: b.y + b.height / 2 });
const overlap = (a: Rect, b: Rect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const inside = (a: Rect, b: Rect): boolean => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;

/** State boxes (a Parallel or Map is drawn as a header, a `fork`, inside its container's box). */
const stateNodes = (l: Layout): LaidNode[] => l.nodes.filter((n) => n.kind === 'state' || n.kind === 'fork');
const nodeOf = (l: Layout, name: string): LaidNode => stateNodes(l).find((n) => n.state?.name === name)!;
const branchesOf = (l: Layout, state: string): LaidCluster[] => l.clusters.filter((c) => !c.container && c.state === state);

/** Two branches of chains, one with a Choice, nested in a Map. */
const FAN_OUT = def({
  StartAt: 'Items',
  States: {
    Items: {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Fan out',
        States: {
          'Fan out': {
            Type: 'Parallel',
            End: true,
            Branches: [
              { StartAt: 'Email', States: { Email: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Log' }, Log: { Type: 'Pass', End: true } } },
              {
                StartAt: 'Check',
                States: {
                  'Check': { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Store' }], Default: 'Give up' },
                  'Store': { Type: 'Task', Resource: 'arn:aws:states:::s3:putObject', End: true },
                  'Give up': { Type: 'Fail', Error: 'No.X' },
                },
              },
              { StartAt: 'Wait a bit', States: { 'Wait a bit': { Type: 'Wait', Seconds: 1, End: true } } },
            ],
          },
        },
      },
      End: true,
    },
  },
});

describe('layoutGraph', () => {
  it.each([100, 500])('lays out the %i-state bench machine with no two state boxes overlapping, each inside its branch and its container', (states) => {
    const l = laidOut(benchMachine(states));
    const nodes = stateNodes(l);
    expect(nodes).toHaveLength(states);
    const rects = nodes.map((n) => rect(n));
    const overlaps = rects.flatMap((a, i) => rects.slice(i + 1).filter((b) => overlap(a, b)).map(() => nodes[i].state!.name));
    expect(overlaps).toEqual([]);
    const graph = buildGraph(benchMachine(states));
    for (const n of nodes) {
      const scope = n.state!.scope;
      if (n.kind === 'fork') expect(inside(rect(n), rect(l.clusters.find((c) => c.container && c.state === n.state!.name)!))).toBe(true);
      if (scope === undefined) continue;
      const owner = graph.scopes.get(scope)!.owner;
      const container = l.clusters.find((c) => c.container && c.state === owner)!;
      expect(inside(rect(n), rect(container))).toBe(true);
      const branch = l.clusters.find((c) => c.id === scope);
      if (branch) expect(inside(rect(n), rect(branch))).toBe(true);
    }
  });

  itWithShared('cdk-templates', 'lays out the 79 state machines of ../shared/cdk-templates, top-down and left to right, with no two boxes overlapping', () => {
    const corpus = sharedPath('cdk-templates');
    const index = JSON.parse(fs.readFileSync(path.join(corpus, 'INDEX.json'), 'utf8')) as { files: Array<{ file: string }> };
    const machines = index.files.flatMap(({ file }) => extractStateMachines(JSON.parse(fs.readFileSync(path.join(corpus, file), 'utf8')) as object)
      .map((m) => ({ name: `${file} ${m.logicalId}`, definition: m.definition })));
    expect(machines).toHaveLength(79);
    const overlapping: string[] = [];
    for (const { name, definition } of machines) {
      for (const direction of ['TD', 'LR'] as const) {
        const nodes = stateNodes(laidOut(definition, direction));
        const rects = nodes.map((n) => rect(n));
        rects.forEach((a, i) => rects.forEach((b, j) => {
          if (j > i && overlap(a, b)) overlapping.push(`${name} ${direction}: ${nodes[i].state!.name} / ${nodes[j].state!.name}`);
        }));
      }
    }
    expect(overlapping).toEqual([]);
  }, 60_000);

  it('puts a Parallel\'s branches side by side in definition order, below its header and above its join bar, their boxes apart', () => {
    const l = laidOut(FAN_OUT);
    const branches = branchesOf(l, 'Fan out');
    expect(branches.map((b) => b.label)).toEqual(['Branch 1', 'Branch 2', 'Branch 3']);
    expect(branches.map((b) => b.x)).toEqual([...branches.map((b) => b.x)].sort((a, b) => a - b));
    for (let i = 1; i < branches.length; i++) expect(rect(branches[i - 1]).x1).toBeLessThan(rect(branches[i]).x0);
    const fork = l.nodes.find((n) => n.kind === 'fork' && n.state?.name === 'Fan out')!;
    const join = l.nodes.find((n) => n.kind === 'join' && n.state?.name === 'Fan out')!;
    for (const b of branches) {
      expect(rect(fork).y1).toBeLessThan(rect(b).y0);
      expect(rect(b).y1).toBeLessThan(rect(join).y0);
    }
    expect(nodeOf(l, 'Email').y).toBe(nodeOf(l, 'Check').y);
    expect(nodeOf(l, 'Log').y).toBeGreaterThan(nodeOf(l, 'Email').y);
  });

  it('runs each branch edge from the Parallel\'s header to a first state, and from each ending state that does not fail to the join bar', () => {
    const l = laidOut(FAN_OUT);
    const fork = l.nodes.find((n) => n.kind === 'fork' && n.state?.name === 'Fan out')!;
    const join = l.nodes.find((n) => n.kind === 'join' && n.state?.name === 'Fan out')!;
    // The Map's own edges into and out of its item processor name 'Fan out' too: they join 'Items'.
    const branchEdges = l.edges.filter((e) => e.kind === 'branch' && e.between?.includes('Fan out') && !e.between.includes('Items'));
    expect(branchEdges.map((e) => e.between!.join(' -> ')).sort()).toEqual([
      'Fan out -> Check', 'Fan out -> Email', 'Fan out -> Wait a bit', 'Log -> Fan out', 'Store -> Fan out', 'Wait a bit -> Fan out',
    ].sort());
    for (const e of branchEdges) {
      const [first, last] = [e.points[0], e.points[e.points.length - 1]];
      if (e.between![0] === 'Fan out') {
        expect(first).toEqual({ x: fork.x, y: fork.y + fork.height / 2 });
        expect(last.y).toBeCloseTo(rect(nodeOf(l, e.between![1])).y0, 5);
      } else {
        expect(first.y).toBeCloseTo(rect(nodeOf(l, e.between![0])).y1, 5);
        expect(last).toEqual({ x: join.x, y: join.y - join.height / 2 });
      }
    }
  });

  it('lays a branch that is a chain out where dagre puts it: a centred column, a rank gap apart', () => {
    const l = laidOut(FAN_OUT);
    const email = nodeOf(l, 'Email');
    const log = nodeOf(l, 'Log');
    // The same chain through dagre, between stand-ins for the header and the join bar.
    const fork = l.nodes.find((n) => n.kind === 'fork' && n.state?.name === 'Fan out')!;
    const g = new graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 40, edgesep: 12, marginx: 14, marginy: 14 });
    g.setDefaultEdgeLabel(() => ({}));
    g.setNode('in', { width: 0, height: fork.height });
    g.setNode('a', { width: email.width, height: email.height });
    g.setNode('b', { width: log.width, height: log.height });
    g.setNode('out', { width: 0, height: 10 });
    g.setEdge('in', 'a', {}, 'e0');
    g.setEdge('a', 'b', {}, 'e1');
    g.setEdge('b', 'out', {}, 'e2');
    dagreLayout(g);
    expect(log.y - email.y).toBeCloseTo(g.node('b').y! - g.node('a').y!, 5);
    expect(email.y - (fork.y)).toBeCloseTo(g.node('a').y! - g.node('in').y!, 5);
    expect(log.x).toBe(email.x);
  });

  it('lays a branch that loops back through dagre, with every state drawn once and no overlap', () => {
    const looping = def({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [{
            StartAt: 'Poll',
            States: {
              'Poll': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Ready?' },
              'Ready?': { Type: 'Choice', Choices: [{ Variable: '$.ready', BooleanEquals: true, Next: 'Done' }], Default: 'Poll' },
              'Done': { Type: 'Succeed' },
            },
          }],
        },
      },
    });
    const l = laidOut(looping);
    expect(stateNodes(l).map((n) => n.state!.name).sort()).toEqual(['Done', 'P', 'Poll', 'Ready?']);
    const rects = stateNodes(l).map((n) => rect(n));
    expect(rects.some((a, i) => rects.some((b, j) => j > i && overlap(a, b)))).toBe(false);
    expect(l.edges.filter((e) => e.kind === 'next' || e.kind === 'choice' || e.kind === 'default').map((e) => e.index).sort()).toEqual([2, 3, 4]);
  });

  it('left to right, stacks the branches top to bottom between the header on the left and the join bar on the right', () => {
    const l = laidOut(FAN_OUT, 'LR');
    const branches = branchesOf(l, 'Fan out');
    expect(branches.map((b) => b.y)).toEqual([...branches.map((b) => b.y)].sort((a, b) => a - b));
    const fork = l.nodes.find((n) => n.kind === 'fork' && n.state?.name === 'Fan out')!;
    const join = l.nodes.find((n) => n.kind === 'join' && n.state?.name === 'Fan out')!;
    expect(join.height).toBeGreaterThan(join.width);
    for (const b of branches) {
      expect(rect(fork).x1).toBeLessThan(rect(b).x0);
      expect(rect(b).x1).toBeLessThan(rect(join).x0);
    }
    expect(nodeOf(l, 'Log').x).toBeGreaterThan(nodeOf(l, 'Email').x);
  });

  it('joins a Parallel whose branches all end in Fail under the longest branch, with no edge to the bar', () => {
    const failing = def({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Fail', Error: 'X' } } },
            { StartAt: 'C', States: { C: { Type: 'Fail', Error: 'Y' } } },
          ],
        },
      },
    });
    const l = laidOut(failing);
    const join = l.nodes.find((n) => n.kind === 'join')!;
    expect(rect(join).y0).toBeGreaterThan(rect(nodeOf(l, 'B')).y1);
    expect(l.edges.filter((e) => e.between?.[1] === 'P')).toEqual([]);
    const container = l.clusters.find((c) => c.container)!;
    expect(inside(rect(join), rect(container))).toBe(true);
  });
});

describe('initialOrder', () => {
  it('orders a big graph as dagre does when it skips its crossing sweeps', () => {
    const build = (): graphlib.Graph => {
      const g = new graphlib.Graph({ multigraph: true });
      g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 40, edgesep: 12 });
      g.setDefaultEdgeLabel(() => ({}));
      // A wide fan-out and fan-in with crossing edges and a back edge, so the order matters.
      for (let i = 0; i < 60; i++) g.setNode(`n${i}`, { width: 40 + (i % 7) * 10, height: 30 });
      for (let i = 0; i < 60; i++) {
        if (i + 1 < 60) g.setEdge(`n${i}`, `n${i + 1}`, {}, `a${i}`);
        if (i + 7 < 60) g.setEdge(`n${i}`, `n${(i * 13 + 7) % 60}`, { width: 30, height: 18, labelpos: 'c' }, `b${i}`);
      }
      g.setEdge('n59', 'n3', {}, 'back');
      return g;
    };
    const ours = build();
    const dagres = build();
    dagreLayout(ours, { customOrder: initialOrder });
    dagreLayout(dagres, { disableOptimalOrderHeuristic: true });
    const positions = (g: graphlib.Graph): Array<[string, number, number]> => g.nodes().map((v) => [v, g.node(v).x, g.node(v).y]);
    expect(positions(ours)).toEqual(positions(dagres));
  });
});

describe("a Task box's caption", () => {
  it.each([
    ['arn:aws:states:::sqs:sendMessage', 'Task · sqs:sendMessage'],
    ['arn:aws:states:::lambda:invoke.waitForTaskToken', 'Task · lambda:invoke'],
    ['arn:aws-cn:states:::ecs:runTask.sync', 'Task · ecs:runTask'],
    ['arn:aws:states:::aws-sdk:dynamodb:getItem', 'Task · aws-sdk:dynamodb'],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:live', 'Task · lambda'],
    ['arn:aws:states:us-east-1:123456789012:activity:Work', 'Task · activity'],
    ['arn:aws:s3:::not-a-task', 'Task'],
  ])('names what %s calls, as the one parse of a Resource reads it', (resource, caption) => {
    const layout = laidOut(def({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, End: true } } }));
    expect(nodeOf(layout, 'Call').lines[1]).toBe(caption);
  });
});
