/*
 * The error of the MockConfigFile, apart from its reader (mock-config.ts): serve tells it apart at
 * start, where the reader is loaded only once a mock configuration is given.
 */

/** Stable codes of {@link MockConfigError}. */
export type MockConfigErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_MOCKED_RESPONSE'
  | 'INVALID_RANGE'
  | 'UNKNOWN_STATE_MACHINE'
  | 'UNKNOWN_TEST_CASE'
  | 'RESPONSES_EXHAUSTED'
  | 'INVALID_INVOCATION_INDEX';

/** A mock configuration file that is malformed, or asked for something it does not hold. */
export class MockConfigError extends Error {
  /** Stable code of the fault. */
  public readonly code: MockConfigErrorCode;
  /** Where in the file the fault is, e.g. `MockedResponses.ChargeRetry["1-2"].Throw`; empty for the whole file. */
  public readonly path: string;
  /** The file the configuration was read from, when it came from a file. */
  public readonly file: string | undefined;
  /** What is wrong, without the location. */
  public readonly reason: string;

  constructor(code: MockConfigErrorCode, path: string, reason: string, file?: string) {
    super([file, path, reason].filter(Boolean).join(': '));
    this.name = 'MockConfigError';
    this.code = code;
    this.path = path;
    this.reason = reason;
    this.file = file;
  }
}
