import type { ServerResponse } from 'node:http';
import { HEADERS } from './server.js';

/** A client further behind than this is dropped: its page reconnects and starts from a snapshot. */
const MAX_BEHIND = 4 * 1024 * 1024;

/**
 * The pages' Server-Sent Events streams: `snapshot` once per page, then batched `update`s, a comment
 * every 15 s to keep proxies and idle timers quiet, and `end` when the run is over.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly ping = setInterval(() => this.write(': ping\n\n'), 15_000).unref();

  open(res: ServerResponse, snapshot: unknown): void {
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(frame('snapshot', snapshot));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  send(event: string, data: unknown): void {
    this.write(frame(event, data));
  }

  /** Sends `end` and closes every stream. */
  end(data: unknown): void {
    this.send('end', data);
    for (const res of this.clients) res.end();
    this.clients.clear();
    clearInterval(this.ping);
  }

  private write(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BEHIND) {
        this.clients.delete(res);
        res.destroy();
      } else res.write(text);
    }
  }
}

function frame(event: string, data: unknown): string {
  // JSON has no raw newlines: one data line
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
