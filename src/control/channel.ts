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

  /**
   * `onError`: the bytes received are not control frames (something else wrote to the stream: on a
   * worker's stdout, a native addon or a V8 flag such as --trace-deopt). Nothing more is read after it.
   */
  constructor(source: ByteSource, sink: ByteSink, onMessage: (msg: In) => void, onClose: () => void, onError: (err: MarveloError) => void) {
    this.sink = sink;
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      if (kind !== CONTROL_FRAME) {
        throw new MarveloError('MRV_CONTROL_PROTOCOL', `unexpected frame kind ${kind} on the control channel`);
      }
      let msg: In;
      try {
        msg = packr.unpack(buf.subarray(start, end)) as In;
      } catch (err) {
        throw new MarveloError('MRV_CONTROL_PROTOCOL', `a control frame is not valid msgpack: ${err instanceof Error ? err.message : String(err)}`);
      }
      onMessage(msg);
    });
    let broken = false;
    source.on('data', (chunk) => {
      if (broken) return;
      try {
        decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof MarveloError) || (err.code !== 'MRV_CONTROL_PROTOCOL' && err.code !== 'MRV_WIRE_FRAME')) throw err;
        broken = true;
        onError(err);
      }
    });
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
