/**
 * The strongly connected components of a graph whose nodes list their successors by index, sinks
 * first (Tarjan's, without recursion: an unrolled graph has thousands of nodes).
 * @internal
 */
export function components(nodes: ReadonlyArray<{ readonly next: readonly number[] }>): number[][] {
  const indexOf = new Int32Array(nodes.length).fill(-1);
  const low = new Int32Array(nodes.length);
  const onStack = new Uint8Array(nodes.length);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < nodes.length; root++) {
    if (indexOf[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    indexOf[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const succ = nodes[v].next;
      if (i < succ.length) {
        top[1]++;
        const w = succ[i];
        if (indexOf[w] === -1) {
          indexOf[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], indexOf[w]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === indexOf[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
