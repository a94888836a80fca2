/**
 * Runs a bench network through the real runtime (startRun, the same code path as `marvelo run`):
 * workers are real processes, and the measurements come from the bench jobs' `@bench` markers.
 */
import { get, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { startView, type LiveView } from '../../src/view/web/live-view.js';
import { startRun } from '../../src/api/run.js';
import type { RunSummary } from '../../src/api/summary.js';
import { nowNs } from './clock.js';
import { parseMarker } from './markers.js';
import { benchNetwork, materializeNetwork, type JobKeyOverrides, type NetworkPlacement, type ParamOverrides } from './network-file.js';
import { withTempDir } from './temp-dir.js';

export interface RssSample {
  job: string;
  /** Shared clock, ns. */
  tNs: number;
  rss: number;
}

export interface NetworkRun {
  summary: RunSummary;
  /** Markers printed by jobs, by job name. */
  markers: Map<string, Record<string, unknown>[]>;
  /** Every worker's RSS from the runtime's metrics events. */
  rss: RssSample[];
  /** Worker pids by job (for matching CPU profiles). */
  pids: Map<string, number>;
}

export interface NetworkRunOptions {
  /** Interrupt the run after this long (ms), as Ctrl-C would; otherwise wait for it to finish. */
  durationMs?: number;
  /** Worker metrics interval (ms). */
  metricsMs?: number;
  /** Keep sockets and job bundles here (default: a temporary folder, removed afterwards). */
  runDir?: string;
  /** Place the jobs on nodes (default: every job on this machine). */
  placement?: NetworkPlacement;
  /** Serve the web view (`marvelo run --ui`) with one page's event stream open while the network runs. */
  view?: boolean;
  /** Keys of the network file set on jobs (e.g. replicas), by job name. */
  jobKeys?: JobKeyOverrides;
}

/** Runs bench/networks/<name>.yaml with `overrides` merged into job params. */
export async function runBenchNetwork(name: string, overrides: ParamOverrides, opts: NetworkRunOptions = {}): Promise<NetworkRun> {
  return withTempDir(async (dir) => {
    const file = materializeNetwork(benchNetwork(name), overrides, dir, opts.placement, opts.jobKeys);
    const markers = new Map<string, Record<string, unknown>[]>();
    const rss: RssSample[] = [];
    const pids = new Map<string, number>();
    const logTail: string[] = [];
    const view = opts.view ? await openViewWithReader() : undefined;
    const handle = startRun(file, {
      runDir: opts.runDir ?? join(dir, 'run'),
      metricsMs: opts.metricsMs,
      onEvent: (e) => {
        view?.onEvent(e);
        if (e.type === 'log') {
          const m = parseMarker(e.line);
          if (m) markers.set(e.job, [...(markers.get(e.job) ?? []), m]);
          else {
            logTail.push(`${e.job} | ${e.line}`);
            if (logTail.length > 20) logTail.shift();
          }
        } else if (e.type === 'metrics') {
          rss.push({ job: e.job, tNs: nowNs(), rss: e.stats.rss });
        } else if (e.type === 'started') {
          for (const w of e.workers) if (w.pid !== undefined) pids.set(w.job, w.pid);
        }
      },
    });
    view?.attach(handle);
    const timer = opts.durationMs === undefined ? undefined : setTimeout(() => handle.interrupt(), opts.durationMs);
    try {
      const { summary } = await handle.done;
      const expected = opts.durationMs === undefined ? 'finished' : 'interrupted';
      if (summary.status !== expected) {
        const why = summary.failure ? `${summary.failure.job}: ${summary.failure.message}` : summary.status;
        throw new Error(`network ${name} ${summary.status} (${why})\n${logTail.join('\n')}`);
      }
      return { summary, markers, rss, pids };
    } finally {
      clearTimeout(timer);
      await view?.close();
    }
  });
}

/** The web view with one page's event stream open and read, as a browser would keep it. */
async function openViewWithReader(): Promise<LiveView & { reader: ClientRequest }> {
  const view = await startView();
  const reader = get(`${view.url}events`, (res) => res.resume());
  reader.on('error', () => {}); // the view closes the stream when the run is over
  return Object.assign(view, { reader });
}

/** The one marker a job printed (the sink's result); throws when it printed none. */
export function onlyMarker(markers: Map<string, Record<string, unknown>[]>, job: string): Record<string, unknown> {
  const m = markers.get(job)?.at(-1);
  if (m === undefined) throw new Error(`job '${job}' printed no @bench result`);
  return m;
}
