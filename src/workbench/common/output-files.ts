import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file a command writes, and the option that named it (for the messages). @internal */
export interface OutputPath {
  readonly file: string;
  readonly option: string;
  /** `truncate` (the default) replaces what the file holds; `append` adds to its end and never needs `force`. */
  readonly mode?: 'truncate' | 'append';
}

/** One output with the text to write into it. @internal */
export interface OutputFile extends OutputPath {
  readonly text: string;
}

/** How outputs are checked. @internal */
export interface OutputOptions {
  /** The command, as the messages name it: `explore`, `coverage merge`. */
  readonly command: string;
  /** Replace a file that exists (in `truncate` mode). Without it, an existing file is refused: it may hold the user's edits. */
  readonly force: boolean;
}

/**
 * Why an output was refused or could not be written; the message names the file, its option and what to do.
 * It quotes the file name as given: escape it where it is printed.
 * @internal
 */
export class OutputFileError extends Error {
  constructor(
    public readonly file: string,
    /** `no-name`, `link`, `not-file`, `no-folder`, `exists`, `same-file` (all found before anything is written) or `io`. */
    public readonly kind: 'no-name' | 'link' | 'not-file' | 'no-folder' | 'exists' | 'same-file' | 'io',
    message: string,
  ) {
    super(message);
    this.name = 'OutputFileError';
  }
}

/** A path through the real directories: a folder reached by a symbolic link is where the link points, as node resolves a require. @internal */
export function realPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    // Not there yet (the file to write): its folder's real path, and its name.
    const dir = path.dirname(abs);
    return dir === abs ? abs : path.join(realPath(dir), path.basename(abs));
  }
}

/** The stat of `p`, not following a link at its end; `undefined` when nothing is there. */
function lstatOf(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Why the file's folder cannot hold it, or `undefined` when it can: the
 * nearest part of its folder path that exists must be a folder (or a link to
 * one; the user named it), so making the rest and creating the file cannot
 * fail on it.
 */
function folderProblem(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const stat = lstatOf(dir);
    if (stat !== undefined) {
      let target: fs.Stats;
      try {
        target = stat.isSymbolicLink() ? fs.statSync(dir) : stat;
      } catch {
        return `${dir} is a symbolic link to nothing`;
      }
      return target.isDirectory() ? undefined : `${dir} is not a folder`;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Checks every output before any is written, and returns which ones exist:
 * each names a file (not an option taken for its value), none is a symbolic
 * link (which would write outside the folder named, even a dangling one), none
 * is anything but a regular file, each one's folder is a folder or can be
 * made, none exists unless forced or appended to, and no two are the same file
 * (by path through the real folders, or, for files that exist, by identity:
 * two hard links are one file).
 * @internal
 */
export function checkOutputFiles(outputs: readonly OutputPath[], options: OutputOptions): boolean[] {
  const seen = new Map<string, string>();
  return outputs.map(({ file, option, mode }) => {
    if (file === '' || file.startsWith('--')) throw new OutputFileError(file, 'no-name', `${option} needs a file name, got '${file}'`);
    if (file === '-') {
      // '-' reads as standard output to most commands: a file of that name is more likely a surprise than a wish.
      throw new OutputFileError(file, 'no-name', `${option} needs a file name, got '-' (${options.command} writes no output to standard output; ./- names a file called -)`);
    }
    const stat = lstatOf(file);
    if (stat?.isSymbolicLink()) {
      throw new OutputFileError(file, 'link', `${file} (${option}) is a symbolic link; ${options.command} does not write through links: name the file itself`);
    }
    if (stat && !stat.isFile()) throw new OutputFileError(file, 'not-file', `${file} (${option}) exists and is not a regular file`);
    const folder = stat ? undefined : folderProblem(file);
    if (folder !== undefined) throw new OutputFileError(file, 'no-folder', `cannot write ${file} (${option}): ${folder}`);
    if (stat && !options.force && mode !== 'append') {
      throw new OutputFileError(file, 'exists', `${file} exists (it may hold your edits); pass --force to overwrite it`);
    }
    const keys = [realPath(file), ...(stat ? [`${stat.dev}:${stat.ino}`] : [])];
    for (const key of keys) {
      const other = seen.get(key);
      if (other !== undefined) throw new OutputFileError(file, 'same-file', `${other} and ${option} name the same file, ${file}: give each its own`);
    }
    for (const key of keys) seen.set(key, option);
    return stat !== undefined;
  });
}

/* eslint-disable no-bitwise -- open(2) takes its flags as bits */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const flagsOf = (mode: 'truncate' | 'append', existed: boolean) => fs.constants.O_WRONLY | fs.constants.O_CREAT | O_NOFOLLOW
  // A file that was not there at the check is created here, or the write fails: nothing put there since is overwritten.
  | (existed ? 0 : fs.constants.O_EXCL)
  | (mode === 'append' ? fs.constants.O_APPEND : fs.constants.O_TRUNC);
/* eslint-enable no-bitwise */

/** Writes `text` into a file opened with `flags`; `opened` is told once the file is there (for a new one, it is ours to remove). */
function writeOpened(file: string, flags: number, text: string, opened: () => void): void {
  const fd = fs.openSync(file, flags, 0o644);
  opened();
  try {
    fs.writeFileSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks every output ({@link checkOutputFiles}), then writes them all or
 * none. Files are opened without following a link (O_NOFOLLOW), and one that
 * did not exist at the check must not exist when it is created (O_EXCL). A
 * file that exists (forced) is written beside itself first and moved over the
 * old one only once every new file is written, so a failure leaves each file
 * as it was: what this call created (files and folders) is removed. Appended
 * outputs come last, as what they add cannot be taken back.
 * @internal
 */
export function writeOutputFiles(outputs: readonly OutputFile[], options: OutputOptions): void {
  const existed = checkOutputFiles(outputs, options);
  const created: string[] = [];
  const folders: string[] = [];
  const replacing: Array<{ temp: string; file: string }> = [];
  const fail = (file: string, e: unknown): never => {
    for (const f of [...created, ...replacing.map((r) => r.temp)]) fs.rmSync(f, { force: true });
    for (const d of folders.reverse()) fs.rmSync(d, { recursive: true, force: true });
    throw new OutputFileError(file, 'io', `cannot write ${file}: ${(e as Error).message}`);
  };
  outputs.forEach(({ file, text, mode }, i) => {
    if (mode === 'append') return;
    try {
      const dir = path.dirname(path.resolve(file));
      const made = fs.mkdirSync(dir, { recursive: true });
      if (made !== undefined) folders.push(made);
      if (existed[i]) {
        const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${i}.tmp`);
        writeOpened(temp, flagsOf('truncate', false), text, () => replacing.push({ temp, file }));
      } else {
        writeOpened(file, flagsOf('truncate', false), text, () => created.push(file));
      }
    } catch (e) {
      fail(file, e);
    }
  });
  for (const { temp, file } of replacing) {
    try {
      // A rename replaces what is at the path (a link put there since the check too) and never writes through it.
      fs.renameSync(temp, file);
    } catch (e) {
      fail(file, e);
    }
  }
  outputs.forEach(({ file, text, mode }, i) => {
    if (mode !== 'append') return;
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      writeOpened(file, flagsOf('append', existed[i]), text, () => undefined);
    } catch (e) {
      throw new OutputFileError(file, 'io', `cannot write ${file}: ${(e as Error).message}`);
    }
  });
}
