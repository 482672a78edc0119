/*
 * The tools that search a state machine's paths, explore and verify: their schemas, and the budget
 * of real seconds a search takes, bounded by the server's time per call.
 */
import { z } from 'zod';
import { pathProperty } from './property-schema';
import {
  CHECK_OPTIONS, MOCK_CONFIG_CASE, s3Dir, SOURCE, SOURCE_ONE_OF, stack, stateMachine, string, tool, truncated, type,
} from './tool-fields';
import { AwsLimits, EXPRESS_DURATION_WORDS, PAYLOAD_WORDS } from '../asl/limits';
import { DEFAULT_SEED } from '../asl/random';
import { withThousands } from '../asl/shorten';
import { DEFAULT_MAX_SCENARIOS } from '../explore/context';

const category = {
  type: 'object',
  required: ['reached', 'total', 'unreachable', 'notReached'],
  properties: {
    reached: { type: 'integer' },
    total: { type: 'integer' },
    unreachable: { type: 'array', items: { type: 'object' }, description: 'Goals no input or Task answer can reach, each with the proof (reason)' },
    notReached: { type: 'array', items: { type: 'object' }, description: 'Goals neither reached nor proved unreachable, each with what stood in the way' },
  },
};

/**
 * Explore's and verify's budget when the call gives none, well inside the server's default 30 s bound
 * for a call (explore's own, for doors with no such bound, is DEFAULT_BUDGET_SECONDS): set and stated here only.
 * @internal
 */
export const EXPLORE_BUDGET_SECONDS = 10;
/** The most seconds a call may ask its search to take, and the most scenarios. */
const [MOST_BUDGET_SECONDS, MOST_SCENARIOS] = [3600, 1000];
/** The share of the server's time bound for a call a search may take, and its words in the tools' descriptions. */
const BUDGET_SHARE = { of: 0.75, words: 'three quarters' } as const;

/**
 * The budget an explore or verify call runs with: the one asked for (or {@link EXPLORE_BUDGET_SECONDS}),
 * lowered to three quarters of the server's time bound for a call (none: `Infinity`), so the search and
 * its report end, and the answer crosses back, before the call is stopped with nothing (the rest is a
 * margin for the worker and a busy machine).
 * @internal
 */
export function exploreBudgetSeconds(asked: unknown, timeoutMs: number): number {
  const wanted = typeof asked === 'number' ? asked : EXPLORE_BUDGET_SECONDS;
  return Math.min(wanted, (timeoutMs / 1000) * BUDGET_SHARE.of);
}

/**
 * The budgetSeconds field of explore and verify: what it bounds (`use`), then the bound every such
 * call has (ended by `why`, which closes its parenthesis and sentence) and the default.
 */
const budgetSeconds = (use: string, why: string): z.ZodOptional<z.ZodNumber> => z.number().positive().max(MOST_BUDGET_SECONDS).optional().describe(
  `${use} At most ${BUDGET_SHARE.words} of the server's --timeout (a larger value is lowered to it${why} Default: ${EXPLORE_BUDGET_SECONDS}.`);

