/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, sixth pass): a member lookup
 * written in JSONPath whose Assign reads under what its ResultSelector selected (the variable
 * its Choice routes on comes from GetItem's answer through both).
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A support call routed by the member's tier: GetItem's Item selected as `member`, the tier
 * assigned from under it, priority for GOLD members, the standard queue for the rest.
 */
export const memberTierRouting: ModernMachine = {
  name: 'MemberTierRouting',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Find member',
      States: {
        'Find member': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
          Parameters: { TableName: 'members', Key: { memberId: { 'S.$': '$.memberId' } } },
          ResultSelector: { 'member.$': '$.Item', 'read.$': '$$.State.EnteredTime' },
          Assign: { 'tier.$': '$.member.tier.S', 'memberEmail.$': '$.member.email.S' },
          ResultPath: '$.lookup',
          Next: 'Gold member?',
        },
        'Gold member?': {
          Type: 'Choice',
          Choices: [{ Variable: '$tier', StringEquals: 'GOLD', Next: 'Priority queue' }],
          Default: 'Standard queue',
        },
        'Priority queue': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('priority-queue'), Payload: { 'email.$': '$memberEmail', 'case.$': '$.caseId' } },
          End: true,
        },
        'Standard queue': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('standard-queue'), Payload: { 'case.$': '$.caseId' } },
          End: true,
        },
      },
    });
  },
};
