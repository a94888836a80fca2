import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpec, PipeSpec } from '../../src/config/types.js';
import type { RunInfo } from '../../src/control/messages.js';
import { ScriptJob } from '../../src/jobs/script-job.js';
import { RoundAssembler } from '../../src/sync/round-assembler.js';
import { createCodec } from '../../src/wire/codecs.js';
import { ExecHost } from '../../src/worker/exec/exec-host.js';
import type { HostContext } from '../../src/worker/host.js';
import { JobHost } from '../../src/worker/job-host.js';
import { OutputPort } from '../../src/worker/output-port.js';
import { SinkSocket } from '../helpers/sink-socket.js';
import { testJobSpec, testPipeSpec } from '../helpers/specs.js';


const RESET = 0x40;

const pipe: PipeSpec = testPipeSpec({ name: 'out', producer: 'job', consumer: 'next' });

const spec: JobSpec = testJobSpec({ outputs: ['out'] });

const run: RunInfo = { id: 'test', secret: new Uint8Array(32), dir: '', listen: ['unix'], host: '127.0.0.1', metricsMs: 1000, loggingMs: 1000, attempt: 0 };

function outputPort(p: PipeSpec = pipe): OutputPort {
  const port = new OutputPort(p, createCodec(p.codec), () => {}, (err) => {
    throw err;
  });
  port.attach(new SinkSocket() as unknown as Socket, new Uint8Array(0), 0);
  port.credit = 1000;
  return port;
}

function context(jobSpec: JobSpec, out: OutputPort, withInput: boolean, assembler: RoundAssembler<unknown> | undefined, finished: () => void): HostContext {
  return {
    spec: jobSpec,
    run,
    folder: '',
    inputs: [],
    outputs: [pipe],
    syncPorts: [],
    assembler,
    optionalPorts: [],
    optionals: [],
    outputPorts: [out],
    argSources: withInput ? [{ sync: 0, grouped: false }] : [],
    callbacks: {
      failed: (err) => {
        throw err;
      },
      finished,
    },
  };
}

/** A job host on one sync input (or none: a source) and one output, as the worker builds it. */
function host(job: ScriptJob, withInput: boolean): { host: JobHost; assembler: RoundAssembler<unknown> | undefined; out: OutputPort; ended: Promise<void> } {
  const assembler = withInput ? new RoundAssembler<unknown>([{ blockCount: 1, dummy: 'zero', zero: 0, wireHeadSize: 1 }], 1) : undefined;
  const out = outputPort();
  let finished!: () => void;
  const ended = new Promise<void>((r) => (finished = r));
  const h = new JobHost(job, context({ ...spec, inputs: withInput ? ['in'] : [] }, out, withInput, assembler, finished));
  return { host: h, assembler, out, ended };
}

describe('roundsDoneThrough', () => {
  it('follows the rounds whose result went to the outputs; an async run() counts once it settled', async () => {
    let release!: (v: number) => void;
    class Slow extends ScriptJob {
      run(x: number): number | Promise<number> {
        if (x !== 2) return x * 10;
        return new Promise<number>((r) => (release = r));
      }
    }
    const { host: h, assembler, out } = host(new Slow(), true);
    h.start();
    expect(h.roundsDoneThrough).toBe(0);
    assembler!.push(0, 1, RESET, 1);
    assembler!.push(0, 2, 0, 2);
    h.onInput();
    expect(h.roundsDoneThrough).toBe(1);
    expect(h.rounds).toBe(2); // round 2 ran, but its value is not out yet
    release(20);
    await Promise.resolve();
    expect(h.roundsDoneThrough).toBe(2);
    assembler!.push(0, 3, 0, 3);
    h.onInput();
    expect(h.roundsDoneThrough).toBe(3);
    expect(out.lastSqn).toBe(3);
  });

  it('is the SQN of the last value a source emitted', async () => {
    class Count extends ScriptJob {
      *run(): Generator<number> {
        for (let i = 1; i <= 5; i++) yield i;
      }
    }
    const { host: h, out, ended } = host(new Count(), false);
    h.start();
    await ended;
    expect(h.roundsDoneThrough).toBe(5);
    expect(out.lastSqn).toBe(5);
  });
});

describe('roundsDoneThrough of an executable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-rounds-done-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the SQN of the last block a source program wrote', async () => {
    const bytes: PipeSpec = { ...pipe, codec: { kind: 'bytes', blockSize: 4 } };
    const out = outputPort(bytes);
    let finished!: () => void;
    const ended = new Promise<void>((r) => (finished = r));
    // five blocks of 4 bytes into the output FIFO (the program's 2nd argument after `--out`)
    const executable = { command: 'sh', args: ['-c', 'printf 0123456789abcdefghij > "$2"', 'sh'], inputFlag: '--in', outputFlag: '--out', pass: 'path' as const };
    const ctx = context({ ...spec, kind: 'executable', executable }, out, false, undefined, finished);
    const h = new ExecHost({ ...ctx, run: { ...run, dir }, outputs: [bytes] });
    h.start();
    await ended;
    h.dispose();
    expect(h.roundsDoneThrough).toBe(5);
    expect(out.lastSqn).toBe(5);
  });
});
