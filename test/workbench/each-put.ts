import type { StateMachineDefinition } from '../../src/asl/definition-types';

/** A DynamoDB putItem Task: its answer has a contract (PutItem's), which a mock can break. */
export const PUT = {
  Type: 'Task',
  Resource: 'arn:aws:states:::dynamodb:putItem',
  Parameters: { TableName: 'orders', Item: { id: { S: 'o-1' } } },
  End: true,
};

/**
 * An answer PutItem never returns: `Attributes` is a map of attribute values, and a string is
 * refused under STRICT (AWS's TestState refuses it: a field of the wrong type). A field the model
 * does not define would only be advice, as TestState lets it through.
 */
export const REFUSED_PUT_ANSWER = { Attributes: 'none' };

/**
 * A Distributed Map `Each` over the input whose items each run `Put` (or `processor`), tolerating
 * every item's failure, as AWS counts a child execution that failed.
 */
export function eachPut(mapFields: Record<string, unknown> = {}, processor: Record<string, unknown> = { StartAt: 'Put', States: { Put: PUT } }): StateMachineDefinition {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ToleratedFailurePercentage: 100,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...processor },
        End: true,
        ...mapFields,
      },
    },
  } as unknown as StateMachineDefinition;
}
