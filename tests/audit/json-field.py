#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""json-field.py FILE ARRAY KEY VALUE FIELD

Parse FILE as one JSON document with the standard json module (bytes that
are not UTF-8, control characters and duplicate keys in an object are all
errors), find the object of the top-level array ARRAY whose KEY equals
VALUE (compared as text), and print ascii() of its FIELD on one line, so
the caller can compare every character exactly."""
import json
import sys


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            sys.exit("duplicate key %r in one object" % k)
    return dict(pairs)


def main():
    path, array, key, value, field = sys.argv[1:6]
    with open(path, "rb") as f:
        raw = f.read()
    doc = json.loads(raw.decode("utf-8", errors="strict"),
                     object_pairs_hook=no_duplicates)
    for obj in doc[array]:
        if str(obj.get(key)) == value:
            print(ascii(obj[field]))
            return
    sys.exit("no object with %s=%s in %s" % (key, value, array))


if __name__ == "__main__":
    main()
