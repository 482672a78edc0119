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
