/*
 * Which parts of a JSONata expression Step Functions refuses to read.
 *
 * Step Functions evaluates JSONata with no context item: the state input is
 * only `$states.input` and variables are `$name`. AWS therefore refuses, when
 * the state machine is created, any name read against the top-level context
 * (`phone`, `$`, `$.phone`), the root `$$`, and `$states.errorOutput` outside
 * a Catch. These facts were measured with validate-state-machine-definition.
 *
 * Only the FIRST step of a path is read against the top level; predicates,
 * sort terms, group-by, later path steps and transform patterns are read
 * against whatever the path has produced so far, so names there are fine.
 */

/** One reference AWS refuses, with where it ends in the expression. @internal */
export interface JsonataReference {
  /** `name`: a field read at the top level (`'$'` for the context item); `root`: `$$`; `errorOutput`: `$states.errorOutput`. */
  readonly kind: 'name' | 'root' | 'errorOutput';
  /** The field name for `name`; `'$$'` or `'$states.errorOutput'` otherwise. */
  readonly name: string;
  /** Character offset JSONata reports for the token, used to keep the order written. */
  readonly position: number;
}

/** The loose shape of a JSONata AST node; only the fields read here are typed. */
interface Node {
  readonly type?: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: Node[];
  readonly stages?: Node[];
  readonly predicate?: Node[];
  readonly group?: { lhs?: Node[][] };
  readonly expressions?: Node[];
  readonly expression?: Node;
  readonly expr?: Node;
  readonly lhs?: Node | Node[][];
  readonly rhs?: Node;
  readonly arguments?: Node[];
  readonly procedure?: Node;
  readonly body?: Node;
  readonly condition?: Node;
  readonly then?: Node;
  readonly else?: Node;
  readonly pattern?: Node;
  readonly update?: Node;
  readonly delete?: Node;
  readonly terms?: { expression?: Node }[];
}

/** Node types with no sub-expression of their own (only, perhaps, a predicate). */
const LEAVES = new Set(['string', 'number', 'value', 'regex', 'wildcard', 'descendant', 'parent', 'operator']);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Lists the references AWS refuses in a parsed JSONata expression, in the
 * order written. `$$` and `$states.errorOutput` are listed wherever they
 * appear (their meaning does not depend on the context); names and `$` only
 * where they are read against the top-level context.
 * @internal
 */
export function refusedReferences(ast: unknown): JsonataReference[] {
  const found: JsonataReference[] = [];
  const add = (kind: JsonataReference['kind'], name: string, node: Node): void => {
    found.push({ kind, name, position: typeof node.position === 'number' ? node.position : 0 });
  };

  // `top` is true where the expression is evaluated against the top-level context.
  const walk = (n: unknown, top: boolean): void => {
    if (!isNode(n)) return;
    // Predicates, filter stages and group-by apply to what the node produced.
    const relative = (): void => {
      n.predicate?.forEach((p) => walk(p, false));
      n.stages?.forEach((s) => walk(s, false));
      n.group?.lhs?.forEach((pair) => pair.forEach((e) => walk(e, false)));
    };
    switch (n.type) {
      case 'path': {
        const steps = n.steps ?? [];
        if (steps.length >= 2 && steps[0].type === 'variable' && steps[0].value === 'states'
          && steps[1].type === 'name' && steps[1].value === 'errorOutput') {
          add('errorOutput', '$states.errorOutput', steps[1]);
        }
        steps.forEach((step, i) => walk(step, top && i === 0));
        relative();
        return;
      }
      case 'name':
        if (top) add('name', String(n.value), n);
        relative();
        return;
      case 'variable':
        if (n.value === '$') add('root', '$$', n);
        else if (n.value === '' && top) add('name', '$', n);
        relative();
        return;
      case 'block':
      case 'unary':
        n.expressions?.forEach((e) => walk(e, top));
        if (isNode(n.expression)) walk(n.expression, top);
        if (Array.isArray(n.lhs)) n.lhs.forEach((pair) => (Array.isArray(pair) ? pair.forEach((e) => walk(e, top)) : undefined));
        relative();
        return;
      case 'binary':
      case 'apply':
      case 'bind':
        if (isNode(n.lhs)) walk(n.lhs, top);
        walk(n.rhs, top);
        relative();
        return;
      case 'condition':
        walk(n.condition, top);
        walk(n.then, top);
        walk(n.else, top);
        relative();
        return;
      case 'function':
      case 'partial':
        walk(n.procedure, top);
        n.arguments?.forEach((a) => walk(a, top));
        relative();
        return;
      case 'lambda':
        // A lambda body is evaluated in the context where the lambda is defined.
        walk(n.body, top);
        relative();
        return;
      case 'transform':
        // Pattern, update and delete apply to the object being transformed.
        walk(n.pattern, false);
        walk(n.update, false);
        walk(n.delete, false);
        relative();
        return;
      case 'sort':
        n.terms?.forEach((t) => walk(t.expression, false));
        relative();
        return;
      case 'filter':
        walk(n.expr, false);
        return;
      default:
        if (n.type !== undefined && LEAVES.has(n.type)) {
          relative();
          return;
        }
        // An AST shape this walk does not know: look inside for `$$` and
        // `$states.errorOutput` only, never reporting a name, since refusing
        // a definition AWS accepts is worse than missing one it refuses.
        for (const v of Object.values(n)) {
          if (Array.isArray(v)) v.forEach((e) => (Array.isArray(e) ? e.forEach((x) => walk(x, false)) : walk(e, false)));
          else walk(v, false);
        }
    }
  };

  walk(ast, true);
  return found.map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.position - b.r.position || a.i - b.i)
    .map(({ r }) => r);
}
