/**
 * The layers of src/ and what each may import, with the reason for each
 * allowance: read by the layers test (which checks the imports) and by the
 * architecture test (which checks that docs/architecture.md says the same).
 */

/** Each layer of src/, bottom to top. */
export const LAYERS = ['asl', 'cfn', 'interpreter', 'iam', 'contracts', 'constructs', 'render', 'cost', 'explore', 'workbench', 'testing', 'server', 'mcp', 'cli'] as const;

/** One layer of src/ that may import another, and why. Nothing else may be imported across layers. */
export interface Allowance {
  readonly from: (typeof LAYERS)[number];
  readonly to: (typeof LAYERS)[number];
  readonly why: string;
}

export const ALLOWANCES: readonly Allowance[] = [
  { from: 'cfn', to: 'asl', why: 'a template resolved without an account or region takes AWS\'s defaults, which every layer takes from asl/aws-defaults.ts; a field named __proto__ is set as data with asl/json-value.ts, and a name from a template is read as an own key with asl/own.ts' },
  { from: 'interpreter', to: 'asl', why: 'it runs the language asl/ defines: paths, payload templates, intrinsics, Choice rules, JSONata, the validator' },
  { from: 'iam', to: 'asl', why: 'it reads a definition\'s Tasks to know what each needs from IAM' },
  { from: 'contracts', to: 'asl', why: 'facts about AWS\'s services (their models and the developer guide), like iam/: it reads the language\'s types, and spells error names as the validator spells state names' },
  { from: 'constructs', to: 'asl', why: 'the builders render ASL, and the validator Aspect checks it with asl/\'s validator' },
  { from: 'constructs', to: 'cfn', why: 'the validator Aspect reads the synthesized template with cfn/\'s resolver' },
  { from: 'constructs', to: 'iam', why: 'the validator Aspect checks each Task\'s permissions against its role' },
  { from: 'constructs', to: 'contracts', why: 'the validator Aspect checks each Task\'s request and error names against its service\'s contract' },
  { from: 'render', to: 'asl', why: 'it draws definitions' },
  { from: 'cost', to: 'asl', why: 'it counts a definition\'s states and tells what rules out Express' },
  { from: 'cost', to: 'interpreter', why: 'it reads results like render/: the types of interpreter/ only (checked below), never running anything' },
  { from: 'explore', to: 'asl', why: 'it solves Choice rules and reads paths' },
  { from: 'explore', to: 'interpreter', why: 'it confirms each scenario by running it' },
  { from: 'explore', to: 'contracts', why: 'the answers it makes up have the shape the service returns, and its failure scenarios raise the errors the service\'s model names' },
  { from: 'workbench', to: 'asl', why: 'it loads, checks and runs definitions' },
  { from: 'workbench', to: 'cfn', why: 'it loads state machines from templates and cdk.out with cfn/\'s resolver' },
  { from: 'workbench', to: 'cost', why: 'runs price themselves (WorkflowRun.cost), and cost() estimates from runs or a coverage report' },
  { from: 'workbench', to: 'explore', why: 'it runs explore\'s scenarios with mocks and scaffolds tests from them' },
  { from: 'workbench', to: 'iam', why: 'a run may fail the Tasks its role denies, and `validate --iam` checks the role' },
  { from: 'workbench', to: 'interpreter', why: 'it runs what it loads' },
  { from: 'workbench', to: 'render', why: 'runs draw themselves (WorkflowRun.toMermaid), and `steps` lays out a run' },
  { from: 'workbench', to: 'contracts', why: 'mocks are checked against what each Task\'s Resource returns and raises, and `validate` checks requests and error names' },
  { from: 'testing', to: 'workbench', why: 'the jest Workflow stands on the workbench\'s engine, and stepwright/testing exports its loaders, mocks and replay' },
  { from: 'testing', to: 'asl', why: 'its matchers and coverage read definitions' },
  { from: 'testing', to: 'cost', why: 'toCostAtMost and the reporter\'s cost table price runs' },
  { from: 'testing', to: 'explore', why: 'coverage reads runs with explore/\'s trace, and stepwright/testing exports explore\'s report types' },
  { from: 'testing', to: 'iam', why: 'checkPermissions and toHaveTaskPermissions report on roles' },
  { from: 'testing', to: 'interpreter', why: 'its matchers and serializer read results and histories, and start() drives an execution' },
  { from: 'testing', to: 'render', why: 'the coverage reporter writes its HTML pages with render/' },
  { from: 'server', to: 'workbench', why: 'serve loads templates and MockConfigFiles, forwards to endpoints, delivers at least once and answers TestState as the workbench does' },
  { from: 'server', to: 'asl', why: 'it validates and runs definitions it is sent' },
  { from: 'server', to: 'cfn', why: 'serve --load resolves the templates it deploys' },
  { from: 'server', to: 'cost', why: 'it logs what each execution would cost' },
  { from: 'server', to: 'interpreter', why: 'it runs executions' },
  { from: 'server', to: 'contracts', why: 'CreateStateMachine refuses a field an optimized integration does not support, as AWS does' },
  { from: 'server', to: 'render', why: 'its console draws an execution, its path, retries and catches, with the code of stepwright render' },
  { from: 'mcp', to: 'workbench', why: 'its tools are the CLI\'s commands: load, run, validate, explore' },
  { from: 'mcp', to: 'asl', why: 'it validates definitions and names' },
  { from: 'mcp', to: 'interpreter', why: 'it reports the interpreter\'s input and limit errors' },
  { from: 'mcp', to: 'explore', why: 'its explore and verify tools state explore\'s option defaults (explore/context.ts) in their schemas' },
  { from: 'mcp', to: 'render', why: 'its render tool draws definitions and runs' },
  { from: 'mcp', to: 'server', why: 'its test_state tool reuses serve\'s TestState request mapping (server/test-state.ts)' },
  { from: 'cli', to: 'workbench', why: 'its commands are the workbench\'s' },
  { from: 'cli', to: 'asl', why: 'it validates definitions and names' },
  { from: 'cli', to: 'cost', why: '`stepwright cost` prints cost/\'s estimate' },
  { from: 'cli', to: 'explore', why: '`stepwright explore` prints explore/\'s report' },
  { from: 'cli', to: 'interpreter', why: 'it reports the interpreter\'s input and limit errors' },
  { from: 'cli', to: 'render', why: '`stepwright render` draws' },
  { from: 'cli', to: 'server', why: '`stepwright serve` starts the server' },
  { from: 'cli', to: 'mcp', why: '`stepwright mcp` starts the MCP server' },
];

