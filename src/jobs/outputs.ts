/** Values for several outputs: `out(x, y)` sends x to output 0 and y to output 1. A plain array is one value. */
export class Outputs {
  readonly values: unknown[];
  constructor(values: unknown[]) {
    this.values = values;
  }
}

export function out(...values: unknown[]): Outputs {
  return new Outputs(values);
}
