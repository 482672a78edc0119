import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './run-cli';
import type { JsonValue } from '../../src/asl';
import { Workflow, type WorkflowRun } from '../../src/testing/workflow';
import { mocksFromJson } from '../../src/workbench/mocks/json';
import { stopExploreClock } from '../explore-clock';

/*
 * verify judged from outside, as issue 78 says it is judged: machines and property modules written
 * apart from verify's own tests (JSONPath and JSONata, a Saga with compensations, a callback that
 * reminds on a lapsed heartbeat, an EXPRESS workflow with a Parallel; modules CommonJS and ES, named
 * exports and a default one, data and functions of the run, reading its attempts and variables),
 * checked only through `stepwright verify --json`. Every counterexample is written to files and run
 * again with `stepwright run --input @input.json --mocks mocks.json`, and the violation is checked on
 * that run by the judge's own reading of the property, never verify's.
 */

stopExploreClock();

const here = (name: string): string => path.join(__dirname, 'verify-outside', name);

/**
 * What the judge knows of a property: it holds (never VIOLATED); a run breaks it that verify finds
 * (VIOLATED); or a run breaks it that verify need not find, a Task answering late by an amount it
 * does not try (never HOLDS). Every export of the module is listed.
 */
type Expected = 'holds' | 'violated' | 'broken';

/** The judge's own reading of a property: a path property as data, or a function of the run (its copy of the module's). */
type Judged = PathProperty | ((run: WorkflowRun) => boolean);

interface Machine {
  readonly definition: string;
  readonly module: string;
  readonly flags?: readonly string[];
  readonly type?: 'EXPRESS';
  readonly expected: Readonly<Record<string, Expected>>;
  /** The judge's reading of each property, as the module states it. */
  readonly judged: Readonly<Record<string, Judged>>;
}

