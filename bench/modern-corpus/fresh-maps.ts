/*
 * Machines written blind for explore round 4 (issue 77, second batch), before reading how explore
 * works, around Maps and loops: Distributed Maps over S3 given no folder whose later states need the
 * items (their count, their fields, `$states.context.Map.Item.Index`, `.Value` and `.Source`), with
 * each ItemReader form (a JSON array, a CSV with its header row and with the headers given, JSON
 * Lines, an S3 Inventory manifest, a ListObjectsV2 listing under a prefix), ItemSelector,
 * ItemBatcher (BatchInput, MaxItemsPerBatch), tolerated failures and a ResultWriter; an inline Map
 * whose third line is special; an Athena query polled with a counter; a labelling job handed to a
 * worker through a callback with a heartbeat; and a payment screened by a Parallel whose merged
 * result feeds a Choice.
 *
 * Two states no input or answer can reach, each of its own kind, and said so in their machine's
 * comment: `AthenaDailyReport`'s `Cancelled after fetch` (an earlier Choice on the same variable
 * sent every CANCELLED query elsewhere) and `PaymentScreening`'s `No risk score` (a Lambda answer
 * without a score already failed the Parallel's `Assign`).
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, ItemReader, Map, Task, ToleratedFailure } from 'stepwright';
import { bucket, fn, JSONATA, machine, queue, topic, type ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * Thumbnails for an album: the photos listed in a JSON array in S3 (bucket and key from the input),
 * each selected with its position, key, width and where it came from; a photo under 200 pixels wide
 * is skipped, the first one becomes the album's cover. After the Map: an empty album fails, one
 * whose every photo was skipped fails too, a big one gets gallery pages, and the cover's URI is
 * kept.
 */
export const mapsPhotoThumbnails: ModernMachine = {
  name: 'MapsPhotoThumbnails',
  shape: 'ETL over S3',
  build(stack) {
    const tooSmall = new sfn.Pass(stack, 'Too small', { outputs: '{% {"position": $states.input.position, "skipped": true} %}' });
    const cover = Task.lambdaInvoke(stack, 'Make cover', {
      lambdaFunction: fn(stack, 'CoverFn'),
      payload: sfn.TaskInput.fromObject({ key: '{% $states.input.photo %}', from: '{% $states.input.source %}' }),
      outputs: '{% {"position": $states.input.position, "thumb": $states.result.uri, "cover": true} %}',
    });
    const thumb = Task.lambdaInvoke(stack, 'Make thumbnail', {
      lambdaFunction: fn(stack, 'ThumbFn'),
      payload: sfn.TaskInput.fromObject({ key: '{% $states.input.photo %}', width: 320 }),
      outputs: '{% {"position": $states.input.position, "thumb": $states.result.uri} %}',
    });
    const each = Choice.jsonata(stack, 'Which photo?')
      .when(sfn.Condition.jsonata('{% $states.input.width < 200 %}'), tooSmall)
      .when(sfn.Condition.jsonata('{% $states.input.position = 0 %}'), cover)
      .otherwise(thumb);
    const photos = Map.distributed(stack, 'Each photo', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.json({ bucketName: '{% $states.input.bucket %}', key: "{% 'albums/' & $states.input.album & '/photos.json' %}" }),
      itemSelector: {
        position: '{% $states.context.Map.Item.Index %}',
        photo: '{% $states.context.Map.Item.Value.key %}',
        width: '{% $states.context.Map.Item.Value.width %}',
        source: '{% $states.context.Map.Item.Source %}',
      },
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      toleratedFailure: ToleratedFailure.count(3),
      maxConcurrency: 40,
      itemProcessor: each,
      outputs: `{% {
        "album": $states.input.album,
        "photos": $count($states.result),
        "skipped": $count($states.result[skipped = true]),
        "cover": $states.result[cover = true].thumb
      } %}`,
    });
    const gallery = Task.lambdaInvoke(stack, 'Build gallery pages', {
      lambdaFunction: fn(stack, 'GalleryFn'),
      payload: sfn.TaskInput.fromObject({ album: '{% $states.input.album %}', pages: '{% $ceil($states.input.photos / 24) %}' }),
    });
    const done = Choice.jsonata(stack, 'Album ready?')
      .when(sfn.Condition.jsonata('{% $states.input.photos = 0 %}'), new sfn.Fail(stack, 'Empty album', { error: 'Album.Empty' }))
      .when(sfn.Condition.jsonata('{% $states.input.skipped = $states.input.photos %}'), new sfn.Fail(stack, 'Nothing usable', { error: 'Album.AllTooSmall' }))
      .when(sfn.Condition.jsonata('{% $states.input.photos > 24 %}'), gallery)
      .otherwise(new sfn.Succeed(stack, 'Album done'));
    machine(stack, photos.next(done));
  },
};

