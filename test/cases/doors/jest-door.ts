import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { limiter, type LimiterTimes, mockConfigFile, TEST_CASE, writeS3Folder, writeTemplate, writtenFiles } from './case-files';
import { bounded, EXPLORED, HANG_MS, MACHINE_NAME, VIRTUAL_CLOCK_START, type Door } from './door';
import type { JsonValue } from '../../../src/asl/definition-types';
import { VirtualClock } from '../../../src/interpreter';
import type { HistoryEvent } from '../../../src/interpreter/history-recorder';
import { Workflow, mocksFromJson, type RunOptions, type WorkflowRun } from '../../../src/testing';
import { CATEGORIES, coverageSummary, resetCoverage } from '../../../src/testing/coverage';
import { stateOf } from '../../../src/workbench/commands/run';
import { successOf, type BehaviourCase } from '../case-format';
import { EXECUTION_NAME } from '../normalise';
import { costCounts, outputMapRunsOf, secondsOf, type DoorOutcome, type Observation, type ObservedScenario } from '../observation';

/** `Workflow.fromDefinition(...).run` (and `start` for a case that sends callbacks), as a jest test calls it. */
export class JestDoor implements Door {
  readonly name = 'jest' as const;
  private readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-jest-'));
  /** One run at a time: each reads the coverage this process recorded, which the next run's reset clears. */
  private readonly one = limiter(1);

  cannotRun(): string | undefined {
    return undefined;
  }

  run(c: BehaviourCase): Promise<DoorOutcome> {
    return this.one(() => this.runOne(c));
  }

  private async runOne(c: BehaviourCase): Promise<DoorOutcome> {
    const s3Dir = c.s3 !== undefined || c.expect.s3 !== undefined ? fs.mkdtempSync(path.join(this.scratch, 's3-')) : undefined;
    if (s3Dir) writeS3Folder(s3Dir, c.s3);
    if (c.explore) {
      const wf = this.workflowOf(c);
      const report = await wf.explore({ ...c.explore, ...(s3Dir ? { s3Dir } : {}) });
      const scenarios = JSON.parse(JSON.stringify(report.scenarios)) as ObservedScenario[];
      return { kind: 'ran', observation: { status: EXPLORED, scenarios }, names: { machine: wf.name, execution: EXECUTION_NAME, start: VIRTUAL_CLOCK_START } };
    }
    const settings: RunOptions = {
      name: EXECUTION_NAME,
      ...(c.mocks ? { mocks: mocksFromJson(c.mocks, c.id) } : {}),
      ...(c.mockConfig ? { mockConfig: { config: mockConfigFile(c, c.machineName ?? MACHINE_NAME), testCase: TEST_CASE } } : {}),
      ...(c.mockValidation ? { mockValidation: c.mockValidation } : {}),
      ...(c.unmocked ? { unmocked: c.unmocked } : {}),
      ...(c.limits ? { limits: c.limits } : {}),
      ...(c.openExecutionLimit !== undefined ? { openExecutionLimit: c.openExecutionLimit } : {}),
      ...(c.startTime !== undefined ? { clock: new VirtualClock({ start: Date.parse(c.startTime) }) } : {}),
      ...(s3Dir ? { s3: { dir: s3Dir } } : {}),
    };
    let run: WorkflowRun;
    let wf: Workflow;
    resetCoverage();
    try {
      wf = this.workflowOf(c);
      run = await bounded(c.callbacks ? this.withCallbacks(wf, c, settings) : wf.run(c.input, settings), HANG_MS, `${c.id} through jest`);
    } catch (e) {
      return { kind: 'refused', message: `${(e as Error).name}: ${(e as Error).message}` };
    }
    const history = JSON.parse(JSON.stringify(run.history)) as JsonValue[];
    const cost = run.cost();
    const coverage = coverageSummary().find((m) => m.name === wf.name);
    const observation: Observation = {
      status: run.status,
      ...(run.status === 'SUCCEEDED' ? { output: run.output ?? null } : {}),
      ...(run.error !== undefined ? { error: run.error } : {}),
      ...(run.cause !== undefined ? { cause: run.cause } : {}),
      path: run.path,
      seconds: secondsOf(run.startDate, run.stopDate),
      events: run.history.map((e) => eventName(e as unknown as HistoryEvent)),
      history,
      mapRuns: run.mapRuns,
      outputMapRuns: outputMapRunsOf(run.output, run.mapRuns.map((r) => r.mapRunArn)),
      cost: costCounts({ ...cost.usage, stateTransitions: cost.standard.stateTransitions }),
      ...(coverage ? { missed: Object.fromEntries(CATEGORIES.map((k) => [k, coverage[k].missed])) } : {}),
      ...(s3Dir ? { s3: writtenFiles(s3Dir, c.s3) } : {}),
      advice: run.advice.map((a) => a.message),
    };
    return { kind: 'ran', observation, names: { machine: wf.name, execution: EXECUTION_NAME, start: run.startDate.getTime() } };
  }

  /** `start()`: each callback is sent once the run waits for that state's token. */
  private async withCallbacks(wf: Workflow, c: BehaviourCase, settings: RunOptions): Promise<WorkflowRun> {
    const execution = wf.start(c.input, settings);
    // A refused call leaves the task waiting: the next step for its state answers the same token.
    const open = new Map<string, string>();
    for (const step of c.callbacks ?? []) {
      const token = open.get(step.state) ?? await execution.waitForTaskToken(step.state);
      open.delete(step.state);
      const success = successOf(step);
      const send = (): void => success !== undefined
        ? execution.sendTaskSuccess(token, success)
        : execution.sendTaskFailure(token, step.error, step.cause);
      if (step.refused === undefined) {
        send();
        continue;
      }
      expectRefused(send, step.refused, `${c.id} through jest: the callback to ${step.state}`);
      open.set(step.state, token);
    }
    return execution.result;
  }

  /**
   * The case's machine as a jest test loads it: from its template (a file, with its samconfig.toml
   * beside it, where the case gives one: the harness reads one beside a template file only), or
   * from its definition, named as `stepwright run` names an ASL file's machine.
   */
  private workflowOf(c: BehaviourCase): Workflow {
    const type = c.type ? { type: c.type } : {};
    const chosen = c.stateMachine !== undefined ? { stateMachine: c.stateMachine } : {};
    const parameters = c.parameters ? { parameters: { ...c.parameters } } : {};
    if (c.template && c.samconfig !== undefined) return Workflow.fromTemplate(writeTemplate(fs.mkdtempSync(path.join(this.scratch, 'template-')), c), { ...type, ...chosen, ...parameters });
    if (c.template) return Workflow.fromTemplate(c.template, { ...type, ...chosen, ...parameters });
    return Workflow.fromDefinition(c.definition, { name: MACHINE_NAME, ...type });
  }

  times(): LimiterTimes {
    return this.one.times();
  }

  async close(): Promise<void> {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Throws unless `send` is refused with the error named `name`. */
function expectRefused(send: () => void, name: string, what: string): void {
  try {
    send();
  } catch (e) {
    if ((e as Error).name === name) return;
    throw new Error(`${what} was refused with ${(e as Error).name} (${(e as Error).message}), not ${name}`);
  }
  throw new Error(`${what} was accepted; AWS refuses it with ${name}`);
}


/** An event as `stepwright run --json --history` names it: its type, and the state it belongs to. */
export function eventName(e: HistoryEvent): string {
  const state = stateOf(e);
  return state === undefined ? e.type : `${e.type}:${state}`;
}
