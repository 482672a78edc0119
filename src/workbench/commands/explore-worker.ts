/*
 * A worker thread of `stepwright explore --jobs` (see explore-machines.ts): it explores one
 * machine per message and answers with the outcome. The sources it reads stay loaded for the
 * next machine of the same source.
 */
import { parentPort } from 'node:worker_threads';
import { exploreJob, type ExploreJob } from './explore-machines';
import type { LoadedMachine } from './sources';

const port = parentPort!;
const loaded = new Map<string, LoadedMachine[]>();

port.on('message', (job: ExploreJob) => {
  void exploreJob(job, loaded).then((outcome) => port.postMessage(outcome));
});
