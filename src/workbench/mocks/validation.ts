/**
 * Checks a mock's answer against what the Task's Resource can return and
 * raise, as TestState checks its mocks (`mock.fieldValidationMode`), and tells
 * apart what AWS would refuse from what only stepwright notices:
 *
 * - a **refusal**: AWS's TestState refuses the answer too (a required field
 *   missing under STRICT, a value of the wrong type, outside the model's enum
 *   or bounds). The Task fails with `States.Runtime`, a test-setup mistake no
 *   `Catch` hides.
 * - **advice**: AWS lets it through, but it is likely a mistake (a field the
 *   model does not define, a misspelt `Itme`; an error name the integration
 *   never raises). The run goes on and is told; `mockAdvice: 'fail'` makes it
 *   a refusal.
 *
 * Every message names the model version it judged by and the one option of
 * the door it came through (jest, the CLI, serve, MCP, TestState) that lets
 * the mock through with the other checks still on.
 */
import { exampleAnswer } from './example-answer';
import { contracts } from './lazy-contracts';
import { modeFor, optionAt, type MockAdvice, type MockDoor, type MockValidation } from './validation-mode';
import type { JsonValue } from '../../asl';
import { failingAnswer, failRulesOf } from '../../asl/answer-outcomes';
import { ServiceErrors } from '../../asl/service-errors';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import type { ContractFinding } from '../../contracts/check';

export {
  checkedMockAdvice, checkedMockValidation, MOCK_ADVICE_MODES, MOCK_VALIDATION_MODES, mockAdviceOf, mockValidationOf,
  type MockAdvice, type MockDoor, type MockValidation,
} from './validation-mode';

/** How one run checks its mocks. */
export interface MockCheckSettings {
  /** How the run's own mocks are checked. */
  readonly mode: MockValidation;
  /**
   * How a MockConfigFile's answers are checked, where the run named a mode.
   * @default MOCK_CONFIG_VALIDATION
   */
  readonly configMode?: MockValidation;
  readonly advice: MockAdvice;
  readonly door: MockDoor;
}

/** The settings of a run that did not say: STRICT, advice told, named as in jest. */
export const DEFAULT_MOCK_CHECKS: MockCheckSettings = { mode: 'STRICT', advice: 'warn', door: 'jest' };

/** Where a mock came from, for messages: `mocks`, `MockConfigFile`, `the handlers module`. */
export interface MockOrigin {
  readonly stateName: string;
  readonly resource: string;
  readonly label: string;
  /** The answer is a MockConfigFile's (Step Functions Local's format), checked by `configMode`. */
  readonly mockConfigFile?: boolean;
}

/** One piece of advice a run was given: the state it is about and what was noticed. */
export interface RunAdvice {
  readonly state: string;
  readonly message: string;
}

/** What a check of one mock found: a refusal fails the Task, advice is told and the run goes on. */
export interface MockVerdict {
  readonly refusal?: string;
  readonly advice?: string;
}

/**
 * A message that quotes others' text (state names, mock fields, error names) as every door
 * prints it: control characters, DEL, C1 and the marks that reorder a line escaped as
 * `\uXXXX`, so that no mock can drive a terminal or a log; the message's own line breaks kept.
 * @internal
 */
