/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, fifth pass): a sprint board
 * whose tasks one Assign splits into done and open (two complementary filters of one list), its
 * Choice closing the sprint on counts of both, one rule of which no list can meet.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A sprint closed when three tasks are done and one is left for the next, archived when none is
 * left: the last can never be, since an Assign of a filter that keeps nothing fails 'Load board'.
 */
export const sprintBoardClose: ModernMachine = {
  name: 'SprintBoardClose',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load board',
      States: {
        'Load board': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('load-board'), Payload: { sprint: '{% $states.input.sprint %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Assign: {
            finished: "{% $states.result.Payload.cards[column = 'done'] %}",
            remaining: "{% $states.result.Payload.cards[column != 'done'] %}",
          },
          Next: 'Sprint over?',
        },
        'Sprint over?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($finished) >= 3 and $count($remaining) = 0 %}', Next: 'Archive sprint' },
            { Condition: '{% $count($finished) >= 3 and $count($remaining) = 1 %}', Next: 'Carry over' },
          ],
          Default: 'Keep going',
        },
        'Archive sprint': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('archive-sprint'), Payload: { done: '{% $finished %}' } },
          End: true,
        },
        'Carry over': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('carry-over'), Payload: { card: '{% $remaining %}' } },
          End: true,
        },
        'Keep going': { Type: 'Succeed' },
      },
    });
  },
};
