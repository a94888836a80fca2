"""A small msgpack encoder and decoder (the value types msgpack carries), standard library only.

Python -> msgpack: None, bool, int (-2**63 .. 2**64-1), float (float64), str, bytes/bytearray/memoryview
(bin), list/tuple (array), dict (map), datetime (timestamp extension -1). Anything else is refused:
values never cross a pipe as pickle. Decoding gives lists for arrays (a tuple sent arrives as a list).
"""
import datetime
import struct

TIMESTAMP_EXT = -1
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class MsgpackError(ValueError):
    pass


def pack(value):
    out = bytearray()
    _pack_into(value, out, 0)
    return bytes(out)


def _pack_into(value, out, depth):
    if depth > 512:
        raise MsgpackError("value nests too deep (or contains itself)")
    if value is None:
        out.append(0xC0)
    elif value is True:
        out.append(0xC3)
    elif value is False:
        out.append(0xC2)
    elif isinstance(value, int):
        _pack_int(int(value), out)
    elif isinstance(value, float):
        out.append(0xCB)
        out += struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _pack_length(len(data), out, 0xA0, 31, 0xD9, 0xDA, 0xDB)
        out += data
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        _pack_length(len(data), out, None, 0, 0xC4, 0xC5, 0xC6)
        out += data
    elif isinstance(value, (list, tuple)):
        _pack_length(len(value), out, 0x90, 15, None, 0xDC, 0xDD)
        for item in value:
            _pack_into(item, out, depth + 1)
    elif isinstance(value, dict):
        _pack_length(len(value), out, 0x80, 15, None, 0xDE, 0xDF)
        for key, item in value.items():
            _pack_into(key, out, depth + 1)
            _pack_into(item, out, depth + 1)
    elif isinstance(value, datetime.datetime):
        _pack_timestamp(value, out)
    else:
        raise MsgpackError(
            f"cannot send a {type(value).__module__}.{type(value).__qualname__} on a msgpack pipe: values travel as "
            "msgpack (never pickle); send None, bool, int, float, str, bytes, list, tuple, dict or datetime "
            "(e.g. a numpy array as array.tolist())"
        )


def _pack_int(v, out):
    if 0 <= v < 0x80:
        out.append(v)
    elif -32 <= v < 0:
        out.append(v & 0xFF)
    elif v >= 0:
        for code, fmt, limit in ((0xCC, ">B", 1 << 8), (0xCD, ">H", 1 << 16), (0xCE, ">I", 1 << 32), (0xCF, ">Q", 1 << 64)):
            if v < limit:
                out.append(code)
                out += struct.pack(fmt, v)
                return
        raise MsgpackError(f"the integer {v} does not fit msgpack (at most 2**64 - 1)")
    else:
        for code, fmt, limit in ((0xD0, ">b", 1 << 7), (0xD1, ">h", 1 << 15), (0xD2, ">i", 1 << 31), (0xD3, ">q", 1 << 63)):
            if v >= -limit:
                out.append(code)
                out += struct.pack(fmt, v)
                return
        raise MsgpackError(f"the integer {v} does not fit msgpack (at least -2**63)")


def _pack_length(n, out, fix_code, fix_max, code8, code16, code32):
    if fix_code is not None and n <= fix_max:
        out.append(fix_code | n)
    elif code8 is not None and n < 1 << 8:
        out.append(code8)
        out.append(n)
    elif n < 1 << 16:
        out.append(code16)
        out += struct.pack(">H", n)
    elif n < 1 << 32:
        out.append(code32)
        out += struct.pack(">I", n)
    else:
        raise MsgpackError(f"a length of {n} does not fit msgpack")


