#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Parse a node_exporter textfile with prometheus_client and check that
every family has HELP and TYPE and that no series appears twice. Prints
each sample as 'name{k="v",...} value', labels sorted, one per line."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    for line in text.splitlines():
        if line.startswith("# TYPE ") and line.split()[3] != "gauge":
            sys.exit("not a gauge: " + line)
    helps = {l.split()[2] for l in text.splitlines() if l.startswith("# HELP ")}
    seen = set()
    out = []
    for fam in text_string_to_metric_families(text):
        if fam.name not in helps or not fam.documentation:
            sys.exit("no HELP for " + fam.name)
        for s in fam.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                sys.exit("duplicate series %r" % (key,))
            seen.add(key)
            labels = ",".join('%s="%s"' % kv for kv in key[1])
            out.append("%s{%s} %g" % (s.name, labels, s.value))
    if not out:
        sys.exit("no samples")
    print("\n".join(sorted(out)))


main()
