/*
 * Document pipelines: a batch of documents read from a CSV manifest in S3 by a Distributed Map,
 * classified, their text extracted (synchronously for short ones, by polling an asynchronous job
 * for long ones), stored, reviewed by a person when the classifier was unsure, and published by a
 * Saga; an invoice reader; an image moderation step.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, ItemReader, Map, Saga, Task, ToleratedFailure, TryCatch } from 'stepwright';
import { bucket, fn, JSONATA, machine, table, topic, type ModernMachine } from './common';

const S = tasks.DynamoAttributeValue.fromString;

/** The pipeline: 45 states, JSONata, builders, a Distributed Map over a CSV, DynamoDB merged into the state, a callback, a Saga. */
export const documentPipeline: ModernMachine = {
  name: 'DocumentPipeline',
  shape: 'document pipeline',
  build(stack) {
    const batches = table(stack, 'Batches', 'batchId');
    const documents = table(stack, 'Documents', 'documentKey');
    const inbox = bucket(stack, 'Inbox');
    const owners = topic(stack, 'Owners');

    const rejectRequest = new sfn.Fail(stack, 'Reject request', { error: 'Request.Invalid', cause: 'batchId must be a string' });
    const notFound = new sfn.Fail(stack, 'Batch not found', { error: 'Batch.NotFound' });
    const alreadyDone = new sfn.Succeed(stack, 'Already processed');
    const busy = new sfn.Fail(stack, 'Batch busy', { error: 'Batch.Busy', cause: 'another execution is processing this batch' });

    const loadBatch = Task.dynamoGetItem(stack, 'Load batch', {
      table: batches,
      key: { batchId: S('{% $states.input.batchId %}') },
      outputs: '{% $merge([$states.input, {"batch": $states.result.Item}]) %}',
    });
    const markStarted = Task.dynamoUpdateItem(stack, 'Mark batch started', {
      table: batches,
      key: { batchId: S('{% $states.input.batchId %}') },
      updateExpression: 'SET #s = :processing, startedAt = :now',
      conditionExpression: '#s <> :processing',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':processing': S('PROCESSING'), ':now': S('{% $states.context.Execution.StartTime %}') },
      outputs: '{% $states.input %}',
      assign: { batchId: '{% $states.input.batchId %}', owner: '{% $states.input.batch.owner.S %}' },
    });
    markStarted.addCatch(busy, { errors: ['DynamoDB.ConditionalCheckFailedException'] });

    // One child execution per manifest row.
    const classify = Task.lambdaInvoke(stack, 'Classify document', {
      lambdaFunction: fn(stack, 'ClassifyFn'),
      payload: sfn.TaskInput.fromObject({ key: '{% $states.input.documentKey %}' }),
      outputs: '{% $merge([$states.input, {"documentClass": $states.result.documentClass, "confidence": $states.result.confidence}]) %}',
    });
    const unsure = new sfn.Pass(stack, 'Mark unsure', {
      outputs: '{% $merge([$states.input, {"documentClass": "unknown", "needsReview": true}]) %}',
    });
    const extractSync = Task.awsSdkCall(stack, 'Extract text', {
      service: 'textract',
      action: 'detectDocumentText',
      parameters: { Document: { S3Object: { Bucket: inbox.bucketName, Name: '{% $states.input.documentKey %}' } } },
      iamResources: ['*'],
      outputs: '{% $merge([$states.input, {"lines": $count($states.result.Blocks[BlockType = "LINE"])}]) %}',
    });
    const startAsync = Task.awsSdkCall(stack, 'Start text detection', {
      service: 'textract',
      action: 'startDocumentTextDetection',
      parameters: { DocumentLocation: { S3Object: { Bucket: inbox.bucketName, Name: '{% $states.input.documentKey %}' } } },
      iamResources: ['*'],
      outputs: '{% $states.input %}',
      assign: { jobId: '{% $states.result.JobId %}' },
    });
    const waitForText = new sfn.Wait(stack, 'Wait for text', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
    const getText = Task.awsSdkCall(stack, 'Get text detection', {
      service: 'textract',
      action: 'getDocumentTextDetection',
      parameters: { JobId: '{% $jobId %}' },
      iamResources: ['*'],
      outputs: '{% $merge([$states.input, {"jobStatus": $states.result.JobStatus, "lines": $count($states.result.Blocks)}]) %}',
    });
    const textFailed = new sfn.Fail(stack, 'Text detection failed', { error: 'Textract.JobFailed' });
    const storeText = Task.awsSdkCall(stack, 'Store text', {
      service: 's3',
      action: 'putObject',
      parameters: { Bucket: inbox.bucketName, Key: "{% 'text/' & $states.input.documentKey & '.json' %}", Body: '{% $string($states.input) %}' },
      iamResources: ['*'],
      outputs: '{% $states.input %}',
    });
    const recordDocument = Task.dynamoPutItem(stack, 'Record document', {
      table: documents,
      item: {
        documentKey: S('{% $states.input.documentKey %}'),
        batchId: S('{% $states.input.batchId %}'),
        documentClass: S('{% $states.input.documentClass %}'),
      },
      outputs: '{% {"documentKey": $states.input.documentKey, "documentClass": $states.input.documentClass, "needsReview": $exists($states.input.needsReview) and $states.input.needsReview} %}',
    });
    const textDone = Choice.jsonata(stack, 'Text ready?')
      .when(sfn.Condition.jsonata('{% $states.input.jobStatus = "SUCCEEDED" %}'), storeText)
      .when(sfn.Condition.jsonata('{% $states.input.jobStatus = "FAILED" %}'), textFailed)
      .otherwise(waitForText);
    storeText.next(recordDocument);
    extractSync.next(storeText);
    const large = Choice.jsonata(stack, 'Long document?')
      .when(sfn.Condition.jsonata('{% $states.input.pages > 20 %}'), startAsync.next(waitForText).next(getText).next(textDone))
      .otherwise(extractSync);
    const confident = Choice.jsonata(stack, 'Confident?')
      .when(sfn.Condition.jsonata('{% $states.input.confidence >= 0.8 %}'), large)
      .otherwise(unsure.next(large));
    const processDocuments = Map.distributed(stack, 'Process documents', {
      queryLanguage: JSONATA,
      itemReader: ItemReader.csv({ bucket: inbox, key: 'manifest.csv' }),
      itemSelector: {
        documentKey: '{% $states.context.Map.Item.Value.key %}',
        pages: '{% $number($states.context.Map.Item.Value.pages) %}',
        batchId: '{% $batchId %}',
      },
      toleratedFailure: ToleratedFailure.percentage(10),
      maxConcurrency: 20,
      label: 'documents',
      itemProcessor: classify.next(confident),
      outputs: '{% $merge([$states.input, {"summary": {"processed": $count($states.result), "toReview": $count($states.result[needsReview])}}]) %}',
    });

    const review = Task.lambdaCallback(stack, 'Request review', {
      // aws-cdk-lib renders a Task's Catch in the state's own language only: without it, the Catch's Output is dropped.
      queryLanguage: JSONATA,
      lambdaFunction: fn(stack, 'ReviewFn'),
      payload: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', batchId: '{% $batchId %}', toReview: '{% $states.input.summary.toReview %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.days(2)),
      outputs: '{% $merge([$states.input, {"review": $states.result}]) %}',
    });
    const reviewTimedOut = new sfn.Pass(stack, 'Review timed out', { outputs: '{% $merge([$states.input, {"status": "REVIEW_TIMED_OUT"}]) %}' });
    review.addCatch(reviewTimedOut, { errors: ['States.Timeout'], outputs: '{% $states.input %}' });
    const markRejected = Task.dynamoUpdateItem(stack, 'Mark batch rejected', {
      table: batches,
      key: { batchId: S('{% $batchId %}') },
      updateExpression: 'SET #s = :rejected',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':rejected': S('REJECTED') },
    });
    const markFailed = Task.dynamoUpdateItem(stack, 'Mark batch failed', {
      table: batches,
      key: { batchId: S('{% $batchId %}') },
      updateExpression: 'SET #s = :failed',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':failed': S('FAILED') },
      outputs: '{% $states.input %}',
    });
    const failed = new sfn.Fail(stack, 'Batch failed', { error: 'Batch.Failed' });
    reviewTimedOut.next(markFailed);

    const publish = Saga.jsonata(stack, 'Publish', {
      steps: [
        {
          name: 'Index',
          action: Task.lambdaInvoke(stack, 'Index documents', { lambdaFunction: fn(stack, 'IndexFn'), payload: sfn.TaskInput.fromObject({ batchId: '{% $batchId %}' }) }),
          compensation: Task.lambdaInvoke(stack, 'Remove from index', { lambdaFunction: fn(stack, 'UnindexFn'), payload: sfn.TaskInput.fromObject({ batchId: '{% $batchId %}' }) }),
        },
        {
          name: 'Archive',
          action: Task.awsSdkCall(stack, 'Archive manifest', {
            service: 's3',
            action: 'copyObject',
            parameters: { Bucket: inbox.bucketName, CopySource: "{% 'inbox/' & $batchId & '/manifest.csv' %}", Key: "{% 'archive/' & $batchId & '.csv' %}" },
            iamResources: ['*'],
          }),
        },
      ],
    });
    const markCompleted = Task.dynamoUpdateItem(stack, 'Mark batch completed', {
      table: batches,
      key: { batchId: S('{% $batchId %}') },
      updateExpression: 'SET #s = :done, processed = :n',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':done': S('COMPLETED'), ':n': tasks.DynamoAttributeValue.numberFromString('{% $string($states.input.summary.processed) %}') },
      outputs: '{% $states.input %}',
    });
    const notifyOwner = Task.snsPublish(stack, 'Notify owner', {
      topic: owners,
      message: sfn.TaskInput.fromObject({ batchId: '{% $batchId %}', owner: '{% $owner %}', processed: '{% $states.input.summary.processed %}' }),
      outputs: '{% {"batchId": $batchId, "status": "COMPLETED"} %}',
    });
    const published = new TryCatch(stack, 'Publish safely', {
      queryLanguage: JSONATA,
      try: publish.next(markCompleted).next(notifyOwner),
      catch: [{ handler: markFailed.next(failed) }],
    });
    const approved = Choice.jsonata(stack, 'Approved?')
      .when(sfn.Condition.jsonata('{% $states.input.review.decision = "approve" %}'), published)
      .otherwise(markRejected.next(new sfn.Fail(stack, 'Batch rejected', { error: 'Batch.Rejected' })));
    const needsReview = Choice.jsonata(stack, 'Needs review?')
      .when(sfn.Condition.jsonata('{% $states.input.summary.toReview > 0 %}'), review.next(approved))
      .otherwise(published);
    const nothingProcessed = new sfn.Fail(stack, 'Nothing processed', { error: 'Batch.Empty' });
    const anyProcessed = Choice.jsonata(stack, 'Any processed?')
      .when(sfn.Condition.jsonata('{% $states.input.summary.processed = 0 %}'), nothingProcessed)
      .otherwise(needsReview);

    const status = Choice.jsonata(stack, 'Batch status?')
      .when(sfn.Condition.jsonata('{% $states.input.batch.status.S = "COMPLETED" %}'), alreadyDone)
      .otherwise(markStarted.next(processDocuments).next(anyProcessed));
    const found = Choice.jsonata(stack, 'Batch found?')
      .when(sfn.Condition.jsonata('{% $exists($states.input.batch) %}'), status)
      .otherwise(notFound);
    const valid = Choice.jsonata(stack, 'Valid request?')
      .when(sfn.Condition.jsonata('{% $type($states.input.batchId) = "string" and $length($states.input.batchId) > 0 %}'), loadBatch.next(found))
      .otherwise(rejectRequest);
    machine(stack, valid);
  },
};

