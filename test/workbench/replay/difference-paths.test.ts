import { firstDifference } from '../../../src/workbench/replay/compare';

// The path firstDifference gives is JSONPath: a member whose name is not an identifier is
// bracketed, whether the recording has it and the run lacks it or the run has it and the recording
// does not, and a quote in its name is escaped so the path reads back as that one member.

describe('replay: the path of the first difference', () => {
  it('brackets a member the run has and the recording lacks when its name is not an identifier', () => {
    expect(firstDifference({ 'order id': 1 }, {})?.path).toBe("$['order id']");
  });

  it('brackets a member the recording has and the run lacks when its name is not an identifier', () => {
    expect(firstDifference({}, { 'order id': 1 })?.path).toBe("$['order id']");
  });

  it('escapes a quote in a bracketed member name', () => {
    expect(firstDifference({ "it's": 1 }, { "it's": 2 })?.path).toBe("$['it\\'s']");
  });

  it('keeps the dotted form for an identifier', () => {
    expect(firstDifference({ a: { b: 1 } }, { a: { b: 1, c: 2 } })?.path).toBe('$.a.c');
  });
});
