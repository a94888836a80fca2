import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import { helloFrame, MAX_HANDSHAKE_FRAME } from '../../src/wire/hello.js';
import { jobLines, processesTagged } from '../helpers/cli.js';
import { startGatedRun, type DataPort } from '../helpers/gated-run.js';
import { chunkSizes, MUTATIONS, mutate, randomBytes as seededBytes, rng, splitAt } from '../wire/fuzz-helpers.js';

/** Seeds are BASE_SEED + intruder number; a failure names the seeds. */
const BASE_SEED = 0x1d7_0000;
const INTRUDERS = 40;


/**
 * Intruder `seed`: noise, a hostile frame length, or a HELLO for the run's pipe signed with a guessed
 * secret (mutated or not), sent in random chunks after the CHALLENGE, then the connection's end.
 */
function intrusion(seed: number, nonce: Buffer): Buffer {
  const r = rng(seed);
  switch (r.int(0, 3)) {
    case 0:
      return seededBytes(r, r.int(0, 600));
    case 1: {
      const header = Buffer.alloc(5 + r.int(0, 64));
      header.writeUInt32BE(r.pick([0, 0xffff_ffff, 256 * 1024 * 1024, MAX_HANDSHAKE_FRAME + 1]), 0);
      header[4] = 6;
      return header;
    }
    default: {
      const forged = helloFrame(randomBytes(32), nonce, 'a');
      return r.next() < 0.3 ? forged : mutate(r, forged, [0], r.pick(MUTATIONS));
    }
  }
}

/** Connects, waits for the CHALLENGE, sends the intrusion in random chunks, ends; resolves when the worker closed. */
function intrude(target: DataPort, seed: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection(target as never);
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    const decoder = new FrameDecoder((_kind, buf, s, e) => {
      const bytes = intrusion(seed, Buffer.from(buf.subarray(s, e)));
      void (async () => {
        for (const chunk of splitAt(bytes, chunkSizes(rng(seed ^ 0xffff), bytes.length))) {
          if (socket.destroyed) return;
          socket.write(chunk);
          await new Promise((r) => setImmediate(r));
        }
        socket.end();
      })();
      decoder.onFrame = () => {};
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch {
        // the worker's ERROR frame may be cut off by its close
      }
    });
  });
}

describe('frame fuzzing: a live data port', () => {
  for (const transport of ['unix', 'tcp'] as const) {
    it(`refuses and counts ${INTRUDERS} seeded garbage and forged handshakes (${transport}); the run goes on and its result is exact`, async () => {
      const { run, gate, target } = await startGatedRun(transport);
      // a few at a time, as a scanner would
      for (let i = 0; i < INTRUDERS; i += 4) {
        await Promise.all([0, 1, 2, 3].map((k) => intrude(target, BASE_SEED + i + k)));
      }
      writeFileSync(gate, '');
      const r = await run.done;
      const where = `seeds ${BASE_SEED}..${BASE_SEED + INTRUDERS - 1}`;
      expect(r.code, `${where}: ${r.stderr}`).toBe(0);
      expect(jobLines(r.stderr, 'sink')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      const summary = JSON.parse(r.stdout) as { refused: number; jobs: { job: string; maxRss: number }[] };
      expect(summary.refused, where).toBe(INTRUDERS);
      // no intruder made the worker allocate what its length fields claimed
      expect(summary.jobs.find((j) => j.job === 'src')!.maxRss).toBeLessThan(200 * 1024 * 1024);
      expect(processesTagged(r.tag)).toEqual([]);
    });
  }
});
