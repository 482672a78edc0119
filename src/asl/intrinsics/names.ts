/**
 * The intrinsic functions' names, as a JSONPath state calls them (`States.Format('{}', $.x)`): the
 * one place they are spelled, for the functions' table and for explore, which reads and inverts
 * calls by name. AWS lists them on "Intrinsic functions for JSONPath in Step Functions".
 * @internal
 */
export const IntrinsicNames = {
  FORMAT: 'States.Format',
  STRING_TO_JSON: 'States.StringToJson',
  JSON_TO_STRING: 'States.JsonToString',
  ARRAY: 'States.Array',
  ARRAY_PARTITION: 'States.ArrayPartition',
  ARRAY_CONTAINS: 'States.ArrayContains',
  ARRAY_RANGE: 'States.ArrayRange',
  ARRAY_GET_ITEM: 'States.ArrayGetItem',
  ARRAY_LENGTH: 'States.ArrayLength',
  ARRAY_UNIQUE: 'States.ArrayUnique',
  BASE64_ENCODE: 'States.Base64Encode',
  BASE64_DECODE: 'States.Base64Decode',
  HASH: 'States.Hash',
  JSON_MERGE: 'States.JsonMerge',
  MATH_RANDOM: 'States.MathRandom',
  MATH_ADD: 'States.MathAdd',
  STRING_SPLIT: 'States.StringSplit',
  UUID: 'States.UUID',
} as const;

/** The name of an intrinsic function. @internal */
export type IntrinsicName = typeof IntrinsicNames[keyof typeof IntrinsicNames];

/** True when a `.$` value is an intrinsic function call rather than a path. @internal */
export function isIntrinsicCall(value: string): boolean {
  return value.startsWith(STATES_PREFIX);
}

/**
 * The prefix of every intrinsic function's name; AWS reserves it for its own error names too
 * (`isStatesErrorName`).
 * @internal
 */
export const STATES_PREFIX = 'States.';
