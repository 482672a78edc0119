/**
 * AWS Step Functions prices, as data. Nothing here is fetched: the table below was read from
 * AWS's pricing page on the date it names, and a user replaces or extends it with a table of
 * the same shape ({@link checkPriceTable} says what is wrong with one).
 */

/** One band of Express duration pricing: `gbHours` GB-hours at `usdPerGbHour`; the last band has no `gbHours`. */
export interface ExpressDurationTier {
  /** GB-hours in this band each month. @default - the rest (only the last band may leave it out) */
  readonly gbHours?: number;
  /** Price of one GB-hour in this band, in US dollars. */
  readonly usdPerGbHour: number;
}

/** Standard workflow prices of one region. */
export interface StandardPrices {
  /** Price of 1,000 state transitions, in US dollars. */
  readonly usdPer1000Transitions: number;
  /** State transitions free each month (AWS's free tier, per account). */
  readonly freeTransitionsPerMonth: number;
}

/** Express workflow prices of one region. */
export interface ExpressPrices {
  /** Price of one million requests (executions started), in US dollars. */
  readonly usdPerMillionRequests: number;
  /** Duration prices per GB-hour, in bands that apply one after another over a month. */
  readonly duration: readonly ExpressDurationTier[];
}

/** The prices of one region; a region may have Standard prices only. */
export interface RegionPrices {
  readonly standard?: StandardPrices;
  readonly express?: ExpressPrices;
}

/** A price table: where its numbers come from, and the prices by region code (`us-east-1`). */
export interface PriceTable {
  /** The page the numbers were read from. */
  readonly source: string;
  /** The day they were read (YYYY-MM-DD). */
  readonly retrieved: string;
  /** Prices by region code. */
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

/**
 * A price table, or a region, that cannot be used: the message names the field, the value and
 * how to fix it.
 * @example
 * expect(() => checkPriceTable({ source: 'x', retrieved: '2025-01-01', regions: { 'us-east-1': { standard: { usdPer1000Transitions: -1, freeTransitionsPerMonth: 0 } } } }))
 *   .toThrow(CostError);
 */
export class CostError extends Error {
  /** The field at fault, as a path (`regions.us-east-1.standard.usdPer1000Transitions`), or the option. */
  public readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'CostError';
    this.field = field;
  }
}

const SOURCE = 'AWS Step Functions Pricing, https://aws.amazon.com/step-functions/pricing/';

/**
 * Express duration bands of US East (N. Virginia): the pricing page's worked Express example
 * prices 17,361.11 GB-hours as 1,000 at $0.06000, 4,000 at $0.03000 and the rest at $0.01642
 * ($0.00001667, $0.00000833 and $0.00000456 per GB-second).
 */
const US_EAST_1_EXPRESS: ExpressPrices = {
  usdPerMillionRequests: 1.0,
  duration: [
    { gbHours: 1000, usdPerGbHour: 0.06 },
    { gbHours: 4000, usdPerGbHour: 0.03 },
    { usdPerGbHour: 0.01642 },
  ],
};

/** The Standard price per 1,000 transitions of each region the pricing page's table lists. */
const STANDARD_PER_1000: Readonly<Record<string, number>> = {
  'us-east-1': 0.025,
  'us-east-2': 0.025,
  'us-west-2': 0.025,
  'us-west-1': 0.0279,
  'ca-central-1': 0.025,
  'sa-east-1': 0.0375,
  'us-gov-east-1': 0.03,
  'us-gov-west-1': 0.03,
  'eu-west-1': 0.025,
  'eu-central-1': 0.025,
  'eu-west-2': 0.025,
  'eu-west-3': 0.0297,
  'eu-north-1': 0.025,
  'ap-southeast-1': 0.025,
  'ap-northeast-1': 0.025,
  'ap-southeast-2': 0.025,
  'ap-northeast-2': 0.0271,
  'ap-south-1': 0.0285,
};

function builtInRegions(): Record<string, RegionPrices> {
  const regions: Record<string, RegionPrices> = {};
  for (const [region, usd] of Object.entries(STANDARD_PER_1000)) {
    regions[region] = { standard: { usdPer1000Transitions: usd, freeTransitionsPerMonth: 4000 } };
  }
  regions['us-east-1'] = { ...regions['us-east-1'], express: US_EAST_1_EXPRESS };
  return regions;
}

