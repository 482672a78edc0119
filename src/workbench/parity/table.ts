/**
 * A parity report as text: per state machine, a line per state with how its visits came out
 * and, where one differs, the first difference with both sides.
 */
import type { ParityDifference, ParityReport, ParityRow, ParityVerdict } from './types';
import type { JsonValue } from '../../asl';
import { printable } from '../common/printable';

/** The widest a value is shown in the table; the case file holds it whole. */
const MAX_SHOWN = 160;

/**
 * The report as a table per state machine: each state, its visits, and `equal` or the first
 * difference (field, stepwright's value, AWS's value) with the case file written for it; then
 * the visits skipped or left unchecked and why, and the calls made. Others' text (state names,
 * values, messages) is escaped so it cannot drive the terminal.
 */
export function parityTable(report: ParityReport): string {
  const lines: string[] = [];
  const machines = new Map<string, ParityRow[]>();
  for (const r of report.rows) {
    const list = machines.get(r.site.machine);
    if (list) list.push(r);
    else machines.set(r.site.machine, [r]);
  }
  for (const [machine, rows] of machines) {
    lines.push(`${printable(machine)}: ${rows.length} visit${rows.length === 1 ? '' : 's'}, ${tally(countOf(rows))}`);
    const states = new Map<string, ParityRow[]>();
    for (const r of rows) {
      const list = states.get(r.site.state);
      if (list) list.push(r);
      else states.set(r.site.state, [r]);
    }
    const width = Math.max(5, ...[...states.keys()].map((s) => printable(s).length));
    lines.push(`  ${'state'.padEnd(width)}  visits  result`);
    for (const [state, list] of states) {
      const [first, ...detail] = stateResult(list);
      lines.push(`  ${printable(state).padEnd(width)}  ${String(list.length).padStart(6)}  ${first}`);
      for (const d of detail) lines.push(`  ${' '.repeat(width)}          ${d}`);
    }
    lines.push('');
  }
  const c = report.counts;
  const total = c.equal + c.differs + c.skipped + c.unchecked;
  lines.push(`${total} visit${total === 1 ? '' : 's'} against ${printable(report.against)}: ${tally(c)}; `
    + `${report.calls} TestState call${report.calls === 1 ? '' : 's'}${report.throttled > 0 ? `, ${report.throttled} throttled and retried` : ''}`);
  if (report.stopped !== undefined) lines.push(`stopped: ${printable(report.stopped)}`);
  return lines.join('\n');
}

function countOf(rows: readonly ParityRow[]): Record<ParityVerdict, number> {
  const c: Record<ParityVerdict, number> = { equal: 0, differs: 0, skipped: 0, unchecked: 0 };
  for (const r of rows) c[r.verdict]++;
  return c;
}

function tally(c: Readonly<Record<ParityVerdict, number>>): string {
  const parts = (['equal', 'differs', 'skipped', 'unchecked'] as const).filter((v) => c[v] > 0).map((v) => `${c[v]} ${v === 'differs' ? (c[v] === 1 ? 'differs' : 'differ') : v}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** A state's result: `equal`, or its counts and the first difference, then the first skip or unchecked reason. */
function stateResult(rows: readonly ParityRow[]): string[] {
  const c = countOf(rows);
  if (c.equal === rows.length) return ['equal'];
  const out: string[] = [tally(c)];
  const differs = rows.find((r) => r.verdict === 'differs');
  if (differs) {
    const d = differs.differences![0];
    out.push(`${at(differs)}: ${printable(d.field)} differs${differs.differences!.length > 1 ? ` (and ${differs.differences!.length - 1} more field${differs.differences!.length > 2 ? 's' : ''})` : ''}`);
    out.push(`  stepwright: ${side(d, 'local')}`);
    out.push(`  AWS:        ${side(d, 'aws')}`);
    if (differs.caseFile !== undefined) out.push(`  case file:  ${printable(differs.caseFile)}`);
  }
  for (const verdict of ['skipped', 'unchecked'] as const) {
    const r = rows.find((x) => x.verdict === verdict);
    if (r) out.push(`${at(r)} ${verdict}: ${printable(r.reason ?? '')}`);
  }
  return out;
}

function at(r: ParityRow): string {
  return `visit ${r.site.visit}${r.site.attempt > 1 ? ` attempt ${r.site.attempt}` : ''}${r.site.run !== undefined ? ` (${printable(r.site.run)})` : ''}`;
}

function side(d: ParityDifference, key: 'local' | 'aws'): string {
  if (!Object.hasOwn(d, key)) return '(none)';
  const v = d[key] as JsonValue;
  if (d.field === 'refused' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return printable(`refused: ${String(v.type)}: ${String(v.message)}`).slice(0, MAX_SHOWN);
  }
  const text = printable(JSON.stringify(v));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

