import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldResultOf } from '../../src/asl/jsonata/causes';
import { compileJsonataValue, expectType, JsonataEvaluationError } from '../../src/asl/jsonata/compile';
import { seededRandom } from '../../src/asl/random';

function causeOf(thunk: () => unknown): string {
  try {
    thunk();
  } catch (e) {
    if (e instanceof JsonataEvaluationError) return String(e.cause);
    throw e;
  }
  throw new Error('nothing was thrown');
}

describe('the causes of a JSONata field that gave nothing or the wrong kind, in one home', () => {
  it('reads back the kind expectType writes, and nothing else as such a cause', () => {
    const cause = causeOf(() => expectType('x', 'array', '$ItemsVar', 'Items'));
    expect(cause).toBe('The JSONata expression \'$ItemsVar\' specified for the field \'Items\' returned an unexpected result type. '
      + 'Expected \'array\', but was \'string\' for value: "x"');
    expect(fieldResultOf(cause)).toEqual({ expected: 'array' });
    expect(fieldResultOf('The JSONata expression \'$x\' specified for the field \'Output\' returned nothing (undefined).')).toEqual({ nothing: true });
    expect(fieldResultOf('An error occurred while executing the state \'S\'')).toBeUndefined();
  });

  it('reads back that a field threw, as compile words it after the error is described', async () => {
    const compiled = compileJsonataValue('{% $number("value") %}', 'Assign/seq');
    let cause = '';
    try {
      await compiled.evaluate({ states: { input: {}, context: {} }, variables: {}, random: seededRandom(0) });
    } catch (e) {
      cause = (e as Error).message;
    }
    expect(cause).toContain('threw an error during evaluation. D3030');
    expect(fieldResultOf(cause)).toEqual({ threw: true });
    expect(fieldResultOf(`An error occurred while executing the state 'S' (entered at the event id #2). ${cause}`)).toEqual({ threw: true });
  });

  it('writes the words in src only in asl/jsonata/causes.ts, which compile and explore import', () => {
    const src = path.join(__dirname, '..', '..', 'src');
    const holders = fs.readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /returned nothing \(undefined\)|result type\. Expected/.test(fs.readFileSync(path.join(src, file), 'utf8')));
    expect(holders.map((file) => file.split(path.sep).join('/'))).toEqual(['asl/jsonata/causes.ts']);
  });
});
