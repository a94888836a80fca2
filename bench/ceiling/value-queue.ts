/** A FIFO of values without Array#shift's copying: an array and a read index, compacted now and then. */
export class ValueQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(value: T): void {
    this.items.push(value);
  }

  /** The oldest value; call only when length > 0. */
  shift(): T {
    const v = this.items[this.head++]!;
    if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
}
