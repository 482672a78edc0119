import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonObject, JsonValue } from '../../asl';
import { Property, type PathProperty, type VerifyProperty, type VerifyReport } from '../../explore';
import type { ExecutionStatus } from '../../interpreter';

import { CommandInputError } from '../common/command-errors';
import type { WorkflowRun } from '../workflow';

/** What a property that does not fit the machine throws, for the doors that name it. @internal */
export { PropertyError } from '../../explore';

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
      throw new CommandInputError(`cannot load the property module ${file}: ${(err as Error).message}${hint}`);
    }
  };
  if (path.extname(abs) === '.mjs') {
    mod = await importModule();
  } else {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, CommonJS first
      mod = require(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') {
        throw new CommandInputError(`cannot load the property module ${file}: ${(e as Error).message}${hint}`);
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
    throw new CommandInputError(`cannot read the exports of the property module ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (entries.length === 0 && (typeof fallback === 'function' || typeof mod === 'function')) {
    throw new CommandInputError(`the property module ${file} exports only a function, with no name: verify reports each property by its name, so export it by one, e.g. export const succeeds = (run) => run.status === 'SUCCEEDED'`);
  }
  if (entries.length === 0) {
    throw new CommandInputError(`the property module ${file} exports no property: export each by name, e.g. exports.chargesOnce = { kind: 'atMost', state: 'Charge', times: 1 }`);
  }
  return Object.fromEntries(entries) as Record<string, VerifyProperty<WorkflowRun>>;
}

/** True for what can hold exports by name: an object or a function. */
function isModule(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** A module's own exports by name; none for a value that cannot hold any (`module.exports = null`). */
function exportsOf(value: unknown): Array<[string, unknown]> {
  return isModule(value) ? Object.entries(value) : [];
}

/**
 * A verify report as `stepwright verify --json` prints it and the MCP `verify` tool answers it:
 * one object keyed by property name, each with its verdict, what it asks, why, and for VIOLATED
 * the counterexample (`input` and `mocks` that `stepwright run --input … --mocks …` reproduces).
 * @internal
 */
export function verifyJson(report: VerifyReport): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of Object.entries(report.properties)) {
    const c = p.counterexample;
    out[name] = {
      verdict: p.verdict,
      property: p.property,
      reason: p.reason,
      ...(c ? {
        counterexample: {
          input: c.input,
          mocks: c.mocks,
          path: [...c.path],
          status: c.status,
          ...(c.error !== undefined ? { error: c.error } : {}),
          minimized: { ...c.minimized },
        },
      } : {}),
    };
  }
  return out;
}

/**
 * A path property written as JSON, one field naming its kind, as the MCP `verify` tool takes it
 * (its schema checks the shapes): `{"never": "Ship"}`, `{"leadsTo": ["A", ["B", "C"]]}`.
 * @internal
 */
export interface PathPropertyJson {
  readonly never?: string;
  readonly leadsTo?: readonly [string, string | readonly string[]];
  readonly precedes?: readonly [string, string];
  readonly atMost?: readonly [string, number];
  readonly endsWith?: { readonly statuses?: readonly ExecutionStatus[]; readonly errors?: readonly string[] };
  readonly maxTransitions?: number;
  readonly maxSeconds?: number;
}

/**
 * The property a JSON one stands for, built with {@link Property} as a test builds it.
 * @throws CommandInputError when it names no kind
 * @internal
 */
export function propertyFromJson(name: string, p: PathPropertyJson): PathProperty {
  if (p.never !== undefined) return Property.never(p.never);
  if (p.leadsTo !== undefined) return Property.leadsTo(p.leadsTo[0], p.leadsTo[1]);
  if (p.precedes !== undefined) return Property.precedes(p.precedes[0], p.precedes[1]);
  if (p.atMost !== undefined) return Property.atMost(p.atMost[0], p.atMost[1]);
  if (p.endsWith !== undefined) return Property.endsWith(p.endsWith);
  if (p.maxTransitions !== undefined) return Property.maxTransitions(p.maxTransitions);
  if (p.maxSeconds !== undefined) return Property.maxSeconds(p.maxSeconds);
  throw new CommandInputError(`property '${name}' names no kind: give one of never, leadsTo, precedes, atMost, endsWith, maxTransitions, maxSeconds`);
}
