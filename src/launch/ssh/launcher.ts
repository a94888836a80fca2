import { PassThrough } from 'node:stream';
import PQueue from 'p-queue';
import type { ClientChannel } from 'ssh2';
import type { NodeSpec } from '../../config/types.js';
import { isMarveloError, MarveloError } from '../../errors.js';
import { cacheName, type Artifact, type JobShipment } from '../shipment.js';
import type { LaunchRequest, Launcher, PreparedJob, PreparedRun, WorkerExit, WorkerHandle } from '../types.js';
import { JOB_ARG, RUN_ARG } from '../../worker/boot/args.js';
import { workerRuntime } from '../worker-runtime.js';
import type { ConnectOptions } from './connect.js';
import { NodeKeeper, runFolderName } from './node-keeper.js';
import { nodeBinaryPlan } from './node-binary.js';
import { shellQuote } from './remote-command.js';
import { NodeSessions } from './sessions.js';
import { uploadMissing, type UploadReport } from './upload.js';

/** Worker channels being opened at once over all nodes: each open is a round trip, each new connection a key exchange. */
const allLaunches = new PQueue({ concurrency: 32 });

export interface SshLauncherOptions extends ConnectOptions {
  /** What was shipped to the node (`marvelo run --verbose` prints it). */
  onShipped?: (node: string, report: UploadReport) => void;
}

/**
 * Starts workers on a node over SSH. Each worker is one exec channel: its stdin/stdout carry the same
 * control protocol as a local worker's pipes. Files reach the node's cache by content hash over SFTP,
 * only when missing, and each job's folder links to them. A keeper on the node (NodeKeeper) ends the
 * run's workers and removes its folder when the client's connection drops.
 */
export class SshLauncher implements Launcher {
  readonly node: string;
  private readonly sessions: NodeSessions;
  private keeper: NodeKeeper | undefined;
  private runDir = '';
  private nodeBinary = '';
  private runtime = '';
  private readonly live = new Set<number>();
  /** Worker channels being opened on this node at once: one connection's worth. */
  private readonly launches = new PQueue({ concurrency: 8 });

  constructor(
    private readonly spec: NodeSpec,
    private readonly opts: SshLauncherOptions = {},
  ) {
    this.node = spec.name;
    this.sessions = new NodeSessions(spec, opts);
  }

  async prepare(runId: string, shipments: readonly JobShipment[]): Promise<PreparedRun> {
    await this.sessions.open();
    const folder = runFolderName(runId, this.node);
    const keeper = await NodeKeeper.start((c) => this.sessions.exec(c), this.node, this.spec.root, folder, this.spec.nodeBinary);
    this.keeper = keeper;
    this.runDir = keeper.dir(folder);
    const cache = `${keeper.facts.root}/cache`;
    const binary = nodeBinaryPlan(this.spec, keeper.facts);
    const artifacts: Artifact[] = [{ source: workerRuntime(), executable: false }];
    if (binary.ship) artifacts.push(binary.ship);
    for (const s of shipments) {
      if (s.bundle) artifacts.push(s.bundle);
      if (s.program) artifacts.push(s.program);
      artifacts.push(...Object.values(s.codecs), ...s.folder.map((e) => e.artifact));
    }
    // one file may be shipped twice, as a program (executable) and as a dependency: two names
    const key = (a: Artifact) => `${a.executable ? 'x' : '-'}${a.source}`;
    const names = new Map<string, string>();
    await Promise.all(artifacts.map(async (a) => names.set(key(a), await cacheName(a))));
    const nameOf = (a: Artifact) => names.get(key(a))!;
    const inCache = (a: Artifact) => `${cache}/${nameOf(a)}`;
    const sftp = await this.sessions.sftp();
    try {
      const report = await uploadMissing(sftp, this.node, cache, artifacts.map((a) => ({ source: a.source, name: nameOf(a), executable: a.executable })));
      this.opts.onShipped?.(this.node, report);
    } finally {
      sftp.end();
    }
    this.runtime = inCache(artifacts[0]!);
    this.nodeBinary = binary.ship ? inCache(binary.ship) : this.spec.nodeBinary;
    const jobs = new Map<string, PreparedJob>();
    for (const s of shipments) {
      const folder = `${this.runDir}/jobs/${s.job}`;
      for (const e of s.folder) keeper.link(nameOf(e.artifact), `jobs/${s.job}/${e.rel}`);
      const codecBundles: Record<string, string> = {};
      for (const [pipe, a] of Object.entries(s.codecs)) codecBundles[pipe] = inCache(a);
      jobs.set(s.job, { bundle: s.bundle && inCache(s.bundle), codecBundles, program: s.program && inCache(s.program), folder, cwd: folder });
    }
    await keeper.flush();
    return { dir: this.runDir, dataHost: this.spec.dataHost, jobs };
  }

