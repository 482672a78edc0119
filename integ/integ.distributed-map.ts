import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ItemReader, Jsonata, Map, ToleratedFailure } from '../src/constructs/builders';

// Distributed Maps with the fields aws-cdk-lib does not render: a JSON file's ItemsPointer, a JSON
// Lines reader with a JSONata MaxItems, a CSV delimiter, a ResultWriter with WriterConfig (without
// the feature flag), BatchInput, a Label and EXPRESS child executions.
const app = new App();
const stack = new Stack(app, 'stepwright-distributed-map');
const bucket = new s3.Bucket(stack, 'Data');

const fromJson = Map.distributed(stack, 'From JSON', {
  itemReader: ItemReader.json({ bucket, key: 'exports/today.json', itemsPointer: '/data/orders' }),
  itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 100, batchInput: { 'runId.$': '$$.Execution.Name' } }),
  label: 'from-json',
  mapExecutionType: sfn.StateMachineType.EXPRESS,
  resultPath: sfn.JsonPath.DISCARD,
  itemProcessor: new sfn.Pass(stack, 'Batch'),
});
const fromCsv = Map.distributed(stack, 'From CSV', {
  itemReader: ItemReader.csv({ bucket, key: 'exports/today.csv', delimiter: sfn.CsvDelimiter.SEMICOLON }),
  toleratedFailure: ToleratedFailure.count(5),
  itemProcessor: new sfn.Pass(stack, 'Row'),
});
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(fromJson.next(fromCsv)) });

const fromJsonl = Map.distributed(stack, 'From JSONL', {
  queryLanguage: sfn.QueryLanguage.JSONATA,
  itemReader: ItemReader.jsonl({ bucket, key: 'exports/today.jsonl', maxItems: Jsonata.number('$states.input.limit') }),
  resultWriter: new sfn.ResultWriterV2({
    bucket,
    prefix: 'results',
    writerConfig: new sfn.WriterConfig({ outputType: sfn.OutputType.JSONL, transformation: sfn.Transformation.FLATTEN }),
  }),
  label: 'from-jsonl',
  itemProcessor: new sfn.Pass(stack, 'Line', { outputs: '{% [$states.input] %}' }),
});
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(fromJsonl) });

new IntegTest(app, 'distributed-map', { testCases: [stack] });
