import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { ExecutableSpec } from '../../config/types.js';
import { MarveloError, type ErrorDetails } from '../../errors.js';
import { connectorHead } from '../../sync/head-rules.js';
import type { Codec } from '../../wire/types.js';
import type { HostContext } from '../host.js';
import { HostLifecycle } from '../host-lifecycle.js';
import type { OutputPort } from '../output-port.js';
import { ChildPipes } from './child-pipes.js';
import { RoundLog } from './round-log.js';
import { TailLines } from './tail-lines.js';
import { UnitCutter } from './unit-cutter.js';

/** Lines of the program's stderr quoted when it fails. */
const STDERR_TAIL = 10;

interface ChildInput {
  codec: Codec;
  /** Undefined until the program opened the pipe (path mode). */
  socket: Socket | undefined;
  /** The program closed this input (or never opened it): its data has nowhere to go. */
  closed: boolean;
}

interface ChildOutput {
  port: OutputPort;
  socket: Socket;
  cutter: UnitCutter;
  /** Units sent so far: the next one is unit `units + 1`. */
  units: number;
  lastSqn: number;
  /** The program's stream reached its end (everything before it was delivered). */
  ended: boolean;
  /** The last drain found no complete unit left. */
  idle: boolean;
}

/**
 * Drives an executable job (ExecutableJob / MARVELOJob): the program runs as a child process in the
 * job's folder. Each round from the inputs is written to the program as `[head] + payload` per block;
 * what it writes is cut into blocks and sent on. Backpressure runs through the pipes: a full input
 * pipe stops the rounds (and so the credit upstream), an output without credit stops our reading.
 * It finishes when the program exits 0 after closing its outputs; any other exit fails the job.
 * busySince stays 0: a program has no run() call to time (`timeout:` is refused on executable jobs).
 */
export class ExecHost extends HostLifecycle {
  private readonly exe: ExecutableSpec;
  /** Head bytes per block in the program's streams (0 without HEAD). */
  private readonly streamHeadSize: number;
  private readonly inputs: ChildInput[];
  private readonly outputs: ChildOutput[] = [];
  private readonly roundLog = new RoundLog();
  private readonly stderrTail = new TailLines(STDERR_TAIL);
  private child: ChildProcess | undefined;
  private pipes: ChildPipes | undefined;
  private pumping = false;
  private inputsWaiting = 0;
  private inputsEnded = false;
  /** Units every output has sent (the rounds done through the outputs). */
  private unitsOut = 0;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private childClosed = false;
  /** The program exited and its process group was killed. */
  private groupGone = false;
  /** Every consumer has closed: the program is stopped, and that is a normal end. */
  private stopping = false;

  constructor(private readonly ctx: HostContext) {
    super(ctx);
    this.exe = ctx.spec.executable!;
    this.streamHeadSize = ctx.spec.head ? ctx.spec.headSize : 0;
    this.inputs = ctx.argSources.map((s) => ({
      codec: 'sync' in s ? ctx.syncPorts[s.sync]!.codec : ctx.optionalPorts[s.optional]!.codec,
      socket: undefined,
      closed: false,
    }));
  }

  /** How errors name the program: a python job by its class (python3 runs marvelo's runtime for it). */
  private get programName(): string {
    const python = this.ctx.spec.python;
    return python ? `python job ${python.className} (${this.exe.command})` : `executable ${this.exe.command}`;
  }

  /** The running program's pid (resource samples measure it too); undefined once it exited. */
  get childPid(): number | undefined {
    return this.exit === undefined ? this.child?.pid : undefined;
  }

  start(): void {
    this.started = true;
    try {
      this.launch();
    } catch (err) {
      this.fail(err, 'setup');
    }
  }

  /** A program reads its inputs as streams: every block goes through the assembler. */
  runNow(): boolean {
    return false;
  }

  onOutputChange(): void {
    if (this.done) return;
    if (this.outputsChanged()) {
      this.stopChild();
      return;
    }
    for (const out of this.outputs) this.drainOutput(out);
    this.maybeFinish();
  }

  dispose(): void {
    this.killChild();
    this.pipes?.dispose();
  }

  // ---- the program ---------------------------------------------------------------------------