/** Invoices: Textract's expense analysis, totals read from its fields, large ones approved by a person. */
export const invoiceReader: ModernMachine = {
  name: 'InvoiceReader',
  shape: 'document pipeline',
  build(stack) {
    const invoices = table(stack, 'Invoices', 'invoiceId');
    const analyze = Task.awsSdkCall(stack, 'Analyze expense', {
      service: 'textract',
      action: 'analyzeExpense',
      parameters: { Document: { S3Object: { Bucket: '{% $states.input.bucket %}', Name: '{% $states.input.key %}' } } },
      iamResources: ['*'],
      outputs: `{% (
        $fields := $states.result.ExpenseDocuments[0].SummaryFields;
        $merge([$states.input, {
          "vendor": $fields[Type.Text = "VENDOR_NAME"].ValueDetection.Text,
          "total": $number($replace($fields[Type.Text = "TOTAL"].ValueDetection.Text, /[^0-9.]/, ""))
        }])
      ) %}`,
    });
    analyze.addRetry({ errors: ['Textract.ProvisionedThroughputExceededException', 'Textract.ThrottlingException'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 });
    const unreadable = new sfn.Fail(stack, 'Unreadable invoice', { error: 'Invoice.Unreadable' });
    analyze.addCatch(unreadable, { errors: ['Textract.UnsupportedDocumentException', 'Textract.BadDocumentException'] });
    const approve = Task.lambdaCallback(stack, 'Approve payment', {
      lambdaFunction: fn(stack, 'ApproveFn'),
      payload: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', vendor: '{% $states.input.vendor %}', total: '{% $states.input.total %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.days(5)),
      outputs: '{% $merge([$states.input, {"approvedBy": $states.result.approver}]) %}',
    });
    const store = Task.dynamoPutItem(stack, 'Store invoice', {
      table: invoices,
      item: {
        invoiceId: S('{% $states.input.key %}'),
        vendor: S('{% $exists($states.input.vendor) ? $states.input.vendor : "unknown" %}'),
        total: tasks.DynamoAttributeValue.numberFromString('{% $string($states.input.total) %}'),
      },
      conditionExpression: 'attribute_not_exists(invoiceId)',
    });
    const duplicate = new sfn.Succeed(stack, 'Already stored');
    store.addCatch(duplicate, { errors: ['DynamoDB.ConditionalCheckFailedException'] });
    const noTotal = new sfn.Fail(stack, 'No total', { error: 'Invoice.NoTotal' });
    const route = Choice.jsonata(stack, 'Total found?')
      .when(sfn.Condition.jsonata('{% $not($exists($states.input.total)) %}'), noTotal)
      .when(sfn.Condition.jsonata('{% $states.input.total > 10000 %}'), approve.next(store))
      .otherwise(store);
    machine(stack, analyze.next(route));
  },
};

/** Image moderation: Rekognition's labels filtered by confidence, an image quarantined or published. */
export const imageModeration: ModernMachine = {
  name: 'ImageModeration',
  shape: 'document pipeline',
  build(stack) {
    const media = bucket(stack, 'Media');
    const detect = Task.awsSdkCall(stack, 'Detect moderation labels', {
      service: 'rekognition',
      action: 'detectModerationLabels',
      parameters: { Image: { S3Object: { Bucket: media.bucketName, Name: '{% $states.input.key %}' } }, MinConfidence: 60 },
      iamResources: ['*'],
      assign: {
        flagged: '{% $count($states.result.ModerationLabels[Confidence >= 90]) %}',
        labels: '{% [$states.result.ModerationLabels.Name] %}',
      },
      outputs: '{% $states.input %}',
    });
    const quarantine = Task.awsSdkCall(stack, 'Quarantine image', {
      service: 's3',
      action: 'copyObject',
      parameters: { Bucket: media.bucketName, CopySource: "{% $join(['media', $states.input.key], '/') %}", Key: "{% 'quarantine/' & $states.input.key %}" },
      iamResources: ['*'],
      outputs: '{% $states.input %}',
    });
    const remove = Task.awsSdkCall(stack, 'Delete original', {
      service: 's3',
      action: 'deleteObject',
      parameters: { Bucket: media.bucketName, Key: '{% $states.input.key %}' },
      iamResources: ['*'],
      outputs: '{% {"key": $states.input.key, "status": "QUARANTINED", "labels": $labels} %}',
    });
    const review = Task.lambdaInvoke(stack, 'Queue for review', {
      lambdaFunction: fn(stack, 'ReviewQueueFn'),
      payload: sfn.TaskInput.fromObject({ key: '{% $states.input.key %}', labels: '{% $labels %}' }),
      outputs: '{% {"key": $states.input.key, "status": "IN_REVIEW"} %}',
    });
    const publish = new sfn.Pass(stack, 'Publish image', { outputs: '{% {"key": $states.input.key, "status": "PUBLISHED"} %}' });
    const decide = Choice.jsonata(stack, 'Flagged?')
      .when(sfn.Condition.jsonata('{% $flagged > 0 %}'), quarantine.next(remove))
      .when(sfn.Condition.jsonata('{% $count($labels) > 0 %}'), review)
      .otherwise(publish);
    machine(stack, detect.next(decide));
  },
};
