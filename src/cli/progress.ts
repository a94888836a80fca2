import type { Network } from '../config/types.js';
import type { WorkerStats } from '../control/messages.js';
import { pipeTotals } from '../api/summary.js';

/** One live status line on a terminal: blocks per pipe and drops, redrawn at most a few times a second. */
export class Progress {
  private network: Network | undefined;
  private readonly stats: Record<string, WorkerStats> = {};
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private started = 0;

  constructor(private readonly tty: NodeJS.WriteStream) {}

  setNetwork(n: Network): void {
    this.network = n;
  }

  start(): void {
    this.started = Date.now();
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  update(job: string, stats: WorkerStats): void {
    this.stats[job] = stats;
  }

  draw(): void {
    if (!this.network || this.timer === undefined) return;
    const t = ((Date.now() - this.started) / 1000).toFixed(1);
    const parts = pipeTotals(this.network, this.stats).map(
      (p) => `${p.pipe} ${p.blocks}${p.dropped ? ` (-${p.dropped})` : ''}`,
    );
    const line = `[${t}s] ${parts.join('  ')}`;
    const cols = this.tty.columns || 100;
    this.tty.write(`\r\x1b[2K${line.slice(0, cols - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.tty.write('\r\x1b[2K');
    this.shown = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
