import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DATA_FILE_LIMIT, jsonEncodingProblem, JsonFileReadError, readRegularFile } from '../workbench/common/json-file';
import { loadMockConfig, MockConfigError, parseMockConfig, type MockConfig } from '../workbench/mocks/mock-config';

/** One version of the mock configuration: the parsed file and the first 8 hex digits of its SHA-256. @internal */
export interface MockConfigVersion {
  readonly config: MockConfig;
  readonly version: string;
}

/**
 * The server's MockConfigFile, read again when it changes, as Step Functions
 * Local does when a file is copied into its container after it started. Each
 * StartExecution that names a test case asks for the current version: the
 * file is stat'ed (cheap) and read again only when its size, modification
 * time or inode changed, and then taken only if its content changed. A file
 * that no longer parses is logged once and the version before it kept; a test
 * case the kept version lacks is refused with both reasons.
 * @internal
 */
export class MockConfigSource {
  /**
   * A file, read now (a missing or invalid file is refused at start, naming it), or a parsed configuration, which never changes.
   * @throws MockConfigError when the file cannot be read or is not a valid MockConfigFile
   */
  static open(source: string | MockConfig, log: (line: string) => void): MockConfigSource {
    if (typeof source !== 'string') {
      const config = parseMockConfig(source);
      return new MockConfigSource(undefined, { config, version: versionOf(JSON.stringify(config)) }, log);
    }
    // Read once for the messages a file that cannot be read gets at start, then as bytes for the version.
    loadMockConfig(source);
    const bytes = readBytes(source);
    const config = parseBytes(source, bytes);
    const found = new MockConfigSource(source, { config, version: versionOf(bytes) }, log);
    log(`MockConfigFile ${source} version ${found.current.version}`);
    return found;
  }

  private current: MockConfigVersion;
  private seen: string | undefined;
  /** Why the file as it is now cannot be used (it did not parse), and the version of those bytes. */
  private problem: { readonly version: string; readonly reason: string } | undefined;

  private constructor(
    private readonly file: string | undefined,
    first: MockConfigVersion,
    private readonly log: (line: string) => void,
  ) {
    this.current = first;
    this.seen = file === undefined ? undefined : statKey(file);
  }

  /** The file's path, or undefined for a configuration given as an object. */
  get path(): string | undefined {
    return this.file;
  }

  /** The version to use now: the file is read again if it changed since it was last read. */
  latest(): MockConfigVersion & { readonly problem?: string } {
    if (this.file !== undefined) this.refresh(this.file);
    return this.problem ? { ...this.current, problem: `the file as it is now (version ${this.problem.version}) is not used: ${this.problem.reason}` } : this.current;
  }

  private refresh(file: string): void {
    const key = statKey(file);
    if (key === this.seen) return;
    let bytes: Buffer;
    try {
      bytes = readBytes(file);
    } catch (e) {
      this.refuse(file, 'unreadable', e instanceof MockConfigError ? e.reason : (e as Error).message);
      return;
    }
    const version = versionOf(bytes);
    if (version === this.current.version) {
      this.seen = key;
      this.problem = undefined;
      return;
    }
    let config: MockConfig;
    try {
      config = parseBytes(file, bytes);
    } catch (e) {
      if (!(e instanceof MockConfigError)) throw e;
      this.refuse(file, version, e.path ? `${e.path}: ${e.reason}` : e.reason);
      return;
    }
    this.current = { config, version };
    this.seen = key;
    this.problem = undefined;
    this.log(`MockConfigFile ${file} version ${version} (changed)`);
  }

  /** Keeps the version before, and says why once per content; the stat is not remembered, so a write still under way is read again. */
  private refuse(file: string, version: string, reason: string): void {
    if (this.problem?.version !== version) {
      this.log(`MockConfigFile ${file} changed, but version ${version} cannot be used (${reason}); executions go on with version ${this.current.version}`);
    }
    this.problem = { version, reason };
  }
}

/** Size, modification time and inode: what changes when a file is written or replaced. */
function statKey(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}:${st.ino}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * The file's bytes: a regular file only, of bounded size, opened without blocking. A FIFO
 * or a link to a device (`/dev/zero`) swapped in while serve runs is refused, never read:
 * reading one would block every request and execution, or read for ever.
 */
function readBytes(file: string): Buffer {
  try {
    return readRegularFile(file, DATA_FILE_LIMIT);
  } catch (e) {
    const reason = e instanceof JsonFileReadError ? e.reason : (e as Error).message;
    throw new MockConfigError('INVALID_CONFIG', '', `cannot read the file: ${reason}`, file);
  }
}

function parseBytes(file: string, bytes: Buffer): MockConfig {
  const encoding = jsonEncodingProblem(bytes);
  if (encoding) throw new MockConfigError('INVALID_JSON', '', `not valid JSON: ${encoding}`, file);
  try {
    return parseMockConfig(bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof MockConfigError) throw new MockConfigError(e.code, e.path, e.reason, file);
    throw e;
  }
}

/** The first 8 hex digits of the SHA-256 of the file's bytes: the version named in the log and the journal. */
function versionOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}
