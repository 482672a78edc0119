import { scoreFullHistory } from './full-history';

/*
 * Prints the full-history score of the cases in the directory given (argv[2]) as one JSON line,
 * for check.mjs: `node -r ts-node/register/transpile-only test/conformance/full-history-cli.ts <cases>`.
 */
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: full-history-cli.ts <conformance cases directory>\n');
  process.exit(2);
}
scoreFullHistory(dir).then(({ total, matched, share, misses }) => {
  process.stdout.write(`${JSON.stringify({ total, matched, share, misses })}\n`);
}, (e: unknown) => {
  process.stderr.write(`full history: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