/**
 * A supplier's price feed: a CSV without a header row (the columns given), read in batches of 25
 * with the feed's region passed to every batch; a batch from the EU feed holding a row not in euros
 * fails, up to a tenth of the batches may; a feed of more than one batch is announced, rejected rows
 * are reported, and too many failed batches reject the feed.
 */
export const mapsPriceFeed: ModernMachine = {
  name: 'MapsPriceFeed',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Apply feed',
      States: {
        'Apply feed': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['sku', 'price', 'currency'] },
            Arguments: { Bucket: 'supplier-feeds', Key: "{% $states.input.supplier & '/' & $states.input.date & '.csv' %}" },
          },
          ItemBatcher: { MaxItemsPerBatch: 25, BatchInput: { region: '{% $states.input.region %}', supplier: '{% $states.input.supplier %}' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Currency ok?',
            States: {
              'Currency ok?': {
                Type: 'Choice',
                Choices: [{
                  Condition: "{% $states.input.BatchInput.region = 'EU' and $count($states.input.Items[currency != 'EUR']) > 0 %}",
                  Next: 'Wrong currency',
                }],
                Default: 'Apply prices',
              },
              'Wrong currency': { Type: 'Fail', Error: 'Feed.WrongCurrency', Cause: "{% $join($states.input.Items[currency != 'EUR'].sku, ', ') %}" },
              'Apply prices': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('apply-prices'), Payload: { rows: '{% $states.input.Items %}', supplier: '{% $states.input.BatchInput.supplier %}' } },
                Output: "{% {'applied': $states.result.Payload.applied, 'rejected': $states.result.Payload.rejected} %}",
                End: true,
              },
            },
          },
          ToleratedFailurePercentage: 10,
          MaxConcurrency: 5,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Feed rejected' }],
          Output: "{% {'supplier': $states.input.supplier, 'batches': $count($states.result), 'rejected': $sum($states.result.rejected)} %}",
          Next: 'How did it go?',
        },
        'How did it go?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.rejected > 0 %}', Next: 'Report rejects' },
            { Condition: '{% $states.input.batches > 1 %}', Next: 'Announce big feed' },
          ],
          Default: 'Feed applied',
        },
        'Report rejects': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:pricing', Message: "{% $string($states.input.rejected) & ' rows rejected from ' & $states.input.supplier %}" },
          End: true,
        },
        'Announce big feed': {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Arguments: { Entries: [{ Source: 'pricing', DetailType: 'BigFeed', Detail: { supplier: '{% $states.input.supplier %}', batches: '{% $states.input.batches %}' } }] },
          End: true,
        },
        'Feed applied': { Type: 'Succeed' },
        'Feed rejected': { Type: 'Fail', Error: 'Feed.Rejected', Cause: '{% $states.input.Cause %}' },
      },
    });
  },
};

/**
 * A day of clickstream in JSON Lines: each event selected with its line number and the object it came
 * from; a stream must open with a `session_start`, a big purchase is queued for the loyalty team.
 * After the Map: a corrupt stream is quarantined, three purchases or more make a frequent buyer, an
 * empty stream ends at once.
 */
