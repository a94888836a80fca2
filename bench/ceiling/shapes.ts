import { join } from 'node:path';
import type { PayloadKind, StageKind, StageOptions } from './stage-options.js';

/** One process of a ceiling shape: its name and options (socket paths already absolute). */
export interface StageSpec {
  name: string;
  options: Partial<StageOptions> & { kind: StageKind };
  /** Run the stage in this network namespace (`ip netns exec`, needs root); else here. */
  netns?: string;
}

/** Where each stage of a chain runs: its namespace, the address it listens on there, and a port base. */
export interface ChainPlacement {
  /** One per stage, source first. */
  namespaces: string[];
  /** One per stage: the address its output's listener binds (the node's data host). */
  hosts: string[];
  /** Pipe i listens on port basePort + i. */
  basePort: number;
}

export interface ChainShape {
  payload: PayloadKind;
  /** Raw byte pump (pump-* stages) instead of framed, decoded blocks. */
  raw?: boolean;
  blocks: number;
  /** Forwarding stages between the source and the sink (1 = 3 processes). */
  forwards: number;
  warmup: number;
  /** Source pace in blocks/s (0 = flat out). */
  rate?: number;
  /** RSS report interval in ms (0 = none). */
  rssMs?: number;
  /** Each stage in its own network namespace, pipes over TCP (the SSH test-bed's nodes); else Unix sockets here. */
  placement?: ChainPlacement;
}

/** source -> forward x n -> sink (n may be 0), like bench/networks/small-chain.yaml and friends. */
export function chainShape(dir: string, c: ChainShape): StageSpec[] {
  const p = c.placement;
  const sock = (i: number) => (p ? `${p.hosts[i]!}:${p.basePort + i}` : join(dir, `pipe${i}.sock`));
  const common = { payload: c.payload, rssMs: c.rssMs ?? 0 };
  const kind = c.raw ? ({ source: 'pump-source', forward: 'pump-forward', sink: 'pump-sink' } as const) : ({ source: 'source', forward: 'forward', sink: 'sink' } as const);
  const stages: StageSpec[] = [
    { name: 'source', options: { ...common, kind: kind.source, output: sock(0), blocks: c.blocks, rate: c.rate ?? 0 } },
  ];
  for (let i = 1; i <= c.forwards; i++) {
    stages.push({ name: `forward${i}`, options: { ...common, kind: kind.forward, inputs: [sock(i - 1)], output: sock(i) } });
  }
  stages.push({
    name: 'sink',
    options: { ...common, kind: kind.sink, inputs: [sock(c.forwards)], warmup: c.warmup, hops: c.forwards + 1 },
  });
  if (p) {
    if (p.namespaces.length !== stages.length || p.hosts.length !== stages.length) throw new Error(`a chain of ${stages.length} stages needs ${stages.length} namespaces and hosts`);
    stages.forEach((s, i) => (s.netns = p.namespaces[i]!));
  }
  return stages;
}

/** MARVELO's demo: count1..3 -> join (product) -> reduce (sums of 5) -> sink, like join-demo.yaml. */
export function demoShape(dir: string, d: { blocks: number; warmup: number }): StageSpec[] {
  const sock = (name: string) => join(dir, `${name}.sock`);
  const counters = [1, 2, 3].map<StageSpec>((step) => ({
    name: `count${step}`,
    options: { kind: 'source', payload: 'int', output: sock(`p10${step}`), blocks: d.blocks, start: 1, step },
  }));
  const joinInputs = [sock('p101'), sock('p102'), sock('p103')];
  return [
    ...counters,
    { name: 'join', options: { kind: 'join', payload: 'int', inputs: joinInputs, output: sock('p105') } },
    { name: 'reduce', options: { kind: 'reduce', payload: 'int', inputs: [sock('p105')], output: sock('p106'), group: 5 } },
    { name: 'sink', options: { kind: 'sink', payload: 'int', inputs: [sock('p106')], warmup: d.warmup } },
  ];
}
