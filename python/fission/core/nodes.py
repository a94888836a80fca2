"""The original's node classes (no cluster behind them: they only record what a network file says)."""
from fission.core.base import BaseNode

__all__ = ["BaseNode", "LocalNode", "MultiNode", "NodeInfo"]


class MultiNode:
    """A placeholder in the original that did nothing; it is not recorded in NODES there either."""

    GROUPS = "ALL"

    def __init__(self, host, port=None, cpus=0, depends=(), setup_args=()):
        self.host = host
        self.ip = host
        self.name = host
        self.GROUPS = self.GROUPS
        self.max_jobs = 0


class LocalNode(BaseNode):
    """The client machine; LocalJobs run here."""

    GROUPS = "LOCAL"

    def __init__(self, host, name):
        super().__init__(host, name=name)
        self.active = True
        self.max_jobs = 1000


class NodeInfo:
    def __init__(self, node, cpu, memory, disk, swap, TQ):
        self.node = node
        self.cpu = cpu
        self.memory = memory
        self.disk = disk
        self.swap = swap
        self.TQ = TQ
