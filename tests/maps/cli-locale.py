#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`mseal` under the user's locale (TAP): paths and numbers.

A child maps three files whose names hold UTF-8 ("café"), a byte that is
not UTF-8 (0xff) and an escape character (ESC[31m), then sleeps. The PATH
cells of `mseal maps` must show the UTF-8 name as itself under C.UTF-8 and
as \\xHH under C, must never let 0xff or ESC reach the terminal raw, and
-J must be valid JSON with the UTF-8 name as UTF-8. Locales generated here
with localedef(1) check that a Turkish locale does not break column names
(-o size) and that a German one does not turn the Prometheus output's
decimal point into a comma.

Usage: cli-locale.py MSEAL
"""
import json
import os
import subprocess
import sys
import tempfile

from taptest import Tap

NAMES = (b'caf\xc3\xa9', b'bad\xffbyte', b'esc\x1b[31mred')
CHILD = r'''
import mmap, os, sys, time
keep = []
for name in sys.argv[2:]:
    p = os.path.join(os.fsencode(sys.argv[1]), os.fsencode(name))
    with open(p, 'wb') as f:
        f.write(b'x' * 4096)
    f = open(p, 'rb')
    keep.append((f, mmap.mmap(f.fileno(), 4096, prot=mmap.PROT_READ)))
print('ready', flush=True)
time.sleep(600)
'''


def mseal(argv, locale, locpath=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('LC_') and k not in ('LANG', 'LANGUAGE')}
    env['LC_ALL'] = locale
    if locpath:
        env['LOCPATH'] = locpath
    return subprocess.run(argv, capture_output=True, env=env, timeout=60)


def table_cells(stdout, prefix):
    """PATH cells of the mappings table (before the summary's OBJECT
    header) that start with @prefix, trailing padding removed."""
    table = stdout.split(b'\nOBJECT ')[0]
    return sorted(line.rstrip(b' ') for line in table.split(b'\n')
                  if line.startswith(prefix))


def check_paths(tap, binary, pid, d):
    pre = os.fsencode(d) + b'/'
    want_utf8 = sorted([pre + b'caf\xc3\xa9', pre + b'bad\\xffbyte',
                        pre + b'esc\\x1b[31mred'])
    want_c = sorted([pre + b'caf\\xc3\\xa9', pre + b'bad\\xffbyte',
                     pre + b'esc\\x1b[31mred'])
    for locale, want in (('C.UTF-8', want_utf8), ('C', want_c)):
        p = mseal([binary, 'maps', '-o', 'PATH', str(pid)], locale)
        got = table_cells(p.stdout, pre)
        tap.check(p.returncode == 0 and got == want,
                  'LC_ALL=%s: table PATH cells' % locale,
                  '%r\n!= %r\n%r' % (got, want, p.stderr))
        p2 = mseal([binary, 'maps', '-r', '-o', 'PATH', str(pid)], locale)
        raw = table_cells(p2.stdout, pre)
        tap.check(p2.returncode == 0 and raw == want_c,
                  'LC_ALL=%s: -r writes non-ASCII bytes as \\xHH' % locale,
                  '%r != %r' % (raw, want_c))
        tap.check(b'\x1b' not in p.stdout + p2.stdout and
                  b'\xff' not in p.stdout + p2.stdout,
                  'LC_ALL=%s: no raw ESC or 0xff on stdout' % locale,
                  repr(p.stdout))
        j = mseal([binary, 'maps', '-J', '-o', 'PATH', str(pid)], locale)
        try:
            doc = json.loads(j.stdout.decode('utf-8'))
            paths = sorted(m['path'] for m in doc['mappings']
                           if (m['path'] or '').startswith(d + '/'))
            objs = sorted(o['object'] for o in doc['objects']
                          if (o['object'] or '').startswith(d + '/'))
        except (ValueError, KeyError) as e:
            paths = objs = repr(e)
        want_j = sorted([d + '/caf\u00e9', d + '/bad\\xffbyte',
                         d + '/esc\x1b[31mred'])
        tap.check(j.returncode == 0 and paths == want_j and objs == want_j,
                  'LC_ALL=%s: -J is valid JSON, UTF-8 as UTF-8' % locale,
                  '%r\n%r\n!= %r' % (paths, objs, want_j))
        tap.check(pre + b'caf\xc3\xa9"' in j.stdout and
                  b'\x1b' not in j.stdout and b'\xff' not in j.stdout,
                  'LC_ALL=%s: -J bytes: UTF-8 kept, ESC and 0xff escaped'
                  % locale, repr(j.stdout[-400:]))


def check_generated(tap, binary, locdir):
    made = {}
    for name, src in (('tr_TR.UTF-8', 'tr_TR'), ('de_DE.UTF-8', 'de_DE')):
        r = subprocess.run(['localedef', '-i', src, '-f', 'UTF-8',
                            os.path.join(locdir, name)],
                           capture_output=True, text=True)
        made[name] = os.path.isdir(os.path.join(locdir, name))
        tap.check(made[name], 'localedef %s (Debian package locales)' % name,
                  r.stderr)
    # Turkish: 'I' and 'i' are not one letter's two cases there.
    p = mseal([binary, 'maps', '-o', 'size,inode,path', 'self'],
              'tr_TR.UTF-8', locdir)
    head = p.stdout.split(b'\n')[0].split()
    tap.check(p.returncode == 0 and head == [b'SIZE', b'INODE', b'PATH'],
              'tr_TR.UTF-8: -o size,inode,path finds the columns',
              '%r %r' % (head, p.stderr))
    # German: a decimal comma would break the Prometheus text format.
    p = mseal([binary, 'ps', '--prometheus'], 'de_DE.UTF-8', locdir)
    ratios = [line.rsplit(b' ', 1)[1] for line in p.stdout.split(b'\n')
              if line.startswith(b'mseal_') and b'_ratio' in line]
    bad = [r for r in ratios if b',' in r or b'.' not in r]
    tap.check(p.returncode == 0 and ratios and not bad,
              'de_DE.UTF-8: ps --prometheus ratios keep the decimal point',
              '%r %r' % (bad[:5] or ratios[:5], p.stderr[-300:]))


def main():
    binary = sys.argv[1]
    tap = Tap(2 * 5 + 4)
    with tempfile.TemporaryDirectory(prefix='mseal-locale-') as d:
        child = subprocess.Popen(['/usr/bin/python3', '-c', CHILD, d] +
                                 [os.fsdecode(n) for n in NAMES],
                                 stdout=subprocess.PIPE)
        try:
            ready = child.stdout.readline()
            if ready != b'ready\n':
                tap.check(False, 'the mapping child starts', repr(ready))
                return 1
            check_paths(tap, binary, child.pid, d)
        finally:
            child.kill()
            child.wait()
        locdir = os.path.join(d, 'locales')
        os.mkdir(locdir)
        check_generated(tap, binary, locdir)
    return tap.status()


if __name__ == '__main__':
    sys.exit(main())
