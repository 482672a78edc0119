import { UsageError } from './cli-error';
import { isPositive, positiveRule } from '../explore/context';

/**
 * A positive option of explore and verify (`--budget-seconds`, `--max-scenarios`) read from its
 * text, refused as the library refuses its value (explore/context.ts); undefined when not given.
 * @throws UsageError naming the flag, the rule and the text
 */
export function positiveOption(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !isPositive(n, integer)) throw new UsageError(`--${name} must be ${positiveRule(integer)}, got '${text}'`);
  return n;
}
