import { Document, visit } from 'yaml';
import { buildGraph, type DrawableDefinition } from './graph';
import { RenderError } from './render-error';
import { jsonWithoutMarks, LINE_MARKS } from './text-marks';

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
export function exportForWorkflowStudio(definition: DrawableDefinition, format: WorkflowStudioFormat = 'json'): string {
  buildGraph(definition);
  // The same JSON value, with no character that drives a terminal or reorders a line written as it is.
  if (format === 'json') return `${jsonWithoutMarks(JSON.stringify(definition, null, 2))}\n`;
  if (format === 'yaml') return yamlWithoutMarks(definition);
  throw new RenderError(`unknown Workflow Studio format '${String(format)}': use 'json' or 'yaml'`);
}

/**
 * The definition as YAML with no character of {@link LINE_MARKS} written as it is: a string that
 * holds one is double-quoted, where YAML reads `\u202e` as the character (the yaml package
 * quotes C0 controls itself, and leaves these raw, even unquoted).
 */
function yamlWithoutMarks(definition: DrawableDefinition): string {
  const doc = new Document(definition, { aliasDuplicateObjects: false });
  const one = new RegExp(LINE_MARKS.source);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && one.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 }).replace(LINE_MARKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
