// Properties of the statements batch: an ES module whose only export is default.
import { Property } from 'stepwright/testing';

export default {
  fanOutEnds: Property.leadsTo('Fan out', ['Summarize', 'Too many failures', 'Bad batch']),
  summarizeOnce: Property.atMost('Summarize', 1),
  knownErrors: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Batch.Failed', 'Batch.Invalid'] }),
  neverBadBatchBeforeFanOut: Property.precedes('Fan out', 'Bad batch'),
  summarizedCountsAll: Property.run((run) => run.status !== 'SUCCEEDED' || typeof run.output.count === 'number', 'a summary counts the statements'),
};
