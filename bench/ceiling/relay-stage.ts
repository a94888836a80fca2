import type { StageOptions } from './stage-options.js';
import type { StageInput, StageOutput } from './stage-io.js';
import { ValueQueue } from './value-queue.js';

/** An input queue above this many values pauses its socket; below RESUME_AT it reads again. */
const PAUSE_AT = 8192;
const RESUME_AT = 2048;

export interface Relay {
  /** Handlers to give each input (by index). */
  onValue(input: number, value: unknown): void;
  onEnd(input: number): void;
  /** Resolves after the END frame went out. */
  readonly finished: Promise<void>;
}

/**
 * forward (1 input: value -> output), join (n inputs: the product of one value from each, like
 * jobs/product.ts) and reduce (1 input: the sum of each group of `group` values, like jobs/sum.ts
 * with block_count). Reading pauses while the output socket is congested.
 */
export function createRelay(o: StageOptions, out: StageOutput, inputs: () => StageInput[]): Relay {
  const n = o.inputs.length;
  const queues = Array.from({ length: n }, () => new ValueQueue<unknown>());
  const ended = new Array<boolean>(n).fill(false);
  const queueFull = new Array<boolean>(n).fill(false);
  let sqn = 0;
  let waiting = false;
  /** An input reads unless the output is congested or its own queue is full. */
  const updateReading = (i: number) => {
    const input = inputs()[i]!;
    if (waiting || queueFull[i]) input.pause();
    else input.resume();
  };
  let group: number[] = [];
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const send = (value: unknown) => {
    out.send(++sqn, value);
    if (out.congested && !waiting) {
      waiting = true;
      for (let i = 0; i < n; i++) updateReading(i);
      void out.drained().then(() => {
        waiting = false;
        for (let i = 0; i < n; i++) updateReading(i);
      });
    }
  };

  const joinReady = () => {
    while (queues.every((q) => q.length > 0)) {
      let product = 1;
      for (let i = 0; i < n; i++) {
        const q = queues[i]!;
        product *= q.shift() as number;
        if (queueFull[i] && q.length <= RESUME_AT) {
          queueFull[i] = false;
          updateReading(i);
        }
      }
      send(product);
    }
  };

  const onValue =
    o.kind === 'forward'
      ? (_i: number, value: unknown) => send(value)
      : o.kind === 'reduce'
        ? (_i: number, value: unknown) => {
            group.push(value as number);
            if (group.length === o.group) {
              let sum = 0;
              for (const v of group) sum += v;
              group = [];
              send(sum);
            }
          }
        : (i: number, value: unknown) => {
            const q = queues[i]!;
            q.push(value);
            if (!queueFull[i] && q.length >= PAUSE_AT) {
              queueFull[i] = true;
              updateReading(i);
            }
            joinReady();
          };

  return {
    onValue,
    onEnd(i) {
      ended[i] = true;
      if (ended.every(Boolean)) void out.end(sqn).then(finish);
    },
    finished,
  };
}
