import { ScriptJob } from 'marvelo';

export interface RampParams {
  /** How many frames. */
  frames: number;
  /** Samples per frame (the float32 pipe's length). */
  length: number;
}

/** A source of float32 frames counting up: [1, 2, ..., length], [length + 1, ...], ... */
export class Ramp extends ScriptJob<RampParams> {
  *run() {
    const { frames, length } = this.params;
    for (let f = 0; f < frames; f++) {
      const frame = new Float32Array(length);
      for (let k = 0; k < length; k++) frame[k] = f * length + k + 1;
      yield frame;
    }
  }
}

/** One JSON object per float32 frame: its number, smallest, largest and mean sample. */
export class FrameStats extends ScriptJob {
  private frame = 0;
  run(samples: Float32Array) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const x of samples) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    return { frame: ++this.frame, min, max, mean: sum / samples.length };
  }
}
