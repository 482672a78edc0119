import { StatesErrors, StatesError } from '../../asl/states-errors';
import { LONGEST_TIMER_MS } from '../../asl/timer';
import type { Clock } from '../clock';
import type { TaskAnswer } from '../execution-types';

/**
 * A handler's promise that fails with States.Runtime, naming the state, when it
 * has not settled after `ms` of real time and the clock has no timer left to
 * move to. While one is set (a forwarded call's own deadline, another branch's
 * Wait), the clock's own hold limit lets time go on to it and the watch looks
 * again `ms` later: which of two real timers fired first must not decide how
 * the run ends. @internal
 */
export function unsettledWatch(
  answer: Promise<TaskAnswer>, stateName: string, ms: number, clock: Pick<Clock, 'hasActiveTimer'>,
): { settled: Promise<TaskAnswer>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  // What is left of the wait: one longer than Node's longest timer is made of several, one after another.
  let left = ms;
  const expired = new Promise<never>((_resolve, reject) => {
    const arm = (): void => {
      const part = Math.min(left, LONGEST_TIMER_MS);
      left -= part;
      timer = setTimeout(look, part);
    };
    const look = (): void => {
      if (left > 0) return arm();
      if (clock.hasActiveTimer?.() === true) {
        left = ms;
        return arm();
      }
      reject(new StatesError(StatesErrors.RUNTIME,
        `The task handler of state '${stateName}' returned a promise that did not settle within ${ms} ms of real time. ` +
        'Give the state TimeoutSeconds (it then times out on the virtual clock), make the handler settle, ' +
        'or raise the clock\'s holdTimeoutMs (new VirtualClock({ holdTimeoutMs })).'));
    };
    arm();
  });
  expired.catch(() => undefined); // observed through the race below
  const cancel = () => clearTimeout(timer);
  return { settled: Promise.race([answer.finally(cancel), expired]), cancel };
}
