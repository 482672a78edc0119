import type { RunningServer } from 'stepwright/server';

export default async function teardown(): Promise<void> {
  await (globalThis as { sfnServer?: RunningServer }).sfnServer?.close();
}
