/**
 * YAML aliases can make a document refer to itself or expand exponentially ("billion laughs"). Both are
 * rejected before any walk over the document, which would otherwise never end.
 */
import { isAlias, isMap, isPair, isSeq, type Document, type Node } from 'yaml';

/** Expanded nodes allowed in total; real network files stay far below. */
const MAX_EXPANDED_NODES = 100_000;

export type AliasProblem = { offset: number; message: string; hint: string };

export function findAliasProblem(doc: Document.Parsed): AliasProblem | undefined {
  const onPath = new Set<unknown>();
  let visited = 0;
  const visit = (node: unknown): AliasProblem | undefined => {
    if (++visited > MAX_EXPANDED_NODES) {
      return {
        offset: offsetOf(node),
        message: 'aliases expand the document to too many values',
        hint: 'use fewer nested aliases (*name); repeat small values instead',
      };
    }
    let target = node;
    if (isAlias(node)) {
      target = node.resolve(doc);
      if (onPath.has(target)) {
        return { offset: offsetOf(node), message: `alias *${node.source} refers to a value that contains it`, hint: 'an alias may only repeat a value defined outside of it' };
      }
    }
    if (!isMap(target) && !isSeq(target)) return undefined;
    onPath.add(target);
    for (const item of target.items) {
      const found = isPair(item) ? (visit(item.key) ?? visit(item.value)) : visit(item);
      if (found) return found;
    }
    onPath.delete(target);
    return undefined;
  };
  return visit(doc.contents);
}

function offsetOf(node: unknown): number {
  return (node as Node | undefined)?.range?.[0] ?? 0;
}