  async launch(req: LaunchRequest): Promise<WorkerHandle> {
    const keeper = this.keeper!;
    const env = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
    const argv = [...(env.length > 0 ? ['env', ...env] : []), this.nodeBinary, ...(req.nodeArgs ?? []), this.runtime, RUN_ARG, req.runId, JOB_ARG, req.job];
    // sshd makes each session its own process group: $$ (the worker, after exec) leads it, and the
    // keeper kills that group.
    const command = `mkdir -p ${shellQuote([req.cwd])} && cd ${shellQuote([req.cwd])} && echo "pid $$" >&2 && exec ${shellQuote(argv)}`;
    let channel: ClientChannel;
    try {
      channel = await this.launches.add(() => allLaunches.add(() => this.sessions.exec(command)));
    } catch (err) {
      throw new MarveloError('MRV_LAUNCH_WORKER', `cannot start the worker of job '${req.job}' on node '${this.node}': ${(err as Error).message}`, {
        job: req.job,
        hint: isMarveloError(err) ? err.hint : undefined,
        cause: err,
      });
    }
    channel.on('error', () => {});
    const exited = new Promise<WorkerExit>((resolve) => {
      let status: WorkerExit = { code: null, signal: null };
      channel.on('exit', (code: number | null, signal?: string) => {
        // OpenSSH names the signal without SIG (RFC 4254), ssh2 passes it on with it: take either
        status = { code, signal: signal ? ((signal.startsWith('SIG') ? signal : `SIG${signal}`) as NodeJS.Signals) : null };
      });
      // no exit status: the node or the connection died (ssh2 reports a lost connection just before)
      channel.once('close', () => resolve(status.code === null && status.signal === null ? { ...status, lost: this.sessions.lostReason ?? 'the channel closed without an exit status' } : status));
    });
    const { pid, stderr } = await firstLinePid(channel);
    if (pid !== undefined) {
      keeper.watch(pid);
      this.live.add(pid);
      void exited.then(() => {
        this.live.delete(pid);
        keeper.forget(pid);
      });
    }
    return {
      job: req.job,
      node: this.node,
      pid,
      output: channel,
      input: channel,
      stderr,
      exited,
      kill: () => {
        if (pid !== undefined && this.live.has(pid)) keeper.kill(pid);
        channel.close();
      },
      watchGroup: (pgid) => keeper.watch(pgid),
      killGroup: (pgid) => {
        keeper.kill(pgid);
        keeper.forget(pgid);
      },
      forgetGroup: (pgid) => keeper.forget(pgid),
    };
  }

  async close(): Promise<void> {
    await this.keeper?.finish();
    this.sessions.close();
  }

  kill(): void {
    for (const pid of this.live) this.keeper?.kill(pid);
    this.sessions.close();
  }
}

/** The worker's pid, from the first line its shell writes to stderr; the rest of stderr is the worker's. */
function firstLinePid(channel: ClientChannel): Promise<{ pid: number | undefined; stderr: PassThrough }> {
  const stderr = new PassThrough();
  return new Promise((resolve) => {
    let head = '';
    let done = false;
    const finish = (pid: number | undefined, rest: string) => {
      done = true;
      if (rest) stderr.write(rest);
      channel.stderr.pipe(stderr);
      resolve({ pid, stderr });
    };
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const nl = head.indexOf('\n');
      if (nl < 0) return;
      channel.stderr.off('data', onData);
      const m = /^pid (\d+)$/.exec(head.slice(0, nl));
      finish(m ? Number(m[1]) : undefined, m ? head.slice(nl + 1) : head);
    };
    channel.stderr.on('data', onData);
    channel.once('close', () => {
      if (!done) {
        channel.stderr.off('data', onData);
        done = true;
        stderr.end(head);
        resolve({ pid: undefined, stderr });
      }
    });
  });
}
