/*
 * What serve answers once a request passes the model's checks (test/server/model-constraints.test.ts):
 * each operation's own refusals, the "Errors" of its page in the AWS Step Functions API Reference,
 * and the requests AWS documents as accepted (an idempotent start, a publish of an unchanged
 * revision). One table of cases, each sent as raw HTTP and through @aws-sdk/client-sfn, and
 * compared by status, error type and words with AWS's answer: recorded (LocalStack's suites run
 * against AWS), documented (the API reference), or unknown, where serve accepts the request rather
 * than refuse it on a guess (docs/serve.md, "Which answers are recorded, documented or inferred").
 */
import * as sdk from '@aws-sdk/client-sfn';
import { asl, PASS, raw, ROLE, serve, until, errorTypeOf } from './helpers';

const A = 'arn:aws:states:us-east-1:123456789012:';
const WAIT = asl({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86_400, End: true } } });
const LAMBDA_TASK = asl({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true });

/** An answer AWS gives: an error's type and words, or a success that `check` reads (string members only: the SDK turns dates into Dates). */
type Answer = { readonly error: string; readonly message: string | RegExp; readonly status?: number }
  | { readonly check: (answer: Record<string, unknown>) => void };

interface Case {
  readonly what: string;
  readonly operation: string;
  readonly request: Record<string, unknown>;
  readonly answer: Answer;
  /** Where AWS's answer comes from. */
  readonly source: string;
}

const routes = (...pairs: Array<[string, number]>) => pairs.map(([version, weight]) => ({ stateMachineVersionArn: `${A}stateMachine:${version}`, weight }));
const tags = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));

