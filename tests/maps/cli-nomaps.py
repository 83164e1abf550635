#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`mseal maps` of a process without mappings (TAP): a kernel thread, a
zombie, a process on its way out. The table (empty) and -J (empty arrays)
stay on stdout with exit 0, and one stderr line says why there is
nothing: canned trees under tests/data/maps/nomaps (stat files: PF_KTHREAD,
state Z, PF_EXITING, none), then live PID 2 (kthreadd) and a zombie made
here.

Usage: cli-nomaps.py MSEAL DATA_DIR
"""
import json
import os
import subprocess
import sys
import time

from taptest import Tap

PF_KTHREAD = 0x00200000


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def check_pid(tap, mseal, pid, why, root=None):
    """Table, -r and -J of @pid: exit 0, nothing but the empty table or
    document on stdout, exactly the note on stderr."""
    base = [mseal, 'maps'] + (['--proc-root', root] if root else [])
    note = 'mseal: maps: PID %d has no mappings (%s)\n' % (pid, why)
    for args in ((), ('-r',), ('-J',)):
        p = run(base + list(args) + [str(pid)])
        if args == ('-J',):
            try:
                doc = json.loads(p.stdout)
                out_ok = doc == {'mappings': [], 'objects': []}
            except ValueError as e:
                out_ok = False
                p.stdout += repr(e)
        else:
            # no rows, no heading; a seccomp note only for a live filter
            out_ok = p.stdout == '' or p.stdout.startswith('\nseccomp: ')
        tap.check(p.returncode == 0 and out_ok and p.stderr == note,
                  'PID %d (%s) %s: exit 0, empty output, one note'
                  % (pid, why, ' '.join(args) or 'table'),
                  'exit %d\nstdout %r\nstderr %r\nwant %r'
                  % (p.returncode, p.stdout, p.stderr, note))


def kernel_thread():
    """PID 2 when it is a kernel thread, else any kernel thread we see."""
    pids = [2] + sorted(int(d) for d in os.listdir('/proc') if d.isdigit())
    for pid in pids:
        try:
            with open('/proc/%d/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[6]) & PF_KTHREAD:
            return pid
    return None


def main():
    mseal, data = sys.argv[1], sys.argv[2]
    tap = Tap(3 * 6)
    root = os.path.join(data, 'nomaps')
    for pid, why in ((2, 'kernel thread'), (300, 'zombie'),
                     (301, 'exiting'), (302, 'kernel thread or zombie')):
        check_pid(tap, mseal, pid, why, root)
    kthread = kernel_thread()
    if kthread is None:
        for _ in range(3):
            tap.skip('live kernel thread',
                     'no kernel thread visible in this PID namespace')
    else:
        check_pid(tap, mseal, kthread, 'kernel thread')
    zombie = os.fork()
    if zombie == 0:
        os._exit(0)
    try:
        for _ in range(500):  # until the child has exited (state Z)
            with open('/proc/%d/stat' % zombie) as f:
                if f.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    break
            time.sleep(0.01)
        check_pid(tap, mseal, zombie, 'zombie')
    finally:
        os.waitpid(zombie, 0)
    return tap.status()


if __name__ == '__main__':
    sys.exit(main())
