import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Arn, ArnFormat, Aws, Token } from 'aws-cdk-lib/core';
import { Jsonata } from './jsonata';
import type { JsonObject } from '../asl';
import { AwsLimits } from '../asl/limits';


/** Where an ItemReader's object is and how many items to read. */
export interface ItemReaderLocation {
  /**
   * The bucket. Give this or `bucketName`.
   * @default - `bucketName`
   */
  readonly bucket?: s3.IBucket;
  /**
   * The bucket's name, when the bucket is not in the app: a name, `JsonPath.stringAt('$.bucket')`
   * (JSONPath) or `'{% $states.input.bucket %}'` (JSONata). The role may then read any bucket.
   * @default - `bucket`
   */
  readonly bucketName?: string;
  /** The object's key; a `JsonPath.stringAt(...)` or `{% %}` expression may compute it. */
  readonly key: string;
  /**
   * Read at most this many items (ReaderConfig.MaxItems, up to 100,000,000);
   * `Jsonata.number(...)` in a JSONata Map.
   * @default - every item
   */
  readonly maxItems?: number;
}

/** Props of {@link ItemReader.json}. */
export interface JsonItemReaderProps extends ItemReaderLocation {
  /**
   * A JSON Pointer (RFC 6901) to the array of items inside the object, e.g. `/data/orders`
   * (ReaderConfig.ItemsPointer), for a file whose items are not its top-level array.
   * @default - the object is the array
   */
  readonly itemsPointer?: string;
}

/** Props of {@link ItemReader.csv}. */
export interface CsvItemReaderProps extends ItemReaderLocation {
  /** Column names: the first row, or given. @default CsvHeaders.useFirstRow() */
  readonly headers?: sfn.CsvHeaders;
  /** Field separator (ReaderConfig.CSVDelimiter). @default CsvDelimiter.COMMA */
  readonly delimiter?: sfn.CsvDelimiter;
}

/** The format of the files an Athena manifest lists. */
export enum AthenaDataFormat {
  /** CSV files (headers on their first row). */
  CSV = 'CSV',
  /** JSON Lines files. */
  JSONL = 'JSONL',
  /** Parquet files. */
  PARQUET = 'PARQUET',
}

/** Props of {@link ItemReader.athenaManifest}. */
export interface AthenaManifestItemReaderProps extends ItemReaderLocation {
  /** The format of the data files the manifest lists. */
  readonly format: AthenaDataFormat;
}

/** A field of an ItemReader AWS would refuse, found when it was made. @internal */
export interface ReaderProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Item readers of a Distributed Map over S3 objects, with every ReaderConfig field AWS accepts:
 * JSON with `ItemsPointer`, JSON Lines, CSV with `CSVDelimiter`, Parquet, an S3 Inventory
 * manifest and an Athena data manifest. Pass one to {@link Map.distributed} as `itemReader`; the
 * Map checks it when it is made (a field AWS would refuse fails synth and names the field), and
 * the state machine's role gets `s3:GetObject` on the bucket.
 *
 * @example
 * Map.distributed(this, 'Import', {
 *   itemProcessor: importRow,
 *   itemReader: ItemReader.json({ bucket, key: 'export.json', itemsPointer: '/data/orders' }),
 * });
 */
export class ItemReader implements sfn.IItemReader {
  /** A JSON file whose items are its top-level array, or the array `itemsPointer` points to. */
  public static json(props: JsonItemReaderProps): ItemReader {
    const problems: ReaderProblem[] = [];
    const pointer = props.itemsPointer;
    if (pointer !== undefined && !Token.isUnresolved(pointer) && !(pointer === '' || /^\/([^~]|~[01])*$/.test(pointer))) {
      problems.push({
        field: 'itemReader.itemsPointer',
        message: `ItemsPointer '${pointer}' is not a JSON Pointer (RFC 6901): it starts with '/' and writes '~' as '~0' and '/' in a name as '~1', e.g. '/data/orders'`,
      });
    }
    return new ItemReader(props, { InputType: 'JSON', ...(pointer !== undefined ? { ItemsPointer: pointer } : {}) }, problems);
  }

  /** A JSON Lines file: one item per line. */
  public static jsonl(props: ItemReaderLocation): ItemReader {
    return new ItemReader(props, { InputType: 'JSONL' });
  }

