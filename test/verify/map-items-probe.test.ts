import type { StateMachineDefinition } from '../../src/asl';
import { Property } from '../../src/explore/properties';
import { Workflow } from '../../src/testing/workflow';
import { stopExploreClock } from '../explore-clock';
import { LAMBDA, reproduced } from './verify-setup';

/*
 * atMost(state, n) where the state sits in a Map whose items nothing in the definition bounds
 * (issue 78): a Map of k items runs its iteration k times, so the bound does not hold per run
 * whatever the items. Where the items come from the input or a Task's answer, verify gives a
 * run one iteration more than the bound allows (the Map-items probe) and the counterexample
 * re-runs; where a run's items would not break it (only the first item enters the state),
 * the verdict is UNKNOWN and its reason names the bound on the Map's items that proves it.
 */

stopExploreClock();

/** A Map over the input's items, in batches of 3: 4 items make 2 iterations. */
const BATCHED = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemBatcher: { MaxItemsPerBatch: 3 },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Load batch', States: { 'Load batch': { Type: 'Pass', End: true } } },
      ResultPath: null,
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** A Map whose iteration sends only the items from the third on to 'Later': a run that reaches it already has 3 items. */
const LATER_ITEMS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      ItemSelector: { position: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: {
        StartAt: 'Which?',
        States: {
          'Which?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.position < 2 %}', Next: 'Early' }], Default: 'Later' },
          'Early': { Type: 'Pass', End: true },
          'Later': { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** Only the Map's first item goes to 'Pin first': a run enters it once, however many items it has. */
const FIRST_ONLY = {
  QueryLanguage: 'JSONata',
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      ItemSelector: { position: '{% $states.context.Map.Item.Index %}' },
      ItemProcessor: {
        StartAt: 'First?',
        States: {
          'First?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.position = 0 %}', Next: 'Pin first' }], Default: 'Keep' },
          'Pin first': { Type: 'Pass', End: true },
          'Keep': { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** The first event is the stream's header; after it, an event that is no click fails the run. One at a time. */
const STREAM = {
  QueryLanguage: 'JSONata',
  StartAt: 'Replay',
  States: {
    Replay: {
      Type: 'Map',
      Items: '{% $states.input.events %}',
      MaxConcurrency: 1,
      ItemSelector: { line: '{% $states.context.Map.Item.Index %}', event: '{% $states.context.Map.Item.Value %}' },
      ItemProcessor: {
        StartAt: 'Which event?',
        States: {
          'Which event?': {
            Type: 'Choice',
            Choices: [
              { Condition: '{% $states.input.line = 0 %}', Next: 'Header' },
              { Condition: "{% $states.input.event.type = 'click' %}", Next: 'Count click' },
            ],
            Default: 'Bad event',
          },
          'Header': { Type: 'Pass', End: true },
          'Count click': { Type: 'Pass', End: true },
          'Bad event': { Type: 'Fail', Error: 'Stream.BadEvent' },
        },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** Each row is recorded by a call that sends its sku, one at a time: a row with none fails the call, and the Map with it. */
const ROWS = {
  QueryLanguage: 'JSONata',
  StartAt: 'Rows',
  States: {
    Rows: {
      Type: 'Map',
      Items: '{% $states.input.rows %}',
      MaxConcurrency: 1,
      ItemProcessor: {
        StartAt: 'Record',
        States: {
          Record: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'record', Payload: { sku: '{% $states.input.sku %}' } }, End: true },
        },
      },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

describe('verify gives a Map one iteration more than an atMost inside it allows', () => {
  it('breaks an atMost inside a batched Map with a batch more than the bound, and the counterexample reproduces', async () => {
    const wf = Workflow.fromDefinition(BATCHED);
    const report = await wf.verify({ loadOnce: Property.atMost('Load batch', 1) }, { budgetSeconds: 20 });
    const v = report.properties.loadOnce;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, BATCHED, v, 'loadOnce');
    expect(run.path.filter((s) => s === 'Load batch')).toHaveLength(2);
  });

  it('breaks an atMost on a state only later items enter, growing a run that already had more items than the bound', async () => {
    const wf = Workflow.fromDefinition(LATER_ITEMS);
    const report = await wf.verify({ laterOnce: Property.atMost('Later', 1) }, { budgetSeconds: 20 });
    const v = report.properties.laterOnce;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, LATER_ITEMS, v, 'laterOnce');
    expect(run.path.filter((s) => s === 'Later').length).toBeGreaterThan(1);
  });

  it('repeats the last item, where a copy of the first would fail: the header stays first, and the clicks after it count', async () => {
    const wf = Workflow.fromDefinition(STREAM);
    const report = await wf.verify({ oneClick: Property.atMost('Count click', 1) }, { budgetSeconds: 20 });
    const v = report.properties.oneClick;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, STREAM, v, 'oneClick');
    expect(run.path.filter((s) => s === 'Count click').length).toBeGreaterThan(1);
  });

  it('grows a run that entered the state and succeeded, not a lighter one whose item fails the call after it', async () => {
    const wf = Workflow.fromDefinition(ROWS);
    const report = await wf.verify({ recordOnce: Property.atMost('Record', 1) }, { budgetSeconds: 20 });
    const v = report.properties.recordOnce;
    expect(v.verdict).toBe('VIOLATED');
    const { run } = await reproduced(wf, ROWS, v, 'recordOnce');
    expect(run.path.filter((s) => s === 'Record')).toHaveLength(2);
  });
});

describe('an atMost inside a Map no run of more items breaks', () => {
  it('is UNKNOWN, its reason naming the bound on the Map\'s items that proves it', async () => {
    const report = await Workflow.fromDefinition(FIRST_ONLY).verify({ pinOnce: Property.atMost('Pin first', 1), keepTwice: Property.atMost('Keep', 3) }, { budgetSeconds: 20 });
    expect(report.properties.pinOnce.verdict).toBe('UNKNOWN');
    expect(report.properties.pinOnce.reason).toContain('With at most 1 item a run of each Map whose items the run\'s data gives, it is proved: give that bound (mapItems: 1, --max-map-items 1)');
    // 'Keep' takes every item but the first: a run of 5 items breaks it.
    expect(report.properties.keepTwice.verdict).toBe('VIOLATED');
  });

  it('HOLDS within the bound the reason names, resting on it', async () => {
    const report = await Workflow.fromDefinition(FIRST_ONLY).verify({ pinOnce: Property.atMost('Pin first', 1) }, { budgetSeconds: 20, mapItems: 1 });
    expect(report.properties.pinOnce.verdict).toBe('HOLDS');
    expect(report.boundsHit).toEqual(['mapItems']);
  });

  it('names the largest bound that proves a count over several items', async () => {
    // Only the first two items go to 'Early': at most 2 entries, which 2 items a run prove and 3 do not.
    const report = await Workflow.fromDefinition(LATER_ITEMS).verify({ earlyTwice: Property.atMost('Early', 2) }, { budgetSeconds: 20 });
    expect(report.properties.earlyTwice.verdict).toBe('UNKNOWN');
    expect(report.properties.earlyTwice.reason).toContain('With at most 2 items a run of each Map whose items the run\'s data gives, it is proved: give that bound (mapItems: 2, --max-map-items 2)');
  });
});