export const mapsClickstream: ModernMachine = {
  name: 'MapsClickstream',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Replay events',
      States: {
        'Replay events': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'JSONL' },
            Arguments: { Bucket: 'clickstream', Key: "{% 'sessions/' & $states.input.sessionId & '.jsonl' %}" },
          },
          ItemSelector: {
            line: '{% $states.context.Map.Item.Index + 1 %}',
            event: '{% $states.context.Map.Item.Value %}',
            file: '{% $states.context.Map.Item.Source %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Event kind',
            States: {
              'Event kind': {
                Type: 'Choice',
                Choices: [
                  { Condition: "{% $states.input.line = 1 and $states.input.event.type != 'session_start' %}", Next: 'Bad stream start' },
                  { Condition: "{% $states.input.event.type = 'purchase' and $states.input.event.amount >= 100 %}", Next: 'Queue big purchase' },
                ],
                Default: 'Plain event',
              },
              'Bad stream start': {
                Type: 'Fail',
                Error: 'Stream.BadStart',
                Cause: "{% $states.input.file & ' opens with ' & $states.input.event.type %}",
              },
              'Queue big purchase': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/loyalty', MessageBody: '{% $states.input.event %}' },
                Output: "{% {'type': 'purchase', 'amount': $states.input.event.amount} %}",
                End: true,
              },
              'Plain event': { Type: 'Pass', Output: "{% {'type': $states.input.event.type, 'amount': $states.input.event.amount} %}", End: true },
            },
          },
          ToleratedFailureCount: 0,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Output: '{% $states.input %}', Next: 'Quarantine stream' }],
          Output: "{% {'sessionId': $states.input.sessionId, 'events': $count($states.result), 'purchases': $count($states.result[type = 'purchase'])} %}",
          Next: 'Session summary',
        },
        'Quarantine stream': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:copyObject',
          Arguments: { Bucket: 'clickstream-quarantine', CopySource: "{% 'clickstream/sessions/' & $states.input.sessionId & '.jsonl' %}", Key: '{% $states.input.sessionId %}' },
          End: true,
        },
        'Session summary': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.events = 0 %}', Next: 'Empty session' },
            { Condition: '{% $states.input.purchases >= 3 %}', Next: 'Frequent buyer' },
          ],
          Default: 'Session done',
        },
        'Empty session': { Type: 'Succeed' },
        'Frequent buyer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('frequent-buyer'), Payload: { session: '{% $states.input.sessionId %}', purchases: '{% $states.input.purchases %}' } },
          End: true,
        },
        'Session done': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A weekly clean-up driven by an S3 Inventory manifest: each object listed whose key ends in `.tmp`
 * and is older than a week is deleted, the rest kept; more than a hundred deletions alert the
 * operators.
 */
export const mapsInventoryCleanup: ModernMachine = {
  name: 'MapsInventoryCleanup',
  shape: 'ETL over S3',
  build(stack) {
    const inventory = bucket(stack, 'Inventory');
    const ops = topic(stack, 'Ops');
    const del = Task.awsSdkCall(stack, 'Delete temp object', {
      service: 's3',
      action: 'deleteObject',
      parameters: { Bucket: '{% $states.input.Bucket %}', Key: '{% $states.input.Key %}' },
      iamResources: ['*'],
      outputs: '{% {"deleted": true, "bytes": $number($states.input.Size)} %}',
    });
    const keep = new sfn.Pass(stack, 'Keep object', { outputs: '{% {"deleted": false, "bytes": 0} %}' });
    const which = Choice.jsonata(stack, 'Temporary?')
      .when(sfn.Condition.jsonata("{% $contains($states.input.Key, /\\.tmp$/) and $toMillis($states.input.LastModifiedDate) < $toMillis($now()) - 604800000 %}"), del)
      .otherwise(keep);
    const cleanup = Map.distributed(stack, 'Sweep inventory', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.s3InventoryManifest({ bucket: inventory, key: "{% 'data-lake/weekly/' & $states.input.week & '/manifest.json' %}" }),
      toleratedFailure: ToleratedFailure.percentage(1),
      maxConcurrency: 100,
      itemProcessor: which,
      outputs: '{% {"deleted": $count($states.result[deleted]), "freed": $sum($states.result.bytes)} %}',
    });
    const alert = Task.snsPublish(stack, 'Alert operators', {
      topic: ops,
      message: sfn.TaskInput.fromText("{% $string($states.input.deleted) & ' temporary objects deleted, ' & $string($states.input.freed) & ' bytes freed' %}"),
    });
    const check = Choice.jsonata(stack, 'Many deleted?')
      .when(sfn.Condition.jsonata('{% $states.input.deleted > 100 %}'), alert)
      .otherwise(new sfn.Succeed(stack, 'Swept'));
    machine(stack, cleanup.next(check));
  },
};

/**
 * Logs archived by prefix, in JSONPath: the objects under the prefix the input names, listed with
 * ListObjectsV2 and sent to a function in batches of 100 with the prefix; the run's results written
 * to S3; a summary function then reads the results file and says whether any batch failed.
 */
