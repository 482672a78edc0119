import { checkJsonataValue, checkNumber, checkPathField, checkPayloadTemplate, exclusive, isJsonataExpression } from './checks';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, type MachineModel, NO_FINDINGS, type Obj, ptr, show, type StateInfo } from './model';
import { MACHINE_TYPES } from '../aws-defaults';
import { AwsLimits } from '../limits';

const MODES = ['INLINE', 'DISTRIBUTED'];
const INPUT_TYPES = ['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET'];
const HEADER_LOCATIONS = ['FIRST_ROW', 'GIVEN'];

function unknown(node: Obj, allowed: readonly string[], at: string, what: string): Finding[] {
  const out: Finding[] = [];
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(at, key), `${what} does not accept the field '${key}'; allowed fields are ${allowed.join(', ')}`,
        { kind: 'unsupported-field', field: key, object: at }));
    }
  }
  return out;
}

function oneOf(node: Obj, field: string, values: readonly string[], at: string): Finding[] {
  if (!(field in node) || values.includes(node[field] as string)) return [];
  return [error(C.SCHEMA_VALIDATION_FAILED, ptr(at, field), `${field} must be one of ${values.join(', ')}, got ${show(node[field])}`,
    typeof node[field] === 'string' ? { kind: 'not-one-of', values } : { kind: 'wrong-type', expected: 'STRING' })];
}

/** Parameters (JSONPath) or Arguments (JSONata) of an ItemReader or ResultWriter. */
function payload(node: Obj, at: string, jsonata: boolean, out: Finding[]): void {
  if ('Parameters' in node) checkPayloadTemplate(node.Parameters, ptr(at, 'Parameters'), out);
  if ('Arguments' in node) checkJsonataValue(node.Arguments, ptr(at, 'Arguments'), 'Arguments', out);
  if (jsonata && 'Parameters' in node) out.push(error(C.INVALID_QUERY_LANGUAGE, ptr(at, 'Parameters'), 'Under JSONata this takes Arguments, not Parameters'));
  if (!jsonata && 'Arguments' in node) out.push(error(C.INVALID_QUERY_LANGUAGE, ptr(at, 'Arguments'), 'Under JSONPath this takes Parameters, not Arguments'));
}

function itemReader(reader: unknown, at: string, jsonata: boolean): Finding[] {
  if (!isObj(reader)) return [error(C.SCHEMA_VALIDATION_FAILED, at, `ItemReader must be an object with a Resource, got ${show(reader)}`)];
  const out = unknown(reader, ['Resource', 'Parameters', 'Arguments', 'ReaderConfig'], at, 'ItemReader');
  if (typeof reader.Resource !== 'string') out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `ItemReader needs a Resource such as "arn:aws:states:::s3:getObject", got ${show(reader.Resource)}`));
  payload(reader, at, jsonata, out);
  if ('ReaderConfig' in reader) {
    const cat = ptr(at, 'ReaderConfig');
    const cfg = reader.ReaderConfig;
    if (!isObj(cfg)) return [...out, error(C.SCHEMA_VALIDATION_FAILED, cat, `ReaderConfig must be an object, got ${show(cfg)}`)];
    out.push(...unknown(cfg, ['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'MaxItems', 'MaxItemsPath', 'ManifestType', 'ItemsPointer', 'Transformation'], cat, 'ReaderConfig'));
    out.push(...oneOf(cfg, 'InputType', INPUT_TYPES, cat), ...oneOf(cfg, 'CSVHeaderLocation', HEADER_LOCATIONS, cat));
    out.push(...exclusive(cfg, 'MaxItems', 'MaxItemsPath', cat));
    out.push(...checkNumber(cfg, 'MaxItems', cat, { integer: true, min: 0, max: AwsLimits.MAX_ITEMS, jsonata }));
    out.push(...numberPathField(cfg, 'MaxItemsPath', cat, jsonata));
    if ('CSVHeaders' in cfg && !(Array.isArray(cfg.CSVHeaders) && cfg.CSVHeaders.every((h) => typeof h === 'string'))) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(cat, 'CSVHeaders'), `CSVHeaders must be an array of column names, got ${show(cfg.CSVHeaders)}`));
    }
  }
  return out;
}

/**
 * A Map number field's `...Path` (MaxConcurrencyPath, ToleratedFailure…Path, ItemBatcher's and
 * ReaderConfig's): a reference path into the state input or a variable. AWS refuses one into the
 * Context Object ("Value is not a Reference Path"); only ItemsPath may read `$$`. Under JSONata
 * the field does not exist, as AWS says.
 */
function numberPathField(node: Obj, field: string, at: string, jsonata: boolean): readonly Finding[] {
  if (!(field in node)) return NO_FINDINGS;
  if (jsonata) {
    return [error(C.INVALID_QUERY_LANGUAGE, ptr(at, field),
      `The QueryLanguage is JSONata, which has no field ${field}; give ${field.slice(0, -4)} a JSONata expression '{% ... %}' instead`)];
  }
  const v = node[field];
  if (typeof v === 'string' && v.startsWith('$$')) {
    return [error(C.INVALID_JSON_PATH, ptr(at, field),
      `${field} ${show(v)} reads the Context Object, which AWS refuses here (only ItemsPath may); copy the value into the state input or a variable first and point at it`)];
  }
  return checkPathField(node, field, at, 'reference', false);
}

