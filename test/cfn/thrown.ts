import { TemplateError } from '../../src/cfn/template-error';

/** The TemplateError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('expected a TemplateError');
}
