"""The original's pipe classes. Each maps to a marvelo codec (`MARVELO_CODEC`):

- PicklePipe -> msgpack (never pickle: values cross as msgpack, tuples arrive as lists)
- JSONPipe -> json
- BytesPipe(id, block_size, block_count=1) -> bytes of that block_size
- Optional* -> the same codec on an optional (async) input

`pack(value)` / `unpack(value)` stay hooks a subclass may override: marvelo's runtime calls `unpack`
on every value it reads (after decoding) and `pack` on every value it writes (before encoding).
"""
from fission.core.base import BasePipe

__all__ = [
    "BasePipe", "OptionalMixIn", "PicklePipe", "OptionalPicklePipe", "JSONPipe", "OptionalJSONPipe",
    "BytesPipe", "OptionalBytesPipe", "LoaderPipe", "PickleMixIn", "JSONMixIn",
]


class OptionalMixIn:
    """Makes a pipe optional: the receiving job never waits for it. `read` gives the next value that
    arrived, else the last one (`OPTIONAL_STORE`) or `OPTIONAL_DEFAULT`. Put it first in the bases."""

    ASYNC = True
    OPTIONAL_DEFAULT = None
    OPTIONAL_STORE = True
    OPTIONAL_BUFFER_SIZE = 0
    OPTIONAL_DELETE_MODE = "oldest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.OPTIONAL_DELETE_MODE not in ("newest", "oldest"):
            raise RuntimeError(f"OPTIONAL_DELETE_MODE of {self} must be 'newest' or 'oldest'")
        self._default = self.OPTIONAL_DEFAULT
        self._store = self.OPTIONAL_STORE


class PickleMixIn:
    """Marks a pipe that carries Python values; marvelo carries them as msgpack."""

    MARVELO_CODEC = "msgpack"


class JSONMixIn:
    """Marks a pipe that carries JSON values, one document per block."""

    MARVELO_CODEC = "json"


class PicklePipe(PickleMixIn, BasePipe):
    BLOCK_SIZE = "PKL"


class OptionalPicklePipe(OptionalMixIn, PicklePipe):
    pass


class JSONPipe(JSONMixIn, BasePipe):
    BLOCK_SIZE = "JSON"


class OptionalJSONPipe(OptionalMixIn, JSONPipe):
    pass


class BytesPipe(BasePipe):
    """Raw blocks of exactly `block_size` bytes; the job gets and returns `bytes`."""

    MARVELO_CODEC = "bytes"

    def __init__(self, id, block_size, block_count=1):
        super().__init__(id)
        if not isinstance(block_size, int) or block_size < 1:
            raise ValueError("Block size must be integer >= 1.")
        if not isinstance(block_count, int) or block_count < 1:
            raise ValueError("Block count must be integer >= 1.")
        self.BLOCK_SIZE = block_size
        self.BLOCK_COUNT = block_count


class OptionalBytesPipe(OptionalMixIn, BytesPipe):
    pass


class LoaderPipe(BasePipe):
    """Internal pipe of the original's XML loader; kept so its imports resolve."""

    BLOCK_SIZE = None
    BLOCK_COUNT = None
