import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { PipeSpec } from '../config/types.js';
import type { ClientMessage, JobFailure, RunInfo, WorkerJob, WorkerMessage, WorkerStats } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { importBundle } from './boot/import-bundle.js';
import { HOST, isScriptJobClass, type ScriptJob } from '../jobs/script-job.js';
import { installApiGlobal } from '../jobs/api-global.js';
import { isExecutableJobClass } from '../jobs/executable-job.js';
import { RoundAssembler } from '../sync/round-assembler.js';
import { OptionalInput } from '../sync/optional-input.js';
import { createCodec, ownedValue } from '../wire/codecs.js';
import { acceptPeer, connectPeer } from '../wire/handshake.js';
import { listen, type Listener } from '../wire/transport.js';
import type { Address, Codec, CustomCodecModule } from '../wire/types.js';
import { InputPort } from './input-port.js';
import { OutputPort } from './output-port.js';
import { JobHost } from './job-host.js';
import { SplitHost } from './split-host.js';
import { MergeHost } from './merge-host.js';
import { BlockQueue } from '../sync/block-queue.js';
import type { ExecHost } from './exec/exec-host.js';
import type { ArgSource, Host, HostContext } from './host.js';
import { FeedQueue } from './feed.js';
import { RunMeter } from './run-meter.js';
import { Sampler } from './sampler.js';

type Send = (msg: WorkerMessage) => void;

export class Worker {
  private job: ScriptJob | undefined;
  private host: Host | undefined;
  /** Items the client sends to this job (console lines, logging rows). */
  readonly feed = new FeedQueue();
  private readonly inputs: InputPort[] = [];
  private readonly outputs: OutputPort[] = [];
  private assembler: RoundAssembler<unknown> | undefined;
  /** The optional inputs, by input port name. */
  private readonly optionalsByPipe = new Map<string, OptionalInput<unknown>>();
  private readonly listeners: Listener[] = [];
  private refused = 0;
  private maxRss = 0;
  /** process.cpuUsage() when the job started: the job's CPU time excludes loading and connecting. */
  private cpuAtStart: NodeJS.CpuUsage | undefined;
  private metricsTimer: NodeJS.Timeout | undefined;
  /** Resource samples, for jobs marked `logging: true` only. */
  private sampler: Sampler | undefined;
  private ended = false;
  private readonly secret: Buffer;

  constructor(
    private readonly run: RunInfo,
    private readonly spec: WorkerJob,
    private readonly send: Send,
    private readonly exit: (code: number) => void,
  ) {
    this.secret = Buffer.from(run.secret);
  }

  get name(): string {
    return this.spec.spec.name;
  }

  async init(): Promise<void> {
    installApiGlobal();
    // A job may want to know whether it is a restart (docs/jobs.md).
    process.env.MARVELO_ATTEMPT = String(this.run.attempt);
    // An executable job runs a program (ExecHost): there is no job class to load. Only its worker loads
    // ExecHost, and with it node:child_process (4-7 ms of a worker's start-up).
    const kind = this.spec.spec.kind;
    const executable = kind === 'executable';
    // The splitter and merger around replicas (SplitHost, MergeHost) have no job class either.
    const job = executable || kind === 'split' || kind === 'merge' ? undefined : await this.loadJob();
    this.job = job;
    const ExecHostClass = executable ? (await import('./exec/exec-host.js')).ExecHost : undefined;
    const codecs = await this.loadCodecs();
    this.buildPorts(codecs, ExecHostClass);
    if (this.spec.spec.logging) this.sampler = this.makeSampler(job);
    try {
      await job?.setup();
    } catch (err) {
      this.reportFailure(err, 'setup');
      return;
    }
    if (this.outputs.length > 0) await this.openListeners();
    this.send({ type: 'ready', pid: process.pid, listen: this.listeners.map((l) => l.address) });
    this.metricsTimer = setInterval(() => {
      const since = this.host?.busySince ?? 0;
      this.send({ type: 'metrics', stats: this.stats(), busyMs: since === 0 ? null : Date.now() - since });
    }, this.run.metricsMs);
    this.metricsTimer.unref();
  }

