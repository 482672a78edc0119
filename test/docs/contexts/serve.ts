// Names the serve guide's fragments use.
export declare const stateMachineArn: string;
export declare const order: { orderId: string };
