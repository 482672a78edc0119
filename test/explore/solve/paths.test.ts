import { applyBindings, BindingError, formatPath, parseBindingPath } from '../../../src/explore/solve';

describe('parseBindingPath', () => {
  it('reads JSONPath and JSONata spellings of the same node alike', () => {
    expect(parseBindingPath('$.order.total')).toEqual(parseBindingPath('$states.input.order.total'));
    expect(parseBindingPath('$$.Execution.Input.x')).toEqual(parseBindingPath('$states.context.Execution.Input.x'));
    expect(parseBindingPath('$limit.max')).toEqual({ root: { kind: 'variable', name: 'limit' }, steps: ['max'] });
  });

  it('names what is wrong with a path that is not a reference path', () => {
    expect(parseBindingPath('$.items[*]')).toEqual({ error: expect.stringContaining('names a single node') });
    expect(parseBindingPath('total')).toEqual({ error: expect.stringContaining("starts with '$'") });
  });
});

describe('formatPath', () => {
  it('writes names that are identifiers with a dot and the others in quotes', () => {
    expect(formatPath({ kind: 'input' }, ['a', 'x y', 0, "it's"])).toBe("$.a['x y'][0]['it\\'s']");
    expect(parseBindingPath(formatPath({ kind: 'input' }, ['a', 'x y', 0, "it's"]))).toEqual({ root: { kind: 'input' }, steps: ['a', 'x y', 0, "it's"] });
  });
});

describe('applyBindings', () => {
  it('sets a field, keeping its siblings and leaving the original untouched', () => {
    const input = { a: { keep: 1 } };
    expect(applyBindings({ input }, [{ path: '$.a.b', value: 2 }]).input).toEqual({ a: { keep: 1, b: 2 } });
    expect(input).toEqual({ a: { keep: 1 } });
  });

  it('creates what is missing and replaces what is not the container a step needs', () => {
    expect(applyBindings({ input: { a: 5 } }, [{ path: '$.a.b.c', value: 1 }]).input).toEqual({ a: { b: { c: 1 } } });
    expect(applyBindings({ input: { a: { x: 1 } } }, [{ path: '$.a[1]', value: 'v' }]).input).toEqual({ a: [null, 'v'] });
  });

  it('pads an array with null up to the index and cuts it before an absent index', () => {
    expect(applyBindings({ input: { items: [1] } }, [{ path: '$.items[3]', value: 4 }]).input).toEqual({ items: [1, null, null, 4] });
    expect(applyBindings({ input: { items: [1, 2, 3] } }, [{ path: '$.items[1]', absent: true }]).input).toEqual({ items: [1] });
  });

  it('deletes a field and leaves a path that is already absent as it is', () => {
    expect(applyBindings({ input: { a: 1, b: 2 } }, [{ path: '$.a', absent: true }]).input).toEqual({ b: 2 });
    const input = { a: 1 };
    expect(applyBindings({ input }, [{ path: '$.x.y', absent: true }]).input).toBe(input);
  });

  it('counts a negative index from the end of the array there', () => {
    expect(applyBindings({ input: { items: [1, 2, 3] } }, [{ path: '$.items[-1]', value: 9 }]).input).toEqual({ items: [1, 2, 9] });
    expect(() => applyBindings({ input: { items: [] } }, [{ path: '$.items[-1]', value: 9 }])).toThrow(BindingError);
  });

  it('sets and unassigns variables, and sets the Context Object', () => {
    const after = applyBindings({ input: {}, context: {}, variables: { old: 1 } }, [
      { path: '$limit.max', value: 3 }, { path: '$old', absent: true }, { path: '$states.context.Execution.Input.x', value: 'y' },
    ]);
    expect(after).toEqual({ input: {}, context: { Execution: { Input: { x: 'y' } } }, variables: { limit: { max: 3 } } });
  });

  it('applies bindings in order, so a later one sees an earlier one', () => {
    expect(applyBindings({ input: {} }, [{ path: '$.a', value: {} }, { path: '$.a.b', value: 1 }, { path: '$.a', value: 2 }]).input).toEqual({ a: 2 });
  });

  it('treats __proto__ as a field name, never as the prototype', () => {
    const after = applyBindings({ input: {} }, [{ path: "$['__proto__'].polluted", value: true }]);
    expect(Object.getPrototypeOf(after.input)).toBe(Object.prototype);
    expect(Object.keys(after.input as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses to make the state input absent, and a path that does not parse', () => {
    expect(() => applyBindings({ input: {} }, [{ path: '$', absent: true }])).toThrow("Cannot apply the binding at '$': the state input always exists");
    expect(() => applyBindings({ input: {} }, [{ path: '$.a[?(@.x)]', value: 1 }])).toThrow(BindingError);
  });
});
