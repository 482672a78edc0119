import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringLiteral } from './literal';

/**
 * The kind of file a scaffolded test file is:
 * - `'typescript'`: TypeScript (`.ts`, `.cts`), as jest's TypeScript transform and vitest read it;
 *   its folder is `__dirname`, which jest's CommonJS output and vitest both give;
 * - `'typescript-module'`: TypeScript as an ES module (`.mts`), which Node, tsc and jest read as
 *   one whatever the project says: its folder read from `import.meta.url`, as an ES module has no
 *   `__dirname`;
 * - `'commonjs'`: plain JavaScript that `require()`s (`.js`, `.cjs`), which jest runs as it is
 *   under a config that transforms only TypeScript (the README's);
 * - `'module'`: plain JavaScript as an ES module that `import`s (`.mjs`, or `.js` in a project
 *   whose package.json says `"type": "module"`, or for vitest), its folder read from
 *   `import.meta.url`.
 */
export type TestFileFormat = 'typescript' | 'typescript-module' | 'commonjs' | 'module';

/** The name an ES module test file gives its own folder (`__dirname` is a CommonJS name, and vitest declares it). */
const MODULE_FOLDER = 'testDir';

/** Whether a file of `format` is TypeScript, and so writes types. @internal */
export function isTypeScript(format: TestFileFormat | undefined): boolean {
  return format === undefined || format === 'typescript' || format === 'typescript-module';
}

/** Whether a file of `format` is an ES module (no `__dirname`, no `require`). @internal */
export function isModule(format: TestFileFormat | undefined): boolean {
  return format === 'module' || format === 'typescript-module';
}

/** The expression a file of `format` names its own folder with. @internal */
export function fileFolder(format: TestFileFormat | undefined): string {
  return isModule(format) ? MODULE_FOLDER : '__dirname';
}

/** `import * as path from 'path';` as a file of `format` writes it. */
const QUOTED = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
const IMPORT_ALL = new RegExp(String.raw`^import \* as ([A-Za-z_$][\w$]*) from ${QUOTED};$`);
const IMPORT_NAMES = new RegExp(String.raw`^import (\{ [^}]* \}) from ${QUOTED};$`);
const IMPORT_ONLY = new RegExp(String.raw`^import ${QUOTED};$`);

/**
 * The import lines of a file (as the scaffold writes them, each one import on one line) as a
 * file of `format` writes them: as they are in TypeScript (an ES module's followed by the line that
 * names its folder); without the type-only ones in JavaScript, as `require()` calls in CommonJS, and in an ES module followed by the line that
 * names the file's folder when the file resolves paths.
 * @internal
 */
export function moduleImports(lines: readonly string[], format: TestFileFormat | undefined): string[] {
  if (format === undefined || format === 'typescript') return [...lines];
  const values = format === 'typescript-module' ? [...lines] : lines.filter((l) => !l.startsWith('import type '));
  if (isModule(format)) {
    return values.some((l) => l === "import * as path from 'path';")
      ? [...values, "import { fileURLToPath } from 'url';", `const ${MODULE_FOLDER} = path.dirname(fileURLToPath(import.meta.url));`]
      : values;
  }
  return values.map((l) => {
    const all = IMPORT_ALL.exec(l);
    if (all) return `const ${all[1]} = require(${all[2]});`;
    const names = IMPORT_NAMES.exec(l);
    if (names) return `const ${names[1]} = require(${names[2]});`;
    const only = IMPORT_ONLY.exec(l);
    if (only) return `require(${only[1]});`;
    throw new TypeError(`scaffold: no CommonJS form for the import line ${JSON.stringify(l)}`);
  });
}

/**
 * The specifier an ES module imports `module` by: a path relative to the test file's folder
 * ('/'-separated) as `./x.js` or `../x.js`, an absolute one as its file URL.
 * @internal
 */
export function importSpecifier(module: string): string {
  if (path.isAbsolute(module)) return stringLiteral(pathToFileURL(module).href);
  return stringLiteral(module.startsWith('./') || module.startsWith('../') ? module : `./${module}`);
}
