"""The loop rules of the original's PythonJob.wrapper, on real pipes (os.pipe), through the runtime."""
import os
import unittest

from fission.core import base
from fission.core.jobs import Head, PythonJob
from marvelo_python import msgpack
from marvelo_python.main import construct
from marvelo_python.rounds import JobRuleError, RoundRunner
from marvelo_python.streams import InputStream, OutputStream, StreamError

HEAD_SIZE = 1


def port(name, codec="msgpack", block_count=1, optional=False, block_size=None):
    p = {"name": name, "codec": codec, "block_count": block_count, "optional": optional}
    if block_size is not None:
        p["block_size"] = block_size
    return p


def run_job(cls, inputs=(), outputs=(), params=None, head=None):
    """inputs: [(port, [(head, value), ...])]; returns (job, [[(head, value), ...] per output])."""
    base.reset()
    spec = {"params": params or {}, "inputs": [p for p, _ in inputs], "outputs": list(outputs)}
    job, in_pipes, out_pipes = construct(cls, spec)
    use_head = cls.HEAD if head is None else head
    job.HEAD = use_head
    in_streams, out_streams, readers = [], [], []
    for (p, units), pipe in zip(inputs, in_pipes):
        r, w = os.pipe()
        writer = OutputStream(w, p["name"], p["codec"], HEAD_SIZE, p.get("block_size"))
        for h, v in units:
            writer.write_unit(h, v)
        writer.close()
        in_streams.append((InputStream(r, p["name"], p["codec"], HEAD_SIZE, p.get("block_size")), pipe, pipe.BLOCK_COUNT))
    for p, pipe in zip(outputs, out_pipes):
        r, w = os.pipe()
        out_streams.append((OutputStream(w, p["name"], p["codec"], HEAD_SIZE, p.get("block_size")), pipe))
        readers.append(InputStream(r, p["name"], p["codec"], HEAD_SIZE, p.get("block_size")))
    job.setup()
    try:
        RoundRunner(job, in_streams, out_streams, HEAD_SIZE, use_head).run()
    except Exception:
        for reader in readers:
            reader.file.close()
        raise
    finally:
        for s, _ in out_streams:
            s.close()
        for s, _, _ in in_streams:
            s.file.close()
    results = []
    for reader in readers:
        units = []
        while True:
            unit = reader.read_unit()
            if unit is None:
                break
            units.append(unit)
        reader.file.close()
        results.append(units)
    return job, results


def values(units):
    return [v for _, v in units]


class Double(PythonJob):
    def run(self, x):
        return x * 2


class Split(PythonJob):
    def run(self, x):
        return (x, -x)


class OneTuple(PythonJob):
    def run(self, x):
        return ((x, x),)


class Bad(PythonJob):
    def run(self, x):
        return (1, 2, 3)


class StopAt(PythonJob):
    def run(self, x):
        return None if x >= 3 else x


class Collect(PythonJob):
    def setup(self, *args, **kwargs):
        self.seen = []

    def run(self, *xs):
        self.seen.append(xs)


class Gen(PythonJob):
    def __init__(self, n=3, outputs=None):
        super().__init__(outputs=outputs)
        self.n = n

    def run(self):
        for i in range(self.n):
            yield i


class Groups(PythonJob):
    HEAD = True

    def run(self, block):
        self.heads_seen = getattr(self, "heads_seen", []) + [[h.head for h in self.in_heads[0]]]
        return sum(block)


class HeadReduce(PythonJob):
    HEAD = True

    def run(self, a, b):
        return a + b


class CustomReduce(PythonJob):
    HEAD = True

    def head_reduce(self):
        return Head(0x01, 1)

    def run(self, a):
        return a


class NoHead(PythonJob):
    def run(self, a, b):
        self.saw = (self.in_heads, self.head)
        return a


class SinkFinish(PythonJob):
    def setup(self, *args, **kwargs):
        self.seen = []

    def run(self, x):
        self.seen.append(x)
        if x == 2:
            self.finish()


