"""Base classes and the registries of the original (`JOBS`, `PIPES`, `NODES`, `GROUPS`).

Constructing a job, pipe, node or group records it here in creation order, as in the original, so a
network file (config.py) can be read by importing it. Jobs also record the arguments their constructor
was called with (`_marvelo_args`, `_marvelo_kwargs`, without `inputs` and `outputs`).
"""
import inspect
import logging
from itertools import count

logger = logging.getLogger(__name__)

GROUPS = {}
NODES = {}
PIPES = {}
JOBS = {}
_ID = count(1)


def reset():
    """Empties the registries (in place, so modules that imported them see it) and restarts job ids at 1."""
    global _ID
    GROUPS.clear()
    NODES.clear()
    PIPES.clear()
    JOBS.clear()
    _ID = count(1)


class MetaJob(type):
    """Checks the class attributes of every job class, as the original does."""

    def __new__(mcs, name, bases, dct):
        new_cls = super().__new__(mcs, name, bases, dct)
        if not isinstance(new_cls.HEAD, bool):
            raise RuntimeError(f"{name}: HEAD must be bool.")
        if (new_cls.STOPPED, new_cls.RUNNING, new_cls.RESTARTING, new_cls.FINISHED) != (0, 1, 2, 3):
            raise RuntimeError("Do not change existing Job states!")
        return new_cls


def _split_constructor_args(cls, args, kwargs):
    """The constructor's arguments without `inputs` and `outputs` (however they were passed)."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return tuple(args), {k: v for k, v in kwargs.items() if k not in ("inputs", "outputs")}
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    kept_args = []
    for param, value in zip(params, args):
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            if param.name not in ("inputs", "outputs"):
                kept_args.append(value)
    var_positional = bound.arguments.get(next((p.name for p in params if p.kind == p.VAR_POSITIONAL), ""), ())
    kept_args.extend(var_positional)
    kept_kwargs = {k: v for k, v in kwargs.items() if k not in ("inputs", "outputs")}
    return tuple(kept_args), kept_kwargs


class BaseJob(metaclass=MetaJob):
    """A vertex of the network. Subclasses override `run`."""

    STOPPED = 0
    RUNNING = 1
    RESTARTING = 2
    FINISHED = 3

    DEFAULT_NODE = None
    GROUPS = "ALL"
    HEAD = False
    MAX_QUEUE = 0
    CREATES_SUBPROCESS = False

    def __new__(cls, *args, id=None, **kwargs):
        if id:
            if id in JOBS:
                return JOBS[id]
            raise RuntimeError(f"Job with given id ({id}) does not exist.")
        job = super().__new__(cls)
        job.id = next(_ID)
        job.status = cls.STOPPED
        job.allocated = None
        job.inputs = []
        job.outputs = []
        job._marvelo_args, job._marvelo_kwargs = _split_constructor_args(cls, args, kwargs)
        JOBS[job.id] = job
        return job

    def __init__(self, inputs=None, outputs=None, *args, **kwargs):
        for pipe in inputs or []:
            pipe.destination = self
        for pipe in outputs or []:
            pipe.source = self
        if not self.inputs and inputs:
            self.inputs = list(inputs)
        if not self.outputs and outputs:
            self.outputs = list(outputs)
        self.head = None
        self.in_heads = [None] * len(self.inputs)
        self.out_heads = [None] * len(self.outputs)
        self.GROUPS = self.GROUPS
        self.HEAD = self.HEAD
        self.MAX_QUEUE = self.MAX_QUEUE
        self.CREATES_SUBPROCESS = self.CREATES_SUBPROCESS

    def setup(self, *args, **kwargs):
        """Runs once before the first round. Override it; the original's FIFO checks do not apply here."""

    def run(self, *args, **kwargs):
        raise NotImplementedError

    def is_source(self):
        return not self.inputs and bool(self.outputs)

    def is_sink(self):
        return bool(self.inputs) and not self.outputs

    def is_connector(self):
        return bool(self.inputs) and bool(self.outputs)

    def is_async(self):
        return all(pipe.ASYNC for pipe in self.inputs)

    def __str__(self):
        return f"{type(self).__name__} {self.id}"

    __repr__ = __str__


