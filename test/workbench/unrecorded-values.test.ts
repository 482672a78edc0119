import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';

/*
 * Values a Map or Parallel meets as it runs that AWS bounds, but whose handling no recording or
 * page of AWS's gives (docs/fidelity.md, "Values read as a state runs"): the run goes on with them,
 * as it did, and its advice now says so. A Parallel's or Map's collected result over the 256 KiB
 * payload limit that the state's output shrinks (a user reports AWS failing a DISTRIBUTED Map on
 * it: aws/aws-cdk#24799); an ItemBatcher's MaxItemsPerBatch or MaxInputBytesPerBatch of 0 or less,
 * a MaxInputBytesPerBatch over 256 KiB, an item over MaxInputBytesPerBatch by itself. Through the
 * CLI, serve and MCP: the corpus cases map-collected-result-past-limit-is-advice and
 * map-batcher-bounds-unrecorded-is-advice.
 */

const big = 'x'.repeat(140_000);
const twoBranches = [
  { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
  { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
];
const run = (definition: object, input: unknown) => Workflow.fromDefinition(definition as StateMachineDefinition).run(input as never);
const messages = (r: Awaited<ReturnType<typeof run>>) => r.advice.map((a) => a.message);
const COLLECTED = /^Parallel state 'Both' collected a result of 280,0\d\d bytes \(its branches' outputs\), over the 262,144-byte payload limit, which its output of [\d,]+ bytes is within/;

describe('a Parallel\'s or Map\'s collected result over the payload limit', () => {
  it.each([
    ['ResultPath null', { ResultPath: null }],
    ['a ResultSelector', { ResultSelector: { 'n.$': 'States.ArrayLength($)' } }],
    ['an OutputPath', { ResultPath: '$.both', OutputPath: '$.both[0].s' }],
  ])('succeeds when %s keeps the output within it, and says AWS\'s answer is not recorded', async (_, io) => {
    const r = await run({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: twoBranches, ...io, End: true } } }, { s: big });
    expect(r.status).toBe('SUCCEEDED');
    expect(messages(r)).toEqual([expect.stringMatching(COLLECTED)]);
    expect(r.advice[0].state).toBe('Both');
    expect(messages(r)[0]).toContain('Whether AWS fails the state with States.DataLimitExceeded on the result it collected, as it fails a Task on its result whatever ResultPath keeps, is not recorded');
  });

  it('says so of a JSONata Parallel whose Output keeps a count', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', Branches: twoBranches, Output: '{% $count($states.result) %}', End: true } },
    }, { s: big });
    expect(r.output).toBe(2);
    expect(messages(r)).toEqual([expect.stringMatching(COLLECTED)]);
  });

  it('says so of a DISTRIBUTED Map and a JSONata Map, and names the ResultWriter that keeps results out of the state', async () => {
    const processor = (mode: string) => ({ ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const input = { s: 'y'.repeat(1000), items: Array.from({ length: 300 }, (_, i) => i) };
    const distributed = await run({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 's.$': '$.s' }, ItemProcessor: processor('DISTRIBUTED'), ResultPath: null, End: true } },
    }, input);
    const jsonata = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: { Each: { Type: 'Map', Items: '{% $states.input.items %}', ItemSelector: '{% {"s": $states.input.s} %}', ItemProcessor: processor('INLINE'), Output: '{% $count($states.result) %}', End: true } },
    }, input);
    expect(jsonata.output).toBe(300);
    for (const r of [distributed, jsonata]) {
      expect(r.status).toBe('SUCCEEDED');
      expect(messages(r)).toEqual([expect.stringMatching(/^Map state 'Each' collected a result of 30\d,\d\d\d bytes \(its iterations' outputs\)/)]);
      expect(messages(r)[0]).toContain('or write a Distributed Map\'s results to S3 with a ResultWriter');
    }
  });

  it('fails with States.DataLimitExceeded, and says nothing more, when the output keeps the result', async () => {
    const r = await run({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: twoBranches, End: true } } }, { s: big });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
    expect(r.advice).toEqual([]);
  });

  it('says nothing of a result within the limit', async () => {
    const r = await run({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: twoBranches, ResultPath: null, End: true } } }, { s: 'x'.repeat(100_000) });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.advice).toEqual([]);
  });
});

describe('an ItemBatcher\'s bounds AWS\'s handling of which is not recorded', () => {
  const batched = (batcher: object) => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemBatcher: batcher,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'N', States: { N: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Items)' }, End: true } } },
        End: true,
      },
    },
  });

  it.each([
    [{ MaxItemsPerBatchPath: '$.v' }, 0, "Map 'Each' batches items with MaxItemsPerBatch 0: what AWS does with it is not recorded, so the Map goes on and gives each item a batch of its own"],
    [{ MaxItemsPerBatchPath: '$.v' }, -2, "Map 'Each' batches items with MaxItemsPerBatch -2: what AWS does with it is not recorded"],
    [{ MaxInputBytesPerBatchPath: '$.v' }, 0, "Map 'Each' batches items with MaxInputBytesPerBatch 0, not a positive number: what AWS does with it is not recorded, so the Map goes on and gives each item a batch of its own"],
    [{ MaxInputBytesPerBatchPath: '$.v' }, 262_145, "Map 'Each' batches items with MaxInputBytesPerBatch 262,145, over the 262,144 bytes a child execution's input may be: what AWS does with it is not recorded"],
  ])('runs %j reading %d as it did, and says so', async (batcher, v, message) => {
    const r = await run(batched(batcher), { items: ['a', 'b', 'c'], v });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual(v === 262_145 ? [{ n: 3 }] : [{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(messages(r)).toEqual([expect.stringContaining(message)]);
  });

  it('gives an item over MaxInputBytesPerBatch a batch of its own, and says so once', async () => {
    const r = await run(batched({ MaxInputBytesPerBatch: 10 }), { items: ['a', 'b'.repeat(20), 'c'.repeat(30), 'd'] });
    expect(r.output).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }, { n: 1 }]);
    expect(messages(r)).toEqual([expect.stringContaining("Map 'Each' read an item of 22 bytes, over its MaxInputBytesPerBatch of 10 by itself: what AWS does with it is not recorded")]);
  });

  it('says nothing of bounds within AWS\'s', async () => {
    const r = await run(batched({ MaxItemsPerBatch: 2, MaxInputBytesPerBatch: 262_144 }), { items: ['a', 'b', 'c'] });
    expect(r.output).toEqual([{ n: 2 }, { n: 1 }]);
    expect(r.advice).toEqual([]);
  });
});
