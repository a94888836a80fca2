import { nowNs } from './clock.js';
import { parseMarker } from './markers.js';
import { describeExit, forEachLine, spawnOwned } from './processes.js';

export interface Timing {
  /** From spawning the command to the first block at the sink (ms). */
  firstBlockMs: number;
  /** From spawning the command to its exit (ms). */
  wallMs: number;
}

/**
 * Spawns `node <args>` and times it on the shared clock: the sink's first-block time arrives as a
 * `@bench` marker on stdout or stderr (the CLI prints job output as `sink | ...`). `seeLine` gets
 * every line of its output too.
 */
export async function timeCommand(args: string[], who: string, seeLine?: (line: string) => void): Promise<Timing> {
  let firstNs: number | undefined;
  const tail: string[] = [];
  const onLine = (line: string) => {
    seeLine?.(line);
    const m = parseMarker(line);
    if (m && typeof m.firstNs === 'number') firstNs = m.firstNs;
    else if (tail.push(line) > 10) tail.shift();
  };
  const t0 = nowNs();
  const proc = spawnOwned(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  forEachLine(proc.child.stdout, onLine);
  forEachLine(proc.child.stderr, onLine);
  try {
    const exit = await proc.exited;
    const t1 = nowNs();
    await proc.closed; // every line of its output has been read
    if (exit.code !== 0) throw new Error(`${who} ${describeExit(exit)}\n${tail.join('\n')}`);
    if (firstNs === undefined) throw new Error(`${who}: the sink reported no first block`);
    return { firstBlockMs: (firstNs - t0) / 1e6, wallMs: (t1 - t0) / 1e6 };
  } finally {
    await proc.kill();
  }
}
