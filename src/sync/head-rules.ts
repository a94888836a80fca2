import { headBit } from './head-bits.js';
import { HeadBit } from './types.js';

/** Masks of the three reserved head bits for one head size. */
export interface ReservedBits {
  corrupted: number;
  reset: number;
  finished: number;
}

export function reservedBits(headSize: number): ReservedBits {
  return {
    corrupted: headBit(headSize, HeadBit.CORRUPTED),
    reset: headBit(headSize, HeadBit.RESET),
    finished: headBit(headSize, HeadBit.FINISHED),
  };
}

/**
 * MARVELO's rule for the head a connector writes: the job's (or program's) head, except that it cannot
 * clear corrupted or finished when its round had them, and the reset bit is always the round's (a job
 * may neither set nor clear it). User bits and an added finished bit pass.
 */
export function connectorHead(jobHead: number, roundHead: number, bits: ReservedBits): number {
  return ((jobHead & ~bits.reset) | (roundHead & (bits.reset | bits.corrupted | bits.finished))) >>> 0;
}
