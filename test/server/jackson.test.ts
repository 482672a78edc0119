import { seededRandom } from '../../src/asl/random';
import { jacksonMessage, readAsJackson } from '../../src/server/jackson';

/*
 * AWS parses definitions and execution input with Jackson and quotes its refusals. The recorded
 * ones (../shared/serve-api: test_validate_state_machine_definition_not_a_definition[NOT_A_DEF],
 * test_invalid_start_execution_input) fix the version family and the format; the rest of the
 * family follows Jackson's ReaderBasedJsonParser, whose messages these are.
 */

const TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const refused = (text: string) => {
  const r = readAsJackson(text);
  if (r.kind !== 'refused') throw new Error(`Jackson reads ${JSON.stringify(text)}: ${r.kind}`);
  return r;
};

describe('how Jackson refuses text that is not JSON', () => {
  it('names an unrecognized token with the identifier characters after it, one column past it (recorded)', () => {
    expect(refused('not a definition')).toEqual({
      kind: 'refused',
      message: `Unrecognized token 'not': was expecting ${TOKENS}`,
      location: '[Source: (String)"not a definition"; line: 1, column: 4]',
    });
  });

  it('asks for a double quote where an object expects a field name (recorded)', () => {
    expect(jacksonMessage("{'not': 'json'")).toBe("Unexpected character (''' (code 39)): was expecting double-quote to start field name");
  });

  it('reads white space alone as no value at all, and JSON as a value', () => {
    expect(readAsJackson('')).toEqual({ kind: 'empty' });
    expect(readAsJackson(' \t\r\n ')).toEqual({ kind: 'empty' });
    expect(readAsJackson(' {"a":[1,-2.5e3,"x\\u00e9",true,false,null,{}]} ')).toEqual({ kind: 'value' });
    expect(jacksonMessage('{}')).toBeUndefined();
  });

  it.each([
    ['{"a":1', 'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"a":1"; line: 1, column: 1])'],
    ['[1', 'Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"[1"; line: 1, column: 1])'],
    ['[1 2]', 'Unexpected character (\'2\' (code 50)): was expecting comma to separate Array entries'],
    ['{"a":1 "b":2}', 'Unexpected character (\'"\' (code 34)): was expecting comma to separate Object entries'],
    ['{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"],
    ['{"a":1,}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name"],
    ['[1,]', `Unexpected character (']' (code 93)): expected a valid value ${TOKENS}`],
    ['{"a":}', "Unexpected character ('}' (code 125)): expected a value"],
    ['{"a":1]', "Unexpected close marker ']': expected '}' (for Object starting at [Source: (String)\"{\"a\":1]\"; line: 1, column: 1])"],
    ['"abc', 'Unexpected end-of-input: was expecting closing quote for a string value'],
    ['{"ab', 'Unexpected end-of-input in field name'],
    ['"a\tb"', 'Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using backslash to be included in string value'],
    ['"\\x"', "Unrecognized character escape 'x' (code 120)"],
    ['"\\u12G4"', "Unexpected character ('G' (code 71)): expected a hex-digit for character escape sequence"],
    ['nul', `Unrecognized token 'nul': was expecting ${TOKENS}`],
    ['trueish', `Unrecognized token 'trueish': was expecting ${TOKENS}`],
    ['NaN', 'Non-standard token \'NaN\': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow'],
    ['01', 'Invalid numeric value: Leading zeroes not allowed'],
    ['-x', "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value"],
    ['1.', "Unexpected character ('.' (code 46)) in numeric value: Decimal point not followed by a digit"],
    ['2x', "Unexpected character ('x' (code 120)): Expected space separating root-level values"],
    ["'a'", `Unexpected character (''' (code 39)): expected a valid value ${TOKENS}`],
    ['// note\n{}', "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"],
    ['\u0001{}', 'Illegal character ((CTRL-CHAR, code 1)): only regular white space (\\r, \\n, \\t) is allowed between tokens'],
    ['→', `Unexpected character ('→' (code 8594 / 0x2192)): expected a valid value ${TOKENS}`],
    ['€uro', `Unrecognized token '€uro': was expecting ${TOKENS}`],
  ])('refuses %j: %s', (text, message) => {
    expect(refused(text).message).toBe(message);
  });

  it('refuses text after the first value in the words it would use for a second value', () => {
    expect(refused('{} x').message).toBe(`Unrecognized token 'x': was expecting ${TOKENS}`);
    expect(refused('{} {}').message).toMatch(/^Trailing token \(of type START_OBJECT\) found after value/);
  });

  it('counts lines at LF, CR and CR LF, and columns one past the last character read', () => {
    expect(refused('{\n  "a": tru\n}').location).toBe('[Source: (String)"{\n  "a": tru\n}"; line: 2, column: 11]');
    expect(refused('{\r\n"a":\rx}').location).toBe('[Source: (String)"{\r\n"a":\rx}"; line: 3, column: 2]');
  });

  it('quotes at most 500 characters of the source, saying how many it left out, and escapes control characters in it', () => {
    const long = `[${'1,'.repeat(400)}x]`;
    const { location } = refused(long);
    expect(location).toBe(`[Source: (String)"${long.slice(0, 500)}"[truncated ${long.length - 500} chars]; line: 1, column: 803]`);
    expect(refused('[\u0007').location).toBe('[Source: (String)"[\\u0007"; line: 1, column: 3]');
  });

  it('reads a deeply nested text without exhausting the stack', () => {
    const deep = '['.repeat(200_000);
    expect(refused(deep).message).toMatch(/^Unexpected end-of-input: expected close marker for Array \(start marker at .*column: 200000\]\)$/);
    expect(readAsJackson(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toEqual({ kind: 'value' });
  });

  it('refuses exactly what JSON.parse refuses, white space alone aside, over 20,000 generated texts', () => {
    const source = seededRandom(7);
    const random = () => source.next();
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '"a"', '1', '-', '0', '.', 'e', '+', 'true', 'null', 'fals', ' ', '\n', '\\', 'u', 'x', '\t', '\u0001', '/', "'", '"\\u00e9"', '{"k":', '[1,'];
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = 1 + Math.floor(random() * 12); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
      let parses = true;
      try { JSON.parse(text); } catch { parses = false; }
      const reading = readAsJackson(text);
      if (parses !== (reading.kind === 'value')) disagreements.push(`${JSON.stringify(text)}: ${reading.kind}`);
    }
    expect(disagreements).toEqual([]);
  });
});
