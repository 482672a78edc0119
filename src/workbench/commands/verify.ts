import type { JsonObject, JsonValue } from '../../asl';
import { Property, type PathProperty, type VerifyReport } from '../../explore';
import type { ExecutionStatus } from '../../interpreter';

import { CommandInputError } from '../common/command-errors';

/** What a property that does not fit the machine throws, for the doors that name it. @internal */
export { PropertyError } from '../../explore';

/** The limits of a property module's thread, and its host. @internal */
export { PropertyThread, PROPERTY_LIMITS, type PropertyLimits } from './property-host';

/**
 * A verify report as `stepwright verify --json` prints it and the MCP `verify` tool answers it:
 * one object keyed by property name, each with its verdict, what it asks, why, and for VIOLATED
 * the counterexample (`input` and `mocks` that `stepwright run --input … --mocks …` reproduces).
 * @internal
 */
export function verifyJson(report: VerifyReport): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of Object.entries(report.properties)) {
    const c = p.counterexample;
    out[name] = {
      verdict: p.verdict,
      property: p.property,
      reason: p.reason,
      ...(c ? {
        counterexample: {
          input: c.input,
          mocks: c.mocks,
          path: [...c.path],
          status: c.status,
          ...(c.error !== undefined ? { error: c.error } : {}),
          minimized: { ...c.minimized },
        },
      } : {}),
    };
  }
  return out;
}

/**
 * A path property written as JSON, one field naming its kind, as the MCP `verify` tool takes it
 * (its schema checks the shapes): `{"never": "Ship"}`, `{"leadsTo": ["A", ["B", "C"]]}`.
 * @internal
 */
export interface PathPropertyJson {
  readonly never?: string;
  readonly leadsTo?: readonly [string, string | readonly string[]];
  readonly precedes?: readonly [string, string];
  readonly atMost?: readonly [string, number];
  readonly endsWith?: { readonly statuses?: readonly ExecutionStatus[]; readonly errors?: readonly string[] };
  readonly maxTransitions?: number;
  readonly maxSeconds?: number;
}

/**
 * The property a JSON one stands for, built with {@link Property} as a test builds it.
 * @throws CommandInputError when it names no kind
 * @internal
 */
export function propertyFromJson(name: string, p: PathPropertyJson): PathProperty {
  if (p.never !== undefined) return Property.never(p.never);
  if (p.leadsTo !== undefined) return Property.leadsTo(p.leadsTo[0], p.leadsTo[1]);
  if (p.precedes !== undefined) return Property.precedes(p.precedes[0], p.precedes[1]);
  if (p.atMost !== undefined) return Property.atMost(p.atMost[0], p.atMost[1]);
  if (p.endsWith !== undefined) return Property.endsWith(p.endsWith);
  if (p.maxTransitions !== undefined) return Property.maxTransitions(p.maxTransitions);
  if (p.maxSeconds !== undefined) return Property.maxSeconds(p.maxSeconds);
  throw new CommandInputError(`property '${name}' names no kind: give one of never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds`);
}
