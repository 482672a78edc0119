/*
 * The modes of checking mocks and requests against the service models, apart from the checks
 * themselves: `stepwright serve` reads the modes at start, and the checks (with the service
 * contracts behind them) are loaded with the first mock or request they check.
 */

/**
 * How strictly a mock's answer is checked against the service's model, as
 * TestState's `mock.fieldValidationMode`: `STRICT`, every required field is
 * present and every field the model defines conforms (type, enum, length,
 * bounds); `PRESENT`, every field given that the model defines conforms;
 * `NONE`, nothing is checked. A field the model does not define is advice in
 * STRICT and PRESENT, as TestState lets it through.
 */
export type MockValidation = 'STRICT' | 'PRESENT' | 'NONE';

/**
 * How a MockConfigFile's answers are checked when the run names no mode. The format is Step
 * Functions Local's, which checks no mock: the fields an answer gives are checked (a wrong type
 * still fails, as TestState would fail it), and a required field it leaves out is advice naming
 * the field, never a failure. A mode the run names applies to them as to its other mocks; the
 * harness's own mocks keep TestState's STRICT default.
 */
export const MOCK_CONFIG_VALIDATION: MockValidation = 'PRESENT';

/**
 * The modes a run's checks use from the one it was given, if any: `mode` judges its own mocks
 * (STRICT unless named), `configMode` a MockConfigFile's answers (undefined unless named:
 * {@link MOCK_CONFIG_VALIDATION}).
 * @internal
 */
export function mockModes(named: MockValidation | undefined): { readonly mode: MockValidation; readonly configMode?: MockValidation } {
  return named === undefined ? { mode: 'STRICT' } : { mode: named, configMode: named };
}

/** The mode an answer is checked by: a MockConfigFile's by `configMode` (else {@link MOCK_CONFIG_VALIDATION}), any other by `mode`. @internal */
export function modeFor(
  origin: { readonly mockConfigFile?: boolean }, settings: { readonly mode: MockValidation; readonly configMode?: MockValidation },
): MockValidation {
  return origin.mockConfigFile === true ? settings.configMode ?? MOCK_CONFIG_VALIDATION : settings.mode;
}

/** What stepwright's own findings on a mock do: `warn` tells the run and goes on, `fail` fails the Task with `States.Runtime`. */
export type MockAdvice = 'warn' | 'fail';

/** What a refused request does: `fail` fails the Task as AWS does, `warn` tells the run and goes on. */
export type RequestChecks = 'fail' | 'warn';

/** The door a run came through, so that a message names that door's option: `--mock-validation` on the command line, `mockValidation` in jest. */
export type MockDoor = 'jest' | 'cli' | 'serve' | 'mcp' | 'test-state';

/** The modes, in the order the help lists them. */
export const MOCK_VALIDATION_MODES: readonly MockValidation[] = ['STRICT', 'PRESENT', 'NONE'];
export const MOCK_ADVICE_MODES: readonly MockAdvice[] = ['warn', 'fail'];
export const REQUEST_CHECK_MODES: readonly RequestChecks[] = ['fail', 'warn'];

/** The one of `modes` a flag, a tool argument or a request names; undefined when it names none. @internal */
export function modeOf<M extends string>(modes: readonly M[], value: unknown): M | undefined {
  return modes.find((mode) => mode === value);
}

/** The one of `modes` given in code as option `option`, checked: a TypeError names the modes otherwise. @internal */
export function checkedMode<M extends string>(option: string, modes: readonly M[], value: unknown, note = ''): M {
  const mode = modeOf(modes, value);
  if (mode === undefined) throw new TypeError(`${option} must be one of ${modes.join(', ')}${note}, got ${JSON.stringify(value) ?? String(value)}`);
  return mode;
}

/** The mode a flag, a tool argument or a request names; undefined when it names none. */
export function mockValidationOf(value: unknown): MockValidation | undefined {
  return modeOf(MOCK_VALIDATION_MODES, value);
}

/** The advice mode a flag or a tool argument names; undefined when it names none. */
export function mockAdviceOf(value: unknown): MockAdvice | undefined {
  return modeOf(MOCK_ADVICE_MODES, value);
}

/** The request-check mode a flag or a tool argument names; undefined when it names none. */
export function requestChecksOf(value: unknown): RequestChecks | undefined {
  return modeOf(REQUEST_CHECK_MODES, value);
}

/** The mode given in code, checked: a TypeError names the modes otherwise. */
export function checkedMockValidation(value: unknown): MockValidation {
  return checkedMode('mockValidation', MOCK_VALIDATION_MODES, value, " (as TestState's mock.fieldValidationMode)");
}

/** The advice mode given in code, checked. */
export function checkedMockAdvice(value: unknown): MockAdvice {
  return checkedMode(CHECK_OPTION.advice, MOCK_ADVICE_MODES, value);
}

/** The request-check mode given in code, checked. */
export function checkedRequestChecks(value: unknown): RequestChecks {
  return checkedMode(CHECK_OPTION.requests, REQUEST_CHECK_MODES, value);
}

