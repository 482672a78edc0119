/*
 * The executions of one run of the jest harness, `stepwright run` or MCP's run tool, counted against
 * the bound every door keeps (chains.ts), as serve counts an account's.
 */
import { chainRefusal, OPEN_EXECUTIONS_BOUND, openExecutionsRefusal, runningExpressRefusal } from './chains';
import { AwsLimits } from '../../asl/limits';
import { InvalidOptionError } from '../../interpreter/execution-errors';
import type { MockDoor } from '../mocks';

/**
 * The executions of one run of the harness, `stepwright run` or MCP: its own and every child its
 * Tasks started, however deep, counted against the bound as serve counts an account's.
 * @internal
 */
export class RunExecutions {
  /** STANDARD executions of the run not yet ended (EXPRESS ones are not open executions, as on AWS). */
  private open = 0;
  /** EXPRESS executions of the run not yet ended, bounded apart (runningExpressRefusal). */
  private express = 0;
  private readonly bound: number;
  private readonly given: boolean;

  /** @throws InvalidOptionError for a bound that is not a whole number from 1 to AWS's quota */
  constructor(given: number | undefined, private readonly door: MockDoor) {
    if (given !== undefined && !(Number.isSafeInteger(given) && given >= 1 && given <= AwsLimits.OPEN_EXECUTIONS)) {
      throw new InvalidOptionError('openExecutionLimit', `openExecutionLimit must be a whole number from 1 to ${AwsLimits.OPEN_EXECUTIONS} `
        + `(AWS's quota of open executions), got ${JSON.stringify(given) ?? String(given)}: give the most executions the run may have open at once`);
    }
    this.bound = given ?? OPEN_EXECUTIONS_BOUND;
    this.given = given !== undefined;
  }

  /** Counts an execution open (STANDARD) or running (EXPRESS) until `ended` settles. */
  opened(type: string, ended: Promise<unknown>): void {
    if (type === 'STANDARD') {
      this.open++;
      const close = (): void => { this.open--; };
      ended.then(close, close);
    } else {
      this.express++;
      const close = (): void => { this.express--; };
      ended.then(close, close);
    }
  }

  /**
   * The cause of the refusal of a child of type `type` started by a Task of `parentArn`, the
   * `position`-th execution of its chain (the run's own is the first), or undefined when it may
   * start: the open executions first, as serve checks them first.
   */
  refusal(type: string, position: number, parentArn: string): string | undefined {
    if (type === 'STANDARD' && this.open >= this.bound) return openExecutionsRefusal(this.open, 'one run may have', this.door, this.given);
    if (type !== 'STANDARD' && this.express >= this.bound) return runningExpressRefusal(this.express, 'one run may have', this.door, this.given);
    if (position >= this.bound) return chainRefusal(this.bound, parentArn, this.door, this.given);
    return undefined;
  }
}
