import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsLimits, PAYLOAD_WORDS } from '../../asl/limits';
import { withThousands } from '../../asl/shorten';
import { payloadTooLargeMessage } from '../../asl/validation-messages';

/**
 * How every JSON file stepwright reads is read (definitions, templates,
 * inputs, mocks, MockConfigFiles, recordings): with a bound on its size
 * checked before anything is read, and one answer to a byte order mark.
 *
 * A leading byte order mark is refused with a message that names it, not
 * stripped: JSON text must not begin with one (RFC 8259 §8.1), and the AWS
 * CLI keeps it (`file://` reads the file as text, U+FEFF included), so a
 * file that passed here would fail as `aws stepfunctions ... file://x.json`. A template's is
 * dropped ({@link readTemplateText}), as AWS's tools drop it.
 * @internal
 */

/** Definitions and templates: larger files are not read at all, as none comes near it. @internal */
export const DEFINITION_FILE_LIMIT: SizeLimit = {
  bytes: 64 * 1_048_576,
  why: 'stepwright reads definitions and templates of at most 67,108,864 bytes (64 MiB); AWS accepts definitions of at most 1,048,576 bytes',
};

/** Recordings, mocks, MockConfigFiles, run results and coverage reports. @internal */
export const DATA_FILE_LIMIT: SizeLimit = {
  bytes: 256 * 1_048_576,
  why: 'stepwright reads JSON files of at most 268,435,456 bytes (256 MiB)',
};

/**
 * Execution inputs: StartExecution refuses a larger one, as `stepwright serve` does; the reason
 * quotes AWS's answer, which `stepwright run` and MCP's `run` give as the harness throws it. @internal
 */
export const INPUT_LIMIT: SizeLimit = {
  bytes: AwsLimits.PAYLOAD_BYTES,
  why: `AWS accepts an execution input of at most ${withThousands(AwsLimits.PAYLOAD_BYTES)} bytes (${PAYLOAD_WORDS}); StartExecution refuses a larger one: `
    + `ValidationException: ${payloadTooLargeMessage('input')}`,
};

/** Why these bytes are not UTF-8 JSON text (a byte order mark, UTF-16), or undefined. @internal */
export function jsonEncodingProblem(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return BOM_MESSAGE;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return `it is UTF-16 text (it starts with the byte order mark ${bytes[0] === 0xff ? 'FF FE' : 'FE FF'}); JSON files are UTF-8: save it as UTF-8 without a byte order mark`;
  }
  return undefined;
}

/** {@link jsonEncodingProblem} for text already decoded: a leading U+FEFF. @internal */
export function jsonTextProblem(text: string): string | undefined {
  return text.charCodeAt(0) === 0xfeff ? BOM_MESSAGE : undefined;
}

export { jsonTextNestsDeeper } from '../../asl/json-value';

const BOM_MESSAGE = 'it starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON text may not begin with and the AWS CLI '
  + 'passes on to AWS with file://; save it as UTF-8 without a byte order mark';

/** Why a file cannot be read: the message names the file and what to do. @internal */
export class JsonFileReadError extends Error {
  constructor(
    public readonly file: string,
    /**
     * `missing`, `directory`, `special` (a pipe, socket or device), `too-large`, `encoding`, `io`,
     * or `outside`: the file is outside the folder reads are confined to ({@link confineReads}).
     */
    public readonly kind: 'missing' | 'directory' | 'special' | 'too-large' | 'encoding' | 'io' | 'outside',
    public readonly reason: string,
  ) {
    super(reason);
    this.name = 'JsonFileReadError';
  }
}

/** A bound on a file's size, and the words that explain it. @internal */
export interface SizeLimit {
  readonly bytes: number;
  /** Completes "<file> is N bytes; …", e.g. "AWS accepts an execution input of at most 262,144 bytes (256 KiB)". */
  readonly why: string;
}

