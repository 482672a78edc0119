import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DescribeExecutionCommand, DescribeMapRunCommand, DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand,
  type HistoryEvent, ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand, SendTaskSuccessCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ROLE, serve, until } from './helpers';
import { ASKING, ended, mapOver, started } from './map-run-fixture';

/*
 * The child executions of a Map Run in serve, as AWS keeps them: ListExecutions by mapRunArn lists
 * them ("If the mapRunArn field is specified, a list of all of the child workflow executions
 * started by a Map Run is returned", ListExecutions in the API reference), each with its Map Run's
 * ARN and the items it processed; each has its own history (GetExecutionHistory) and description
 * (DescribeExecution: its state machine …:stateMachine:<machine>/<label>, its mapRunArn).
 */

const mapRunOf = (events: HistoryEvent[]): string => events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;

describe('serve: a Map Run\'s child executions, as AWS lists them', () => {
  it('lists a Map Run\'s child executions with ListExecutions --map-run-arn, newest first, with the Map Run and their item count', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ Label: 'Batch', ToleratedFailureCount: 1, MaxConcurrency: 1 }), { items: [{ n: 1 }, { bad: true }, { n: 3 }] });
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const { executions } = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
      expect(executions!.map((e) => e.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
      for (const e of executions!) {
        expect(e).toMatchObject({ mapRunArn, itemCount: 1, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:runs/Batch' });
        expect(e.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:runs/Batch:${e.name!}`);
      }
      const describe = async (executionArn: string | undefined) => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).input;
      const inputs = await Promise.all(executions!.map((e) => describe(e.executionArn)));
      expect(inputs).toEqual(['{"n":3}', '{"bad":true}', '{"n":1}']);
      const failed = await sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: 'FAILED' }));
      expect(failed.executions!.map((e) => e.executionArn)).toEqual([executions![1].executionArn]);
    } finally {
      await stop();
    }
  });

  it('describes a child execution and gives its own history, from ExecutionStarted to how it ended', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ ToleratedFailureCount: 1, MaxConcurrency: 1 }), { items: [{ n: 1 }, { bad: true }] });
      await ended(sfn, arn);
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const [bad, good] = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: good.executionArn }));
      expect(described).toMatchObject({ status: 'SUCCEEDED', input: '{"n":1}', output: '{"n":1}', mapRunArn, stateMachineArn: good.stateMachineArn });
      const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: bad.executionArn }));
      // As AWS writes a failed child in its result files: redriven by redriving its Map Run.
      expect(failed).toMatchObject({ status: 'FAILED', error: 'Item.Bad', cause: 'a bad item', redriveStatus: 'REDRIVABLE_BY_MAP_RUN' });
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: good.executionArn }));
      expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      expect(events![0].executionStartedEventDetails).toMatchObject({ input: '{"n":1}', roleArn: ROLE });
    } finally {
      await stop();
    }
  });

  it('answers SendTaskSuccess with the token of a Task inside a child, read from the child\'s history', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'asks', mapOver({}, ASKING), { items: [{ n: 1 }] });
      const runs = await until(async () => (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!, (r) => r.length === 1);
      const mapRunArn = runs[0].mapRunArn!;
      const [child] = await until(async () => (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!, (e) => e.length === 1);
      const events = await until(async () => (await sfn.send(new GetExecutionHistoryCommand({ executionArn: child.executionArn }))).events!,
        (e) => e.some((x) => x.type === 'TaskScheduled'));
      const taskToken = (JSON.parse(events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { MessageBody: string }).MessageBody;
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"answered":true}' }));
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output).toBe('[{"answered":true}]');
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }))).status).toBe('SUCCEEDED');
    } finally {
      await stop();
    }
  });

  it('after a redrive, DescribeMapRun still counts the children that succeeded before it, as ListExecutions lists them', async () => {
    // DescribeMapRun's itemCounts count the items of "all of the child workflow executions that
    // were started by a Map Run" (MapRunItemCounts in the API reference); a redrive reruns only
    // the unsuccessful ones (Redriving Map Runs, developer guide), so the others stay succeeded.
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ MaxConcurrency: 1 }), { items: [{ n: 1 }, { bad: true }, { n: 3 }] });
      expect(await ended(sfn, arn)).toBe('FAILED');
      await sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
      expect(await ended(sfn, arn)).toBe('FAILED');
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const { executions } = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
      const listed = (status: string): number => executions!.filter((e) => e.status === status).length;
      const { itemCounts, executionCounts, redriveCount } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect([listed('SUCCEEDED'), listed('FAILED')]).toEqual([1, 1]);
      expect({ redriveCount, itemCounts, executionCounts }).toMatchObject({
        redriveCount: 1,
        itemCounts: { succeeded: 1, failed: 1, pending: 1, total: 3 },
        executionCounts: { succeeded: 1, failed: 1, pending: 1, total: 3 },
      });
    } finally {
      await stop();
    }
  });

  it('refuses to redrive a child by itself (REDRIVABLE_BY_MAP_RUN), naming the parent to act on', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ ToleratedFailureCount: 1 }), { items: [{ bad: true }] });
      await ended(sfn, arn);
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const [child] = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      await expect(sfn.send(new RedriveExecutionCommand({ executionArn: child.executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable', message: expect.stringContaining(arn) });
    } finally {
      await stop();
    }
  });

  it('answers StopExecution on a child that has ended as on an ended execution: its stopDate, nothing changed', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ ToleratedFailureCount: 1 }), { items: [{ bad: true }] });
      await ended(sfn, arn);
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const [child] = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      const before = await sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }));
      const answer = await sfn.send(new StopExecutionCommand({ executionArn: child.executionArn }));
      expect(answer.stopDate).toEqual(before.stopDate);
      const after = await sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }));
      expect(after).toMatchObject({ status: 'FAILED', error: 'Item.Bad', stopDate: before.stopDate });
    } finally {
      await stop();
    }
  });

  /*
   * AWS lets a user stop one child of a Map Run: MapRunExecutionCounts.aborted counts the children
   * "stopped by the user or by Step Functions because the Map Run failed" (API reference).
   */
  it('stops one running child by StopExecution on its ARN: it ends ABORTED, its Map Run counts it aborted, the parent goes on', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'asks', mapOver({}, ASKING), { items: [{ n: 1 }, { n: 2 }] });
      const runs = await until(async () => (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!, (r) => r.length === 1);
      const mapRunArn = runs[0].mapRunArn!;
      const children = await until(async () => (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!, (e) => e.length === 2);
      const tokenOf = async (executionArn: string | undefined): Promise<string> => {
        const events = await until(async () => (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!,
          (e) => e.some((x) => x.type === 'TaskScheduled'));
        return (JSON.parse(events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!) as { MessageBody: string }).MessageBody;
      };
      const [second, first] = children;
      await tokenOf(first.executionArn);
      const secondToken = await tokenOf(second.executionArn);

      const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'By.Hand', cause: 'not needed' }));
      const stopped = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
      expect(stopped).toMatchObject({ status: 'ABORTED', stopDate, mapRunArn });
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: first.executionArn }))).events!;
      expect(history[history.length - 1]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'By.Hand', cause: 'not needed' } });
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: second.executionArn }))).status).toBe('RUNNING');
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
      const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts!;
      expect(counts).toMatchObject({ aborted: 1, running: 1, failed: 0, succeeded: 0, total: 2 });

      await sfn.send(new SendTaskSuccessCommand({ taskToken: secondToken, output: '{"answered":true}' }));
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      expect(JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!)).toEqual([{ Error: 'States.Stopped' }, { answered: true }]);
      const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(run).toMatchObject({ status: 'SUCCEEDED', executionCounts: { aborted: 1, succeeded: 1, failed: 0, running: 0, total: 2 } });
      expect((await sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: 'ABORTED' }))).executions!.map((e) => e.executionArn)).toEqual([first.executionArn]);
    } finally {
      await stop();
    }
  });

  /*
   * StopExecution on the parent stops its running children with it: MapRunExecutionCounts.aborted
   * counts children "stopped by the user", and the parent's history ends at its ExecutionAborted.
   */
  it('stops a parent\'s running children with it: ABORTED as listed and as DescribeMapRun counts them, nothing after the parent\'s ExecutionAborted', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'asks', mapOver({ MaxConcurrency: 2 }, ASKING), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
      const runs = await until(async () => (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!, (r) => r.length === 1);
      const mapRunArn = runs[0].mapRunArn!;
      await until(async () => (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!, (e) => e.length === 2);
      await sfn.send(new StopExecutionCommand({ executionArn: arn }));
      expect(await ended(sfn, arn)).toBe('ABORTED');
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
      expect(events!.map((e) => e.type).slice(-2)).toEqual(['MapRunStarted', 'ExecutionAborted']);
      const children = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      expect(children.map((c) => c.status)).toEqual(['ABORTED', 'ABORTED']);
      for (const c of children) {
        const own = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: c.executionArn }))).events!;
        expect(own.map((e) => e.type).slice(-1)).toEqual(['ExecutionAborted']);
      }
      const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(described).toMatchObject({ status: 'ABORTED', executionCounts: { aborted: 2, running: 0, failed: 0, pending: 1, total: 3 } });
    } finally {
      await stop();
    }
  });

  it('keeps a Map Run\'s first 1,000 child executions once they end, and counts every one', async () => {
    const { sfn, stop } = await serve();
    try {
      const items = Array.from({ length: 1005 }, (_, n) => ({ n }));
      const arn = await started(sfn, 'many', mapOver(), { items });
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      let listed = 0;
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
        listed += page.executions!.length;
        nextToken = page.nextToken;
      } while (nextToken);
      expect(listed).toBe(1000);
      expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).itemCounts).toMatchObject({ total: 1005, succeeded: 1005 });
    } finally {
      await stop();
    }
  });
});

describe('serve: a Map Run is known by one ARN, with the settings it ran with', () => {
  it('answers DescribeMapRun with the Map\'s MaxConcurrency and tolerated failures, with a Label and without one', async () => {
    const { sfn, stop } = await serve();
    try {
      for (const [name, extra] of [['labelled', { Label: 'Batch' }], ['plain', {}]] as const) {
        const settings = { ...extra, MaxConcurrency: 2, ToleratedFailurePercentage: 50, ToleratedFailureCount: 1 };
        const arn = await started(sfn, name, mapOver(settings), { items: [{ n: 1 }] });
        await ended(sfn, arn);
        const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!;
        const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
        expect([name, described.maxConcurrency, described.toleratedFailurePercentage, described.toleratedFailureCount]).toEqual([name, 2, 50, 1]);
      }
      // Values read from paths are those the Map ran with.
      const arn = await started(sfn, 'paths', mapOver({ MaxConcurrencyPath: '$.c', ToleratedFailureCountPath: '$.t' }), { items: [{ n: 1 }], c: 3, t: 2 });
      await ended(sfn, arn);
      const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!;
      expect(await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }))).toMatchObject({ maxConcurrency: 3, toleratedFailureCount: 2 });
    } finally {
      await stop();
    }
  });

  it('lists a Map Run with its children\'s machine <machine>/<label>, and counts results written without a ResultWriter', async () => {
    // Recorded (LocalStack's test_sfn_api_map_run, on AWS): ListMapRuns gives the Map Run's
    // stateMachineArn as …:stateMachine:<machine>/<label>, and DescribeMapRun of a Map Run of 2
    // items with no ResultWriter counts resultsWritten 2 in itemCounts and executionCounts.
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'listed', mapOver({ Label: 'Batch', MaxConcurrency: 1 }), { items: [{ n: 1 }, { n: 2 }] });
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!;
      expect(run).toMatchObject({ executionArn: arn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:listed/Batch' });
      expect(run.mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:listed\/Batch:[0-9a-f-]{36}$/);
      const { itemCounts, executionCounts } = await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
      const counts = { aborted: 0, failed: 0, pending: 0, resultsWritten: 2, running: 0, succeeded: 2, timedOut: 0, total: 2 };
      // The redrive counts AWS added after that recording are there too, 0.
      expect(itemCounts).toEqual({ ...counts, failuresNotRedrivable: 0, pendingRedrive: 0 });
      expect(executionCounts).toEqual({ ...counts, failuresNotRedrivable: 0, pendingRedrive: 0 });
    } finally {
      await stop();
    }
  });

  it('gives the Map Run ARN of the history in the Map\'s output, its manifest and ListMapRuns, and DescribeMapRun answers it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-maprun-arn-'));
    fs.mkdirSync(path.join(dir, 'results'));
    const { sfn, stop } = await serve({ s3Dir: dir });
    try {
      const writer = { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } } };
      const arn = await started(sfn, 'written', mapOver(writer), { items: [{ n: 1 }] });
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      const inHistory = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      type Output = { MapRunArn: string; ResultWriterDetails: { Key: string } };
      const output = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!) as Output;
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'results', output.ResultWriterDetails.Key), 'utf8')) as { MapRunArn: string };
      const listed = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns![0].mapRunArn;
      expect([output.MapRunArn, manifest.MapRunArn, listed]).toEqual([inHistory, inHistory, inHistory]);
      expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn: inHistory }))).status).toBe('SUCCEEDED');
    } finally {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Map Run and its label in DescribeStateMachineForExecution of a child, and refuses DescribeStateMachine of the children\'s machine', async () => {
    // DescribeStateMachineForExecution: "If a Map Run dispatched the execution, this action returns
    // the Map Run ARN" (mapRunArn, label); DescribeStateMachine: "If you provide a qualified state
    // machine ARN that refers to a Distributed Map state, the request fails with ValidationException".
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver({ Label: 'Batch' }), { items: [{ n: 1 }] });
      await ended(sfn, arn);
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const [child] = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      const described = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: child.executionArn }));
      expect(described).toMatchObject({ mapRunArn, label: 'Batch', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:runs' });
      const parent = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: arn }));
      expect([parent.mapRunArn, parent.label]).toEqual([undefined, undefined]);
      await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: child.stateMachineArn }))).rejects.toMatchObject({ name: 'ValidationException' });
      // A child of a child: its Map Run's label, not its parent's.
      const inner = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: JSON.parse(mapOver({ Label: 'Inner' })).States.Run as object } };
      const nested = await started(sfn, 'nested', mapOver({ Label: 'Outer' }, inner), { items: [{ items: [{ n: 1 }] }] });
      expect(await ended(sfn, nested)).toBe('SUCCEEDED');
      const outerRun = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: nested }))).events!);
      const [outerChild] = (await sfn.send(new ListExecutionsCommand({ mapRunArn: outerRun }))).executions!;
      const innerRun = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: outerChild.executionArn }))).events!);
      const [innerChild] = (await sfn.send(new ListExecutionsCommand({ mapRunArn: innerRun }))).executions!;
      expect(await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: innerChild.executionArn }))).toMatchObject({ mapRunArn: innerRun, label: 'Inner' });
    } finally {
      await stop();
    }
  });

  it('counts items in itemCounts and child executions in executionCounts when an ItemBatcher batches them', async () => {
    // MapRunItemCounts count "items processed in child workflow executions", MapRunExecutionCounts
    // "child workflow executions" (API reference); ListExecutions' itemCount is a child's batch.
    const { sfn, stop } = await serve();
    try {
      const items = [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }];
      const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Sum', States: { Sum: { Type: 'Pass', End: true } } };
      const arn = await started(sfn, 'batches', mapOver({ ItemBatcher: { MaxItemsPerBatch: 2 } }, processor), { items });
      expect(await ended(sfn, arn)).toBe('SUCCEEDED');
      const mapRunArn = mapRunOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!);
      const { itemCounts, executionCounts } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      const children = (await sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      expect(children.map((c) => c.itemCount).sort()).toEqual([1, 2, 2]);
      expect(itemCounts).toMatchObject({ total: 5, succeeded: 5, pending: 0, running: 0 });
      expect(executionCounts).toMatchObject({ total: 3, succeeded: 3, pending: 0, running: 0 });
    } finally {
      await stop();
    }
  });

  it('answers ResourceNotFound for a Map Run no execution ran, and refuses ListExecutions given both ARNs', async () => {
    const { sfn, stop } = await serve();
    try {
      const arn = await started(sfn, 'runs', mapOver(), { items: [] });
      await ended(sfn, arn);
      const unknown = 'arn:aws:states:us-east-1:123456789012:mapRun:runs/x:00000000-0000-4000-8000-000000000000';
      await expect(sfn.send(new ListExecutionsCommand({ mapRunArn: unknown }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
      const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns!;
      expect((await sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn }))).executions).toEqual([]);
      await expect(sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn, stateMachineArn: run.stateMachineArn }))).rejects.toMatchObject({ name: 'ValidationException' });
    } finally {
      await stop();
    }
  });
});
