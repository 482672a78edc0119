#!/usr/bin/env node
import { main } from './cli';

main(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Only a bug in stepwright gets here; bad input is reported by main() itself.
    process.stderr.write(`stepwright: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
