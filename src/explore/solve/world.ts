import { applyAt, formatPath, nodeKey, readTarget, type BindingTarget, type PathRoot, type Step } from './paths';
import type { JsonValue } from '../../asl';
import { compileReferencePath } from '../../asl/path';

/** What the engine says is at a path now. */
export type CurrentValue = { readonly found: true; readonly value: JsonValue } | { readonly found: false };

/**
 * The documents as they are now, built from what the engine answers for the
 * paths the rules read (and the prefixes of those paths). Only those answer
 * the rules, so a document holding just them decides every rule as the real
 * one would.
 */
export class World {
  private target: BindingTarget = {};
  /** Prefixes whose value the engine gave: everything under them is known. */
  private readonly known = new Set<string>();
  /** Prefixes the engine said hold nothing. */
  private readonly missing = new Set<string>();

  constructor(private readonly current: (path: string) => CurrentValue) {}

  /** The value at a node now, `undefined` when there is none. */
  valueAt(root: PathRoot, steps: readonly Step[]): JsonValue | undefined {
    for (let i = 0; i <= steps.length; i++) {
      const prefix = steps.slice(0, i);
      const key = nodeKey(root, prefix);
      if (this.known.has(key)) return readTarget(this.target, root, steps);
      // The input and the Context Object always exist: an engine that cannot give all
      // of one may still give the parts the rules read.
      const optional = i > 0 || root.kind === 'variable';
      if (this.missing.has(key)) {
        if (optional) return undefined;
        continue;
      }
      const answer = this.current(formatPath(root, prefix));
      if (answer.found) {
        this.target = applyAt(this.target, root, prefix, answer.value);
        this.known.add(key);
        return readTarget(this.target, root, steps);
      }
      this.missing.add(key);
      if (optional) return undefined;
    }
    return undefined;
  }

  /** The documents built so far. */
  documents(): BindingTarget {
    return this.target;
  }
}

/** A node the rules read: a path's root and steps, with the text to report it by. */
export interface NodeInfo {
  readonly key: string;
  readonly root: PathRoot;
  readonly steps: readonly Step[];
  /** The path as a rule wrote it (the first spelling met), or its canonical text for a prefix no rule wrote or a negative index made concrete. */
  text: string;
  readonly parent: string | undefined;
  readonly depth: number;
  /** The engine cannot change it (nor anything under it). */
  fixed: boolean;
  /**
   * Reached through a negative index, made concrete by assuming the array's
   * length: what is proved about it may not hold for another length, so it
   * never proves anything.
   */
  viaNegative: boolean;
}

/**
 * What a negative index made concrete assumes: the array has `length`
 * items, so its item `last` exists and its item `beyond` does not.
 */
export interface LengthAssumption {
  readonly last: string;
  readonly beyond: string;
  /** Why, in words: `$.items[-1] is $.items[2] while $.items has 3 items`. */
  readonly why: string;
}

/** The nodes of one question: each path the rules write, resolved once, and every prefix of it. */
export class NodeTable {
  readonly nodes = new Map<string, NodeInfo>();
  /** For a node reached through negative indexes, the array lengths that makes it the node it is. */
  readonly assumptions = new Map<string, LengthAssumption[]>();
  private readonly byText = new Map<string, string>();
  private readonly written: Array<{ readonly root: PathRoot; readonly steps: readonly Step[] }> = [];

  constructor(private readonly world: World, private readonly isFixed: ((path: string) => boolean) | undefined) {}

  /** Tells the table every path the question writes, before any is resolved: a negative index is made concrete with all of them in view. */
  prepare(texts: readonly string[]): void {
    for (const text of texts) {
      const compiled = compileReferencePath(text);
      this.written.push({ root: compiled.root, steps: compiled.steps! });
    }
  }

  /**
   * The key of the node a written path reaches. A negative index `[-k]`
   * counts from the end of the array there now when it is long enough, and
   * otherwise from the end of the shortest array that holds k items and every
   * index the rules write for it.
   * @throws PathSyntaxError when the path is not a reference path (compiled rules never hold one)
   */
  resolve(text: string): string {
    const cached = this.byText.get(text);
    if (cached !== undefined) return cached;
    const compiled = compileReferencePath(text);
    const root = compiled.root;
    const written = compiled.steps!;
    const steps: Step[] = [];
    const assumptions: LengthAssumption[] = [];
    for (let i = 0; i < written.length; i++) {
      const step = written[i];
      if (typeof step !== 'number' || step >= 0) {
        steps.push(step);
        continue;
      }
      const parent = this.world.valueAt(root, steps);
      const now = Array.isArray(parent) ? parent.length : 0;
      let length = now;
      if (now < -step) {
        length = -step;
        for (const other of this.written) {
          const at = other.steps[i];
          if (JSON.stringify(other.root) === JSON.stringify(root) && typeof at === 'number' && at >= length
            && JSON.stringify(other.steps.slice(0, i)) === JSON.stringify(written.slice(0, i))) length = at + 1;
        }
      }
      const arrayText = formatPath(root, steps);
      const last = this.add(root, [...steps, length - 1], undefined);
      const beyond = this.add(root, [...steps, length], undefined);
      steps.push(length + step);
      assumptions.push({ last, beyond, why: `${text} reads ${formatPath(root, steps)} while ${arrayText} has ${length} items` });
    }
    const key = this.add(root, steps, assumptions.length === 0 ? text : undefined);
    if (assumptions.length > 0) {
      this.assumptions.set(key, assumptions);
      this.markNegative(key);
    }
    this.byText.set(text, key);
    return key;
  }

  private markNegative(key: string): void {
    const info = this.nodes.get(key)!;
    info.viaNegative = true;
  }

  private add(root: PathRoot, steps: readonly Step[], text: string | undefined): string {
    let parent: string | undefined;
    for (let i = 0; i <= steps.length; i++) {
      const prefix = steps.slice(0, i);
      const key = nodeKey(root, prefix);
      let info = this.nodes.get(key);
      const isTarget = i === steps.length;
      if (info === undefined) {
        const parentInfo = parent === undefined ? undefined : this.nodes.get(parent);
        info = {
          key,
          root,
          steps: prefix,
          parent,
          depth: i,
          text: isTarget && text !== undefined ? text : formatPath(root, prefix),
          fixed: false,
          viaNegative: parentInfo?.viaNegative ?? false,
        };
        info.fixed = (parentInfo?.fixed ?? false) || (this.isFixed?.(info.text) ?? false);
        this.nodes.set(key, info);
      }
      if (isTarget && text !== undefined && !info.fixed && this.isFixed?.(text)) info.fixed = true;
      parent = key;
    }
    return parent!;
  }

  /** The node of a key. */
  get(key: string): NodeInfo {
    return this.nodes.get(key)!;
  }
}

