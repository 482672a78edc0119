import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCorpus, DOORS, type BehaviourCase, type DoorName } from './case-format';
import { differences, type Difference } from './compare';
import { conformanceCases, type LeftOut } from './conformance-cases';
import { limiter } from './doors/case-files';
import { CliDoor, staleBuild } from './doors/cli-door';
import type { Door } from './doors/door';
import { JestDoor } from './doors/jest-door';
import { McpDoor } from './doors/mcp-door';
import { ServeDoor } from './doors/serve-door';
import { REPORTS, type DoorOutcome } from './observation';
import { describeWithShared, hasShared } from '../shared-data';

/*
 * Every behaviour case (test/cases/corpus, and the recorded executions of ../shared/conformance
 * that exercise Map, Parallel, callbacks and retries) through the four doors: the jest harness,
 * `stepwright run`, `stepwright serve` and `stepwright mcp`. A case fails on any difference from
 * its expectation or between doors (after normalise.ts), unless expected-differences.json lists
 * exactly that difference with its reason; a listed difference that is gone fails too, so the
 * list only shrinks. How to add a case: docs/contributing.md, "Behaviour cases".
 */

const corpus = loadCorpus(path.join(__dirname, 'corpus'));
const conformance: { cases: BehaviourCase[]; leftOut: LeftOut[] } = hasShared('conformance', 'cases') ? conformanceCases() : { cases: [], leftOut: [] };
const cases = [...corpus, ...conformance.cases];

/**
 * Differences known today: by case id and `<door>.<field>`, the key of its reason; each reason
 * written once, saying what is wrong, where it is filed and who owns the fix.
 */
const KNOWN = JSON.parse(fs.readFileSync(path.join(__dirname, 'expected-differences.json'), 'utf8')) as {
  reasons: Record<string, string>;
  differences: Record<string, Record<string, string>>;
};
const EXPECTED = KNOWN.differences;

/**
 * The CLI door runs every eighth case (the first among them) through a spawned `stepwright`
 * process, as users run it, and the others through the same entry function in this process: a
 * process per case was most of this file's time. The choice is by position, so it is the same on
 * every run and spans the corpus and AWS's recordings alike.
 */
const SPAWNED_EVERY = 8;
const spawned = new Set(cases.filter((_, i) => i % SPAWNED_EVERY === 0).map((c) => c.id));

/**
 * A case's test waits for its run, started in beforeAll and bounded by each door (HANG_MS, 300 s a
 * command, a tool call or a run): those bounds catch a hang. jest's own timeout starts when the test does, which
 * can be before the run does (a loaded machine, the explore case's two processes), so it is longer.
 */
const CASE_TIMEOUT = 600_000;

interface Tally { ran: number; refused: number; cannot: Map<string, string[]>; notReported: Map<string, string[]> }
const tally = new Map<DoorName, Tally>(DOORS.map((d) => [d, { ran: 0, refused: 0, cannot: new Map(), notReported: new Map() }]));

let doors: Door[] = [];
let cli: CliDoor | undefined;
/** Each case's run through the doors, started in beforeAll: the doors run cases side by side (each door bounds its own concurrency) while the tests read them in order. */
const runs = new Map<string, Promise<Partial<Record<DoorName, DoorOutcome>>>>();

beforeAll(async () => {
  const stale = staleBuild();
  if (stale) throw new Error(stale);
  const serve = new ServeDoor();
  const mcp = new McpDoor();
  cli = new CliDoor((c) => spawned.has(c.id));
  doors = [new JestDoor(), cli, serve, mcp];
  await Promise.all([serve.start(cases), mcp.start()]);
  const inFlight = limiter(6);
  for (const c of cases) {
    const run = inFlight(() => throughEveryDoor(c));
    run.catch(() => undefined); // read (and failed) by the case's own test
    runs.set(c.id, run);
  }
}, 120_000);

afterAll(async () => {
  // Every case's run starts in beforeAll, but a test filter (`-t`) skips the tests that wait for
  // them: the doors' scratch folders are removed only once no run is writing into them.
  await Promise.allSettled(runs.values());
  await Promise.all(doors.map((d) => d.close()));
  if (process.env.CASES_REPORT) fs.writeFileSync(process.env.CASES_REPORT, `${JSON.stringify(report, null, 2)}\n`);
  const lines = [`behaviour cases: ${corpus.length} from test/cases/corpus, ${conformance.cases.length} recorded by AWS (${conformance.leftOut.length} left out)`];
  for (const door of doors) {
    const t = tally.get(door.name)!;
    const { busyMs, spanMs } = door.times();
    lines.push(`  ${door.name}: ran ${t.ran}, refused ${t.refused}; ${(busyMs / 1000).toFixed(1)} s running cases, over ${(spanMs / 1000).toFixed(1)} s; `
      + `does not report: ${[...REPORTS.jest, 'costCommand'].filter((f) => !REPORTS[door.name].has(f as never)).join(', ') || 'nothing'}`);
    // Each case a door cannot run, by name: a case no door ran is never a pass nobody sees.
    for (const [reason, ids] of t.cannot) lines.push(`    cannot run ${ids.length}: ${reason} (${ids.join(', ')})`);
    for (const [reason, ids] of t.notReported) lines.push(`    does not report ${reason} for ${ids.length}${ids.length <= 3 ? ` (${ids.join(', ')})` : ''}`);
    if (door === cli) lines.push(`    commands through a spawned stepwright process ${cli.through.process}, through its entry function in this process ${cli.through.inProcess}`);
  }
  for (const l of conformance.leftOut) lines.push(`  left out ${l.file}: ${l.reason}`);
  console.log(lines.join('\n'));
});

