import type { Finding } from './codes';
import type { QueryLanguage } from '../definition-types';

/**
 * What a finding is about, as facts rather than words: the field, the value,
 * the object that holds it. The validator words its findings for the people
 * fixing a definition; the API edge (`stepwright serve`) words the same facts
 * as AWS's ValidateStateMachineDefinition and CreateStateMachine do, by kind,
 * so every finding of one kind is answered alike.
 *
 * Pointers here are JSON pointers (RFC 6901), like a finding's location.
 * @internal
 */
export type FindingKind =
  /** The object at the finding's location lacks a field it must have (one finding per field). */
  | { readonly kind: 'required-field'; readonly field: string }
  /** `field` is not a field of the object at `object`. */
  | { readonly kind: 'unsupported-field'; readonly field: string; readonly object: string }
  /** `field` of the state at `object` belongs to the other query language than the state's `language`. */
  | { readonly kind: 'other-language-field'; readonly field: string; readonly language: QueryLanguage; readonly object: string }
  /** The state at `object` sets QueryLanguage JSONPath in a machine whose QueryLanguage is JSONata. */
  | { readonly kind: 'language-downgrade'; readonly object: string }
  /** The value at the finding's location is not of the JSON type the field takes. */
  | { readonly kind: 'wrong-type'; readonly expected: 'STRING' | 'BOOLEAN' | 'OBJECT' }
  /** The value at the finding's location is not one of `values`. */
  | { readonly kind: 'not-one-of'; readonly values: readonly string[] }
  /**
   * The number at the finding's location is below the field's least value or above its
   * greatest (`limit`); `decimal` for a field that takes any number, not only integers.
   */
  | { readonly kind: 'out-of-range'; readonly bound: 'minimum' | 'maximum'; readonly limit: number; readonly decimal: boolean }
  /** A Task's Resource is not an ARN (in a definition whose substitutions are made, a `${Name}` left in it is not). */
  | { readonly kind: 'not-an-arn' }
  /** A state's Type names no state type. */
  | { readonly kind: 'unknown-state-type' }
  /** StartAt, Next, Default or a catcher's Next names `target`, which is no state of its scope. */
  | { readonly kind: 'missing-target'; readonly target: string }
  /** Nothing leads to the state named `state`. */
  | { readonly kind: 'unreachable-state'; readonly state: string }
  /** No state of the top-level machine ends the execution. */
  | { readonly kind: 'no-terminal-state' }
  /** An EXPRESS machine's Task uses an activity, `.sync` (or `.sync:2`) or `.waitForTaskToken`. */
  | { readonly kind: 'express-unsupported'; readonly feature: 'activity' | '.sync' | '.waitForTaskToken' }
  /** A Task's Headers (at the finding's location, its Parameters or Arguments) name headers its integration does not send, lower case. */
  | { readonly kind: 'unsupported-headers'; readonly names: readonly string[] }
  /** The value of `field` (whose name ends in `.$`) is neither a JSONPath nor an intrinsic function call. */
  | { readonly kind: 'dynamic-value'; readonly field: string }
  /** A `{% %}` expression does not parse; `parser` is the JSONata parser's own message. */
  | { readonly kind: 'jsonata-syntax'; readonly parser: string }
  /**
   * A JSONata expression reads what Step Functions does not offer: `name` at
   * the top level (`$` for the context item), the root `$$`, or
   * `$states.errorOutput` outside a Catch.
   */
  | { readonly kind: 'jsonata-reference'; readonly reference: 'name' | 'root' | 'errorOutput'; readonly name: string };

/**
 * The kind of each finding that has one, kept beside the finding rather than
 * in it: a finding's public shape stays its four fields (what `stepwright
 * validate --json` prints), and a finding made or copied elsewhere simply has
 * no kind.
 */
const KINDS = new WeakMap<Finding, FindingKind>();

/** Records the kind of a finding and returns the finding. @internal */
export function withKind(finding: Finding, kind: FindingKind): Finding {
  KINDS.set(finding, kind);
  return finding;
}

/** The kind of a finding of the validator, or undefined for one it gave no kind. @internal */
export function kindOf(finding: Finding): FindingKind | undefined {
  return KINDS.get(finding);
}