  onControl(msg: ClientMessage): void {
    if (msg.type === 'connect') {
      this.connect(msg.inputs).then(
        () => this.send({ type: 'connected' }),
        (err) => this.reportFailure(err, 'wire'),
      );
    } else if (msg.type === 'start') {
      this.start().catch((err) => this.reportFailure(err, 'setup'));
    } else if (msg.type === 'reconnect') {
      this.reconnect(msg.inputs).catch((err) => this.reportFailure(err, 'wire'));
    } else if (msg.type === 'feed') {
      for (const item of msg.items) this.feed.push(item);
    } else if (msg.type === 'feed-end') {
      this.feed.end();
    }
  }

  private async start(): Promise<void> {
    if (this.run.attempt > 0 && this.spec.inputs.length === 0 && this.job !== undefined) await this.resumeSource(this.job);
    this.cpuAtStart = process.cpuUsage();
    this.host!.start();
    const child = this.host!.childPid;
    if (child !== undefined) this.send({ type: 'child', pid: child });
    this.sampler?.start();
  }

  /**
   * A restarted source: its stream goes on after the last block every consumer holds (their RESUME),
   * through the job's seek(sqn).
   */
  private async resumeSource(job: ScriptJob): Promise<void> {
    let after = Infinity;
    for (const port of this.outputs) after = Math.min(after, port.heldByConsumer);
    if (after === Infinity || after === 0) return;
    await job.seek?.(after);
    (this.host as JobHost).resumeAfter(after);
  }

  private async loadJob(): Promise<ScriptJob> {
    const { spec, bundle } = this.spec;
    if (bundle === undefined || spec.module === undefined) {
      throw new MarveloError('MRV_PLAN_UNSUPPORTED', `job kind '${spec.kind}' cannot run in this version`, { job: spec.name });
    }
    const mod = await importBundle({ file: bundle });
    const Cls = mod[spec.module.exportName];
    if (isExecutableJobClass(Cls)) {
      throw new MarveloError('MRV_PLAN_UNSUPPORTED', `export '${spec.module.exportName}' is an ExecutableJob class, but the network was loaded without inspecting its modules`, {
        job: spec.name,
        hint: 'load the network with inspect: true (the default): the class statics make it an executable job',
      });
    }
    if (!isScriptJobClass(Cls)) {
      throw new MarveloError('MRV_CONFIG_MODULE', `export '${spec.module.exportName}' is not a ScriptJob class`, {
        job: spec.name,
      });
    }
    const job = new (Cls as unknown as new () => ScriptJob)();
    job.name = spec.name;
    if (spec.replica !== undefined) {
      job.replica = spec.replica.index;
      job.replicas = spec.replica.count;
    }
    job.inputNames = [...spec.inputs];
    job.outputNames = [...spec.outputs];
    job.params = structuredClone(spec.params) as typeof job.params;
    job[HOST].headSize = spec.headSize;
    job[HOST].feed = this.feed;
    return job;
  }

  private async loadCodecs(): Promise<Map<string, Codec>> {
    const codecs = new Map<string, Codec>();
    for (const p of [...this.spec.inputs, ...this.spec.outputs]) {
      let custom: CustomCodecModule | undefined;
      if (p.codec.kind === 'custom') {
        const mod = await importBundle({ file: this.spec.codecBundles[p.name]! });
        custom = (mod[p.codec.exportName] ?? mod) as CustomCodecModule;
      }
      codecs.set(p.name, createCodec(p.codec, custom, { pipe: p.name }));
    }
    return codecs;
  }