export const mapsLogArchive: ModernMachine = {
  name: 'MapsLogArchive',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Archive logs',
      States: {
        'Archive logs': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:listObjectsV2',
            Parameters: { 'Bucket': 'app-logs', 'Prefix.$': '$.prefix' },
          },
          ItemSelector: {
            'key.$': '$$.Map.Item.Value.Key',
            'size.$': '$$.Map.Item.Value.Size',
            'n.$': '$$.Map.Item.Index',
          },
          ItemBatcher: { MaxItemsPerBatch: 100, BatchInput: { 'prefix.$': '$.prefix' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Archive batch',
            States: {
              'Archive batch': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName': FN('archive-batch'), 'Payload': { 'keys.$': '$.Items[*].key', 'prefix.$': '$.BatchInput.prefix' } },
                ResultSelector: { 'archived.$': '$.Payload.archived' },
                Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
                End: true,
              },
            },
          },
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Parameters: { Bucket: 'archive-runs', Prefix: 'results' },
          },
          ToleratedFailurePercentage: 5,
          ResultPath: '$.run',
          Next: 'Summarize run',
        },
        'Summarize run': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('summarize-archive'), 'Payload': { 'details.$': '$.run.ResultWriterDetails' } },
          ResultSelector: { 'failedBatches.$': '$.Payload.failed', 'archived.$': '$.Payload.archived' },
          ResultPath: '$.summary',
          Next: 'Any failed?',
        },
        'Any failed?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.summary.failedBatches', NumericGreaterThan: 0, Next: 'Retry later' },
            { Variable: '$.summary.archived', NumericEquals: 0, Next: 'Nothing archived' },
          ],
          Default: 'Archived',
        },
        'Retry later': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/archive-retries', 'MessageBody.$': '$' },
          End: true,
        },
        'Nothing archived': { Type: 'Succeed' },
        'Archived': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * An order's lines checked one by one in an inline Map: each line carries its index; a gift card may
 * only be the order's first line, and the fourth line (index 3) is where a bundle's free item sits,
 * which must cost nothing. A line that breaks a rule fails the Map, caught into a rejection; the
 * total is summed over the lines the Map gives back.
 */
export const mapsOrderLines: ModernMachine = {
  name: 'MapsOrderLines',
  shape: 'order saga',
  build(stack) {
    const giftLate = new sfn.Fail(stack, 'Gift card not first', {
      error: 'Order.GiftCardPosition',
      cause: "{% 'line ' & $string($states.input.index) & ' is a gift card' %}",
    });
    const freeNotFree = new sfn.Fail(stack, 'Free item charged', {
      error: 'Order.FreeItemCharged',
      cause: "{% 'item 3 costs ' & $string($states.input.line.price) %}",
    });
    const priced = new sfn.Pass(stack, 'Price line', { outputs: '{% {"sku": $states.input.line.sku, "total": $states.input.line.price * $states.input.line.qty} %}' });
    const rules = Choice.jsonata(stack, 'Line rules')
      .when(sfn.Condition.jsonata("{% $states.input.line.kind = 'gift-card' and $states.input.index > 0 %}"), giftLate)
      .when(sfn.Condition.jsonata('{% $states.input.index = 3 and $states.input.bundle and $states.input.line.price > 0 %}'), freeNotFree)
      .otherwise(priced);
    const lines = Map.inline(stack, 'Check lines', {
      queryLanguage: JSONATA,
      items: '{% $states.input.lines %}',
      itemSelector: {
        index: '{% $states.context.Map.Item.Index %}',
        line: '{% $states.context.Map.Item.Value %}',
        bundle: '{% $states.input.bundle = true %}',
      },
      itemProcessor: rules,
      outputs: '{% {"lines": $count($states.result), "total": $sum($states.result.total)} %}',
    });
    const reject = Task.lambdaInvoke(stack, 'Reject order', {
      lambdaFunction: fn(stack, 'RejectFn'),
      payload: sfn.TaskInput.fromObject({ orderId: '{% $orderId %}', why: '{% $states.input.Error %}' }),
    });
    lines.addCatch(reject, { errors: ['Order.GiftCardPosition', 'Order.FreeItemCharged'] });
    const ship = Task.lambdaInvoke(stack, 'Ship order', {
      lambdaFunction: fn(stack, 'ShipFn'),
      payload: sfn.TaskInput.fromObject({ orderId: '{% $orderId %}', total: '{% $states.input.total %}' }),
    });
    const size = Choice.jsonata(stack, 'Order size')
      .when(sfn.Condition.jsonata('{% $states.input.lines = 0 %}'), new sfn.Fail(stack, 'Empty order', { error: 'Order.Empty' }))
      .when(sfn.Condition.jsonata('{% $states.input.lines >= 5 and $states.input.total > 1000 %}'), new sfn.Pass(stack, 'Flag for review').next(ship))
      .otherwise(ship);
    const begin = new sfn.Pass(stack, 'Take order', { assign: { orderId: '{% $states.input.orderId %}' } });
    machine(stack, begin.next(lines).next(size));
  },
};