/**
 * The options that set how a run checks its mocks and its Tasks' requests, by the names every
 * door gives them: RunSettings (jest), serve's options, the MCP run tool's arguments, and the
 * CLI's flags spelt in kebab case. The doors document them for their users; this is the group
 * the engine reads, whole. A new check is added here, to RunChecks and {@link runChecks}, to
 * RunSettings, to the CLI's flags (cli/mock-validation-flag.ts) and to the MCP run tool's schema.
 * @internal
 */
export interface RunCheckOptions {
  readonly mockValidation?: MockValidation;
  readonly mockAdvice?: MockAdvice;
  readonly requestChecks?: RequestChecks;
}

/** Each check option's name in {@link RunCheckOptions}, by its member of {@link RunChecks}. @internal */
export const CHECK_OPTION = {
  validation: 'mockValidation',
  advice: 'mockAdvice',
  requests: 'requestChecks',
} as const satisfies Record<string, keyof RunCheckOptions>;

/**
 * How one run checks its mocks and requests: the options its door was given, checked and with
 * their defaults, and the door, whose spelling of the options its messages use. Resolved once
 * where the run starts ({@link runChecks}), passed whole to the run's dispatcher, and inherited
 * whole by the child runs its `states:startExecution` Tasks start.
 * @internal
 */
export interface RunChecks {
  /** The mock validation mode the run named; undefined: each kind of mock's own default ({@link mockModes}). */
  readonly validation?: MockValidation;
  readonly advice: MockAdvice;
  readonly requests: RequestChecks;
  readonly door: MockDoor;
  /**
   * The states whose answers a search made up (explore's), in a run whose other answers its user
   * gave: a made-up answer AWS would never give (a field its model does not define, an error the
   * integration never raises) must not count as reaching a state, so it is judged by these
   * settings (`fail`, STRICT), while the user's own answers are judged by the run's own, the
   * options the user gave, as the user's run judges them at every door. The states are the run's
   * own machine's: a child run it starts does not inherit them ({@link childChecks}), so that a
   * state of the same name in another machine keeps its user's checks.
   */
  readonly madeUp?: { readonly states: ReadonlySet<string>; readonly advice: MockAdvice; readonly validation: MockValidation };
}

/**
 * The settings the answers of `state` are checked by: the run's own, but the made-up answers'
 * where a search made up the state's answers ({@link RunChecks.madeUp}).
 * @internal
 */
export function checksOfState<S extends StateChecks>(settings: S, checks: RunChecks, state: string): Omit<S, 'configMode'> & StateChecks {
  const madeUp = checks.madeUp;
  if (madeUp?.states.has(state) !== true) return settings;
  const { configMode: _, ...rest } = settings;
  return { ...rest, ...mockModes(madeUp.validation), advice: madeUp.advice };
}

/** What {@link checksOfState} sets of the settings an answer is checked by. */
interface StateChecks { readonly advice: MockAdvice; readonly mode: MockValidation; readonly configMode?: MockValidation }

/**
 * The checks of a child run a run starts (`states:startExecution`): the run's own, but not the
 * states whose answers its search made up, which are the parent machine's states. Mocks are
 * keyed per state machine, as a MockConfigFile keys them (`StateMachines.<name>.TestCases`).
 * @internal
 */
export function childChecks(checks: RunChecks): RunChecks {
  const { madeUp: _, ...own } = checks;
  return own;
}

/**
 * A run's checks from the options its door was given: each checked (a TypeError names the modes
 * of a wrong one), `advice` warn and `requests` fail unless given, as AWS lets advice through and
 * refuses a request its model forbids.
 * @internal
 */
export function runChecks(given: RunCheckOptions, door: MockDoor): RunChecks {
  const validation = given[CHECK_OPTION.validation];
  return {
    ...(validation === undefined ? {} : { validation: checkedMockValidation(validation) }),
    advice: checkedMockAdvice(given[CHECK_OPTION.advice] ?? 'warn'),
    requests: checkedRequestChecks(given[CHECK_OPTION.requests] ?? 'fail'),
    door,
  };
}

/** The check options `from` gives (a door's arguments, which hold other options too), and only those. @internal */
export function checkOptionsOf(from: RunCheckOptions): RunCheckOptions {
  const out: { -readonly [K in keyof RunCheckOptions]: RunCheckOptions[K] } = {};
  for (const option of Object.values(CHECK_OPTION)) {
    if (from[option] !== undefined) Object.assign(out, { [option]: from[option] });
  }
  return out;
}

/**
 * A check option set to `value` as the door spells it, in a message that tells how to change
 * it: `mockAdvice: 'fail'` in jest, `--mock-advice fail` on the command line, the tool's
 * `mockAdvice: "fail"` over MCP (run, explore and verify take it alike), TestState's `mock.fieldValidationMode`.
 * @internal
 */
export function optionAt(door: MockDoor, check: keyof typeof CHECK_OPTION, value: string): string {
  const option = CHECK_OPTION[check];
  const flag = `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${value}`;
  switch (door) {
    case 'cli': return flag;
    case 'serve': return `stepwright serve ${flag}`;
    case 'mcp': return `the tool's ${option}: "${value}"`;
    case 'test-state': return check === 'validation' ? `mock.fieldValidationMode: "${value}"` : `${option}: '${value}'`;
    default: return `${option}: '${value}'`;
  }
}
