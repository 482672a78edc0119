import { exploreClock } from '../src/explore/context';

/**
 * Stops the clock explore's and verify's budgets read, for the tests of the block (or file) that
 * calls it, and restores it after them.
 *
 * These tests check that a search ends by itself (its run caps, its bounds) with every scenario
 * confirmed; a budget of wall-clock seconds would let a busy machine cut the search short and
 * change what they compare (the contributing guide, "Tests on a loaded machine").
 */
export function stopExploreClock(): void {
  let realNow: () => number = exploreClock.now;
  beforeAll(() => {
    realNow = exploreClock.now;
    exploreClock.now = () => 0;
  });
  afterAll(() => { exploreClock.now = realNow; });
}

/** Runs `work` with the budget clock stopped, then restores it, whether `work` ends or throws. */
export async function withExploreClockStopped<T>(work: () => Promise<T>): Promise<T> {
  const realNow = exploreClock.now;
  exploreClock.now = () => 0;
  try {
    return await work();
  } finally {
    exploreClock.now = realNow;
  }
}
