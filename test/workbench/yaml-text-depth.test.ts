/*
 * YAML nested past what the yaml package composes safely. Its composer recurses per level and
 * overflows the stack near 1,000; an overflow that lands while V8 compiles one of its regular
 * expressions aborts the process ("RegExpCompiler Allocation failed - process out of memory"),
 * which a `- - - … x` of 20,000 dashes did after a few smaller templates had warmed it up. The
 * depth is measured on the parser's syntax tree, built without recursion, before composing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonFileError } from '../../src/workbench/common/command-errors';
import { MAX_YAML_DEPTH, parseYamlText, yamlNestingProblem } from '../../src/workbench/common/text';
import { SamConfigError, samConfigValues } from '../../src/workbench/template/samconfig';

const shapes: Record<string, (n: number) => string> = {
  'flow sequences': (n) => `x: ${'['.repeat(n)}${']'.repeat(n)}\n`,
  'flow mappings': (n) => `x: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
  'compact sequences': (n) => `${'- '.repeat(n)}x\n`,
  'block mappings': (n) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`,
};

describe('YAML text nested deeper than stepwright composes', () => {
  it.each(Object.keys(shapes))('reads %s nested to the limit, and refuses one level more, naming the line', (shape) => {
    const make = shapes[shape];
    expect(yamlNestingProblem(make(MAX_YAML_DEPTH - 1))).toBeUndefined();
    expect(() => parseYamlText(make(MAX_YAML_DEPTH - 1), 'ok.yaml')).not.toThrow();
    const problem = yamlNestingProblem(make(MAX_YAML_DEPTH + 1));
    expect(problem).toMatch(/^nested deeper than 256 levels at line \d+; stepwright reads YAML nested at most 256 deep$/);
    expect(() => parseYamlText(make(MAX_YAML_DEPTH + 1), 'deep.yaml')).toThrow(JsonFileError);
  });

  it('refuses 1,000 and 20,000 levels of every shape, one after another, without aborting the process', () => {
    for (const make of Object.values(shapes)) {
      for (const n of [1_000, 20_000]) {
        // Block mappings indented one space a level: 20,000 of them would be 200 MB of text.
        if (make === shapes['block mappings'] && n > 1_000) continue;
        expect(() => parseYamlText(make(n), 'deep.yaml')).toThrow(/nested deeper than 256 levels/);
      }
    }
  });

  it('counts the items of a document as deep as they are, not as many as they are', () => {
    const wide = Array.from({ length: 5_000 }, (_, i) => `k${i}: [[1], {a: [2]}]`).join('\n');
    expect(yamlNestingProblem(wide)).toBeUndefined();
  });

  it('refuses a samconfig.yaml nested past the limit as a SamConfigError naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-yaml-depth-'));
    try {
      const t = path.join(dir, 'template.yaml');
      fs.writeFileSync(t, 'Resources: {}\n');
      fs.writeFileSync(path.join(dir, 'samconfig.yaml'), shapes['compact sequences'](20_000));
      expect(() => samConfigValues(t, ['Job'], {}, () => undefined)).toThrow(new SamConfigError(path.join(dir, 'samconfig.yaml'), undefined,
        'not YAML stepwright reads: nested deeper than 256 levels at line 1; stepwright reads YAML nested at most 256 deep'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
