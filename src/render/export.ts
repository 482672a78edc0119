import { stringify } from 'yaml';
import { buildGraph } from './graph';
import { RenderError } from './render-error';
import type { StateMachineDefinition } from '../asl';

/** The formats the Step Functions console's Workflow Studio imports. */
export type WorkflowStudioFormat = 'json' | 'yaml';

/**
 * The definition as a file Workflow Studio imports (Step Functions console:
 * Create state machine → Import definition, or Actions → Import in the
 * designer): ASL as indented JSON or as YAML, keys in the definition's
 * order. The definition is checked first, so a file that Workflow Studio
 * would refuse for a missing StartAt or a dangling Next fails here with a
 * {@link RenderError} instead.
 *
 * @param format - `json` or `yaml`
 * @default format 'json'
 * @example
 * fs.writeFileSync('order.asl.yaml', exportForWorkflowStudio(wf.definition, 'yaml'));
 */
export function exportForWorkflowStudio(definition: StateMachineDefinition, format: WorkflowStudioFormat = 'json'): string {
  buildGraph(definition);
  if (format === 'json') return `${JSON.stringify(definition, null, 2)}\n`;
  if (format === 'yaml') return stringify(definition, { lineWidth: 0, aliasDuplicateObjects: false });
  throw new RenderError(`unknown Workflow Studio format '${String(format)}': use 'json' or 'yaml'`);
}
