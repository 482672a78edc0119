/*
 * Machines that read a field of every result a Map gives (issue 77, explore round 4): the Map's
 * results passed on as its output, and the state after it summing or counting one field of them,
 * in JSONata (`$sum($states.input.rows)`, `$max($states.input.rows)`) and in
 * JSONPath (a filter on the results, `$.loads[?(@.ok)]`, counted by an intrinsic).
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const PUBLISH = 'arn:aws:states:::sns:publish';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:imports';

/**
 * Files of an upload loaded one by one, each answering how many rows it took; the Map's output is
 * its results, which the Choice after it reads: a large import is announced, an upload whose files
 * held no row at all is reported, the rest done.
 */
export const importRowTotals: ModernMachine = {
  name: 'ImportRowTotals',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load files',
      States: {
        'Load files': {
          Type: 'Map',
          Items: '{% $states.input.files %}',
          MaxConcurrency: 4,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Load file',
            States: {
              'Load file': {
                Type: 'Task',
                Resource: INVOKE,
                Arguments: { FunctionName: FN('load-file'), Payload: { key: '{% $states.input.key %}' } },
                Output: { key: '{% $states.input.key %}', rows: '{% $states.result.Payload.rows %}' },
                End: true,
              },
            },
          },
          Next: 'How did it go?',
        },
        'How did it go?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $sum($states.input.rows) >= 10000 %}', Next: 'Announce large import' },
            { Condition: '{% $max($states.input.rows) = 0 %}', Next: 'Report empty upload' },
          ],
          Default: 'Done',
        },
        'Report empty upload': {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: FN('report-empty'), Payload: { keys: '{% $states.input.key %}' } },
          End: true,
        },
        'Announce large import': {
          Type: 'Task',
          Resource: PUBLISH,
          Arguments: { TopicArn: TOPIC, Message: "{% 'Imported ' & $string($sum($states.input.rows)) & ' rows' %}" },
          End: true,
        },
        'Done': { Type: 'Succeed' },
      },
    });
  },
};

/** The same idea in JSONPath: the results placed beside the input, the good ones counted by a filter, a Choice on the count. */
export const jsonPathLoadCount: ModernMachine = {
  name: 'JsonPathLoadCount',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load parts',
      States: {
        'Load parts': {
          Type: 'Map',
          ItemsPath: '$.parts',
          ResultPath: '$.loads',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Load part',
            States: {
              'Load part': {
                Type: 'Task',
                Resource: INVOKE,
                Parameters: { 'FunctionName': FN('load-part'), 'Payload.$': '$' },
                ResultSelector: { 'ok.$': '$.Payload.ok', 'part.$': '$.Payload.part' },
                End: true,
              },
            },
          },
          Next: 'Count loaded',
        },
        'Count loaded': {
          Type: 'Pass',
          Parameters: { 'loaded.$': 'States.ArrayLength($.loads[?(@.ok == true)])', 'total.$': 'States.ArrayLength($.loads)' },
          Next: 'All loaded?',
        },
        'All loaded?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.loaded', NumericEquals: 0, Next: 'Nothing loaded' },
            { Variable: '$.loaded', NumericLessThanPath: '$.total', Next: 'Partly loaded' },
          ],
          Default: 'Loaded',
        },
        'Nothing loaded': { Type: 'Fail', Error: 'Load.Nothing' },
        'Partly loaded': { Type: 'Pass', End: true },
        'Loaded': { Type: 'Succeed' },
      },
    });
  },
};
