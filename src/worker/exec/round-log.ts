/** Most rounds remembered for outputs that lag behind the inputs (a program that writes fewer units). */
const MAX_ROUNDS = 1 << 16;

/**
 * The SQN and OR-head of each round written to an executable, so that the k-th unit it writes on an
 * output gets round k's SQN and head bits (MARVELO pairs them the same way: in order). Rounds every
 * output has passed are forgotten; past MAX_ROUNDS the oldest are dropped.
 */
export class RoundLog {
  private sqns = new Float64Array(64);
  private heads = new Uint32Array(64);
  /** Index (1-based) of the oldest round kept, and of the next round to record. */
  private first = 1;
  private next = 1;

  record(sqn: number, head: number): void {
    if (this.next - this.first === this.sqns.length) {
      if (this.sqns.length < MAX_ROUNDS) this.grow();
      else this.first++;
    }
    const at = this.next & (this.sqns.length - 1);
    this.sqns[at] = sqn;
    this.heads[at] = head;
    this.next++;
  }

  /** Round `k` (1-based, in the order recorded) is known. */
  has(k: number): boolean {
    return k >= this.first && k < this.next;
  }

  sqn(k: number): number {
    return this.sqns[k & (this.sqns.length - 1)]!;
  }

  head(k: number): number {
    return this.heads[k & (this.heads.length - 1)]!;
  }

  /** Every output has written its unit for round `k`: rounds up to k are no longer needed. */
  release(k: number): void {
    this.first = Math.max(this.first, Math.min(k + 1, this.next));
  }

  private grow(): void {
    const size = this.sqns.length * 2;
    const sqns = new Float64Array(size);
    const heads = new Uint32Array(size);
    for (let k = this.first; k < this.next; k++) {
      sqns[k & (size - 1)] = this.sqn(k);
      heads[k & (size - 1)] = this.head(k);
    }
    this.sqns = sqns;
    this.heads = heads;
  }
}
