export interface ApprovalRequestEvent {
  /** The Step Functions task token the approver's answer must carry back. */
  readonly taskToken: string;
  readonly orderId: string;
  readonly total: number;
}

/**
 * Asks a human to approve a large order. A real shop would e-mail a link or
 * post to a chat channel; the approval UI then calls SendTaskSuccess
 * (`{ approvedBy }`) or SendTaskFailure (`Approval.Rejected`) with the token.
 */
export const handler = async (event: ApprovalRequestEvent): Promise<{ requested: true }> => {
  if (!event.taskToken) throw new TypeError('taskToken is missing: the approver could never answer');
  console.log(`approval needed for order ${event.orderId} (${event.total.toFixed(2)})`);
  return { requested: true };
};
