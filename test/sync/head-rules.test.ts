import { describe, expect, it } from 'vitest';
import { connectorHead, reservedBits } from '../../src/sync/head-rules.js';

describe('head rules - a connector\'s output head', () => {
  for (const size of [1, 2, 3, 4]) {
    const bits = reservedBits(size);
    const user = 2 ** (8 * size - 4); // bit 3, the first user bit

    it(`keeps the job's user bits, and the round's corrupted, reset and finished (head size ${size})`, () => {
      const round = (bits.corrupted | bits.reset | bits.finished) >>> 0;
      expect(connectorHead(user, round, bits)).toBe((user + round) >>> 0);
    });

    it(`lets the job add finished and corrupted but not reset (head size ${size})`, () => {
      expect(connectorHead((bits.reset | bits.finished | bits.corrupted) >>> 0, 0, bits)).toBe((bits.finished | bits.corrupted) >>> 0);
    });

    it(`stays unsigned for the top bit (head size ${size})`, () => {
      expect(connectorHead(0, bits.corrupted, bits)).toBeGreaterThan(0);
    });
  }
});
