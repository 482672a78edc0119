import { frameOf } from '../../src/asl/jsonata/functions';
import { VariableStore } from '../../src/asl/variables';

describe('VariableStore.all()', () => {
  it("answers a child scope's variables with the same object while no scope assigns, so a JSONata frame is built once", () => {
    const outer = new VariableStore(undefined, { a: 1, b: { c: 2 } });
    const iteration = outer.child();
    iteration.assign({ mine: 3 });
    const first = iteration.all();
    expect(iteration.all()).toBe(first);
    expect(first).toEqual({ a: 1, b: { c: 2 }, mine: 3 });
    expect(frameOf(iteration.all())).toBe(frameOf(first));
  });

  it("sees the outer scope's next assignment, and keeps its own over it", () => {
    const outer = new VariableStore(undefined, { a: 1, mine: 0 });
    const branch = outer.child();
    branch.assign({ mine: 3 });
    const before = branch.all();
    outer.assign({ a: 2 });
    const after = branch.all();
    expect(after).not.toBe(before);
    expect(after).toEqual({ a: 2, mine: 3 });
    expect(before).toEqual({ a: 1, mine: 3 });
    expect(outer.all()).toEqual({ a: 2, mine: 0 });
  });

  it('gives a scope two levels in the variables of both scopes around it, anew after its own assignment', () => {
    const outer = new VariableStore(undefined, { a: 1 });
    const middle = outer.child();
    middle.assign({ b: 2 });
    const inner = middle.child();
    const seen = inner.all();
    expect(seen).toEqual({ a: 1, b: 2 });
    inner.assign({ c: 3 });
    expect(inner.all()).toEqual({ a: 1, b: 2, c: 3 });
    expect(middle.all()).toEqual({ a: 1, b: 2 });
    expect(seen).toEqual({ a: 1, b: 2 });
  });
});

describe('the JSONata frame of a set of variables', () => {
  it("binds the variables first and the state's data after them, and leaves no evaluation's data behind", () => {
    const variables = { states: 'a variable', total: 4 };
    const frame = frameOf(variables);
    expect(Object.keys(frame)).toEqual(['states', 'total', ' stepwright runtime']);
    expect(frame).toEqual({ 'states': undefined, 'total': 4, ' stepwright runtime': undefined });
    expect(frameOf({ ...variables })).not.toBe(frame);
  });
});
