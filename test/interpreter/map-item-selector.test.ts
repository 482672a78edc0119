import { run, single, types } from './helpers';
import type { JsonObject, JsonValue, TaskHandler } from '../../src/interpreter';

const R = 'arn:aws:states:::x:y';
const task = { StartAt: 'P', States: { P: { Type: 'Task', Resource: R, End: true } } };

/** 100 KB: 200 items' values of it are more than an inline Map holds at once (16 MiB). */
const big = 'x'.repeat(100_000);
const items = Array.from({ length: 200 }, (_, i) => i);

/**
 * Every value made by an ItemSelector whose template has the key `observed`, in the order made. A
 * value held is the same object its iteration then gets (no copy is made).
 */
const mockMade: JsonValue[] = [];
jest.mock('../../src/asl/payload', () => {
  const actual = jest.requireActual<typeof import('../../src/asl/payload')>('../../src/asl/payload');
  return {
    ...actual,
    compilePayloadTemplate: (template: JsonValue) => {
      const compiled = actual.compilePayloadTemplate(template);
      if (template === null || typeof template !== 'object' || Array.isArray(template) || !('observed' in template)) return compiled;
      return (scope: Parameters<typeof compiled>[0]) => {
        const value = compiled(scope);
        mockMade.push(value);
        return value;
      };
    },
  };
});

function observeSelector(): { made: JsonValue[]; restore: () => void } {
  mockMade.length = 0;
  return { made: mockMade, restore: () => { mockMade.length = 0; } };
}

/** For each iteration, in the order they run: how many values the ItemSelector had made after the one the iteration got (-1: not one it made). */
function madeAhead(made: JsonValue[]): { ahead: number[]; handler: TaskHandler } {
  const ahead: number[] = [];
  const handler: TaskHandler = (input) => {
    const at = made.lastIndexOf(input);
    ahead.push(at < 0 ? -1 : made.length - 1 - at);
    return { i: (input as JsonObject).i };
  };
  return { ahead, handler };
}

describe('Map state ItemSelector (inline)', () => {
  it('works out each ItemSelector value as its iteration is about to start when the values are too large to hold at once', async () => {
    const { made, restore } = observeSelector();
    try {
      const { ahead, handler } = madeAhead(made);
      const machine = single({
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 4,
        ItemSelector: { 'observed': true, 'i.$': '$$.Map.Item.Value', 's.$': '$.big' },
        ItemProcessor: task,
      });
      const r = await run(machine, { items, big }, { taskHandlers: { P: handler } });
      expect(r.status).toBe('SUCCEEDED');
      expect(r.output).toEqual(items.map((i) => ({ i })));
      expect(ahead).toHaveLength(items.length);
      // Every iteration got a value the ItemSelector made, and at most two windows of 4 (the
      // iterations running, the next read ahead) had been made after it: the old code made all
      // 200 before the first iteration started (199 ahead of it).
      expect(Math.min(...ahead)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...ahead)).toBeLessThanOrEqual(8);
    } finally {
      restore();
    }
  });

  it('works out each ItemSelector value once when the values fit together', async () => {
    const { made, restore } = observeSelector();
    try {
      const { handler } = madeAhead(made);
      const machine = single({
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 4,
        ItemSelector: { 'observed': true, 'i.$': '$$.Map.Item.Value' },
        ItemProcessor: task,
      });
      const r = await run(machine, { items }, { taskHandlers: { P: handler } });
      expect(r.output).toEqual(items.map((i) => ({ i })));
      expect(made).toHaveLength(items.length);
    } finally {
      restore();
    }
  });

  it('fails the Map before any iteration starts when a later item\'s ItemSelector fails, whatever the values\' size', async () => {
    let calls = 0;
    const keyed = items.map((i): JsonObject => (i === items.length - 1 ? {} : { k: i }));
    const machine = single({
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 4,
      ItemSelector: { 'k.$': '$$.Map.Item.Value.k', 's.$': '$.big' },
      ItemProcessor: task,
    });
    const r = await run(machine, { items: keyed, big }, { taskHandlers: { P: () => { calls++; return {}; } } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('$$.Map.Item.Value.k');
    expect(calls).toBe(0);
    expect(types(r.history)).not.toContain('MapIterationStarted');
  });

  it('gives each iteration its JSONata ItemSelector value when the values are too large to hold at once', async () => {
    const machine = single({
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: 3,
      ItemSelector: { i: '{% $states.context.Map.Item.Value %}', s: '{% $states.input.big %}' },
      ItemProcessor: task,
    }, { QueryLanguage: 'JSONata' });
    const seen: number[] = [];
    const r = await run(machine, { items, big }, {
      taskHandlers: {
        P: (input) => {
          const v = input as JsonObject;
          if (v.s === big) seen.push(v.i as number);
          return { i: v.i };
        },
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual(items.map((i) => ({ i })));
    expect(seen).toEqual(items);
  });
});
