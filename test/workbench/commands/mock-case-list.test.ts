import { commandMocksFromJson } from '../../../src/workbench/commands/mocks';

/** A MockConfigFile of `count` test cases of one machine, each answering its Task the same way. */
function config(count: number, name = (i: number) => `C${i}`): unknown {
  const cases: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) cases[name(i)] = { T: 'R' };
  return { StateMachines: { task: { TestCases: cases } }, MockedResponses: { R: { 0: { Return: 1 } } } };
}

function refusal(parsed: unknown): string {
  try {
    commandMocksFromJson(parsed, 'mocks.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no refusal');
}

describe('a MockConfigFile read without --test-case', () => {
  it('names its first 20 test cases and counts the rest, not all 100,000 of them', () => {
    const message = refusal(config(100_000));
    expect(message).toContain('choose a test case with --test-case <name> (it has task/C0, task/C1,');
    expect(message).toMatch(/task\/C19, and 99,980 more\)$/);
    expect(message.length).toBeLessThan(1000);
  });

  it('shortens a test case name of 100,000 characters', () => {
    expect(refusal(config(1, () => 'n'.repeat(100_000))).length).toBeLessThan(1000);
  });

  it('still names every test case of a file with few', () => {
    expect(refusal(config(2))).toMatch(/\(it has task\/C0, task\/C1\)$/);
  });
});
