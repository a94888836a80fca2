"""The original's job classes and its `Head`.

A `PythonJob` subclass is run by marvelo's Python runtime (`python/marvelo_python/`): it reads each
round, calls `run`, and writes the results with the original's rules. This module only holds what a
job's own code calls (`finish`, `head_reduce`, `Head`) and what a network file constructs.
"""
import csv
from functools import reduce

from fission.core.base import BaseJob

__all__ = [
    "BaseJob", "PythonJob", "ExecutableJob", "DynamicExecutableJob", "MARVELOJob", "DynamicMARVELOJob",
    "LocalJob", "InteractiveJob", "CSVSinkJob", "Head",
]

FINISHED_BIT_INDEX = 2


class PythonJob(BaseJob):
    """Override `run(*inputs)` (a plain method, or a generator for a source) and optionally `setup()`."""

    DEPENDENCIES = None

    def __init__(self, inputs=None, outputs=None):
        super().__init__(inputs=inputs, outputs=outputs)
        self.finished = False
        self.DEPENDENCIES = self.DEPENDENCIES

    def finish(self):
        """Marks the block written next as the last one (the finished bit: 0x20 of a 1-byte head) and
        ends the job after it."""
        size = getattr(self, "_marvelo_head_size", 1)
        finished_bit = 1 << (8 * size - 1 - FINISHED_BIT_INDEX)
        if self.head is None:
            self.head = Head(finished_bit, size)
        elif isinstance(self.head, Head):
            self.head[FINISHED_BIT_INDEX] = True
        else:
            self.head = int(self.head) | finished_bit
        self.finished = True

    def head_reduce(self):
        """The round's head from `in_heads`: bitwise OR of all (a list is OR-ed first). Override to change it."""
        def either(heads):
            return reduce(lambda a, b: a | b, heads)

        return either([either(h) if isinstance(h, list) else h for h in self.in_heads])


class ExecutableJob(BaseJob):
    """A program run as a job. In marvelo this is the `executable:` form of a job (docs/executables.md)."""

    DEPENDENCIES = None
    EXECUTABLE = None
    PARAMETERS = None
    INPUT_FLAG = "-i"
    OUTPUT_FLAG = "-o"
    CREATES_SUBPROCESS = True

    def __init__(self, inputs=None, outputs=None):
        super().__init__(inputs=inputs, outputs=outputs)
        self.DEPENDENCIES = self.DEPENDENCIES
        self.EXECUTABLE = self.EXECUTABLE
        self.PARAMETERS = self.PARAMETERS
        self.INPUT_FLAG = self.INPUT_FLAG
        self.OUTPUT_FLAG = self.OUTPUT_FLAG


class DynamicExecutableJob(ExecutableJob):
    def __init__(self, dependencies, executable, parameters="", groups="", input_flag="-i",
                 output_flag="-o", head=False, inputs=None, outputs=None):
        super().__init__(inputs=inputs, outputs=outputs)
        self.DEPENDENCIES = dependencies
        self.EXECUTABLE = executable
        self.PARAMETERS = parameters
        self.HEAD = head
        self.INPUT_FLAG = input_flag
        self.OUTPUT_FLAG = output_flag
        if groups != "":
            self.GROUPS = groups


class MARVELOJob(ExecutableJob):
    """An ExecutableJob given descriptor numbers instead of paths (`pass: fd`)."""


class DynamicMARVELOJob(DynamicExecutableJob, MARVELOJob):
    pass


class LocalJob(BaseJob):
    """Runs on the client (`GROUPS = "LOCAL"`)."""

    GROUPS = "LOCAL"


class InteractiveJob(LocalJob, PythonJob):
    """The original opened a terminal window; marvelo's `builtin:console` job does this instead."""

    def run(self):
        raise NotImplementedError("InteractiveJob: use a `builtin:console` job in marvelo")