class Rules(unittest.TestCase):
    def test_a_value_goes_to_every_output_and_a_tuple_one_per_output(self):
        _, (out,) = run_job(Double, [(port("a"), [(0, 1), (0, 2)])], [port("o")])
        self.assertEqual(values(out), [2, 4])
        _, (pos, neg) = run_job(Split, [(port("a"), [(0, 5)])], [port("p"), port("n")])
        self.assertEqual((values(pos), values(neg)), ([5], [-5]))
        _, (both_a, both_b) = run_job(Double, [(port("a"), [(0, 3)])], [port("x"), port("y")])
        self.assertEqual((values(both_a), values(both_b)), ([6], [6]))

    def test_a_single_tuple_value_needs_a_one_tuple_and_arrives_as_a_list(self):
        _, (out,) = run_job(OneTuple, [(port("a"), [(0, 7)])], [port("o")])
        self.assertEqual(values(out), [[7, 7]])

    def test_a_tuple_of_the_wrong_length_is_an_error(self):
        with self.assertRaises(JobRuleError) as caught:
            run_job(Bad, [(port("a"), [(0, 1)])], [port("o")])
        self.assertIn("tuple of 3 values for 1 output(s)", str(caught.exception))

    def test_none_ends_a_job_with_outputs(self):
        _, (out,) = run_job(StopAt, [(port("a"), [(0, 1), (0, 2), (0, 3), (0, 4)])], [port("o")])
        self.assertEqual(values(out), [1, 2])

    def test_a_sink_goes_on_after_none_and_gets_the_last_block(self):
        job, _ = run_job(Collect, [(port("a"), [(0, 1), (0, 2), (0, 3)]), (port("b", "json"), [(0, "x"), (0, "y"), (0, "z")])])
        self.assertEqual(job.seen, [(1, "x"), (2, "y"), (3, "z")])

    def test_a_sink_that_calls_finish_ends(self):
        job, _ = run_job(SinkFinish, [(port("a"), [(0, 1), (0, 2), (0, 3)])])
        self.assertEqual(job.seen, [1, 2])

    def test_a_generator_source_ends_with_its_generator(self):
        _, (out,) = run_job(Gen, [], [port("o")], params={"n": 3})
        self.assertEqual(values(out), [0, 1, 2])
        self.assertEqual([h for h, _ in out], [0, 0, 0])

    def test_block_count_gives_lists_and_lists_of_heads(self):
        units = [(0x10 if i == 0 else 0, i) for i in range(6)]
        job, (out,) = run_job(Groups, [(port("a", block_count=3), units)], [port("o")])
        self.assertEqual(values(out), [0 + 1 + 2, 3 + 4 + 5])
        self.assertEqual(job.heads_seen, [[0x10, 0, 0], [0, 0, 0]])
        self.assertEqual([h for h, _ in out], [0x10, 0])  # head = head_reduce(): OR over the lists

    def test_block_count_without_a_full_round_ends(self):
        _, (out,) = run_job(Groups, [(port("a", block_count=3), [(0, 1), (0, 2), (0, 3), (0, 4)])], [port("o")])
        self.assertEqual(values(out), [6])

    def test_head_reduce_ors_the_inputs_and_can_be_overridden(self):
        _, (out,) = run_job(HeadReduce, [(port("a"), [(0x10, 1)]), (port("b"), [(0x08, 2)])], [port("o")])
        self.assertEqual(out, [(0x18, 3)])
        _, (out,) = run_job(CustomReduce, [(port("a"), [(0x10, 1)])], [port("o")])
        self.assertEqual(out, [(0x01, 1)])

    def test_without_head_the_job_sees_none_and_the_output_takes_the_rounds_head(self):
        job, (out,) = run_job(NoHead, [(port("a"), [(0x10, 1)]), (port("b"), [(0x28, 2)])], [port("o")])
        self.assertEqual(job.saw, ([None, None], None))
        self.assertEqual(out, [(0x38, 1)])

    def test_bytes_and_json_streams(self):
        _, (out,) = run_job(Double, [(port("a", "bytes", block_size=2), [(0, b"ab")])], [port("o", "bytes", block_size=4)])
        self.assertEqual(values(out), [b"abab"])
        with self.assertRaises(StreamError):
            run_job(Double, [(port("a", "bytes", block_size=2), [(0, b"ab")])], [port("o", "bytes", block_size=3)])
        _, (out,) = run_job(Double, [(port("a", "json"), [(0, [1, "é"])])], [port("o", "json")])
        self.assertEqual(values(out), [[1, "é", 1, "é"]])

    def test_the_original_pipe_classes_reach_the_job(self):
        base.reset()
        spec = {"inputs": [port("101", block_count=5), port("op", optional=True), port("b", "bytes", block_size=4)], "outputs": [port("j", "json")]}
        job, _, _ = construct(Double, spec)
        kinds = [type(p).__name__ for p in job.inputs + job.outputs]
        self.assertEqual(kinds, ["PicklePipe", "OptionalPicklePipe", "BytesPipe", "JSONPipe"])
        self.assertEqual([p.id for p in job.inputs], [101, "op", "b"])
        self.assertEqual((job.inputs[0].BLOCK_COUNT, job.inputs[1].ASYNC, job.inputs[2].BLOCK_SIZE), (5, True, 4))

    def test_values_never_travel_as_pickle(self):
        r, w = os.pipe()
        with self.assertRaises(StreamError) as caught:
            OutputStream(w, "o", "msgpack", 1).write_unit(0, object())
        os.close(r)
        os.close(w)
        self.assertIn("never pickle", str(caught.exception))
        with self.assertRaises(msgpack.MsgpackError):
            msgpack.pack({1, 2})


if __name__ == "__main__":
    unittest.main()
