import { definitionId } from './definition-id';
import type { MachineCoverage } from './model';

/** A coverage report cannot be matched to the machine being drawn. */
export class CoverageSelectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoverageSelectError';
  }
}

/**
 * The entry of a coverage report (`stepwright-coverage.json`, as the
 * reporter writes it) that belongs to `definition`: the one with the
 * definition's id, else the one named `name`, else the only one.
 * @internal
 */
export function coverageFor(report: unknown, definition: object, name?: string): MachineCoverage {
  const machines = (report as { machines?: unknown } | null)?.machines;
  if (!Array.isArray(machines)) throw new CoverageSelectError('not a stepwright coverage report: expected { "machines": [...] } as the coverage reporter writes it');
  const list = machines as MachineCoverage[];
  const id = definitionId(definition);
  const found = list.find((m) => m?.id === id)
    ?? (name !== undefined ? list.find((m) => m?.name === name) : undefined)
    ?? (list.length === 1 ? list[0] : undefined);
  if (found) return found;
  const known = list.map((m) => `${m?.name ?? '(unnamed)'} (${m?.id})`).join(', ') || 'none';
  throw new CoverageSelectError(`no coverage for this state machine (id ${id}${name !== undefined ? `, name '${name}'` : ''}) in the report; it has: ${known}`);
}