  private launch(): void {
    const { spec, run, folder } = this.ctx;
    const pipes = ChildPipes.create(join(run.dir, 'fifo', spec.name), spec.inputs, spec.outputs, this.exe.pass);
    this.pipes = pipes;
    const argv = [...this.exe.args];
    spec.inputs.forEach((_, i) => argv.push(this.exe.inputFlag, pipes.args[i]!));
    spec.outputs.forEach((_, j) => argv.push(this.exe.outputFlag, pipes.args[spec.inputs.length + j]!));
    // Own process group: killing the group also ends what the program started (a script's children).
    const child = spawn(this.exe.command, argv, {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe', ...pipes.childFds],
      detached: true,
    });
    this.child = child;
    pipes.afterSpawn();
    child.on('error', (err) =>
      this.fail(
        programError(`cannot start ${this.programName}: ${err.message}`, {
          job: spec.name,
          hint: spec.python ? 'python jobs need python3 (3.8 or newer) on PATH on this node' : 'check that the program exists on this node and is executable',
          cause: err,
        }),
        'setup',
      ),
    );
    // The worker turns its own stdout/stderr into the job's log lines.
    child.stdout!.setEncoding('utf8').on('data', (text: string) => process.stdout.write(text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail.push(text);
      process.stderr.write(text);
    });
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      // Whatever the program left running is part of the job, and the job's program is over.
      this.killChild();
      this.groupGone = true;
      pipes.childExited();
    });
    child.on('close', () => this.onChildClosed());
    this.attachOutputs(pipes);
    this.attachInputs(pipes);
  }

  private attachInputs(pipes: ChildPipes): void {
    this.inputsWaiting = this.inputs.length;
    this.inputs.forEach((input, i) => {
      void pipes.inputs[i]!.then((socket) => {
        this.inputsWaiting--;
        if (socket === undefined) input.closed = true;
        else {
          input.socket = socket;
          // EPIPE: the program closed this input; what it did not read is its choice.
          socket.on('error', () => (input.closed = true));
          socket.on('drain', () => this.pump());
          if (this.inputsEnded) socket.end();
        }
        this.pump();
      });
    });
  }

  private attachOutputs(pipes: ChildPipes): void {
    this.ctx.outputPorts.forEach((port, j) => {
      const out: ChildOutput = {
        port,
        socket: pipes.outputs[j]!,
        cutter: new UnitCutter(this.streamHeadSize, port.codec),
        units: 0,
        lastSqn: 0,
        ended: false,
        idle: true,
      };
      this.outputs.push(out);
      out.socket.on('data', (chunk: Buffer) => {
        out.cutter.push(chunk);
        this.drainOutput(out);
      });
      out.socket.on('error', () => {});
      out.socket.on('close', () => {
        out.ended = true;
        this.maybeFinish();
      });
    });
  }

  private onChildClosed(): void {
    this.childClosed = true;
    if (this.done) return;
    if (this.stopping) {
      void this.finish();
      return;
    }
    if (this.exit?.code !== 0) {
      this.fail(this.exitError(), 'run');
      return;
    }
    this.maybeFinish();
  }

  private exitError(): MarveloError {
    const { code, signal } = this.exit ?? { code: null, signal: null };
    const status = signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const tail = this.stderrTail.get();
    const stderr = tail.length > 0 ? `; its last stderr lines:\n${tail.map((l) => `  ${l}`).join('\n')}` : ' (it wrote nothing to stderr)';
    return programError(`${this.programName} ${status}${stderr}`, { job: this.ctx.spec.name });
  }

  /** No consumer wants more: stop the program (and whatever it started); this is a normal end. */
  private stopChild(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.killChild();
    if (this.childClosed || this.child === undefined) void this.finish();
  }

  private killChild(): void {
    const pid = this.child?.pid;
    // Once the group was killed after the exit, its number may be reused: never signal it again.
    if (pid === undefined || this.groupGone) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  }

  // ---- rounds into the program ---------------------------------------------------------------

  protected pump(): void {
    if (!this.started || this.done || this.pumping || this.inputsWaiting > 0 || this.inputsEnded) return;
    this.pumping = true;
    try {
      for (const input of this.inputs) input.socket?.cork();
      while (!this.inputBlocked() && this.nextRound());
    } catch (err) {
      this.fail(err, 'run');
      return;
    } finally {
      for (const input of this.inputs) input.socket?.uncork();
      this.pumping = false;
    }
    this.returnCredit();
    if (this.inputsExhausted) this.endInputs();
  }

  /** A full pipe: wait for 'drain' before writing more rounds. */
  private inputBlocked(): boolean {
    for (const input of this.inputs) if (!input.closed && input.socket?.writableNeedDrain) return true;
    return false;
  }

  /** Writes the next round, if one is complete. */
  private nextRound(): boolean {
    const { assembler, optionals } = this;
    const argSources = this.ctx.argSources;
    const hasOutputs = this.outputs.length > 0;
    let sqn: number;
    if (assembler !== undefined) {
      const round = assembler.next();
      if (round === null) return false;
      sqn = round.sqn;
      if (hasOutputs) this.roundLog.record(sqn, round.head);
      for (let i = 0; i < argSources.length; i++) {
        const s = argSources[i]!;
        if ('sync' in s) {
          const payloads = round.payloads[s.sync]!;
          const heads = round.heads[s.sync]!;
          for (let k = 0; k < payloads.length; k++) this.writeUnit(i, heads[k]!, payloads[k]);
        } else {
          this.writeUnit(i, 0, optionals[s.optional]!.read());
        }
      }
    } else {
      sqn = this.takeTrigger();
      if (sqn === 0) return false;
      if (hasOutputs) this.roundLog.record(sqn, this.triggerHead(sqn));
      for (let i = 0; i < argSources.length; i++) {
        const s = argSources[i]!;
        if (!('sync' in s)) this.writeUnit(i, 0, optionals[s.optional]!.read());
      }
    }
    this.rounds++;
    // Without outputs, a round is done once the program has it: it tells us nothing more.
    if (!hasOutputs) this.roundsDoneThrough = sqn;
    return true;
  }

  private writeUnit(i: number, head: number, value: unknown): void {
    const input = this.inputs[i]!;
    if (input.closed) return;
    const payload = input.codec.encodeForStream(value);
    const hs = this.streamHeadSize;
    // A copy: encoders may return a view of a scratch buffer, and the socket keeps what it is given.
    const unit = Buffer.allocUnsafe(hs + payload.length);
    if (hs > 0) unit.writeUIntBE(head >>> 0, 0, hs);
    unit.set(payload, hs);
    input.socket!.write(unit);
  }

  /** No round will follow: the program reads the end of each input. */
  private endInputs(): void {
    this.inputsEnded = true;
    for (const input of this.inputs) input.socket?.end();
  }

  // ---- blocks out of the program -------------------------------------------------------------

  private drainOutput(out: ChildOutput): void {
    if (this.done) return;
    out.idle = false;
    try {
      while (out.port.ready) {
        if (!out.cutter.next()) {
          out.idle = true;
          break;
        }
        this.emit(out);
      }
    } catch (err) {
      this.fail(err, 'run');
      return;
    }
    if (out.cutter.buffered === 0) out.idle = true;
    // No credit: stop reading, so the program blocks on its full pipe (backpressure).
    if (out.idle) out.socket.resume();
    else out.socket.pause();
  }

  /**
   * Unit k of an output belongs to round k (the k-th round written to the program): it takes that
   * round's SQN and MARVELO's head rules. With HEAD the program's head is used, but corrupted and
   * finished of the round stay set and reset is the round's; without HEAD the round's head passes on.
   * A unit with no round (a source, or a program ahead of its inputs) is numbered on, reset on unit 1.
   */
  private emit(out: ChildOutput): void {
    const k = ++out.units;
    const known = this.roundLog.has(k);
    const sqn = known ? this.roundLog.sqn(k) : out.lastSqn + 1;
    const roundHead = known ? this.roundLog.head(k) : k === 1 ? this.bits.reset : 0;
    const head = this.streamHeadSize > 0 ? connectorHead(out.cutter.head, roundHead, this.bits) : roundHead;
    const value = out.port.codec.decodeFromStream(out.cutter.payload);
    out.lastSqn = sqn;
    out.port.send(sqn, head >>> 0, value);
    if (this.inputs.length === 0) this.rounds = Math.max(this.rounds, k);
    const through = this.outputs.length === 1 ? k : this.unitsOnEveryOutput();
    if (through > this.unitsOut) {
      // Unit `through` is now out on every output, so its round is done (a source's units are rounds of their own).
      this.unitsOut = through;
      if (through === k) this.roundsDoneThrough = sqn;
      else if (this.roundLog.has(through)) this.roundsDoneThrough = this.roundLog.sqn(through);
    }
    if (this.inputs.length > 0) this.roundLog.release(through);
  }

  private unitsOnEveryOutput(): number {
    let min = Infinity;
    for (const o of this.outputs) if (o.units < min) min = o.units;
    return min;
  }

  // ---- the end -------------------------------------------------------------------------------

  /** Finished: the program exited 0, every output stream ended, and every block went out. */
  private maybeFinish(): void {
    if (this.done || !this.childClosed || this.exit?.code !== 0) return;
    for (const out of this.outputs) if (!out.ended || !out.idle) return;
    const cut = this.outputs.find((o) => o.cutter.buffered > 0);
    if (cut !== undefined) {
      const head = this.streamHeadSize > 0 ? `${this.streamHeadSize} head byte(s) + ` : '';
      this.fail(
        programError(
          `${this.programName} ended output '${cut.port.name}' in the middle of a block: ${cut.cutter.buffered} byte(s) left over`,
          { job: this.ctx.spec.name, pipe: cut.port.name, hint: `every block on this pipe is ${head}${describePayload(cut.port.codec)}` },
        ),
        'run',
      );
      return;
    }
    void this.finish();
  }

  /** Whatever the program left running ends before the streams do. */
  protected teardown(): void {
    this.killChild();
  }

  protected released(): void {
    this.killChild();
  }
}

/** A failure of the program, not of our code: a stack of our frames would only mislead. */
function programError(message: string, details: ErrorDetails): MarveloError {
  const error = new MarveloError('MRV_JOB_FAILED', message, details);
  error.stack = `${error.name}: ${message}`;
  return error;
}

function describePayload(codec: Codec): string {
  const spec = codec.spec;
  switch (spec.kind) {
    case 'bytes':
      return `${spec.blockSize} bytes`;
    case 'typed':
      return `${spec.length} ${spec.type} values (little-endian)`;
    case 'json':
      return 'one JSON document ending in a newline';
    case 'msgpack':
      return 'one msgpack value';
    default:
      return 'one value of its codec';
  }
}
