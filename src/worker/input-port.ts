import type { Socket } from 'node:net';
import type { PipeSpec } from '../config/types.js';
import type { PipeCounters } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { FrameDecoder, dataHead, dataPayload, dataSqn } from '../wire/frame-decoder.js';
import { FrameWriter } from '../wire/frame-writer.js';
import { FrameKind, type Codec } from '../wire/types.js';
import { newCounters } from './counters.js';

export interface InputSink {
  block(sqn: number, head: number, value: unknown): void;
  end(): void;
}

/**
 * The consumer end of one pipe: decodes blocks into the job's sync or optional queue and grants
 * credit back as blocks are consumed. Credit is returned at a low-water mark (a quarter of the window)
 * rather than per block, so the producer gets few, large grants.
 */
export class InputPort {
  readonly name: string;
  readonly counters: PipeCounters = newCounters();
  /** Credit window: the most blocks in flight or queued. Never below two rounds. */
  readonly window: number;
  private readonly grantAt: number;
  private ungranted = 0;
  private socket: Socket | undefined;
  private writer: FrameWriter | undefined;
  ended = false;

  constructor(
    readonly spec: PipeSpec,
    readonly codec: Codec,
    private readonly sink: InputSink,
    private readonly onFailure: (err: MarveloError) => void,
  ) {
    this.name = spec.name;
    this.window = Math.max(spec.maxQueue, 2 * spec.blockCount);
    this.grantAt = Math.max(1, Math.floor(this.window / 4));
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  attach(socket: Socket, leftover?: Uint8Array): void {
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    const headSize = this.spec.headSize;
    const decoder = new FrameDecoder((kind, body) => {
      if (kind === FrameKind.DATA) {
        const payload = dataPayload(body, headSize);
        this.counters.blocks++;
        this.counters.bytes += payload.length;
        this.sink.block(dataSqn(body), dataHead(body, headSize), this.codec.decode(payload));
      } else if (kind === FrameKind.END) {
        this.ended = true;
        this.sink.end();
      } else {
        this.fail(`unexpected frame kind ${kind} from the producer`);
      }
    });
    socket.on('data', (chunk) => {
      try {
        decoder.push(chunk);
      } catch (err) {
        this.fail(err instanceof Error ? err.message : String(err));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.ended && !this.closing) this.fail(`the producer '${this.spec.producer}' closed the connection before the end of its stream`);
    });
    this.writer.credit(this.window);
    this.writer.flush();
    if (leftover && leftover.length > 0) decoder.push(leftover);
  }

  /** `n` blocks left the queue (delivered or discarded): grant them back in batches. */
  consumed(n: number): void {
    if (n <= 0 || this.ended) return;
    this.ungranted += n;
    if (this.ungranted >= this.grantAt) this.grant();
  }

  private grant(): void {
    if (!this.writer || this.ungranted === 0) return;
    this.writer.credit(this.ungranted);
    this.ungranted = 0;
    // Send it now, not at the end of the turn: the producer refills while we work through the rest.
    this.writer.flush();
  }

  private closing = false;
  /** The job has finished: tell the producer to stop (unless it already ended), then close our side. */
  close(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    if (!this.ended) this.writer!.frame(FrameKind.CLOSE);
    this.writer!.flush();
    this.writer!.close();
    return new Promise((resolve) => socket.end(resolve));
  }

  private fail(message: string): void {
    if (this.closing) return;
    this.closing = true;
    this.onFailure(new MarveloError('MRV_WIRE_CONNECT', message, { pipe: this.name }));
  }
}
