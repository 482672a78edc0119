import { outputOf } from './helpers';
import { compileStateMachine, InvalidDefinitionError, type StateMachineDefinition } from '../../src/interpreter';

/*
 * AWS (measured): states inside a Map's ItemProcessor or Iterator and a
 * Parallel's Branches inherit the top-level machine's QueryLanguage, not the
 * QueryLanguage of the Map or Parallel around them. The container's own
 * fields (Items, Output, ...) use the container's language.
 */

/** A JSONPath machine with a JSONata Map M (Items and Output in JSONata) around the inner state P. */
const jsonataMap = (inner: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      QueryLanguage: 'JSONata',
      Items: '{% $states.input.numbers %}',
      Output: '{% {"results": $states.result} %}',
      ItemProcessor: { StartAt: 'P', States: { P: { End: true, ...inner } } },
      End: true,
    },
  },
}) as unknown as StateMachineDefinition;

/** A JSONPath machine with a JSONata Parallel PAR around the inner state P. */
const jsonataParallel = (inner: Record<string, unknown>): StateMachineDefinition => ({
  StartAt: 'PAR',
  States: {
    PAR: {
      Type: 'Parallel',
      QueryLanguage: 'JSONata',
      Arguments: '{% $states.input.numbers[0] %}',
      Branches: [{ StartAt: 'P', States: { P: { End: true, ...inner } } }],
      End: true,
    },
  },
}) as unknown as StateMachineDefinition;

const doubleJsonPath = { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($, $)' } };
const doubleJsonata = { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% {"twice": $states.input * 2} %}' };
const input = { numbers: [1, 2, 3] };

describe('QueryLanguage inheritance of nested states', () => {
  it('runs a state without QueryLanguage inside a JSONata Map of a JSONPath machine as JSONPath (Parameters and .$ work)', async () => {
    expect(await outputOf(jsonataMap(doubleJsonPath), input)).toEqual({ results: [{ twice: 2 }, { twice: 4 }, { twice: 6 }] });
  });

  it('runs a state without QueryLanguage inside a JSONata Parallel branch of a JSONPath machine as JSONPath', async () => {
    expect(await outputOf(jsonataParallel(doubleJsonPath), input)).toEqual([{ twice: 2 }]);
  });

  it('runs a nested state as JSONata only when it declares QueryLanguage JSONata itself', async () => {
    expect(await outputOf(jsonataMap(doubleJsonata), input)).toEqual({ results: [{ twice: 2 }, { twice: 4 }, { twice: 6 }] });
    expect(await outputOf(jsonataParallel(doubleJsonata), input)).toEqual([{ twice: 2 }]);
  });

  it('refuses a nested state that uses JSONata fields without declaring JSONata, at the inner state', () => {
    const inner = { Type: 'Pass', Output: '{% {"twice": $states.input * 2} %}' };
    const refusal = (def: StateMachineDefinition) => {
      try {
        compileStateMachine(def);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidDefinitionError);
        return (e as InvalidDefinitionError).findings.map((f) => `${f.code} ${f.location}`);
      }
      throw new Error('expected the definition to be refused');
    };
    expect(refusal(jsonataMap(inner))).toEqual(['INVALID_QUERY_LANGUAGE /States/M/ItemProcessor/States/P/Output']);
    expect(refusal(jsonataParallel(inner))).toEqual(['INVALID_QUERY_LANGUAGE /States/PAR/Branches/0/States/P/Output']);
  });

  it('compiles nested states with the machine language even when validation is off', async () => {
    // A JSONPath Pass ignores Output, so the item passes through unchanged.
    const inner = { Type: 'Pass', Output: '{% {"twice": $states.input * 2} %}' };
    expect(await outputOf(jsonataMap(inner), input, { validate: false })).toEqual({ results: [1, 2, 3] });
  });
});
