import { createHash } from 'node:crypto';
import { eventOf, outputOf, run, single } from './helpers';
import type { JsonValue } from '../../src/interpreter';

/*
 * The key order of the objects a run builds, as AWS gives it (docs/fidelity.md, "Key order"):
 * a JSONPath template's fixed fields first, then its `.$` fields in Java HashMap order; JSONata
 * objects as written; States.JsonMerge and CSV items in HashMap order; the Context Object in
 * AWS's order. The order shows wherever the object goes: history, output, JsonToString, Hash.
 */

const keys = (v: JsonValue | undefined): string[] => Object.keys(v as object);

/** The DynamoDB UpdateItem of AWS's recording test_base_integrations[DYNAMODB_PUT_UPDATE_GET_ITEM]. */
const updateItem = {
  'TableName.$': '$.TableName',
  'Key.$': '$.Key',
  'UpdateExpression.$': '$.UpdateExpression',
  'ExpressionAttributeValues.$': '$.ExpressionAttributeValues',
  'ReturnValues': 'UPDATED_NEW',
};
const updateInput = { TableName: 'table-name', Key: { id: { S: 'id1' } }, UpdateExpression: 'set S=:r', ExpressionAttributeValues: { ':r': { S: 'v' } } };
const AWS_ORDER = ['ReturnValues', 'TableName', 'UpdateExpression', 'Key', 'ExpressionAttributeValues'];

describe('key order of the objects payload templates build', () => {
  it('sends a Task its Parameters, and records them in TaskScheduled, in the order AWS recorded', async () => {
    let sent: JsonValue | undefined;
    const r = await run(single({ Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: updateItem }), updateInput, {
      taskHandlers: { S: (input) => { sent = input; return {}; } },
    });
    expect(keys(sent)).toEqual(AWS_ORDER);
    const parameters = (eventOf(r.history, 'TaskScheduled').taskScheduledEventDetails as { parameters: string }).parameters;
    expect(Object.keys(JSON.parse(parameters) as object)).toEqual(AWS_ORDER);
  });

  it('gives a Pass state output its Parameters in that order, and States.JsonToString and States.Hash see it', async () => {
    const definition = {
      StartAt: 'Build',
      States: {
        Build: { Type: 'Pass', Parameters: updateItem, ResultPath: '$.built', Next: 'Text' },
        Text: { Type: 'Pass', Parameters: { 'text.$': 'States.JsonToString($.built)' }, ResultPath: '$.text', Next: 'Hash' },
        Hash: { Type: 'Pass', Parameters: { 'hash.$': "States.Hash($.text.text, 'SHA-256')" }, End: true },
      },
    };
    const r = await run(definition, updateInput);
    const built = (JSON.parse((eventOf(r.history, 'PassStateExited', 0).stateExitedEventDetails as { output: string }).output) as { built: object }).built;
    expect(Object.keys(built)).toEqual(AWS_ORDER);
    const text = '{"ReturnValues":"UPDATED_NEW","TableName":"table-name","UpdateExpression":"set S=:r","Key":{"id":{"S":"id1"}},"ExpressionAttributeValues":{":r":{"S":"v"}}}';
    expect(r.output).toEqual({ hash: createHash('sha256').update(text).digest('hex') });
  });

  it('gives each Map iteration its ItemSelector object in that order', async () => {
    const r = await run(single({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'constant': 'c', 'bucket.$': '$.bucket' },
      ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
    }), { items: [1], bucket: 'b' });
    expect(keys((r.output as JsonValue[])[0])).toEqual(['constant', 'bucket', 'index', 'value']);
    const iterationInput = (eventOf(r.history, 'PassStateEntered').stateEnteredEventDetails as { input: string }).input;
    expect(iterationInput).toBe('{"constant":"c","bucket":"b","index":0,"value":1}');
  });

  it('orders a ResultSelector object by the same rule', async () => {
    const out = await outputOf(single({
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultSelector: { 'payload.$': '$.Payload', 'status.$': '$.StatusCode', 'source': 'lambda' },
    }), {}, { taskHandlers: { S: () => ({ StatusCode: 200, Payload: { ok: true } }) } });
    expect(keys(out)).toEqual(['source', 'payload', 'status']);
  });

  it('keeps the order of JSONata Arguments and Output as the definition writes them', async () => {
    let sent: JsonValue | undefined;
    const out = await outputOf(single({
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: { TableName: '{% $states.input.TableName %}', Key: '{% $states.input.Key %}', ReturnValues: 'UPDATED_NEW' },
      Output: { z: '{% $states.result.ok %}', a: 1, m: '{% 2 %}' },
    }), updateInput, { taskHandlers: { S: (input) => { sent = input; return { ok: true }; } } });
    expect(keys(sent)).toEqual(['TableName', 'Key', 'ReturnValues']);
    expect(keys(out)).toEqual(['z', 'a', 'm']);
  });
});

describe('key order of other objects AWS builds as a map', () => {
  it('merges with States.JsonMerge into HashMap order, as AWS recorded it', async () => {
    const out = await outputOf(single({ Type: 'Pass', Parameters: { 'merged.$': 'States.JsonMerge($.fst, $.snd, false)' } }), {
      fst: { a: { a1: 1 }, b: 2, d: 3 },
      snd: { a: { a3: 1 }, c: 3, d: 4 },
    }) as { merged: JsonValue };
    expect(keys(out.merged)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives CSV items their headers in HashMap order, as AWS recorded them', async () => {
    const out = await outputOf(single({
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'b', Key: 'k' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
    }), {}, { taskHandlers: { S: () => 'True,{}\nValue5,Value6\n' } });
    expect(keys((out as JsonValue[])[0])).toEqual(['{}', 'True']);
  });

  it('lists the Context Object in the order AWS gives it', async () => {
    const out = await outputOf(single({ Type: 'Pass', InputPath: '$$' }));
    expect(keys(out)).toEqual(['Execution', 'StateMachine', 'State']);
    const context = out as { Execution: JsonValue; State: JsonValue };
    expect(keys(context.Execution)).toEqual(['Id', 'Input', 'StartTime', 'Name', 'RoleArn', 'RedriveCount']);
    expect(keys(context.State)).toEqual(['Name', 'EnteredTime']);
  });
});