def _pack_timestamp(value, out):
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    delta = value - _EPOCH
    seconds = delta.days * 86400 + delta.seconds
    nanos = delta.microseconds * 1000
    if 0 <= seconds < 1 << 34:
        if nanos == 0 and seconds < 1 << 32:
            out += b"\xd6\xff" + struct.pack(">I", seconds)
        else:
            out += b"\xd7\xff" + struct.pack(">Q", (nanos << 34) | seconds)
    else:
        out += b"\xc7\x0c\xff" + struct.pack(">Iq", nanos, seconds)


def unpack(data):
    """One value from `data`, which must hold exactly one."""
    reader = _BytesReader(data)
    value = read_value(reader.read)
    if reader.pos != len(data):
        raise MsgpackError(f"{len(data) - reader.pos} byte(s) follow the msgpack value")
    return value


class _BytesReader:
    def __init__(self, data):
        self.data = bytes(data)
        self.pos = 0

    def read(self, n):
        if self.pos + n > len(self.data):
            raise MsgpackError("the msgpack value is cut short")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


def read_value(read):
    """One value, reading with `read(n)`, which returns exactly n bytes (or raises)."""
    return _read(read, 0)


def _read(read, depth):
    if depth > 512:
        raise MsgpackError("the msgpack value nests too deep")
    code = read(1)[0]
    if code <= 0x7F:
        return code
    if code >= 0xE0:
        return code - 0x100
    if 0xA0 <= code <= 0xBF:
        return read(code & 0x1F).decode("utf-8")
    if 0x90 <= code <= 0x9F:
        return [_read(read, depth + 1) for _ in range(code & 0x0F)]
    if 0x80 <= code <= 0x8F:
        return _read_map(read, code & 0x0F, depth)
    simple = {0xC0: None, 0xC2: False, 0xC3: True}
    if code in simple:
        return simple[code]
    fixed = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q", 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q", 0xCA: ">f", 0xCB: ">d"}
    if code in fixed:
        fmt = fixed[code]
        return struct.unpack(fmt, read(struct.calcsize(fmt)))[0]
    if code in (0xD9, 0xDA, 0xDB):
        return read(_length(read, code - 0xD9)).decode("utf-8")
    if code in (0xC4, 0xC5, 0xC6):
        return read(_length(read, code - 0xC4))
    if code in (0xDC, 0xDD):
        return [_read(read, depth + 1) for _ in range(_length(read, code - 0xDC + 1))]
    if code in (0xDE, 0xDF):
        return _read_map(read, _length(read, code - 0xDE + 1), depth)
    if 0xD4 <= code <= 0xD8:
        ext_type = struct.unpack(">b", read(1))[0]
        return _ext(ext_type, read(1 << (code - 0xD4)))
    if code in (0xC7, 0xC8, 0xC9):
        n = _length(read, code - 0xC7)
        ext_type = struct.unpack(">b", read(1))[0]
        return _ext(ext_type, read(n))
    raise MsgpackError(f"0x{code:02x} is not a msgpack type byte")


def _length(read, width_index):
    fmt = (">B", ">H", ">I")[width_index]
    return struct.unpack(fmt, read(struct.calcsize(fmt)))[0]


def _read_map(read, n, depth):
    result = {}
    for _ in range(n):
        key = _read(read, depth + 1)
        if isinstance(key, list):
            key = tuple(key)
        result[key] = _read(read, depth + 1)
    return result


def _ext(ext_type, data):
    if ext_type != TIMESTAMP_EXT:
        raise MsgpackError(f"msgpack extension type {ext_type} is not known here (only timestamps, type -1)")
    if len(data) == 4:
        seconds, nanos = struct.unpack(">I", data)[0], 0
    elif len(data) == 8:
        both = struct.unpack(">Q", data)[0]
        seconds, nanos = both & ((1 << 34) - 1), both >> 34
    elif len(data) == 12:
        nanos, seconds = struct.unpack(">Iq", data)
    else:
        raise MsgpackError(f"a timestamp of {len(data)} bytes is not valid msgpack")
    return _EPOCH + datetime.timedelta(seconds=seconds, microseconds=nanos // 1000)
