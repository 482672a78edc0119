// Larger variants of ../shared/bench workloads whose timed runs are short enough that fixed
// costs (a run's setup, V8 warming up) decide the ratio: the same definitions and checks,
// scaled up, each with its hand-written floor written as ../shared/bench/adapters/limit.mjs
// writes its own (the same data work per transition, one `await` per transition, no
// interpreter). Definitions and inputs are built in memory, deterministically.

const tick = () => null;

/** ResultPath merge, copy-on-write, as the floor does it. */
function put(obj, key, val) {
  const o = Object.assign({}, obj);
  o[key] = val;
  return o;
}

function seqPass(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`S${i}`] = {
      Type: 'Pass',
      Parameters: { step: i, 'prev.$': '$.cur.step', 'name.$': '$.meta.name', 'tag.$': '$.meta.tags[1]' },
      ResultPath: '$.cur',
      ...(i === n - 1 ? { End: true } : { Next: `S${i + 1}` }),
    };
  }
  return { Comment: `${n} chained Pass states`, StartAt: 'S0', States };
}

function parallel(branches) {
  const Branches = [];
  for (let b = 0; b < branches; b++) {
    const States = {};
    for (let k = 1; k <= 5; k++) {
      States[`B${b}S${k}`] = {
        Type: 'Pass',
        Parameters: { b, s: k, 'prev.$': '$.r.s' },
        ResultPath: '$.r',
        ...(k === 5 ? { End: true } : { Next: `B${b}S${k + 1}` }),
      };
    }
    Branches.push({ StartAt: `B${b}S1`, States });
  }
  return { Comment: `Parallel with ${branches} branches x 5 Pass states`, StartAt: 'Par', States: { Par: { Type: 'Parallel', Branches, End: true } } };
}

/** big-payload's document, its records repeated `times` times (ids renumbered). */
function biggerDocument(base, times) {
  const records = [];
  for (let t = 0; t < times; t++) {
    for (const r of base.env.doc.records) records.push({ ...r, id: records.length, name: `${r.name}-${t}` });
  }
  return { env: { ...base.env, doc: { ...base.env.doc, records } } };
}

/** The names of the larger variants, in the order the table lists them. */
export const LARGER_WORKLOADS = ['seq-pass-10k', 'parallel-1000', 'big-payload-2m'];

/**
 * One variant, built on demand (undefined for a name that is none): `base` names the shared
 * workload it scales (its mock and expected output are reused unless given here); `floor` is
 * the hand-written floor, or the name of the shared floor that does the same work.
 * @param {string} name
 * @param {(name: string) => any} loadShared loads a shared workload (its loadWorkload)
 */
export function largerWorkload(name, loadShared) {
  const make = VARIANTS[name];
  return make === undefined ? undefined : make(loadShared);
}

const VARIANTS = {
  'big-payload-2m': (loadShared) => ({
    readme: 'big-payload with a 2 MiB document (10x the records) through the same 50 states',
    base: 'big-payload',
    definition: loadShared('big-payload').definition,
    baseInput: biggerDocument(loadShared('big-payload').baseInput, 10),
    transitions: 50,
    floor: 'big-payload',
  }),
  'parallel-1000': (loadShared) => ({
    readme: 'parallel-100 with 1,000 branches x 5 Pass states; 5,001 transitions/execution',
    base: 'parallel-100',
    definition: parallel(1000),
    baseInput: loadShared('parallel-100').baseInput,
    transitions: 1 + 1000 * 5,
    expected: () => Array.from({ length: 1000 }, (_, b) => ({ x: 42, r: { b, s: 5, prev: 4 } })),
    async floor(s) {
      const branch = async (b) => {
        let x = s;
        for (let k = 1; k <= 5; k++) {
          await tick();
          x = put(x, 'r', { b, s: k, prev: x.r.s });
        }
        return x;
      };
      const bs = [];
      for (let b = 0; b < 1000; b++) bs.push(branch(b));
      return Promise.all(bs);
    },
  }),
  'seq-pass-10k': (loadShared) => ({
    readme: 'seq-pass-1000 with 10,000 chained Pass states; 10,000 transitions/execution',
    base: 'seq-pass-1000',
    definition: seqPass(10000),
    baseInput: loadShared('seq-pass-1000').baseInput,
    transitions: 10000,
    expected: (inp) => ({ ...inp, cur: { step: 9999, prev: 9998, name: 'bench', tag: 'b' } }),
    async floor(s) {
      for (let i = 0; i < 10000; i++) {
        await tick();
        s = put(s, 'cur', { step: i, prev: s.cur.step, name: s.meta.name, tag: s.meta.tags[1] });
      }
      return s;
    },
  }),
};
