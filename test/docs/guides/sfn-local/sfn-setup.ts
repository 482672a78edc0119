// jest.config.js: { globalSetup: './test/sfn-setup.ts', globalTeardown: './test/sfn-teardown.ts' }
// In place of the amazon/aws-stepfunctions-local container: the same API, in this process.
import * as path from 'node:path';
import { startServer, type RunningServer } from 'stepwright/server';

export default async function setup(): Promise<void> {
  const server = await startServer({
    port: 0, // a free port, as testcontainers mapped 8083 to one
    mockConfig: path.join(__dirname, 'MockConfigFile.json'), // read again whenever a test rewrites it
    timeScale: 100, // retry back-offs and waits 100 times faster; histories still show them in full
  });
  (globalThis as { sfnServer?: RunningServer }).sfnServer = server;
  process.env.SFN_ENDPOINT = server.endpoint; // the tests build their SFNClient from it
}
