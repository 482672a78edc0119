// Names the testing guide's fragments use, as examples/order-workflow/test/order-workflow.test.ts defines them.
import type { handlers as orderHandlers } from '../../../examples/order-workflow/test/handlers';
import type { Workflow, WorkflowRun } from 'stepwright/testing';

/** The example's stack, ready to run. */
export declare const wf: Workflow;
/** The example's state machine as an EXPRESS workflow (for at-least-once delivery). */
export declare const expressWf: Workflow;
/** A finished run of it. */
export declare const run: WorkflowRun;
/** Every Lambda task answered by its real handler. */
export declare const handlers: typeof orderHandlers;
export declare const smallOrder: { orderId: string; card: string; address: { country: string }; items: Array<{ sku: string; qty: number }> };
export declare const largeOrder: typeof smallOrder;
export declare const order: typeof smallOrder;
/** What the saga state holds when 'Charge card' runs. */
export declare const sagaState: { orderId: string; card: string; total: number };
