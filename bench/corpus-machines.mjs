// The machines explore's benchmarks run on: the real-world definitions of ../shared/validation and
// the state machines of ../shared/cdk-templates (or other ASL files, templates or folders of them),
// each as a job naming its file and, in a template, its logical id. bench/explore-corpus.mjs scores
// them and bench/jest-loop.mjs scaffolds tests from them: one reader, so both see the same machines
// in the same order. Needs the compiled library (lib/) for the templates.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The shared folder (STEPWRIGHT_SHARED, else ../shared beside the repository). */
export const shared = process.env.STEPWRIGHT_SHARED ?? path.join(repo, '..', 'shared');

/** The folders read when no paths are given. */
export const corpusFolders = {
  realworld: path.join(shared, 'validation', 'realworld'),
  cdkTemplates: path.join(shared, 'cdk-templates'),
};

/** The JSON files of the paths given (a folder's, sorted, less its index files), then the jobs of each. */
export function corpusJobs(inputs) {
  const files = inputs.flatMap((p) => (fs.statSync(p).isDirectory()
    ? fs.readdirSync(p).filter((f) => f.endsWith('.json') && f !== 'INDEX.json' && f !== 'index.json' && f !== 'stats.json').sort().map((f) => path.join(p, f))
    : [p]));
  return files.flatMap((f) => jobsOf(f));
}

/**
 * The jobs of the modern corpus's templates (bench/modern-corpus.mjs synthesizes them into a
 * folder of its own), named `modern/<stack>#<logical id>` and of kind `modern`.
 */
export function modernJobs(templates) {
  return templates.flatMap((f) => jobsOf(f, 'modern', `modern/${path.basename(f, '.template.json')}`));
}

/** The jobs of one file: an ASL definition is one, a template one per state machine (or one with the error that stopped its reading). */
function jobsOf(file, templateKind = 'template', name = undefined) {
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  const rel = name ?? path.relative(path.join(repo, '..'), file).split(path.sep).join('/');
  if ('States' in parsed) return [{ id: rel, kind: 'asl', file }];
  if (!('Resources' in parsed)) return [];
  const { extractStateMachines } = require(path.join(repo, 'lib', 'testing', 'index.js'));
  let machines;
  try {
    machines = extractStateMachines(parsed);
  } catch (e) {
    return [{ id: rel, kind: templateKind, file, extractError: String(e?.message ?? e) }];
  }
  return machines.map((m) => ({ id: `${rel}#${m.logicalId}`, kind: templateKind, file, logicalId: m.logicalId }));
}
