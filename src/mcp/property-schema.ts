import { z } from 'zod';
import { AwsLimits } from '../asl/limits';

/* The verify tool's path properties as JSON, checked by their schema. */

/** A state a property names: AWS's state names are 1 to 80 characters. */
const propertyState = z.string().min(1).max(AwsLimits.NAME_CHARS);
/** The kinds of a path property, as the verify tool takes them. */
const PROPERTY_KINDS = ['never', 'leadsTo', 'precedes', 'atMost', 'endsWith', 'maxTransitions', 'maxSeconds'] as const;

/**
 * A path property as JSON, one field naming its kind: what `Property.never('Ship')` is to a test,
 * `{"never": "Ship"}` is to the verify tool (a function of the run cannot cross MCP).
 * @internal
 */
export const pathProperty = z.strictObject({
  never: propertyState.optional().describe('The state is never entered: {"never": "Ship"}'),
  leadsTo: z.tuple([propertyState, z.union([propertyState, z.array(propertyState).min(1).max(100)])]).optional()
    .describe('Every time the first state is entered, one of the others is entered after it, before the run ends: {"leadsTo": ["Charge", ["Ship", "Refund"]]}'),
  precedes: z.tuple([propertyState, propertyState]).optional()
    .describe('The second state is entered only after the first: {"precedes": ["Reserve", "Charge"]}'),
  atMost: z.tuple([propertyState, z.number().int().min(0).max(1_000_000)]).optional()
    .describe('The state is entered at most n times in one run: {"atMost": ["Charge", 1]}'),
  endsWith: z.strictObject({
    statuses: z.array(z.enum(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'])).min(1).max(4).optional(),
    errors: z.array(z.string().min(1).max(AwsLimits.ERROR_CHARS)).max(100).optional(),
  }).optional().describe('The run ends with one of statuses, and when it has an error, with one of errors: {"endsWith": {"statuses": ["SUCCEEDED"]}}'),
  maxTransitions: z.number().int().min(1).max(1_000_000_000).optional().describe('A run enters at most n states: {"maxTransitions": 200}'),
  maxSeconds: z.number().min(0).max(AwsLimits.STANDARD_DURATION_SECONDS).optional().describe('A run lasts at most n seconds on its virtual clock: {"maxSeconds": 300}'),
}).refine((p) => PROPERTY_KINDS.filter((k) => p[k] !== undefined).length === 1, {
  message: `give exactly one of ${PROPERTY_KINDS.join(', ')}, e.g. {"never": "Ship"}`,
});
