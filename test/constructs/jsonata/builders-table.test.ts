import '../../../src/testing/setup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { build, type BuildScope } from './machine';
import { Choice, ItemReader, Jsonata, Map, Saga, Task, ToleratedFailure, TryCatch, When } from '../../../src/constructs/builders';
import { fail, succeed } from '../../../src/testing';

/**
 * One test per cell of docs/builders.md's table: each builder in each query language is
 * synthesized in a Stack, compared with the shape the AWS developer guide gives its fields,
 * validated and run.
 */
const J = sfn.QueryLanguage.JSONATA;
const P = sfn.QueryLanguage.JSON_PATH;
const bucketOf = (s: BuildScope) => (s.stack.node.tryFindChild('Data') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(s.stack, 'Data', 'data-bucket');

interface Cell {
  readonly builder: string;
  readonly language: sfn.QueryLanguage;
  /** The state's fields as the developer guide shows them for this language. */
  readonly renders: Record<string, unknown>;
  readonly state: string;
  readonly input: unknown;
  readonly options?: Record<string, unknown>;
  readonly output: unknown;
  make(s: BuildScope): sfn.IChainable;
}

const cells: Cell[] = [
  {
    builder: 'Task.lambdaInvoke',
    language: P,
    state: 'Charge',
    make: (s) => Task.lambdaInvoke(s.stack, 'Charge', { lambdaFunction: s.fn('ChargeFn'), payload: sfn.TaskInput.fromObject({ 'id.$': '$.id' }), resultPath: '$.charge' }),
    renders: { Type: 'Task', Parameters: { 'id.$': '$.id' }, ResultPath: '$.charge', TimeoutSeconds: 1200 },
    input: { id: 'o-1' },
    options: { mocks: { Charge: { ok: true } } },
    output: { id: 'o-1', charge: { ok: true } },
  },
  {
    builder: 'Task.lambdaInvoke',
    language: J,
    state: 'Charge',
    make: (s) => Task.lambdaInvoke(s.stack, 'Charge', {
      lambdaFunction: s.fn('ChargeFn'),
      payload: sfn.TaskInput.fromObject({ id: '{% $states.input.id %}' }),
      outputs: '{% $merge([$states.input, {"charge": $states.result}]) %}',
      taskTimeout: sfn.Timeout.jsonata('{% $states.input.timeout %}'),
    }),
    renders: { Type: 'Task', Arguments: { id: '{% $states.input.id %}' }, Output: '{% $merge([$states.input, {"charge": $states.result}]) %}', TimeoutSeconds: '{% $states.input.timeout %}' },
    input: { id: 'o-1', timeout: 30 },
    options: { mocks: { Charge: { ok: true } } },
    output: { id: 'o-1', timeout: 30, charge: { ok: true } },
  },
  {
    builder: 'Choice',
    language: P,
    state: 'Big?',
    make: (s) => new Choice(s.stack, 'Big?').when(When.number('$.total').greaterThan(100), new sfn.Pass(s.stack, 'Big', { result: sfn.Result.fromString('big') }))
      .otherwise(new sfn.Pass(s.stack, 'Small', { result: sfn.Result.fromString('small') })),
    renders: { Type: 'Choice', Choices: [{ Variable: '$.total', NumericGreaterThan: 100, Next: 'Big' }], Default: 'Small' },
    input: { total: 300 },
    output: 'big',
  },
  {
    builder: 'Choice',
    language: J,
    state: 'Big?',
    make: (s) => Choice.jsonata(s.stack, 'Big?').when(When.number('$states.input.total').greaterThan(100), new sfn.Pass(s.stack, 'Big', { outputs: 'big' }))
      .otherwise(new sfn.Pass(s.stack, 'Small', { outputs: 'small' })),
    renders: { Type: 'Choice', Choices: [{ Condition: expect.stringMatching(/^\{% .*\$states\.input\.total > 100.* %\}$/), Next: 'Big' }], Default: 'Small' },
    input: { total: 300 },
    output: 'big',
  },
  {
    builder: 'Map.inline',
    language: P,
    state: 'Each',
    make: (s) => Map.inline(s.stack, 'Each', { itemsPath: '$.orders', maxConcurrency: 2, itemSelector: { 'order.$': '$$.Map.Item.Value' }, itemProcessor: new sfn.Pass(s.stack, 'Work') }),
    renders: { Type: 'Map', ItemsPath: '$.orders', MaxConcurrency: 2, ItemSelector: { 'order.$': '$$.Map.Item.Value' } },
    input: { orders: [1, 2] },
    output: [{ order: 1 }, { order: 2 }],
  },
  {
    builder: 'Map.inline',
    language: J,
    state: 'Each',
    make: (s) => Map.inline(s.stack, 'Each', {
      queryLanguage: J,
      items: '{% $states.input.orders %}',
      maxConcurrency: Jsonata.number('$states.input.limit'),
      itemSelector: { order: '{% $states.context.Map.Item.Value %}' },
      itemProcessor: new sfn.Pass(s.stack, 'Work'),
    }),
    renders: { Type: 'Map', Items: '{% $states.input.orders %}', MaxConcurrency: '{% $states.input.limit %}', ItemSelector: { order: '{% $states.context.Map.Item.Value %}' } },
    input: { limit: 2, orders: [1, 2] },
    output: [{ order: 1 }, { order: 2 }],
  },
  {
    builder: 'Map.distributed',
    language: P,
    state: 'Bulk',
    make: (s) => Map.distributed(s.stack, 'Bulk', {
      itemReader: ItemReader.json({ bucket: bucketOf(s), key: 'export.json', itemsPointer: '/orders' }),
      toleratedFailure: ToleratedFailure.percentage(10),
      label: 'import',
      itemProcessor: new sfn.Pass(s.stack, 'Row'),
    }),
    renders: {
      Type: 'Map',
      Label: 'import',
      ToleratedFailurePercentage: 10,
      ItemReader: { Resource: expect.stringMatching(/:states:::s3:getObject$/), ReaderConfig: { InputType: 'JSON', ItemsPointer: '/orders' }, Parameters: { Bucket: 'data-bucket', Key: 'export.json' } },
    },
    input: {},
    options: { s3: { 'data-bucket': { 'export.json': { orders: [1, 2] } } } },
    output: [1, 2],
  },
  {
    builder: 'Map.distributed',
    language: J,
    state: 'Bulk',
    make: (s) => Map.distributed(s.stack, 'Bulk', {
      queryLanguage: J,
      itemReader: ItemReader.jsonl({ bucket: bucketOf(s), key: 'orders.jsonl', maxItems: Jsonata.number('$states.input.max') }),
      toleratedFailure: ToleratedFailure.count(Jsonata.number('$states.input.tolerate')),
      resultWriter: new sfn.ResultWriterV2({
        writerConfig: new sfn.WriterConfig({ outputType: sfn.OutputType.JSON, transformation: sfn.Transformation.COMPACT }),
      }),
      itemProcessor: new sfn.Pass(s.stack, 'Row'),
    }),
    renders: {
      Type: 'Map',
      ToleratedFailureCount: '{% $states.input.tolerate %}',
      ItemReader: { Resource: expect.stringMatching(/:states:::s3:getObject$/), ReaderConfig: { InputType: 'JSONL', MaxItems: '{% $states.input.max %}' }, Arguments: { Bucket: 'data-bucket', Key: 'orders.jsonl' } },
      ResultWriter: { WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' } },
    },
    input: { max: 2, tolerate: 0 },
    options: { s3: { 'data-bucket': { 'orders.jsonl': '1\n2\n3\n' } } },
    output: [1, 2],
  },
  {
    builder: 'Saga',
    language: P,
    state: 'Trip: Flight',
    make: (s) => new Saga(s.stack, 'Trip', { steps: [{ name: 'Flight', action: new sfn.Pass(s.stack, 'Book', { result: sfn.Result.fromObject({ flight: 'LH 1' }) }), compensation: new sfn.Pass(s.stack, 'Cancel') }] }),
    renders: { Type: 'Parallel' },
    input: {},
    output: { results: { Flight: { flight: 'LH 1' } } },
  },
  {
    builder: 'Saga',
    language: J,
    state: 'Trip: Flight',
    make: (s) => Saga.jsonata(s.stack, 'Trip', { steps: [{ name: 'Flight', action: new sfn.Pass(s.stack, 'Book', { outputs: { flight: 'LH 1' } }), compensation: new sfn.Pass(s.stack, 'Cancel') }] }),
    renders: { Type: 'Parallel' },
    input: {},
    output: { results: { Flight: { flight: 'LH 1' } } },
  },
  {
    builder: 'TryCatch',
    language: P,
    state: 'Charge',
    make: (s) => new TryCatch(s.stack, 'Charge', {
      try: Task.lambdaInvoke(s.stack, 'Card', { lambdaFunction: s.fn('CardFn') }), catch: [{ errors: ['Payment.Declined'], handler: new sfn.Pass(s.stack, 'Declined') }],
    }),
    renders: { Type: 'Parallel', ResultSelector: { 'value.$': '$[0]' }, OutputPath: '$.value' },
    input: { id: 'o-1' },
    options: { mocks: { Card: fail('Payment.Declined') } },
    output: { id: 'o-1', error: { Error: 'Payment.Declined' } },
  },
  {
    builder: 'TryCatch',
    language: J,
    state: 'Charge',
    make: (s) => TryCatch.jsonata(s.stack, 'Charge', {
      try: Task.lambdaInvoke(s.stack, 'Card', { lambdaFunction: s.fn('CardFn') }), catch: [{ errors: ['Payment.Declined'], handler: new sfn.Pass(s.stack, 'Declined') }],
    }),
    renders: { Type: 'Parallel', Output: '{% $states.result[0] %}' },
    input: { id: 'o-1' },
    options: { mocks: { Card: succeed({ paid: true }) } },
    output: { paid: true },
  },
];

describe('docs/builders.md: each builder in each query language', () => {
  it.each(cells.map((c) => [c.builder, c.language, c] as const))('%s in %s renders the guide\'s fields, validates and runs', async (_b, language, cell) => {
    const m = build(cell.make, language === J ? J : undefined);
    expect(m.asl.States[cell.state]).toMatchObject(cell.renders);
    expect(m.errors).toEqual([]);
    const run = await m.wf.run(cell.input as any, cell.options as any);
    expect(run).toSucceed();
    expect(run).toHaveOutput(cell.output as any);
  });
});
