import { assertHeadSize, headBit } from './head-bits.js';
import { SyncInputState } from './sync-input-state.js';
import { HeadBit, type InputStats, type Round, type SyncInputSpec } from './types.js';

/** How filling one slot went. */
const FILLED = 0;
const NEED_MORE = 1;
const INPUT_EXHAUSTED = 2;
type SlotOutcome = typeof FILLED | typeof NEED_MORE | typeof INPUT_EXHAUSTED;

/**
 * Groups the blocks of a job's synchronous inputs into rounds (MARVELO's SQN_Checker, defects fixed).
 * Round c of an input with block count n holds exactly SQNs (c-1)n+1 .. cn: an older block is stale
 * and discarded, a missing one becomes a dummy with the corrupted bit while the newer block waits.
 * A reset block (reset bit, unexpected SQN) is held and its input gives dummies until every input
 * has reset; then the round counter restarts at 1 and the held blocks open the next round.
 *
 * Pure and pull-based: push() and end() feed it, next() returns a round when one is complete.
 * A round is filled input by input, slot by slot, and a partial round survives between calls, so
 * the rounds do not depend on how the blocks were chunked.
 */
export class RoundAssembler<P> {
  readonly #inputs: SyncInputState<P>[];
  readonly #round: Round<P>;
  readonly #corruptedBit: number;
  readonly #resetBit: number;
  readonly #finishedBit: number;
  /** A single input of block_count 1 (forwards, sinks): next() has a fast path for it. */
  readonly #single: boolean;
  /** The first blocks of every input have fixed the round counter (at start-up and after a reset). */
  #started = false;
  #done = false;
  #roundNumber = 1;
  #roundHead = 0;
  #cursorInput = 0;
  #cursorSlot = 0;

