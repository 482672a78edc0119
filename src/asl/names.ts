import { AwsLimits } from './limits';
/**
 * Why `name` cannot name an execution (or a state machine, activity, alias),
 * as AWS's InvalidName says: 1 to 80 characters, none of them white space,
 * brackets `< > { } [ ]`, wildcards `? *`, the characters `" # % \ ^ | ~ ` $ & , ; : /`,
 * or control characters (U+0000–U+001F, U+007F–U+009F). Undefined when it can.
 */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `a name must be a string, got ${name === null ? 'null' : typeof name}`;
  if (name.length === 0) return `a name must have 1 to ${AwsLimits.NAME_CHARS} characters, got an empty one`;
  if (name.length > AwsLimits.NAME_CHARS) return `a name must have 1 to ${AwsLimits.NAME_CHARS} characters, got ${name.length}`;
  const bad = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u.exec(name);
  if (bad) return `a name may not contain ${JSON.stringify(bad[0])} (white space, brackets, wildcards, control characters and "#%\\^|~\`$&,;:/ are refused)`;
  return undefined;
}
