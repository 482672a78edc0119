import { SafeRegExp } from '../../src/asl/jsonata/safe-regex';

/**
 * Counts the regular-expression matches of every JSONata evaluation in this process: an
 * evaluation's progress, which a test reads instead of measuring time. Counted by hand, not with
 * jest.spyOn: a spy keeps every call's arguments, up to a million of them (JSONATA_LIMITS.steps),
 * which cost seconds of CPU.
 */
export class MatchCounter {
  /** Matches so far. */
  count = 0;
  private told: (() => void) | undefined;
  private readonly exec = SafeRegExp.prototype.exec;

  /** Starts counting (in a beforeAll). */
  install(): void {
    const exec = this.exec;
    const tick = (): void => {
      this.count++;
      this.told?.();
    };
    SafeRegExp.prototype.exec = function (this: SafeRegExp, input: string) {
      tick();
      return exec.call(this, input);
    };
  }

  /** Stops counting (in an afterAll). */
  restore(): void {
    SafeRegExp.prototype.exec = this.exec;
  }

  /** Resolves at the next match: the evaluation has begun. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.told = () => {
        this.told = undefined;
        resolve();
      };
    });
  }
}
