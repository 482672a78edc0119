import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { render } from './render';
import { Map, ToleratedFailure } from '../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;
const proc = (name: string) => ({ ProcessorConfig: { Mode: 'INLINE' }, StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('Map', () => {
  it('renders an inline Map with items path, selector and concurrency (JSONPath)', () => {
    const asl = render((s) => Map.inline(s, 'Each', {
      itemProcessor: new sfn.Pass(s, 'Work'), itemsPath: '$.orders', maxConcurrency: 5, itemSelector: { 'order.$': '$$.Map.Item.Value' }, resultPath: '$.done',
    }));
    expect(asl.States.Each).toEqual({
      Type: 'Map',
      End: true,
      ItemsPath: '$.orders',
      MaxConcurrency: 5,
      ResultPath: '$.done',
      ItemSelector: { 'order.$': '$$.Map.Item.Value' },
      ItemProcessor: proc('Work'),
    });
  });

  it('renders an inline Map with Items and Output (JSONata)', () => {
    const asl = render((s) => Map.inline(s, 'Each', {
      queryLanguage: J, itemProcessor: new sfn.Pass(s, 'Work'), items: '{% $states.input.orders %}', outputs: '{% $count($states.result) %}',
    }), { queryLanguage: J });
    expect(asl.States.Each).toEqual({
      Type: 'Map', End: true, Items: '{% $states.input.orders %}', Output: '{% $count($states.result) %}', ItemProcessor: proc('Work'),
    });
  });

  it('renders Assign on a distributed and an inline Map, in JSONata and JSONPath, as aws-cdk-lib renders it', () => {
    const jsonata = render((s) => Map.distributed(s, 'Bulk', {
      queryLanguage: J, itemProcessor: new sfn.Pass(s, 'Row'), outputs: '{% $states.result %}', assign: { imported: '{% $count($states.result) %}', source: 'orders' },
    }), { queryLanguage: J });
    expect(jsonata.States.Bulk).toMatchObject({ Output: '{% $states.result %}', Assign: { imported: '{% $count($states.result) %}', source: 'orders' } });
    const jsonPath = render((s) => Map.inline(s, 'Each', { itemProcessor: new sfn.Pass(s, 'Work'), assign: { 'first.$': '$[0]' } }));
    expect(jsonPath.States.Each).toMatchObject({ Assign: { 'first.$': '$[0]' } });
  });

  it('renders a distributed Map with tolerated failure percentage and batching', () => {
    const asl = render((s) => Map.distributed(s, 'Bulk', {
      itemProcessor: new sfn.Pass(s, 'Row'), toleratedFailure: ToleratedFailure.percentage(5), itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 100 }),
    }));
    expect(asl.States.Bulk).toMatchObject({
      Type: 'Map',
      ToleratedFailurePercentage: 5,
      ItemBatcher: { MaxItemsPerBatch: 100 },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
  });

  it('renders a tolerated failure count', () => {
    const asl = render((s) => Map.distributed(s, 'Bulk', { itemProcessor: new sfn.Pass(s, 'Row'), toleratedFailure: ToleratedFailure.count(2) }));
    expect(asl.States.Bulk.ToleratedFailureCount).toBe(2);
    expect(asl.States.Bulk.ToleratedFailurePercentage).toBeUndefined();
  });

  it.each([
    [() => ToleratedFailure.percentage(101), /ToleratedFailure.percentage: expected 0 to 100, got 101/],
    [() => ToleratedFailure.count(-1), /ToleratedFailure.count: expected a whole number >= 0, got -1/],
  ])('rejects out-of-range tolerated failure (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  it('rejects a negative maxConcurrency and fields of the other query language', () => {
    expect(() => render((s) => Map.inline(s, 'M', { itemProcessor: new sfn.Pass(s, 'P'), maxConcurrency: -1 })))
      .toThrow(/maxConcurrency: Map 'M': expected a whole number >= 0 \(0 = no limit\), got -1/);
    expect(() => render((s) => Map.inline(s, 'M', { queryLanguage: J, itemProcessor: new sfn.Pass(s, 'P'), itemsPath: '$.a' })))
      .toThrow(/itemsPath: Map 'M': 'itemsPath' is a JSONPath field but this Map uses JSONata/);
  });
});
