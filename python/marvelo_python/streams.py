"""Units on the executable protocol: `[head] + payload` per block, by the pipe's codec.

- msgpack: one msgpack value (what a PicklePipe carries in marvelo)
- json: one JSON document and a newline
- bytes: exactly block_size bytes
"""
import json
import os

from . import msgpack

CODECS = ("msgpack", "json", "bytes")


class StreamError(Exception):
    """The stream broke a rule of the protocol, or a value cannot travel on its pipe."""


class InputStream:
    def __init__(self, fd, pipe_name, codec, head_size, block_size=None):
        self.file = os.fdopen(fd, "rb")
        self.name = pipe_name
        self.codec = codec
        self.head_size = head_size
        self.block_size = block_size

    def _exact(self, n):
        data = self.file.read(n)
        if len(data) != n:
            raise StreamError(f"input '{self.name}' ended in the middle of a block")
        return data

    def read_unit(self):
        """(head, value) of the next block, or None at the end of the stream."""
        if self.head_size > 0:
            head_bytes = self.file.read(self.head_size)
            if not head_bytes:
                return None
            if len(head_bytes) != self.head_size:
                raise StreamError(f"input '{self.name}' ended in the middle of a head")
            head = int.from_bytes(head_bytes, "big")
        else:
            head = 0
            first = self.file.peek(1)[:1]
            if not first:
                return None
        return head, self._payload()

    def _payload(self):
        if self.codec == "msgpack":
            try:
                return msgpack.read_value(self._exact)
            except msgpack.MsgpackError as e:
                raise StreamError(f"input '{self.name}': {e}") from None
        if self.codec == "json":
            line = self.file.readline()
            if not line.endswith(b"\n"):
                raise StreamError(f"input '{self.name}' ended in the middle of a JSON line")
            return json.loads(line.decode("utf-8"))
        return self._exact(self.block_size)


class OutputStream:
    def __init__(self, fd, pipe_name, codec, head_size, block_size=None):
        self.fd = fd
        self.name = pipe_name
        self.codec = codec
        self.head_size = head_size
        self.block_size = block_size

    def encode(self, value):
        if self.codec == "msgpack":
            try:
                return msgpack.pack(value)
            except msgpack.MsgpackError as e:
                raise StreamError(f"output '{self.name}': {e}") from None
        if self.codec == "json":
            try:
                text = json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
            except (TypeError, ValueError) as e:
                raise StreamError(f"output '{self.name}' (json) cannot carry {type(value).__name__}: {e}") from None
            return text.encode("utf-8") + b"\n"
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise StreamError(
                f"output '{self.name}' carries bytes (block_size {self.block_size}), and run() gave a {type(value).__name__}"
            )
        data = bytes(value)
        if len(data) != self.block_size:
            raise StreamError(f"output '{self.name}' takes blocks of exactly {self.block_size} bytes, and run() gave {len(data)}")
        return data

    def write_unit(self, head, value):
        unit = bytearray()
        if self.head_size > 0:
            unit += (int(head) & ((1 << (8 * self.head_size)) - 1)).to_bytes(self.head_size, "big")
        unit += self.encode(value)
        view = memoryview(unit)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def close(self):
        os.close(self.fd)
