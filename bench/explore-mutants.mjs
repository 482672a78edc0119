// The mutation score of the tests `stepwright explore --write-tests` writes: small faults put into
// a machine's definition one at a time (a Choice rule's target swapped with the Default, a
// comparison flipped, a literal changed, a Next that skips its state, a Catch dropped, a Retry
// dropped, an ErrorEquals name dropped), and the written tests (the same checks the file prints,
// run in-process) run against each mutant. A mutant is killed when one test fails on it. Mutants
// the interpreter refuses to load are not counted; equivalent mutants (no test could kill them)
// are counted as survivors, so the score is a lower bound.

/** Every state map of a definition, nested ones (Parallel branches, Map processors) included. */
function stateMaps(def, out = []) {
  if (!def || typeof def !== 'object' || !def.States || typeof def.States !== 'object') return out;
  out.push(def.States);
  for (const s of Object.values(def.States)) {
    if (!s || typeof s !== 'object') continue;
    for (const b of s.Branches ?? []) stateMaps(b, out);
    if (s.ItemProcessor) stateMaps(s.ItemProcessor, out);
    if (s.Iterator) stateMaps(s.Iterator, out);
  }
  return out;
}

const FLIPS = new Map([
  ['NumericEquals', 'NumericLessThan'], ['NumericLessThan', 'NumericGreaterThanEquals'], ['NumericGreaterThan', 'NumericLessThanEquals'],
  ['NumericLessThanEquals', 'NumericGreaterThan'], ['NumericGreaterThanEquals', 'NumericLessThan'],
  ['StringLessThan', 'StringGreaterThanEquals'], ['StringGreaterThan', 'StringLessThanEquals'],
  ['TimestampLessThan', 'TimestampGreaterThanEquals'], ['TimestampGreaterThan', 'TimestampLessThanEquals'],
]);

/** The comparison of a rule (nested in And/Or/Not: the first one found), as [holder, operator]. */
function comparisonOf(rule) {
  if (!rule || typeof rule !== 'object') return undefined;
  for (const k of ['And', 'Or']) if (Array.isArray(rule[k])) return comparisonOf(rule[k][0]);
  if (rule.Not) return comparisonOf(rule.Not);
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && !k.endsWith('Path') && k !== 'IsPresent');
  return op === undefined ? undefined : [rule, op];
}

function changedLiteral(v) {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}-mutated`;
  if (typeof v === 'boolean') return !v;
  return undefined;
}

/**
 * The mutants of a definition, each { kind, where, apply(def) } (apply changes a deep copy), spread over the
 * kinds: at most `max`, taken in turn from each kind so that one kind does not crowd out the others.
 */
export function mutantsOf(definition, max) {
  const byKind = new Map();
  const add = (kind, where, change) => {
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push({ kind, where, change });
  };
  stateMaps(definition).forEach((states, m) => {
    for (const [name, s] of Object.entries(states)) {
      if (!s || typeof s !== 'object') continue;
      const at = (f) => (d) => f(stateMaps(d)[m][name]);
      if (s.Type === 'Choice') {
        (s.Choices ?? []).forEach((rule, i) => {
          if (s.Default !== undefined && rule.Next !== s.Default) {
            add('swap-choice-target', `${name} rule ${i + 1}`, at((c) => { const t = c.Choices[i].Next; c.Choices[i].Next = c.Default; c.Default = t; }));
          }
          if (typeof rule.Condition === 'string') {
            const inner = rule.Condition.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
            add('flip-comparison', `${name} rule ${i + 1}`, at((c) => { c.Choices[i].Condition = `{% $not(${inner}) %}`; }));
            return;
          }
          const found = comparisonOf(rule);
          if (!found) return;
          const [, op] = found;
          if (FLIPS.has(op)) {
            add('flip-comparison', `${name} rule ${i + 1}`, at((c) => { const [h] = comparisonOf(c.Choices[i]); h[FLIPS.get(op)] = h[op]; delete h[op]; }));
          }
          if (changedLiteral(found[0][op]) !== undefined) {
            add('change-literal', `${name} rule ${i + 1}`, at((c) => { const [h] = comparisonOf(c.Choices[i]); h[op] = changedLiteral(h[op]); }));
          }
        });
      }
      // A Next that skips its state: it goes where the state it named goes.
      const next = typeof s.Next === 'string' ? states[s.Next] : undefined;
      if (next && typeof next.Next === 'string' && next.Next !== name) {
        add('skip-state', `${name} -> ${next.Next}`, at((st) => { st.Next = next.Next; }));
      }
      (s.Catch ?? []).forEach((c, i) => {
        add('drop-catch', `${name} Catch ${i + 1}`, at((st) => { st.Catch.splice(i, 1); if (st.Catch.length === 0) delete st.Catch; }));
        if (c.ErrorEquals?.length > 1) add('drop-error-equals', `${name} Catch ${i + 1}`, at((st) => { st.Catch[i].ErrorEquals.splice(0, 1); }));
      });
      (s.Retry ?? []).forEach((r, i) => {
        add('drop-retry', `${name} Retry ${i + 1}`, at((st) => { st.Retry.splice(i, 1); if (st.Retry.length === 0) delete st.Retry; }));
        if (r.ErrorEquals?.length > 1) add('drop-error-equals', `${name} Retry ${i + 1}`, at((st) => { st.Retry[i].ErrorEquals.splice(0, 1); }));
      });
    }
  });
  const lists = [...byKind.values()];
  const out = [];
  for (let i = 0; out.length < max && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length && out.length < max) out.push(l[i]);
  }
  return out.map(({ kind, where, change }) => ({
    kind,
    where,
    apply: (def) => {
      const copy = structuredClone(def);
      change(copy);
      return copy;
    },
  }));
}

/**
 * Runs the written tests against each mutant: { mutants, killed, survived: [{kind, where}], invalid, byKind }.
 * `tests` are the written tests as data (writtenTests), `failedCheck` reads a run as the file's matchers do.
 * Stops taking new mutants after `budgetMs`.
 */
export async function mutationScore({ Workflow, definition, type, seed, tests, failedCheck, max, budgetMs }) {
  const started = performance.now();
  const result = { mutants: 0, killed: 0, invalid: 0, survived: [], byKind: {}, cut: false };
  for (const m of mutantsOf(definition, max)) {
    if (performance.now() - started > budgetMs) {
      result.cut = true;
      break;
    }
    let wf;
    try {
      wf = Workflow.fromDefinition(m.apply(definition), type ? { type } : {});
    } catch {
      result.invalid++;
      continue;
    }
    let killed = false;
    for (const t of tests) {
      let run;
      try {
        run = await wf.run(t.scenario.input, { mocks: t.mocks, seed });
      } catch {
        // A mutant a test cannot even run (a mock key that no longer matches, a refused input) fails that test.
        killed = true;
        break;
      }
      if (failedCheck(t.checks, run) !== undefined) {
        killed = true;
        break;
      }
    }
    result.mutants++;
    const k = (result.byKind[m.kind] ??= { mutants: 0, killed: 0 });
    k.mutants++;
    if (killed) {
      result.killed++;
      k.killed++;
    } else {
      result.survived.push({ kind: m.kind, where: m.where });
    }
  }
  return result;
}
