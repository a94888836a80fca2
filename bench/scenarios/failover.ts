import { execFileSync } from 'node:child_process';
import { runTestbedScript } from '../../test/helpers/testbed-control.js';
import { benchNodes, removeBenchRoots, writeBenchCluster } from '../lib/bench-cluster.js';
import { nowNs } from '../lib/clock.js';
import { timeDetection, type Detection, type FaultPlacement, type Inflict } from '../lib/fault-detection.js';
import { median, round } from '../lib/stats.js';
import { timeFailover, type Failover } from '../lib/failover-time.js';
import { withTempDir } from '../lib/temp-dir.js';
import type { TestbedNode } from '../lib/testbed.js';
import { withBenchTestbed } from './ssh-skip.js';
import type { Scenario, ScenarioContext } from './types.js';

/** A fault on the node that runs `far`: how to make it, and how to bring the node back afterwards. */
interface Fault {
  name: 'worker' | 'node' | 'link';
  /** The issue's target for its detection (ms). */
  targetMs: number;
  inflict(node: TestbedNode): Inflict;
  restore(node: TestbedNode): void;
}

const FAULTS: Fault[] = [
  {
    name: 'worker',
    targetMs: 500,
    inflict: () => (pid) => {
      const t = nowNs();
      process.kill(pid, 'SIGKILL');
      return t;
    },
    restore: () => {},
  },
  {
    // as `scripts/testbed.sh kill`: every process of the node's namespace, sshd included
    name: 'node',
    targetMs: 1000,
    inflict: (node) => () => {
      const pids = execFileSync('ip', ['netns', 'pids', node.namespace], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      const t = nowNs();
      for (const pid of pids) killIfThere(pid);
      return t;
    },
    restore: (node) => {
      const failed = runTestbedScript('revive', node.name);
      if (failed !== undefined) throw new Error(`could not revive ${node.name}: ${failed}`);
    },
  },
  {
    // the host side of the node's link goes down: nothing tells the client, only its keepalives
    name: 'link',
    targetMs: 3000,
    inflict: (node) => () => {
      const t = nowNs();
      execFileSync('ip', ['link', 'set', node.hostLink, 'down']);
      return t;
    },
    restore: (node) => void execFileSync('ip', ['link', 'set', node.hostLink, 'up']),
  },
];

/** kill -9, unless the process has ended since it was listed (the node's keeper runs short commands). */
function killIfThere(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * [failover] over the SSH test-bed, with `far` (the connector of tick -> far -> show) on n2: ms from a
 * fault to the client's first event that names `far` (job-exited, or job-failed), for a worker killed
 * with kill -9, its node killed, and its link cut. The median of the repeats for each.
 */
export const failover: Scenario = {
  name: 'failover',
  unit: 'ms',
  needsTestbed: true,
  defaultRepeats: 5,
  describe: 'over 3 SSH nodes: ms from kill -9 of a worker (value), its node killed, its link cut, to the client event naming the job',
  run: (ctx) =>
    withBenchTestbed('failover', 'ms', ctx, (bed) =>
      withTempDir(async (dir) => {
        const [n1, n2] = benchNodes(bed);
        const placement: FaultPlacement = { nodes: writeBenchCluster(bed, dir), tickNode: n1!.name, farNode: n2!.name };
        try {
          const detection = await detectionTimes(ctx, placement, n2!, dir);
          const mid = (name: Fault['name']) => round(median(detection[name].map((d) => d.ms)));
          return {
            name: 'failover',
            value: mid('worker'),
            unit: 'ms',
            ceiling: null,
            ratio: null,
            workerMs: mid('worker'),
            nodeMs: mid('node'),
            linkMs: mid('link'),
            detection: Object.fromEntries(
              FAULTS.map((f) => [f.name, detection[f.name].map((d) => ({ ms: round(d.ms), event: d.event, reason: d.reason }))]),
            ),
            targetsMs: Object.fromEntries(FAULTS.map((f) => [f.name, f.targetMs])),
            placement: { tick: n1!.name, far: n2!.name, show: 'LOCAL' },
            ...(await failoverFigures(ctx, placement, n2!, dir)),
          };
        } finally {
          removeBenchRoots(bed);
        }
      }),
    ),
};

/**
 * The restart half: ms from kill -9 of the connector's node to the first block its replacement delivers
 * (target <= 3 s), and blocks lost (must be 0), the median and the worst of the repeats.
 */
async function failoverFigures(
  ctx: ScenarioContext,
  placement: FaultPlacement,
  target: TestbedNode,
  dir: string,
): Promise<{ failoverMs: number; blocksLost: number; duplicates: number; failovers: Pick<Failover, 'ms' | 'blocksLost' | 'duplicates' | 'movedTo'>[] }> {
  const node = FAULTS.find((f) => f.name === 'node')!;
  const runs: Failover[] = [];
  for (let i = 0; i < ctx.repeats; i++) {
    let f: Failover;
    try {
      f = await timeFailover(dir, placement, node.inflict(target));
    } finally {
      node.restore(target);
    }
    runs.push(f);
    ctx.log(`  repeat ${i + 1}/${ctx.repeats}: far's node killed, its replacement on ${f.movedTo} delivered after ${f.ms.toFixed(0)} ms; ${f.blocksLost} block(s) lost${f.missing.length > 0 ? ` (${f.missing.join(', ')})` : ''}, ${f.duplicates} duplicate(s)${f.odd.length > 0 ? `; not values: ${f.odd.join(' | ')}` : ''}`);
  }
  return {
    failoverMs: round(median(runs.map((r) => r.ms))),
    blocksLost: Math.max(...runs.map((r) => r.blocksLost)),
    duplicates: Math.max(...runs.map((r) => r.duplicates)),
    failovers: runs.map((r) => ({ ms: round(r.ms), blocksLost: r.blocksLost, duplicates: r.duplicates, movedTo: r.movedTo })),
  };
}

/** Every fault `repeats` times (a repeat makes each fault once, in turn), each on a fresh run. */
async function detectionTimes(ctx: ScenarioContext, placement: FaultPlacement, node: TestbedNode, dir: string): Promise<Record<Fault['name'], Detection[]>> {
  const out: Record<Fault['name'], Detection[]> = { worker: [], node: [], link: [] };
  for (let i = 0; i < ctx.repeats; i++) {
    for (const fault of FAULTS) {
      let d: Detection;
      try {
        d = await timeDetection(dir, placement, fault.inflict(node));
      } finally {
        fault.restore(node);
      }
      out[fault.name].push(d);
      ctx.log(`  repeat ${i + 1}/${ctx.repeats}: ${fault.name} fault seen in ${d.ms.toFixed(0)} ms (${d.event}, reason ${d.reason}; target < ${fault.targetMs} ms)`);
    }
  }
  return out;
}
