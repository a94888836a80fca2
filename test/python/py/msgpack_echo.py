"""For msgpack.test.ts: decodes each hex payload given on stdin with marvelo's Python msgpack, shows
what Python got (tagged JSON), encodes it again, and encodes a few values of Python's own."""
import datetime
import json
import sys

from marvelo_python import msgpack


def tagged(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"$int": str(v)}
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, bytes):
        return {"$bytes": v.hex()}
    if isinstance(v, datetime.datetime):
        return {"$date": v.isoformat()}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, dict):
        return {str(k): tagged(x) for k, x in v.items()}
    raise TypeError(type(v))


OWN = [
    (1, "two", 3.0),
    {"nested": [None, True, False, -1, -33, -200, -40000, -(2**40), 2**64 - 1, 2**40, 300, 70000]},
    b"\x00\xff" * 200,
    "é" * 40,
    datetime.datetime(2026, 12, 4, 17, 0, 0, 123000, tzinfo=datetime.timezone.utc),
]

payloads = json.load(sys.stdin)
decoded = [msgpack.unpack(bytes.fromhex(h)) for h in payloads]
print(json.dumps({
    "seen": [tagged(v) for v in decoded],
    "again": [msgpack.pack(v).hex() for v in decoded],
    "own": [msgpack.pack(v).hex() for v in OWN],
}))
