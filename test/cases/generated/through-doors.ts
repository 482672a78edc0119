import fc from 'fast-check';
import { generatedCaseArb } from './machines';
import { DOORS, type BehaviourCase, type DoorName } from '../case-format';
import { differences, type Difference } from '../compare';
import { CliDoor } from '../doors/cli-door';
import type { Door } from '../doors/door';
import { JestDoor } from '../doors/jest-door';
import { McpDoor } from '../doors/mcp-door';
import { ServeDoor } from '../doors/serve-door';
import type { DoorOutcome } from '../observation';

/** What one generated case did at the doors. */
export interface GeneratedResult {
  readonly case: BehaviourCase;
  /** The status each door reported (or `refused`/`cannot`). */
  readonly statuses: Readonly<Partial<Record<DoorName, string>>>;
  readonly differences: readonly Difference[];
}

/**
 * As in cases.test.ts, the CLI door runs every eighth case (the first among them) through a spawned
 * `stepwright` process, as users run it, and the others through the same entry function in this
 * process: a process per case cost about 0.7 s of CPU each, most of it node's start and the CLI's
 * loading, and what only a process shows (main.js's exit code, closed pipes) is tested in test/cli.
 */
const SPAWNED_EVERY = 8;

/** `runs` generated cases from `seed`, each with an id that says where it came from. */
export function generatedCases(seed: number, runs: number): BehaviourCase[] {
  return fc.sample(generatedCaseArb(), { seed, numRuns: runs }).map((c, i) => ({ ...c, id: `generated-${seed}-${i}` }));
}

/**
 * Runs every case through the four doors with the behaviour cases' own drivers (serve is started
 * once with every case's MockConfigFile, as cases.test.ts starts it) and compares the doors with
 * compare.ts: each door against the jest door on every field both report.
 */
export async function throughDoors(cases: readonly BehaviourCase[], onResult?: (r: GeneratedResult) => void): Promise<GeneratedResult[]> {
  const serve = new ServeDoor();
  const mcp = new McpDoor();
  const spawned = new Set(cases.filter((_, i) => i % SPAWNED_EVERY === 0).map((c) => c.id));
  const doors: Door[] = [new JestDoor(), new CliDoor((c) => spawned.has(c.id)), serve, mcp];
  try {
    await Promise.all([serve.start(cases), mcp.start()]);
    return await Promise.all(cases.map(async (c) => {
      const outcomes: Partial<Record<DoorName, DoorOutcome>> = {};
      await Promise.all(doors.map(async (door) => {
        const reason = door.cannotRun(c);
        outcomes[door.name] = reason !== undefined ? { kind: 'cannot', reason } : await door.run(c).catch((e: Error) => ({ kind: 'refused' as const, message: `${e.name}: ${e.message}` }));
      }));
      const statuses = Object.fromEntries(DOORS.map((d) => {
        const o = outcomes[d];
        return [d, o === undefined ? 'missing' : o.kind === 'ran' ? o.observation.status : o.kind];
      }));
      const result = { case: c, statuses, differences: differences(c, outcomes) };
      onResult?.(result);
      return result;
    }));
  } finally {
    await Promise.all(doors.map((d) => d.close()));
  }
}
