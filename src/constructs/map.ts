import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata, QueryLanguageOption } from './common';
import { validateExpressStateMachines } from './express-validation';

/**
 * How many failed items a distributed Map tolerates before it fails with
 * States.ExceedToleratedFailureThreshold.
 */
export abstract class ToleratedFailure {
  /** Tolerate up to `n` failed items (ToleratedFailureCount). */
  public static count(n: number): ToleratedFailure {
    if (!Number.isInteger(n) || n < 0) throw new Error(`ToleratedFailure.count: expected a whole number >= 0, got ${n}`);
    return { count: n } as ToleratedFailure;
  }
  /** Tolerate up to `p` percent failed items (ToleratedFailurePercentage, 0-100). */
  public static percentage(p: number): ToleratedFailure {
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
   * Upper bound on iterations running at once.
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
   * Group items into batches; each child execution receives `{ Items: [...] }`.
   * @default - no batching
   */
  readonly itemBatcher?: sfn.ItemBatcher;
  /** Reads items from S3 instead of the state input. @default - items come from the input */
  readonly itemReader?: sfn.IItemReader;
  /** Writes the results to S3 instead of returning them. @default - results are returned */
  readonly resultWriter?: sfn.ResultWriterV2;
  /**
   * Child executions' type.
   * @default StateMachineType.STANDARD
   */
  readonly mapExecutionType?: sfn.StateMachineType;
  /** Label in child execution names. @default - none */
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
    const map = new sfn.Map(scope, id, commonMapProps(props));
    map.itemProcessor(props.itemProcessor);
    validateExpressStateMachines(map);
    return map;
  }

  /** A distributed Map: each item (or batch) runs as a child execution. */
  public static distributed(scope: Construct, id: string, props: DistributedMapProps): sfn.DistributedMap {
    checkCommon(scope, id, props);
    const map = new sfn.DistributedMap(scope, id, {
      ...commonMapProps(props),
      toleratedFailureCount: props.toleratedFailure?.count,
      toleratedFailurePercentage: props.toleratedFailure?.percentage,
      itemBatcher: props.itemBatcher,
      itemReader: props.itemReader,
      resultWriterV2: props.resultWriter,
      mapExecutionType: props.mapExecutionType,
      label: props.label,
    });
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
    ...(jsonata
      ? { items: props.items ? sfn.ProvideItems.jsonata(props.items) : undefined, itemSelector: props.itemSelector, outputs: props.outputs }
      : { itemsPath: props.itemsPath, itemSelector: props.itemSelector, resultPath: props.resultPath }),
  };
}

function checkCommon(scope: Construct, id: string, props: MapCommonProps): void {
  const jsonata = isJsonata(props.queryLanguage);
  if (props.maxConcurrency !== undefined && (!Number.isInteger(props.maxConcurrency) || props.maxConcurrency < 0)) {
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
