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