  private buildPorts(codecs: Map<string, Codec>, ExecHostClass: typeof ExecHost | undefined): void {
    const { spec } = this.spec;
    const fail = (err: MarveloError) => this.reportFailure(err, 'wire');
    const statics = this.job?.constructor as typeof ScriptJob | undefined;
    const borrow = statics?.BORROW === true;
    // A splitter or merger passes on values decoded from its inputs: nothing ever changes them.
    const passesOn = spec.kind === 'split' || spec.kind === 'merge';
    const outputOptions = { copyPayloads: borrow, sentStayUnchanged: passesOn || statics?.FRESH_OUTPUTS === true };
    const mergeQueues = spec.kind === 'merge' ? this.spec.inputs.map(() => new BlockQueue<unknown>()) : undefined;
    const argSources: ArgSource[] = [];
    const syncSpecs: PipeSpec[] = [];
    const syncPorts: InputPort[] = [];
    const optionalPorts: InputPort[] = [];
    const optionals: OptionalInput<unknown>[] = [];
    for (const pipe of this.spec.inputs) {
      const codec = codecs.get(pipe.name)!;
      if (mergeQueues !== undefined) {
        const sink = MergeHost.sink(mergeQueues, syncPorts.length, () => this.host as MergeHost | undefined);
        const port = new InputPort(pipe, codec, sink, fail);
        syncPorts.push(port);
        this.inputs.push(port);
        continue;
      }
      if (pipe.optional !== undefined) {
        const idx = optionals.length;
        const opt = new OptionalInput<unknown>(pipe.optional);
        optionals.push(opt);
        this.optionalsByPipe.set(pipe.name, opt);
        const port = new InputPort(
          pipe,
          codec,
          {
            block: (sqn, _head, value) => {
              opt.push(value, sqn);
              this.host?.onOptionalInput();
            },
            arrived: () => {},
            end: (lastSqn) => {
              opt.end(lastSqn);
              this.host?.onInputEnd();
            },
            queued: () => opt.queued,
          },
          fail,
        );
        optionalPorts.push(port);
        this.inputs.push(port);
        argSources.push({ optional: idx });
      } else {
        const idx = syncSpecs.length;
        syncSpecs.push(pipe);
        // A borrowed value is valid only while run() runs on it: one that waits in the queue is copied.
        const copied = borrow && codec.zeroCopy;
        const port = new InputPort(
          pipe,
          codec,
          {
            block: (sqn, head, value) => {
              if (!this.host!.runNow(sqn, head, value)) this.assembler!.push(idx, sqn, head, copied ? ownedValue(codec, value) : value);
            },
            arrived: () => this.host?.onInput(),
            end: (lastSqn) => {
              this.assembler!.end(idx, lastSqn);
              this.host?.onInputEnd();
            },
            queued: () => this.assembler!.queued(idx),
          },
          fail,
          borrow,
        );
        syncPorts.push(port);
        this.inputs.push(port);
        argSources.push({ sync: idx, grouped: pipe.blockCount > 1 });
      }
    }
    if (syncSpecs.length > 0 && mergeQueues === undefined) {
      this.assembler = new RoundAssembler<unknown>(
        syncSpecs.map((p) => {
          const codec = codecs.get(p.name)!;
          return {
            blockCount: p.blockCount,
            dummy: p.dummy,
            zero: codec.zero(),
            wireHeadSize: p.headSize,
            own: borrow && codec.zeroCopy ? (v: unknown) => ownedValue(codec, v) : undefined,
          };
        }),
        spec.headSize,
      );
    }
    // An acknowledgement from downstream may let this job acknowledge upstream.
    const onAcked = () => {
      for (const port of syncPorts) port.drained();
    };
    for (const pipe of this.spec.outputs) {
      this.outputs.push(new OutputPort(pipe, codecs.get(pipe.name)!, () => this.host?.onOutputChange(), fail, { ...outputOptions, onAcked }));
    }
    this.wireAcknowledgements(syncPorts);
    const ctx: HostContext = {
      spec,
      run: this.run,
      folder: this.spec.folder,
      inputs: this.spec.inputs,
      outputs: this.spec.outputs,
      syncPorts,
      assembler: this.assembler,
      optionalPorts,
      optionals,
      outputPorts: this.outputs,
      argSources,
      callbacks: {
        failed: (err, phase) => this.reportFailure(err, phase),
        finished: () => this.finished(),
      },
    };
    if (spec.kind === 'split') this.host = new SplitHost(ctx, spec.replica!);
    else if (mergeQueues !== undefined) this.host = new MergeHost(ctx, spec.replica!, mergeQueues);
    else this.host = ExecHostClass !== undefined ? new ExecHostClass(ctx) : new JobHost(this.job!, ctx);
  }