const CASES: readonly Case[] = [
  // ---- aliases and versions
  {
    what: 'an alias routed to a version of a state machine there is not',
    operation: 'CreateStateMachineAlias',
    request: { name: 'ghost', routingConfiguration: routes(['nope:1', 100]) },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}stateMachine:nope:1'` },
    source: 'documented: CreateStateMachineAlias declares ResourceNotFound, "Could not find the referenced resource", and no StateMachineDoesNotExist; the words are those AWS gave TagResource (recorded)',
  },
  {
    what: 'an alias routed to a version its state machine does not have',
    operation: 'CreateStateMachineAlias',
    request: { name: 'ghost', routingConfiguration: routes(['m:9', 100]) },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}stateMachine:m:9'` },
    source: 'documented: CreateStateMachineAlias, ResourceNotFound',
  },
  {
    what: 'an alias updated to a version of a state machine there is not',
    operation: 'UpdateStateMachineAlias',
    request: { stateMachineAliasArn: `${A}stateMachine:m:live`, routingConfiguration: routes(['nope:1', 100]) },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}stateMachine:nope:1'` },
    source: 'documented: UpdateStateMachineAlias declares ResourceNotFound and no StateMachineDoesNotExist',
  },
  {
    what: 'an alias whose weights sum to 99',
    operation: 'CreateStateMachineAlias',
    request: { name: 'short', routingConfiguration: routes(['m:1', 70], ['m:2', 29]) },
    answer: { error: 'ValidationException', message: 'Sum of routing configuration weights must equal 100. Received: [70, 29]' },
    source: 'recorded: test_error_create_alias_invalid_router_configs',
  },
  {
    what: 'an alias with two routes to one version',
    operation: 'CreateStateMachineAlias',
    request: { name: 'twice', routingConfiguration: routes(['m:1', 50], ['m:1', 50]) },
    answer: { error: 'ValidationException', message: `Routing configuration must contain distinct state machine version ARNs. Received: [${A}stateMachine:m:1, ${A}stateMachine:m:1]` },
    source: 'recorded: test_error_create_alias_invalid_router_configs',
  },
  {
    what: 'an alias routed to a state machine, not a version',
    operation: 'CreateStateMachineAlias',
    request: { name: 'unversioned', routingConfiguration: routes(['m', 100]) },
    answer: { error: 'ValidationException', message: `Routing configuration must contain state machine version ARNs. Received: [${A}stateMachine:m]` },
    source: 'recorded: test_error_create_alias_with_state_machine_arn',
  },
  {
    what: 'an alias routed to versions of two state machines',
    operation: 'CreateStateMachineAlias',
    request: { name: 'split', routingConfiguration: routes(['m:1', 50], ['o:1', 50]) },
    answer: { error: 'ValidationException', message: 'All routes of an alias must name versions of the same state machine' },
    source: 'documented: "An alias is a pointer for up to two versions of the same state machine" (Developer Guide, state machine aliases); the words are serve\'s',
  },
  {
    what: 'an alias updated to a version of another state machine',
    operation: 'UpdateStateMachineAlias',
    request: { stateMachineAliasArn: `${A}stateMachine:m:live`, routingConfiguration: routes(['o:1', 100]) },
    answer: { error: 'ValidationException', message: 'All routes of an alias must name versions of the same state machine' },
    source: 'documented: Developer Guide, state machine aliases',
  },
  {
    what: 'an alias that is not there, updated',
    operation: 'UpdateStateMachineAlias',
    request: { stateMachineAliasArn: `${A}stateMachine:m:nope`, description: 'd' },
    answer: { error: 'ResourceNotFound', message: 'Request references a resource that does not exist.' },
    source: 'recorded: test_update_no_such_alias_arn',
  },
  {
    what: 'an alias that is not there, deleted',
    operation: 'DeleteStateMachineAlias',
    request: { stateMachineAliasArn: `${A}stateMachine:m:nope` },
    answer: { check: (a) => expect(a).toEqual({}) },
    source: 'recorded: test_delete_no_such_alias_arn',
  },
  {
    what: 'a version an alias routes to, deleted',
    operation: 'DeleteStateMachineVersion',
    request: { stateMachineVersionArn: `${A}stateMachine:m:1` },
    answer: { error: 'ConflictException', message: 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]', status: 409 },
    source: 'recorded: test_delete_version_with_alias',
  },
  {
    what: 'the versions of a state machine there is not',
    operation: 'ListStateMachineVersions',
    request: { stateMachineArn: `${A}stateMachine:nope` },
    answer: { error: 'InvalidArn', message: `Invalid Arn: '${A}stateMachine:nope'` },
    source: 'inferred: LocalStack\'s provider, checked against AWS, answers InvalidArn (pull request 10421); the operation declares no StateMachineDoesNotExist',
  },
  {
    what: 'a publish of the revision a version already has',
    operation: 'PublishStateMachineVersion',
    request: { stateMachineArn: `${A}stateMachine:o` },
    answer: { check: (a) => expect(a.stateMachineVersionArn).toBe(`${A}stateMachine:o:1`) },
    source: 'documented: PublishStateMachineVersion is idempotent for an unchanged revision (recorded: test_idempotent_publish)',
  },
  {
    what: 'a publish of a revision that is no longer the current one',
    operation: 'PublishStateMachineVersion',
    request: { stateMachineArn: `${A}stateMachine:o`, revisionId: 'not-the-revision' },
    answer: { error: 'ConflictException', message: /^Failed to publish the State Machine version for revision not-the-revision\. The current State Machine revision is [0-9a-f-]{36}\.$/, status: 409 },
    source: 'recorded: test_publish_state_machine_version',
  },
  {
    what: 'the aliases that route to a version, by its ARN',
    operation: 'ListStateMachineAliases',
    request: { stateMachineArn: `${A}stateMachine:m:1` },
    answer: { check: (a) => expect((a.stateMachineAliases as Array<{ stateMachineAliasArn: string }>).map((x) => x.stateMachineAliasArn)).toEqual([`${A}stateMachine:m:live`]) },
    source: 'documented: ListStateMachineAliases, "To list aliases that reference a state machine version, you can specify the version ARN in the stateMachineArn parameter"',
  },
  {
    what: 'the aliases of a version no alias routes to',
    operation: 'ListStateMachineAliases',
    request: { stateMachineArn: `${A}stateMachine:m:2` },
    answer: { check: (a) => expect(a.stateMachineAliases).toEqual([]) },
    source: 'documented: ListStateMachineAliases, by a version ARN',
  },
  {
    what: 'the aliases of a state machine, by its ARN',
    operation: 'ListStateMachineAliases',
    request: { stateMachineArn: `${A}stateMachine:m` },
    answer: { check: (a) => expect((a.stateMachineAliases as Array<{ stateMachineAliasArn: string }>).map((x) => x.stateMachineAliasArn)).toEqual([`${A}stateMachine:m:live`]) },
    source: 'documented: ListStateMachineAliases',
  },
  // ---- state machines
  {
    what: 'an update that changes nothing',
    operation: 'UpdateStateMachine',
    request: { stateMachineArn: `${A}stateMachine:m` },
    answer: { error: 'MissingRequiredParameter', message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified' },
    source: 'recorded: test_create_update_state_machine_base_update_none',
  },
  {
    what: 'a version description without publish, at creation',
    operation: 'CreateStateMachine',
    request: { name: 'described', definition: PASS, roleArn: ROLE, versionDescription: 'v' },
    answer: { error: 'ValidationException', message: 'Version description can only be set when publish is true' },
    source: 'recorded: test_create_with_version_description_no_publish',
  },
  {
    what: 'a version description without publish, at an update',
    operation: 'UpdateStateMachine',
    request: { stateMachineArn: `${A}stateMachine:m`, definition: PASS, versionDescription: 'v' },
    answer: { error: 'ValidationException', message: 'Version description can only be set when publish is true' },
    source: 'inferred: the words AWS gives CreateStateMachine (recorded)',
  },
  {
    what: 'an update of a version',
    operation: 'UpdateStateMachine',
    request: { stateMachineArn: `${A}stateMachine:m:1`, definition: PASS },
    answer: { error: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${A}stateMachine:m:1'` },
    source: 'recorded: test_update_state_machine',
  },
  {
    what: 'a delete of a version ARN',
    operation: 'DeleteStateMachine',
    request: { stateMachineArn: `${A}stateMachine:m:1` },
    answer: { error: 'ValidationException', message: `Delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias: '${A}stateMachine:m:1'` },
    source: 'documented: DeleteStateMachine, "If the given state machine ARN is a qualified state machine ARN, it will fail with ValidationException"',
  },
  {
    what: 'a state machine created again as it is',
    operation: 'CreateStateMachine',
    // 'm' was created with publish: true (beforeAll), which the idempotency check compares too.
    request: { name: 'm', definition: PASS, roleArn: ROLE, publish: true },
    answer: { check: (a) => expect(a.stateMachineArn).toBe(`${A}stateMachine:m`) },
    source: 'documented: CreateStateMachine is idempotent on its name, definition, type, logging, tracing, encryption, publish and versionDescription, not its role (recorded: test_create_exact_duplicate_sm)',
  },
  {
    what: 'a state machine created again with another definition',
    operation: 'CreateStateMachine',
    request: { name: 'm', definition: WAIT, roleArn: ROLE },
    answer: { error: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${A}stateMachine:m'` },
    source: 'recorded: test_create_duplicate_definition_format_sm',
  },
  // ---- executions
  {
    what: 'a STANDARD start named as a running execution, with its input',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:w`, name: 'running', input: '{"a":1}' },
    answer: { check: (a) => expect(a.executionArn).toBe(`${A}execution:w:running`) },
    source: 'documented: StartExecution, "If StartExecution is called with the same name and input as a running execution, the call succeeds and return the same response as the original request"',
  },
  {
    what: 'a STANDARD start named as a running execution, with another input',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:w`, name: 'running', input: '{"a":2}' },
    answer: { error: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${A}execution:w:running'` },
    source: 'documented: StartExecution, "If the execution is closed or if the input is different, it returns a 400 ExecutionAlreadyExists error"',
  },
  {
    what: 'a STANDARD start named as a closed execution, with its input',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:m`, name: 'closed' },
    answer: { error: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${A}execution:m:closed'` },
    source: 'documented: StartExecution, ExecutionAlreadyExists for a closed execution',
  },
  {
    what: 'an EXPRESS start named as an earlier one',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:x`, name: 'again' },
    answer: { check: (a) => expect(a.executionArn).toMatch(new RegExp(`^${A}express:x:again:[0-9a-f-]{36}$`)) },
    source: 'documented: StartExecution, "For an EXPRESS workflow, idempotency isn\'t supported"',
  },
  {
    what: 'a start of a Distributed Map\'s children\'s state machine (<machine>/<label>)',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:m/Batch` },
    answer: { error: 'ValidationException', message: `'${A}stateMachine:m/Batch' names the child executions of a Distributed Map (<machine>/<label>), which StartExecution does not start; start the state machine 'm'` },
    source: 'documented: StartExecution, "If you provide a qualified state machine ARN that refers to a Distributed Map state, the request fails with ValidationException"; the words are serve\'s',
  },
  {
    what: 'an update of a Distributed Map\'s children\'s state machine (<machine>/<label>)',
    operation: 'UpdateStateMachine',
    request: { stateMachineArn: `${A}stateMachine:m/Batch`, definition: PASS },
    answer: { error: 'ValidationException', message: `'${A}stateMachine:m/Batch' names the child executions of a Distributed Map (<machine>/<label>), which UpdateStateMachine does not update; update the state machine 'm'` },
    source: 'documented: UpdateStateMachine, "If you provide a qualified state machine ARN that refers to a Distributed Map state, the request fails with ValidationException"; the words are serve\'s',
  },
  {
    what: 'a delete of a Distributed Map\'s children\'s state machine (<machine>/<label>), which leaves the state machine',
    operation: 'DeleteStateMachine',
    request: { stateMachineArn: `${A}stateMachine:o/Batch` },
    answer: { error: 'ValidationException', message: `'${A}stateMachine:o/Batch' names the child executions of a Distributed Map (<machine>/<label>), which DeleteStateMachine does not delete; delete the state machine 'o'` },
    source: 'documented: DeleteStateMachine, "If you provide a qualified state machine ARN that refers to a Distributed Map state, the request fails with ValidationException"; the words are serve\'s',
  },
  {
    what: 'a start of a version there is not',
    operation: 'StartExecution',
    request: { stateMachineArn: `${A}stateMachine:m:9` },
    answer: { error: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${A}stateMachine:m:9'` },
    source: 'recorded: the words of test_invalid_start_execution_arn',
  },
  {
    what: 'a synchronous start of a STANDARD state machine',
    operation: 'StartSyncExecution',
    request: { stateMachineArn: `${A}stateMachine:m` },
    answer: { error: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine' },
    source: 'documented: StartSyncExecution, StateMachineTypeNotSupported',
  },
  {
    what: 'the executions of an EXPRESS state machine',
    operation: 'ListExecutions',
    request: { stateMachineArn: `${A}stateMachine:x` },
    answer: { error: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine' },
    source: 'documented: ListExecutions, "This API action is not supported by EXPRESS state machines"',
  },
  {
    what: 'the executions of a state machine PENDING_REDRIVE',
    operation: 'ListExecutions',
    request: { stateMachineArn: `${A}stateMachine:m`, statusFilter: 'PENDING_REDRIVE' },
    answer: { error: 'ValidationException', message: 'statusFilter PENDING_REDRIVE lists the child executions of a Map Run waiting for its redrive: give mapRunArn, not stateMachineArn' },
    source: 'documented: ListExecutions, "If you provide a stateMachineArn and a PENDING_REDRIVE statusFilter, the API returns a validation exception"; the words are serve\'s',
  },
  {
    what: 'the executions of a state machine and of a Map Run at once',
    operation: 'ListExecutions',
    request: { stateMachineArn: `${A}stateMachine:m`, mapRunArn: `${A}mapRun:m/map:1` },
    answer: { error: 'ValidationException', message: 'Give either a mapRunArn or a stateMachineArn to ListExecutions, not both' },
    source: 'documented: ListExecutions, "You can specify either a mapRunArn or a stateMachineArn, but not both"; the words are serve\'s',
  },
  {
    what: 'the executions of a state machine not redriven',
    operation: 'ListExecutions',
    request: { stateMachineArn: `${A}stateMachine:m`, redriveFilter: 'NOT_REDRIVEN' },
    answer: { check: (a) => expect((a.executions as Array<{ name: string }>).map((e) => e.name)).toEqual(['closed']) },
    source: 'unknown: ListExecutions says both "Sets a filter to list executions based on whether or not they have been redriven" and "If you provide a state machine ARN in redriveFilter, the API returns a validation exception"; serve filters rather than refuse',
  },
  {
    what: 'a definition validated with severity WARNING',
    operation: 'ValidateStateMachineDefinition',
    request: { definition: PASS, severity: 'WARNING' },
    answer: { check: (a) => expect(a).toEqual({ result: 'OK', diagnostics: [], truncated: false }) },
    source: 'unknown: AWS\'s warnings (NO_DOLLAR, ...) are of kinds serve does not check, so WARNING adds none',
  },
  {
    what: 'a definition with two errors validated with maxResults 1',
    operation: 'ValidateStateMachineDefinition',
    request: { definition: asl({ StartAt: 'X', States: { P: { Type: 'Pass' } } }), maxResults: 1 },
    answer: { check: (a) => expect([a.result, (a.diagnostics as unknown[]).length, a.truncated]).toEqual(['FAIL', 1, true]) },
    source: 'documented: ValidateStateMachineDefinition, "If the number of diagnostics returned in the response exceeds maxResults, the value of the truncated field in the response will be set to true"',
  },
  {
    what: 'a stop of a closed execution',
    operation: 'StopExecution',
    request: { executionArn: `${A}execution:m:closed` },
    answer: { check: (a) => expect(a).toHaveProperty('stopDate') },
    source: 'unknown: StopExecution\'s page says nothing of a closed execution; serve answers its stopDate',
  },
  {
    what: 'a redrive of a SUCCEEDED execution',
    operation: 'RedriveExecution',
    request: { executionArn: `${A}execution:m:closed` },
    answer: { error: 'ExecutionNotRedrivable', message: `Execution '${A}execution:m:closed' is SUCCEEDED and cannot be redriven; only FAILED, TIMED_OUT and ABORTED executions can` },
    source: 'documented: RedriveExecution, "The execution status isn\'t SUCCEEDED"',
  },
  {
    what: 'a redrive of a RUNNING execution',
    operation: 'RedriveExecution',
    request: { executionArn: `${A}execution:w:running` },
    answer: { error: 'ExecutionNotRedrivable', message: `Execution '${A}execution:w:running' is RUNNING and cannot be redriven; only FAILED, TIMED_OUT and ABORTED executions can` },
    source: 'documented: RedriveExecution, ExecutionNotRedrivable',
  },
  {
    what: 'a Wait past the five minutes TestState may run',
    operation: 'TestState',
    request: { definition: asl({ Type: 'Wait', Seconds: 301, End: true }), roleArn: ROLE, input: '{}' },
    answer: { check: (a) => expect(a).toEqual({ status: 'FAILED', error: 'States.Timeout', cause: 'The state ran past the 300 seconds the TestState API may run for' }) },
    source: 'documented: TestState, "The TestState API can run for up to five minutes. If the execution of a state exceeds this duration, it fails with the States.Timeout error"; the cause is serve\'s',
  },
  {
    what: 'a Wait of exactly the five minutes TestState may run',
    operation: 'TestState',
    request: { definition: asl({ Type: 'Wait', Seconds: 300, End: true }), roleArn: ROLE, input: '{"a":1}' },
    answer: { check: (a) => expect(a).toEqual({ status: 'SUCCEEDED', output: '{"a":1}' }) },
    source: 'documented: TestState, a state that does not exceed five minutes',
  },
  {
    what: 'a Map inspected at DEBUG: its MaxConcurrency and tolerated failures as numbers',
    operation: 'TestState',
    request: {
      definition: asl({ Type: 'Map', MaxConcurrency: 3, ToleratedFailureCount: 1, ToleratedFailurePercentage: 50, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true }),
      input: '[1,2]',
      mock: { result: '[1,2]' },
      inspectionLevel: 'DEBUG',
    },
    answer: { check: (a) => expect(a.inspectionData).toMatchObject({ afterItemsPath: '[1,2]', maxConcurrency: 3, toleratedFailureCount: 1, toleratedFailurePercentage: 50 }) },
    source: 'recorded: test_state_map_context_object ("maxConcurrency": 1, a number, beside stages as JSON text); the model types all three as numbers (InspectionData)',
  },
  ...([
    ['a member the Context Object does not have', { Pokedex: {} }, "Invalid Context object provided: Field 'Pokedex' is not allowed"],
    ['a member $$.Execution does not have', { Execution: { pokemon: 'squirtle' } }, "Invalid Context object provided: Field 'pokemon' is not allowed"],
    ['$$.Map', { Map: {} }, "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"],
    ['an $$.Execution.Id that is a number', { Execution: { Id: 1 } }, 'Invalid Context object provided: Execution.Id must be a string'],
    ['$$.Task for a Task that waits for no token', { Task: { Token: 'abcd123' } },
      "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"],
  ] as const).map(([what, context, message]): Case => ({
    what: `a context with ${what}`,
    operation: 'TestState',
    request: { definition: LAMBDA_TASK, input: '{}', mock: { result: '{}', fieldValidationMode: 'NONE' }, context: JSON.stringify(context) },
    answer: { error: 'ValidationException', message },
    source: 'recorded: test_state_context_object_validation_failures and test_state_context_object_invalid_states',
  })),
  {
    what: 'a context without a mock',
    operation: 'TestState',
    request: { definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, context: '{"Execution":{"Name":"n"}}' },
    answer: { error: 'ValidationException', message: 'context may only be specified when a mock is specified' },
    source: 'documented: TestState, context "may only be specified if a mock is specified in the same request"; the words are serve\'s',
  },
  {
    what: 'a context with empty Execution, State and StateMachine',
    operation: 'TestState',
    request: { definition: LAMBDA_TASK, mock: { result: '{"ok":true}', fieldValidationMode: 'NONE' }, context: '{"Execution":{},"State":{},"StateMachine":{}}' },
    answer: { check: (a) => expect(a).toEqual({ status: 'SUCCEEDED', output: '{"ok":true}' }) },
    source: 'recorded: test_state_context_object_edge_cases[EMPTY_OBJECTS]',
  },
  ...([
    ['an empty mock', {}],
    ['a mock with only fieldValidationMode', { fieldValidationMode: 'NONE' }],
  ] as const).map(([what, mock]): Case => ({
    what: `a Task with ${what} and no role`,
    operation: 'TestState',
    request: { definition: LAMBDA_TASK, mock },
    answer: { error: 'ValidationException', message: 'A test mock should have only one of the following fields: [result, errorOutput].' },
    source: 'inferred: AWS\'s words for a mock with both (recorded: test_both_mock_result_and_mock_error_output_are_set); a mock makes the role optional',
  })),
  {
    what: 'a state given alone with a stateName',
    operation: 'TestState',
    request: { definition: asl({ Type: 'Pass', End: true }), roleArn: ROLE, stateName: 'Other', input: '{"a":1}' },
    answer: { check: (a) => expect(a).toEqual({ status: 'SUCCEEDED', output: '{"a":1}' }) },
    source: 'unknown: TestState says "If this field is specified, the definition must contain a fully-formed state machine definition", but not what AWS answers to a single state; serve runs the state rather than refuse on a guess',
  },
  // ---- activities and tags
  // ---- activities and tags
  {
    what: 'an activity created again with other tags',
    operation: 'CreateActivity',
    request: { name: 'act', tags: [{ key: 'other', value: 'v' }] },
    answer: { check: (a) => expect(a.activityArn).toBe(`${A}activity:act`) },
    source: 'documented: CreateActivity, "If a following request has different tags values, Step Functions will ignore these differences"',
  },
  {
    what: 'an activity that is not there, deleted',
    operation: 'DeleteActivity',
    request: { activityArn: `${A}activity:nope` },
    answer: { check: (a) => expect(a).toEqual({}) },
    source: 'documented: DeleteActivity declares InvalidArn only',
  },
  {
    what: 'a 51st tag',
    operation: 'TagResource',
    request: { resourceArn: `${A}stateMachine:m`, tags: tags(51) },
    answer: { error: 'TooManyTags', message: `Too many tags: '${A}stateMachine:m' would have 51 tags; a resource may have at most 50` },
    source: 'documented: TagResource, TooManyTags; 50 tags a resource (Step Functions quotas)',
  },
  {
    what: 'a tag whose key starts aws:',
    operation: 'TagResource',
    request: { resourceArn: `${A}activity:act`, tags: [{ key: 'aws:team', value: 'v' }] },
    answer: { check: (a) => expect(a).toEqual({}) },
    source: 'unknown: the model gives tag keys no pattern, and AWS\'s answer to the reserved prefix is not recorded; serve takes it, and tells its log',
  },
  {
    what: 'a tag on a version',
    operation: 'TagResource',
    request: { resourceArn: `${A}stateMachine:m:1`, tags: tags(1) },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}stateMachine:m:1'` },
    source: 'recorded: test_tag_state_machine_version',
  },
  {
    what: 'the tags of an execution',
    operation: 'ListTagsForResource',
    request: { resourceArn: `${A}execution:m:closed` },
    answer: { error: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: execution'" },
    source: 'documented: ListTagsForResource, "Tagging is only supported for ... state machines and activities", InvalidArn; the words are those AWS gave another resource type (recorded)',
  },
  {
    what: 'a tag on an alias',
    operation: 'TagResource',
    request: { resourceArn: `${A}stateMachine:m:live`, tags: tags(1) },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}stateMachine:m:live'` },
    source: 'inferred: as AWS answers a tag on a version (recorded: test_tag_state_machine_version)',
  },
  {
    what: 'a tag key the state machine does not have, removed',
    operation: 'UntagResource',
    request: { resourceArn: `${A}stateMachine:m`, tagKeys: ['absent'] },
    answer: { check: (a) => expect(a).toEqual({}) },
    source: 'unknown: UntagResource declares InvalidArn and ResourceNotFound, neither for a key the resource lacks; serve removes nothing and succeeds',
  },
  {
    what: 'the Map Runs of an execution that ran no Distributed Map',
    operation: 'ListMapRuns',
    request: { executionArn: `${A}execution:m:closed` },
    answer: { check: (a) => expect(a).toEqual({ mapRuns: [] }) },
    source: 'inferred: ListMapRuns declares ExecutionDoesNotExist, InvalidArn and InvalidToken, none for an execution without Map Runs',
  },
  {
    what: 'a task of an activity there is not',
    operation: 'GetActivityTask',
    request: { activityArn: `${A}activity:nope` },
    answer: { error: 'ActivityDoesNotExist', message: `Activity Does Not Exist: '${A}activity:nope'` },
    source: 'documented: GetActivityTask, ActivityDoesNotExist; the words follow StateMachineDoesNotExist\'s (recorded)',
  },
  {
    what: 'a Map Run that is not there, updated',
    operation: 'UpdateMapRun',
    request: { mapRunArn: `${A}mapRun:m/map:1`, maxConcurrency: 1 },
    answer: { error: 'ResourceNotFound', message: `Resource not found: '${A}mapRun:m/map:1'` },
    source: 'documented: UpdateMapRun, ResourceNotFound',
  },
];

describe('serve: what each operation answers past the model\'s checks, as AWS answers it', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    env = await serve();
    const { sfn } = env;
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'm', definition: PASS, roleArn: ROLE, publish: true }));
    await sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:m`, definition: asl({ StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } }), publish: true }));
    await sfn.send(new sdk.UpdateStateMachineCommand({ stateMachineArn: `${A}stateMachine:m`, definition: PASS }));
    await sfn.send(new sdk.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: routes(['m:1', 100]) }));
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'o', definition: PASS, roleArn: ROLE, publish: true }));
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'w', definition: WAIT, roleArn: ROLE }));
    await sfn.send(new sdk.CreateStateMachineCommand({ name: 'x', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
    await sfn.send(new sdk.CreateActivityCommand({ name: 'act' }));
    await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:w`, name: 'running', input: '{"a":1}' }));
    const { executionArn } = await sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:m`, name: 'closed' }));
    await until(() => sfn.send(new sdk.DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED');
  });
  afterAll(() => env.stop());

  // "Keep all other arguments unchanged" (each listing's nextToken, API reference): a token of one
  // listing given to another is InvalidToken, in the words AWS gave a token no listing issued (recorded).
  it.each([
    ['the executions of another state machine', 'ListExecutions', { stateMachineArn: `${A}stateMachine:w` }],
    ['the executions of the same state machine with another statusFilter', 'ListExecutions', { stateMachineArn: `${A}stateMachine:m`, statusFilter: 'FAILED' }],
    ['the history of an execution', 'GetExecutionHistory', { executionArn: `${A}execution:m:closed` }],
    ['the state machines', 'ListStateMachines', {}],
  ])('answers a nextToken of ListExecutions given to %s InvalidToken, as raw HTTP and through the SDK', async (_what, operation, request) => {
    // Two executions of o, so that a page of one has a next (started by the first case, there for the others).
    for (const name of ['paged-1', 'paged-2']) {
      await env.sfn.send(new sdk.StartExecutionCommand({ stateMachineArn: `${A}stateMachine:o`, name })).catch((e: Error) => expect(e.name).toBe('ExecutionAlreadyExists'));
    }
    const { nextToken } = await env.sfn.send(new sdk.ListExecutionsCommand({ stateMachineArn: `${A}stateMachine:o`, maxResults: 1 }));
    expect(nextToken).toEqual(expect.any(String));
    const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify({ ...request, nextToken }) });
    expect([answer.status, errorTypeOf(answer.headers), answer.body.message]).toEqual([400, 'InvalidToken', "Invalid Token: 'Invalid token'"]);
    const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
    await expect(env.sfn.send(new Command({ ...request, nextToken }))).rejects.toMatchObject({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
  });

  it('runs a single state given with a stateName, and warns on its output that AWS may refuse it', async () => {
    const request = { definition: asl({ Type: 'Pass', End: true }), stateName: 'Other', input: '{"a":1}' };
    const warned = (): number => env.logs.filter((l) => l.startsWith("advice: TestState: stateName 'Other' names a state of a whole state machine's definition")).length;
    const before = warned();
    const answer = await raw(env.server.endpoint, { target: 'AWSStepFunctions.TestState', body: JSON.stringify(request) });
    expect([answer.status, answer.body]).toEqual([200, { status: 'SUCCEEDED', output: '{"a":1}' }]);
    expect(await env.sfn.send(new sdk.TestStateCommand(request))).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}' });
    // One warning for each request: the raw one and the SDK's.
    expect(warned() - before).toBe(2);
  });

  it.each([
    ['TagResource', { resourceArn: `${A}activity:act`, tags: [{ key: 'aws:team', value: 'v' }] }, 'aws:team', `${A}activity:act`, 'starts with aws:'],
    ['CreateActivity', { name: 'reserved', tags: [{ key: 'AWS:team', value: 'v' }] }, 'AWS:team', `${A}activity:reserved`, 'starts with aws:'],
    ['CreateStateMachine', { name: 'starred', definition: PASS, roleArn: ROLE, tags: [{ key: 'k', value: 'a*b' }] }, 'k', `${A}stateMachine:starred`, 'has a character other than'],
  ])('keeps a tag AWS may refuse, given to %s, and tells serve\'s log', async (operation, request, key, arn, why) => {
    const told = (): number => env.logs.filter((l) => l.startsWith(`advice: ${operation}: the tag "${key}" of '${arn}' ${why}`)).length;
    const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${operation}Command`];
    await env.sfn.send(new Command(request));
    expect(told()).toBe(1);
    const { tags: kept } = await env.sfn.send(new sdk.ListTagsForResourceCommand({ resourceArn: arn }));
    expect(kept?.map((t) => t.key)).toContain(key);
  });

  it('tells serve\'s log nothing of a tag of letters, digits, white space and _ . : / = + - @', async () => {
    const before = env.logs.length;
    await env.sfn.send(new sdk.TagResourceCommand({ resourceArn: `${A}activity:act`, tags: [{ key: 'Team é 1_.:/=+-@', value: 'Ünïcode 9' }] }));
    expect(env.logs.slice(before).filter((l) => l.startsWith('advice:'))).toEqual([]);
  });

  it('has a case for each source it cites, each a recorded, documented, inferred or unknown answer', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    for (const c of CASES) expect(c.source).toMatch(/^(recorded|documented|inferred|unknown): /);
  });

  describe.each(CASES.map((c) => [`${c.operation}: ${c.what}`, c] as const))('%s', (_name, c) => {
    it('is answered so as raw HTTP', async () => {
      const answer = await raw(env.server.endpoint, { target: `AWSStepFunctions.${c.operation}`, body: JSON.stringify(c.request) });
      if ('check' in c.answer) {
        expect(answer.status).toBe(200);
        c.answer.check(answer.body as Record<string, unknown>);
        return;
      }
      expect(answer.status).toBe(c.answer.status ?? 400);
      expect(String(answer.body.__type).replace(/^.*#/, '')).toBe(c.answer.error);
      expect(errorTypeOf(answer.headers)).toBe(c.answer.error);
      if (typeof c.answer.message === 'string') expect(answer.body.message).toBe(c.answer.message);
      else expect(answer.body.message).toMatch(c.answer.message);
    });

    it('is answered so through @aws-sdk/client-sfn', async () => {
      const Command = (sdk as unknown as Record<string, new (input: object) => sdk.ListActivitiesCommand>)[`${c.operation}Command`];
      const outcome = await env.sfn.send(new Command(c.request))
        .then((value) => ({ value }), (error: unknown) => ({ error: error as sdk.SFNServiceException }));
      if ('check' in c.answer) {
        if ('error' in outcome) throw outcome.error;
        const { $metadata: _metadata, ...answer } = outcome.value as unknown as Record<string, unknown>;
        c.answer.check(answer);
        return;
      }
      if (!('error' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.value)}; ${c.answer.error} was expected`);
      expect(outcome.error.name).toBe(c.answer.error);
      expect(outcome.error.$metadata.httpStatusCode).toBe(c.answer.status ?? 400);
      if (typeof c.answer.message === 'string') expect(outcome.error.message).toBe(c.answer.message);
      else expect(outcome.error.message).toMatch(c.answer.message);
    });
  });
});

