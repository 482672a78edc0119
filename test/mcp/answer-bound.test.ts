import { boundAnswer, MAX_ANSWER_BYTES } from '../../src/mcp/answer-bound';

/*
 * The cut of each tool's answer, on small bounds (the server's own, 8 MiB,
 * is driven over stdio in message-bounds.test.ts).
 */

const LIMIT = 256 * 1024;

/** The bytes an answer takes in a message: its structured content and its JSON as a text. */
function sent(answer: { structured: unknown; text?: string }): number {
  const json = JSON.stringify(answer.structured);
  return Buffer.byteLength(json) + Buffer.byteLength(JSON.stringify(answer.text ?? json));
}

describe('boundAnswer', () => {
  it('gives an answer within the bound back as it is', () => {
    const answer = { structured: { status: 'SUCCEEDED', path: ['P'] } };
    expect(boundAnswer('run', answer)).toEqual({ answer });
    expect(MAX_ANSWER_BYTES).toBe(8 * 1_048_576);
  });

  it('leaves out the history events past the bound and says which, keeping the first', () => {
    const history = Array.from({ length: 5_000 }, (_, i) => ({ id: i + 1, type: 'PassStateEntered', state: `State${i}`.padEnd(40, '.') }));
    const r = boundAnswer('run', { structured: { status: 'SUCCEEDED', path: ['P'], history } }, LIMIT);
    if (!('answer' in r)) throw new Error(r.error);
    const { history: kept, truncated } = r.answer.structured as { history: typeof history; truncated: { message: string; leftOut: string[] } };
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(history.slice(0, kept.length));
    expect(truncated.leftOut).toEqual([`history[${kept.length}…4999]`]);
    expect(truncated.message).toMatch(/^The answer would be [\d,]+ bytes, more than the 262,144 bytes \(0\.25 MiB\) an answer may be: what leftOut lists was left out\. Ask without history/);
    expect(sent(r.answer)).toBeLessThanOrEqual(LIMIT);
    // Most of what fits is kept: the cut is not a halving.
    expect(sent(r.answer)).toBeGreaterThan(LIMIT / 2);
  });

  it('cuts explore\'s scenarios past the bound: the first machine keeps what fits, the machines after it keep none', () => {
    const scenarios = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `s${i}`, input: { pad: 'x'.repeat(1_000) }, mocks: {}, path: ['A'], status: 'SUCCEEDED' }));
    const reports = [{ source: 'a', scenarios: scenarios(150), findings: [] }, { source: 'b', scenarios: scenarios(150), findings: [] }];
    const r = boundAnswer('explore', { structured: { reports } }, LIMIT);
    if (!('answer' in r)) throw new Error(r.error);
    const out = r.answer.structured as { reports: Array<{ scenarios: unknown[] }>; truncated: { leftOut: string[] } };
    const first = out.reports[0].scenarios.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(150);
    expect(out.reports[1].scenarios).toEqual([]);
    expect(out.truncated.leftOut).toEqual([`reports[0].scenarios[${first}…149]`, 'reports[1].scenarios[0…149]']);
    // What the original holds is not changed: the cut copies what it changes.
    expect(reports[0].scenarios).toHaveLength(150);
  });

  it('answers an error saying how to ask for less when the answer has nothing to cut (render\'s diagram)', () => {
    const r = boundAnswer('render', { structured: { source: 'x', mermaid: 'y'.repeat(300_000) }, text: 'y'.repeat(300_000) }, LIMIT);
    expect(r).toEqual({ error: expect.stringMatching(/^The answer would be 600,\d{3} bytes, more than the 262,144 bytes \(0\.25 MiB\) an answer may be\. Draw a smaller state machine/) });
  });

  it('answers an error when what it may cut is not enough (one huge run output)', () => {
    const r = boundAnswer('run', { structured: { status: 'SUCCEEDED', output: 'z'.repeat(300_000), path: ['P'] } }, LIMIT);
    expect(r).toEqual({ error: expect.stringMatching(/^The answer would be .* an answer may be\. Ask without history/) });
  });
});
