import type { ResolveOptions } from '../../cfn';

// Apart from the permission check (iam-workflow.ts): every workflow a test makes records its
// source, and recording one must not load cfn/ and iam/ into a test that never checks a role.

/** Where a workflow came from, so its role can be read. @internal */
export interface WorkflowSource {
  readonly template: object;
  readonly options: ResolveOptions;
}

const SOURCES = new WeakMap<object, WorkflowSource>();

/** Remembers the template a workflow was taken from. @internal */
export function recordWorkflowSource(workflow: object, source: WorkflowSource): void {
  SOURCES.set(workflow, source);
}

/** The template a workflow was taken from, when it was. @internal */
export function workflowSourceOf(workflow: object): WorkflowSource | undefined {
  return SOURCES.get(workflow);
}
