/**
 * The sync layer's contract. Heads travel as unsigned numbers (bits numbered from the MSB of the
 * head's size); the Head class wraps one only when a job asks for it.
 */

/** Head bit indices (from the most significant bit). */
export const HeadBit = { CORRUPTED: 0, RESET: 1, FINISHED: 2 } as const;

export interface SyncInputSpec<P> {
  /** Blocks per round (>= 1). */
  blockCount: number;
  /** What a gap becomes: zero payload or the previous payload of this input. */
  dummy: 'zero' | 'prev';
  /** The zero payload (also used for 'prev' before any block arrived). */
  zero: P;
  /** Head size on the wire for this input; heads are converted to the job's head size. */
  wireHeadSize: number;
  /**
   * Payloads taken by takeInOrder() may be borrowed (valid only during their round): this makes one safe
   * to keep for a later 'prev' dummy. Absent: payloads are kept as they are.
   */
  own?: (payload: P) => P;
}

/** One round handed to the job. Owned by the assembler: valid until the next call to next(). */
export interface Round<P> {
  /** Round number: the output SQN of a connector (1-based; restarts at 1 after a reset). */
  sqn: number;
  /** payloads[input][slot], slot < blockCount of that input. */
  payloads: P[][];
  /** heads[input][slot], in the job's head size; a dummy has the corrupted bit. */
  heads: number[][];
  /** OR of every head of the round (job head size). */
  head: number;
  corrupted: boolean;
  reset: boolean;
  finished: boolean;
}

export interface InputStats {
  /** Blocks taken off the queue (delivered, or discarded as stale). */
  consumed: number;
  /** Dummy blocks made for gaps. */
  dummies: number;
  /** Blocks discarded because their SQN was older than expected. */
  stale: number;
  /** Blocks left at the end that did not make a complete round. */
  incomplete: number;
}
