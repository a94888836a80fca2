import { RoundAssembler } from '../../src/sync/round-assembler.js';
import type { Round, SyncInputSpec } from '../../src/sync/types.js';

export const RST = 0x40;
export const CORRUPTED = 0x80;
export const ZERO = '0';

export interface Block {
  sqn: number;
  head: number;
  payload: string;
}

/** A copy of a round (the assembler reuses its Round object). */
export interface RoundCopy {
  sqn: number;
  payloads: string[][];
  heads: number[][];
  head: number;
  corrupted: boolean;
  reset: boolean;
  finished: boolean;
}

export function spec(blockCount = 1, dummy: 'zero' | 'prev' = 'zero', wireHeadSize = 1): SyncInputSpec<string> {
  return { blockCount, dummy, zero: ZERO, wireHeadSize };
}

/** Blocks `from..to` of input `name`, payload `${name}${sqn}${tag}`; the first may carry a head. */
export function blocks(name: string, from: number, to: number, firstHead = 0, tag = ''): Block[] {
  const out: Block[] = [];
  for (let sqn = from; sqn <= to; sqn++) {
    out.push({ sqn, head: sqn === from ? firstHead : 0, payload: `${name}${sqn}${tag}` });
  }
  return out;
}

export function copyRound(round: Round<string>): RoundCopy {
  return {
    sqn: round.sqn,
    payloads: round.payloads.map((p) => [...p]),
    heads: round.heads.map((h) => [...h]),
    head: round.head,
    corrupted: round.corrupted,
    reset: round.reset,
    finished: round.finished,
  };
}

export function drain(assembler: RoundAssembler<string>): RoundCopy[] {
  const rounds: RoundCopy[] = [];
  for (let round = assembler.next(); round !== null; round = assembler.next()) rounds.push(copyRound(round));
  return rounds;
}

/** Pushes every stream at once, ends them, and collects every round. */
export function runAllAtOnce(specs: SyncInputSpec<string>[], streams: Block[][], headSize = 1): {
  assembler: RoundAssembler<string>;
  rounds: RoundCopy[];
} {
  const assembler = new RoundAssembler(specs, headSize);
  streams.forEach((stream, input) => {
    for (const b of stream) assembler.push(input, b.sqn, b.head, b.payload);
    assembler.end(input);
  });
  return { assembler, rounds: drain(assembler) };
}

/** Pushes one block at a time, inputs interleaved at random, calling next() after every push. */
export function runInterleaved(
  specs: SyncInputSpec<string>[],
  streams: Block[][],
  random: () => number,
  headSize = 1,
): RoundCopy[] {
  const assembler = new RoundAssembler(specs, headSize);
  const positions = streams.map(() => 0);
  const rounds: RoundCopy[] = [];
  let open = streams.map((_, i) => i);
  while (open.length > 0) {
    const input = open[Math.floor(random() * open.length)]!;
    const stream = streams[input]!;
    const at = positions[input]!;
    if (at === stream.length) {
      assembler.end(input);
      open = open.filter((i) => i !== input);
    } else {
      const b = stream[at]!;
      assembler.push(input, b.sqn, b.head, b.payload);
      positions[input] = at + 1;
    }
    rounds.push(...drain(assembler));
  }
  return rounds;
}

/** Which SQN ranges a round of each input covers, as the payloads name them. */
export function sqnsOf(rounds: RoundCopy[]): number[] {
  return rounds.map((r) => r.sqn);
}
