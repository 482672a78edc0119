import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, resolve as resolvePath, sep } from 'node:path';
import { TemplateError } from '../../cfn';
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
 * The folder of the cloud assembly that `dir` is in: `dir`, or the outermost of the folders above
 * it that hold a `manifest.json` without a break (a CDK Stage's assembly sits in its parent's,
 * and its assets in the parent's folder: `../asset.<hash>.json`).
 */
function assemblyRoot(dir: string): string {
  let root = realpathSync(dir);
  for (let up = dirname(root); up !== root && existsSync(resolvePath(up, 'manifest.json')); up = dirname(up)) root = up;
  return root;
}

/** True when `file` (once its links are followed) lies inside the folder `root`. */
function insideFolder(root: string, file: string): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = file; // missing: the reader says so, when the name itself stays inside
  }
  return real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * The file asset of the cloud assembly in `dir` that `cdk deploy` uploads to the S3 key `key`, as
 * an asset manifest there (`*.assets.json`) names it: a definition file (`DefinitionS3Location`),
 * a nested stack's template (its `TemplateURL`). Undefined when no manifest lists it.
 * @throws TemplateError when the manifest names a file outside the cloud assembly (a path with
 * `..` or a symbolic link that leads out): what a cdk.out names is read from inside it only
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
        const asset = { file: resolvePath(dir, source.path), name: source.path };
        if (!insideFolder(assemblyRoot(dir), asset.file)) {
          throw new TemplateError('MISSING_DEFINITION', `the asset manifest ${name} names the file asset ${JSON.stringify(source.path)}, `
            + "which is outside the cloud assembly (a path with .. or a symbolic link that leads out); a cdk.out's files lie inside it: "
            + "synthesize the app again ('cdk synth')");
        }
        return asset;
      }
    }
  }
  return undefined;
}
