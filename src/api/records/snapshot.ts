import type { JobSpec, Network, NodeSpec, PipeSpec } from '../../config/types.js';

/** The resolved network as run.json keeps it: no source locations, no env values, no key paths. */
export interface EffectiveConfig {
  name: string;
  /** The network's `timeout:` in ms (absent: none). */
  timeoutMs?: number;
  jobs: (Omit<JobSpec, 'where' | 'env'> & { env: Record<string, '***'> })[];
  pipes: Omit<PipeSpec, 'where'>[];
  nodes: Omit<NodeSpec, 'where' | 'identity' | 'knownHosts'>[];
}

/** Env values may hold tokens: only their names are kept. */
export function effectiveConfig(network: Network): EffectiveConfig {
  return {
    name: network.name,
    ...(network.timeoutMs === undefined ? {} : { timeoutMs: network.timeoutMs }),
    jobs: network.jobs.map(({ where: _w, env, ...job }) => ({ ...job, env: Object.fromEntries(Object.keys(env).map((k) => [k, '***' as const])) })),
    pipes: Object.values(network.pipes).map(({ where: _w, ...pipe }) => pipe),
    nodes: network.nodes.map(({ where: _w, identity: _i, knownHosts: _k, ...node }) => node),
  };
}
