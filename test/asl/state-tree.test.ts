import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { allStates, childMachines, forEachState, isDistributedMap, isWalkable, processorOf, stateField, statePointer } from '../../src/asl/state-tree';

const nested = {
  StartAt: 'Fan',
  States: {
    'Fan': {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
        {
          StartAt: 'Items',
          States: {
            Items: {
              Type: 'Map',
              ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
              End: true,
            },
          },
        },
      ],
      Next: 'a/b~c',
    },
    'a/b~c': { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

describe('state tree', () => {
  it('visits every state in definition order, each nested state right after the state that holds it', () => {
    const seen: string[] = [];
    forEachState(nested, (name) => seen.push(name));
    expect(seen).toEqual(['Fan', 'Left', 'Items', 'Each', 'a/b~c']);
    expect([...allStates(nested).keys()]).toEqual(seen);
  });

  it('gives each state its enclosing Parallel and Map states, its branch and its JSON pointer', () => {
    const where = new Map<string, unknown>();
    forEachState(nested, (name, _state, scope) => {
      const { enclosing, owner, branch } = scope;
      where.set(name, { enclosing, owner, branch, start: scope.machine.StartAt, pointer: statePointer(scope, name) });
    });
    expect(where.get('Fan')).toEqual({ enclosing: [], owner: undefined, branch: undefined, start: 'Fan', pointer: '/States/Fan' });
    expect(where.get('Left')).toEqual({ enclosing: ['Fan'], owner: 'Fan', branch: 0, start: 'Left', pointer: '/States/Fan/Branches/0/States/Left' });
    expect(where.get('Each')).toEqual({
      enclosing: ['Fan', 'Items'],
      owner: 'Items',
      branch: undefined,
      start: 'Each',
      pointer: '/States/Fan/Branches/1/States/Items/ItemProcessor/States/Each',
    });
    expect(where.get('a/b~c')).toMatchObject({ pointer: '/States/a~1b~0c' });
  });

  it("reads a Map's item processor from ItemProcessor, or from Iterator in older definitions", () => {
    const inner = { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } };
    expect(processorOf({ Type: 'Map', Iterator: inner, End: true } as never)).toBe(inner);
    const pointers: string[] = [];
    forEachState({ StartAt: 'M', States: { M: { Type: 'Map', Iterator: inner, End: true } } } as never, (name, _s, scope) => pointers.push(statePointer(scope, name)));
    expect(pointers).toEqual(['/States/M', '/States/M/Iterator/States/X']);
  });

  it('tells a DISTRIBUTED Map and the machines a state holds', () => {
    const states = allStates(nested);
    expect(isDistributedMap(states.get('Items') as never)).toBe(true);
    expect(childMachines(states.get('Fan')!).map((m) => m.StartAt)).toEqual(['Left', 'Items']);
    expect(childMachines(states.get('Left')!)).toEqual([]);
  });

  it('walks a malformed definition as far as it goes without throwing', () => {
    const bad = {
      StartAt: 'A',
      States: { A: null, B: { Type: 'Parallel', Branches: 'none' }, C: { Type: 'Map', ItemProcessor: 7 }, D: { Type: 'Parallel', Branches: [null, { States: null }] } },
    } as unknown as StateMachineDefinition;
    expect([...allStates(bad).keys()]).toEqual(['B', 'C', 'D']);
    expect(allStates(null as never).size).toBe(0);
  });

  it('leaves out machines nested deeper than maxDepth', () => {
    let machine: Record<string, unknown> = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true } } };
    for (let i = 0; i < 5; i++) machine = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [machine], End: true } } };
    expect(allStates(machine as never).size).toBe(6);
    expect([...allStates(machine as never, { maxDepth: 2 }).keys()]).toEqual(['P4', 'P3', 'P2']);
  });
});

describe('reading a definition from a user as JSON', () => {
  it('takes as walkable only an object whose States is an object', () => {
    expect(isWalkable({ StartAt: 'A', States: {} })).toBe(true);
    expect(isWalkable({ States: {} })).toBe(true);
    for (const value of [null, 'text', 3, [], { States: null }, { States: 'A' }, {}]) expect(isWalkable(value)).toBe(false);
  });

  it('claims of a walkable value only what it checks: StartAt and QueryLanguage stay unknown', () => {
    const value: unknown = JSON.parse('{"StartAt": 3, "QueryLanguage": ["JSONata"], "States": {"A": {"Type": "Pass", "End": true}}}');
    expect(isWalkable(value)).toBe(true);
    if (!isWalkable(value)) return;
    // tsc (test/tsconfig.json) holds the type: a guard that claimed a StateMachineDefinition would type StartAt a string.
    // @ts-expect-error StartAt is not checked by isWalkable
    const start: string = value.StartAt;
    expect(typeof start).toBe('number');
    const names: string[] = [];
    forEachState(value, (name, _state, scope) => {
      // @ts-expect-error a machine of an unchecked walk is not typed a checked one
      const machine: StateMachineDefinition = scope.machine;
      names.push(name, typeof machine);
    });
    expect(names).toEqual(['A', 'object']);
  });

  it("reads a state's own fields by name, and never one it inherits", () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', TimeoutSeconds: 5, End: true } as const;
    expect(stateField(state, 'TimeoutSeconds')).toBe(5);
    expect(stateField(state, 'Resource')).toBe('arn:aws:states:::sqs:sendMessage');
    expect(stateField(state, 'Parameters')).toBeUndefined();
    expect(stateField(state, 'constructor')).toBeUndefined();
    expect(stateField(state, '__proto__')).toBeUndefined();
  });
});
