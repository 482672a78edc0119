import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/**
 * The folder of stepwright's package.json, found upwards from this module: the same folder whether
 * the code runs from src/, from tsc's lib/ or from the bundle of the entry points (lib/entry), so
 * a path into the package does not depend on how deep the file asking for it sits.
 * @internal
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  root = dir;
  return root;
}

/**
 * stepwright's version, from the package.json at {@link packageRoot}: what `--version`, MCP's
 * server info and LocalStack's health endpoint report. `'unknown'` when the file cannot be read.
 * @internal
 */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
