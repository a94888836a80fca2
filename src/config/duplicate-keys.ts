/**
 * Keys that repeat an earlier key of their map, in one pass over the document (yaml's own check compares
 * each key with every earlier one: a map of 20 000 keys took seconds). Equal as yaml defines it: scalar
 * keys by value, other keys by identity.
 */
import { isCollection, isMap, isPair, isScalar, type Document, type Node } from 'yaml';

/** Offsets of the repeated keys, in document order. */
export function findDuplicateKeys(doc: Document.Parsed): number[] {
  const found: number[] = [];
  const visit = (node: unknown): void => {
    if (!isCollection(node)) return;
    const seen = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        visit(item);
        continue;
      }
      if (seen !== undefined) {
        const key = isScalar(item.key) ? item.key.value : item.key;
        if (seen.has(key)) found.push((item.key as Node | null)?.range?.[0] ?? 0);
        else seen.add(key);
      }
      visit(item.key);
      visit(item.value);
    }
  };
  visit(doc.contents);
  return found;
}