export const exploreTool = tool({
  name: 'explore',
  title: 'Find inputs and Task answers that reach every path',
  description: 'Searches for execution inputs and Task answers that together reach every state, transition, Choice rule (each '
    + 'true once, the Default once), Catch, Retry and callback outcome, solving the Choice rules rather than guessing. Answers '
    + 'per state machine: the scenarios (input, mocks in the run tool\'s format, path, status, output or error), the goals no '
    + 'input can reach with the proof, those not reached with the reason, and findings (errors nothing catches, loops that '
    + `hit the ${withThousands(AwsLimits.HISTORY_EVENTS)}-event history limit, payloads past ${PAYLOAD_WORDS}, `
    + `EXPRESS runs past ${EXPRESS_DURATION_WORDS}). Every scenario was run again `
    + 'with its mocks before it is answered: pass them to the run tool to see it. Explore answers every Task itself; no code runs.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    type,
    input: z.unknown().optional().describe('The execution input the search starts from; explore changes only the fields the machine reads. Default: {}.'),
    mocks: z.record(z.string(), z.unknown()).optional().describe('Answers explore must not invent, keyed by state name, in the run tool\'s '
      + 'mocks format: the items a Map\'s ItemReader reads from S3, a Task whose results you know. An AWS MockConfigFile works too, '
      + 'with testCase: its responses answer the Tasks the test case names, explore the others (run the scenarios with the same test case). '
      + 'Checked as the run tool checks them, by mockValidation and mockAdvice.'),
    ...MOCK_CONFIG_CASE,
    ...CHECK_OPTIONS,
    maxScenarios: z.number().int().min(1).max(MOST_SCENARIOS).optional().describe(`The most scenarios to answer per state machine. Default: ${DEFAULT_MAX_SCENARIOS}.`),
    budgetSeconds: budgetSeconds('Real seconds the search may take per state machine; when they run out the answer holds what was found '
      + 'and lists the rest as not reached.', ', so the call answers what it found rather than being stopped); keep it below that '
      + 'for all the machines of a file together.'),
    s3Dir: s3Dir('Map ItemReaders read their items from it, and aws-sdk:s3 Tasks no mock answers read it; explore writes nothing '
      + 'to it (a ResultWriter\'s files and a PutObject are answered as stored, and dropped).'),
    seed: z.number().int().optional().describe(`Seed of the runs' random source. The same machine, options and seed give the same answer. Default: ${DEFAULT_SEED}.`),
    details: z.boolean().optional().describe('Answer the whole report: every scenario\'s path and the goals it reaches, every goal not reached. '
      + 'Default: false, the whole report when it is short (8,000 characters), else a summary (each path by its decisive states and length, the first 10 goals per list) that says in leftOut what it left out.'),
  }),
  output: {
    type: 'object',
    required: ['reports'],
    properties: {
      truncated,
      reports: {
        type: 'array',
        items: {
          type: 'object',
          required: ['source'],
          properties: {
            source: string,
            machine: string,
            states: category,
            transitions: category,
            choiceRules: category,
            catches: category,
            retries: category,
            callbacks: category,
            scenarios: {
              type: 'array',
              items: {
                type: 'object',
                // A summary too long for its bound keeps only the name and outcome of its last scenarios.
                required: ['name', 'status'],
                properties: {
                  name: string,
                  input: { description: 'Left out of the last scenarios of a summary too long to answer whole' },
                  mocks: { type: 'object', description: 'Left out with input' },
                  status: string,
                  path: { type: 'array', items: string, description: 'With details: true, every state entered' },
                  decisiveStates: { type: 'array', items: string, description: 'In a summary, the states that decide the run' },
                  pathLength: { type: 'integer' },
                },
              },
            },
            findings: { type: 'array', items: { type: 'object' }, description: 'Explore\'s findings; for an invalid definition, its validation findings instead' },
            search: { type: 'object', description: 'Whether the search was complete, what cut it short, how many runs it made' },
            leftOut: { type: 'string', description: 'What a summary leaves out, and how to ask for it' },
          },
        },
      },
    },
  },
  pathFields: ['file', 's3Dir'],
  oneOf: [SOURCE_ONE_OF],
});

/** Properties one verify call checks, and the most its bound on a Map's items may be (the tool's bound, as a run's input is). */
const [MAX_PROPERTIES, MAX_MAP_ITEMS] = [100, 1_000_000];

