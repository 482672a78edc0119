import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FuzzCase } from './arbitraries';
import { checkCase } from './property';

/**
 * Counterexamples the fuzzer found, kept as data (one JSON case per file,
 * named after the defect) and replayed through the same property.
 */
const DIR = path.join(__dirname, 'regressions');
const cases = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => [f.replace(/\.json$/, ''), f] as const);

describe('fuzzer counterexamples', () => {
  it.each(cases)('%s runs to a typed end and leaves no unhandled rejection behind', async (_name, file) => {
    const c = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf-8')) as FuzzCase;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      await checkCase(c);
      // Rejections surface after a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
