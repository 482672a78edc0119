/*
 * ETL over S3: Distributed Maps reading a CSV in batches, a JSON export through an ItemsPointer,
 * the objects under a prefix, and JSON Lines in EXPRESS child executions; and a DynamoDB export
 * that pages through a query, gathering its items.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, ItemReader, Map, Task, ToleratedFailure } from 'stepwright';
import { bucket, fn, JSONATA, machine, queue, table, type ModernMachine } from './common';

export const csvImport: ModernMachine = {
  name: 'CsvImport',
  shape: 'ETL over S3',
  build(stack) {
    const landing = bucket(stack, 'Landing');
    const loadBatch = Task.lambdaInvoke(stack, 'Load rows', {
      lambdaFunction: fn(stack, 'LoadRowsFn'),
      payload: sfn.TaskInput.fromObject({ rows: '{% $states.input.Items %}', source: '{% $states.input.BatchInput.source %}' }),
      outputs: '{% {"loaded": $states.result.loaded, "rejected": $states.result.rejected} %}',
    });
    loadBatch.addRetry({ errors: ['Warehouse.Busy'], interval: Duration.seconds(5), maxAttempts: 3 });
    const importRows = Map.distributed(stack, 'Import rows', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.csv({ bucket: landing, key: 'daily/customers.csv' }),
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 500, batchInput: { source: '{% $states.input.source %}' } }),
      toleratedFailure: ToleratedFailure.percentage(5),
      maxConcurrency: 10,
      resultWriter: new sfn.ResultWriterV2({
        writerConfig: new sfn.WriterConfig({ outputType: sfn.OutputType.JSON, transformation: sfn.Transformation.COMPACT }),
      }),
      itemProcessor: loadBatch,
      outputs: '{% $merge([$states.input, {"loaded": $sum($states.result.loaded), "rejected": $sum($states.result.rejected)}]) %}',
    });
    const report = Task.lambdaInvoke(stack, 'Report rejects', {
      lambdaFunction: fn(stack, 'RejectsFn'),
      payload: sfn.TaskInput.fromObject({ rejected: '{% $states.input.rejected %}' }),
    });
    const tooMany = new sfn.Fail(stack, 'Too many rejects', { error: 'Import.TooManyRejects' });
    const check = Choice.jsonata(stack, 'Rejects?')
      .when(sfn.Condition.jsonata('{% $states.input.rejected > $states.input.loaded %}'), tooMany)
      .when(sfn.Condition.jsonata('{% $states.input.rejected > 0 %}'), report)
      .otherwise(new sfn.Succeed(stack, 'Imported'));
    machine(stack, importRows.next(check));
  },
};

export const jsonExport: ModernMachine = {
  name: 'JsonOrdersExport',
  shape: 'ETL over S3',
  build(stack) {
    const exports = bucket(stack, 'Exports');
    const fulfilment = queue(stack, 'Fulfilment');
    const skip = new sfn.Pass(stack, 'Skip cancelled', { outputs: '{% {"orderId": $states.input.id, "skipped": true} %}' });
    const normalise = new sfn.Pass(stack, 'Normalise order', {
      outputs: `{% {
        "orderId": $string($states.input.id),
        "amount": $number($states.input.amount),
        "country": $uppercase($states.input.shipping.country),
        "priority": $states.input.tags ? ("priority" in $states.input.tags) : false
      } %}`,
    });
    const send = new tasks.SqsSendMessage(stack, 'Queue order', {
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      queue: fulfilment,
      messageBody: sfn.TaskInput.fromObject({ order: '{% $states.input %}' }),
      outputs: '{% {"orderId": $states.input.orderId, "queued": true} %}',
    });
    const priority = Task.lambdaInvoke(stack, 'Expedite', {
      lambdaFunction: fn(stack, 'ExpediteFn'),
      payload: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}' }),
      outputs: '{% $states.input %}',
    });
    const route = Choice.jsonata(stack, 'Priority?')
      .when(sfn.Condition.jsonata('{% $states.input.priority and $states.input.amount > 500 %}'), priority.next(send))
      .otherwise(send);
    const status = Choice.jsonata(stack, 'Cancelled?')
      .when(sfn.Condition.jsonata('{% $states.input.status = "CANCELLED" %}'), skip)
      .otherwise(normalise.next(route));
    const each = Map.distributed(stack, 'Each order', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.json({ bucket: exports, key: 'orders/latest.json', itemsPointer: '/data/orders' }),
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      maxConcurrency: 50,
      itemProcessor: status,
      outputs: '{% {"queued": $count($states.result[queued]), "skipped": $count($states.result[skipped])} %}',
    });
    const none = new sfn.Pass(stack, 'Nothing queued', { outputs: '{% $merge([$states.input, {"alert": true}]) %}' });
    const check = Choice.jsonata(stack, 'Queued any?')
      .when(sfn.Condition.jsonata('{% $states.input.queued = 0 %}'), none)
      .otherwise(new sfn.Succeed(stack, 'Exported'));
    machine(stack, each.next(check));
  },
};

export const prefixScan: ModernMachine = {
  name: 'PrefixScan',
  shape: 'ETL over S3',
  build(stack) {
    const uploads = bucket(stack, 'Uploads');
    const large = Task.lambdaInvoke(stack, 'Split large file', {
      lambdaFunction: fn(stack, 'SplitFn'),
      payload: sfn.TaskInput.fromObject({ key: '{% $states.input.Key %}', size: '{% $states.input.Size %}' }),
      outputs: '{% {"key": $states.input.Key, "parts": $states.result.parts} %}',
    });
    const head = Task.awsSdkCall(stack, 'Read metadata', {
      service: 's3',
      action: 'headObject',
      parameters: { Bucket: uploads.bucketName, Key: '{% $states.input.Key %}' },
      iamResources: ['*'],
      outputs: '{% {"key": $states.input.Key, "type": $states.result.ContentType, "parts": 1} %}',
    });
    const skipEmpty = new sfn.Pass(stack, 'Skip empty', { outputs: '{% {"key": $states.input.Key, "parts": 0} %}' });
    const route = Choice.jsonata(stack, 'Size?')
      .when(sfn.Condition.jsonata('{% $states.input.Size = 0 %}'), skipEmpty)
      .when(sfn.Condition.jsonata('{% $states.input.Size > 104857600 %}'), large)
      .otherwise(head);
    const scan = Map.distributed(stack, 'Scan uploads', {
      queryLanguage: JSONATA,
      itemReader: new sfn.S3ObjectsItemReader({ bucket: uploads, prefix: 'incoming/' }),
      toleratedFailure: ToleratedFailure.count(10),
      maxConcurrency: 25,
      itemProcessor: route,
      outputs: '{% {"files": $count($states.result), "parts": $sum($states.result.parts)} %}',
    });
    const notify = Task.lambdaInvoke(stack, 'Start processing', {
      lambdaFunction: fn(stack, 'StartFn'),
      payload: sfn.TaskInput.fromObject({ parts: '{% $states.input.parts %}' }),
    });
    const any = Choice.jsonata(stack, 'Any parts?')
      .when(sfn.Condition.jsonata('{% $states.input.parts > 0 %}'), notify)
      .otherwise(new sfn.Succeed(stack, 'Nothing to do'));
    machine(stack, scan.next(any));
  },
};

export const logAggregation: ModernMachine = {
  name: 'LogAggregation',
  shape: 'ETL over S3',
  build(stack) {
    const logs = bucket(stack, 'Logs');
    const metric = Task.awsSdkCall(stack, 'Count error', {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: 'App/Logs',
        MetricData: [{ MetricName: 'Errors', Value: 1, Dimensions: [{ Name: 'Service', Value: '{% $states.input.service %}' }] }],
      },
      iamResources: ['*'],
      outputs: '{% {"level": "ERROR"} %}',
    });
    const warn = new sfn.Pass(stack, 'Note warning', { outputs: '{% {"level": "WARN"} %}' });
    const info = new sfn.Pass(stack, 'Ignore', { outputs: '{% {"level": $lowercase($states.input.level)} %}' });
    const level = Choice.jsonata(stack, 'Level?')
      .when(sfn.Condition.jsonata('{% $states.input.level = "ERROR" or $states.input.status >= 500 %}'), metric)
      .when(sfn.Condition.jsonata('{% $states.input.level = "WARN" %}'), warn)
      .otherwise(info);
    const lines = Map.distributed(stack, 'Read log lines', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.jsonl({ bucket: logs, key: 'app/latest.jsonl' }),
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      maxConcurrency: 100,
      itemProcessor: level,
      outputs: '{% {"errors": $count($states.result[level = "ERROR"]), "warnings": $count($states.result[level = "WARN"])} %}',
    });
    const page = Task.lambdaInvoke(stack, 'Page on-call', {
      lambdaFunction: fn(stack, 'PageFn'),
      payload: sfn.TaskInput.fromObject({ errors: '{% $states.input.errors %}' }),
    });
    const threshold = Choice.jsonata(stack, 'Error spike?')
      .when(sfn.Condition.jsonata('{% $states.input.errors >= 100 %}'), page)
      .otherwise(new sfn.Succeed(stack, 'Quiet'));
    machine(stack, lines.next(threshold));
  },
};

export const tableExport: ModernMachine = {
  name: 'TableExport',
  shape: 'ETL over S3',
  build(stack) {
    const events = table(stack, 'Events', 'tenant');
    const archive = bucket(stack, 'Archive');
    const start = new sfn.Pass(stack, 'Start export', { assign: { items: '{% [] %}', pages: 0 } });
    const page = (id: string, next: boolean) => {
      const task = Task.awsSdkCall(stack, id, {
        service: 'dynamodb',
        action: 'query',
        parameters: {
          TableName: events.tableName,
          KeyConditionExpression: 'tenant = :t',
          ExpressionAttributeValues: { ':t': { S: '{% $states.input.tenant %}' } },
          ...(next ? { ExclusiveStartKey: '{% $states.input.next %}' } : {}),
          Limit: 100,
        },
        iamResources: ['*'],
        assign: { items: '{% $append($items, $states.result.Items) %}', pages: '{% $pages + 1 %}' },
        outputs: '{% $exists($states.result.LastEvaluatedKey) ? {"tenant": $states.input.tenant, "next": $states.result.LastEvaluatedKey} : {"tenant": $states.input.tenant} %}',
      });
      task.addRetry({ errors: ['DynamoDb.ProvisionedThroughputExceededException'], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2 });
      return task;
    };
    const first = page('Query first page', false);
    const query = page('Query next page', true);
    const write = Task.awsSdkCall(stack, 'Write archive', {
      service: 's3',
      action: 'putObject',
      parameters: { Bucket: archive.bucketName, Key: "{% $states.input.tenant & '/events.json' %}", Body: '{% $string($items) %}' },
      iamResources: ['*'],
      outputs: '{% {"tenant": $states.input.tenant, "exported": $count($items), "pages": $pages} %}',
    });
    const tooMany = new sfn.Fail(stack, 'Too many pages', { error: 'Export.TooLarge' });
    const more = Choice.jsonata(stack, 'More pages?')
      .when(sfn.Condition.jsonata('{% $pages >= 50 %}'), tooMany)
      .when(sfn.Condition.jsonata('{% $exists($states.input.next) %}'), query)
      .otherwise(write);
    query.next(more);
    machine(stack, start.next(first).next(more));
  },
};