const MACHINES: readonly Machine[] = [
  {
    definition: 'saga.asl.json',
    module: 'saga.properties.js',
    expected: {
      chargeLeadsToShipOrRefund: 'violated',
      reserveBeforeRelease: 'holds',
      chargeOnce: 'holds',
      neverRefund: 'violated',
      endsCleanly: 'violated',
      succeededHasCharge: 'holds',
      refundAttempts: 'holds',
      neverTwoAttempts: 'violated',
    },
    judged: {
      chargeLeadsToShipOrRefund: { kind: 'leadsTo', from: 'Charge', to: ['Done', 'Refund', 'Release'] },
      neverRefund: { kind: 'never', state: 'Refund' },
      endsCleanly: { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Order.Failed'] },
      neverTwoAttempts: (run) => run.attempts('Reserve').length < 2,
    },
  },
  {
    definition: 'vars.asl.json',
    module: 'vars.properties.mjs',
    expected: { approvedScoreAtLeast600: 'holds', reviewedWhenBelow700: 'holds', neverReviewed: 'violated', declineEnds: 'violated', reviewBeforeDecline: 'violated' },
    judged: {
      neverReviewed: (run) => run.variables.reviewed !== true,
      declineEnds: { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Loan.Declined'] },
      reviewBeforeDecline: { kind: 'precedes', first: 'Manual review', then: 'Decline' },
    },
  },
  {
    definition: 'callback.asl.json',
    module: 'callback.properties.cjs',
    expected: { remindsAtMostTwice: 'holds', remindsOnce: 'holds', knownEnds: 'violated', approvedOnlyWhenTrue: 'holds', withinThreeDays: 'holds', withinADay: 'broken' },
    judged: {
      knownEnds: { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Approval.Escalated', 'Approval.Rejected'] },
      withinADay: { kind: 'maxSeconds', limit: 86400 },
    },
  },
  {
    definition: 'express.asl.json',
    module: 'express.properties.mjs',
    flags: ['--type', 'EXPRESS'],
    type: 'EXPRESS',
    // 275 s: Fraud times out at 60 s, is retried 5 s later and answers at 59 s, Hold waits 120 s, Store answers at 29 s.
    expected: { within5Minutes: 'holds', within200: 'holds', within4Minutes: 'broken', neverHold: 'violated', storedFlag: 'holds' },
    judged: { within4Minutes: { kind: 'maxSeconds', limit: 240 }, neverHold: { kind: 'never', state: 'Hold' } },
  },
];

interface Verdict {
  readonly verdict: string;
  readonly property: string;
  readonly reason: string;
  readonly counterexample?: { readonly input: JsonValue; readonly mocks: Record<string, JsonValue>; readonly path: string[] };
}

interface CliRun {
  readonly status: string;
  readonly error?: string;
  readonly path: string[];
  readonly startDate: string;
  readonly stopDate: string;
}

type PathProperty = { readonly kind: string } & Readonly<Record<string, unknown>>;

/** The judge's own reading of a path property, on what `stepwright run --json` printed. */
function breaks(p: PathProperty, run: CliRun): boolean {
  const trail = run.path;
  const names = (v: unknown): string[] => v as string[];
  switch (p.kind) {
    case 'never': return trail.includes(p.state as string);
    case 'leadsTo': return trail.some((s, i) => s === p.from && !trail.slice(i + 1).some((t) => names(p.to).includes(t)));
    case 'precedes': {
      const at = trail.indexOf(p.then as string);
      return at >= 0 && !trail.slice(0, at).includes(p.first as string);
    }
    case 'atMost': return trail.filter((s) => s === p.state).length > (p.times as number);
    case 'endsWith': return !names(p.statuses).includes(run.status) || (run.error !== undefined && !names(p.errors).includes(run.error));
    case 'maxTransitions': return trail.length > (p.limit as number);
    case 'maxSeconds': return (Date.parse(run.stopDate) - Date.parse(run.startDate)) / 1000 > (p.limit as number);
    default: throw new Error(`the judge does not know kind ${p.kind}`);
  }
}

let scratch: string;
beforeAll(() => { scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-outside-')); });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(MACHINES)('stepwright verify $definition --property $module, judged from outside', (m) => {
  let report: Record<string, Verdict>;
  let code: number;

  beforeAll(async () => {
    // A generous budget: the searches end in a few seconds, and a verdict must not hang on the machine's load.
    const r = await cli('verify', here(m.definition), '--property', here(m.module), '--json', '--budget-seconds', '600', ...(m.flags ?? []));
    code = r.code;
    expect(r.err).toBe('');
    report = JSON.parse(r.out) as Record<string, Verdict>;
  }, 900_000);

  it('prints one object keyed by property name, each with a verdict and a reason, a counterexample only when VIOLATED, and exits 1 when one is', () => {
    // An ES module's exports come in the order of their names, as its namespace gives them.
    expect(Object.keys(report).sort()).toEqual(Object.keys(m.expected).sort());
    for (const v of Object.values(report)) {
      expect(['HOLDS', 'VIOLATED', 'UNKNOWN']).toContain(v.verdict);
      expect(v.reason.length).toBeGreaterThan(20);
      expect(v.counterexample !== undefined).toBe(v.verdict === 'VIOLATED');
    }
    expect(code).toBe(Object.values(report).some((v) => v.verdict === 'VIOLATED') ? 1 : 0);
  });

  it('never says VIOLATED of a property that holds, nor HOLDS of one a run breaks, and finds the runs the judge expects', () => {
    const right: Record<Expected, (verdict: string) => boolean> = {
      holds: (verdict) => verdict !== 'VIOLATED',
      violated: (verdict) => verdict === 'VIOLATED',
      broken: (verdict) => verdict !== 'HOLDS',
    };
    const wrong = Object.entries(m.expected)
      .filter(([name, expected]) => !right[expected](report[name].verdict))
      .map(([name, expected]) => `${name}: ${report[name].verdict}, expected ${expected}: ${report[name].reason}`);
    expect(wrong).toEqual([]);
  });

  it('gives counterexamples that stepwright run reproduces from an input file and a mocks file', async () => {
    for (const [name, v] of Object.entries(report)) {
      if (v.verdict !== 'VIOLATED') continue;
      const c = v.counterexample!;
      const dir = fs.mkdtempSync(path.join(scratch, `${name}-`));
      fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(c.input));
      fs.writeFileSync(path.join(dir, 'mocks.json'), JSON.stringify(c.mocks));
      const r = await cli('run', here(m.definition), '--input', `@${path.join(dir, 'input.json')}`, '--mocks', path.join(dir, 'mocks.json'), '--json', ...(m.type ? ['--type', m.type] : []));
      const run = JSON.parse(r.out) as CliRun;
      expect({ name, path: run.path }).toEqual({ name, path: c.path });
      const p = m.judged[name];
      expect({ name, judged: p !== undefined }).toEqual({ name, judged: true });
      if (typeof p === 'function') {
        // A function of the run is called on the harness's run of the same input and answers.
        const wf = Workflow.fromDefinition(here(m.definition), m.type ? { type: m.type } : {});
        const again = await wf.run(c.input, { mocks: mocksFromJson(c.mocks, name) });
        expect({ name, path: again.path }).toEqual({ name, path: run.path });
        expect({ name, holds: p(again) }).toEqual({ name, holds: false });
      } else {
        expect({ name, breaks: breaks(p, run) }).toEqual({ name, breaks: true });
      }
    }
  }, 300_000);
});