/**
 * The prices stepwright ships: Standard for the 18 regions of the pricing page's state
 * transitions table, with its free tier of 4,000 transitions a month; Express for US East
 * (N. Virginia), the region of the page's worked Express example. For another region's Express
 * prices, give a table of your own (`stepwright cost --prices`, or `prices` in the options).
 */
export const DEFAULT_PRICES: PriceTable = {
  source: SOURCE,
  retrieved: '2026-11-25',
  regions: builtInRegions(),
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value a message quotes: numbers as they are (NaN, Infinity), other values as JSON, cut at 60 characters. @internal */
export function show(v: unknown): string {
  // JSON has no word for NaN or Infinity: say them as they are, not as null.
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * The most a price may be, in US dollars: AWS's are fractions of a cent to a few cents. Bounded
 * so that no product of a price with a bounded count of runs and transitions overflows.
 */
const MAX_USD = 1_000_000;

/** A price in US dollars, or (`quantity`) a count of transitions or GB-hours. */
function rate(obj: Record<string, unknown>, key: string, at: string, quantity = false): number {
  const field = `${at}.${key}`;
  if (!Object.hasOwn(obj, key)) throw new CostError(field, `the price table has no ${field}; give it as a number (${quantity ? 'a quantity' : 'US dollars'}), as in the table stepwright ships`);
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CostError(field, `${field} must be a number, got ${show(v)}`);
  if (v < 0) throw new CostError(field, `${field} must not be negative, got ${v}`);
  const most = quantity ? Number.MAX_SAFE_INTEGER : MAX_USD;
  if (v > most) throw new CostError(field, `${field} must be at most ${most.toLocaleString('en-US')}${quantity ? '' : ' (US dollars)'}, got ${v}`);
  return v;
}

const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function checkRegion(region: string, entry: unknown): RegionPrices {
  const at = `regions.${region}`;
  if (!REGION_CODE.test(region)) throw new CostError(at, `${at}: '${region}' is not an AWS region code (like us-east-1)`);
  if (!isRecord(entry)) throw new CostError(at, `${at} must be an object with standard and/or express prices, got ${show(entry)}`);
  for (const key of Object.keys(entry)) {
    if (key !== 'standard' && key !== 'express') throw new CostError(`${at}.${key}`, `${at} has an unknown field '${key}'; a region has standard and express prices`);
  }
  const out: { standard?: StandardPrices; express?: ExpressPrices } = {};
  if (entry.standard !== undefined) {
    const s = entry.standard;
    if (!isRecord(s)) throw new CostError(`${at}.standard`, `${at}.standard must be an object, got ${show(s)}`);
    out.standard = {
      usdPer1000Transitions: rate(s, 'usdPer1000Transitions', `${at}.standard`),
      freeTransitionsPerMonth: rate(s, 'freeTransitionsPerMonth', `${at}.standard`, true),
    };
  }
  if (entry.express !== undefined) {
    const e = entry.express;
    if (!isRecord(e)) throw new CostError(`${at}.express`, `${at}.express must be an object, got ${show(e)}`);
    const usdPerMillionRequests = rate(e, 'usdPerMillionRequests', `${at}.express`);
    const tiersAt = `${at}.express.duration`;
    if (!Object.hasOwn(e, 'duration')) throw new CostError(tiersAt, `the price table has no ${tiersAt}; give the duration bands, e.g. [{ "gbHours": 1000, "usdPerGbHour": 0.06 }, { "usdPerGbHour": 0.03 }]`);
    if (!Array.isArray(e.duration) || e.duration.length === 0 || e.duration.length > 20) {
      throw new CostError(tiersAt, `${tiersAt} must be a list of 1 to 20 bands, got ${show(e.duration)}`);
    }
    const duration = (e.duration as unknown[]).map((tier, i) => {
      const tierAt = `${tiersAt}[${i}]`;
      if (!isRecord(tier)) throw new CostError(tierAt, `${tierAt} must be an object { gbHours, usdPerGbHour }, got ${show(tier)}`);
      const last = i === (e.duration as unknown[]).length - 1;
      if (!last && tier.gbHours === undefined) throw new CostError(`${tierAt}.gbHours`, `${tierAt} has no gbHours; only the last band may leave it out (it is the rest)`);
      if (last && tier.gbHours !== undefined) throw new CostError(`${tierAt}.gbHours`, `${tierAt} is the last band: leave out gbHours, it prices everything past the bands before it`);
      return last
        ? { usdPerGbHour: rate(tier, 'usdPerGbHour', tierAt) }
        : { gbHours: rate(tier, 'gbHours', tierAt, true), usdPerGbHour: rate(tier, 'usdPerGbHour', tierAt) };
    });
    out.express = { usdPerMillionRequests, duration };
  }
  if (out.standard === undefined && out.express === undefined) throw new CostError(at, `${at} has neither standard nor express prices`);
  return out;
}

/**
 * Checks a price table (parsed JSON, perhaps a user's) and returns it typed. Every rate must be
 * a non-negative number; a missing field, a negative or non-numeric rate, or an unknown field is
 * a {@link CostError} naming it.
 * @example
 * const table = checkPriceTable(JSON.parse(fs.readFileSync('prices.json', 'utf8')));
 */
export function checkPriceTable(table: unknown): PriceTable {
  if (!isRecord(table)) throw new CostError('', `a price table must be an object { source, retrieved, regions }, got ${show(table)}`);
  for (const key of ['source', 'retrieved'] as const) {
    const v = Object.hasOwn(table, key) ? table[key] : undefined;
    if (typeof v !== 'string' || v.trim() === '' || v.length > 1000) {
      throw new CostError(key, `the price table's ${key} must say ${key === 'source' ? 'which page its prices come from' : 'the day they were read (YYYY-MM-DD)'} in at most 1,000 characters, got ${show(v)}`);
    }
  }
  if (!Object.hasOwn(table, 'regions') || !isRecord(table.regions)) throw new CostError('regions', `the price table's regions must be an object by region code, got ${show(table.regions)}`);
  const entries = Object.entries(table.regions);
  if (entries.length > 100) throw new CostError('regions', `the price table lists ${entries.length} regions; at most 100`);
  const regions: Record<string, RegionPrices> = {};
  for (const [region, entry] of entries) regions[region] = checkRegion(region, entry);
  return { source: table.source as string, retrieved: table.retrieved as string, regions };
}

/**
 * The built-in table with a user's laid over it: each region the user's table names replaces
 * that region's entry (Standard and Express separately), and its source and date are the user's.
 */
export function withPrices(base: PriceTable, override: PriceTable | undefined): PriceTable {
  if (override === undefined) return base;
  const regions: Record<string, RegionPrices> = { ...base.regions };
  for (const [region, prices] of Object.entries(override.regions)) {
    const old = Object.hasOwn(regions, region) ? regions[region] : {};
    regions[region] = { ...old, ...prices };
  }
  return { source: `${override.source} (over ${base.source}, ${base.retrieved})`, retrieved: override.retrieved, regions };
}

/** The Standard prices of `region`, or a CostError naming the regions the table has. */
export function standardPrices(table: PriceTable, region: string): StandardPrices {
  const entry = regionOf(table, region);
  if (!entry.standard) throw new CostError(`regions.${region}.standard`, `the price table has no Standard prices for region '${region}'; add regions.${region}.standard to a price table of your own`);
  return entry.standard;
}

/** The Express prices of `region`, or a CostError saying how to give them. */
export function expressPrices(table: PriceTable, region: string): ExpressPrices {
  const entry = regionOf(table, region);
  if (!entry.express) {
    const known = Object.keys(table.regions).filter((r) => table.regions[r].express !== undefined);
    throw new CostError(`regions.${region}.express`, `the price table has no Express prices for region '${region}' (it has them for ${known.join(', ') || 'no region'}); `
      + `add regions.${region}.express to a price table of your own (stepwright cost --prices <file>)`);
  }
  return entry.express;
}

function regionOf(table: PriceTable, region: string): RegionPrices {
  if (typeof region !== 'string' || !Object.hasOwn(table.regions, region)) {
    throw new CostError('region', `unknown region ${show(region)}: the price table (${table.source}, ${table.retrieved}) has ${Object.keys(table.regions).sort().join(', ')}; `
      + 'choose one of them, or give a price table that has it');
  }
  return table.regions[region];
}
