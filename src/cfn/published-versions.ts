/**
 * The version numbers an account has handed out, across several synthesized
 * templates: a test that loads the template of each deploy in turn with the
 * same `PublishedVersions` sees numbers as AWS would give them. A Lambda or
 * state machine version resource that keeps its logical id from one deploy to
 * the next (nothing changed) keeps its number; a new one gets the next
 * number of its function or state machine.
 *
 * Without it, versions are numbered from 1 in each template.
 *
 * @example
 * const published = new PublishedVersions();
 * const before = Workflow.fromStack(stackV1, { alias: 'live', publishedVersions: published }); // Lambda :1, machine :1
 * const after = Workflow.fromStack(stackV2, { alias: 'live', publishedVersions: published });  // Lambda :2, machine :2
 */
export class PublishedVersions {
  private readonly numbers = new Map<string, Map<string, number>>();

  /**
   * The number of a version resource, publishing every version of the group
   * that this template declares and that has no number yet, in template order.
   * @param group what the versions are versions of, e.g. `AWS::Lambda::Version function:charge`
   * @param declared logical ids of the group's version resources in this template, in template order
   * @internal
   */
  public numberOf(group: string, declared: readonly string[], logicalId: string): number {
    let known = this.numbers.get(group);
    if (!known) {
      known = new Map();
      this.numbers.set(group, known);
    }
    for (const id of declared) {
      if (!known.has(id)) known.set(id, known.size + 1);
    }
    return known.get(logicalId) ?? known.size + 1;
  }

  /** The numbers given so far, by group and logical id, for messages and debugging. */
  public toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.numbers].map(([group, ids]) => [group, Object.fromEntries(ids)]));
  }
}