class BasePipe:
    """An edge with an id. `BLOCK_SIZE` is bytes per block or a name (PKL, JSON); `BLOCK_COUNT` is
    the number of blocks the consumer takes per round."""

    BLOCK_SIZE = 1
    BLOCK_COUNT = 1
    ASYNC = False
    SOURCE_JOBS = []
    DESTINATION_JOBS = []

    def __new__(cls, id=None, *args, **kwargs):
        if not id:
            return super().__new__(cls)
        if id in PIPES:
            pipe = PIPES[id]
            if type(pipe) is not cls:
                raise RuntimeError(f"Pipe with id {id} was called on {cls} and is {type(pipe)}")
            return pipe
        pipe = super().__new__(cls)
        pipe.id = id
        pipe._source = None
        pipe._destination = None
        pipe._head_size = 1
        PIPES[id] = pipe
        return pipe

    def __init__(self, id, *args, **kwargs):
        if not hasattr(self, "_source"):
            self.id = id
            self._source = None
            self._destination = None
            self._head_size = 1
        self.BLOCK_SIZE = self.BLOCK_SIZE
        self.BLOCK_COUNT = self.BLOCK_COUNT
        self.SOURCE_JOBS = self.SOURCE_JOBS
        self.DESTINATION_JOBS = self.DESTINATION_JOBS
        self.ASYNC = self.ASYNC

    def pack(self, data):
        return data

    def unpack(self, data):
        return data

    @property
    def source(self):
        return self._source

    @source.setter
    def source(self, job):
        if self.SOURCE_JOBS and type(job) not in self.SOURCE_JOBS:
            raise RuntimeError("Given source job is not listed in SOURCE_JOBS")
        if self._source and self._source is not job:
            raise RuntimeError(f"Source of pipe {self.id} was defined multiple times.")
        if self._destination is job:
            raise RuntimeError(f"PIPE {self.id}: You can't loop back pipes to same job ({job}).")
        self._source = job

    @property
    def destination(self):
        return self._destination

    @destination.setter
    def destination(self, job):
        if self.DESTINATION_JOBS and type(job) not in self.DESTINATION_JOBS:
            raise RuntimeError("Given destination job is not listed in DESTINATION_JOBS")
        if self._destination and self._destination is not job:
            raise RuntimeError(f"Destination of pipe {self.id} was defined multiple times.")
        if self._source is job:
            raise RuntimeError(f"PIPE {self.id}: You can't loop back pipes to same job ({job}).")
        self._destination = job

    def complete(self):
        return bool(self._source and self._destination)

    def __str__(self):
        return f"{type(self).__name__} ID {self.id}"

    __repr__ = __str__


class BaseNode:
    """A machine of the cluster, recorded by host."""

    GROUPS = "ALL"

    def __new__(cls, host="", *args, **kwargs):
        if host and host in NODES:
            return NODES[host]
        node = super().__new__(cls)
        node.jobs = []
        node.max_jobs = 0
        node.active = False
        if host:
            NODES[host] = node
        return node

    def __init__(self, host, port=None, cpus=0, depends=(), setup_args=(), name=""):
        self.host = host
        self.ip = host
        self.port = port
        self.cpus = cpus
        self._name = name
        self.GROUPS = self.GROUPS

    @property
    def name(self):
        return self._name or self.ip

    def __repr__(self):
        return f"Node {self.name} with {len(self.jobs)} jobs"


class BaseGroup:
    """A named group of jobs and nodes, recorded by name."""

    def __new__(cls, name=None, *args, **kwargs):
        if name and name in GROUPS:
            return GROUPS[name]
        group = super().__new__(cls)
        group.jobs = []
        group.nodes = []
        if name:
            GROUPS[name] = group
        return group

    def __init__(self, name, *args, **kwargs):
        self.name = name

    def add_job(self, job):
        if not isinstance(job, BaseJob):
            raise TypeError(f"Can not add {type(job)} as job to a group.")
        job.GROUPS = _with_group(job.GROUPS, self)
        self.jobs.append(job)

    def add_node(self, node):
        if not isinstance(node, BaseNode):
            raise TypeError(f"Can not add {type(node)} as node to a group.")
        node.GROUPS = _with_group(node.GROUPS, self)
        self.nodes.append(node)


def _with_group(groups, group):
    if isinstance(groups, list):
        return [group if g == group.name else g for g in groups]
    return [group]
