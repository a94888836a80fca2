"""The original's PythonJob loop (its `wrapper`), with its rules, on marvelo's executable streams.

Per round: each input gives BLOCK_COUNT blocks (a list when BLOCK_COUNT > 1; one for an optional
input), then `run(*values)` (or the generator's next value). `None` ends a job that has outputs; a sink
goes on. A tuple has one value per output (exactly); anything else goes to every output. With HEAD the
job sees `in_heads` and `head` (= head_reduce()) and its heads go out (out_heads[i], else head, else 0);
without HEAD each output takes the round's head (the OR of its input heads). `finish()` ends the job
after the blocks it writes next.

Fixed where the original had defects: the job ends when its inputs end (the original spun on EOF), a
sink gets its last block, a sink that calls finish() ends, and heads are written masked to head_size.
"""
import inspect
from functools import reduce

from fission.core.jobs import Head


class JobRuleError(Exception):
    """The job broke a rule of the PythonJob API (e.g. a tuple of the wrong length)."""


def _or(values):
    return reduce(lambda a, b: a | b, values, 0)


class RoundRunner:
    def __init__(self, job, inputs, outputs, head_size, head):
        """inputs: [(InputStream, pipe, block_count)], outputs: [(OutputStream, pipe)]."""
        self.job = job
        self.inputs = inputs
        self.outputs = outputs
        self.head_size = head_size
        self.head = head

    def read_round(self):
        """(values, in_heads, round head) of the next round, or None when the inputs ended."""
        values, in_heads, round_head = [], [], 0
        for stream, pipe, count in self.inputs:
            units = []
            for _ in range(count):
                unit = stream.read_unit()
                if unit is None:
                    return None
                units.append(unit)
            round_head |= _or(h for h, _ in units)
            if count > 1:
                values.append([pipe.unpack(v) for _, v in units])
                in_heads.append([Head(h, self.head_size) for h, _ in units])
            else:
                values.append(pipe.unpack(units[0][1]))
                in_heads.append(Head(units[0][0], self.head_size))
        return values, in_heads, round_head

    def run(self):
        job = self.job
        generator = job.run() if inspect.isgeneratorfunction(job.run) else None
        while True:
            round_ = self.read_round()
            if round_ is None:
                return
            values, in_heads, round_head = round_
            if self.head:
                job.in_heads = in_heads
                if job.inputs:
                    job.head = job.head_reduce()
            if generator is not None:
                try:
                    result = next(generator)
                except StopIteration:
                    return
            else:
                result = job.run(*values)
            if result is None:
                if self.outputs or job.finished:
                    return
                continue
            self.write(result, round_head)
            if job.finished:
                return

    def write(self, result, round_head):
        outputs = self.outputs
        if not isinstance(result, tuple):
            result = [result] * len(outputs)
        if len(result) != len(outputs):
            raise JobRuleError(
                f"run() of {type(self.job).__name__} returned a tuple of {len(result)} values for {len(outputs)} output(s); "
                "return one value per output, or a single tuple value as (value,)"
            )
        for i, ((stream, pipe), value) in enumerate(zip(outputs, result)):
            stream.write_unit(self.out_head(i, round_head), pipe.pack(value))

    def out_head(self, i, round_head):
        if not self.head:
            return round_head
        job = self.job
        if job.out_heads[i] is not None:
            head = job.out_heads[i]
            job.out_heads[i] = None
            return int(head)
        if job.head:
            return int(job.head)
        return 0
