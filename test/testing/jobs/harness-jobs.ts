import { ScriptJob, out } from 'marvelo';

/** Two inputs, two outputs: their sum and difference; prints each round. */
export class SumDiff extends ScriptJob {
  run(a: number, b: number) {
    console.log(`${this.inputNames.join('+')} round ${this.sqn}: ${a} ${b}`);
    return out(a + b, a - b);
  }
}

/** Reports what it sees of each round: the value, the round's head and SQN; marks odd values with user bit 3. */
export class Inspect extends ScriptJob {
  run(x: number) {
    const seen = { x, head: this.head.value, sqn: this.sqn };
    if (x % 2 === 1) this.head.set(3, 1);
    return seen;
  }
}

/** With block_count n: the values of each round, and their heads. */
export class Window extends ScriptJob {
  run(values: number[]) {
    const heads = this.inHeads[0] as { value: number }[];
    return { values, heads: heads.map((h) => h.value) };
  }
}

/** A sync value and an optional threshold: whether the value is above it. */
export class Above extends ScriptJob {
  run(x: number, threshold: number) {
    return x > threshold;
  }
}

/** Only an optional input: one round per value that arrives. */
export class Doubler extends ScriptJob {
  run(x: number) {
    return 2 * x;
  }
}

export class BadValue extends Error {
  readonly code = 'E_BAD_VALUE';
  constructor(message: string) {
    super(message);
    this.name = 'BadValue';
  }
}

/** Passes values on; refuses a negative one. */
export class Positive extends ScriptJob {
  run(x: number) {
    if (x < 0) throw new BadValue(`negative value ${x}`);
    console.log(`ok ${x}`);
    return x;
  }
}

/** A source: 1..limit, printing as it goes. */
export class Count extends ScriptJob<{ limit: number }> {
  *run() {
    for (let i = 1; i <= this.params.limit; i++) {
      console.log(`tick ${i}`);
      yield i;
    }
  }
}

/** A sink: prints each value, and on stderr the round. */
export class Log extends ScriptJob {
  run(x: unknown) {
    console.log(JSON.stringify(x));
    console.error(`round ${this.sqn}`);
  }
}

/** Returns a Float32Array of the value's square roots: typed values go through. */
export class Roots extends ScriptJob {
  run(xs: Float32Array) {
    return Float32Array.from(xs, Math.sqrt);
  }
}

/** Never finishes its first round. */
export class Stuck extends ScriptJob {
  run(_x: unknown) {
    return new Promise(() => {});
  }
}
