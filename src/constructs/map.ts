import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Token } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata, QueryLanguageOption } from './common';
import { validateExpressStateMachines } from './express-validation';
import { ItemReader } from './item-reader';
import { checkNoJsonataInJsonPath, isUnresolvedNumber } from './jsonata';
import { readerDefault, renderGraphIn } from './processor-language';
import type { JsonObject } from '../asl';
import { AwsLimits, PAYLOAD_WORDS } from '../asl/limits';
import { forEachState } from '../asl/state-tree';
import { expressUnsupported, taskResource } from '../asl/task-resource';

/** aws-cdk-lib renders `resultWriterV2` only under this feature flag; stepwright's Map sets it on itself. */
const RESULT_WRITER_V2_FLAG = '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2';
/** What AWS forbids in a Label, which becomes part of the Map Run's ARN. */
const LABEL_FORBIDDEN = /[\s?*<>{}[\]:;,\\|^~$#%&`"\u0000-\u001f\u007f-\u009f]/;

/**
 * How many failed items a distributed Map tolerates before it fails with
 * States.ExceedToleratedFailureThreshold.
 */
export abstract class ToleratedFailure {
  /** Tolerate up to `n` failed items (ToleratedFailureCount); `Jsonata.number(...)` in a JSONata Map. */
  public static count(n: number): ToleratedFailure {
    if (Token.isUnresolved(n)) return { count: n } as ToleratedFailure;
    if (!Number.isInteger(n) || n < 0) throw new Error(`ToleratedFailure.count: expected a whole number >= 0, got ${n}`);
    return { count: n } as ToleratedFailure;
  }
  /** Tolerate up to `p` percent failed items (ToleratedFailurePercentage, 0-100); `Jsonata.number(...)` in a JSONata Map. */
  public static percentage(p: number): ToleratedFailure {
    if (Token.isUnresolved(p)) return { percentage: p } as ToleratedFailure;
    if (!(p >= 0 && p <= 100)) throw new Error(`ToleratedFailure.percentage: expected 0 to 100, got ${p}`);
    return { percentage: p } as ToleratedFailure;
  }
  /** @internal */ public readonly count?: number;
  /** @internal */ public readonly percentage?: number;
}

/** Props shared by inline and distributed Maps. */
export interface MapCommonProps extends QueryLanguageOption {
  /** What runs for each item. */
  readonly itemProcessor: sfn.IChainable;
  /**
   * Upper bound on iterations running at once; `Jsonata.number('$states.input.limit')` computes it
   * at run time in a JSONata Map.
   * @default 0 - no limit (inline: up to 40 at once; distributed: up to 10,000 child executions)
   */
  readonly maxConcurrency?: number;
  /**
   * Input of each iteration. JSONPath: an object template (`{ "item.$": "$$.Map.Item.Value" }`);
   * JSONata: an object whose values may be `{% %}` expressions.
   * @default - the item itself
   */
  readonly itemSelector?: { [key: string]: any };
  /**
   * JSONPath: path to the array in the state input. JSONata: use `items`.
   * @default '$'
   */
  readonly itemsPath?: string;
  /**
   * JSONata: the array to iterate, e.g. `'{% $states.input.orders %}'`.
   * @default - the state input
   */
  readonly items?: string;
  /** @default - the state input is replaced by the results array (JSONPath) */
  readonly resultPath?: string;
  /** JSONata output of the state. @default - the results array */
  readonly outputs?: any;
  /**
   * Workflow variables the Map sets when it succeeds, as in aws-cdk-lib's Map and
   * DistributedMap. JSONata: values may be `{% %}` expressions, with the results array
   * (or, with a ResultWriter, the Map Run's summary) as `$states.result`; JSONPath: keys
   * ending in `.$` take a path, with the results as `$`. The states after the Map see them.
   * @default - no variables
   */
  readonly assign?: { [name: string]: any };
  /** @default - the construct id */
  readonly stateName?: string;
  /** @default - none */
  readonly comment?: string;
}

/** Props of {@link Map.inline}. */
export interface InlineMapProps extends MapCommonProps {}

/** Props of {@link Map.distributed}. */
export interface DistributedMapProps extends MapCommonProps {
  /**
   * Failed items tolerated before the Map fails.
   * @default - none: the first failed item fails the Map
   */
  readonly toleratedFailure?: ToleratedFailure;
  /**
   * Group items into batches; each child execution receives `{ Items: [...] }`, with
   * `BatchInput` as `BatchInput` beside them. Its limits may be `Jsonata.number(...)` in a JSONata Map.
   * @default - no batching
   */
  readonly itemBatcher?: sfn.ItemBatcher;
  /**
   * Reads items from S3 instead of the state input: stepwright's {@link ItemReader} (JSON with
   * ItemsPointer, JSON Lines, CSV with a delimiter, Parquet, manifests) or an aws-cdk-lib reader.
   * @default - items come from the input
   */
  readonly itemReader?: sfn.IItemReader;
  /**
   * Formats the results (`writerConfig`) and/or writes them to S3 instead of returning them.
   * Rendered whatever the `useDistributedMapResultWriterV2` feature flag says.
   * @default - results are returned
   */
  readonly resultWriter?: sfn.ResultWriterV2;
  /**
   * Child executions' type. EXPRESS children cannot wait for a callback, run a `.sync` job or
   * an activity, and run for at most five minutes.
   * @default StateMachineType.STANDARD
   */
  readonly mapExecutionType?: sfn.StateMachineType;
  /** Label of the Map Run, in child execution names: 1 to 40 characters, no white space or special characters. @default - none */
  readonly label?: string;
}

/**
 * Map state factories taking the item processor as a chain.
 *
 * @example
 * const each = Map.inline(this, 'Charge each', { itemsPath: '$.orders', itemProcessor: charge, maxConcurrency: 5 });
 * const bulk = Map.distributed(this, 'Import', {
 *   itemProcessor: importRow,
 *   itemReader: new sfn.S3CsvItemReader({ bucket, key: 'rows.csv' }),
 *   itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 100 }),
 *   toleratedFailure: ToleratedFailure.percentage(5),
 * });
 */
export class Map {
  /** An inline Map: iterations run inside this execution (at most 40 iterations run at once). */
  public static inline(scope: Construct, id: string, props: InlineMapProps): sfn.Map {
    checkCommon(scope, id, props);
    const map = new InlineMapState(scope, id, commonMapProps(props));
    map.itemProcessor(props.itemProcessor);
    validateExpressStateMachines(map);
    return map;
  }

  /** A distributed Map: each item (or batch) runs as a child execution. */
  public static distributed(scope: Construct, id: string, props: DistributedMapProps): sfn.DistributedMap {
    checkCommon(scope, id, props);
    checkDistributed(scope, id, props);
    // A token percentage would fail aws-cdk-lib's 0-100 check; the Map renders it itself.
    const percentage = props.toleratedFailure?.percentage;
    const tokenPercentage = isUnresolvedNumber(percentage) ? percentage : undefined;
    const map = new DistributedMapState(scope, id, {
      ...commonMapProps(props),
      toleratedFailureCount: props.toleratedFailure?.count,
      toleratedFailurePercentage: tokenPercentage === undefined ? percentage : undefined,
      itemBatcher: props.itemBatcher,
      itemReader: props.itemReader,
      resultWriterV2: props.resultWriter,
      mapExecutionType: props.mapExecutionType,
      label: props.label,
    }, tokenPercentage === undefined ? {} : { ToleratedFailurePercentage: tokenPercentage });
    if (props.resultWriter) map.node.setContext(RESULT_WRITER_V2_FLAG, true);
    map.itemProcessor(props.itemProcessor);
    validateExpressStateMachines(map);
    return map;
  }
}

/** The props both Map kinds pass to aws-cdk-lib, in the fields of their query language. */
function commonMapProps(props: MapCommonProps): sfn.MapProps {
  const jsonata = isJsonata(props.queryLanguage);
  return {
    stateName: props.stateName,
    comment: props.comment,
    queryLanguage: props.queryLanguage,
    maxConcurrency: props.maxConcurrency,
    assign: props.assign,
    ...(jsonata
      ? { items: props.items ? sfn.ProvideItems.jsonata(props.items) : undefined, itemSelector: props.itemSelector, outputs: props.outputs }
      : { itemsPath: props.itemsPath, itemSelector: props.itemSelector, resultPath: props.resultPath }),
  };
}

function checkCommon(scope: Construct, id: string, props: MapCommonProps): void {
  const jsonata = isJsonata(props.queryLanguage);
  const max = props.maxConcurrency;
  if (max !== undefined && !isUnresolvedNumber(max) && (!Number.isInteger(max) || max < 0)) {
    throw new BuilderValidationError(scope, 'maxConcurrency', `Map '${id}': expected a whole number >= 0 (0 = no limit), got ${props.maxConcurrency}`);
  }
  const wrong = jsonata
    ? (['itemsPath', 'resultPath'] as const).find((k) => props[k] !== undefined)
    : (['items', 'outputs'] as const).find((k) => props[k] !== undefined);
  if (wrong) {
    throw new BuilderValidationError(scope, wrong, `Map '${id}': '${wrong}' is a ${jsonata ? 'JSONPath' : 'JSONata'} field but this Map uses ${jsonata ? 'JSONata' : 'JSONPath'}; `
      + (jsonata ? "use 'items' / 'outputs'." : "use 'itemsPath' / 'resultPath', or set queryLanguage: JSONATA."));
  }
}

function checkDistributed(scope: Construct, id: string, props: DistributedMapProps): void {
  const fail = (field: string, message: string): never => {
    throw new BuilderValidationError(scope, field, `Map '${id}': ${message}`);
  };
  if (props.itemReader instanceof ItemReader && props.itemReader.problems.length > 0) {
    const problem = props.itemReader.problems[0];
    fail(problem.field, problem.message);
  }
  if (props.itemReader && props.itemsPath !== undefined) fail('itemsPath', 'give itemsPath or itemReader, not both: the items come from the input or from S3');
  if (props.itemReader && props.items !== undefined) fail('items', 'give items or itemReader, not both: the items come from the input or from S3');
  const label = props.label;
  if (label !== undefined && !Token.isUnresolved(label)) {
    if (label.length === 0 || label.length > AwsLimits.MAP_LABEL_CHARS) fail('label', `a Label has 1 to ${AwsLimits.MAP_LABEL_CHARS} characters, got ${label.length} ('${label}')`);
    if (LABEL_FORBIDDEN.test(label)) {
      fail('label', `Label '${label}' holds white space or a character AWS forbids in a Map Run name (? * < > { } [ ] : ; , \\ | ^ ~ $ # % & \` " or a control character)`);
    }
  }
  if (props.itemBatcher) {
    const batch = props.itemBatcher.render() as JsonObject;
    for (const [field, max] of [['MaxItemsPerBatch', undefined], ['MaxInputBytesPerBatch', AwsLimits.PAYLOAD_BYTES]] as const) {
      const v = batch[field];
      if (typeof v !== 'number' || Token.isUnresolved(v)) continue;
      if (!Number.isInteger(v) || v <= 0 || (max !== undefined && v > max)) {
        fail(`itemBatcher.${field[0].toLowerCase()}${field.slice(1)}`, `${field} must be a whole number above 0${max !== undefined ? ` and at most ${max} (${PAYLOAD_WORDS})` : ''}, got ${v}`);
      }
    }
  }
  const writer = props.resultWriter;
  if (writer && writer.prefix !== undefined && writer.bucket === undefined && writer.bucketNamePath === undefined) {
    fail('resultWriter.prefix', 'a prefix needs a bucket (or bucketNamePath) to write to');
  }
  if (writer && writer.bucket === undefined && writer.bucketNamePath === undefined && writer.writerConfig === undefined) {
    fail('resultWriter', 'a ResultWriter needs a writerConfig (to format the results), a bucket (to export them to S3), or both');
  }
}

/**
 * The item processor's states, rendered in the Map's query language and marked where a reader
 * would otherwise assume another (see {@link renderGraphIn}); a JSONata expression in a number
 * field of a JSONPath Map fails synth.
 */
function renderMap(map: sfn.MapBase, own: sfn.QueryLanguage | undefined, topLevel: sfn.QueryLanguage | undefined, render: () => any): any {
  const rendered = render();
  const language = own ?? topLevel ?? sfn.QueryLanguage.JSON_PATH;
  checkNoJsonataInJsonPath(map, map.stateId, rendered, language);
  return rendered;
}

/** An inline Map whose item processor renders in the Map's query language. @internal */
class InlineMapState extends sfn.Map {
  private renderingIn?: sfn.QueryLanguage;

  public toStateJson(topLevel?: sfn.QueryLanguage): object {
    this.renderingIn = topLevel;
    try {
      return renderMap(this, this.queryLanguage, topLevel, () => super.toStateJson(topLevel));
    } finally {
      this.renderingIn = undefined;
    }
  }

  protected renderItemProcessor(): any {
    if (!this.processor) return undefined;
    const language = this.queryLanguage ?? this.renderingIn ?? sfn.QueryLanguage.JSON_PATH;
    return { ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...renderGraphIn(this.processor, language, readerDefault(this.renderingIn)) } };
  }
}

