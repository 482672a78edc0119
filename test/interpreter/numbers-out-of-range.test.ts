import { validateDefinition } from '../../src/asl/validate';
import { compileStateMachine, DefinitionError } from '../../src/interpreter';
import { parseItems } from '../../src/interpreter/states/item-reader';
import { jsonArrayItems, jsonLines } from '../../src/interpreter/states/json-items';
import { PAUSE } from '../../src/interpreter/states/reader-pause';
import { jsonItems } from '../../src/interpreter/states/stored-items';

// `1e999` (and -1e999, a number of 400 digits) is JSON text whose number no double holds:
// JSON.parse reads it as ±Infinity, which a run hands on as null (JSON.stringify's word for it).
// Before, a Distributed Map's item {"a":1e999} read from the local S3 ran as {"a":null}, and a
// definition holding one was refused as "nested too deeply", with advice to flatten its states.
// No recording shows AWS's answer to either, so stepwright refuses them, saying what they are.

const OUT_OF_RANGE = /holds a number out of range at \$\.a: JSON numbers are read as doubles, at most ±1\.7976931348623157e\+308 \(it reads as -?Infinity\)/;
const utf8 = (text: string): Uint8Array[] => [new TextEncoder().encode(text)];
const items = (source: Iterable<unknown>): unknown[] => [...source].filter((x) => x !== PAUSE);

describe('an item holding a number past a double\'s range', () => {
  it.each([
    ['a JSON file streamed from the local S3', () => items(jsonArrayItems(utf8('[{"a":1},{"a":1e999}]'), undefined)), /The item at index 1 of the JSON object/],
    ['a JSON file through its ItemsPointer', () => items(jsonArrayItems(utf8('{"rows":[{"a":-1e999}]}'), '/rows')), /The item at index 0 of the JSON object/],
    ['a JSON file held whole', () => jsonItems('[{"a":1e999}]', undefined), /The item at index 0 of the JSON object/],
    ['a JSON Lines file', () => items(jsonLines(utf8('{"a":1}\n\n{"a":1e999}\n'))), /Line 3 of the JSONL object/],
    ['a mock\'s JSON Body', () => parseItems({ Body: '[{"a":1e999}]' }, 'arn:aws:states:::s3:getObject', { InputType: 'JSON' }), /The item at index 0 of the JSON object/],
    ['a mock\'s JSON Lines Body', () => parseItems({ Body: `{"a":${'9'.repeat(400)}}` }, 'arn:aws:states:::s3:getObject', { InputType: 'JSONL' }), /Line 1 of the JSONL object/],
  ])('fails the read of %s with States.ItemReaderFailed, naming the item and the field', (_what, read, where) => {
    expect(read).toThrow(expect.objectContaining({ error: 'States.ItemReaderFailed' }) as unknown as Error);
    expect(read).toThrow(where);
    expect(read).toThrow(OUT_OF_RANGE);
  });

  it('reads 1e-999 as 0, as a double holds it, and the largest double as it is', () => {
    expect(items(jsonArrayItems(utf8('[{"a":1e-999},{"a":1.7976931348623157e308}]'), undefined))).toEqual([{ a: 0 }, { a: Number.MAX_VALUE }]);
    expect(items(jsonLines(utf8('{"a":-1e-999}\n')))).toEqual([{ a: -0 }]);
  });
});

describe('a definition holding a number past a double\'s range', () => {
  const definition = JSON.parse('{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1e999},"End":true}}}') as Record<string, unknown>;

  it('is refused as not JSON Step Functions accepts, not as nesting to flatten', () => {
    const findings = validateDefinition(definition);
    expect(findings).toEqual([expect.objectContaining({ code: 'INVALID_JSON_DESCRIPTION', severity: 'error', location: '' })]);
    expect(findings[0].message).toMatch(/holds a number out of range at \$\.States\.P\.Result\.a/);
    expect(findings[0].message).not.toMatch(/flatten/);
  });

  it('is refused the same way when validation is turned off', () => {
    const compile = (): unknown => compileStateMachine(definition as never, { validate: false });
    expect(compile).toThrow(DefinitionError);
    expect(compile).toThrow(expect.objectContaining({ code: 'INVALID_JSON_DESCRIPTION' }) as unknown as Error);
  });
});
