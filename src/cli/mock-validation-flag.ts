import { UsageError } from './cli-error';
import {
  MOCK_ADVICE_MODES, MOCK_VALIDATION_MODES, mockAdviceOf, mockValidationOf, REQUEST_CHECK_MODES, requestChecksOf,
  type MockAdvice, type MockValidation, type RequestChecks, type RunCheckOptions,
} from '../workbench/mocks/validation-mode';

/*
 * The flags of mock and request checking, a module of their own so that `serve`, which reads
 * them at start, does not load `run`'s command (and the checks) with them.
 */

/** Reads --request-checks (any case). @internal */
export function requestChecksFlag(value: string | undefined): RequestChecks | undefined {
  if (value === undefined) return undefined;
  const mode = requestChecksOf(value.toLowerCase());
  if (mode === undefined) throw new UsageError(`--request-checks must be ${REQUEST_CHECK_MODES.join(' or ')}, got '${value}'`);
  return mode;
}

/** Reads --mock-advice (any case). @internal */
export function mockAdviceFlag(value: string | undefined): MockAdvice | undefined {
  if (value === undefined) return undefined;
  const mode = mockAdviceOf(value.toLowerCase());
  if (mode === undefined) throw new UsageError(`--mock-advice must be ${MOCK_ADVICE_MODES.join(' or ')}, got '${value}'`);
  return mode;
}

/** Reads --mock-validation (any case). @internal */
export function mockValidationFlag(value: string | undefined): MockValidation | undefined {
  if (value === undefined) return undefined;
  const mode = mockValidationOf(value.toUpperCase());
  if (mode === undefined) throw new UsageError(`--mock-validation must be ${MOCK_VALIDATION_MODES.join(', ')}, got '${value}'`);
  return mode;
}

/** The flags of the checks as `stepwright run` and `stepwright serve` take them. @internal */
export interface CheckFlags {
  readonly 'mock-validation'?: string;
  readonly 'mock-advice'?: string;
  readonly 'request-checks'?: string;
}

/** The check options the flags give, each read as its own flag reads it; the ones given only. @internal */
export function checkFlags(flags: CheckFlags): RunCheckOptions {
  const mockValidation = mockValidationFlag(flags['mock-validation']);
  const mockAdvice = mockAdviceFlag(flags['mock-advice']);
  const requestChecks = requestChecksFlag(flags['request-checks']);
  return {
    ...(mockValidation === undefined ? {} : { mockValidation }),
    ...(mockAdvice === undefined ? {} : { mockAdvice }),
    ...(requestChecks === undefined ? {} : { requestChecks }),
  };
}
