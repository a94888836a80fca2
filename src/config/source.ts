/** The parsed network file with what every later phase needs to point an error at a line and column. */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { AliasTargets } from './aliases.js';

/** A path into the document: map keys and sequence indexes, e.g. ['jobs', 2, 'outputs', 0]. */
export type DocPath = readonly (string | number)[];

export class YamlSource {
  /** Nodes that are not from the file (run overrides): where they came from instead of a line. */
  private readonly origins = new Map<Node, SourceLocation>();

  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    /** Found once by resolveAliases(): yaml's Alias.resolve() walks the whole document each time. */
    private readonly aliasTargets: AliasTargets,
  ) {}

  /** 1-based line and column of a character offset. */
  at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Says that `node` comes from elsewhere than the file (a run override): errors in it point there. */
  markOrigin(node: Node, where: SourceLocation): void {
    this.origins.set(node, where);
  }

  /** Where a node starts (the file's start when there is none). */
  ofNode(node: unknown): SourceLocation {
    const origin = isNode(node) ? this.origins.get(node) : undefined;
    if (origin) return origin;
    if (isNode(node) && node.range) return this.at(node.range[0]);
    return this.at(0);
  }

  /** The node at `path`, following aliases; undefined when absent. */
  nodeAt(path: DocPath): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const step of path) {
      node = this.deref(node);
      node = childOf(node, step);
      if (node === undefined) return undefined;
    }
    return isNode(node) ? node : undefined;
  }

  /** Where the value at `path` is; falls back to the nearest ancestor that exists. */
  valueAt(path: DocPath): SourceLocation {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n));
      const origin = node && this.origins.get(node);
      if (origin) return origin;
      if (node?.range) return this.at(node.range[0]);
    }
    return this.at(0);
  }

  /** Where the key of the last step of `path` is (for sequence items: the item itself). */
  keyAt(path: DocPath): SourceLocation {
    const last = path[path.length - 1];
    const parent = this.deref(this.nodeAt(path.slice(0, -1)));
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((p) => keyText(p.key) === last);
      if (pair && isNode(pair.key) && pair.key.range) return this.at(pair.key.range[0]);
    }
    return this.valueAt(path);
  }

  deref(node: unknown): unknown {
    return isAlias(node) ? this.aliasTargets.get(node) : node;
  }
}

/** A map key as the text users wrote (`101:` is a number in YAML, but a pipe named "101"). */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? undefined : String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

function childOf(node: unknown, step: string | number): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => keyText(p.key) === String(step));
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof step === 'number') return node.items[step];
  return undefined;
}