class CSVSinkJob(LocalJob, PythonJob):
    """Writes a header row (`col_pattern` per input) and then one row of `str(value)` per round."""

    def __init__(self, path, inputs=None, col_pattern="pipe_{pipe.id}"):
        self.path = path
        self.col_pattern = col_pattern
        super().__init__(inputs=inputs)

    def setup(self, *args, **kwargs):
        self.file = open(self.path, "w", newline="")
        self.writer = csv.writer(self.file, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL)
        self.writer.writerow([self.col_pattern.format(pipe=pipe, job=self) for pipe in self.inputs])
        return super().setup(*args, **kwargs)

    def run(self, *args):
        self.writer.writerow([str(item) for item in args])
        self.file.flush()


class Head:
    """A block's head: `head_length` bytes, bits numbered from the most significant.

    Bit 0 is *corrupted* (0x80), bit 1 *reset* (0x40, cannot be set by a job), bit 2 *finished* (0x20),
    the rest are the user's. `h[i]` is a bool (MSB-first for i >= 0, LSB-first for i < 0, `h[-1]` is
    the LSB); a slice packs the selected bits into a new Head of the same length.
    """

    def __init__(self, head, head_length):
        self._head = int.from_bytes(bytes(head), "big") if isinstance(head, (bytes, bytearray)) else int(head)
        self._head_length = head_length

    def _bits(self):
        width = self._head_length * 8
        return [1 if self._head & (1 << (width - 1 - i)) else 0 for i in range(width)]

    @staticmethod
    def _from_bits(bits):
        value = 0
        for bit in bits:
            value = (value << 1) | bit
        return value

    def _check_index(self, index):
        width = self._head_length * 8
        if index > width - 1 or index < -width:
            raise IndexError("Index is out of range")

    def __getitem__(self, key):
        if isinstance(key, slice):
            return Head(self._from_bits(self._bits()[key]), self._head_length)
        self._check_index(key)
        width = self._head_length * 8
        shift = width - 1 - key if key >= 0 else -key - 1
        return bool(self._head & (1 << shift))

    def __setitem__(self, index, value):
        width = self._head_length * 8
        if value and index in (1, 1 - width):
            raise ValueError("Bit is not allowed to set")
        self._check_index(index)
        bits = self._bits()
        bits[index] = 1 if value else 0
        self._head = self._from_bits(bits)

    def __len__(self):
        return self._head_length

    def __int__(self):
        return self._head

    @property
    def bit_conversion(self):
        return self._bits()

    @property
    def head(self):
        return self._head

    @property
    def head_size(self):
        return self._head_length

    @head_size.setter
    def head_size(self, number):
        """+n appends n zero bytes on the low side (at most 4 bytes in all); -n drops n low bytes (1 stays)."""
        if not isinstance(number, int):
            return
        if number > 0:
            if number + self._head_length <= 4:
                self._head <<= 8 * number
                self._head_length += number
        elif -number < self._head_length:
            self._head >>= 8 * -number
            self._head_length += number
        else:
            self._head >>= 8 * (self._head_length - 1)
            self._head_length = 1

    def to_bytes(self, *args, **kwargs):
        return self._head.to_bytes(*args, **kwargs)

    @staticmethod
    def _value_of(other, operation):
        if isinstance(other, Head):
            return other._head
        if isinstance(other, int):
            return other
        raise TypeError(f"Can't {operation} Head with {type(other)}")

    def __and__(self, other):
        return Head(self._head & self._value_of(other, "and"), self._head_length)

    def __or__(self, other):
        return Head(self._head | self._value_of(other, "or"), self._head_length)

    def __xor__(self, other):
        return Head(self._head ^ self._value_of(other, "xor"), self._head_length)

    __rand__ = __and__
    __ror__ = __or__
    __rxor__ = __xor__

    def __lshift__(self, other):
        if not isinstance(other, int):
            raise TypeError(f"Can't shift Head by {type(other)}")
        return Head(self._head << other, self._head_length)

    def __rshift__(self, other):
        if not isinstance(other, int):
            raise TypeError(f"Can't shift Head by {type(other)}")
        return Head(self._head >> other, self._head_length)

    def __invert__(self):
        return Head(~self._head, self._head_length)

    def __eq__(self, other):
        if other is None:
            return False
        return self._head == self._value_of(other, "compare")

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __str__(self):
        return "HEAD: {:0{padding}b}".format(self._head, padding=self._head_length * 8)

    __repr__ = __str__
