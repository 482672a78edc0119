import { CATALOGUE, DISPUTED_PATTERNS, pageOf, servicesWith, type CatalogueRow } from '../../src/asl/integrations';
import { validateDefinition } from '../../src/asl/validate';
import { contractOf } from '../../src/contracts';
import { apiShape } from '../../src/contracts/optimized';
import { permissionsForTask, type TaskContext } from '../../src/iam';
import { taskContext, type IntegrationPattern } from '../../src/iam/integrations';
import { OPTIMIZED } from '../../src/iam/optimized';

/**
 * The catalogue of optimized integrations (src/asl/integrations.ts): every row is complete, and
 * the three tables that used to hold these facts apart (contracts/, iam/, the validator) now take
 * each answer from the row.
 */
const ROWS = [...CATALOGUE.values()];
const PATTERNS = new Set(['request', 'sync', 'sync:2', 'waitForTaskToken']);
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** What a row lacks or gets wrong; empty for a complete row. */
function problems(row: CatalogueRow): string[] {
  const out: string[] = [];
  if (!/^[a-z0-9-]+:[a-z][A-Za-z0-9]*$/.test(row.resource)) out.push(`resource ${row.resource} is not service:action`);
  if (row.patterns[0] !== 'request' || row.patterns.some((p) => !PATTERNS.has(p)) || new Set(row.patterns).size !== row.patterns.length) {
    out.push(`patterns ${row.patterns.join(', ')}: request first, then sync, sync:2 or waitForTaskToken, each once`);
  }
  if (!/^(connect-[a-z-]+|call-https-apis)\.html$/.test(row.page)) out.push(`page ${row.page} is not a page of the guide's integrations`);
  if (!/^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)?$/.test(row.errorPrefix)) out.push(`error prefix '${row.errorPrefix}'`);
  const fields = row.fields;
  if ('api' in fields) {
    if (fields.api.some((part) => part.length === 0)) out.push('fields: an API needs its service and operation');
  } else if (fields.own.length === 0 || fields.required.some((f) => !fields.own.includes(f))) {
    out.push('fields: its own request lists its fields, the required among them');
  }
  const iam = row.iam;
  if ('request' in iam) {
    if (iam.request.length === 0) out.push('iam: no action for a request-response call');
    for (const action of [...iam.request, ...(iam.sync ?? [])]) if (!ACTION.test(action)) out.push(`iam: '${action}' is not service:Action`);
    if (row.patterns.includes('sync') !== (iam.sync !== undefined && iam.sync.length > 0)) out.push('iam: the actions .sync adds are listed exactly when the row has .sync');
  } else {
    const reason = 'elsewhere' in iam ? iam.elsewhere : iam.unlisted;
    if (reason.length < 20) out.push('iam: no actions, and no reason why');
  }
  return out;
}

describe('the catalogue of optimized integrations', () => {
  it('has a row for each integration the guide lists, 60 and more', () => {
    expect(CATALOGUE.size).toBeGreaterThanOrEqual(60);
    expect([...CATALOGUE.keys()]).toEqual(ROWS.map((r) => r.resource));
  });

  it.each(ROWS.map((r) => [r.resource, r] as const))('has %s complete: resource, patterns, page, error prefix, fields, IAM actions per pattern', (_key, row) => {
    expect(problems(row)).toEqual([]);
  });

  it('finds what an incomplete row lacks', () => {
    const broken: CatalogueRow = {
      resource: 'lambda:invoke',
      patterns: ['sync'],
      page: 'lambda.html',
      errorPrefix: '',
      fields: { own: [], required: ['X'] },
      iam: { request: [], sync: ['Invoke'] },
      // Its outcome is judged apart: test/asl/answer-outcomes.test.ts.
      outcome: { none: 'not judged by this test', source: [] },
    };
    expect(problems(broken)).toHaveLength(6);
    expect(problems({ ...broken, iam: { unlisted: 'no' } }).some((p) => p.includes('no reason why'))).toBe(true);
  });

  it('names an API every row with one can find in its service model', () => {
    for (const { fields } of ROWS) {
      if ('api' in fields) expect(() => apiShape(fields.api[0], fields.api[1], 'input')).not.toThrow();
    }
  });

  it('settles the drift of http:invoke: the HTTP Task page, and the States.Http prefix of its errors', () => {
    // "Call HTTPS APIs in Step Functions workflows" (call-https-apis.html), HTTP Task errors: States.Http.Socket, States.Http.StatusCode.<status>.
    const row = CATALOGUE.get('http:invoke')!;
    expect(pageOf(row)).toBe('https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html');
    expect(row.errorPrefix).toBe('States.Http');
    expect(contractOf('arn:aws:states:::http:invoke').source).toBe(pageOf(row));
    expect(OPTIMIZED.get('http:invoke')?.doc).toBe(pageOf(row));
    expect(OPTIMIZED.get('http:invoke')?.errorService).toBe('States.Http');
  });
});