/**
 * The rooms of workbench/, bottom to top: each is a folder with an index.ts, and
 * workbench/ holds no file outside them. A room may import the rooms listed for
 * it in ROOM_ALLOWANCES and nothing above it.
 */
export const ROOMS = ['common', 'template', 's3', 'mocks', 'replay', 'coverage', 'workflow', 'test-state', 'scaffold', 'commands', 'parity'] as const;

/** One room of workbench/ that may import another, and why. */
export interface RoomAllowance {
  readonly from: (typeof ROOMS)[number];
  readonly to: (typeof ROOMS)[number];
  readonly why: string;
}

export const ROOM_ALLOWANCES: readonly RoomAllowance[] = [
  { from: 'template', to: 'common', why: 'it reads templates and cdk.out with the bounded JSON reader and loads aws-cdk-lib as an optional peer' },
  { from: 'mocks', to: 'common', why: 'MockConfigFiles are read with the bounded JSON reader, and endpoints load the AWS SDK as an optional peer' },
  { from: 'mocks', to: 's3', why: 'the dispatcher answers S3 Tasks from the local S3' },
  { from: 'mocks', to: 'template', why: 'mock keys and Task targets are the placeholders the loader gives resource ARNs' },
  { from: 'replay', to: 'common', why: 'recordings are read with the bounded JSON reader, and record() loads the AWS SDK as an optional peer' },
  { from: 'replay', to: 'mocks', why: 'a replay answers Tasks through the same dispatcher as a run' },
  { from: 'coverage', to: 'common', why: 'coverage shards are read with the bounded JSON reader' },
  { from: 'workflow', to: 'template', why: 'the engine runs what the loader loads, with the role the template gives it' },
  { from: 'workflow', to: 's3', why: 'a run may read and write the local S3' },
  { from: 'workflow', to: 'mocks', why: 'each run answers its Tasks through the mocks\' dispatcher' },
  { from: 'workflow', to: 'coverage', why: 'the engine counts what each run reached' },
  { from: 'test-state', to: 'template', why: 'TestState checks the role a template gives the state' },
  { from: 'test-state', to: 'mocks', why: 'TestState checks a mocked answer against the service\'s contract as a run does' },
  { from: 'scaffold', to: 'mocks', why: 'scaffolded tests and MockConfigFiles write mock answers' },
  { from: 'scaffold', to: 'workflow', why: 'a scaffolded MockConfigFile names Tasks as a run\'s session does' },
  { from: 'commands', to: 'common', why: 'commands read files with the bounded JSON reader and raise its input errors' },
  { from: 'commands', to: 'template', why: 'commands load machines' },
  { from: 'commands', to: 's3', why: 'run and explore take a local S3 folder' },
  { from: 'commands', to: 'mocks', why: 'run and explore take mocks and MockConfigFiles' },
  { from: 'commands', to: 'coverage', why: '`coverage` merges shards and checks the gates' },
  { from: 'commands', to: 'workflow', why: 'run and explore run machines on the engine' },
  { from: 'commands', to: 'scaffold', why: 'explore\'s summary names the checks a scaffolded test makes' },
  { from: 'parity', to: 'common', why: 'case files are read with the bounded JSON reader, and the AWS SDK is an optional peer' },
  { from: 'parity', to: 'mocks', why: 'local runs take the same mock validation as run, and remote runs the endpoints\' clients' },
  { from: 'parity', to: 'replay', why: 'remote runs are recorded and read back as recordings' },
  { from: 'parity', to: 'test-state', why: 'a state case runs through TestState' },
  { from: 'parity', to: 'commands', why: 'a local run is `stepwright run`' },
];

