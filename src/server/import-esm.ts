/*
 * import() of a user's ES module (a handlers module require() refuses), kept out of reach of the
 * CommonJS compilation, which would turn it into require(). A module of its own: the code cache of
 * serve's start (src/cli/start-cache.ts) compiles modules with vm, whose scripts have no loader for
 * import() on node 20, so it leaves a module that may import() to node's loader, and this one is
 * the only module of serve's start that does.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Imports the ES module at `url` (a file: URL), as `import(url)` in an ES module would. @internal */
export function importEsm(url: string): Promise<unknown> {
  return importModule(url);
}
