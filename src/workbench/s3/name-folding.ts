import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Whether a file system takes two names for one: macOS's and Windows' default file systems do for
 * `Report.csv` and `report.csv`, macOS's for `café` written composed (NFC) and decomposed (NFD),
 * which S3 keeps as two keys each.
 */
export interface FileNameFolding {
  /** Names that differ only in case are one file. */
  readonly foldsCase: boolean;
  /** Names that differ only in their Unicode normalisation form are one file (and may be stored in another form). */
  readonly foldsUnicode: boolean;
}

/**
 * How the file system of the folder `root` reads names, found without writing anything: an entry
 * of the folder (a bucket's folder, on the folder's own file system), else the folder itself, is
 * looked up by its name in the other case. macOS's file systems (APFS, HFS+) take a name's
 * composed and decomposed forms for one
 * (https://developer.apple.com/documentation/foundation/file_system/about_apple_file_system);
 * where no name has a letter to swap, macOS's and Windows' defaults fold case.
 * @internal
 */
export function probeFileNameFolding(root: string): FileNameFolding {
  const foldsUnicode = process.platform === 'darwin';
  let inside: string[] = [];
  try {
    inside = fs.readdirSync(root).slice(0, 64).map((name) => path.join(root, name));
  } catch {
    // The folder itself is looked up below.
  }
  for (const candidate of [...inside, root]) {
    const name = path.basename(candidate);
    const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    if (swapped === name) continue;
    const st = lstatOrUndefined(candidate);
    if (st === undefined) continue;
    const other = lstatOrUndefined(path.join(path.dirname(candidate), swapped));
    return { foldsCase: other !== undefined && other.ino === st.ino && other.dev === st.dev, foldsUnicode };
  }
  return { foldsCase: process.platform === 'darwin' || process.platform === 'win32', foldsUnicode };
}

/**
 * The names in a folding file system's folders, by the name it compares: read once a folder,
 * kept up to date with what the store writes and deletes, forgotten when a listing reads the
 * folder again (a file put there by hand since is read then).
 * @internal
 */
export class FoldedNames {
  /** Whether the file system takes any two names for one. */
  public readonly folds: boolean;
  private readonly entries = new Map<string, Map<string, string[]>>();

  constructor(private readonly folding: FileNameFolding) {
    this.folds = folding.foldsCase || folding.foldsUnicode;
  }

  /**
   * On a folding file system, whether a key's path of files is its own. Read (`free` false), each
   * segment must be there under its own name, not another the file system takes for it (`Report.csv`
   * for `report.csv`, a folder `Data` for `data/x`). To be written, each segment is there under its
   * own name, or is missing with no other name for it there and (where the file system normalises)
   * is the same in both normal forms, so that the file keeps the key's name.
   */
  ownPath(bucketDir: string, segments: readonly string[], free: boolean): boolean {
    let dir = bucketDir;
    for (const segment of segments) {
      const same = this.entriesOf(dir).get(this.fold(segment)) ?? [];
      if (!same.includes(segment)) {
        if (!free || same.length > 0) return false;
        // A file system that stores names in one normal form may store this one in the other.
        if (this.folding.foldsUnicode && (segment.normalize('NFC') !== segment || segment.normalize('NFD') !== segment)) return false;
      }
      dir = path.join(dir, segment);
    }
    return true;
  }

  /** A name as the file system compares it: a generous fold, so that two names it takes for one always fold alike. */
  private fold(name: string): string {
    let folded = this.folding.foldsUnicode ? name.normalize('NFD') : name;
    if (this.folding.foldsCase) folded = folded.toUpperCase().toLowerCase();
    return this.folding.foldsUnicode ? folded.normalize('NFD') : folded;
  }

  private entriesOf(dir: string): Map<string, string[]> {
    let found = this.entries.get(dir);
    if (found === undefined) {
      found = new Map();
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        // A folder not made yet has no entries.
      }
      for (const name of names) addEntry(found, this.fold(name), name);
      this.entries.set(dir, found);
    }
    return found;
  }

  /** A name the store made in a folder. */
  note(dir: string, name: string): void {
    const known = this.entries.get(dir);
    if (known !== undefined) addEntry(known, this.fold(name), name);
  }

  /** A name the store removed from a folder. */
  forget(dir: string, name: string): void {
    const same = this.entries.get(dir)?.get(this.fold(name));
    const at = same?.indexOf(name) ?? -1;
    if (at >= 0) same!.splice(at, 1);
  }

  /** Forgets the entries read under a folder: files put there by hand since are read again. */
  forgetUnder(dir: string): void {
    for (const known of [...this.entries.keys()]) {
      if (known === dir || known.startsWith(`${dir}${path.sep}`)) this.entries.delete(known);
    }
  }
}

function addEntry(entries: Map<string, string[]>, folded: string, name: string): void {
  const same = entries.get(folded);
  if (same === undefined) entries.set(folded, [name]);
  else if (!same.includes(name)) same.push(name);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
