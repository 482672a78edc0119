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

/**
 * The help of the check flags explore and verify take, as `stepwright run` reads them: they judge
 * the answers the user gave (--mocks) and every Task's request, so that a scenario ends as the
 * user's own run ends; the answers the search makes up are always checked STRICT and fail on advice.
 * @internal
 */
export const CHECK_FLAGS_USAGE = `  --mock-validation STRICT|PRESENT|NONE
                              How the answers --mocks gives are checked against the AWS service
                              models, as \`stepwright run --mock-validation\` checks them. Default:
                              STRICT for a mocks table, PRESENT for a MockConfigFile
  --mock-advice warn|fail     What a field the model does not define in an answer --mocks gives,
                              or a Throw naming an error the integration never raises, does, as
                              in \`stepwright run\`. Default: warn
  --request-checks fail|warn  What a Task's request AWS refuses does, as in \`stepwright run\`.
                              Default: fail (as AWS)
                              The answers the search makes up itself are always checked STRICT
                              and fail on advice: one AWS never gives reaches no state.`;
