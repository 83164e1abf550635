#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the kernel conformance binaries twice, native and emulated, and
compare them case by case (issue 6).

The emulated run preloads emul-trap.so with LIBMSEAL_FORCE_UNSUPPORTED=1 and
LIBMSEAL_TEST_EMULATE=1, so every raw mseal call of the unchanged binaries
goes through libmseal's seccomp emulation. A case whose outcome (ok, not ok,
skip) differs must be listed in the expected-differences file, with its
reason; any other difference fails. Prints TAP, one point per case.

usage: compare-conformance.py TRAP_SO EXPECTED_FILE BINARY...
"""
import ctypes
import fnmatch
import os
import re
import subprocess
import sys

TAP = re.compile(r'^(not ok|ok)\b[^-]*- (\S+)(.*)$')


def outcomes(binary, env):
    """Map case name -> 'ok' / 'not ok' / 'skip' from one TAP run."""
    proc = subprocess.run([binary, '--tap=/dev/fd/1', '-j2'], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, timeout=600)
    result = {}
    for line in proc.stdout.splitlines():
        m = TAP.match(line)
        if not m:
            continue
        state = m.group(1)
        if '# SKIP' in m.group(3) or '# skip' in m.group(3):
            state = 'skip'
        result[m.group(2)] = state
    return result, proc.returncode


def load_expected(path):
    """Patterns (fnmatch on suite::case) -> reason."""
    expected = []
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            pattern, _, reason = line.partition(' ')
            if not reason.strip():
                sys.exit('expected-differences: no reason for ' + pattern)
            expected.append((pattern, reason.strip()))
    return expected


def reason_for(expected, name):
    for pattern, reason in expected:
        if fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def main():
    trap, expected_file, binaries = sys.argv[1], sys.argv[2], sys.argv[3:]
    expected = load_expected(expected_file)
    native_env = {k: v for k, v in os.environ.items()
                  if k == 'LIBMSEAL_REQUIRE_MSEAL' or
                  not (k.startswith('LIBMSEAL_') or k == 'LD_PRELOAD')}
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(462, None, ctypes.c_size_t(0), ctypes.c_ulong(0)) != 0:
        # nothing native to compare with
        if os.environ.get('LIBMSEAL_REQUIRE_MSEAL') == '1':
            print('1..1\nnot ok 1 - mseal(0,0,0) failed on kernel %s'
                  % os.uname().release)
            return 1
        print('1..0 # SKIP mseal unavailable on kernel %s'
              % os.uname().release)
        return 0
    # in an ASan build the preloaded module comes before libasan
    asan = os.environ.get('ASAN_OPTIONS', '')
    native_env['ASAN_OPTIONS'] = asan
    emul_env = dict(native_env, LD_PRELOAD=trap,
                    LIBMSEAL_FORCE_UNSUPPORTED='1',
                    LIBMSEAL_TEST_EMULATE='1',
                    ASAN_OPTIONS=(asan + ':' if asan else '') +
                    'verify_asan_link_order=0')
    points, failed, used = [], 0, set()
    for binary in binaries:
        native, _ = outcomes(binary, native_env)
        emul, _ = outcomes(binary, emul_env)
        if not native:
            points.append((False, os.path.basename(binary),
                           'no TAP from the native run'))
            failed += 1
            continue
        for name in sorted(set(native) | set(emul)):
            a, b = native.get(name, 'missing'), emul.get(name, 'missing')
            if a == b:
                points.append((True, name, ''))
                continue
            why = reason_for(expected, name)
            if why is None:
                failed += 1
                points.append((False, name,
                               'native %s, emulated %s: not in the '
                               'expected-difference list' % (a, b)))
            else:
                used.add(why)
                points.append((True, name, 'expected difference (native %s, '
                               'emulated %s): %s' % (a, b, why)))
    print('TAP version 13')
    print('1..%d' % len(points))
    for i, (good, name, note) in enumerate(points, 1):
        print('%s %d - %s%s' % ('ok' if good else 'not ok', i, name,
                                ' # ' + note if note else ''))
    print('# %d cases compared, %d expected differences, %d unexpected'
          % (len(points), sum(1 for p in points if p[2].startswith('expected')),
             failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