/**
 * A Distributed Map whose item processor renders in the Map's query language (a child machine
 * reads its states as JSONPath unless they say otherwise), with the fields aws-cdk-lib does not
 * render itself. @internal
 */
class DistributedMapState extends sfn.DistributedMap {
  private renderingIn?: sfn.QueryLanguage;

  constructor(scope: Construct, id: string, props: sfn.DistributedMapProps, private readonly extraFields: JsonObject) {
    super(scope, id, props);
  }

  public toStateJson(topLevel?: sfn.QueryLanguage): object {
    this.renderingIn = topLevel;
    try {
      return renderMap(this, this.queryLanguage, topLevel, () => {
        const rendered = { ...super.toStateJson(topLevel), ...this.extraFields } as Record<string, any>;
        checkExpressChildren(this, rendered);
        return rendered;
      });
    } finally {
      this.renderingIn = undefined;
    }
  }

  protected renderItemProcessor(): any {
    if (!this.processor) return undefined;
    const language = this.queryLanguage ?? this.renderingIn ?? sfn.QueryLanguage.JSON_PATH;
    // ExecutionType is written by DistributedMap.toStateJson from mapExecutionType.
    return { ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, ...renderGraphIn(this.processor, language, sfn.QueryLanguage.JSON_PATH) } };
  }
}

