#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Count test cases of meson test runs; print 'N passed, N failed, N skipped'.

Usage: junit-count.py BUILD_DIR...

meson's own summary counts test binaries and hides skipped Criterion cases,
so the cases come from each binary's TAP output as meson recorded them in
meson-logs/testlog.junit.xml. That file does not record a binary that timed
out or failed as a whole after its cases passed (meson 1.0 writes only the
cases), so every binary whose result in meson-logs/testlog.json is not OK
or SKIP counts as one more failure.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

GOOD = {'OK', 'SKIP', 'EXPECTEDFAIL'}


def count_cases(path):
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter('testcase'):
        if case.find('failure') is not None or case.find('error') is not None:
            failed += 1
            print('FAILED: %s: %s' % (case.get('classname'), case.get('name')))
        elif case.find('skipped') is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def count_bad_binaries(path):
    bad = 0
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            if test.get('result') not in GOOD:
                bad += 1
                print('FAILED: %s: the binary ended %s' % (test.get('name'), test.get('result')))
    return bad


def main(build_dirs):
    passed = failed = skipped = 0
    for build in build_dirs:
        logs = os.path.join(build, 'meson-logs')
        p, f, s = count_cases(os.path.join(logs, 'testlog.junit.xml'))
        passed, failed, skipped = passed + p, failed + f, skipped + s
        failed += count_bad_binaries(os.path.join(logs, 'testlog.json'))
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
