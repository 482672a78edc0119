/**
 * The longest delay Node's setTimeout keeps, in milliseconds (2^31 - 1, about 24.8 days): a
 * longer one is set to 1 ms, with a TimeoutOverflowWarning. Longer real waits are made of such
 * timers, each armed again until the wait is over.
 *
 * Its own module, beside the language, so that serve's real-time clock reads it without loading
 * the interpreter before a machine is created (test/server/start.test.ts).
 * @internal
 */
export const LONGEST_TIMER_MS = 2_147_483_647;
