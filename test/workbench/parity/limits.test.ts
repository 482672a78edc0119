import type { StateMachineDefinition } from '../../../src/asl/definition-types';
import { Workflow } from '../../../src/testing/workflow';
import {
  checkParity, MAX_REQUEST_BYTES, runsOfRecordings, sizeProblem, TEST_STATE_LIMITS, wireInput, type ParityRequest, type TestStateEndpoint,
} from '../../../src/workbench/parity';
import { recordingOfExecution } from '../../../src/workbench/parity/runs';

const base: ParityRequest = { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as unknown as StateMachineDefinition, stateName: 'P', input: {}, inspectionLevel: 'DEBUG' };
/** A JSON string value whose JSON text is exactly `n` characters. */
const textOf = (n: number): string => 'x'.repeat(n - 2);

// Each bound is the member's "Length Constraints" in AWS's API Reference (TestState, MockInput, MockErrorOutput, TestStateConfiguration).
describe("TestState's limits, checked before a request is sent", () => {
  it.each([
    ['input', (n: number): Partial<ParityRequest> => ({ input: textOf(n) }), TEST_STATE_LIMITS.input],
    ['variables', (n: number) => ({ variables: { v: textOf(n - '{"v":}'.length) } }), TEST_STATE_LIMITS.variables],
    ['context', (n: number) => ({ mock: { result: 1 }, context: { c: textOf(n - '{"c":}'.length) } }), TEST_STATE_LIMITS.context],
    ['mock.result', (n: number) => ({ mock: { result: textOf(n) } }), TEST_STATE_LIMITS['mock.result']],
    ['mock.errorOutput.cause', (n: number) => ({ mock: { errorOutput: { error: 'E', cause: 'c'.repeat(n) } } }), TEST_STATE_LIMITS['mock.errorOutput.cause']],
    ['mock.errorOutput.error', (n: number) => ({ mock: { errorOutput: { error: 'e'.repeat(n) } } }), TEST_STATE_LIMITS['mock.errorOutput.error']],
    ['stateConfiguration.mapItemReaderData', (n: number) => ({ stateConfiguration: { mapItemReaderData: 'd'.repeat(n) } }), TEST_STATE_LIMITS['stateConfiguration.mapItemReaderData']],
  ] as const)('takes %s at its limit and refuses one character more, naming the member and both sizes', (member, make, limit) => {
    expect(sizeProblem(wireInput({ ...base, ...make(limit) }))).toBeUndefined();
    expect(sizeProblem(wireInput({ ...base, ...make(limit + 1) })))
      .toBe(`its ${member} is ${(limit + 1).toLocaleString('en-US')} characters, over TestState's ${limit.toLocaleString('en-US')}`);
  });

  it('refuses an input over 262,144 UTF-8 bytes that is under the character limit', () => {
    expect(sizeProblem(wireInput({ ...base, input: '€'.repeat(100_000) }))).toBe("its input is 300,002 bytes, over the 262,144 a state's input may be");
  });

  it('refuses a request over 1 MiB in all though each member is within its own limit', () => {
    const definition = { ...base.definition, Comment: 'c'.repeat(900_000) } as StateMachineDefinition;
    const problem = sizeProblem(wireInput({ ...base, definition, input: textOf(200_000) }));
    expect(problem).toMatch(/^the request would be 1,100,\d{3} bytes, over the 1,048,576 an API request may be$/);
    expect(MAX_REQUEST_BYTES).toBe(1_048_576);
  });

  it('never sends a visit over a limit: it is reported skipped with the limit, and the others are sent', async () => {
    const definition = {
      StartAt: 'Big',
      States: {
        // AWS takes at most 256 KiB per Assign, so two states assign what After sees.
        Big: { Type: 'Pass', Assign: { a: 'a'.repeat(150_000) }, Next: 'Second' },
        Second: { Type: 'Pass', Assign: { b: 'b'.repeat(150_000) }, Next: 'After' },
        After: { Type: 'Pass', End: true },
      },
    } as unknown as StateMachineDefinition;
    const wf = Workflow.fromDefinition(definition, { name: 'Big' });
    const run = await wf.run({});
    expect(run.status).toBe('SUCCEEDED');
    const sent: string[] = [];
    const endpoint: TestStateEndpoint = { against: 'counting', call: async (w) => { sent.push(w.stateName ?? ''); return { status: 'SUCCEEDED', output: {} }; }, close: () => undefined };
    const report = await checkParity({ runs: runsOfRecordings([recordingOfExecution(definition, run as never, 'Big')]) }, { testStateEndpoint: endpoint });
    expect(sent).toEqual(['Big', 'Second']);
    expect(report.rows.find((r) => r.site.state === 'After')).toMatchObject({
      verdict: 'skipped',
      reason: `not sent: its variables is ${JSON.stringify({ a: 'a'.repeat(150_000), b: 'b'.repeat(150_000) }).length.toLocaleString('en-US')} characters, over TestState's 262,144`,
    });
  });
});
