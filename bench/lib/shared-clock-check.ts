import { createInterface } from 'node:readline';
import { spawnOwned } from './processes.js';

/** A child that answers every line on stdin with its process.hrtime.bigint(). */
const ECHO_CLOCK = "require('readline').createInterface({input:process.stdin}).on('line',()=>process.stdout.write(process.hrtime.bigint()+'\\n'))";

export interface ClockCheck {
  trips: number;
  /** Largest round trip (us): the bound on any offset the check could miss. */
  maxRoundTripUs: number;
}

/**
 * Checks that process.hrtime.bigint() reads one clock shared by processes (see clock.ts): in each of
 * `trips` round trips, a child's reading must fall between our send and receive times. A per-process
 * origin would put it off by seconds or more. Throws when it does not hold.
 */
export async function checkSharedClock(trips = 50): Promise<ClockCheck> {
  const proc = spawnOwned(process.execPath, ['-e', ECHO_CLOCK], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const lines = createInterface({ input: proc.child.stdout! })[Symbol.asyncIterator]();
    let maxRoundTrip = 0n;
    for (let i = 0; i < trips; i++) {
      const sent = process.hrtime.bigint();
      proc.child.stdin!.write('t\n');
      const { value, done } = await lines.next();
      const received = process.hrtime.bigint();
      if (done) throw new Error('the clock-check child exited early');
      const theirs = BigInt(String(value).trim());
      if (theirs < sent || theirs > received) {
        throw new Error(
          `process.hrtime is not shared between processes on this machine (child read ${theirs}, outside [${sent}, ${received}]): ` +
            'cross-process latency cannot be measured this way here',
        );
      }
      if (received - sent > maxRoundTrip) maxRoundTrip = received - sent;
    }
    return { trips, maxRoundTripUs: Number(maxRoundTrip) / 1e3 };
  } finally {
    proc.child.stdin!.end();
    await proc.kill();
  }
}
