// Adapter for ../shared/validation/run.mjs: scores the compiled validator in lib/.
// Build lib/ first (npx projen compile, or npx tsc -p tsconfig.json).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const lib = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib', 'asl', 'validate');
const { validateDefinition } = require(lib);

/** ok means no errors; warnings do not count. */
export function validate(definition) {
  const errors = validateDefinition(definition)
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.code} at ${f.location || '/'}: ${f.message}`);
  return { ok: errors.length === 0, errors };
}