/**
 * A daily report from Athena: the query started, then polled every ten seconds; a query that failed
 * or was cancelled fails the report, one still queued or running after six polls is given up. When
 * it succeeded the first page of rows is fetched; an empty result is a quiet day. The check after
 * the fetch for a cancelled query is a left-over: only a query that SUCCEEDED is fetched, so
 * `Cancelled after fetch` is never reached.
 */
export const athenaDailyReport: ModernMachine = {
  name: 'AthenaDailyReport',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start query',
      States: {
        'Start query': {
          Type: 'Task',
          Resource: 'arn:aws:states:::athena:startQueryExecution',
          Arguments: {
            QueryString: "{% \"SELECT region, sum(amount) FROM sales WHERE day = '\" & $states.input.day & \"' GROUP BY region\" %}",
            WorkGroup: 'reports',
          },
          Assign: { queryId: '{% $states.result.QueryExecutionId %}', polls: 0 },
          Next: 'Wait a bit',
        },
        'Wait a bit': { Type: 'Wait', Seconds: 10, Next: 'Poll query' },
        'Poll query': {
          Type: 'Task',
          Resource: 'arn:aws:states:::athena:getQueryExecution',
          Arguments: { QueryExecutionId: '{% $queryId %}' },
          Assign: { state: '{% $states.result.QueryExecution.Status.State %}', polls: '{% $polls + 1 %}' },
          Next: 'Query state?',
        },
        'Query state?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $state = 'SUCCEEDED' %}", Next: 'Fetch rows' },
            { Condition: "{% $state in ['FAILED', 'CANCELLED'] %}", Next: 'Query failed' },
            { Condition: '{% $polls >= 6 %}', Next: 'Gave up' },
          ],
          Default: 'Wait a bit',
        },
        'Query failed': { Type: 'Fail', Error: 'Report.QueryFailed', Cause: "{% 'query ' & $queryId & ' ended ' & $state %}" },
        'Gave up': { Type: 'Fail', Error: 'Report.TooSlow', Cause: "{% 'still ' & $state & ' after ' & $string($polls) & ' polls' %}" },
        'Fetch rows': {
          Type: 'Task',
          Resource: 'arn:aws:states:::athena:getQueryResults',
          Arguments: { QueryExecutionId: '{% $queryId %}', MaxResults: 100 },
          Output: "{% {'rows': $count($states.result.ResultSet.Rows) - 1} %}",
          Next: 'Double check',
        },
        'Double check': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $state = 'CANCELLED' %}", Next: 'Cancelled after fetch' },
            { Condition: '{% $states.input.rows <= 0 %}', Next: 'Quiet day' },
          ],
          Default: 'Send report',
        },
        'Cancelled after fetch': { Type: 'Fail', Error: 'Report.Cancelled' },
        'Quiet day': { Type: 'Succeed' },
        'Send report': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:daily-report', Message: "{% $string($states.input.rows) & ' regions reported' %}" },
          End: true,
        },
      },
    });
  },
};

/**
 * Images labelled by a human worker: the job is queued with a task token; the worker must beat every
 * five minutes and answer within a day. A worker that stops beating is replaced, three times at
 * most; the labels that come back decide: none is unlabelled, an `nsfw` label quarantines, a low
 * agreement goes to a second worker.
 */
