import { printable } from './terminal';
import { OutputFileError } from '../workbench/common/output-files';

/**
 * A problem the command line reports in one message, without a stack trace,
 * and the exit code it ends with.
 * @internal
 */
export class CliError extends Error {
  /** 1: the definition is invalid or the execution did not succeed; 2: bad usage or unreadable input. */
  public readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad arguments: the command line cannot tell what to do. @internal */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/**
 * Runs a check or write of output files and reports a refusal as the command
 * line does: exit code 2, the file names escaped, and a file name that is missing
 * (an option taken for it) as bad usage.
 * @internal
 */
export function outputFiles<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof OutputFileError)) throw e;
    const message = printable(e.message);
    throw e.kind === 'no-name' ? new UsageError(message) : new CliError(message, 2);
  }
}
