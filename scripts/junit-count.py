#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Count test cases in meson JUnit files; print 'N passed, N failed, N skipped'.

meson's own summary counts test binaries and hides skipped Criterion cases,
so CI counts the cases meson recorded from each binary's TAP output.
"""
import sys
import xml.etree.ElementTree as ET


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        for case in ET.parse(path).getroot().iter('testcase'):
            if case.find('failure') is not None or case.find('error') is not None:
                failed += 1
                print('FAILED: %s: %s' % (case.get('classname'), case.get('name')))
            elif case.find('skipped') is not None:
                skipped += 1
            else:
                passed += 1
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
