#!/usr/bin/env python3
"""jsonmap: a JSON-lines transformer for marvelo executable jobs (a `codec: json` pipe).

    jsonmap.py [--set KEY=JSON]... [--scale KEY=FACTOR]... [--head [--head-size B]]
               [--clear-bits] [--set-bit I]... -i IN -o OUT

Reads one JSON document per line from IN and writes one per line to OUT. For objects, --set KEY=JSON
sets a field (the value is JSON: --set 'unit="V"', --set n=3) and --scale KEY=FACTOR multiplies a
numeric field; other documents pass unchanged. With --head every line is preceded by a B-byte head
(big-endian, default 1 byte), which is copied to the output; --clear-bits zeroes it first and
--set-bit I sets bit I, numbered from the most significant bit like marvelo's Head (0-2 belong to
marvelo, which re-applies them). IN and OUT are paths (pass: path) or descriptor numbers (pass: fd).
"""
import argparse
import json
import os
import sys


def open_stream(arg, mode):
    """A path, or a descriptor number (all digits)."""
    return os.fdopen(int(arg), mode) if arg.isdigit() else open(arg, mode)


def key_value(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def main():
    parser = argparse.ArgumentParser(prog="jsonmap.py")
    parser.add_argument("--set", type=key_value, action="append", default=[], metavar="KEY=JSON")
    parser.add_argument("--scale", type=key_value, action="append", default=[], metavar="KEY=FACTOR")
    parser.add_argument("--head", action="store_true")
    parser.add_argument("--head-size", type=int, default=1)
    parser.add_argument("--clear-bits", action="store_true")
    parser.add_argument("--set-bit", type=int, action="append", default=[])
    parser.add_argument("-i", dest="input", required=True)
    parser.add_argument("-o", dest="output", required=True)
    args = parser.parse_args()

    sets = [(key, json.loads(value)) for key, value in args.set]
    scales = [(key, float(factor)) for key, factor in args.scale]
    head_size = args.head_size if args.head else 0
    top = 8 * head_size - 1

    count = 0
    with open_stream(args.input, "rb") as src, open_stream(args.output, "wb") as dst:
        while True:
            head = src.read(head_size) if head_size else b""
            line = src.readline()
            if len(head) < head_size or not line:
                break
            doc = json.loads(line)
            if isinstance(doc, dict):
                for key, value in sets:
                    doc[key] = value
                for key, factor in scales:
                    if isinstance(doc.get(key), (int, float)):
                        doc[key] = doc[key] * factor
            if head_size:
                bits = 0 if args.clear_bits else int.from_bytes(head, "big")
                for index in args.set_bit:
                    bits |= 1 << (top - index)
                dst.write(bits.to_bytes(head_size, "big"))
            dst.write(json.dumps(doc, separators=(",", ":")).encode() + b"\n")
            # One line at a time: the next job sees each document as soon as it is ready.
            dst.flush()
            count += 1
    print(f"jsonmap: {count} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
