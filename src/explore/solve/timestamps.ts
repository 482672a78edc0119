import { instantOf } from './literals';

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;

/** The earliest instant a Choice rule can read: year 0 at the first moment, 18 hours ahead of UTC. */
export const EARLIEST = instantOf('0000-01-01T00:00:00+18:00')!;
/** The latest instant a Choice rule can read: year 9999 at the last nanosecond, 18 hours behind UTC. */
export const LATEST = instantOf('9999-12-31T23:59:59.999999999-18:00')!;
const FIRST_UTC = instantOf('0000-01-01T00:00:00Z')!;
const LAST_UTC = instantOf('9999-12-31T23:59:59.999999999Z')!;

/** Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * An instant as RFC 3339 text in the one canonical form: UTC with `Z`, the
 * fraction only when there is one and without trailing zeros
 * (`2024-01-01T00:00:00Z`, `2024-01-01T00:00:00.5Z`). An instant before year
 * 0 or after year 9999 in UTC is written with the ±18:00 offset that brings it
 * into range.
 */
export function formatInstant(ns: bigint): string {
  if (ns < FIRST_UTC) return formatWithOffset(ns, 18 * 3600);
  if (ns > LAST_UTC) return formatWithOffset(ns, -18 * 3600);
  return formatWithOffset(ns, 0);
}

function formatWithOffset(ns: bigint, offsetSeconds: number): string {
  const local = ns + BigInt(offsetSeconds) * NS_PER_SECOND;
  let days = local / NS_PER_DAY;
  let rest = local % NS_PER_DAY;
  if (rest < 0n) { rest += NS_PER_DAY; days -= 1n; }
  const [y, m, d] = civilFromDays(Number(days));
  const secondOfDay = Number(rest / NS_PER_SECOND);
  const nanos = rest % NS_PER_SECOND;
  const time = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}:${pad(secondOfDay % 60, 2)}`;
  const fraction = nanos === 0n ? '' : `.${pad(nanos, 9).replace(/0+$/, '')}`;
  const zone = offsetSeconds === 0 ? 'Z' : `${offsetSeconds > 0 ? '+' : '-'}${pad(Math.abs(offsetSeconds) / 3600, 2)}:00`;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${time}${fraction}${zone}`;
}

/** One second, in the nanoseconds instants count. */
export const SECOND = NS_PER_SECOND;
/** One day, in nanoseconds. */
export const DAY = NS_PER_DAY;
