import { MarveloError } from '../errors.js';
import { startView, type LiveView } from '../view/web/live-view.js';

/** `--ui-port` / `--port`: a TCP port, 0 for a free one; anything else is MRV_CLI_OPTION. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new MarveloError('MRV_CLI_OPTION', `'${value}' is not a port`, { hint: 'a port is a number from 1 to 65535; leave the option out (or give 0) for a free one' });
  }
  return n;
}

/** Starts the web view of `marvelo run --ui` and prints its address, token included, once. */
export async function openRunView(port: number | undefined): Promise<LiveView> {
  const view = await startView({ port });
  process.stderr.write(`[marvelo] view: ${view.url}\n`);
  return view;
}
