import { readdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { DEFINITION_FILE_LIMIT, JsonFileReadError, confinedPath, readJsonText } from '../common';

/** A file asset: where it is, and its name as the asset manifest gives it (relative to the assembly). @internal */
export interface AssetFile {
  readonly file: string;
  readonly name: string;
}

/** The part of a cloud assembly's asset manifest (`<stack>.assets.json`) that names its files. */
interface AssetManifest {
  readonly files?: Record<string, {
    readonly source?: { readonly path?: unknown; readonly packaging?: unknown };
    readonly destinations?: Record<string, { readonly objectKey?: unknown }>;
  }>;
}

/**
 * The file asset of the cloud assembly in `dir` that `cdk deploy` uploads to the S3 key `key`, as
 * an asset manifest there (`*.assets.json`) names it: a definition file (`DefinitionS3Location`),
 * a nested stack's template (its `TemplateURL`). Undefined when no manifest lists it.
 * @internal
 */
export function assetFileByKey(dir: string, key: string): AssetFile | undefined {
  let names: string[];
  try {
    names = readdirSync(confinedPath(dir)).filter((f) => f.endsWith('.assets.json')).sort();
  } catch {
    return undefined; // no folder to read (gone, not a folder, outside a confined root): no asset either
  }
  for (const name of names) {
    let manifest: AssetManifest;
    try {
      manifest = JSON.parse(readJsonText(resolvePath(dir, name), DEFINITION_FILE_LIMIT)) as AssetManifest;
    } catch (e) {
      if (e instanceof JsonFileReadError || e instanceof SyntaxError) continue;
      throw e;
    }
    for (const file of Object.values(manifest?.files ?? {})) {
      const source = file?.source;
      if (typeof source?.path !== 'string' || (source.packaging !== undefined && source.packaging !== 'file')) continue;
      if (Object.values(file.destinations ?? {}).some((d) => d?.objectKey === key)) {
        return { file: resolvePath(dir, source.path), name: source.path };
      }
    }
  }
  return undefined;
}
