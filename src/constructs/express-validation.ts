import { Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

const REGISTERED = Symbol.for('stepwright.expressValidation');

/**
 * Adds, once per stack, a synth-time check that no EXPRESS state machine in
 * the stack uses a pattern Express workflows reject: `.waitForTaskToken`
 * callbacks, `.sync` jobs, and activities.
 *
 * A state does not know which machine it ends up in (a chain is bound to a
 * machine only when the machine is constructed), so the check runs at
 * validation time over each machine's rendered definition. It therefore also
 * covers states built with plain aws-cdk-lib classes. stepwright's builders
 * call this themselves; call it for stacks that use only aws-cdk-lib states.
 *
 * @example
 * validateExpressStateMachines(stack);
 */
export function validateExpressStateMachines(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[REGISTERED]) return;
  marked[REGISTERED] = true;
  stack.node.addValidation({ validate: () => findExpressViolations(stack) });
}

/** @internal */
export function findExpressViolations(stack: Stack): string[] {
  const errors: string[] = [];
  const activityIds = new Set(
    stack.node.findAll()
      .filter((c): c is sfn.CfnActivity => c instanceof sfn.CfnActivity)
      .map((c) => stack.getLogicalId(c)),
  );
  for (const machine of stack.node.findAll()) {
    if (!(machine instanceof sfn.StateMachine)) continue;
    if (machine.stateMachineType !== sfn.StateMachineType.EXPRESS) continue;
    const cfn = machine.node.defaultChild as sfn.CfnStateMachine;
    const definition = renderDefinition(stack, cfn.definitionString, activityIds);
    if (!definition) continue;
    for (const [name, state] of walkStates(definition)) {
      const resource = typeof state.Resource === 'string' ? state.Resource : undefined;
      if (state.Type !== 'Task' || !resource) continue;
      const problem = resource.endsWith('.waitForTaskToken') ? 'the callback pattern (.waitForTaskToken)'
        : /\.sync(:\d+)?$/.test(resource) ? 'the run-a-job pattern (.sync)'
          : resource.startsWith(ACTIVITY_MARKER) || /:activity:/.test(resource) ? 'an activity'
            : undefined;
      if (problem) {
        errors.push(`State '${name}' in EXPRESS state machine '${machine.node.path}' uses ${problem}, which Express workflows do not support. `
          + 'Use stateMachineType: StateMachineType.STANDARD, or the request-response integration pattern.');
      }
    }
  }
  return errors;
}

const ACTIVITY_MARKER = 'stepwright:activity:';

/**
 * Turns the (possibly Fn::Join'ed) definition string back into JSON. Tokens
 * only ever occur inside JSON strings, so substituting a plain marker for
 * each keeps the document parseable.
 */
function renderDefinition(stack: Stack, definitionString: string | undefined, activityIds: Set<string>): any {
  if (definitionString === undefined) return undefined;
  const resolved = stack.resolve(definitionString);
  let text: string;
  if (typeof resolved === 'string') {
    text = resolved;
  } else if (resolved && Array.isArray(resolved['Fn::Join'])) {
    const parts: unknown[] = resolved['Fn::Join'][1];
    text = parts.map((p) => {
      if (typeof p === 'string') return p;
      const ref = (p as { Ref?: string }).Ref;
      return ref && activityIds.has(ref) ? `${ACTIVITY_MARKER}${ref}` : 'token';
    }).join(resolved['Fn::Join'][0]);
  } else {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function* walkStates(graph: any): Generator<[string, any]> {
  for (const [name, state] of Object.entries<any>(graph?.States ?? {})) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* walkStates(branch);
    if (state.ItemProcessor) yield* walkStates(state.ItemProcessor);
    if (state.Iterator) yield* walkStates(state.Iterator);
  }
}
