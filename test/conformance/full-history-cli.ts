import { scoreFullHistory } from './full-history';
import { scoreKeyOrder } from './output-order';

/*
 * Prints, for the cases in the directory given (argv[2]), the full-history score and the
 * key-order score of outputs and Task inputs as one JSON line, for check.mjs:
 * `node -r ./test/server/fixtures/register-ts.js test/conformance/full-history-cli.ts <cases>`.
 */
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: full-history-cli.ts <conformance cases directory>\n');
  process.exit(2);
}
(async () => {
  const { total, matched, share, misses } = await scoreFullHistory(dir);
  const keyOrder = await scoreKeyOrder(dir);
  process.stdout.write(`${JSON.stringify({ total, matched, share, misses, keyOrder })}\n`);
})().catch((e: unknown) => {
  process.stderr.write(`full history: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
