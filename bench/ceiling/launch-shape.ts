/**
 * Runs a ceiling shape: spawns every stage process at once, then walks them through
 * ready -> connect -> connected -> start (the same phases as the runtime's supervisor, minus
 * everything else), collects their `@bench` markers, and waits for them to exit (or, for a timed
 * run, stops them after `durationMs`). Every process is killed and awaited before this returns.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { parseMarker } from '../lib/markers.js';
import { describeExit, forEachLine, spawnOwned, type OwnedChild } from '../lib/processes.js';
import { stageArgs } from './stage-options.js';
import type { StageSpec } from './shapes.js';

export interface ShapeRun {
  /** Markers by stage name, in arrival order; `tNs` of RSS samples is the shared clock. */
  markers: Map<string, Record<string, unknown>[]>;
  /** CPU time (ms) of each stage that ran to its end, from `start` on (its `{ cpuMs }` marker). */
  cpuMs: Map<string, number>;
}

export interface ShapeOptions {
  /** Stop the stages after this long (ms) instead of waiting for the end of their streams. */
  durationMs?: number;
  /** Called for every marker as it arrives. */
  onMarker?: (stage: string, marker: Record<string, unknown>) => void;
}

export function ceilingEntry(): string {
  return join(packageRoot(), 'dist', 'bench', 'ceiling', 'main.js');
}

interface Stage {
  spec: StageSpec;
  proc: OwnedChild;
  phase: 'starting' | 'ready' | 'connected';
}

export async function runShape(specs: StageSpec[], opts: ShapeOptions = {}): Promise<ShapeRun> {
  const markers = new Map<string, Record<string, unknown>[]>();
  const cpuMs = new Map<string, number>();
  const stages: Stage[] = [];
  let waiters: (() => void)[] = [];
  let stopping = false;
  let fail!: (err: Error) => void;
  /** Rejects when a stage dies before its time; raced against every wait below. */
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  const changed = () => {
    const ws = waiters;
    waiters = [];
    for (const w of ws) w();
  };
  const until = async (cond: () => boolean) => {
    while (!cond()) await Promise.race([failed, new Promise<void>((r) => waiters.push(r))]);
  };

  const timer = new AbortController();
  try {
    for (const spec of specs) {
      const args = [ceilingEntry(), 'stage', ...stageArgs(spec.options)];
      // `ip netns exec` execs the command itself, so the pid (and kill) is the stage's
      const [command, commandArgs] = spec.netns === undefined ? [process.execPath, args] : ['ip', ['netns', 'exec', spec.netns, process.execPath, ...args]];
      const proc = spawnOwned(command, commandArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
      const stage: Stage = { spec, proc, phase: 'starting' };
      stages.push(stage);
      proc.child.stdin?.on('error', () => {});
      forEachLine(proc.child.stdout, (line) => {
        if (line === 'ready') stage.phase = 'ready';
        else if (line === 'connected') stage.phase = 'connected';
        else {
          const m = parseMarker(line);
          if (m && typeof m.cpuMs === 'number') {
            cpuMs.set(spec.name, m.cpuMs);
          } else if (m) {
            const list = markers.get(spec.name) ?? [];
            list.push(m);
            markers.set(spec.name, list);
            opts.onMarker?.(spec.name, m);
          }
        }
        changed();
      });
      // judged once its output is all read: a stage that exits right after its last line is fine
      void proc.closed.then(async () => {
        const e = await proc.exited;
        if (!stopping && (e.code !== 0 || stage.phase !== 'connected')) {
          fail(new Error(`ceiling stage '${spec.name}' ${describeExit(e)}`));
        }
        changed();
      });
    }
    await until(() => stages.every((s) => s.phase !== 'starting'));
    for (const s of stages) s.proc.child.stdin!.write('connect\n');
    await until(() => stages.every((s) => s.phase === 'connected'));
    for (const s of stages) s.proc.child.stdin!.write('start\n');
    if (opts.durationMs !== undefined) {
      // the measurement's length, not a synchronisation: the stages run until we stop them
      await Promise.race([sleep(opts.durationMs, undefined, { signal: timer.signal }), failed]);
      stopping = true;
      for (const s of stages) s.proc.child.stdin!.end('stop\n');
    }
    await Promise.race([Promise.all(stages.map((s) => s.proc.closed)), failed]);
    return { markers, cpuMs };
  } finally {
    timer.abort();
    stopping = true;
    await Promise.all(stages.map((s) => s.proc.kill()));
  }
}
