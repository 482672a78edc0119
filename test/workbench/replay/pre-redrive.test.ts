import type { StateMachineDefinition } from '../../../src/asl';
import { compileStateMachine } from '../../../src/interpreter/state-machine';
import { replay } from '../../../src/workbench/replay';
import type { RecordedEvent, Recording } from '../../../src/workbench/replay/format';

/** A Task that is sent the Context Object's Execution whole, and a Pass that outputs it. */
const DEFINITION: StateMachineDefinition = {
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Parameters: { 'exec.$': '$$.Execution' }, ResultPath: '$.r', Next: 'Show' },
    Show: { Type: 'Pass', Parameters: { 'exec.$': '$$.Execution' }, End: true },
  },
};

/** The Task's answer, for recordings cut to their ExecutionStarted event. */
const ANSWER = { fallback: () => ({ ok: true }) };

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:old';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:old:run-1';

/**
 * A recording of DEFINITION as AWS made it at `startDate`: with `withRedriveCount` false, every
 * recorded $$.Execution lacks RedriveCount, as AWS gave it before redrive (15 November 2023).
 */
async function recordingAt(startDate: string | undefined, withRedriveCount: boolean): Promise<Recording> {
  const machine = compileStateMachine(DEFINITION, { stateMachineName: 'old', region: 'us-east-1', accountId: '123456789012', defaultTaskHandler: () => ({ ok: true }) });
  const run = await machine.start({ a: 1 }, { name: 'run-1' }).result;
  const strip = (text: string): string => (withRedriveCount ? text : text.replace(/,"RedriveCount":0/g, '').replace(/,\\"RedriveCount\\":0/g, ''));
  const events = JSON.parse(strip(JSON.stringify(run.history))) as RecordedEvent[];
  const output = JSON.parse(strip(JSON.stringify(run.output)));
  return {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: MACHINE, definition: DEFINITION },
    execution: { arn: EXECUTION, status: 'SUCCEEDED', input: { a: 1 }, output, ...(startDate ? { startDate } : {}) },
    events,
  };
}

describe('replay of recordings made before AWS added RedriveCount (redrive, 15 November 2023)', () => {
  it('replays exactly a recording whose $$.Execution has no RedriveCount: the Context Object is given without it', async () => {
    const rec = await recordingAt(undefined, false);
    expect(JSON.stringify(rec.execution.output)).not.toContain('RedriveCount');
    const result = await replay(rec);
    expect(result.describe()).toMatch(/equals the recording/);
    expect(result.equal).toBe(true);
    expect(result.run.output).toEqual(rec.execution.output);
    expect(result.warnings).toEqual([]);
  });

  it('leaves RedriveCount out for an execution started before redrive launched, as its start date shows', async () => {
    const rec = await recordingAt('2023-10-24T15:18:16.000Z', false);
    // Only the start date tells: the recorded events show no whole $$.Execution.
    const result = await replay({ ...rec, events: rec.events.filter((e) => e.type === 'ExecutionStarted') }, ANSWER);
    expect((result.run.output as { exec: Record<string, unknown> }).exec).not.toHaveProperty('RedriveCount');
  });

  it('keeps RedriveCount for a recording that shows it, and for one started after redrive launched', async () => {
    const shown = await replay(await recordingAt(undefined, true));
    expect(shown.equal).toBe(true);
    expect((shown.run.output as { exec: Record<string, unknown> }).exec.RedriveCount).toBe(0);
    const after = await recordingAt('2024-02-01T00:00:00.000Z', true);
    const late = await replay({ ...after, events: after.events.filter((e) => e.type === 'ExecutionStarted') }, ANSWER);
    expect((late.run.output as { exec: Record<string, unknown> }).exec.RedriveCount).toBe(0);
    expect(late.warnings).toEqual([]);
  });

  it('warns, and gives today\'s Context Object, when nothing in the recording tells whether it had RedriveCount', async () => {
    const rec = await recordingAt(undefined, true);
    const result = await replay({ ...rec, events: rec.events.filter((e) => e.type === 'ExecutionStarted') }, ANSWER);
    expect((result.run.output as { exec: Record<string, unknown> }).exec.RedriveCount).toBe(0);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/RedriveCount .*is unknown/);
    expect(result.describe()).toContain('warning: the definition reads $$.Execution');
  });
});
