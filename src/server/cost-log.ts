/* `--cost`: one log line per execution that ends, saying what it would cost on AWS. */
import { cost } from './lazy';
import type { ExecutionRecord } from './model';
import type { ExecutionResult } from '../interpreter';

/**
 * The line for an execution that ended: its price as STANDARD (state transitions) and as
 * EXPRESS (requests and billed duration), at the prices of `region`. For a region the
 * price table lacks, a line saying so, rather than a failed close.
 * @internal
 */
export function costLine(record: ExecutionRecord, result: ExecutionResult, region: string): string {
  try {
    const { runCost, usd } = cost();
    // A run that ends after a RedriveExecution is that redrive's: its history starts at the redrive.
    const { history, startDate, stopDate, status, error, childExecutions } = result;
    const run = { history, startDate, stopDate, status, error, childExecutions, redrive: record.redriveCount > 0 };
    const c = runCost(run, { definition: record.revision.parsed, region });
    const u = c.usage;
    const express = c.express
      ? `EXPRESS 1 request, ${c.express.billedDurationMs} ms billed at ${c.express.billedMemoryMb} MB ${usd(c.express.usd)}`
      : 'EXPRESS unpriced in this region';
    return `cost ${record.arn} ${result.status}: STANDARD ${c.standard.stateTransitions} state transitions `
      + `(${u.statesEntered} entered, ${u.retries} retries${u.redrives ? `, ${u.redrives} redrive` : ''}${u.childExecutionsStarted ? `, ${u.childExecutionsStarted} child executions` : ''}) `
      + `${usd(c.standard.usd)} | ${express}`;
  } catch (e) {
    return `cost ${record.arn}: ${(e as Error).message}`;
  }
}