function itemBatcher(batcher: unknown, at: string, jsonata: boolean): Finding[] {
  if (!isObj(batcher)) return [error(C.SCHEMA_VALIDATION_FAILED, at, `ItemBatcher must be an object, got ${show(batcher)}`)];
  const out = unknown(batcher, ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 'BatchInput'], at, 'ItemBatcher');
  out.push(...exclusive(batcher, 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', at), ...exclusive(batcher, 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', at));
  out.push(...checkNumber(batcher, 'MaxItemsPerBatch', at, { integer: true, min: 0, jsonata }));
  out.push(...checkNumber(batcher, 'MaxInputBytesPerBatch', at, { integer: true, min: 0, max: AwsLimits.PAYLOAD_BYTES, jsonata }));
  out.push(...numberPathField(batcher, 'MaxItemsPerBatchPath', at, jsonata), ...numberPathField(batcher, 'MaxInputBytesPerBatchPath', at, jsonata));
  if (!jsonata) {
    if ('BatchInput' in batcher) checkPayloadTemplate(batcher.BatchInput, ptr(at, 'BatchInput'), out);
  } else if ('BatchInput' in batcher) {checkJsonataValue(batcher.BatchInput, ptr(at, 'BatchInput'), 'BatchInput', out);}
  return out;
}

function resultWriter(writer: unknown, at: string, jsonata: boolean): Finding[] {
  if (!isObj(writer)) return [error(C.SCHEMA_VALIDATION_FAILED, at, `ResultWriter must be an object, got ${show(writer)}`)];
  const out = unknown(writer, ['Resource', 'Parameters', 'Arguments', 'WriterConfig'], at, 'ResultWriter');
  if ('Resource' in writer && typeof writer.Resource !== 'string') out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(at, 'Resource'), `ResultWriter Resource must be a string such as "arn:aws:states:::s3:putObject", got ${show(writer.Resource)}`));
  // Developer guide, "ResultWriter (Map)", required field combinations: WriterConfig, or Resource
  // and Parameters, or all three; the field cannot be empty.
  if (!('WriterConfig' in writer) && !('Resource' in writer)) {
    out.push(error(C.SCHEMA_VALIDATION_FAILED, at, 'ResultWriter cannot be empty: give WriterConfig (to format the results), Resource and Parameters (to export them to S3), or all three'));
  }
  if ('WriterConfig' in writer) out.push(...writerConfig(writer.WriterConfig, ptr(at, 'WriterConfig')));
  payload(writer, at, jsonata, out);
  return out;
}

const OUTPUT_TYPES = ['JSON', 'JSONL'];
const TRANSFORMATIONS = ['NONE', 'COMPACT', 'FLATTEN'];

/**
 * WriterConfig: OutputType (JSON or JSONL) is required, as the schema of AWS's ASL language
 * service has it; Transformation is optional (the guide gives its defaults: NONE when exporting,
 * COMPACT otherwise).
 */
function writerConfig(cfg: unknown, at: string): Finding[] {
  if (!isObj(cfg)) return [error(C.SCHEMA_VALIDATION_FAILED, at, `WriterConfig must be an object, got ${show(cfg)}`)];
  const out = [...unknown(cfg, ['OutputType', 'Transformation'], at, 'WriterConfig'), ...oneOf(cfg, 'OutputType', OUTPUT_TYPES, at), ...oneOf(cfg, 'Transformation', TRANSFORMATIONS, at)];
  if (!('OutputType' in cfg)) out.push(error(C.SCHEMA_VALIDATION_FAILED, at, `WriterConfig needs OutputType (${OUTPUT_TYPES.join(' or ')}); add "OutputType": "JSON"`));
  return out;
}

function processorConfig(processor: Obj, at: string): Finding[] {
  if (!('ProcessorConfig' in processor)) return [];
  const cat = ptr(at, 'ProcessorConfig');
  const cfg = processor.ProcessorConfig;
  if (!isObj(cfg)) return [error(C.SCHEMA_VALIDATION_FAILED, cat, `ProcessorConfig must be an object, got ${show(cfg)}`)];
  return [
    ...unknown(cfg, ['Mode', 'ExecutionType'], cat, 'ProcessorConfig'),
    ...oneOf(cfg, 'Mode', MODES, cat),
    ...oneOf(cfg, 'ExecutionType', MACHINE_TYPES, cat),
  ];
}

/**
 * A Map state is well formed: exactly one of ItemProcessor and Iterator;
 * ProcessorConfig, ItemReader/ReaderConfig, ItemBatcher and ResultWriter
 * have known fields and values; MaxConcurrency ≥ 0; ToleratedFailurePercentage
 * 0–100 and ToleratedFailureCount ≥ 0; static and `…Path` variants exclusive;
 * ItemsPath a reference path; Parameters and ItemSelector not both.
 * @internal
 */
