import * as fs from 'node:fs';
import { CONFORMANCE_REPLAY, recordingFromCase } from './conformance-recordings';
import { replay } from '../../../src/workbench/replay';
import { loadCases, s3Fixtures } from '../../conformance/recorded-run';
import { describeWithShared, sharedPath } from '../../shared-data';

/**
 * Share of the AWS-recorded histories (in %) that must replay exactly, every event's details
 * compared; raise it, never lower it.
 */
const FLOOR = 100;

describeWithShared('conformance/cases', 'replay of the executions AWS recorded', () => {
  const cases = loadCases(sharedPath('conformance', 'cases'), (c) => Array.isArray(c.history) && c.history.length > 0);

  // An ItemReader's S3 reads leave no event in a history: those Tasks are answered from the case's
  // fixtures through `fallback`, as a user would answer them. The line printed gives both shares.
  it(`replays at least ${FLOOR}% of the recorded histories exactly (outcome, output, sequence of states, every event with its details)`, async () => {
    const misses: string[] = [];
    let withoutFixtures = 0;
    for (const c of cases) {
      if ((await replay(recordingFromCase(c), CONFORMANCE_REPLAY).catch(() => undefined))?.equal) withoutFixtures++;
      try {
        const result = await replay(recordingFromCase(c), { ...CONFORMANCE_REPLAY, fallback: s3Fixtures(c) });
        if (!result.equal) misses.push(`${c.file}: ${result.describe()}`);
      } catch (e) {
        misses.push(`${c.file}: cannot replay: ${(e as Error).message}`);
      }
    }
    const share = (100 * (cases.length - misses.length)) / cases.length;
    if (process.env.REPLAY_REPORT) fs.writeFileSync(process.env.REPLAY_REPORT, misses.join('\n\n'));
    console.log(`replay: ${cases.length - misses.length}/${cases.length} cases replay exactly, every event's details compared (${share.toFixed(1)}%); `
      + `${withoutFixtures}/${cases.length} without the S3 objects a Map's ItemReader read, which no history holds`);
    expect(cases.length).toBeGreaterThan(400);
    expect(share).toBeGreaterThanOrEqual(FLOOR);
  }, 120_000);
});
