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
    /** `no-name`, `link`, `not-file`, `exists`, `same-file` (all found before anything is written) or `io`. */
    public readonly kind: 'no-name' | 'link' | 'not-file' | 'exists' | 'same-file' | 'io',
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

/**
 * Checks every output before any is written, and returns which ones exist:
 * each names a file (not an option taken for its value), none is a symbolic
 * link (which would write outside the folder named, even a dangling one), none
 * is anything but a regular file, none exists unless forced or appended to,
 * and no two are the same file.
 * @internal
 */
export function checkOutputFiles(outputs: readonly OutputPath[], options: OutputOptions): boolean[] {
  const seen = new Map<string, string>();
  return outputs.map(({ file, option, mode }) => {
    if (file === '' || file.startsWith('--')) throw new OutputFileError(file, 'no-name', `${option} needs a file name, got '${file}'`);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(file);
    } catch {
      stat = undefined;
    }
    if (stat?.isSymbolicLink()) {
      throw new OutputFileError(file, 'link', `${file} (${option}) is a symbolic link; ${options.command} does not write through links: name the file itself`);
    }
    if (stat && !stat.isFile()) throw new OutputFileError(file, 'not-file', `${file} (${option}) exists and is not a regular file`);
    if (stat && !options.force && mode !== 'append') {
      throw new OutputFileError(file, 'exists', `${file} exists (it may hold your edits); pass --force to overwrite it`);
    }
    const real = realPath(file);
    const other = seen.get(real);
    if (other !== undefined) throw new OutputFileError(file, 'same-file', `${other} and ${option} name the same file, ${file}: give each its own`);
    seen.set(real, option);
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

/**
 * Checks every output ({@link checkOutputFiles}), then writes each. The files
 * are opened without following a link (O_NOFOLLOW), and one that did not exist
 * at the check must not exist when it is created (O_EXCL). When a write fails,
 * the files this call created are removed, so a failure leaves no half-written
 * output behind.
 * @internal
 */
export function writeOutputFiles(outputs: readonly OutputFile[], options: OutputOptions): void {
  const existed = checkOutputFiles(outputs, options);
  const created: string[] = [];
  outputs.forEach(({ file, text, mode }, i) => {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const fd = fs.openSync(file, flagsOf(mode ?? 'truncate', existed[i]), 0o644);
      if (!existed[i]) created.push(file);
      try {
        fs.writeFileSync(fd, text);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      for (const f of created) fs.rmSync(f, { force: true });
      throw new OutputFileError(file, 'io', `cannot write ${file}: ${(e as Error).message}`);
    }
  });
}