async function throughEveryDoor(c: BehaviourCase): Promise<Partial<Record<DoorName, DoorOutcome>>> {
  const outcomes: Partial<Record<DoorName, DoorOutcome>> = {};
  await Promise.all(doors.map(async (door) => {
    const t = tally.get(door.name)!;
    const reason = c.cannot?.[door.name] ?? door.cannotRun(c);
    if (reason !== undefined) {
      t.cannot.set(reason, [...(t.cannot.get(reason) ?? []), c.id]);
      outcomes[door.name] = { kind: 'cannot', reason };
      return;
    }
    const outcome = await door.run(c);
    outcomes[door.name] = outcome;
    if (outcome.kind !== 'ran') {
      t.refused++;
      return;
    }
    t.ran++;
    const byReason = new Map<string, string[]>();
    for (const [field, why] of Object.entries(outcome.observation.notReported ?? {})) byReason.set(why, [...(byReason.get(why) ?? []), field]);
    for (const [why, fields] of byReason) {
      const key = `${fields.join(', ')} (${why})`;
      t.notReported.set(key, [...(t.notReported.get(key) ?? []), c.id]);
    }
  }));
  return outcomes;
}

/** Every case's differences, written to $CASES_REPORT when it is set (to see them all at once, listed or not). */
const report: Record<string, Record<string, string>> = {};

function check(c: BehaviourCase, found: readonly Difference[]): void {
  if (found.length > 0) report[c.id] = Object.fromEntries(found.map((d) => [d.key, d.detail]));
  const listed = EXPECTED[c.id] ?? {};
  const unexpected = found.filter((d) => !(d.key in listed)).map((d) => `${d.key}: ${d.detail}`);
  const nowAgreeing = Object.keys(listed).filter((k) => !found.some((d) => d.key === k))
    .map((k) => `${k} agrees now: remove it from expected-differences.json (it was listed for: ${KNOWN.reasons[listed[k]] ?? listed[k]})`);
  expect({ unexpected, nowAgreeing }).toEqual({ unexpected: [], nowAgreeing: [] });
}

describe('behaviour cases, through jest, stepwright run, serve and MCP', () => {
  for (const c of corpus) {
    it(`${c.id}: ${c.description}`, async () => {
      check(c, differences(c, await runs.get(c.id)!));
    }, CASE_TIMEOUT);
  }

  it('lists expected differences only for cases that exist, each with a reason written once and used', () => {
    const ids = new Set(cases.map((c) => c.id));
    const unknown = Object.keys(EXPECTED).filter((id) => !ids.has(id) && (hasShared('conformance', 'cases') || !id.startsWith('conformance/')));
    const used = new Set(Object.values(EXPECTED).flatMap((byKey) => Object.values(byKey)));
    expect({
      unknown,
      withoutReason: [...used].filter((r) => KNOWN.reasons[r] === undefined),
      unusedReasons: Object.keys(KNOWN.reasons).filter((r) => !used.has(r)),
      badKeys: Object.values(EXPECTED).flatMap((byKey) => Object.keys(byKey)).filter((k) => !/^(jest|cli|serve|mcp)\.\w+$/.test(k)),
    }).toEqual({ unknown: [], withoutReason: [], unusedReasons: [], badKeys: [] });
  });
});

// Without ../shared, one skipped test says why (or, under STEPWRIGHT_REQUIRE_SHARED=1, fails).
describeWithShared('conformance/cases', 'executions AWS recorded (../shared/conformance), through every door', () => {
  it('holds at least 100 recorded executions with Map, Parallel, callbacks or retries', () => {
    expect(conformance.cases.length).toBeGreaterThanOrEqual(100);
  });
  for (const c of conformance.cases) {
    it(c.id, async () => {
      check(c, differences(c, await runs.get(c.id)!));
    }, CASE_TIMEOUT);
  }
});

describe('the CLI door', () => {
  it('runs cases through a spawned stepwright process as well as through its entry function in this one', async () => {
    await Promise.allSettled(runs.values());
    const spawnedRan = cases.filter((c) => spawned.has(c.id) && c.cannot?.cli === undefined && cli!.cannotRun(c) === undefined);
    expect(spawnedRan.length).toBeGreaterThanOrEqual(5);
    expect(cli!.through.process).toBeGreaterThanOrEqual(spawnedRan.length);
    expect(cli!.through.inProcess).toBeGreaterThan(0);
  }, 600_000); // the last test: the runs it counts have ended by now, or end within the doors' bounds
});
