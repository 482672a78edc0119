// Names the record-and-replay guide's fragments use.
import type { TaskHandler } from 'stepwright/interpreter';

export declare const failedExecutionArn: string;
export declare const chargeInFrankfurt: TaskHandler;
export declare const shipInFrankfurt: TaskHandler;
