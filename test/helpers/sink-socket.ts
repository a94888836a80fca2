/** What an output port uses of a socket, taking every write at once (and counting its bytes); no vitest: the bench's profiler uses it too. */
import { EventEmitter } from 'node:events';

export class SinkSocket extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  bytes = 0;
  write(buf: Uint8Array, done?: () => void): boolean {
    this.bytes += buf.byteLength;
    if (done) queueMicrotask(done);
    return true;
  }
  cork(): void {}
  uncork(): void {}
  end(): void {
    queueMicrotask(() => this.emit('close'));
  }
  resume(): void {}
  destroy(): void {}
}
