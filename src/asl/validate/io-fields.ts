import { checkJsonataValue, checkPathField, checkPayloadTemplate } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { addFindings, error, isObj, NO_FINDINGS, ptr, show, type StateInfo } from './model';
import { AwsDefaults } from '../aws-defaults';

const TEMPLATES = ['Parameters', 'ResultSelector', 'ItemSelector'];
const JSONATA_FIELDS = ['Arguments', 'Output', 'ItemSelector'];

/**
 * Input and output processing fields parse: InputPath and OutputPath are
 * JSONPaths, ResultPath a reference path rooted at `$`, Parameters,
 * ResultSelector, ItemSelector and Credentials payload templates (JSONPath),
 * and every `{% %}` in Arguments, Output, ItemSelector and Credentials parses (JSONata).
 * @internal
 */
export function ioFields(state: StateInfo): readonly Finding[] {
  const { node, pointer } = state;
  const out: Finding[] = [];
  if (state.language === 'JSONPath') {
    addFindings(out, checkPathField(node, 'InputPath', pointer, 'path', true));
    addFindings(out, checkPathField(node, 'OutputPath', pointer, 'path', true));
    addFindings(out, checkPathField(node, 'ResultPath', pointer, 'result', true));
    for (let i = 0; i < TEMPLATES.length; i++) {
      const field = TEMPLATES[i];
      if (field in node) checkPayloadTemplate(node[field], ptr(pointer, field), out);
    }
  } else {
    for (const field of JSONATA_FIELDS) if (field in node) checkJsonataValue(node[field], ptr(pointer, field), field, out);
  }
  if ('Credentials' in node) {
    const at = ptr(pointer, 'Credentials');
    if (!isObj(node.Credentials)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `Credentials must be an object such as { "RoleArn": "arn:aws:iam::${AwsDefaults.ACCOUNT}:role/name" }, got ${show(node.Credentials)}`));
    } else if (state.language === 'JSONPath') {
      checkPayloadTemplate(node.Credentials, at, out);
    } else {
      checkJsonataValue(node.Credentials, at, 'Credentials', out);
    }
  }
  // Most states have no finding: they share the empty answer rather than each keeping a list.
  return out.length === 0 ? NO_FINDINGS : out;
}