  /** Each synchronous input that acknowledges asks its host what it has processed (Host.processedThrough). */
  private wireAcknowledgements(syncPorts: InputPort[]): void {
    for (const [i, port] of syncPorts.entries()) {
      if (port.acknowledges) port.ackThrough = () => this.host!.processedThrough(i);
    }
  }

  private async openListeners(): Promise<void> {
    const sock = this.run.attempt === 0 ? `${this.name}.sock` : `${this.name}.${this.run.attempt}.sock`;
    for (const kind of this.run.listen) {
      const spec =
        kind === 'tcp' ? ({ kind: 'tcp', host: this.run.host, port: 0 } as const) : ({ kind: 'unix', path: join(this.run.dir, sock) } as const);
      this.listeners.push(await listen(spec, (socket) => this.accept(socket)));
    }
  }

  /** A consumer dialled this producer: authenticate it and give it its output. */
  private accept(socket: Socket): void {
    // A restartable pipe takes a new consumer while the old connection still looks alive (a cut link).
    const expects = (pipe: string) => this.outputs.some((p) => p.name === pipe && (!p.connected || p.restartable));
    acceptPeer(socket, this.secret, expects).then(
      ({ pipe, leftover, sent }) => {
        const port = this.outputs.find((p) => p.name === pipe);
        if (!port || (port.connected && !port.restartable)) {
          socket.destroy();
          this.refused++;
          return;
        }
        port.attach(socket, leftover, sent);
      },
      () => {
        this.refused++;
      },
    );
  }

  /**
   * Dial the producer of every input, and wait until every output's consumer has dialled in and granted
   * its first credit: producing before it would lose the stream's first blocks to a drop policy.
   */
  private async connect(addresses: Record<string, Address>): Promise<void> {
    await Promise.all([
      ...this.inputs.map(async (port) => {
        const address = addresses[port.name];
        if (!address) {
          throw new MarveloError('MRV_CONTROL_PROTOCOL', `no address was given for input '${port.name}'`, {
            job: this.name,
          });
        }
        port.attach(await connectPeer(address, this.secret, port.name, port.reader));
      }),
      ...this.outputs.map((port) => port.granted),
    ]);
  }

  /** Producers of restartable inputs were restarted: dial each at its new address. */
  private async reconnect(addresses: Record<string, Address>): Promise<void> {
    await Promise.all(
      Object.entries(addresses).map(async ([pipe, address]) => {
        const port = this.inputs.find((p) => p.name === pipe && p.restartable);
        if (port === undefined) throw new MarveloError('MRV_CONTROL_PROTOCOL', `reconnect names '${pipe}', not a restartable input of this job`, { job: this.name });
        port.detach();
        port.attach(await connectPeer(address, this.secret, port.name, port.reader));
      }),
    );
  }

