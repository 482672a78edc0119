/*
 * What the tools of `stepwright mcp` share: the spec of a tool, the fields that name a state machine
 * (inline, a file, a template's stack and machine, its parameters), the check options and the
 * MockConfigFile case of a run, and the pieces their answers' JSON Schemas are made of.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { MACHINE_TYPES } from '../asl/aws-defaults';
import { EXPRESS_DURATION_WORDS } from '../asl/limits';
import { PARAMETER_NAME, PARAMETER_NAME_MAX_CHARS } from '../workbench/common/parameter-overrides';
import { MOCK_ADVICE_MODES, MOCK_VALIDATION_MODES, REQUEST_CHECK_MODES } from '../workbench/mocks/validation-mode';

/** One tool, named `N`, whose input schema is `S`: its arguments, as a call receives them, are what `S` parses to. */
export interface ToolSpec<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly name: N;
  readonly title: string;
  readonly description: string;
  readonly input: S;
  /** The JSON Schema of its structured answer, as tools/list gives it. */
  readonly output: NonNullable<Tool['outputSchema']>;
  /** Fields holding a path to read (checked against the root before anything is read). */
  readonly pathFields: ReadonlyArray<FieldOf<S>>;
  /** Fields of which at most one may be given, and (when `required`) exactly one. */
  readonly oneOf: ReadonlyArray<{ readonly fields: ReadonlyArray<FieldOf<S>>; readonly required: boolean }>;
  /** The tool may reach outside the machine (an endpoint, AWS). @default false */
  readonly openWorld?: boolean;
  /**
   * The field naming the folder the tool writes to when it is given (run's S3 folder): the tool
   * is then not read-only, and a write may replace or delete a file there. @default - it writes nothing
   */
  readonly writes?: FieldOf<S>;
}

/** A field of a tool's input. */
type FieldOf<S extends z.ZodObject> = keyof z.output<S> & string;

/** A tool, its name and input schema kept in its type. */
export function tool<const N extends string, S extends z.ZodObject>(spec: ToolSpec<N, S>): ToolSpec<N, S> {
  return spec;
}

/** Largest text a field takes: the size of the largest definition or template file stepwright reads. */
export const MAX_TEXT = 64 * 1_048_576;

export const definition = z.union([z.string().max(MAX_TEXT), z.record(z.string(), z.unknown())]).optional().describe(
  'The state machine inline: its ASL definition as JSON or YAML text, or as a JSON object. A CloudFormation template '
  + '(JSON or YAML; short forms like !Ref and !GetAtt are read) works too. Give this or file, not both.');
export const file = z.string().min(1).max(4096).optional().describe(
  'Path of an ASL file (.asl.json, .json, .yaml, .yml), a synthesized CloudFormation template, or a cdk.out folder '
  + '(run `cdk synth` first), relative to the folder the server runs in or absolute inside it; paths outside it are refused. '
  + 'Give this or definition, not both.');
export const stack = z.string().min(1).max(1024).optional().describe(
  'In a cdk.out: the stack, by artifact id, stack name or display path (Stage/Stack). Needed when more than one stack holds state machines.');
export const stateMachine = z.string().min(1).max(2048).optional().describe(
  'In a template or cdk.out: the state machine, by logical id, StateMachineName or construct path. Needed when there are several; '
  + 'list_state_machines lists them.');
export const type = z.enum(MACHINE_TYPES).optional().describe(
  `The workflow type: EXPRESS forbids activities, .sync and .waitForTaskToken and ends at ${EXPRESS_DURATION_WORDS}. Default: the template's, else STANDARD.`);

const parameterName = z.string().regex(PARAMETER_NAME).max(PARAMETER_NAME_MAX_CHARS);
const parameters = z.union([
  z.record(parameterName, z.string().max(4096)),
  z.array(z.object({ ParameterKey: parameterName, ParameterValue: z.string().max(4096) }).strict()).max(200),
]).optional().describe(
  "In a template or cdk.out: values of its Parameters, by name, over each one's Default, as sam deploy --parameter-overrides gives them "
  + '(a parameter with no Default needs one): { "<name>": "<value>" }, or a CloudFormation parameters file\'s list '
  + '[{ "ParameterKey": "<name>", "ParameterValue": "<value>" }], as aws cloudformation create-stack --parameters reads it. Default: each Default.');

