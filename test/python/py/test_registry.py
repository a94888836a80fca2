"""The compatibility package: the original's imports, and its registries filled by constructing objects."""
import unittest

from fission.core import base
from fission.core.base import GROUPS, JOBS, NODES, PIPES, BaseGroup
from fission.core.jobs import CSVSinkJob, ExecutableJob, LocalJob, MARVELOJob, PythonJob  # noqa: F401
from fission.core.nodes import BaseNode, LocalNode, MultiNode
from fission.core.pipes import (BasePipe, BytesPipe, JSONPipe, OptionalBytesPipe, OptionalJSONPipe,  # noqa: F401
                                OptionalMixIn, OptionalPicklePipe, PicklePipe)


class Source(PythonJob):
    def __init__(self, start=1, step=1, inputs=None, outputs=None):
        super().__init__(inputs=inputs, outputs=outputs)
        self.start, self.step = start, step

    def run(self):
        yield self.start


class ReducePipe(PicklePipe):
    BLOCK_COUNT = 5


class Registries(unittest.TestCase):
    def setUp(self):
        base.reset()

    def test_jobs_get_ids_in_creation_order_and_record_their_arguments(self):
        a = Source(outputs=[PicklePipe(101)])
        b = Source(20, step=2, outputs=[PicklePipe(102)])
        sink = CSVSinkJob("join.csv", inputs=[PicklePipe(101), PicklePipe(102)])
        self.assertEqual(list(JOBS.items()), [(1, a), (2, b), (3, sink)])
        self.assertEqual((a._marvelo_args, a._marvelo_kwargs), ((), {}))
        self.assertEqual((b._marvelo_args, b._marvelo_kwargs), ((20,), {"step": 2}))
        self.assertEqual((sink._marvelo_args, sink._marvelo_kwargs), (("join.csv",), {}))
        self.assertEqual([p.id for p in sink.inputs], [101, 102])
        self.assertIs(sink.inputs[0], a.outputs[0])
        self.assertIs(PIPES[101].source, a)
        self.assertIs(PIPES[101].destination, sink)
        self.assertEqual(sink.GROUPS, "LOCAL")

    def test_pipes_keep_their_class_and_settings(self):
        ReducePipe(105)
        BytesPipe(7, 4, 2)
        OptionalJSONPipe(8)
        self.assertEqual(list(PIPES), [105, 7, 8])
        self.assertEqual((PIPES[105].BLOCK_COUNT, PIPES[105].BLOCK_SIZE, PIPES[105].ASYNC), (5, "PKL", False))
        self.assertEqual((PIPES[7].BLOCK_SIZE, PIPES[7].BLOCK_COUNT), (4, 2))
        self.assertEqual((PIPES[8].ASYNC, PIPES[8].MARVELO_CODEC), (True, "json"))
        self.assertIsInstance(PIPES[8], OptionalMixIn)
        with self.assertRaises(RuntimeError):
            PicklePipe(105)  # the same id with another class

    def test_nodes_and_groups(self):
        BaseNode("192.168.4.2")
        LocalNode("127.0.0.1", "client")
        MultiNode("192.168.4.9")  # did nothing in the original, and is not recorded there either
        self.assertEqual(list(NODES), ["192.168.4.2", "127.0.0.1"])
        self.assertEqual((NODES["127.0.0.1"].host, NODES["127.0.0.1"].name, NODES["127.0.0.1"].GROUPS), ("127.0.0.1", "client", "LOCAL"))
        self.assertEqual(NODES["192.168.4.2"].name, "192.168.4.2")
        group = BaseGroup("fast")
        group.add_node(NODES["192.168.4.2"])
        self.assertEqual(list(GROUPS), ["fast"])
        self.assertEqual(NODES["192.168.4.2"].GROUPS, [group])

    def test_head_must_be_a_bool(self):
        with self.assertRaises(RuntimeError):
            type("Bad", (PythonJob,), {"HEAD": 1})


if __name__ == "__main__":
    unittest.main()
