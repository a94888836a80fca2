import type { NodeSpec } from '../../config/types.js';
import type { Artifact } from '../shipment.js';
import type { NodeFacts } from './node-keeper.js';
import { runtimeOf, runtimeProblem } from './probe.js';

/**
 * The node's own Node when it is recent enough; else this client's Node binary, shipped, when the
 * systems match; else the node cannot run workers (MRV_NODE_RUNTIME).
 */
export function nodeBinaryPlan(node: NodeSpec, facts: NodeFacts): { ship: Artifact | undefined } {
  const runtime = runtimeOf(facts);
  if (runtime.kind === 'own') return { ship: undefined };
  if (runtime.kind === 'ship') return { ship: { source: process.execPath, executable: true } };
  throw runtimeProblem(node, { ...facts, runtime });
}