const configFile = z.string().min(1).max(4096).optional().describe(
  'With a template file: the SAM configuration file whose deploy parameter_overrides give its Parameters values below parameters, as sam deploy --config-file '
  + 'names it, inside the folder the server runs in. Default: samconfig.toml beside the template, when there is one.');
const configEnv = z.string().min(1).max(255).optional().describe(
  "With a template file: the environment of the SAM configuration file, as sam deploy --config-env names it. Default: 'default'.");

export const SOURCE = { definition, file, parameters, configFile, configEnv };

/** A local S3 folder, as `--s3-dir` is to `stepwright run` and `explore`. */
export const s3Dir = (use: string): z.ZodOptional<z.ZodString> => z.string().min(1).max(4096).optional().describe(
  `A local S3: a folder per bucket, a file per key, inside the server's folder (a path that leaves it, or a symbolic link that leads out, is refused). ${use} `
  + 'The same folder as `stepwright run --s3-dir`. Default: none.');
export const SOURCE_ONE_OF = { fields: ['definition', 'file'] as const, required: true };

export const string = { type: 'string' };
export const finding = {
  type: 'object',
  required: ['code', 'severity', 'location', 'message'],
  properties: {
    code: string,
    severity: { type: 'string', enum: ['error', 'warning'] },
    location: { ...string, description: 'JSON pointer to the offending value, e.g. /States/Charge/Retry/0' },
    message: { ...string, description: 'What is wrong and how to fix it' },
  },
};
/** Only in an answer cut to the 8 MiB an answer may be (see answer-bound.ts). */
export const truncated = {
  type: 'object',
  required: ['message', 'leftOut'],
  description: 'Present when the answer was cut to the 8 MiB an answer may be: what was left out, and how to ask for less',
  properties: {
    message: string,
    leftOut: { type: 'array', items: string, description: 'What was left out, from the end: a field (machines[3].definition) or items (history[2000…24999])' },
  },
};
export const permissionReport = { type: 'object', description: 'Each permission each Task needs, the role\'s answer, and the findings with their fixes' };

/** The check options of a run: explore and verify take them too, so that a scenario ends as the caller's own run ends. */
export const CHECK_OPTIONS = {
  mockValidation: z.enum(MOCK_VALIDATION_MODES).optional().describe('How mock answers are checked against the AWS service models, '
    + 'as TestState\'s mock.fieldValidationMode: STRICT, required fields present and every field the model defines of its type, enum and '
    + 'bounds; PRESENT, the fields given only; NONE, nothing. An answer AWS\'s TestState refuses fails the run with States.Runtime naming '
    + 'the state, the field, the model version and the expected shape. Default: STRICT for a mocks table, PRESENT for a MockConfigFile '
    + '(Step Functions Local checks none), where a missing required field is advice.'),
  mockAdvice: z.enum(MOCK_ADVICE_MODES).optional().describe('What a mock\'s field the model does not define (a misspelt one), or a Throw '
    + 'naming an error the integration never raises, does: warn lists it in the answer\'s advice and the run goes on (AWS accepts such a '
    + 'mock); fail fails the run with States.Runtime. Default: warn.'),
  requestChecks: z.enum(REQUEST_CHECK_MODES).optional().describe('What a Task\'s request AWS refuses does, checked as the Task sends it: fail '
    + 'fails it as AWS does (States.Runtime for a member an aws-sdk call\'s model does not define, the service\'s error for a missing required '
    + 'member where it is known); warn lists it in the answer\'s advice and the run goes on. Default: fail.'),
};

/** A MockConfigFile's test case and state machine, as the run, explore and verify tools take them with their mocks. */
export const MOCK_CONFIG_CASE = {
  testCase: z.string().min(1).max(1024).optional().describe('The MockConfigFile test case to use (required with a MockConfigFile).'),
  mockStateMachine: z.string().min(1).max(1024).optional().describe('The MockConfigFile state machine, when it has several.'),
};
