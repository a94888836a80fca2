/** The indices a Python slice `[start:stop:step]` selects from a sequence of `length` items. */
export function sliceIndices(length: number, start?: number, stop?: number, step = 1): number[] {
  if (!Number.isInteger(step) || step === 0) throw new RangeError('slice step must be a non-zero integer');
  const backwards = step < 0;
  const from = clampSliceBound(start, length, backwards, backwards ? length - 1 : 0);
  const to = clampSliceBound(stop, length, backwards, backwards ? -1 : length);
  const picked: number[] = [];
  if (backwards) for (let i = from; i > to; i += step) picked.push(i);
  else for (let i = from; i < to; i += step) picked.push(i);
  return picked;
}

/** Python's rule: negative bounds count from the end, then clamp to the sequence. */
function clampSliceBound(bound: number | undefined, length: number, backwards: boolean, omitted: number): number {
  if (bound === undefined) return omitted;
  if (!Number.isInteger(bound)) throw new RangeError('slice bounds must be integers');
  if (bound < 0) {
    const fromEnd = bound + length;
    return fromEnd < 0 ? (backwards ? -1 : 0) : fromEnd;
  }
  return bound >= length ? (backwards ? length - 1 : length) : bound;
}
