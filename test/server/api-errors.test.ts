import * as fs from 'node:fs';
import { asl, PASS, raw, ROLE, serve } from './helpers';
import { sfnModelsExtract } from './sfn-models-extract';
import type { BotocoreModels } from '../../scripts/extract-botocore-models';
import { API_ERRORS_FILE, apiErrorsSource } from '../../scripts/generate-serve-model';
import { ANY_OPERATION_API_ERRORS, API_ERROR_STATUS, ApiErrors, isApiErrorName, PROTOCOL_API_ERRORS } from '../../src/asl/api-errors';
import { MODEL_API_ERRORS } from '../../src/asl/api-errors.generated';
import { OPERATIONS } from '../../src/server/operations';

/**
 * What serve answers that botocore's model does not declare for the operation, and AWS's own
 * answer is not known (no recording, and the API reference lists neither): left as serve answers
 * it, listed pair by pair so that a new one fails. None is left: a route to a version of a state
 * machine there is not is ResourceNotFound, which the alias operations declare, and the versions
 * of a state machine there is not are none (test/server/semantic-checks.test.ts).
 */
const UNDECLARED: readonly string[] = [];

describe("the error names of Step Functions' API (src/asl/api-errors.ts)", () => {
  let read: BotocoreModels | undefined;
  const extract = (): BotocoreModels => (read ??= sfnModelsExtract());
  const declared = (operation: string): readonly string[] => extract().services.sfn.operations[operation]?.[2] ?? [];

  it("are what scripts/generate-serve-model.ts writes from botocore's model (npx projen contracts)", () => {
    expect(fs.readFileSync(API_ERRORS_FILE, 'utf-8')).toBe(apiErrorsSource(extract()));
  });

  it("are the error shapes the model's operations declare, and the protocol's, which it declares for none", () => {
    const shapes = new Set(Object.keys(extract().services.sfn.operations).flatMap(declared));
    expect(Object.values(MODEL_API_ERRORS).sort()).toEqual([...shapes].sort());
    for (const name of Object.values(PROTOCOL_API_ERRORS)) expect(shapes.has(name)).toBe(false);
    expect(Object.keys(ApiErrors).every((key) => ApiErrors[key as keyof typeof ApiErrors] === key)).toBe(true);
    expect(isApiErrorName('StateMachineDoesNotExist')).toBe(true);
    expect(isApiErrorName('ThrottlingException')).toBe(false);
    expect(isApiErrorName('toString')).toBe(false);
  });

  it("are answered with the status of the model's error shape: 409 for ConflictException, 402 for ServiceQuotaExceededException, else 400", () => {
    const errors = extract().services.sfn.errors;
    for (const name of Object.values(MODEL_API_ERRORS)) {
      expect({ name, status: API_ERROR_STATUS[name] }).toEqual({ name, status: errors[name].h });
      expect({ name, fault: errors[name].f }).toEqual({ name, fault: 'client' });
    }
    const other = Object.values(MODEL_API_ERRORS).filter((name) => API_ERROR_STATUS[name] !== 400);
    const statuses = Object.fromEntries(other.map((name) => [name, API_ERROR_STATUS[name]]));
    expect(statuses).toEqual({ ConflictException: 409, ServiceQuotaExceededException: 402 });
    // The shape's members, which the answer carries beside `message`.
    expect(errors.TooManyTags.m).toEqual({ message: 'ErrorMessage', resourceName: 'Arn' });
    expect(errors.KmsInvalidStateException.m).toEqual({ kmsKeyState: 'KmsKeyState', message: 'ErrorMessage' });
    expect(extract().services.sfn.shapes.KmsKeyState.e).toContain('DISABLED');
    expect([API_ERROR_STATUS.AccessDeniedException, API_ERROR_STATUS.InternalFailure]).toEqual([403, 500]);
  });

  it('are, for every operation serve answers, one the model declares for it or one any operation may answer', async () => {
    const { server, stop } = await serve();
    const A = 'arn:aws:states:us-east-1:123456789012:';
    const answered = new Set<string>();
    const call = async (operation: string, body: object): Promise<void> => {
      const answer = await raw(server.endpoint, { target: `AWSStepFunctions.${operation}`, body: JSON.stringify(body) });
      if (answer.status !== 200) answered.add(`${operation} ${String(answer.body.__type).replace(/^.*#/, '')}`);
    };
    try {
      await call('CreateStateMachine', { name: 'm', definition: PASS, roleArn: ROLE, publish: true });
      await call('CreateStateMachineAlias', { name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${A}stateMachine:m:1`, weight: 100 }] });
      await call('StartExecution', { stateMachineArn: `${A}stateMachine:m`, name: 'e1' });
      expect(answered).toEqual(new Set());
      // Each ARN member given an ARN of each kind, of a resource there is and of one there is not.
      const arns = ['stateMachine:none', 'stateMachine:none:1', 'stateMachine:none:live', 'execution:none:e', 'activity:none',
        'mapRun:none/m:1', 'express:none:e:f', 'other:thing', 'stateMachine:m', 'stateMachine:m:1', 'stateMachine:m:live',
        'stateMachine:m:9', 'execution:m:e1'].map((resource) => `${A}${resource}`);
      const shapes = extract().services.sfn.shapes;
      for (const [operation, [input]] of Object.entries(extract().services.sfn.operations)) {
        const members = Object.keys(shapes[input!]?.m ?? {});
        await call(operation, {});
        for (const arn of arns) {
          const body: Record<string, unknown> = {};
          for (const member of members) {
            const m = member.toLowerCase();
            if (m === 'rolearn') body[member] = ROLE;
            else if (m.endsWith('arn')) body[member] = arn;
            else if (m === 'name') body[member] = 'a name';
            else if (m === 'definition') body[member] = '{';
            else if (m === 'input') body[member] = '{';
            else if (m === 'tasktoken' || m === 'nexttoken') body[member] = 'token';
            else if (m === 'tags') body[member] = [{ key: 'k', value: 'v' }];
            else if (m === 'tagkeys') body[member] = ['k'];
            else if (m === 'routingconfiguration') body[member] = [{ stateMachineVersionArn: arn, weight: 100 }];
          }
          await call(operation, body);
          const valid = { ...body };
          if ('name' in valid) valid.name = 'ok';
          if ('definition' in valid) valid.definition = asl({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
          if ('input' in valid) valid.input = '{}';
          await call(operation, valid);
          // Each bad value alone, so that one checked first does not hide the next.
          for (const member of ['name', 'definition', 'input']) if (member in body) await call(operation, { ...valid, [member]: body[member] });
        }
      }
    } finally {
      await stop();
    }
    const operations = new Set(Object.keys(extract().services.sfn.operations));
    expect([...OPERATIONS.keys()].every((operation) => operations.has(operation))).toBe(true);
    const outside = [...answered].filter((pair) => {
      const [operation, error] = pair.split(' ');
      return !declared(operation).includes(error) && !(isApiErrorName(error) && ANY_OPERATION_API_ERRORS.has(error));
    });
    expect(outside.sort()).toEqual(UNDECLARED);
    // The sweep reaches the errors of a resource that is not there and of an ARN that names none.
    for (const pair of ['DescribeStateMachine StateMachineDoesNotExist', 'DescribeExecution ExecutionDoesNotExist', 'DescribeActivity ActivityDoesNotExist',
      'DescribeStateMachineAlias ResourceNotFound', 'DescribeActivity InvalidArn', 'CreateActivity InvalidName', 'CreateStateMachine InvalidDefinition']) {
      expect([...answered]).toContain(pair);
    }
  });
});