export function mapState(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Map') return NO_FINDINGS;
  const { node, pointer, name } = state;
  const jsonata = state.language === 'JSONata';
  const out: Finding[] = [];
  const hasProcessor = 'ItemProcessor' in node;
  const hasIterator = 'Iterator' in node;
  if (hasProcessor && hasIterator) out.push(error(C.MUTUALLY_EXCLUSIVE_FIELDS, ptr(pointer, 'Iterator'), `Map state '${name}' has both ItemProcessor and Iterator; Iterator is the old name of ItemProcessor, keep only ItemProcessor`));
  else if (!hasProcessor && !hasIterator) out.push(error(C.SCHEMA_VALIDATION_FAILED, pointer, `Map state '${name}' has neither ItemProcessor nor Iterator (its older name); add "ItemProcessor": { "StartAt": ..., "States": { ... } }`));
  for (const field of ['ItemProcessor', 'Iterator']) {
    if (!(field in node)) continue;
    const p = node[field];
    if (!isObj(p)) out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, field), `${field} must be an object with StartAt and States, got ${show(p)}`));
    else out.push(...processorConfig(p, ptr(pointer, field)));
  }
  out.push(...exclusive(node, 'Parameters', 'ItemSelector', pointer));
  out.push(...exclusive(node, 'ItemsPath', 'Items', pointer));
  out.push(...exclusive(node, 'MaxConcurrency', 'MaxConcurrencyPath', pointer));
  out.push(...exclusive(node, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', pointer));
  out.push(...exclusive(node, 'ToleratedFailureCount', 'ToleratedFailureCountPath', pointer));
  out.push(...checkNumber(node, 'MaxConcurrency', pointer, { integer: true, min: 0, jsonata }));
  out.push(...checkNumber(node, 'ToleratedFailurePercentage', pointer, { min: 0, max: 100, jsonata }));
  out.push(...checkNumber(node, 'ToleratedFailureCount', pointer, { integer: true, min: 0, jsonata }));
  if (!jsonata) {
    // Under JSONata these three are refused with the state's other JSONPath-only fields.
    for (const f of ['MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']) out.push(...numberPathField(node, f, pointer, false));
    out.push(...checkPathField(node, 'ItemsPath', pointer, 'reference', false));
  } else if ('Items' in node) {
    const items = node.Items;
    if (!(Array.isArray(items) || (typeof items === 'string' && isJsonataExpression(items)))) {
      out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'Items'), `Items must be an array or a JSONata expression '{% ... %}', got ${show(items)}`));
    } else {checkJsonataValue(items, ptr(pointer, 'Items'), 'Items', out);}
  }
  if ('ItemReader' in node) out.push(...itemReader(node.ItemReader, ptr(pointer, 'ItemReader'), jsonata));
  if ('ItemBatcher' in node) out.push(...itemBatcher(node.ItemBatcher, ptr(pointer, 'ItemBatcher'), jsonata));
  if ('ResultWriter' in node) out.push(...resultWriter(node.ResultWriter, ptr(pointer, 'ResultWriter'), jsonata));
  if ('Label' in node && (typeof node.Label !== 'string' || node.Label.length > AwsLimits.MAP_LABEL_CHARS)) {
    out.push(error(C.SCHEMA_VALIDATION_FAILED, ptr(pointer, 'Label'), `Label must be a string of at most ${AwsLimits.MAP_LABEL_CHARS} characters, got ${show(node.Label)}`));
  } else if (typeof node.Label === 'string' && (node.Label === '' || LABEL_FORBIDDEN.test(node.Label))) {
    out.push(error(C.INVALID_LABEL_NAME, ptr(pointer, 'Label'),
      `Label ${show(node.Label)} of Map state '${name}' is not a valid label: it needs 1 to ${AwsLimits.MAP_LABEL_CHARS} characters, none of them white space, `
      + 'brackets (< > { } [ ]), wildcards (? *), control characters or any of : ; , \\ | ^ ~ $ # % & ` "; AWS puts it into the Map Run ARN'));
  }
  return out;
}

/**
 * What AWS forbids in a Map's Label, which becomes part of the Map Run ARN: white space,
 * wildcards, brackets, control characters and the ARN's special characters (the Distributed
 * Map documentation's list, which aws-cdk-lib's DistributedMap checks too).
 */
const LABEL_FORBIDDEN = /[\s?*<>{}[\]:;,\\|^~$#%&`"\u0000-\u001f\u007f-\u009f]/;

/**
 * Map Labels are unique within a state machine definition, nested Maps included (AWS's
 * DUPLICATE_LABEL_NAME).
 * @internal
 */
export function mapLabels(model: MachineModel): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, string>();
  for (const state of model.states) {
    const label = state.type === 'Map' ? state.node.Label : undefined;
    if (typeof label !== 'string') continue;
    const at = ptr(state.pointer, 'Label');
    const prev = first.get(label);
    if (prev === undefined) first.set(label, at);
    else out.push(error(C.DUPLICATE_LABEL_NAME, at, `Label '${label}' of Map state '${state.name}' is already used at ${prev}; give each Map state a label of its own`));
  }
  return out;
}
