import { describe, expect, it } from 'vitest';
import { headBit, resizeHead } from '../../src/sync/head.js';
import { RoundAssembler } from '../../src/sync/round-assembler.js';
import { seededRandom } from '../helpers/seeded-random.js';
import {
  type Block,
  type RoundCopy,
  CORRUPTED,
  RST,
  ZERO,
  blocks,
  drain,
  runAllAtOnce,
  runInterleaved,
  spec,
  sqnsOf,
} from './assembler-helpers.js';

const NAMES = ['a', 'b', 'c'];
const ONE_EACH = [spec(), spec(), spec()];

/** Streams 1..last where each block but the first and the last is lost with probability `loss`. */
function lossyStreams(seed: number, loss: number, last: number, firstHead: number, keepFirst: boolean) {
  const random = seededRandom(seed);
  const lost = NAMES.map(() => new Set<number>());
  const streams: Block[][] = NAMES.map(() => []);
  for (let sqn = 1; sqn <= last; sqn++) {
    NAMES.forEach((name, input) => {
      const mayLose = sqn !== last && (sqn !== 1 || !keepFirst);
      if (mayLose && random() < loss) lost[input]!.add(sqn);
      else streams[input]!.push({ sqn, head: sqn === 1 ? firstHead : 0, payload: `${name}${sqn}` });
    });
  }
  return { streams, lost };
}

function expectDummiesExactlyAtGaps(lossRate: number, seed: number, keepFirst: boolean): void {
  const { streams, lost } = lossyStreams(seed, lossRate, 100, keepFirst ? RST : 0, keepFirst);
  const { assembler, rounds } = runAllAtOnce(ONE_EACH, streams);
  const first = Math.min(...streams.map((s) => s[0]!.sqn));
  expect(sqnsOf(rounds)).toEqual(Array.from({ length: 101 - first }, (_, i) => first + i));
  let gaps = 0;
  for (const round of rounds) {
    let anyGap = false;
    NAMES.forEach((name, input) => {
      const gap = lost[input]!.has(round.sqn) || round.sqn < streams[input]![0]!.sqn;
      anyGap ||= gap;
      expect(round.payloads[input]).toEqual([gap ? ZERO : `${name}${round.sqn}`]);
      expect(round.heads[input]![0]! & CORRUPTED).toBe(gap ? CORRUPTED : 0);
    });
    expect(round.corrupted).toBe(anyGap);
    if (anyGap) gaps++;
  }
  expect(gaps).toBeGreaterThan(0);
  NAMES.forEach((_, input) => {
    const received = streams[input]!.length;
    const dummies = 101 - first - received;
    expect(assembler.stats(input)).toEqual({ consumed: received, dummies, stale: 0, incomplete: 0 });
  });
  expect(assembler.done).toBe(true);
}

