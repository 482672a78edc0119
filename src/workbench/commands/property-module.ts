import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CommandInputError } from '../common/command-errors';

/*
 * `stepwright verify --property <module>`: the module (CommonJS or ES) exports its properties by
 * name, each a property built with `Property` (plain data: `{ kind: 'never', state: 'Ship' }`)
 * or a function of the run. It is loaded in the thread that calls its functions
 * (property-thread.ts), never in verify's own: its code may loop, allocate or exit.
 */

/**
 * The most properties one module may export. verify searches the runs for every property, and its
 * report holds a verdict and a reason for each: a module of 200,000 generated exports took seconds
 * and hundreds of MiB before its first run. Hand-written modules hold a few dozen.
 * @internal
 */
export const MODULE_PROPERTY_LIMIT = 1_000;

/** What `--property` takes, for a user who gave something else. */
const MODULE_FORM = '--property takes the path of a CommonJS or ES module that exports each property by name: '
  + "a path property (const { Property } = require('stepwright/testing'); exports.shipped = Property.never('Cancelled')) "
  + 'or a function of the run (exports.succeeds = (run) => run.status === \'SUCCEEDED\'); docs/verify.md shows both';

/**
 * Loads a property module: its exports by name (those of `default` when it is the only export).
 * @throws CommandInputError when the file is not a regular file, cannot be loaded, exports nothing
 * or more than {@link MODULE_PROPERTY_LIMIT} properties
 * @internal
 */
export async function loadPropertyModule(file: string): Promise<Array<[string, unknown]>> {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A first-time user writes the property itself (`--property 'status = "SUCCEEDED"'`): say what the option takes.
    const what = code === 'ENOENT' || code === 'ENAMETOOLONG' ? `no such file. ${MODULE_FORM}` : code ?? (e as Error).message;
    throw new CommandInputError(`cannot read the property module ${file}: ${what}`);
  }
  if (!stat.isFile()) throw new CommandInputError(`the property module ${file} is not a regular file`);
  // What a user's module exports may be anything (an object, a function, a number): read as it is found.
  let mod: unknown;
  // An ES module is import()ed, kept out of reach of the CommonJS compilation, which would turn it into require().
  // Node loads no TypeScript: a module that fails to load for that is told so, one that loads (a
  // loader registered for .ts) is taken as it is.
  const hint = /\.[cm]?ts$/.test(abs) ? ' (a TypeScript module: compile it to .js or .mjs, or write the properties in JavaScript)' : '';
  const importModule = async (): Promise<unknown> => {
    const load = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;
    try {
      return await load(pathToFileURL(abs).href);
    } catch (err) {
      throw new CommandInputError(`cannot load the property module ${file}: ${thrownText(err)}${syntaxPlace(err, abs, file)}${hint}`);
    }
  };
  if (path.extname(abs) === '.mjs') {
    mod = await importModule();
  } else {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, CommonJS first
      mod = require(abs);
    } catch (e) {
      // A module may throw anything at all (`throw null`): only an Error carries a code.
      const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') {
        throw new CommandInputError(`cannot load the property module ${file}: ${thrownText(e)}${syntaxPlace(e, abs, file)}${hint}`);
      }
      mod = await importModule();
    }
  }
  let named: Array<[string, unknown]>;
  let fallback: unknown;
  let entries: Array<[string, unknown]>;
  try {
    // A getter among the exports runs the module's code: what it throws is the module's error.
    named = exportsOf(mod).filter(([k]) => k !== 'default' && k !== '__esModule');
    fallback = isModule(mod) && 'default' in mod ? mod.default : undefined;
    entries = named.length === 0 && fallback !== null && typeof fallback === 'object' ? exportsOf(fallback) : named;
  } catch (e) {
    throw new CommandInputError(`cannot read the exports of the property module ${file}: ${thrownText(e)}`);
  }
  if (entries.length === 0 && (typeof fallback === 'function' || typeof mod === 'function')) {
    throw new CommandInputError(`the property module ${file} exports only a function, with no name: verify reports each property by its name, so export it by one, e.g. export const succeeds = (run) => run.status === 'SUCCEEDED'`);
  }
  if (entries.length === 0) {
    throw new CommandInputError(`the property module ${file} exports no property: export each by name, e.g. exports.chargesOnce = { kind: 'atMost', state: 'Charge', times: 1 }`);
  }
  if (entries.length > MODULE_PROPERTY_LIMIT) {
    throw new CommandInputError(`the property module ${file} exports ${entries.length} properties; verify takes at most ${MODULE_PROPERTY_LIMIT} `
      + `from one module, since it searches the runs for each: split them into modules of at most ${MODULE_PROPERTY_LIMIT} and verify each`);
  }
  return entries;
}

/**
 * What a value the module's code threw says, never throwing itself: an Error's message, else the
 * value as text. The user's code may throw anything, and reading or printing some values runs
 * more of it (a getter, a Proxy's trap, a `toString` that throws) or fails (an object with no
 * prototype has no `toString`).
 * @internal
 */
export function thrownText(e: unknown): string {
  try {
    if (e instanceof Error) return String(e.message);
  } catch {
    // Read as any other value below.
  }
  try {
    return String(e);
  } catch {
    // Nor printable as it is.
  }
  try {
    return Object.prototype.toString.call(e);
  } catch {
    return 'a value that cannot be printed';
  }
}

/**
 * Where a syntax error is, as node names it on its stack's first line (`/app/x.properties.js:3`,
 * or a `file:` URL): ` (at x.properties.js:3)`, the module named as the user gave it, or the file
 * it requires where the error is there. Nothing for any other error, nor for an ES module's, whose
 * stack node 20 gives no place.
 */
function syntaxPlace(e: unknown, abs: string, file: string): string {
  if (!(e instanceof SyntaxError) || typeof e.stack !== 'string') return '';
  const at = /^(.+):(\d+)$/.exec(e.stack.split('\n', 1)[0]);
  if (at === null) return '';
  let where = at[1];
  if (where.startsWith('file://')) {
    try {
      where = fileURLToPath(where);
    } catch {
      return '';
    }
  }
  if (!path.isAbsolute(where)) return '';
  return ` (at ${where === abs ? file : where}:${at[2]})`;
}

/** True for what can hold exports by name: an object or a function. */
function isModule(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** A module's own exports by name; none for a value that cannot hold any (`module.exports = null`). */
function exportsOf(value: unknown): Array<[string, unknown]> {
  return isModule(value) ? Object.entries(value) : [];
}
