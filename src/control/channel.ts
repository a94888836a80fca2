import { Packr } from 'msgpackr/pack';
import { FrameDecoder } from '../wire/frame-decoder.js';
import { MarveloError } from '../errors.js';
import { CONTROL_FRAME } from './messages.js';

const packr = new Packr({ useRecords: false });

interface ByteSink {
  write(chunk: Uint8Array): unknown;
}
interface ByteSource {
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', cb: () => void): unknown;
}

/** Encodes one control message as a frame: u32 length | u8 CONTROL_FRAME | msgpack. */
export function encodeControl(msg: unknown): Buffer {
  const body = packr.pack(msg);
  const frame = Buffer.allocUnsafe(5 + body.length);
  frame.writeUInt32BE(body.length + 1, 0);
  frame[4] = CONTROL_FRAME;
  frame.set(body, 5);
  return frame;
}

/**
 * A message channel over a duplex byte stream (a worker's stdin/stdout, locally or over SSH).
 * `In` is what arrives, `Out` what is sent.
 */
export class ControlChannel<In, Out> {
  private closed = false;
  private readonly sink: ByteSink;

  constructor(source: ByteSource, sink: ByteSink, onMessage: (msg: In) => void, onClose: () => void) {
    this.sink = sink;
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      if (kind !== CONTROL_FRAME) {
        throw new MarveloError('MRV_CONTROL_PROTOCOL', `unexpected frame kind ${kind} on the control channel`);
      }
      onMessage(packr.unpack(buf.subarray(start, end)) as In);
    });
    source.on('data', (chunk) => decoder.push(chunk));
    const close = () => {
      if (this.closed) return;
      this.closed = true;
      onClose();
    };
    source.on('end', close);
    source.on('close', close);
  }

  send(msg: Out): void {
    if (this.closed) return;
    this.sink.write(encodeControl(msg));
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
