import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuilderValidationError } from './common';

const SIMPLE_FIELD = /^[A-Za-z_][\w-]*(\[\d+\])*(\.[A-Za-z_][\w-]*(\[\d+\])*)*$/;

/**
 * A reference to a value, rendered for either query language.
 * `order.total` or `$.order.total` is a field of the state input,
 * `$$.Execution.Input.id` a field of the context object and `$count` a variable.
 * @internal
 */
class FieldRef {
  public readonly jsonPath: string;
  public readonly jsonata: string;
  constructor(public readonly raw: string) {
    let base: [string, string];
    let rest: string;
    if (raw.startsWith('$$.')) {
      base = ['$$', '$states.context']; rest = raw.slice(3);
    } else if (raw.startsWith('$.')) {
      base = ['$', '$states.input']; rest = raw.slice(2);
    } else if (/^\$[A-Za-z_]/.test(raw)) {
      const [name, ...more] = raw.slice(1).split('.');
      base = [`$${name}`, `$${name}`]; rest = more.join('.');
    } else {
      base = ['$', '$states.input']; rest = raw;
    }
    if (rest !== '' && !SIMPLE_FIELD.test(rest)) {
      throw new Error(`When: field '${raw}' is not a plain dotted path (letters, digits, _, -, [index]); `
        + 'for filters or wildcards pass an sfn.Condition instead.');
    }
    // Backticks for names JSONata would not read as a field: with a dash, or
    // the literals true, false and null (a path step cannot be a literal).
    const jsonataRest = rest.split('.').filter((s) => s !== '')
      .map((s) => (s.includes('-') || /^(true|false|null)(\[|$)/.test(s) ? s.replace(/^([^[]+)/, '`$1`') : s));
    this.jsonPath = rest === '' ? base[0] : `${base[0]}.${rest}`;
    this.jsonata = [base[1], ...jsonataRest].join('.');
  }
}

/**
 * A Choice rule that renders as a JSONPath comparison or a JSONata
 * `Condition`, whichever the Choice state it is added to uses. Make one with {@link When}.
 */
export abstract class Rule {
  /** @internal */
  public abstract _jsonPath(): sfn.Condition;
  /** @internal expression without the `{% %}` delimiters */
  public abstract _jsonata(): string;
}

class LeafRule extends Rule {
  constructor(private readonly jp: () => sfn.Condition, private readonly jn: () => string) { super(); }
  public _jsonPath() { return this.jp(); }
  public _jsonata() { return this.jn(); }
}

function lit(value: string | number | boolean): string {
  return JSON.stringify(value);
}

function typed(type: string, f: FieldRef, test: string): string {
  // A comparison on a value of the wrong type is false in JSONPath rules;
  // JSONata would raise an error instead, so guard with $type.
  return `($type(${f.jsonata}) = "${type}" and ${test})`;
}

/** Comparisons of a string field. */
export class StringField {
  /** @internal */
  constructor(private readonly f: FieldRef) {}
  /** The field is this string (StringEquals). */
  public equals(value: string): Rule {
    return new LeafRule(() => sfn.Condition.stringEquals(this.f.jsonPath, value), () => `(${this.f.jsonata} = ${lit(value)})`);
  }
  /** The field sorts before this string (StringLessThan). */
  public lessThan(value: string): Rule {
    return new LeafRule(() => sfn.Condition.stringLessThan(this.f.jsonPath, value), () => typed('string', this.f, `${this.f.jsonata} < ${lit(value)}`));
  }
  /** StringLessThanEquals. */
  public lessThanEquals(value: string): Rule {
    return new LeafRule(() => sfn.Condition.stringLessThanEquals(this.f.jsonPath, value), () => typed('string', this.f, `${this.f.jsonata} <= ${lit(value)}`));
  }
  /** StringGreaterThan. */
  public greaterThan(value: string): Rule {
    return new LeafRule(() => sfn.Condition.stringGreaterThan(this.f.jsonPath, value), () => typed('string', this.f, `${this.f.jsonata} > ${lit(value)}`));
  }
  /** StringGreaterThanEquals. */
  public greaterThanEquals(value: string): Rule {
    return new LeafRule(() => sfn.Condition.stringGreaterThanEquals(this.f.jsonPath, value), () => typed('string', this.f, `${this.f.jsonata} >= ${lit(value)}`));
  }
  /** The field matches a pattern where `*` is any run of characters and `\*` a literal star (StringMatches). */
  public matches(pattern: string): Rule {
    return new LeafRule(() => sfn.Condition.stringMatches(this.f.jsonPath, pattern), () => typed('string', this.f, `$contains(${this.f.jsonata}, ${wildcardRegex(pattern)})`));
  }
}

/**
 * The StringMatches pattern as a JSONata regex: `*` is any run of characters,
 * newlines included (hence `[\s\S]`, as `.` stops at a newline), `\*` a
 * literal star and `\\` a literal backslash, as in JSONPath rules.
 * A backslash is written `\x5c`: JSONata's lexer does not count a bracket
 * that follows a backslash, so `\\[` would leave the regex unterminated.
 */
const REGEX_SPECIAL = /[.*+?^${}()|[\]/]/;

function wildcardRegex(pattern: string): string {
  const parts = pattern.split(/(\\\\|\\\*|\*)/).map((p) => {
    if (p === '*') return '[\\s\\S]*';
    if (p === '\\*') return '\\*';
    if (p === '\\\\') return '\\x5c';
    return [...p].map((c) => (c === '\\' ? '\\x5c' : REGEX_SPECIAL.test(c) ? `\\${c}` : c)).join('');
  });
  return `/^${parts.join('')}$/`;
}

/** Comparisons of a numeric field. */
export class NumberField {
  /** @internal */
  constructor(private readonly f: FieldRef) {}
  /** NumericEquals. */
  public equals(value: number): Rule {
    return new LeafRule(() => sfn.Condition.numberEquals(this.f.jsonPath, value), () => typed('number', this.f, `${this.f.jsonata} = ${lit(value)}`));
  }
  /** NumericLessThan. */
  public lessThan(value: number): Rule {
    return new LeafRule(() => sfn.Condition.numberLessThan(this.f.jsonPath, value), () => typed('number', this.f, `${this.f.jsonata} < ${lit(value)}`));
  }
  /** NumericLessThanEquals. */
  public lessThanEquals(value: number): Rule {
    return new LeafRule(() => sfn.Condition.numberLessThanEquals(this.f.jsonPath, value), () => typed('number', this.f, `${this.f.jsonata} <= ${lit(value)}`));
  }
  /** NumericGreaterThan. */
  public greaterThan(value: number): Rule {
    return new LeafRule(() => sfn.Condition.numberGreaterThan(this.f.jsonPath, value), () => typed('number', this.f, `${this.f.jsonata} > ${lit(value)}`));
  }
  /** NumericGreaterThanEquals. */
  public greaterThanEquals(value: number): Rule {
    return new LeafRule(() => sfn.Condition.numberGreaterThanEquals(this.f.jsonPath, value), () => typed('number', this.f, `${this.f.jsonata} >= ${lit(value)}`));
  }
}

/** Comparisons of a boolean field. */
export class BooleanField {
  /** @internal */
  constructor(private readonly f: FieldRef) {}
  /** BooleanEquals. */
  public equals(value: boolean): Rule {
    return new LeafRule(() => sfn.Condition.booleanEquals(this.f.jsonPath, value), () => `(${this.f.jsonata} = ${lit(value)})`);
  }
}

/** The timestamps Timestamp* Choice rules accept: RFC 3339 with an uppercase T and Z or a numeric offset. */
const RFC3339 = '/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/';

/**
 * Comparisons of an RFC 3339 timestamp field (`2016-08-18T17:33:00Z`). A value
 * that is not such a timestamp (including a date alone) makes the rule false.
 */
export class TimestampField {
  /** @internal */
  constructor(private readonly f: FieldRef) {}
  /** TimestampEquals. */
  public equals(value: string): Rule { return this.cmp('=', value, sfn.Condition.timestampEquals); }
  /** TimestampLessThan. */
  public before(value: string): Rule { return this.cmp('<', value, sfn.Condition.timestampLessThan); }
  /** TimestampLessThanEquals. */
  public atOrBefore(value: string): Rule { return this.cmp('<=', value, sfn.Condition.timestampLessThanEquals); }
  /** TimestampGreaterThan. */
  public after(value: string): Rule { return this.cmp('>', value, sfn.Condition.timestampGreaterThan); }
  /** TimestampGreaterThanEquals. */
  public atOrAfter(value: string): Rule { return this.cmp('>=', value, sfn.Condition.timestampGreaterThanEquals); }
  private cmp(op: string, value: string, jp: (v: string, x: string) => sfn.Condition): Rule {
    // $toMillis raises an error on a string that is not a timestamp (failing the
    // Choice with States.QueryEvaluationError) and accepts shapes JSONPath rules
    // refuse, such as '2024-01-01'; only RFC 3339 timestamps are compared, so
    // anything else is false in both languages.
    return new LeafRule(() => jp(this.f.jsonPath, value),
      () => typed('string', this.f, `$contains(${this.f.jsonata}, ${RFC3339}) and $toMillis(${this.f.jsonata}) ${op} $toMillis(${lit(value)})`));
  }
}

/** Type and presence tests of any field. */
export class AnyField {
  /** @internal */
  constructor(private readonly f: FieldRef) {}
  /** The field exists (IsPresent). */
  public isPresent(): Rule { return new LeafRule(() => sfn.Condition.isPresent(this.f.jsonPath), () => `$exists(${this.f.jsonata})`); }
  /** The field does not exist. */
  public isNotPresent(): Rule { return new LeafRule(() => sfn.Condition.isNotPresent(this.f.jsonPath), () => `$not($exists(${this.f.jsonata}))`); }
  /** The field is null (IsNull). */
  public isNull(): Rule { return new LeafRule(() => sfn.Condition.isNull(this.f.jsonPath), () => `(${this.f.jsonata} = null)`); }
  /** The field is a string (IsString). */
  public isString(): Rule { return new LeafRule(() => sfn.Condition.isString(this.f.jsonPath), () => `($type(${this.f.jsonata}) = "string")`); }
  /** The field is a number (IsNumeric). */
  public isNumeric(): Rule { return new LeafRule(() => sfn.Condition.isNumeric(this.f.jsonPath), () => `($type(${this.f.jsonata}) = "number")`); }
  /** The field is a boolean (IsBoolean). */
  public isBoolean(): Rule { return new LeafRule(() => sfn.Condition.isBoolean(this.f.jsonPath), () => `($type(${this.f.jsonata}) = "boolean")`); }
}

/**
 * Typed Choice rules that render for JSONPath and JSONata alike.
 *
 * Fields are written `order.total` (state input), `$$.Execution.Input.id`
 * (context object) or `$limit` (a variable).
 *
 * @example
 * new Choice(this, 'Route', {})
 *   .when(When.and(When.string('status').equals('paid'), When.number('total').greaterThan(100)), review)
 *   .otherwise(ship);
 */
export class When {
  /** Compare a string field. */
  public static string(field: string): StringField { return new StringField(new FieldRef(field)); }
  /** Compare a numeric field. */
  public static number(field: string): NumberField { return new NumberField(new FieldRef(field)); }
  /** Compare a boolean field. */
  public static boolean(field: string): BooleanField { return new BooleanField(new FieldRef(field)); }
  /** Compare a timestamp field. */
  public static timestamp(field: string): TimestampField { return new TimestampField(new FieldRef(field)); }
  /** Test a field's presence or type. */
  public static field(field: string): AnyField { return new AnyField(new FieldRef(field)); }
  /** All rules hold. */
  public static and(...rules: Rule[]): Rule {
    return new LeafRule(() => sfn.Condition.and(...rules.map((r) => r._jsonPath())), () => `(${rules.map((r) => r._jsonata()).join(' and ')})`);
  }
  /** At least one rule holds. */
  public static or(...rules: Rule[]): Rule {
    return new LeafRule(() => sfn.Condition.or(...rules.map((r) => r._jsonPath())), () => `(${rules.map((r) => r._jsonata()).join(' or ')})`);
  }
  /** The rule does not hold. */
  public static not(rule: Rule): Rule {
    return new LeafRule(() => sfn.Condition.not(rule._jsonPath()), () => `$not(${rule._jsonata()})`);
  }
}

/** Props of {@link Choice}. */
export interface ChoiceProps extends sfn.ChoiceProps {
  /**
   * Accept that an input matching no rule fails the execution with
   * States.NoChoiceMatched. Without this, a Choice with no `otherwise` is a synth error.
   * @default false
   */
  readonly allowNoMatch?: boolean;
}

/** Rule bound to the language its Choice renders in. */
class BoundCondition extends sfn.Condition {
  constructor(private readonly rule: Rule, private readonly language: () => sfn.QueryLanguage) { super(); }
  public renderCondition(): any {
    return this.language() === sfn.QueryLanguage.JSONATA
      ? { Condition: `{% ${this.rule._jsonata()} %}` }
      : this.rule._jsonPath().renderCondition();
  }
}

/**
 * A Choice state that takes typed {@link When} rules as well as
 * `sfn.Condition`s, and refuses to synthesize without an `otherwise` branch
 * unless `allowNoMatch` is set, so a silent States.NoChoiceMatched cannot happen by accident.
 *
 * @example
 * const route = Choice.jsonata(this, 'Route')
 *   .when(When.number('total').greaterThan(100), review)
 *   .otherwise(ship);
 */
export class Choice extends sfn.Choice {
  /** A Choice whose rules render as JSONPath comparisons. */
  public static jsonPath(scope: Construct, id: string, props: Omit<ChoiceProps, 'queryLanguage'> = {}): Choice {
    return new Choice(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSON_PATH });
  }
  /** A Choice whose rules render as JSONata `Condition`s. */
  public static jsonata(scope: Construct, id: string, props: Omit<ChoiceProps, 'queryLanguage'> = {}): Choice {
    return new Choice(scope, id, { ...props, queryLanguage: sfn.QueryLanguage.JSONATA });
  }

  private hasOtherwise = false;
  private renderLanguage: sfn.QueryLanguage = sfn.QueryLanguage.JSON_PATH;

  constructor(scope: Construct, id: string, props: ChoiceProps = {}) {
    const { allowNoMatch, ...rest } = props;
    super(scope, id, rest);
    this.node.addValidation({
      validate: () => (this.hasOtherwise || allowNoMatch ? [] : [
        `Choice '${this.stateId}' has no otherwise branch: an input that matches no rule fails the execution with States.NoChoiceMatched. `
        + 'Add .otherwise(state), or set allowNoMatch: true if that failure is intended.',
      ]),
    });
  }

  /** Go to `next` when the rule or condition holds. Rules are tried in the order added. */
  public when(condition: sfn.Condition | Rule, next: sfn.IChainable, options?: sfn.ChoiceTransitionOptions): Choice {
    if (condition instanceof Rule) {
      super.when(new BoundCondition(condition, () => this.renderLanguage), next, options);
    } else {
      if (condition === undefined) throw new BuilderValidationError(this, 'condition', `Choice '${this.stateId}': when() needs a Rule or sfn.Condition, got undefined`);
      super.when(condition, next, options);
    }
    return this;
  }

  /** Go to `def` when no rule holds. */
  public otherwise(def: sfn.IChainable): Choice {
    this.hasOtherwise = true;
    super.otherwise(def);
    return this;
  }

  /** Renders the rules in the query language in force for this state. */
  public toStateJson(topLevelQueryLanguage?: sfn.QueryLanguage): object {
    this.renderLanguage = this.queryLanguage ?? topLevelQueryLanguage ?? sfn.QueryLanguage.JSON_PATH;
    return super.toStateJson(topLevelQueryLanguage);
  }
}
