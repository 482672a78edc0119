import '../../../src/testing/setup';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { build } from './machine';
import { Jsonata, Map, Task, ToleratedFailure } from '../../../src/constructs/builders';
import { fail, succeed } from '../../../src/testing';

const J = sfn.QueryLanguage.JSONATA;

describe('JSONata in number and timing fields', () => {
  it('renders Jsonata.number as a {% %} MaxConcurrency with no cast, validates it and runs it', async () => {
    const m = build((s) => Map.inline(s.stack, 'Each', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      maxConcurrency: Jsonata.number('$states.input.limit'),
      itemProcessor: new sfn.Pass(s.stack, 'Work'),
    }), J);
    expect(m.asl.States.Each.MaxConcurrency).toBe('{% $states.input.limit %}');
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ limit: 2, orders: [1, 2, 3] });
    expect(run).toSucceed();
    expect(run).toHaveOutput([1, 2, 3]);
  });

  it('renders tolerated failure count and percentage from JSONata and fails past the count the input gives', async () => {
    const m = build((s) => Map.distributed(s.stack, 'Bulk', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      toleratedFailure: ToleratedFailure.count(Jsonata.number('$states.input.tolerate')),
      itemProcessor: Task.lambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn'), queryLanguage: J, transientErrorRetry: false }),
    }), J);
    expect(m.asl.States.Bulk.ToleratedFailureCount).toBe('{% $states.input.tolerate %}');
    expect(m.errors).toEqual([]);
    const mocks = { Charge: [succeed({}), fail('Payment.Declined'), succeed({})] };
    expect(await m.wf.run({ tolerate: 1, orders: [1, 2, 3] }, { mocks })).toSucceed();
    expect(await m.wf.run({ tolerate: 0, orders: [1, 2, 3] }, { mocks })).toFail('States.ExceedToleratedFailureThreshold');

    const pct = build((s) => Map.distributed(s.stack, 'Bulk', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      toleratedFailure: ToleratedFailure.percentage(Jsonata.number('$states.input.pct')),
      itemProcessor: new sfn.Pass(s.stack, 'Row'),
    }), J);
    expect(pct.asl.States.Bulk.ToleratedFailurePercentage).toBe('{% $states.input.pct %}');
    expect(pct.errors).toEqual([]);
    expect(await pct.wf.run({ pct: 50, orders: [1] })).toSucceed();
  });

  it('renders ItemBatcher limits from JSONata and batches by them', async () => {
    const m = build((s) => Map.distributed(s.stack, 'Bulk', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: Jsonata.number('$states.input.size'), maxInputBytesPerBatch: Jsonata.number('1024 * 64') }),
      itemProcessor: new sfn.Pass(s.stack, 'Row', { queryLanguage: J, outputs: '{% $count($states.input.Items) %}' }),
    }), J);
    expect(m.asl.States.Bulk.ItemBatcher).toEqual({ MaxItemsPerBatch: '{% $states.input.size %}', MaxInputBytesPerBatch: '{% 1024 * 64 %}' });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ size: 2, orders: [1, 2, 3, 4, 5] });
    expect(run).toHaveOutput([2, 2, 1]);
  });

  it('renders a task\'s TimeoutSeconds and HeartbeatSeconds and a Wait\'s Seconds and Timestamp from JSONata', async () => {
    const m = build((s) => {
      const pause = sfn.Wait.jsonata(s.stack, 'Pause', { time: sfn.WaitTime.seconds('{% $states.input.delay %}') });
      const until = sfn.Wait.jsonata(s.stack, 'Until', { time: sfn.WaitTime.timestamp(Jsonata.string('$states.input.at')) });
      const call = Task.lambdaInvoke(s.stack, 'Call', {
        lambdaFunction: s.fn('CallFn'),
        queryLanguage: J,
        taskTimeout: sfn.Timeout.jsonata('{% $states.input.timeout %}'),
        heartbeatTimeout: sfn.Timeout.jsonata('{% 60 %}'),
      });
      return pause.next(until).next(call);
    }, J);
    expect(m.asl.States.Pause.Seconds).toBe('{% $states.input.delay %}');
    expect(m.asl.States.Until.Timestamp).toBe('{% $states.input.at %}');
    expect(m.asl.States.Call).toMatchObject({ TimeoutSeconds: '{% $states.input.timeout %}', HeartbeatSeconds: '{% 60 %}' });
    expect(m.errors).toEqual([]);
    const run = await m.wf.run({ delay: 30, at: '2024-01-01T01:00:00Z', timeout: 120 }, { mocks: { Call: { ok: true } } });
    expect(run).toSucceed();
    expect(run.history.find((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Call')?.timestamp)
      .toEqual(new Date('2024-01-01T01:00:00Z'));
  });

  it.each([
    ['MaxConcurrency', () => build((s) => Map.inline(s.stack, 'Each', { maxConcurrency: Jsonata.number('$states.input.n'), itemProcessor: new sfn.Pass(s.stack, 'P') }))],
    ['ToleratedFailurePercentage', () => build((s) => Map.distributed(s.stack, 'Bulk', {
      toleratedFailure: ToleratedFailure.percentage(Jsonata.number('$states.input.n')), itemProcessor: new sfn.Pass(s.stack, 'P'),
    }))],
    ['ItemBatcher.MaxItemsPerBatch', () => build((s) => Map.distributed(s.stack, 'Bulk', {
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: Jsonata.number('2') }), itemProcessor: new sfn.Pass(s.stack, 'P'),
    }))],
    ['TimeoutSeconds', () => build((s) => Task.lambdaInvoke(s.stack, 'Call', { lambdaFunction: s.fn('F'), taskTimeout: sfn.Timeout.jsonata('{% 5 %}') }))],
    ['Credentials.RoleArn', () => build((s) => Task.lambdaInvoke(s.stack, 'Call', {
      lambdaFunction: s.fn('F'), credentials: { role: Jsonata.roleArn('$states.input.role') },
    }))],
  ])('fails synth naming %s when a JSONata expression is given to a JSONPath state', (field, make) => {
    expect(make).toThrow(new RegExp(`${field.replace('.', '\\.')}: State '\\w+' is a JSONPath state but its ${field.replace('.', '\\.')} is the JSONata expression`));
  });

  it('keeps checking plain numbers: a negative MaxConcurrency still fails at construction', () => {
    expect(() => build((s) => Map.inline(s.stack, 'Each', { maxConcurrency: -1, itemProcessor: new sfn.Pass(s.stack, 'P') })))
      .toThrow(/maxConcurrency: Map 'Each': expected a whole number >= 0/);
  });

  it('refuses an expression given with its {% %} delimiters', () => {
    expect(() => Jsonata.number('{% $x %}')).toThrow(/without its \{% %\} delimiters/);
  });

});
