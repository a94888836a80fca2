/**
 * Resolves every YAML alias (*name) to its anchored node in one walk, and refuses what would make a later
 * walk over the expanded document endless or huge: an alias to a value that contains it, an alias to no
 * anchor, aliases that add too many values ("billion laughs"), or nest values too deep. Only what the
 * aliases add counts: a large document without aliases is never refused here.
 */
import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from 'yaml';
import { MAX_DEPTH, tooDeep, type YamlProblem } from './nesting.js';
import { short } from './shown.js';

/** Values aliases may add to any document; a larger document may add as many values as it has. */
export const MIN_ALIAS_ALLOWANCE = 100_000;

export type AliasTargets = ReadonlyMap<Alias, Node>;

/** What a node expands to: its values (itself included) and the collections nested in it. */
interface Extent {
  values: number;
  depth: number;
}

const SCALAR: Extent = { values: 1, depth: 0 };

/** Ends the walk at the first problem. */
class Refused {
  constructor(readonly problem: YamlProblem) {}
}

export function resolveAliases(doc: Document.Parsed): { ok: true; targets: AliasTargets } | { ok: false; problem: YamlProblem } {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const extentOf = new Map<Node, Extent>();
  const onPath = new Set<Node>();
  /** Aliases in document order, with the values added up to and including each. */
  const added: { alias: Alias; total: number }[] = [];
  let own = 0;
  let addedTotal = 0;

  // `level` is how many collections hold the node, aliases expanded.
  const visit = (node: unknown, level: number): Extent => {
    if (isAlias(node)) return visitAlias(node, level);
    own++;
    if (!isCollection(node)) {
      if (isScalar(node) && node.anchor) anchors.set(node.anchor, node);
      return SCALAR;
    }
    if (level + 1 > MAX_DEPTH) throw new Refused(tooDeep(offsetOf(node)));
    if (node.anchor) anchors.set(node.anchor, node);
    onPath.add(node);
    let values = 1;
    let depth = 0;
    for (const item of node.items) {
      const parts = isPair(item) ? [item.key, item.value] : [item];
      for (const part of parts) {
        if (part === null || part === undefined) continue;
        const inner = visit(part, level + 1);
        values += inner.values;
        depth = Math.max(depth, inner.depth);
      }
    }
    onPath.delete(node);
    const extent = { values, depth: depth + 1 };
    if (node.anchor) extentOf.set(node, extent);
    return extent;
  };

  const visitAlias = (alias: Alias, level: number): Extent => {
    const target = anchors.get(alias.source);
    const name = short(alias.source);
    if (target === undefined) {
      throw new Refused({
        offset: offsetOf(alias),
        message: `alias *${name} refers to no anchor &${name} before it`,
        hint: `define the value once as &${name} <value> above the alias, or write the value here`,
      });
    }
    if (onPath.has(target)) {
      throw new Refused({
        offset: offsetOf(alias),
        message: `alias *${name} refers to a value that contains it`,
        hint: 'an alias may only repeat a value defined outside of it',
      });
    }
    targets.set(alias, target);
    const extent = isCollection(target) ? (extentOf.get(target) ?? visit(target, level)) : SCALAR;
    if (level + extent.depth > MAX_DEPTH) throw new Refused(tooDeep(offsetOf(alias), name));
    addedTotal += extent.values;
    added.push({ alias, total: addedTotal });
    return extent;
  };

  try {
    if (doc.contents !== null) visit(doc.contents, 0);
  } catch (e) {
    if (e instanceof Refused) return { ok: false, problem: e.problem };
    throw e;
  }
  const allowed = Math.max(MIN_ALIAS_ALLOWANCE, own);
  if (addedTotal > allowed) {
    const first = added.find((a) => a.total > allowed)!;
    return {
      ok: false,
      problem: {
        offset: offsetOf(first.alias),
        message: `aliases expand the document too much: they add ${count(addedTotal)} values to its ${own}, at most ${allowed} may be added`,
        hint: 'use fewer nested aliases (*name); repeat small values instead',
      },
    };
  }
  return { ok: true, targets };
}

function count(n: number): string {
  return n < 1e15 ? String(n) : 'more than 10^15';
}

function offsetOf(node: unknown): number {
  return (node as Node | undefined)?.range?.[0] ?? 0;
}