  /** `final`: the job has ended: values still waiting in an optional input will never be read. */
  stats(final = false): WorkerStats {
    const rss = process.memoryUsage.rss();
    if (rss > this.maxRss) this.maxRss = rss;
    const inputs: WorkerStats['inputs'] = {};
    let syncIdx = 0;
    for (const p of this.inputs) {
      const opt = this.optionalsByPipe.get(p.name);
      if (opt !== undefined) {
        p.counters.overflow = opt.dropped;
        p.counters.skipped = opt.skipped;
        p.counters.incomplete = final ? opt.queued : 0;
      } else if (this.assembler) {
        const s = this.assembler.stats(syncIdx++);
        p.counters.dummies = s.dummies;
        p.counters.stale = s.stale;
        p.counters.incomplete = s.incomplete;
      }
      inputs[p.name] = p.counters;
    }
    const outputs: WorkerStats['outputs'] = {};
    for (const p of this.outputs) outputs[p.name] = p.counters;
    const cpu = this.cpuAtStart === undefined ? undefined : process.cpuUsage(this.cpuAtStart);
    const cpuMs = cpu === undefined ? 0 : (cpu.user + cpu.system) / 1000;
    return { inputs, outputs, rounds: this.host?.rounds ?? 0, refused: this.refused, rss, maxRss: this.maxRss, cpuMs };
  }

  private finished(): void {
    if (this.ended) return;
    this.ended = true;
    const done = () => {
      this.send({ type: 'finished', stats: this.stats(true) });
      this.exit(0);
    };
    // A logged job's last sample (its totals) goes out before 'finished'.
    if (this.sampler) void this.sampler.final().then(done);
    else done();
  }

  private makeSampler(job: ScriptJob | undefined): Sampler {
    const meter = new RunMeter();
    if (job) meter.install(job, this.spec.inputs.length === 0);
    const blocks = (ports: readonly (InputPort | OutputPort)[]) => ports.reduce((n, p) => n + p.counters.blocks, 0);
    const source = {
      blocksIn: () => blocks(this.inputs),
      blocksOut: () => blocks(this.outputs),
      rounds: () => this.host?.rounds ?? 0,
      childPid: () => this.host?.childPid,
    };
    return new Sampler(this.name, this.run.loggingMs, source, meter, (sample) => this.send({ type: 'sample', sample }));
  }

  reportFailure(err: unknown, phase: string): void {
    if (this.ended) return;
    this.ended = true;
    this.assembler?.stop();
    // The peers learn that this job failed, so that none of them reports the closed connection instead.
    for (const port of this.outputs) port.abort();
    for (const port of this.inputs) port.abort();
    this.send({ type: 'failed', error: toFailure(err, phase), stats: this.stats(true) });
    this.exit(1);
  }

  /**
   * The run is stopping (Ctrl-C, another job failed): report the final counts, what waits for the job
   * counted as incomplete. Nothing runs after this: the worker exits.
   */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.assembler?.stop();
    this.send({ type: 'stopped', stats: this.stats(true) });
  }

  dispose(): void {
    this.host?.dispose();
    this.sampler?.stop();
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    for (const l of this.listeners) void l.close();
  }
}

function toFailure(err: unknown, phase: string): JobFailure {
  if (err instanceof Error) {
    if (!(err instanceof MarveloError)) return { message: err.message, stack: err.stack, code: undefined, phase, name: err.name, ...ownCode(err) };
    const failure: JobFailure = { message: withPipe(err), stack: err.stack, code: err.code, phase, name: err.name };
    if (err.hint !== undefined) failure.hint = err.hint;
    return failure;
  }
  return { message: String(err), stack: undefined, code: undefined, phase };
}

/** An exception's own `code` (Node's errors and many libraries set one), kept apart from the MRV_ codes. */
function ownCode(err: Error): { errorCode?: string } {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? { errorCode: String(code) } : {};
}

/** The message, naming the pipe when it does not already (the job is named by whoever reports the failure). */
function withPipe(err: MarveloError): string {
  return err.pipe !== undefined && !err.message.includes(`'${err.pipe}'`) ? `pipe '${err.pipe}': ${err.message}` : err.message;
}