/**
 * A module past its layer's or room's index.ts that other layers or rooms may
 * import, and why. Every other import across a layer or room goes through the
 * target's index.ts. The index.ts of asl/, interpreter/, render/, iam/,
 * constructs/, testing/ and server/ feed the package's entry points: what only
 * other layers need is not added to them (the public API would change), and a
 * value import through an index loads all of it, so a module another layer
 * needs at start-up or in the interpreter's core is a door of its own.
 */
export interface Door {
  /** The module, relative to src/. */
  readonly module: string;
  readonly why: string;
}

const LANGUAGE = 'the language\'s runtime rule, run by the interpreter and read by the layers above; not in the package\'s API';
const RUN_TYPES = 'what a run is made of, not in stepwright/interpreter\'s API';
/** serve answers its first request without the contracts, the dispatcher or the engine (test/server/start.test.ts). */
const SERVE_START = 'serve\'s start, where the room\'s index would load';

export const SURFACES: readonly Door[] = [
  { module: 'asl/answer-outcomes.ts', why: 'the answers AWS turns into a Task\'s failure, judged where the dispatcher answers and made up by explore; not in the package\'s API' },
  { module: 'asl/api-errors.ts', why: 'the error names of Step Functions\' API (botocore\'s model), which serve answers and the harness and TestState throw' },
  { module: 'asl/choice.ts', why: `Choice rules: ${LANGUAGE}` },
  { module: 'asl/definition-substitutions.ts', why: 'DefinitionSubstitutions, applied by the builders and the template loader alike' },
  { module: 'asl/definition-types.ts', why: 'the definition types, which stepwright/interpreter re-exports whole' },
  { module: 'asl/error-rules.ts', why: `Retry and Catch matching: ${LANGUAGE}` },
  { module: 'asl/history-event-types.ts', why: 'the history event types generated from AWS\'s model, which stepwright/interpreter re-exports whole' },
  { module: 'asl/history-events.ts', why: 'the vocabulary of history events, the one reader of them every layer uses' },
  { module: 'asl/integrations.ts', why: 'the catalogue of optimized integrations contracts/ and iam/ read' },
  { module: 'asl/intrinsics/compile.ts', why: 'the intrinsics\' evaluator, with which iam/ reads a `.$` call of literals alone as the text it always is' },
  { module: 'asl/intrinsics/functions.ts', why: 'the intrinsic functions explore/ evaluates symbolically' },
  { module: 'asl/intrinsics/parser.ts', why: 'the intrinsics\' parser explore/ reads arguments with' },
  { module: 'asl/intrinsics/names.ts', why: 'the intrinsic functions\' names, which explore/ reads calls by' },
  { module: 'asl/json-value.ts', why: 'the JSON value type and its guards' },
  { module: 'asl/jsonata/causes.ts', why: 'the causes of a JSONata field that gave nothing or the wrong kind, written by compile.ts and read back by explore/' },
  { module: 'asl/jsonata/compile.ts', why: `JSONata: ${LANGUAGE}` },
  { module: 'asl/jsonata/expression.ts', why: 'JSONata expressions as explore/ reads them' },
  { module: 'asl/key-order.ts', why: 'the key order AWS gives JSON it builds, for the interpreter\'s output' },
  { module: 'asl/map-run-label.ts', why: 'a Map Run\'s label, named by the interpreter and drawn by render/' },
  { module: 'asl/memo.ts', why: 'the interpreter compiles each expression once through it' },
  { module: 'asl/own.ts', why: 'the one reader of a record\'s own value, for every layer that reads names from outside' },
  { module: 'asl/names.ts', why: 'the rules for names the shells check before they run anything' },
  { module: 'asl/path.ts', why: `JSONPath: ${LANGUAGE}` },
  { module: 'asl/result-path.ts', why: `ResultPath: ${LANGUAGE}` },
  { module: 'asl/query-language.ts', why: 'the query language a state runs in when it names none, the one place every layer reads it' },
  { module: 'asl/payload.ts', why: `payload templates: ${LANGUAGE}` },
  { module: 'asl/pointer.ts', why: 'JSON pointers into a definition, for findings and contracts' },
  { module: 'asl/random.ts', why: 'the seeded random source runs, replays and serve share' },
  { module: 'asl/wildcard.ts', why: 'the linear-time `*`/`?` match of IAM\'s patterns and a recording\'s placeholders, never a backtracking regular expression' },
  { module: 'asl/timer.ts', why: 'Node\'s longest timer, read by the virtual clock, serve\'s real-time clock and the worker jobs' },
  { module: 'asl/shorten.ts', why: 'shortens values for messages the same way everywhere' },
  { module: 'asl/spelling.ts', why: 'suggests the name meant, as the validator does' },
  { module: 'asl/state-tree.ts', why: 'the one walk over a definition\'s states' },
  { module: 'asl/states-errors.ts', why: 'the States.* error names' },
  { module: 'asl/task-failure-cause.ts', why: 'the Cause each raiser gives with a Task\'s failure, built by the dispatcher\'s endpoints and checks and by explore\'s made-up failures' },
  { module: 'asl/task-resource.ts', why: 'the one parse of a Task\'s Resource every layer reads' },
  { module: 'asl/lambda-errors.ts', why: 'the error names of a Task that calls Lambda, raised by the endpoints and retried by the builders' },
  { module: 'asl/service-errors.ts', why: 'the error names of a service call that no model names, raised by the endpoints, the local S3 and the IAM checks' },
  { module: 'asl/logging-configuration.ts', why: 'what AWS refuses in a LoggingConfiguration, the one place serve and validate read it' },
  { module: 'asl/limits.ts', why: 'AWS\'s limits, the one place every layer reads them' },
  { module: 'asl/aws-defaults.ts', why: 'the default account and region, the one place every layer reads them' },
  { module: 'asl/timestamp.ts', why: 'the timestamp rules Choice uses, which explore/ solves' },
  { module: 'asl/validate/index.ts', why: 'the validator, loaded apart from the language (serve loads it lazily)' },
  { module: 'asl/validation-messages.ts', why: 'a ValidationException\'s words, which serve answers and the harness, run, MCP and TestState quote; read at serve\'s start' },
  { module: 'asl/variables.ts', why: `variables and their scopes: ${LANGUAGE}` },
  { module: 'cfn/parameter-name.ts', why: 'what a parameter\'s name may be, the one rule a template, `--parameter` and MCP\'s `parameters` check; read at every command\'s start, where cfn/\'s index would load the resolver' },
  { module: 'cfn/published-versions.ts', why: 'the Lambda versions a template publishes, for serve --load, which loads cfn/ lazily' },
  { module: 'cfn/resolver.ts', why: 'the template resolver, for the builders: `import \'stepwright\'` loads no index it does not need' },
  { module: 'cfn/stack-facts.ts', why: 'what a stack says about its resources, for the builders, as cfn/resolver.ts' },
  { module: 'cfn/template-error.ts', why: 'the resolver\'s error, for the builders, as cfn/resolver.ts' },
  { module: 'contracts/check.ts', why: 'checks one answer against its contract; the index would load contracts/validate.ts (the definition checks) into every run' },
  { module: 'contracts/contract.ts', why: 'one Task\'s contract, as contracts/check.ts' },
  { module: 'contracts/error-names.ts', why: 'the error names a service\'s model lists, as contracts/check.ts' },
  { module: 'contracts/optimized.ts', why: 'optimized integrations\' request shapes, as contracts/check.ts' },
  { module: 'contracts/sdk-models.ts', why: 'the SDK integrations\' models, as contracts/check.ts' },
  { module: 'contracts/shapes.ts', why: 'the shapes of answers, to make one up, as contracts/check.ts' },
  { module: 'contracts/job-states.ts', why: 'the states a .sync job\'s describe call lists, for the advice on an end no page decides, as contracts/check.ts' },
  { module: 'contracts/validate.ts', why: 'the definition checks the Aspect runs: `import \'stepwright\'` loads no index it does not need' },
  { module: 'explore/choice-taken.ts', why: 'which Choice rule a run took, counted by coverage; the index would load explore\'s engine into every run' },
  { module: 'explore/context.ts', why: 'explore\'s option defaults and checks, which the CLI and MCP\'s schemas state and check before their workers; the index would load explore\'s engine into the CLI' },
  { module: 'explore/goals.ts', why: 'the goals explore/ and coverage count alike; the index would load explore\'s engine into MCP\'s worker and the reporter' },
  { module: 'explore/properties.ts', why: 'verify\'s property vocabulary, which stepwright/testing and property modules build with; the index would load explore\'s engine into every test file' },
  { module: 'explore/report-types.ts', why: 'the report scaffolding reads, as explore/goals.ts' },
  { module: 'explore/trace.ts', why: 'reads a run\'s trace for coverage and the matchers, as explore/choice-taken.ts' },
  { module: 'explore/visits.ts', why: 'the states a parity case visits, as explore/goals.ts' },
  { module: 'iam/access-denied.ts', why: 'the AccessDenied a denied Task raises' },
  { module: 'iam/check.ts', why: 'the permission check, apart from the builders\' API' },
  { module: 'iam/template-facts.ts', why: 'what a template says about roles' },
  { module: 'iam/template-role.ts', why: 'reads a machine\'s role from its template' },
  { module: 'interpreter/cancel.ts', why: `a Task\'s cancellation: ${RUN_TYPES}` },
  { module: 'interpreter/clock.ts', why: `the virtual clock: ${RUN_TYPES}` },
  { module: 'interpreter/execution-errors.ts', why: 'the errors StartExecution and the callbacks refuse with, which the harness throws as the interpreter does' },
  { module: 'interpreter/execution-types.ts', why: `executions, Task requests and answers: ${RUN_TYPES}` },
  { module: 'interpreter/history-recorder.ts', why: 'writes and reads histories; serve loads it lazily' },
  { module: 'interpreter/object-store.ts', why: `the object store S3 Tasks run on: ${RUN_TYPES}` },
  { module: 'interpreter/retry.ts', why: 'the retry delay TestState reports' },
  { module: 'interpreter/state-machine.ts', why: 'compiles a machine; serve loads it lazily' },
  { module: 'interpreter/states/item-reader.ts', why: 'the ItemReader TestState runs alone' },
  { module: 'interpreter/states/stored-items.ts', why: 'reads stored items, for the local S3 and TestState' },
  { module: 'interpreter/states/task.ts', why: 'the Task request a dispatcher answers' },
  { module: 'render/graph.ts', why: 'the graph of a definition, without the layout the index loads' },
  { module: 'render/html.ts', why: 'the HTML pages the coverage reporter writes' },
  { module: 'render/layout.ts', why: 'the console lays out a definition' },
  { module: 'render/mermaid.ts', why: 'Mermaid alone, for WorkflowRun.toMermaid' },
  { module: 'render/marks.ts', why: 'the marks and notes the console draws over a graph' },
  { module: 'render/overlay.ts', why: 'a run\'s path drawn over the graph' },
  { module: 'render/render-error.ts', why: 'render\'s error, which the console reports' },
  { module: 'render/svg.ts', why: 'the console draws SVG' },
  { module: 'server/door.ts', why: 'the operations of each host prefix (botocore\'s model), which `stepwright serve` names at start; serve\'s index feeds stepwright/server' },
  { module: 'server/test-state.ts', why: 'serve\'s TestState request mapping, which MCP\'s test_state reuses' },
  { module: 'workbench/commands/coverage-merge.ts', why: '`stepwright coverage` loads the merge alone; the index would load the run and explore commands' },
  { module: 'workbench/commands/explore-machines.ts', why: '`stepwright explore`, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/explore-summary.ts', why: 'MCP\'s explore, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/mocks.ts', why: 'the mocks options of run, cost and MCP, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/run.ts', why: '`stepwright run`, cost and MCP\'s run, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/steps.ts', why: 'MCP\'s steps, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/validate.ts', why: '`stepwright validate` and MCP\'s validate, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/verify.ts', why: '`stepwright verify` loads its property module, as workbench/commands/coverage-merge.ts' },
  { module: 'workbench/commands/worker-jobs.ts', why: 'the console\'s diagrams in a worker; the index would load the engine into the console' },
  { module: 'workbench/common/cdk-lib.ts', why: 'aws-cdk-lib loaded when needed, by jest\'s IAM matchers, the loaders and mock keys; small doors of the leaf room, which the CLI\'s start and serve\'s start load one by one' },
  { module: 'workbench/common/command-errors.ts', why: 'the input error every command raises, at the CLI\'s start, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/json-file.ts', why: 'the bounded JSON reader, at serve\'s and MCP\'s start, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/optional-peers.ts', why: 'optional peers, at serve\'s start, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/output-files.ts', why: 'the files a command writes, in the CLI\'s errors, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/package-root.ts', why: 'the package\'s root and version, for the console\'s assets and `--version`, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/printable.ts', why: 'printable values, in the CLI\'s terminal, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/common/text.ts', why: 'definitions and templates as JSON or YAML text, read by the commands and by a SAM template\'s DefinitionUri file, as workbench/common/cdk-lib.ts' },
  { module: 'workbench/coverage/definition-id.ts', why: 'jest\'s coverage files and reporter: the index would load the cost estimate into the reporter' },
  { module: 'workbench/coverage/exercised.ts', why: 'what a run reached, as workbench/coverage/definition-id.ts' },
  { module: 'workbench/coverage/format.ts', why: 'the coverage table, as workbench/coverage/definition-id.ts' },
  { module: 'workbench/coverage/gates.ts', why: 'the coverage gates, as workbench/coverage/definition-id.ts' },
  { module: 'workbench/coverage/model.ts', why: 'the coverage model, as workbench/coverage/definition-id.ts' },
  { module: 'workbench/coverage/select.ts', why: '`stepwright render` picks a machine from a report; the index would load cost/' },
  { module: 'workbench/coverage/shards.ts', why: 'coverage shards, as workbench/coverage/definition-id.ts' },
  { module: 'workbench/mocks/dispatch.ts', why: 'the dispatcher a replay answers through; the index would load forwarding endpoints into `stepwright record`' },
  { module: 'workbench/mocks/endpoint-clients.ts', why: 'parity\'s remote runs and record\'s API calls (their clients, and the bounds on every answer they read); the index would load the dispatcher into parity\'s case files and record' },
  { module: 'workbench/mocks/endpoint-settings.ts', why: `forwarding endpoints' settings, read at ${SERVE_START} mock validation and the contracts` },
  { module: 'workbench/mocks/endpoints.ts', why: 'forwarding endpoints, loaded by serve with the first server given one; the index would load mock validation and the contracts' },
  { module: 'workbench/mocks/json.ts', why: 'MCP checks a mocks table before it runs; the index would load mock validation and the contracts into the MCP server\'s start' },
  { module: 'workbench/mocks/lambda-versions.ts', why: 'byLambdaVersion, a re-export of stepwright/testing, named where it lives' },
  { module: 'workbench/mocks/mock-config-error.ts', why: `the MockConfigFile's error, told apart at ${SERVE_START} mock validation, the contracts and the reader` },
  { module: 'workbench/mocks/mock-config.ts', why: 'the MockConfigFile, read by serve once one is given; the index would load mock validation and the contracts' },
  { module: 'workbench/mocks/targets.ts', why: `Task targets, routed from ${SERVE_START} mock validation and the contracts` },
  { module: 'workbench/mocks/validation-mode.ts', why: `--mock-validation, parsed at ${SERVE_START} mock validation and the contracts` },
  { module: 'workbench/mocks/task-tokens.ts', why: `the form of a task token and SendTask*'s refusals, one home for serve's API and a run's sendTask* Tasks, read at ${SERVE_START} mock validation and the contracts` },
  { module: 'workbench/mocks/local-s3-advice.ts', why: `the advice to give a run a local S3, in every door's words, worded by serve's Tasks at ${SERVE_START} mock validation and the contracts` },
  { module: 'workbench/mocks/validation.ts', why: 'TestState checks a mock as a run does; the index would load the dispatcher into TestState' },
  { module: 'workbench/mocks/answer-shape-advice.ts', why: 'TestState tells of a mock\'s job state as a run does, as workbench/mocks/validation.ts' },
  { module: 'workbench/parity/local-runs.ts', why: 'parity\'s local runs, for `stepwright parity` and MCP, named where they live' },
  { module: 'workbench/parity/request.ts', why: 'the TestState call\'s default deadline, which MCP\'s parity halves to its own --timeout' },
  { module: 'workbench/parity/runs.ts', why: 'jest\'s coverage files read parity\'s runs file; the parity index would load the local and remote runs into jest' },
  { module: 'workbench/replay/compare.ts', why: 'the console compares two histories; the index would load replay and the dispatcher into the console' },
  { module: 'workbench/replay/format.ts', why: 'parity reads recordings; the index would load replay and the dispatcher into parity' },
  { module: 'workbench/replay/record.ts', why: 'parity records remote runs, as workbench/replay/format.ts' },
  { module: 'workbench/replay/resume-point.ts', why: `a redrive's resume point, at ${SERVE_START} replay and the dispatcher` },
  { module: 'workbench/s3/local-s3.ts', why: 'serve --s3-dir, imported lazily (server/index.ts); the index would also load the Distributed Map\'s result files' },
  { module: 'workbench/s3/read-only-store.ts', why: 'explore reads the local S3 read-only, named where it lives' },
  { module: 'workbench/s3/s3-tasks.ts', why: 'the dispatcher\'s S3 Tasks; the index would load the Distributed Map\'s result files into `stepwright record`' },
  { module: 'workbench/scaffold/checks.ts', why: 'explore\'s summary names scaffolded checks; the index would load the test writer into MCP\'s worker' },
  { module: 'workbench/scaffold/command.ts', why: '`explore --write-tests`, named where it lives' },
  { module: 'workbench/template/configuration.ts', why: 'serve --load deploys what a template configures of a machine, as workbench/template/extract.ts' },
  { module: 'workbench/template/extract.ts', why: 'serve --load extracts machines; the index would load the IAM checks into serve' },
  { module: 'workbench/template/iam-workflow.ts', why: 'jest\'s IAM matchers; the index would load the loaders into jest\'s setup' },
  { module: 'workbench/template/sources.ts', why: 'serve --load reads templates, as workbench/template/extract.ts' },
  { module: 'workbench/common/parameter-overrides.ts', why: 'the CLI\'s --parameter reads the forms sam deploy and aws cloudformation take, at every command\'s start, serve\'s too, which loads no template loader before it answers (test/server/start.test.ts)' },
  { module: 'workbench/template/samconfig.ts', why: 'serve --load reads a SAM template\'s samconfig.toml, as workbench/template/sources.ts' },
  { module: 'workbench/template/synth-output.ts', why: 'jest\'s setup cleans synthesis output; the index would load the loaders into it' },
  { module: 'workbench/template/workflow-sources.ts', why: 'the template each workflow of a test came from, recorded by every one; the index would load the loaders, cfn/ and iam/ into every test file' },
  { module: 'workbench/template/versions.ts', why: 'serve --load reads versions and aliases, as workbench/template/extract.ts' },
  { module: 'workbench/workflow/chains.ts', why: `the bound on executions that start each other, every door's, which serve checks at ${SERVE_START} the engine` },
  { module: 'workbench/workflow/delivery.ts', why: `at-least-once delivery, planned at ${SERVE_START} the engine and the interpreter` },
  { module: 'workbench/workflow/engine.ts', why: 'the engine, which serve loads lazily on its first run (server/lazy.ts)' },
  { module: 'workbench/workflow/workflow-run.ts', why: 'the run a property module\'s functions get in verify\'s worker thread (workbench/commands/property-thread.ts); the index would load the engine into it' },
  { module: 'workbench/workflow/nested.ts', why: 'what a `states:startExecution` Task starts and answers, which serve loads lazily with its first nested execution (server/lazy.ts)' },
];
