/*
 * An operation Step Functions' model does not have is answered in one way wherever it is met (the
 * HTTP door, the service's call, the model check): UnknownOperationException with its type alone,
 * as AWS's framework answers it, and an explanation for serve's log that quotes the name the client
 * sent escaped and cut, never as sent.
 */
import { unknownOperation, UnwordedApiError } from '../../src/server/api-errors';
import { checkRequest } from '../../src/server/validation/request';

const HOSTILE = `Nope\u001b[2J\n${'x'.repeat(5_000)}`;

describe('serve: an unknown operation', () => {
  it('is refused by the model check with the type alone, as at the HTTP door', () => {
    let thrown: unknown;
    try {
      checkRequest(HOSTILE as never, {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UnwordedApiError);
    expect((thrown as UnwordedApiError).body()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('quotes the name a client sent escaped and cut at 200 characters in the explanation', () => {
    const { message } = unknownOperation(HOSTILE);
    expect(message).not.toMatch(/[^\x20-\x7e…]/);
    expect(message).toContain('Nope\\u001b[2J\\u000a');
    expect(message.length).toBeLessThan(300);
  });
});
