import { fieldOf, memberOf, ownValue } from '../../src/asl/own';

describe('the readers of a field a type does not name', () => {
  it('fieldOf reads a JSON value\'s own field, never one inherited from Object.prototype', () => {
    const parsed: unknown = JSON.parse('{"QueryLanguage":"JSONata","__proto__":{"States":{}}}');
    expect(fieldOf(parsed, 'QueryLanguage')).toBe('JSONata');
    expect(fieldOf(parsed, 'constructor')).toBeUndefined();
    expect(fieldOf(parsed, 'toString')).toBeUndefined();
    // An own `__proto__` key is a key like any other.
    expect(fieldOf(parsed, '__proto__')).toEqual({ States: {} });
    expect(fieldOf(parsed, 'States')).toBeUndefined();
  });

  it('fieldOf answers undefined for a value that holds no fields', () => {
    for (const value of [null, undefined, 'text', 3, true]) expect(fieldOf(value, 'length')).toBeUndefined();
  });

  it('fieldOf reads a symbol key, and the own fields of an array and a function', () => {
    const key = Symbol.for('stepwright.test');
    expect(fieldOf({ [key]: 1 }, key)).toBe(1);
    expect(fieldOf(['a'], 0)).toBe('a');
    expect(fieldOf(Object.assign(() => 1, { extend: 'x' }), 'extend')).toBe('x');
  });

  it('memberOf reads a member as a read of it does: inherited ones and getters too', () => {
    class Exports {
      public handler(): string { return 'ok'; }
    }
    const exported = new Exports();
    expect(typeof memberOf(exported, 'handler')).toBe('function');
    expect(fieldOf(exported, 'handler')).toBeUndefined();
    const withGetter = Object.defineProperty({}, 'handler', { get: () => 'got', enumerable: true });
    expect(memberOf(withGetter, 'handler')).toBe('got');
    expect(memberOf(undefined, 'handler')).toBeUndefined();
  });

  it('ownValue still reads a record\'s own value only', () => {
    expect(ownValue<string>({ a: 'x' }, 'constructor')).toBeUndefined();
    expect(ownValue<string>({ a: 'x' }, 'a')).toBe('x');
  });
});
