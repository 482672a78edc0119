import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Stack } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
import { renderStateMachine, type RenderedMachine } from './rendered-machine';
import { forEachState } from '../asl/state-tree';
import { expressUnsupported, taskResource } from '../asl/task-resource';
import { TemplateError } from '../cfn/template-error';

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
  // The mark is an own property under a global symbol, so that two copies of stepwright in one
  // program register the check once; it is never enumerated, written or read as anything else.
  if (Object.hasOwn(stack, REGISTERED)) return;
  Object.defineProperty(stack, REGISTERED, { value: true });
  stack.node.addValidation({ validate: () => findExpressViolations(stack) });
}

/** How the Aspect names what an Express workflow cannot run (asl/task-resource.ts's expressUnsupported). */
const EXPRESS_PROBLEMS = {
  '.waitForTaskToken': 'the callback pattern (.waitForTaskToken)',
  '.sync': 'the run-a-job pattern (.sync)',
  'activity': 'an activity',
  'none': undefined,
} as const;

/** @internal */
export function findExpressViolations(stack: Stack): string[] {
  const errors: string[] = [];
  for (const machine of stack.node.findAll()) {
    if (!(machine instanceof sfn.StateMachine)) continue;
    if (machine.stateMachineType !== sfn.StateMachineType.EXPRESS) continue;
    const definition = parsedDefinition(machine.node.defaultChild as sfn.CfnStateMachine);
    if (!definition) continue;
    forEachState(definition, (name, state) => {
      const resource = state.Type === 'Task' && typeof state.Resource === 'string' ? state.Resource : undefined;
      if (!resource) return;
      const problem = EXPRESS_PROBLEMS[expressUnsupported(taskResource(resource)) ?? 'none'];
      if (problem) {
        errors.push(`State '${name}' in EXPRESS state machine '${machine.node.path}' uses ${problem}, which Express workflows do not support. `
          + 'Use stateMachineType: StateMachineType.STANDARD, or the request-response integration pattern.');
      }
    });
  }
  return errors;
}

/**
 * The machine's definition as JSON, tokens resolved to the placeholders the
 * StateMachineValidator and the jest harness use (an activity's Ref becomes an
 * activity ARN); undefined when it cannot be read at synth time.
 */
function parsedDefinition(machine: sfn.CfnStateMachine): any {
  let rendered: RenderedMachine | undefined;
  try {
    rendered = renderStateMachine(machine);
  } catch (e) {
    // A malformed intrinsic is CloudFormation's to report; there is nothing to check here.
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
  if (typeof rendered?.definition !== 'string') return rendered?.definition;
  try {
    return JSON.parse(rendered.definition);
  } catch {
    return undefined;
  }
}
