import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldResultOf } from '../../src/asl/jsonata/causes';
import { expectType, JsonataEvaluationError } from '../../src/asl/jsonata/compile';

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

  it('writes the words in src only in asl/jsonata/causes.ts, which compile and explore import', () => {
    const src = path.join(__dirname, '..', '..', 'src');
    const holders = fs.readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /returned nothing \(undefined\)|result type\. Expected/.test(fs.readFileSync(path.join(src, file), 'utf8')));
    expect(holders.map((file) => file.split(path.sep).join('/'))).toEqual(['asl/jsonata/causes.ts']);
  });
});