  /** `inputs`: the synchronous inputs only; `headSize`: the job's head size in bytes. */
  constructor(inputs: SyncInputSpec<P>[], headSize: number) {
    if (inputs.length === 0) throw new RangeError('a round assembler needs at least one synchronous input');
    assertHeadSize(headSize);
    this.#inputs = inputs.map((spec) => new SyncInputState(spec, headSize));
    this.#corruptedBit = headBit(headSize, HeadBit.CORRUPTED);
    this.#resetBit = headBit(headSize, HeadBit.RESET);
    this.#finishedBit = headBit(headSize, HeadBit.FINISHED);
    this.#single = inputs.length === 1 && inputs[0]!.blockCount === 1;
    this.#round = {
      sqn: 0,
      payloads: inputs.map((spec) => new Array<P>(spec.blockCount).fill(spec.zero)),
      heads: inputs.map((spec) => new Array<number>(spec.blockCount).fill(0)),
      head: 0,
      corrupted: false,
      reset: false,
      finished: false,
    };
  }

  /** True once no further round can ever complete. */
  get done(): boolean {
    return this.#done;
  }

  /** A block arrived on `input`, in stream order; `head` is in that input's wire head size. */
  push(input: number, sqn: number, head: number, payload: P): void {
    const state = this.#input(input);
    if (state.ended) throw new Error(`input ${input} was ended; no block may follow`);
    if (this.#done) {
      state.stats.incomplete++;
      return;
    }
    state.enqueue(sqn, head, payload);
  }

  /**
   * No more blocks will arrive on `input`; `lastSqn` is the last SQN its producer made. Blocks after the
   * last one received (dropped at the end of the stream) become dummies up to it, like any other gap.
   */
  end(input: number, lastSqn = 0): void {
    const state = this.#input(input);
    state.ended = true;
    state.lastSqn = lastSqn;
  }

  /** The job stops before its inputs ended (the run was stopped): what waits is counted as incomplete. */
  stop(): void {
    if (!this.#done) this.#finish();
  }

  /** Live counters of `input`. */
  stats(input: number): Readonly<InputStats> {
    return this.#input(input).stats;
  }

  /** Blocks waiting in the queue of `input` (a held reset block included). */
  queued(input: number): number {
    return this.#input(input).queue.length;
  }

  /**
   * The next complete round, or null when more blocks are needed or when the assembler is done.
   * The returned object is reused: it is valid until the next call.
   */
  next(): Round<P> | null {
    if (this.#done) return null;
    if (!this.#started && !this.#start()) return null;
    const inputs = this.#inputs;
    const { payloads, heads } = this.#round;
    if (this.#single) {
      // One input of block_count 1: a round is one slot, no cursors to keep.
      const outcome = this.#fillSlot(inputs[0]!, payloads[0]!, heads[0]!, 0);
      if (outcome === FILLED) return this.#completeRound();
      if (outcome === INPUT_EXHAUSTED) this.#finish();
      return null;
    }
    while (this.#cursorInput < inputs.length) {
      const state = inputs[this.#cursorInput]!;
      const inputPayloads = payloads[this.#cursorInput]!;
      const inputHeads = heads[this.#cursorInput]!;
      while (this.#cursorSlot < state.blockCount) {
        const outcome = this.#fillSlot(state, inputPayloads, inputHeads, this.#cursorSlot);
        if (outcome !== FILLED) {
          if (outcome === INPUT_EXHAUSTED) this.#finish();
          return null;
        }
        this.#cursorSlot++;
      }
      this.#cursorInput++;
      this.#cursorSlot = 0;
    }
    return this.#completeRound();
  }

  /**
   * The in-order fast path of a single input of block_count 1: when `sqn` is exactly the round expected
   * next and nothing is queued before it, the block is that whole round, taken as it arrives without
   * queueing it (next() would take it the same way: an in-order block is taken even with the reset bit). Returns its head (job head size; the round's head and `heads()[0][0]`),
   * or -1 when the block must go through push() and next() instead. The round number is `sqn`.
   */
  takeInOrder(sqn: number, wireHead: number, payload: P): number {
    if (!this.#single || !this.#started || this.#done || sqn !== this.#roundNumber) return -1;
    const state = this.#inputs[0]!;
    if (state.queue.length !== 0 || state.resetHeld || state.ended) return -1;
    const head = state.jobHead(wireHead);
    state.takeDirect(payload);
    this.#round.heads[0]![0] = head;
    this.#roundNumber++;
    return head;
  }

  /** heads[input][slot] of the round returned last (next() or takeInOrder()). */
  get heads(): number[][] {
    return this.#round.heads;
  }

  #fillSlot(state: SyncInputState<P>, payloads: P[], heads: number[], slot: number): SlotOutcome {
    const expected = (this.#roundNumber - 1) * state.blockCount + slot + 1;
    const queue = state.queue;
    if (!state.resetHeld) {
      for (;;) {
        if (queue.length === 0) {
          if (!state.ended) return NEED_MORE;
          if (expected > state.lastSqn) return INPUT_EXHAUSTED;
          break; // dropped at the end of the stream: a gap like any other
        }
        const sqn = queue.firstSqn();
        if (sqn === expected) { // the in-order case: the whole cost of a round slot on the hot path
          const head = queue.firstHead();
          heads[slot] = head;
          this.#roundHead |= head;
          payloads[slot] = state.takeFirst();
          return FILLED;
        }
        // A reset wins over "stale": the restarted stream's SQNs are usually lower than expected.
        if ((queue.firstHead() & this.#resetBit) !== 0 && !state.atStart) {
          state.resetHeld = true;
          break;
        }
        if (sqn > expected) break; // a gap: the newer block waits for its own slot
        state.discardStale();
      }
    }
    heads[slot] = this.#corruptedBit;
    this.#roundHead |= this.#corruptedBit;
    payloads[slot] = state.dummyPayload();
    return FILLED;
  }

  #completeRound(): Round<P> {
    const round = this.#round;
    const head = this.#roundHead >>> 0;
    round.sqn = this.#roundNumber;
    round.head = head;
    round.corrupted = (head & this.#corruptedBit) !== 0;
    round.reset = (head & this.#resetBit) !== 0;
    round.finished = (head & this.#finishedBit) !== 0;
    let everyInputReset = true;
    for (const state of this.#inputs) {
      state.placed = 0;
      state.placedDummies = 0;
      if (!state.resetHeld) everyInputReset = false;
    }
    this.#roundHead = 0;
    this.#cursorInput = 0;
    this.#cursorSlot = 0;
    this.#roundNumber++;
    if (everyInputReset) {
      for (const state of this.#inputs) state.resetHeld = false;
      this.#started = false; // the held blocks restart the count
    }
    return round;
  }

  /**
   * Fixes the round counter from the first queued block of every input: the earliest round any of
   * them belongs to (1 at a normal start or reset; later when a re-spawned job joins a running
   * stream). Blocks of that round missing before an input's first block become dummies.
   */
  #start(): boolean {
    let firstRound = Infinity;
    let waiting = false;
    for (const state of this.#inputs) {
      if (state.queue.length === 0) {
        if (state.ended && state.lastSqn === 0) {
          this.#finish();
          return false;
        }
        if (state.ended) firstRound = Math.min(firstRound, 1); // every block it made was dropped
        else waiting = true;
      } else {
        firstRound = Math.min(firstRound, Math.ceil(state.queue.firstSqn() / state.blockCount));
      }
    }
    if (waiting) return false;
    for (const state of this.#inputs) state.atStart = true;
    this.#roundNumber = Math.max(1, firstRound);
    this.#started = true;
    return true;
  }

  #finish(): void {
    this.#done = true;
    for (const state of this.#inputs) state.abandon();
  }

  #input(input: number): SyncInputState<P> {
    const state = this.#inputs[input];
    if (state === undefined) throw new RangeError(`no synchronous input ${input}`);
    return state;
  }
}
