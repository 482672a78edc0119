/**
 * A shape of the Step Functions service model as serve's request validator reads it (see
 * stepfunctions-model.generated.ts, written by scripts/generate-serve-model.ts from botocore's
 * model): the extract's keys, shortened.
 * @internal
 */
export interface ModelShape {
  /** botocore's type. */
  readonly t: 'structure' | 'list' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  /** A structure's members: name → shape. */
  readonly m?: Readonly<Record<string, string>>;
  /** A structure's required members. */
  readonly r?: readonly string[];
  /** A list's member shape. */
  readonly l?: string;
  /** A string's values. */
  readonly e?: readonly string[];
  /** min and max: a string's length, a number's value, a list's size. */
  readonly n?: number;
  readonly x?: number;
  /** A string's pattern, as the model writes it (Java's syntax). */
  readonly p?: string;
  /** A sensitive value: never repeated in a refusal. */
  readonly s?: 1;
}
