/*
 * A worker thread of serve's console (see diagram.ts): it lays out the diagram of one large
 * definition per message, which takes seconds for thousands of states, while serve goes on
 * answering. It answers with the SVG and the state of each container cluster, or with render's
 * refusal.
 */
import { parentPort } from 'node:worker_threads';
import { drawDiagram, type LayoutJob } from './layout';

const port = parentPort!;

port.on('message', (job: LayoutJob) => {
  port.postMessage(drawDiagram(job));
});
