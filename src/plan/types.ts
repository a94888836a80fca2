import type { NodeSpec, TransportKind } from '../config/types.js';

/** Where one job runs, and why there (shown by `marvelo plan`). */
export interface PlacedJob {
  job: string;
  /** A node's name, or LOCAL_NODE (the client). */
  node: string;
  /** e.g. "DEFAULT_NODE pi-1", "group mics: fewest jobs (0)", "group LOCAL", "no nodes: this machine". */
  why: string;
}

/** How one pipe's blocks travel: a Unix socket when both ends share a node, TCP otherwise. */
export interface PlannedPipe {
  pipe: string;
  producer: string;
  consumer: string;
  transport: TransportKind;
}

/**
 * The plan of a run: an explicit value computed once from the network (and the node list), which the
 * launchers, the workers and the supervisor read; nobody recomputes placement.
 */
export interface Plan {
  jobs: PlacedJob[];
  pipes: PlannedPipe[];
  /** The nodes that run at least one job (LOCAL_NODE excluded), in the order of the node list. */
  nodes: NodeSpec[];
  /** job -> node name. */
  nodeOf: ReadonlyMap<string, string>;
  /** pipe -> transport. */
  transportOf: ReadonlyMap<string, TransportKind>;
}