describe('the consumers of the catalogue take their answer from the row', () => {
  const ctx: TaskContext = { partition: 'aws', region: 'us-east-1', account: '123456789012', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M' };

  it.each(ROWS.map((r) => [r.resource, r] as const))('contracts/ cites %s\'s page, spells its errors with its prefix and asks for its fields', (key, row) => {
    const contract = contractOf(`arn:aws:states:::${key}`);
    expect(contract.source).toBe(pageOf(row));
    // Every Task may raise the States.* errors of the language (States.Timeout, States.TaskFailed): the others are the row's.
    const own = contract.errors.names.filter((n) => !/^States\.[A-Za-z]+$/.test(n));
    for (const name of own) expect(name.startsWith(`${row.errorPrefix}.`)).toBe(true);
    if ('own' in row.fields) {
      expect([...contract.requestFields].sort()).toEqual([...row.fields.own].sort());
      expect([...contract.requiredFields].sort()).toEqual([...row.fields.required].sort());
    } else {
      expect(contract.request).toBeDefined();
      // The model's operation is the row's (a row may retype a member, as Lambda's JSON Payload, but asks for the API's fields).
      const api = apiShape(row.fields.api[0], row.fields.api[1], 'input').fields;
      expect(contract.requestFields.filter((f) => !api.includes(f) && key !== 'bedrock:invokeModel')).toEqual([]);
    }
  });

  /** Arguments whose every field is taken at run time: the rows then name every action a call may need. */
  const RUN_TIME_ARGS = new Proxy({}, {
    getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && k.endsWith('.$') ? { value: '$.x', configurable: true, enumerable: true, writable: false } : undefined),
    get: (_t, k) => (typeof k === 'string' && k.endsWith('.$') ? '$.x' : undefined),
  });

  it.each(ROWS.map((r) => [r.resource, r] as const))('iam/ cites %s\'s page, names AccessDenied with its prefix and asks only for the actions it lists', (key, row) => {
    const answer = permissionsForTask({ Type: 'Task', Resource: `arn:aws:states:::${key}`, End: true }, ctx);
    if ('unlisted' in row.iam) {
      expect(answer.unknown).toContain('not in stepwright\'s permission table');
      return;
    }
    expect(answer.doc).toBe(pageOf(row));
    expect(answer.errorService).toBe(row.errorPrefix);
    expect(answer.authorizedElsewhere).toBe('elsewhere' in row.iam ? row.iam.elsewhere : undefined);
    const entry = OPTIMIZED.get(key)!;
    const listed = 'request' in row.iam ? row.iam : { request: [], sync: [] };
    for (const pattern of row.patterns) {
      const iamPattern: IntegrationPattern = pattern === 'sync:2' ? 'sync' : pattern;
      const allowed = new Set([...listed.request, ...(iamPattern === 'sync' ? listed.sync ?? [] : [])]);
      // KMS actions come from the template's keys (iam/encryption.ts), whatever the integration.
      const asked = entry.needs(RUN_TIME_ARGS, taskContext(ctx.stateMachineArn), iamPattern)
        .map((r) => r.action).filter((a) => !a.startsWith('kms:'));
      expect(asked.filter((a) => !allowed.has(a))).toEqual([]);
    }
  });

  /** Arguments under which a row asks for an action RUN_TIME_ARGS does not show (one hanging on a nested field). */
  const NESTED_ARGS: Readonly<Record<string, Record<string, unknown>>> = {
    'bedrock:invokeModel': { ModelId: 'm', Input: { 'S3Uri.$': '$.in' }, Output: { 'S3Uri.$': '$.out' } },
    'sagemaker:createHyperParameterTuningJob': { HyperParameterTuningJobName: 'j', TrainingJobDefinition: { 'RoleArn.$': '$.role' } },
  };

  it.each(ROWS.filter((r) => 'request' in r.iam).map((r) => [r.resource, r] as const))('iam/ asks, for some arguments, for every action %s lists', (key, row) => {
    const entry = OPTIMIZED.get(key)!;
    const scope = taskContext(ctx.stateMachineArn);
    const asked = new Set((['request', 'sync'] as const).flatMap((p) => [RUN_TIME_ARGS, NESTED_ARGS[key] ?? {}]
      .flatMap((args) => entry.needs(args as never, scope, p).map((r) => r.action))));
    const listed = 'request' in row.iam ? [...row.iam.request, ...(row.iam.sync ?? [])] : [];
    expect(listed.filter((a) => !asked.has(a))).toEqual([]);
  });

  it('the validator allows .sync on exactly the services with a .sync row, and .sync:2 on those with a .sync:2 row', () => {
    const finds = (resource: string): boolean => validateDefinition({ StartAt: 'S', States: { S: { Type: 'Task', Resource: resource, End: true } } })
      .some((f) => f.code === 'UNSUPPORTED_INTEGRATION_PATTERN');
    for (const row of ROWS) {
      const service = row.resource.split(':')[0];
      expect(finds(`arn:aws:states:::${row.resource}.sync`)).toBe(!servicesWith('sync').includes(service));
      expect(finds(`arn:aws:states:::${row.resource}.sync:2`)).toBe(!servicesWith('sync:2').includes(service));
    }
    expect(servicesWith('sync:2')).toEqual(['states']);
    // .waitForTaskToken: refused on a service none of whose rows offers it, but for one whose pages disagree (a warning).
    const severity = (resource: string): string | undefined => validateDefinition({ StartAt: 'S', States: { S: { Type: 'Task', Resource: resource, End: true } } })
      .find((f) => f.code === 'UNSUPPORTED_INTEGRATION_PATTERN')?.severity;
    for (const row of ROWS) {
      const service = row.resource.split(':')[0];
      const expected = servicesWith('waitForTaskToken').includes(service) ? undefined : DISPUTED_PATTERNS.get(service)?.pattern === 'waitForTaskToken' ? 'warning' : 'error';
      expect([row.resource, severity(`arn:aws:states:::${row.resource}.waitForTaskToken`)]).toEqual([row.resource, expected]);
    }
    expect(servicesWith('waitForTaskToken')).toEqual(['apigateway', 'bedrock', 'ecs', 'events', 'lambda', 'sns', 'sqs', 'states']);
    expect(servicesWith('sync')).toEqual(['athena', 'batch', 'bedrock', 'codebuild', 'databrew', 'ecs', 'eks', 'elasticmapreduce', 'emr-containers',
      'emr-serverless', 'glue', 'mediaconvert', 'sagemaker', 'states']);
  });
});