/**
 * Reads a regular file as UTF-8 JSON text. Its size is checked before it is
 * read (and the read stops past the limit, should the file grow meanwhile);
 * a FIFO, socket or device is refused rather than read, since reading one
 * can block forever; a byte order mark or UTF-16 text is refused by name.
 * @throws JsonFileReadError
 * @internal
 */
export function readJsonText(file: string, limit: SizeLimit): string {
  const bytes = readRegularFile(file, limit);
  const problem = jsonEncodingProblem(bytes);
  if (problem) throw new JsonFileReadError(file, 'encoding', problem);
  return bytes.toString('utf8');
}

/**
 * {@link readJsonText} for a file that may be a CloudFormation or AWS SAM template: a leading
 * UTF-8 byte order mark is dropped, as AWS's own tools drop it from a template (the SAM CLI and
 * the AWS CLI's `cloudformation deploy` and `package` parse it with PyYAML, whose scanner skips a
 * byte order mark at the start, and `sam build` writes the template it deploys without one).
 * UTF-16 text is still refused. `bom` is the refusal {@link readJsonText} would have given, when
 * a mark was dropped: the caller that learns only from the parsed value that the file is a
 * definition, which the AWS CLI passes on to AWS mark and all, refuses it then.
 * @throws JsonFileReadError
 * @internal
 */
export function readTemplateText(file: string, limit: SizeLimit): { readonly text: string; readonly bom?: string } {
  const bytes = readRegularFile(file, limit);
  const problem = jsonEncodingProblem(bytes);
  if (problem === BOM_MESSAGE) return { text: bytes.subarray(3).toString('utf8'), bom: problem };
  if (problem) throw new JsonFileReadError(file, 'encoding', problem);
  return { text: bytes.toString('utf8') };
}

/**
 * Reads a regular file's bytes, as {@link readJsonText} reads them: its size checked
 * before it is read and the read stopped past the limit; a FIFO, socket or device
 * (also behind a link: a link to `/dev/zero`) refused without opening it blocking.
 * `within` confines this one read to a folder besides the thread's confinement
 * ({@link confineReads}): a link that leads out of it is refused as `outside`. A relative
 * `file` is read from the working folder, as without it.
 * @throws JsonFileReadError
 * @internal
 */