export const labellingCallback: ModernMachine = {
  name: 'LabellingCallback',
  shape: 'human approval',
  build(stack) {
    const jobs = queue(stack, 'LabelJobs');
    const start = new sfn.Pass(stack, 'Prepare job', { assign: { workers: 0, image: '{% $states.input.image %}' } });
    const ask = new tasks.SqsSendMessage(stack, 'Ask worker', {
      queue: jobs,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      messageBody: sfn.TaskInput.fromObject({ image: '{% $image %}', token: '{% $states.context.Task.Token %}', attempt: '{% $workers + 1 %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.days(1)),
      heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(5)),
      outputs: '{% {"labels": $states.result.labels, "agreement": $states.result.agreement} %}',
    });
    const lost = new sfn.Pass(stack, 'Worker lost', { assign: { workers: '{% $workers + 1 %}' } });
    const again = Choice.jsonata(stack, 'Another worker?')
      .when(sfn.Condition.jsonata('{% $workers < 3 %}'), ask)
      .otherwise(new sfn.Fail(stack, 'No worker stayed', { error: 'Labelling.NoWorker' }));
    ask.addCatch(lost.next(again), { errors: ['States.HeartbeatTimeout'] });
    ask.addCatch(new sfn.Fail(stack, 'Job expired', { error: 'Labelling.Expired' }), { errors: ['States.Timeout'] });
    const quarantine = Task.lambdaInvoke(stack, 'Quarantine image', {
      lambdaFunction: fn(stack, 'QuarantineFn'),
      payload: sfn.TaskInput.fromObject({ image: '{% $image %}' }),
    });
    const second = Task.lambdaInvoke(stack, 'Second opinion', {
      lambdaFunction: fn(stack, 'SecondOpinionFn'),
      payload: sfn.TaskInput.fromObject({ image: '{% $image %}', labels: '{% $states.input.labels %}' }),
    });
    const save = Task.lambdaInvoke(stack, 'Save labels', {
      lambdaFunction: fn(stack, 'SaveLabelsFn'),
      payload: sfn.TaskInput.fromObject({ image: '{% $image %}', labels: '{% $states.input.labels %}' }),
    });
    const decide = Choice.jsonata(stack, 'Labels?')
      .when(sfn.Condition.jsonata('{% $count($states.input.labels) = 0 %}'), new sfn.Fail(stack, 'Unlabelled', { error: 'Labelling.Empty' }))
      .when(sfn.Condition.jsonata("{% 'nsfw' in $states.input.labels %}"), quarantine)
      .when(sfn.Condition.jsonata('{% $states.input.agreement < 0.7 %}'), second)
      .otherwise(save);
    machine(stack, start.next(ask).next(decide));
  },
};

/**
 * A payment screened three ways at once: the customer's profile from DynamoDB, a risk score from a
 * function, the order history from an HTTP API; the branches' outputs merged, the score kept in a
 * variable. A sanctioned country blocks; a high score from a new customer goes to a person, from
 * anyone else to a step-up check. The `No risk score` branch is never taken: a function answer
 * without a score makes the Parallel's `Assign` fail before the Choice.
 */
export const paymentScreening: ModernMachine = {
  name: 'PaymentScreening',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Screen',
      States: {
        'Screen': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Profile',
              States: {
                'Profile': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 'Customers', Key: { id: { S: '{% $states.input.customerId %}' } } },
                  Output: "{% {'country': $states.result.Item.country.S, 'since': $states.result.Item.since.S} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'Risk',
              States: {
                'Risk': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('risk-score'), Payload: { amount: '{% $states.input.amount %}', card: '{% $states.input.cardHash %}' } },
                  Output: "{% {'risk': $states.result.Payload.score} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'History',
              States: {
                'History': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::http:invoke',
                  Arguments: {
                    ApiEndpoint: "{% 'https://orders.example.com/customers/' & $states.input.customerId & '/stats' %}",
                    Method: 'GET',
                    Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/orders/abc' },
                  },
                  Output: "{% {'orders': $states.result.ResponseBody.orderCount} %}",
                  End: true,
                },
              },
            },
          ],
          Assign: { riskScore: '{% $states.result[1].risk %}', payment: '{% $states.input %}' },
          Output: '{% $merge($states.result) %}',
          Next: 'Verdict',
        },
        'Verdict': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.country in ['KP', 'IR', 'SY', 'CU'] %}", Next: 'Blocked' },
            { Condition: '{% $not($exists($riskScore)) %}', Next: 'No risk score' },
            { Condition: '{% $riskScore > 80 and $states.input.orders < 3 %}', Next: 'Manual review' },
            { Condition: '{% $riskScore > 80 %}', Next: 'Step-up check' },
          ],
          Default: 'Approve',
        },
        'Blocked': { Type: 'Fail', Error: 'Payment.Sanctioned' },
        'No risk score': { Type: 'Fail', Error: 'Payment.NoScore' },
        'Manual review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/fraud-review', MessageBody: '{% $payment %}' },
          End: true,
        },
        'Step-up check': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('step-up'), Payload: { payment: '{% $payment %}', score: '{% $riskScore %}' } },
          End: true,
        },
        'Approve': { Type: 'Succeed' },
      },
    });
  },
};