  /** A CSV file: one item per row, an object keyed by the column names. */
  public static csv(props: CsvItemReaderProps): ItemReader {
    const headers = props.headers ?? sfn.CsvHeaders.useFirstRow();
    const problems: ReaderProblem[] = [];
    if (headers.headerLocation === sfn.CsvHeaderLocation.GIVEN && (headers.headers ?? []).length === 0) {
      problems.push({ field: 'itemReader.headers', message: 'CsvHeaders.use() needs at least one column name (CSVHeaders), or use CsvHeaders.useFirstRow()' });
    }
    return new ItemReader(props, {
      InputType: 'CSV',
      CSVHeaderLocation: headers.headerLocation,
      ...(headers.headers ? { CSVHeaders: headers.headers } : {}),
      ...(props.delimiter ? { CSVDelimiter: props.delimiter } : {}),
    }, problems);
  }

  /** A Parquet file: one item per row. */
  public static parquet(props: ItemReaderLocation): ItemReader {
    return new ItemReader(props, { InputType: 'PARQUET' });
  }

  /** An S3 Inventory manifest (`manifest.json`): one item per object the inventory lists. */
  public static s3InventoryManifest(props: ItemReaderLocation): ItemReader {
    return new ItemReader(props, { InputType: 'MANIFEST' });
  }

  /** An Athena data manifest (UNLOAD's `-manifest.csv`): the items of the data files it lists. */
  public static athenaManifest(props: AthenaManifestItemReaderProps): ItemReader {
    return new ItemReader(props, { ManifestType: 'ATHENA_DATA', InputType: props.format });
  }

  /** The Amazon S3 API action the Map calls to read the items. */
  public readonly resource: string;
  /** @internal */ public readonly problems: readonly ReaderProblem[];
  /** Limit on the items read. */
  public readonly maxItems?: number;
  /** The bucket's name as a JSONPath or JSONata value, when no bucket construct is given. */
  public readonly bucketNamePath?: string;
  private readonly location: ItemReaderLocation;
  private readonly config: JsonObject;

  private constructor(location: ItemReaderLocation, config: JsonObject, problems: ReaderProblem[] = []) {
    this.location = location;
    this.config = config;
    this.maxItems = location.maxItems;
    this.bucketNamePath = location.bucket === undefined ? location.bucketName : undefined;
    this.resource = Arn.format({ region: '', account: '', partition: Aws.PARTITION, service: 'states', resource: 's3', resourceName: 'getObject', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const all = [...problems];
    if ((location.bucket === undefined) === (location.bucketName === undefined)) {
      all.push({ field: 'itemReader.bucket', message: 'give exactly one of bucket (an s3.IBucket) and bucketName' });
    }
    if (!Token.isUnresolved(location.key) && location.key.length === 0) all.push({ field: 'itemReader.key', message: 'the object key is empty' });
    const max = location.maxItems;
    if (max !== undefined && !Token.isUnresolved(max) && !(Number.isInteger(max) && max >= 0 && max <= AwsLimits.MAX_ITEMS)) {
      all.push({ field: 'itemReader.maxItems', message: `MaxItems must be a whole number from 0 to ${AwsLimits.MAX_ITEMS.toLocaleString('en-US')}, got ${max}` });
    }
    this.problems = all;
  }

  /** The bucket given to the reader. */
  public get bucket(): s3.IBucket {
    if (this.location.bucket === undefined) throw new Error(`This ItemReader names its bucket by bucketName (${this.location.bucketName}), not by an s3.IBucket`);
    return this.location.bucket;
  }

  /** The ASL of the reader, with Arguments under JSONata and Parameters under JSONPath. */
  public render(queryLanguage?: sfn.QueryLanguage): any {
    const where = { Bucket: this.location.bucket?.bucketName ?? this.location.bucketName, Key: this.location.key };
    const readerConfig = { ...this.config, ...(this.maxItems !== undefined ? { MaxItems: this.maxItems } : {}) };
    return {
      Resource: this.resource,
      ReaderConfig: readerConfig,
      ...(queryLanguage === sfn.QueryLanguage.JSONATA ? { Arguments: where } : { Parameters: sfn.FieldUtils.renderObject(where) }),
    };
  }

  /** `s3:GetObject` on the bucket's objects (any bucket's when it is named by an expression). */
  public providePolicyStatements(): iam.PolicyStatement[] {
    const name = this.location.bucket?.bucketName ?? this.location.bucketName;
    const fixed = name !== undefined && !Token.isUnresolved(name) && Jsonata.expressionOf(name) === undefined && !name.startsWith('$') ? name : undefined;
    const bucketName = this.location.bucket?.bucketName ?? fixed;
    const resource = bucketName !== undefined
      ? Arn.format({ region: '', account: '', partition: Aws.PARTITION, service: 's3', resource: bucketName, resourceName: '*' })
      : '*';
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resource] })];
  }

  /** The problems aws-cdk-lib asks a reader for; stepwright's Map reports them as BuilderValidationErrors instead. */
  public validateItemReader(): string[] {
    return [];
  }
}
