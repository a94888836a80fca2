import type { NodeSpec } from '../../config/types.js';
import { MarveloError } from '../../errors.js';
import type { Artifact } from '../shipment.js';
import type { NodeFacts } from './node-keeper.js';

/** The oldest Node.js a worker runs on. */
export const MIN_NODE_MAJOR = 20;

/** `uname -s -m` words for this client's platform and architecture. */
const UNAME_OS: Record<string, string> = { linux: 'Linux', darwin: 'Darwin', freebsd: 'FreeBSD' };
const UNAME_ARCH: Record<string, string[]> = { x64: ['x86_64', 'amd64'], arm64: ['aarch64', 'arm64'], arm: ['armv7l', 'armv6l'] };

/** Node's major version from `node --version` output, or undefined. */
export function nodeMajor(version: string): number | undefined {
  const m = /^v(\d+)\./.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** Whether `uname -sm` output names this client's system, so that its own Node binary runs there. */
export function sameSystem(unameSm: string): boolean {
  const [os, arch] = unameSm.trim().split(/\s+/);
  return os === UNAME_OS[process.platform] && (UNAME_ARCH[process.arch] ?? []).includes(arch ?? '');
}

/**
 * The node's own Node when it is recent enough; else this client's Node binary, shipped, when the
 * systems match; else the node cannot run workers.
 */
export function nodeBinaryPlan(node: NodeSpec, facts: NodeFacts): { ship: Artifact | undefined } {
  const major = nodeMajor(facts.nodeVersion);
  if (major !== undefined && major >= MIN_NODE_MAJOR) return { ship: undefined };
  if (sameSystem(facts.os)) return { ship: { source: process.execPath, executable: true } };
  const found = major === undefined ? `no ${node.nodeBinary} was found` : `${node.nodeBinary} is ${facts.nodeVersion.trim()}`;
  throw new MarveloError('MRV_LAUNCH_NODE', `node '${node.name}' cannot run workers: ${found}, and its system (${facts.os || 'unknown'}) is not this client's (${process.platform} ${process.arch}), so the client's own Node.js cannot be shipped`, {
    hint: `install Node.js ${MIN_NODE_MAJOR} or newer on ${node.name}, or point \`node_binary\` at one`,
  });
}
