import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VerifyProperty } from '../../explore';
import { CommandInputError } from '../common/command-errors';
import type { WorkflowRun } from '../workflow';

/*
 * `stepwright verify --property <module>`: the module (CommonJS or ES) exports its properties by
 * name, each a property built with `Property` (plain data: `{ kind: 'never', state: 'Ship' }`)
 * or a function of the run.
 */

/**
 * Loads a property module: its exports by name (those of `default` when it is the only export).
 * @throws CommandInputError when the file is not a regular file, cannot be loaded or exports nothing
 * @internal
 */
export async function loadPropertyModule(file: string): Promise<Record<string, VerifyProperty<WorkflowRun>>> {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    throw new CommandInputError(`cannot read the property module ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!stat.isFile()) throw new CommandInputError(`the property module ${file} is not a regular file`);
  let mod: Record<string, unknown>;
  // An ES module is import()ed, kept out of reach of the CommonJS compilation, which would turn it into require().
  const importModule = async (): Promise<Record<string, unknown>> => {
    const load = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;
    try {
      return await load(pathToFileURL(abs).href);
    } catch (err) {
      throw new CommandInputError(`cannot load the property module ${file}: ${(err as Error).message}`);
    }
  };
  if (path.extname(abs) === '.mjs') {
    mod = await importModule();
  } else {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, CommonJS first
      mod = require(abs) as Record<string, unknown>;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') {
        throw new CommandInputError(`cannot load the property module ${file}: ${(e as Error).message}`);
      }
      mod = await importModule();
    }
  }
  const named = Object.entries(mod).filter(([k]) => k !== 'default' && k !== '__esModule');
  const entries = named.length === 0 && mod.default !== null && typeof mod.default === 'object'
    ? Object.entries(mod.default as Record<string, unknown>)
    : named;
  if (entries.length === 0) {
    throw new CommandInputError(`the property module ${file} exports no property: export each by name, e.g. exports.chargesOnce = { kind: 'atMost', state: 'Charge', times: 1 }`);
  }
  return Object.fromEntries(entries) as Record<string, VerifyProperty<WorkflowRun>>;
}