export function readRegularFile(file: string, limit: SizeLimit, within?: Confinement): Buffer {
  let fd: number;
  const confined = within !== undefined || confinement !== undefined;
  try {
    // Confined, the file opened is the one checked: its real path, compared again once open.
    // `file` is relative to the working folder, not to `within`, which pathInside resolves against.
    const real = confinedPath(within === undefined ? file : pathInside(within, path.resolve(file)));
    const stat = fs.statSync(real);
    if (stat.isDirectory()) throw new JsonFileReadError(file, 'directory', 'it is a directory');
    if (!stat.isFile()) throw new JsonFileReadError(file, 'special', 'not a regular file (a pipe, socket or device); save it to a file first');
    if (stat.size > limit.bytes) throw tooLarge(file, `${stat.size.toLocaleString('en-US')} bytes`, limit);
    // Non-blocking: were the file swapped for a FIFO since the stat, opening it must not wait for a writer.
    // eslint-disable-next-line no-bitwise -- open(2) flags are combined as bits
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (confined) {
      const opened = fs.fstatSync(fd);
      if (opened.ino !== stat.ino || opened.dev !== stat.dev) {
        fs.closeSync(fd);
        throw outside(file, within ?? confinement);
      }
    }
  } catch (e) {
    throw e instanceof JsonFileReadError ? e : ioError(file, e);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new JsonFileReadError(file, 'special', 'not a regular file (a pipe, socket or device); save it to a file first');
    // One byte more than the file's size, so that a file that grew since is noticed and read on.
    let buffer = Buffer.alloc(Math.min(limit.bytes + 1, fs.fstatSync(fd).size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit.bytes) throw tooLarge(file, `more than ${limit.bytes.toLocaleString('en-US')} bytes`, limit);
        const grown = Buffer.alloc(Math.min(limit.bytes + 1, length * 2));
        buffer.copy(grown);
        buffer = grown;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } catch (e) {
    throw e instanceof JsonFileReadError ? e : ioError(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** A folder reads are confined to: its real path, and that path ending in a separator. @internal */
export interface Confinement {
  readonly root: string;
  readonly prefix: string;
}

/** The folder reads are confined to in this thread; undefined: no confinement. */
let confinement: Confinement | undefined;

/** The confinement to `root` (its real path: symbolic links in it followed). @internal */
export function confinementOf(root: string): Confinement {
  const real = fs.realpathSync(root);
  return { root: real, prefix: real.endsWith(path.sep) ? real : real + path.sep };
}

/**
 * Confines every file this thread reads through {@link readJsonText} (and every
 * folder a loader lists, see {@link confinedPath}) to `root`: a path outside
 * it, by `..`, by an absolute path or through a symbolic link, is refused as
 * `outside`. Set once, by `stepwright mcp`'s worker threads; the command line
 * and the harness never confine.
 * @internal
 */
export function confineReads(root: string): void {
  confinement = confinementOf(root);
}

/**
 * The real path of `file` (symbolic links followed), when reads are confined
 * and it lies inside the folder they are confined to; `file` itself when they
 * are not confined.
 * @throws JsonFileReadError `outside`, or `missing` for a file that does not exist
 * @internal
 */
export function confinedPath(file: string): string {
  return confinement === undefined ? file : pathInside(confinement, file);
}

/**
 * The real path of `file` (relative to the folder, or absolute), when it lies
 * inside the folder `c`. A path that leaves it, lexically or through a link,
 * is refused, and nothing says whether it exists.
 * @throws JsonFileReadError `outside`, or `missing` for a file inside that does not exist
 * @internal
 */
export function pathInside(c: Confinement, file: string): string {
  const inside = (p: string): boolean => p === c.root || p.startsWith(c.prefix);
  const resolved = path.resolve(c.root, file);
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch (e) {
    // Whether something outside exists is none of the caller's business.
    if (!inside(resolved)) throw outside(file, c);
    throw ioError(file, e);
  }
  if (!inside(real)) throw outside(file, c);
  return real;
}

function outside(file: string, c: Confinement | undefined = confinement): JsonFileReadError {
  return new JsonFileReadError(file, 'outside', `it is outside ${c?.root ?? 'the folder'}, the only folder this server reads `
    + '(a path with .., an absolute path elsewhere, or a symbolic link that leads out); give a path inside it, or start the server with --root <folder>');
}

function tooLarge(file: string, size: string, limit: SizeLimit): JsonFileReadError {
  return new JsonFileReadError(file, 'too-large', `${size} is too large: ${limit.why}`);
}

function ioError(file: string, e: unknown): JsonFileReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new JsonFileReadError(file, 'missing', 'no such file');
  if (code === 'EISDIR') return new JsonFileReadError(file, 'directory', 'it is a directory');
  return new JsonFileReadError(file, 'io', fsErrorReason(e));
}

/**
 * Why the file system refused a path, in words that name neither the path nor the folder it
 * was resolved in: Node's own messages quote the absolute path (`ENOTDIR: not a directory,
 * lstat '/home/…'`), which an MCP or CLI answer must not show.
 * @internal
 */
export function fsErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path before its last name is a file, not a folder';
    case 'ELOOP': return 'its symbolic links loop (too many levels of links)';
    case 'ENAMETOOLONG': return 'the path, or a name in it, is longer than the file system takes';
    // Node refuses a path holding a NUL before asking the file system.
    case 'ERR_INVALID_ARG_VALUE': return 'the path holds a NUL character, which no file name can';
    default: return `the file system refused it (${code ?? 'unknown error'})`;
  }
}
