/**
 * What a node is: reachable, logged into, its host key, OS/arch, Node, cores, memory, free disk in its
 * root, cache size and round-trip time. One connection, one `true` exec for the round trip, and one exec
 * of the probe script.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'ssh2';
import type { NodeSpec } from '../../config/types.js';
import { MarveloError, isMarveloError } from '../../errors.js';
import { connectNode, sshUser, type ConnectOptions } from './connect.js';
import { nodeLabel, type HostKeyStatus } from './host-key.js';
import { PROBE_SCRIPT, parseProbeOutput, type ProbeOutput } from './probe-script.js';
import { runRemote } from './remote-command.js';

export const MIN_NODE_MAJOR = 20;

/** How a node gets its Node.js: its own, one the client ships (same OS and arch), or none. */
export type NodeRuntime = { kind: 'own'; version: string } | { kind: 'ship'; found: string | undefined } | { kind: 'unusable'; found: string | undefined };

export interface NodeFacts extends ProbeOutput {
  runtime: NodeRuntime;
  /** ms of a trivial exec on the open connection. */
  rttMs: number;
}

export interface NodeProbe {
  node: string;
  host: string;
  port: number;
  user: string;
  /** undefined when not known (the connection was not tried). */
  reachable: boolean | undefined;
  auth: 'ok' | 'failed' | 'not tried';
  hostKey: HostKeyStatus | 'not checked';
  facts: NodeFacts | undefined;
  usable: boolean;
  error: MarveloError | undefined;
}

/** Connects, probes and disconnects; never rejects for a node's problem (it is in `error`). */
export async function probeNode(node: NodeSpec, opts: ConnectOptions = {}): Promise<NodeProbe> {
  const probe: NodeProbe = {
    node: node.name,
    host: node.host,
    port: node.port,
    user: sshUser(node),
    reachable: undefined,
    auth: 'not tried',
    hostKey: 'not checked',
    facts: undefined,
    usable: false,
    error: undefined,
  };
  let client: Client;
  try {
    client = await connectNode(node, {
      ...opts,
      onHostKey: (status) => {
        probe.reachable = true;
        probe.hostKey = status;
        opts.onHostKey?.(status);
      },
    });
  } catch (e) {
    if (!isMarveloError(e)) throw e;
    probe.error = e;
    if (e.code === 'MRV_SSH_UNREACHABLE' || e.code === 'MRV_SSH_TIMEOUT') probe.reachable = false;
    if (e.code === 'MRV_SSH_CONNECTION') probe.reachable = true;
    if (e.code === 'MRV_SSH_AUTH' && probe.hostKey !== 'not checked') probe.auth = 'failed';
    return probe;
  }
  probe.reachable = true;
  probe.auth = 'ok';
  try {
    probe.facts = await probeConnected(client, node);
    probe.error = runtimeProblem(node, probe.facts);
    probe.usable = probe.error === undefined;
  } catch (e) {
    if (!isMarveloError(e)) throw e;
    probe.error = e;
  } finally {
    client.end();
  }
  return probe;
}

/** The facts of a node over an open connection (the launcher reuses its connection for this). */
export async function probeConnected(client: Client, node: NodeSpec): Promise<NodeFacts> {
  const started = performance.now();
  await runRemote(client, ['true'], { node: node.name });
  const rttMs = performance.now() - started;
  const r = await runRemote(client, ['sh', '-s', '--', node.nodeBinary, node.root], { stdin: PROBE_SCRIPT, node: node.name });
  if (r.code !== 0) {
    throw new MarveloError('MRV_SSH_COMMAND', `the probe of ${nodeLabel(node)} failed (${r.code === null ? `no exit status${r.signal ? `, signal ${r.signal}` : ''}` : `exit status ${r.code}`}): ${r.stderr.trim() || 'no error output'}`, {
      where: node.where,
      hint: 'a node needs a POSIX sh with uname, df, du and awk',
    });
  }
  const out = parseProbeOutput(r.stdout);
  return { ...out, runtime: runtimeOf(out), rttMs };
}

/** Node >= 20 on the node, else the client's own Node when OS and arch match, else none. */
export function runtimeOf(out: Pick<ProbeOutput, 'nodeVersion' | 'platform' | 'arch'>, client = { platform: process.platform as string, arch: process.arch as string }): NodeRuntime {
  const major = out.nodeVersion ? Number(/^v(\d+)/.exec(out.nodeVersion)![1]) : 0;
  if (major >= MIN_NODE_MAJOR) return { kind: 'own', version: out.nodeVersion! };
  if (out.platform === client.platform && out.arch === client.arch) return { kind: 'ship', found: out.nodeVersion };
  return { kind: 'unusable', found: out.nodeVersion };
}

/** Why the node cannot run workers, or undefined when it can. */
export function runtimeProblem(node: NodeSpec, facts: Pick<NodeFacts, 'runtime' | 'platform' | 'arch'>): MarveloError | undefined {
  if (facts.runtime.kind !== 'unusable') return undefined;
  const found = facts.runtime.found ? `only Node ${facts.runtime.found} at ${node.nodeBinary}` : `no Node at ${node.nodeBinary}`;
  return new MarveloError(
    'MRV_NODE_RUNTIME',
    `${nodeLabel(node)} has ${found}, and marvelo cannot ship its own: the node is ${facts.platform}/${facts.arch}, this client ${process.platform}/${process.arch}`,
    { where: node.where, hint: `install Node.js >= ${MIN_NODE_MAJOR} on the node, or point the node's node_binary at one` },
  );
}
