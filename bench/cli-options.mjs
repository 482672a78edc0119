// What the benchmarks read from their command line: `--help` (answerHelp), `--<name> <value>`
// options, the words left after them (commandLine), and the compiled CLI they spawn (`--lib <dir>`,
// default this checkout's lib/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * With `--help` or `-h` among the words after the script, prints the comment at the head of the
 * script that was run (what it measures and its usage line) and exits 0, before the bench starts
 * any work or reads any other word as a path.
 */
export function answerHelp() {
  const words = process.argv.slice(2);
  if (!words.includes('--help') && !words.includes('-h')) return;
  const script = process.argv[1];
  const head = [];
  for (const line of fs.readFileSync(script, 'utf8').split('\n')) {
    if (line.startsWith('#!')) continue;
    if (!line.startsWith('//')) break;
    head.push(line.replace(/^\/\/ ?/, ''));
  }
  process.stdout.write(`${head.length > 0 ? head.join('\n') : `node bench/${path.basename(script)}`}\n`);
  process.exit(0);
}

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
