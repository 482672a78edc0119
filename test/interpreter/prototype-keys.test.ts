import { outputOf, run, single } from './helpers';

/** An input with an own `__proto__` key, as JSON.parse makes it. */
const protoInput = () => JSON.parse('{"__proto__": {"y": 2}, "keep": 1}');

afterEach(() => {
  // Nothing here may reach Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('JSON keys named __proto__, constructor and prototype are data', () => {
  it('adds a key named __proto__ with ResultPath $.__proto__; a following Choice does not see its fields as the object\'s', async () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Result: { polluted: 'yes' }, ResultPath: '$.__proto__', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.polluted', IsPresent: true, Next: 'Polluted' }], Default: 'Clean' },
        Polluted: { Type: 'Fail', Error: 'Polluted' },
        Clean: { Type: 'Pass', End: true },
      },
    };
    const out = await outputOf(def, {});
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"yes"}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it.each(['Parameters', 'ResultSelector'])('makes a %s field "__proto__.$" an own key', async (field) => {
    const state = field === 'Parameters'
      ? { Type: 'Pass', Parameters: { '__proto__.$': '$.x', 'other': 1 } }
      : { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', ResultSelector: { '__proto__.$': '$.x', 'other': 1 } };
    const out = await outputOf(single(state), { x: { polluted: 'yes' } }, { taskHandlers: { S: (input) => input } });
    // The fixed field comes first, as AWS orders a template's fields (docs/fidelity.md).
    expect(JSON.stringify(out)).toBe('{"other":1,"__proto__":{"polluted":"yes"}}');
    expect((out as Record<string, unknown>).other).toBe(1);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('makes an ItemSelector field "__proto__.$" an own key of each item', async () => {
    const def = single({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { '__proto__.$': '$$.Map.Item.Value' },
      ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
    });
    const out = await outputOf(def, { items: [{ polluted: 1 }] }) as unknown[];
    expect(JSON.stringify(out)).toBe('[{"__proto__":{"polluted":1}}]');
  });

  it('keeps an input\'s own __proto__ key under ResultPath $.__proto__.x, and adds x to it', async () => {
    const out = await outputOf(single({ Type: 'Pass', Result: 1, ResultPath: '$.__proto__.x' }), protoInput());
    expect(JSON.stringify(out)).toBe('{"__proto__":{"y":2,"x":1},"keep":1}');
  });

  it('keeps an input\'s own __proto__ key through ResultPath $.other', async () => {
    const out = await outputOf(single({ Type: 'Pass', Result: 1, ResultPath: '$.other' }), protoInput());
    expect(JSON.stringify(out)).toBe('{"__proto__":{"y":2},"keep":1,"other":1}');
  });

  it('reads $.__proto__ and $.constructor only as own keys', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'p.$': '$.__proto__', 'c.$': '$.constructor' } });
    expect(await outputOf(def, JSON.parse('{"__proto__": 1, "constructor": 2}'))).toEqual({ p: 1, c: 2 });
    const r = await run(def, {});
    expect(r.error).toBe('States.Runtime');
  });

  it('creates constructor and prototype keys with ResultPath $.constructor.prototype', async () => {
    const out = await outputOf(single({ Type: 'Pass', Result: 'v', ResultPath: '$.constructor.prototype' }), {});
    expect(JSON.stringify(out)).toBe('{"constructor":{"prototype":"v"}}');
  });

  it('merges __proto__ keys as data with States.JsonMerge', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'm.$': 'States.JsonMerge($.a, $.b, false)' } });
    const out = await outputOf(def, JSON.parse('{"a": {"k": 1}, "b": {"__proto__": {"polluted": 1}}}')) as { m: unknown };
    // In HashMap order, as AWS merges (docs/fidelity.md).
    expect(JSON.stringify(out.m)).toBe('{"__proto__":{"polluted":1},"k":1}');
  });

  it('keeps __proto__ keys of JSONata results and of JSONata Output templates', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      // From JSON text: in a JavaScript object literal, `'__proto__':` would set the prototype.
      States: { P: { Type: 'Pass', Output: JSON.parse('{"__proto__": "{% $states.input.x %}", "built": "{% {\\"__proto__\\": {\\"polluted\\": 2}} %}"}'), End: true } },
    };
    const out = await outputOf(def, { x: { polluted: 1 } });
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1},"built":{"__proto__":{"polluted":2}}}');
  });

  it('assigns and reads a variable through a __proto__ key of its value', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { v: '{% $states.input %}' }, Next: 'B' },
        B: { Type: 'Pass', Output: '{% $v.__proto__ %}', End: true },
      },
    };
    expect(await outputOf(def, protoInput())).toEqual({ y: 2 });
  });
});
