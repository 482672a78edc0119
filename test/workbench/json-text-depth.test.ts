import { jsonTextNestsDeeper } from '../../src/workbench/common/json-file';

// Coverage reports and recordings are refused by their depth before they are parsed (shards.ts, replay/format.ts).
describe('jsonTextNestsDeeper: the depth of JSON text, read without parsing it', () => {
  it('counts arrays and objects opened inside one another, and passes a text at the limit', () => {
    expect(jsonTextNestsDeeper('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonTextNestsDeeper('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('counts depth, not the number of brackets: siblings closed again do not add up', () => {
    expect(jsonTextNestsDeeper('[[1],[2],[3],{"a":{}}]', 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTextNestsDeeper('["[[[[", "\\"{{{{"]', 1)).toBe(false);
    expect(jsonTextNestsDeeper('["\\\\", [[1]]]', 2)).toBe(true);
  });
});
