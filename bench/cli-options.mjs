// What the benchmarks read from their command line: `--<name> <value>` options, the words left
// after them (commandLine), and the compiled CLI they spawn (`--lib <dir>`, default this checkout's lib/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The value after `--<name>`, or `fallback`. */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

/**
 * The words after the script, less a `--` (`npx projen bench:explore -- --json out.json` passes it
 * on), and `flag`, which takes `<name> <value>` out of them (or gives `fallback`), so that what is
 * left once every option is read is the positional words.
 */
export function commandLine() {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const flag = (name, fallback) => {
    const i = argv.indexOf(name);
    if (i < 0) return fallback;
    const v = argv[i + 1];
    argv.splice(i, 2);
    return v;
  };
  return { argv, flag };
}

/** lib/cli/main.js of `--lib` (default ../lib); exits 2 naming the bench when it is not built. */
export function cliMain(bench) {
  const lib = path.resolve(option('lib', path.join(here, '..', 'lib')));
  const main = path.join(lib, 'cli', 'main.js');
  if (!fs.existsSync(main)) {
    console.error(`bench/${bench}: ${main} is missing; run \`npx projen compile\` or pass --lib <dir>`);
    process.exit(2);
  }
  return { lib, main };
}
