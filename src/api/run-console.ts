import type { Network } from '../config/types.js';
import { isMarveloError } from '../errors.js';
import type { FeedTarget } from './client-feeds.js';
import { openConsoleSocket, type ConsoleSocket } from './console-server.js';

/** The run's console jobs and where `marvelo console` reaches them. */
export interface ConsoleEvent {
  type: 'console';
  runId: string;
  jobs: string[];
  /** The socket `marvelo console` attaches to; undefined when it could not be opened or was not wanted. */
  socket: string | undefined;
  /** Why there is no socket, if it failed. */
  problem: string | undefined;
}

/**
 * Opens the console socket of a run with console jobs: every line a `marvelo console` client sends
 * goes to every console job. A socket that cannot be opened does not stop the run (the terminal of
 * `marvelo run` still feeds the consoles); the event says why.
 */
export async function openRunConsole(
  runId: string,
  network: Network,
  consoles: string[],
  feeds: FeedTarget,
  wantSocket: boolean,
): Promise<{ event: ConsoleEvent; socket: ConsoleSocket | undefined }> {
  const event: ConsoleEvent = { type: 'console', runId, jobs: consoles, socket: undefined, problem: undefined };
  if (!wantSocket) return { event, socket: undefined };
  try {
    const socket = await openConsoleSocket({ run: runId, network: network.name, consoles }, (line) => {
      for (const job of consoles) feeds.feed(job, [line]);
    });
    event.socket = socket.path;
    return { event, socket };
  } catch (err) {
    event.problem = isMarveloError(err) ? err.message : `cannot open the console socket: ${String(err)}`;
    return { event, socket: undefined };
  }
}
