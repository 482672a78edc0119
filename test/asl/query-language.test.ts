import { DEFAULT_QUERY_LANGUAGE, QUERY_LANGUAGES, queryLanguageOf } from '../../src/asl/query-language';

// https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html: QueryLanguage is
// optional on the machine (JSONPath when omitted) and on each state, which may override its machine's.
describe('the query language a state runs in', () => {
  it("is the state's own QueryLanguage when it names one", () => {
    expect(queryLanguageOf({ QueryLanguage: 'JSONata' }, { QueryLanguage: 'JSONPath' })).toBe('JSONata');
    expect(queryLanguageOf({ QueryLanguage: 'JSONPath' }, {})).toBe('JSONPath');
  });

  it("is its machine's when the state names none", () => {
    expect(queryLanguageOf({}, { QueryLanguage: 'JSONata' })).toBe('JSONata');
    expect(queryLanguageOf(undefined, { QueryLanguage: 'JSONata' })).toBe('JSONata');
  });

  it('is JSONPath when neither names one, and AWS allows JSONPath and JSONata only', () => {
    expect(queryLanguageOf({}, {})).toBe('JSONPath');
    expect(queryLanguageOf(undefined, undefined)).toBe(DEFAULT_QUERY_LANGUAGE);
    expect(QUERY_LANGUAGES).toEqual(['JSONPath', 'JSONata']);
  });
});