export function printableMessage(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A verdict whose messages are printable. */
function printableVerdict(v: MockVerdict): MockVerdict {
  return {
    ...(v.refusal !== undefined ? { refusal: printableMessage(v.refusal) } : {}),
    ...(v.advice !== undefined ? { advice: printableMessage(v.advice) } : {}),
  };
}

/** An option as the door spells it; none for advice at TestState, whose API lets such an answer through. */
export function optionOf(door: MockDoor, option: 'validation' | 'advice', value: string): string | undefined {
  return door === 'test-state' && option === 'advice' ? undefined : optionAt(door, option, value);
}

function mockOf(origin: MockOrigin): string {
  return `The mock of Task '${origin.stateName}'${origin.label === `'${origin.stateName}'` ? '' : ` (${origin.label})`}`;
}

/** `judged by botocore 1.43.11 (dynamodb-2012-08-10)`: the model version every message names. */
function judgedBy(resource: string): string {
  const contract = contracts().contractOf(resource);
  const guide = contract.kind === 'optimized' ? ' and the developer guide' : '';
  return `judged by ${contracts().modelVersion()}${contract.model !== undefined ? ` (${contract.model})` : ''}${guide}`;
}

function lines(findings: readonly ContractFinding[]): string {
  const shown = findings.slice(0, 5).map((f) => `  ${f.message}${f.expected && f.code !== 'WRONG_TYPE' && f.code !== 'NOT_IN_ENUM' ? ` (expected ${f.expected})` : ''}`);
  if (findings.length > 5) shown.push(`  … and ${findings.length - 5} more`);
  return shown.join('\n');
}

function what(resource: string): string {
  const contract = contracts().contractOf(resource);
  return contract.operation ? `${contract.service}:${contract.action} (${contract.operation})` : resource;
}

/**
 * What a mock's task result is worth: a refusal where AWS's TestState refuses it
 * too, advice where only stepwright notices something (or a refusal, when the
 * run asked to fail on advice); nothing where it is an answer AWS gives, or no
 * model describes it (a callback's output, a Lambda function ARN's result).
 */
export function judgeMockResult(origin: MockOrigin, result: JsonValue, settings: MockCheckSettings): MockVerdict {
  return printableVerdict(resultVerdict(origin, result, settings));
}

function resultVerdict(origin: MockOrigin, result: JsonValue, settings: MockCheckSettings): MockVerdict {
  const mode = modeFor(origin, settings);
  if (mode === 'NONE') return {};
  // A MockConfigFile's answer under PRESENT: a required field it leaves out is told, never refused.
  const tellMissing = origin.mockConfigFile === true && mode === 'PRESENT';
  const findings = contracts().checkAnswer(origin.resource, result, tellMissing ? 'STRICT' : mode);
  if (findings.length === 0) return {};
  const missing = tellMissing ? findings.filter((f) => f.code === 'MISSING_FIELD') : [];
  const refused = findings.filter((f) => f.aws !== undefined && !missing.includes(f));
  const noticed = findings.filter((f) => f.aws === undefined && !missing.includes(f));
  const { contractOf, describe: describeShape } = contracts();
  const contract = contractOf(origin.resource);
  const shape = `It returns ${describeShape(contract.output!)}, for example ${exampleAnswer(origin.resource, result)}.`;
  const see = `see ${contract.source !== undefined && contract.source.startsWith('https:') ? contract.source : 'the service\'s API reference'}`;
  if (refused.length > 0) {
    const onlyMissing = refused.every((f) => f.code === 'MISSING_FIELD');
    const present = optionOf(settings.door, 'validation', 'PRESENT');
    const none = optionOf(settings.door, 'validation', 'NONE');
    const out = onlyMissing
      ? `Fix the mock (${see}), or, to give only some fields, set ${present}: the fields given are still checked.`
      : `Fix the mock (${see}). AWS refuses it under PRESENT too: only ${none} lets it through, and that checks nothing.`;
    return {
      refusal: `${mockOf(origin)} answers what ${what(origin.resource)} never returns, and AWS's TestState refuses it too `
        + `(field validation ${mode}, ${judgedBy(origin.resource)}):\n${lines(refused)}\n${shape} ${out}`,
    };
  }
  const told: string[] = [];
  if (noticed.length > 0) {
    told.push(`${mockOf(origin)} answers ${noticed.length === 1 ? 'a field' : 'fields'} ${what(origin.resource)} never returns (${judgedBy(origin.resource)}):\n${lines(noticed)}\n${shape} `);
  }
  if (missing.length > 0) {
    told.push(`${mockOf(origin)} leaves out ${missing.length === 1 ? 'a field' : 'fields'} ${what(origin.resource)} always returns (${judgedBy(origin.resource)}):\n${lines(missing)}\n`
      + `${noticed.length > 0 ? '' : `${shape} `}`);
  }
  const recorded = contract.pattern === 'request';
  const failing = settings.advice === 'fail';
  const aws = recorded ? 'AWS\'s TestState lets such a field through' : 'What AWS\'s TestState makes of a job\'s answer is not recorded';
  const missingWhy = 'Step Functions Local, whose format a MockConfigFile is, checks no mock, so its answers are checked PRESENT '
    + `(AWS's TestState refuses such an answer under its default STRICT, as ${optionOf(settings.door, 'validation', 'STRICT')} does here), `
    + 'and a state that reads the field finds nothing where AWS always sends it';
  if (failing) {
    const why = noticed.length > 0 ? aws : missingWhy;
    return { refusal: `${told.join('')}${why}; this run fails on it because it was asked to (${optionOf(settings.door, 'advice', 'fail')}); ${optionOf(settings.door, 'advice', 'warn')} keeps the run going with every other check on.` };
  }
  const optIn = optionOf(settings.door, 'advice', 'fail');
  const whys: string[] = [];
  if (noticed.length > 0) {
    whys.push(recorded
      ? 'AWS\'s TestState lets such a field through, so the run goes on, but a state that reads it reads what AWS never sends'
      : 'What AWS\'s TestState makes of a job\'s answer is not recorded, so the run goes on, but a state that reads it may read what AWS never sends');
  }
  if (missing.length > 0) whys.push(`${missingWhy}, but the run goes on`);
  return { advice: `${told.join('')}${whys.join('. ')}${optIn === undefined ? '.' : `; set ${optIn} to fail the run on it.`}` };
}

/**
 * What a mock's error is worth: advice when it names an error the Resource never
 * raises, where the contracts know every error it can raise (not a Lambda
 * function's own, nor a worker's). TestState does not check error names, so it
 * is never more than advice unless the run asked to fail on advice.
 */
export function judgeMockError(origin: MockOrigin, error: string, settings: MockCheckSettings): MockVerdict {
  return printableVerdict(errorVerdict(origin, error, settings));
}

/**
 * Whether `error` carries an optimized integration's own prefix (`Lambda.`, `ApiGateway.`,
 * `StepFunctions.`) but is none of the names the integration raises under it: not in its
 * contract's list (the model's errors and the guide's), nor a name one of the catalogue's rules
 * raises (`ApiGateway.404`; never `ApiGateway.200`, a status that does not fail the Task; a
 * function's `errorType` under Lambda's prefix is counted a slip too). Asked
 * only where the list is open (a function's own error, a job's end, a worker's answer may carry
 * another name), so such a name is a likely slip, never a certainty.
 */
function strayOwnName(resource: string, error: string): boolean {
  const row = taskResource(resource).row;
  if (row === undefined || !error.startsWith(`${row.errorPrefix}.`)) return false;
  const errors = contracts().contractOf(resource).errors;
  if (errors.names.includes(error) || errors.serviceWide?.has(error) === true) return false;
  // What AWS raises when the role may not call the service, whatever the call (iam/access-denied.ts).
  if (error === ServiceErrors.accessDenied(row.errorPrefix)) return false;
  // A rule that takes its error's name from the answer (Lambda's errorType) raises any name: only a name it fixes counts.
  return failRulesOf(resource).some((rule) => 'from' in rule.error) || failingAnswer(resource, error) === undefined;
}

function errorVerdict(origin: MockOrigin, error: string, settings: MockCheckSettings): MockVerdict {
  if (modeFor(origin, settings) === 'NONE') return {};
  const { closestErrors, contractOf, mayRaise } = contracts();
  const errors = contractOf(origin.resource).errors;
  if (mayRaise(errors, error)) return errors.complete || !strayOwnName(origin.resource, error) ? {} : strayVerdict(origin, error, settings);
  const closest = closestErrors(error, origin.resource);
  const told = `${mockOf(origin)} fails with '${error}', which ${origin.resource} never raises (${judgedBy(origin.resource)}), so a Retry or Catch `
    + `tested with it misses the error AWS raises${closest.length > 0 ? `; did you mean ${closest.map((c) => `'${c}'`).join(' or ')}?` : '.'} `;
  if (settings.advice === 'fail') {
    return { refusal: `${told}This run fails on it because it was asked to (${optionOf(settings.door, 'advice', 'fail')}); ${optionOf(settings.door, 'advice', 'warn')} keeps the run going with every other check on.` };
  }
  const optIn = optionOf(settings.door, 'advice', 'fail');
  return { advice: `${told}AWS's TestState does not check error names, so the run goes on${optIn === undefined ? '.' : `; set ${optIn} to fail the run on it.`}` };
}

/** What a mock's error under the integration's own prefix that it does not list is worth: advice, as the list is open. */
function strayVerdict(origin: MockOrigin, error: string, settings: MockCheckSettings): MockVerdict {
  const closest = contracts().closestErrors(error, origin.resource);
  const told = `${mockOf(origin)} fails with '${error}', a name under the prefix of ${origin.resource} that it never raises as far as `
    + `${judgedBy(origin.resource)} and the catalogue of optimized integrations know${closest.length > 0 ? `; did you mean ${closest.map((c) => `'${c}'`).join(' or ')}?` : '.'} `
    + 'A Retry or Catch tested with it may miss the error AWS raises. The names it raises are not all known (a function\'s own error, '
    + 'a job\'s end or a worker\'s answer may carry another), so this is a guess';
  if (settings.advice === 'fail') {
    return { refusal: `${told}; this run fails on it because it was asked to (${optionOf(settings.door, 'advice', 'fail')}); ${optionOf(settings.door, 'advice', 'warn')} keeps the run going with every other check on.` };
  }
  const optIn = optionOf(settings.door, 'advice', 'fail');
  return { advice: `${told}, and the run goes on${optIn === undefined ? '.' : `; set ${optIn} to fail the run on it.`}` };
}

/** The result, when the check refuses nothing; advice is handed to `advise`. A refusal fails the Task with States.Runtime (not caught by States.ALL). */
export function checkMockResult(origin: MockOrigin, result: JsonValue, settings: MockCheckSettings, advise: (advice: RunAdvice) => void): JsonValue {
  const verdict = judgeMockResult(origin, result, settings);
  if (verdict.refusal !== undefined) throw new StatesError(StatesErrors.RUNTIME, verdict.refusal);
  if (verdict.advice !== undefined) advise({ state: origin.stateName, message: verdict.advice });
  return result;
}

/** The mock's error, when the check refuses nothing; else States.Runtime with the reason. */
export function checkMockError(
  origin: MockOrigin, error: StatesError, settings: MockCheckSettings, advise: (advice: RunAdvice) => void,
): StatesError {
  const verdict = judgeMockError(origin, error.error, settings);
  if (verdict.refusal !== undefined) return new StatesError(StatesErrors.RUNTIME, verdict.refusal);
  if (verdict.advice !== undefined) advise({ state: origin.stateName, message: verdict.advice });
  return error;
}

/** Advice kept once per state and message: a Map of 10,000 items answered by one mock tells it once. */
export class AdviceLog {
  /** The most kept: a hostile run cannot grow it without bound. */
  static readonly LIMIT = 100;
  private readonly seen = new Set<string>();
  private readonly list: RunAdvice[] = [];

  readonly add = (advice: RunAdvice): void => {
    const key = `${advice.state}\u0000${advice.message}`;
    if (this.seen.has(key) || this.list.length >= AdviceLog.LIMIT) return;
    this.seen.add(key);
    this.list.push(advice);
  };

  get all(): readonly RunAdvice[] {
    return this.list;
  }
}