export const verifyTool = tool({
  name: 'verify',
  title: 'Check properties over every path of a state machine',
  description: 'Checks properties over every path of one state machine: explore\'s search makes the runs (inputs and Task answers '
    + 'that reach every state, transition, Choice rule, Retry and Catch) and each property gets a verdict. VIOLATED comes with a '
    + 'counterexample (input, mocks in the run tool\'s format, path) that was run again from its mocks: pass them to the run tool to '
    + 'see it. HOLDS only when every goal was reached or proved unreachable and the property holds on every path of the machine\'s '
    + 'graph; UNKNOWN otherwise, saying what was not covered and what to give. The same verdicts as `stepwright verify --json`. '
    + 'Verify answers every Task itself; no code runs.',
  input: z.strictObject({
    ...SOURCE,
    stack,
    stateMachine,
    type,
    properties: z.record(
      z.string().min(1).max(256).refine((k) => k !== '__proto__', { message: 'a property may not be named __proto__' }),
      pathProperty,
    ).refine((ps) => Object.keys(ps).length >= 1 && Object.keys(ps).length <= MAX_PROPERTIES, {
      message: `give 1 to ${MAX_PROPERTIES} properties, keyed by name`,
    }).describe('The properties to check, keyed by name, each an object with one field naming its kind: '
      + '{"never": "State"}, {"leadsTo": ["A", ["B", "C"]]}, {"precedes": ["A", "B"]}, {"atMost": ["A", n]}, '
      + '{"endsWith": {"statuses": ["SUCCEEDED", "FAILED"], "errors": ["Payment.Declined"]}}, {"maxTransitions": n}, {"maxSeconds": n}.'),
    input: z.unknown().optional().describe('The execution input the search starts from; verify changes only the fields the machine reads. Default: {}.'),
    mocks: z.record(z.string(), z.unknown()).optional().describe('Answers verify must not invent, keyed by state name, in the run tool\'s '
      + 'mocks format: the items a Map\'s ItemReader reads from S3, a Task whose results you know. An AWS MockConfigFile works too, '
      + 'with testCase, as explore takes it. Checked as the run tool checks them, by mockValidation and mockAdvice.'),
    ...MOCK_CONFIG_CASE,
    ...CHECK_OPTIONS,
    budgetSeconds: budgetSeconds('Real seconds the search may take; when they run out, a property no run broke is UNKNOWN.', ').'),
    s3Dir: s3Dir('Map ItemReaders read their items from it, and aws-sdk:s3 Tasks no mock answers read it; verify writes nothing to it.'),
    seed: z.number().int().optional().describe(`Seed of the runs' random source. The same machine, options and seed give the same answer. Default: ${DEFAULT_SEED}.`),
    maxLoopTurns: z.number().int().positive().max(AwsLimits.HISTORY_EVENTS).optional().describe('The most times a run goes round a loop the definition '
      + `does not bound: a HOLDS that rests on it says so in its reason and boundsHit. At most ${AwsLimits.HISTORY_EVENTS}, AWS's history events. Default: none.`),
    maxMapItems: z.number().int().positive().max(MAX_MAP_ITEMS).optional().describe('The most items a run of a Map has where the definition does not '
      + 'bound them: a HOLDS that rests on it says so, and no run is made with more. Default: none.'),
  }),
  output: {
    type: 'object',
    required: ['source', 'runs', 'complete', 'properties'],
    properties: {
      source: { ...string, description: 'The state machine checked' },
      runs: { type: 'integer', description: 'Executions checked: every run the search made' },
      complete: { type: 'boolean', description: 'True when every goal was reached or proved unreachable within the bounds' },
      stoppedBy: { type: 'string', enum: ['budget', 'max-scenarios', 'max-runs'], description: 'The bound that cut the search short' },
      boundsHit: { type: 'array', items: { type: 'string', enum: ['loopTurns', 'mapItems'] }, description: 'The bounds given that a HOLDS rests on' },
      properties: {
        type: 'object',
        description: 'What `stepwright verify --json` prints: per property name, its verdict, what it asks, why, and for VIOLATED a counterexample',
        additionalProperties: {
          type: 'object',
          required: ['verdict', 'property', 'reason'],
          properties: {
            verdict: { type: 'string', enum: ['HOLDS', 'VIOLATED', 'UNKNOWN'] },
            property: string,
            reason: string,
            counterexample: {
              type: 'object',
              required: ['input', 'mocks', 'path', 'status', 'minimized'],
              properties: {
                input: {},
                mocks: { type: 'object' },
                path: { type: 'array', items: string },
                status: string,
                error: string,
                minimized: {
                  type: 'object',
                  description: 'The fewest Task calls of the runs that broke it, its calls then cut and its input shrunk while it still breaks it',
                  required: ['taskCalls', 'inputCharacters', 'violatingRuns'],
                  properties: {
                    taskCalls: { type: 'integer' },
                    inputCharacters: { type: 'integer' },
                    violatingRuns: { type: 'integer' },
                    cutFromTaskCalls: { type: 'integer' },
                    shrunkFromCharacters: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
      truncated,
    },
  },
  pathFields: ['file', 's3Dir'],
  oneOf: [SOURCE_ONE_OF],
});