describe('RoundAssembler: the original SQN checker scenarios', () => {
  it('no loss is the identity; only the first round carries the reset bit', () => {
    const streams = NAMES.map((n) => blocks(n, 1, 99, RST));
    const { assembler, rounds } = runAllAtOnce(ONE_EACH, streams);
    expect(rounds).toHaveLength(99);
    rounds.forEach((round, i) => {
      const sqn = i + 1;
      expect(round.sqn).toBe(sqn);
      expect(round.payloads).toEqual(NAMES.map((n) => [`${n}${sqn}`]));
      // test_run_connection_queue_reset_check: connection head 64 on the first round, then 0.
      expect(round.head).toBe(sqn === 1 ? RST : 0);
      expect(round.reset).toBe(sqn === 1);
      expect(round.corrupted).toBe(false);
    });
    expect(assembler.stats(0)).toEqual({ consumed: 99, dummies: 0, stale: 0, incomplete: 0 });
    expect(assembler.done).toBe(true);
  });

  it('10% seeded loss: dummies (corrupted, zero data) exactly at the gaps, real data elsewhere', () => {
    expectDummiesExactlyAtGaps(0.1, 7, true);
  });

  it('50% seeded loss, first blocks may be lost too: dummies exactly at the gaps', () => {
    for (const seed of [5, 6, 11]) expectDummiesExactlyAtGaps(0.5, seed, false);
  });

  it('a gap on one input holds the newer block for its own round', () => {
    const streams = [blocks('a', 1, 6, RST), [...blocks('b', 1, 4, RST), ...blocks('b', 6, 6)]];
    const { rounds } = runAllAtOnce([spec(), spec()], streams);
    expect(rounds.map((r) => r.payloads)).toEqual([
      [['a1'], ['b1']],
      [['a2'], ['b2']],
      [['a3'], ['b3']],
      [['a4'], ['b4']],
      [['a5'], [ZERO]],
      [['a6'], ['b6']],
    ]);
    expect(rounds[4]!.head).toBe(CORRUPTED);
    expect(rounds[5]!.head).toBe(0);
  });

  it('reset at the same SQN on all inputs: 1..10, then 1..10', () => {
    // Original vector: 1..9, then RST·1, then 2..10 on every input.
    const streams = NAMES.map((n) => [...blocks(n, 1, 9), ...blocks(n, 1, 10, RST, "'")]);
    const { rounds } = runAllAtOnce(ONE_EACH, streams);
    expect(sqnsOf(rounds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Round 10 is where every input showed its reset: all dummies.
    expect(rounds[9]!.payloads).toEqual([[ZERO], [ZERO], [ZERO]]);
    expect(rounds[9]!.head).toBe(CORRUPTED);
    // The restarted round 1 releases the held blocks and passes the reset bit downstream.
    expect(rounds[10]!.payloads).toEqual([["a1'"], ["b1'"], ["c1'"]]);
    expect(rounds[10]!.head).toBe(RST);
    expect(rounds[10]!.reset).toBe(true);
    expect(rounds[11]!.reset).toBe(false);
    expect(rounds[11]!.payloads).toEqual([["a2'"], ["b2'"], ["c2'"]]);
  });

  it('reset at different SQNs: 1..11, then 1..9', () => {
    // Original vector: a resets after 9, b and c after 10; then 2..9 on every input.
    const streams = [
      [...blocks('a', 1, 9), ...blocks('a', 1, 9, RST, "'")],
      [...blocks('b', 1, 10), ...blocks('b', 1, 9, RST, "'")],
      [...blocks('c', 1, 10), ...blocks('c', 1, 9, RST, "'")],
    ];
    const { rounds, assembler } = runAllAtOnce(ONE_EACH, streams);
    expect(sqnsOf(rounds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rounds[9]!.payloads).toEqual([[ZERO], ['b10'], ['c10']]); // a holds its reset
    expect(rounds[10]!.payloads).toEqual([[ZERO], [ZERO], [ZERO]]); // b and c show theirs
    expect(rounds[11]!.payloads).toEqual([["a1'"], ["b1'"], ["c1'"]]);
    expect(rounds[11]!.head).toBe(RST);
    expect(rounds[12]!.head).toBe(0);
    expect(assembler.stats(0)).toMatchObject({ consumed: 18, dummies: 2, stale: 0, incomplete: 0 });
  });

  it("'prev' dummies repeat the previous data of that input, with the corrupted bit", () => {
    // Original vector: input a misses 3, b misses 5, c misses 7 (SQNs 1..9).
    const missing = [3, 5, 7];
    const streams = NAMES.map((n, i) => blocks(n, 1, 9, RST).filter((b) => b.sqn !== missing[i]));
    const { rounds } = runAllAtOnce([spec(1, 'prev'), spec(1, 'prev'), spec(1, 'prev')], streams);
    expect(sqnsOf(rounds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const round of rounds) {
      NAMES.forEach((n, i) => {
        const gap = round.sqn === missing[i];
        expect(round.payloads[i]).toEqual([`${n}${gap ? round.sqn - 1 : round.sqn}`]);
        expect(round.heads[i]).toEqual([gap ? CORRUPTED : round.sqn === 1 ? RST : 0]);
      });
    }
  });

  it("'prev' before any block is the zero payload, not empty", () => {
    const streams = [blocks('a', 1, 3, RST), blocks('b', 3, 3)];
    const { rounds } = runAllAtOnce([spec(), spec(1, 'prev')], streams);
    expect(rounds.map((r) => r.payloads[1])).toEqual([[ZERO], [ZERO], ['b3']]);
  });

  it('mixed block counts: round c of each input covers its own SQN range', () => {
    // The original's test_run_2_3_1_packet_per_pipe set BLOCK_COUNT on pipe 0 three times, so it
    // only ever ran with 1 block per input; this is the case it meant to cover.
    const streams = [blocks('a', 1, 60, RST), blocks('b', 1, 90, RST), blocks('c', 1, 30, RST)];
    const { rounds, assembler } = runAllAtOnce([spec(2), spec(3), spec(1)], streams);
    expect(rounds).toHaveLength(30);
    rounds.forEach((round, i) => {
      const c = i + 1;
      expect(round.sqn).toBe(c);
      expect(round.payloads).toEqual([
        [`a${2 * c - 1}`, `a${2 * c}`],
        [`b${3 * c - 2}`, `b${3 * c - 1}`, `b${3 * c}`],
        [`c${c}`],
      ]);
      expect(round.corrupted).toBe(false);
    });
    expect([0, 1, 2].map((i) => assembler.stats(i).incomplete)).toEqual([0, 0, 0]);
  });

  it('mixed block counts with a gap: only the missing slot is a dummy', () => {
    const b = blocks('b', 1, 6, RST).filter((x) => x.sqn !== 5);
    const streams = [blocks('a', 1, 4, RST), b, blocks('c', 1, 2, RST)];
    const { rounds } = runAllAtOnce([spec(2), spec(3), spec(1)], streams);
    expect(rounds.map((r) => r.payloads)).toEqual([
      [['a1', 'a2'], ['b1', 'b2', 'b3'], ['c1']],
      [['a3', 'a4'], ['b4', ZERO, 'b6'], ['c2']],
    ]);
    expect(rounds[1]!.heads[1]).toEqual([0, CORRUPTED, 0]);
    expect(rounds[1]!.corrupted).toBe(true);
  });
});

describe('RoundAssembler: defects of the original, fixed', () => {
  it('block count 5 groups 1..20 as [1..5] [6..10] [11..15] [16..20]', () => {
    // The original gave [1, 7, 8, 9, 10] first: it expected SQNs 5..9 in round 1, dropped 2..5 and
    // swallowed 6, and its groups straddled rounds from then on.
    const { rounds } = runAllAtOnce([spec(5)], [blocks('', 1, 20, RST)]);
    expect(rounds.map((r) => r.payloads[0])).toEqual([
      ['1', '2', '3', '4', '5'],
      ['6', '7', '8', '9', '10'],
      ['11', '12', '13', '14', '15'],
      ['16', '17', '18', '19', '20'],
    ]);
    expect(sqnsOf(rounds)).toEqual([1, 2, 3, 4]);
    expect(rounds.map((r) => r.corrupted)).toEqual([false, false, false, false]);
  });

  it('stale and duplicate blocks are discarded and counted; the next block is not swallowed', () => {
    const stream = [1, 2, 2, 3, 1, 2, 4, 5].map((sqn) => ({ sqn, head: 0, payload: `x${sqn}` }));
    const { rounds, assembler } = runAllAtOnce([spec()], [stream]);
    expect(rounds.map((r) => r.payloads[0])).toEqual([['x1'], ['x2'], ['x3'], ['x4'], ['x5']]);
    expect(assembler.stats(0)).toEqual({ consumed: 8, dummies: 0, stale: 3, incomplete: 0 });
  });

  it('a late block after its gap was filled is stale', () => {
    const stream = [1, 3, 2, 4].map((sqn) => ({ sqn, head: 0, payload: `x${sqn}` }));
    const { rounds, assembler } = runAllAtOnce([spec()], [stream]);
    expect(rounds.map((r) => r.payloads[0])).toEqual([['x1'], [ZERO], ['x3'], ['x4']]);
    expect(assembler.stats(0)).toMatchObject({ dummies: 1, stale: 1 });
  });

  it('a reset with block count > 1 restarts cleanly, without extra dummies', () => {
    // The original expected SQN n for the RST block (which carries 1) and made dummies.
    const streams = ['a', 'b'].map((n) => [...blocks(n, 1, 6, RST), ...blocks(n, 1, 4, RST, "'")]);
    const { rounds } = runAllAtOnce([spec(2), spec(2)], streams);
    expect(sqnsOf(rounds)).toEqual([1, 2, 3, 4, 1, 2]);
    expect(rounds[3]!.payloads).toEqual([[ZERO, ZERO], [ZERO, ZERO]]);
    expect(rounds[4]!.payloads).toEqual([["a1'", "a2'"], ["b1'", "b2'"]]);
    expect(rounds[4]!.reset).toBe(true);
    expect(rounds[5]!.corrupted || rounds[5]!.reset).toBe(false);
  });

  it('a reset in the middle of a round gives dummies for the rest of that round only', () => {
    const streams = [
      [...blocks('a', 1, 3, RST), ...blocks('a', 1, 2, RST, "'")],
      [...blocks('b', 1, 4, RST), ...blocks('b', 1, 2, RST, "'")],
    ];
    const { rounds } = runAllAtOnce([spec(2), spec(2)], streams);
    expect(rounds.map((r) => [r.sqn, r.payloads])).toEqual([
      [1, [['a1', 'a2'], ['b1', 'b2']]],
      [2, [['a3', ZERO], ['b3', 'b4']]],
      [3, [[ZERO, ZERO], [ZERO, ZERO]]],
      [1, [["a1'", "a2'"], ["b1'", "b2'"]]],
    ]);
  });
});

describe('RoundAssembler: heads', () => {
  it('the round head is the OR of every slot head', () => {
    const a: Block[] = [{ sqn: 1, head: RST | 0x01, payload: 'a1' }, { sqn: 2, head: 0x04, payload: 'a2' }];
    const b: Block[] = [{ sqn: 1, head: RST | 0x02, payload: 'b1' }, { sqn: 2, head: 0x20 | 0x08, payload: 'b2' }];
    const { rounds } = runAllAtOnce([spec(), spec()], [a, b]);
    expect(rounds.map((r) => r.head)).toEqual([RST | 0x03, 0x2c]);
    expect(rounds[1]!.finished).toBe(true);
    expect(rounds[1]!.reset).toBe(false);
  });

  it.each([1, 2, 3, 4])('job head size %i: wire heads are converted, dummies get the corrupted bit', (size) => {
    // Input a travels with 1-byte heads, input b with 2-byte heads; both are read in the job's size.
    const a = blocks('a', 1, 3, RST | 0x01);
    const b = blocks('b', 1, 3, (RST << 8) | 0x01).filter((x) => x.sqn !== 2);
    const { rounds } = runAllAtOnce([spec(), spec(1, 'zero', 2)], [a, b], size);
    const toJob = (value: number, from: number) => resizeHead(value, from, size);
    expect(rounds[0]!.heads).toEqual([[toJob(RST | 0x01, 1)], [toJob((RST << 8) | 0x01, 2)]]);
    expect(rounds[0]!.head).toBe((toJob(RST | 0x01, 1) | toJob((RST << 8) | 0x01, 2)) >>> 0);
    expect(rounds[0]!.reset).toBe(true);
    expect(rounds[1]!.heads[1]).toEqual([headBit(size, 0)]);
    expect(rounds[1]!.head).toBe(headBit(size, 0));
    expect(rounds[1]!.corrupted).toBe(true);
    expect(rounds[2]!.head).toBe(0);
  });
});

describe('RoundAssembler: feeding and ending', () => {
  it('any chunking gives the same rounds', () => {
    const random = seededRandom(42);
    const streams: Block[][] = ['a', 'b', 'c'].map((n) => {
      const first = blocks(n, 1, 40, RST).filter((b) => b.sqn === 1 || random() > 0.2);
      const restart = n === 'b' ? 40 : 35; // b resets later than the others
      const duplicate = { sqn: 7, head: 0, payload: `${n}dup` };
      return [...first.filter((b) => b.sqn <= restart), duplicate, ...blocks(n, 1, 30, RST, "'")];
    });
    const specs = [spec(2), spec(1, 'prev'), spec(3)];
    const { rounds: atOnce } = runAllAtOnce(specs, streams);
    expect(sqnsOf(atOnce).filter((sqn) => sqn === 1)).toHaveLength(2); // the reset happened
    for (const seed of [1, 2, 3, 4]) {
      expect(runInterleaved(specs, streams, seededRandom(seed))).toEqual(atOnce);
    }
  });

  it('next() is null while blocks are missing, and resumes a partial round', () => {
    const assembler = new RoundAssembler([spec(2), spec()], 1);
    expect(assembler.next()).toBeNull();
    assembler.push(0, 1, RST, 'a1');
    assembler.push(0, 2, 0, 'a2');
    assembler.push(0, 3, 0, 'a3');
    expect(assembler.next()).toBeNull();
    expect(assembler.done).toBe(false);
    assembler.push(1, 1, RST, 'b1');
    expect(assembler.next()?.payloads).toEqual([['a1', 'a2'], ['b1']]);
    expect(assembler.next()).toBeNull(); // a3 placed, waiting for a4
    expect(assembler.queued(0)).toBe(0);
    expect(assembler.stats(0).consumed).toBe(3);
    assembler.push(0, 4, 0, 'a4');
    assembler.push(1, 2, 0, 'b2');
    expect(assembler.next()?.payloads).toEqual([['a3', 'a4'], ['b2']]);
  });

  it('an ended input that cannot fill the next round ends the assembler; leftovers are incomplete', () => {
    const { rounds, assembler } = runAllAtOnce([spec(5)], [blocks('', 1, 12, RST)]);
    expect(sqnsOf(rounds)).toEqual([1, 2]);
    expect(assembler.done).toBe(true);
    expect(assembler.stats(0)).toEqual({ consumed: 12, dummies: 0, stale: 0, incomplete: 2 });
    expect(assembler.next()).toBeNull();
  });

  it('the shortest input decides the end; the other keeps its extra blocks as incomplete', () => {
    const assembler = new RoundAssembler([spec(), spec()], 1);
    blocks('a', 1, 3, RST).forEach((b) => assembler.push(0, b.sqn, b.head, b.payload));
    blocks('b', 1, 5, RST).forEach((b) => assembler.push(1, b.sqn, b.head, b.payload));
    assembler.end(0);
    expect(sqnsOf(drain(assembler))).toEqual([1, 2, 3]);
    expect(assembler.done).toBe(true);
    expect(assembler.stats(0).incomplete).toBe(0);
    expect(assembler.stats(1)).toEqual({ consumed: 3, dummies: 0, stale: 0, incomplete: 2 });
    expect(assembler.queued(1)).toBe(0);
    assembler.push(1, 6, 0, 'b6');
    expect(assembler.stats(1).incomplete).toBe(3);
  });

  it('blocks dropped at the end of a stream become dummies up to the SQN its END names', () => {
    const assembler = new RoundAssembler([spec()], 1);
    blocks('', 1, 5, RST).forEach((b) => assembler.push(0, b.sqn, b.head, b.payload));
    assembler.end(0, 8);
    const rounds = drain(assembler);
    expect(rounds.map((r) => r.sqn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rounds.slice(5).map((r) => [r.payloads[0], r.corrupted])).toEqual([[[ZERO], true], [[ZERO], true], [[ZERO], true]]);
    expect(assembler.done).toBe(true);
    expect(assembler.stats(0)).toEqual({ consumed: 5, dummies: 3, stale: 0, incomplete: 0 });
  });

  it('a dropped tail fills its rounds; the SQNs of a round the stream ends inside are incomplete, dummies too', () => {
    const assembler = new RoundAssembler([spec(5)], 1);
    blocks('', 1, 7, RST).forEach((b) => assembler.push(0, b.sqn, b.head, b.payload));
    assembler.end(0, 13);
    const rounds = drain(assembler);
    expect(rounds.map((r) => r.payloads[0])).toEqual([['1', '2', '3', '4', '5'], ['6', '7', ZERO, ZERO, ZERO]]);
    expect(assembler.done).toBe(true);
    // SQNs 11..13 were dropped and cannot make round 3: no job gets them, so they are not dummies
    expect(assembler.stats(0)).toEqual({ consumed: 7, dummies: 3, stale: 0, incomplete: 3 });
  });

  it('a join: the input whose last blocks were dropped gives dummies up to its END, the other keeps its extra as incomplete', () => {
    const assembler = new RoundAssembler([spec(), spec()], 1);
    blocks('a', 1, 3, RST).forEach((b) => assembler.push(0, b.sqn, b.head, b.payload));
    blocks('b', 1, 6, RST).forEach((b) => assembler.push(1, b.sqn, b.head, b.payload));
    assembler.end(0, 5);
    assembler.end(1, 6);
    expect(drain(assembler).map((r) => r.payloads)).toEqual([
      [['a1'], ['b1']],
      [['a2'], ['b2']],
      [['a3'], ['b3']],
      [[ZERO], ['b4']],
      [[ZERO], ['b5']],
    ]);
    expect(assembler.stats(0)).toEqual({ consumed: 3, dummies: 2, stale: 0, incomplete: 0 });
    expect(assembler.stats(1)).toEqual({ consumed: 5, dummies: 0, stale: 0, incomplete: 1 });
  });

  it('stop() counts what waits, and the unfinished round, as incomplete', () => {
    const assembler = new RoundAssembler([spec(2)], 1);
    blocks('', 1, 5, RST).forEach((b) => assembler.push(0, b.sqn, b.head, b.payload));
    expect(drain(assembler)).toHaveLength(2);
    assembler.stop();
    expect(assembler.done).toBe(true);
    expect(assembler.stats(0)).toEqual({ consumed: 5, dummies: 0, stale: 0, incomplete: 1 });
  });

  it('an input ended before its first block ends the assembler at once', () => {
    const assembler = new RoundAssembler([spec(), spec()], 1);
    assembler.push(0, 1, RST, 'a1');
    assembler.end(1);
    expect(assembler.next()).toBeNull();
    expect(assembler.done).toBe(true);
    expect(assembler.stats(0).incomplete).toBe(1);
  });

  it('a job joining a running stream adopts the round of the earliest first block', () => {
    const { rounds } = runAllAtOnce([spec(5)], [blocks('', 13, 20)]);
    expect(sqnsOf(rounds)).toEqual([3, 4]);
    expect(rounds[0]!.payloads[0]).toEqual([ZERO, ZERO, '13', '14', '15']);
    const joined = runAllAtOnce([spec(), spec()], [blocks('a', 101, 104), blocks('b', 103, 104)]).rounds;
    expect(joined.map((r) => [r.sqn, r.payloads])).toEqual([
      [101, [['a101'], [ZERO]]],
      [102, [['a102'], [ZERO]]],
      [103, [['a103'], ['b103']]],
      [104, [['a104'], ['b104']]],
    ]);
  });

  it('refuses misuse', () => {
    expect(() => new RoundAssembler([], 1)).toThrow(RangeError);
    expect(() => new RoundAssembler([spec(0)], 1)).toThrow(RangeError);
    expect(() => new RoundAssembler([spec()], 5)).toThrow(RangeError);
    const assembler = new RoundAssembler([spec()], 1);
    expect(() => assembler.push(1, 1, 0, 'x')).toThrow(RangeError);
    assembler.end(0);
    expect(() => assembler.push(0, 1, 0, 'x')).toThrow();
  });
});

describe('RoundAssembler: the in-order fast path (takeInOrder)', () => {
  /**
   * One input of block_count 1: every block is tried on the fast path first, as the job host does. With
   * `busy`, the job is sometimes busy (an async run, no credit): blocks then queue up and are drained later.
   */
  function runFastPath(stream: Block[], wireHeadSize = 1, headSize = 1, busy?: () => boolean): { assembler: RoundAssembler<string>; rounds: RoundCopy[]; direct: number } {
    const assembler = new RoundAssembler([spec(1, 'prev', wireHeadSize)], headSize);
    const rounds: RoundCopy[] = [];
    let direct = 0;
    for (const b of stream) {
      if (busy?.()) {
        assembler.push(0, b.sqn, b.head, b.payload);
        continue;
      }
      rounds.push(...drain(assembler)); // the job is idle again: the pump runs first
      const head = assembler.takeInOrder(b.sqn, b.head, b.payload);
      if (head >= 0) {
        direct++;
        expect(assembler.heads).toEqual([[head]]);
        rounds.push({ sqn: b.sqn, payloads: [[b.payload]], heads: [[head]], head, corrupted: (head & CORRUPTED) !== 0, reset: false, finished: (head & 0x20) !== 0 });
      } else {
        assembler.push(0, b.sqn, b.head, b.payload);
        rounds.push(...drain(assembler));
      }
    }
    assembler.end(0);
    rounds.push(...drain(assembler));
    return { assembler, rounds, direct };
  }

  /** A stream with seeded gaps, stale repeats, resets (restarting at 1) and corrupted/finished heads. */
  function messyStream(seed: number, length: number): Block[] {
    const random = seededRandom(seed);
    const out: Block[] = [];
    let sqn = 1;
    for (let i = 0; i < length; i++) {
      const r = random();
      let head = i === 0 ? RST : 0;
      if (r < 0.05) sqn += 1 + Math.floor(random() * 3); // a gap
      else if (r < 0.08 && sqn > 2) sqn -= 2; // a stale repeat
      else if (r < 0.1) {
        sqn = 1; // the producer restarted
        head = RST;
      } else if (r < 0.13) head = CORRUPTED;
      else if (r < 0.14) head = 0x20;
      out.push({ sqn, head, payload: `a${i}` });
      sqn++;
    }
    return out;
  }

  it('gives exactly the rounds, heads and counters of push() and next(), whatever the stream', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const stream = messyStream(seed, 300);
      const random = seededRandom(seed + 1000);
      const fast = runFastPath(stream, 1, 1, seed % 2 === 0 ? () => random() < 0.3 : undefined);
      const queued = runAllAtOnce([spec(1, 'prev')], [stream]);
      expect(fast.rounds).toEqual(queued.rounds);
      expect(fast.assembler.stats(0)).toEqual(queued.assembler.stats(0));
      expect(fast.direct).toBeGreaterThan(seed % 2 === 0 ? 50 : 150); // the fast path did carry many blocks
    }
  });

  it('converts wire heads to the job head size on the fast path too', () => {
    const stream = blocks('a', 1, 5, RST << 8).map((b, i) => (i === 2 ? { ...b, head: 0x1234 } : b));
    const fast = runFastPath(stream, 2, 1);
    expect(fast.rounds).toEqual(runAllAtOnce([spec(1, 'prev', 2)], [stream]).rounds);
    expect(fast.rounds[2]!.heads).toEqual([[0x12]]);
  });

  it("keeps an owned copy of a borrowed payload for 'prev' dummies, and copies nothing otherwise", () => {
    const owned: string[] = [];
    const own = (p: string) => (owned.push(p), `${p} (owned)`);
    const prev = new RoundAssembler([{ ...spec(1, 'prev'), own }], 1);
    prev.push(0, 1, RST, 'a1');
    drain(prev);
    expect(prev.takeInOrder(2, 0, 'a2')).toBe(0);
    prev.push(0, 4, 0, 'a4'); // 3 is missing: its dummy repeats a2, which was only borrowed
    expect(drain(prev).map((r) => r.payloads[0]![0])).toEqual(['a2 (owned)', 'a4']);
    expect(owned).toEqual(['a2']);
    const zero = new RoundAssembler([{ ...spec(1, 'zero'), own }], 1);
    zero.push(0, 1, RST, 'a1');
    drain(zero);
    expect(zero.takeInOrder(2, 0, 'a2')).toBe(0);
    expect(owned).toEqual(['a2']); // a 'zero' input never needs its previous payload
  });

  it('takes nothing before the first round fixed the count, after a reset, or while blocks are queued', () => {
    const assembler = new RoundAssembler([spec()], 1);
    expect(assembler.takeInOrder(1, RST, 'a1')).toBe(-1); // not started: the first block fixes the round count
    assembler.push(0, 1, RST, 'a1');
    expect(drain(assembler).map((r) => r.payloads)).toEqual([[['a1']]]);
    expect(assembler.takeInOrder(2, 0, 'a2')).toBe(0);
    expect(assembler.takeInOrder(4, 0, 'a4')).toBe(-1); // a gap
    assembler.push(0, 3, 0, 'a3'); // queued, not yet taken (the job was busy)
    expect(assembler.takeInOrder(3, 0, 'a3 again')).toBe(-1); // a3 waits in the queue: nothing may pass it
    expect(drain(assembler).map((r) => r.payloads)).toEqual([[['a3']]]);
    const two = new RoundAssembler([spec(), spec()], 1);
    two.push(0, 1, 0, 'a1');
    two.push(1, 1, 0, 'b1');
    drain(two);
    expect(two.takeInOrder(2, 0, 'a2')).toBe(-1); // only a single input of block_count 1
  });
});
