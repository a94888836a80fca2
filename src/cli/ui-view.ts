import { InvalidArgumentError } from 'commander';
import { startView, type LiveView } from '../view/web/live-view.js';

/** `--ui-port` / `--port`: a TCP port, 0 for a free one. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0: any free one)');
  return n;
}

/** Starts the web view of `marvelo run --ui` and prints its address, token included, once. */
export async function openRunView(port: number | undefined): Promise<LiveView> {
  const view = await startView({ port });
  process.stderr.write(`[marvelo] view: ${view.url}\n`);
  return view;
}