/** How a Map names what its EXPRESS child executions cannot run (asl/task-resource.ts's expressUnsupported). */
const EXPRESS_CHILD_PROBLEMS = {
  '.waitForTaskToken': 'a callback (.waitForTaskToken)',
  '.sync': 'a .sync job',
  'activity': 'an activity',
  'none': undefined,
} as const;

/** EXPRESS child executions cannot wait: AWS refuses callbacks, `.sync` jobs and activities in them. */
function checkExpressChildren(map: sfn.DistributedMap, rendered: Record<string, any>): void {
  const processor = rendered.ItemProcessor;
  if (processor?.ProcessorConfig?.ExecutionType !== sfn.StateMachineType.EXPRESS) return;
  forEachState(processor, (name, state) => {
    const resource = state.Type === 'Task' && typeof state.Resource === 'string' ? state.Resource : undefined;
    if (resource === undefined) return;
    const problem = EXPRESS_CHILD_PROBLEMS[expressUnsupported(taskResource(resource)) ?? 'none'];
    if (problem) {
      throw new BuilderValidationError(map, 'mapExecutionType',
        `Map '${map.stateId}' runs its items as EXPRESS child executions, but its state '${name}' uses ${problem}, which Express workflows do not support. `
        + 'Use mapExecutionType: StateMachineType.STANDARD, or the request-response pattern.');
    }
  });
}
