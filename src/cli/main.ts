#!/usr/bin/env node
// First: the modules imported after it are compiled with the build's code cache (start-cache.ts).
import './use-start-cache';
import { main } from './cli';

// `stepwright run … | head -1`: the reader has what it wanted and closed the pipe. The next write
// fails with EPIPE, which Node raises as an unhandled 'error' (a stack trace on stderr). A closed
// output ends the command quietly, as SIGPIPE ends a Unix tool: with the command's own exit code
// when it has just finished (its result is settled after this turn), else 0 (serve, mcp).
let closed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // Once closed, later writes fail too (EPIPE, or the stream destroyed): nothing to add.
    if (closed) return;
    if (err.code !== 'EPIPE') throw err;
    closed = true;
    setImmediate(() => process.exit(process.exitCode ?? 0));
  });
}

// `stepwright verify` loads the user's property module into this process: a timer or a socket it
// leaves open would keep the command alive after its report. It ends once its output is written.
const loadsUserCode = process.argv[2] === 'verify';
function endOnceWritten(): void {
  let pending = 2;
  const written = (): void => { if (--pending === 0) process.exit(); };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

main(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => {
    process.exitCode = code;
    if (loadsUserCode) endOnceWritten();
  },
  (err: unknown) => {
    // Only a bug in stepwright gets here; bad input is reported by main() itself.
    process.stderr.write(`stepwright: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 3;
    if (loadsUserCode) endOnceWritten();
  },
);
