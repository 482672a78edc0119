import * as path from 'node:path';

/*
 * The errors a data directory stops a server with, apart from the journal's reader and writer:
 * `stepwright/server` exports them, and a server given no data directory loads neither.
 */

/** The lock file of a data directory. @internal */
export const LOCK_FILE = 'stepwright.lock';

/** Another server holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    /** The data directory. */
    public readonly dir: string,
    /** The pid of the process that holds it. */
    public readonly pid: number,
    detail: string,
  ) {
    super(`the data directory ${dir} is in use by another stepwright serve (pid ${pid}${detail}); `
      + `stop that server first, or give this one another --data-dir. If no such server runs, remove ${path.join(dir, LOCK_FILE)}`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * The journal cannot be read as it is: a line in it is damaged, or a record does
 * not make sense where it is. Nothing in the data directory was changed.
 */
export class JournalDamagedError extends Error {
  constructor(
    /** The journal file. */
    public readonly file: string,
    /** The 1-based line of the damaged record. */
    public readonly line: number,
    /** The byte offset at which that line starts. */
    public readonly offset: number,
    /** What is wrong with it. */
    public readonly reason: string,
    /** What --repair would drop, where a read of the whole journal could tell. */
    public readonly repairDrops?: string,
  ) {
    super(`the journal ${file} is damaged at line ${line} (byte offset ${offset}): ${reason}. `
      + 'Nothing was changed. Restore the data directory from a backup, or start with --repair: it keeps a copy of the journal '
      + `and goes on with the records that check out, dropping ${repairDrops ?? 'this line'} and any record that depends on one dropped`);
    this.name = 'JournalDamagedError';
  }
}
