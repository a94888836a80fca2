import { ScriptJob } from 'marvelo';

export interface CountParams {
  from: number;
  to: number;
}

/** A source: from, from + 1, ..., to. Returning ends the stream (and, in turn, the network). */
export default class Count extends ScriptJob<CountParams> {
  *run() {
    for (let v = this.params.from; v <= this.params.to; v++) yield v;
  }
}
