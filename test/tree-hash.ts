import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every path under `dir` with its kind, mode, size, modification time and content, hashed: what
 * "nothing changed" is checked against. Tests may run as root, whom `chmod a-w` does not stop, so
 * a folder made read-only is compared before and after, not trusted.
 */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const visit = (at: string): void => {
    for (const name of fs.readdirSync(at).sort()) {
      const p = path.join(at, name);
      const st = fs.lstatSync(p);
      hash.update(`${path.relative(dir, p)}\0${st.mode}\0${st.size}\0${st.mtimeMs}\0`);
      if (st.isDirectory()) visit(p);
      else if (st.isFile()) hash.update(fs.readFileSync(p));
      else if (st.isSymbolicLink()) hash.update(fs.readlinkSync(p));
    }
  };
  visit(dir);
  return hash.digest('hex');
}
