#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Live test of `mseal maps` (TAP): a child seals a page and sleeps; the
JSON of `mseal maps -J PID` must agree with /proc/PID/smaps, read here with
a parser of our own, on start, end, perms, offset, dev, inode, path and
sealed for every mapping, and the summary must add up.

Usage: cli-live.py MSEAL SEALER
"""
import json
import os
import re
import subprocess
import sys

from taptest import Tap

HEADER = re.compile(r'^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) '
                    r'([0-9a-f]+):([0-9a-f]+) (\d+)(?: +(.*))?$')


def read_smaps(pid):
    """Mappings of @pid as dicts, straight from the kernel's text."""
    maps = []
    with open('/proc/%d/smaps' % pid, 'rb') as f:
        for raw in f.read().decode('utf-8', 'surrogateescape').split('\n'):
            m = HEADER.match(raw)
            if m:
                maps.append({
                    'start': int(m.group(1), 16), 'end': int(m.group(2), 16),
                    'perms': m.group(3), 'offset': int(m.group(4), 16),
                    'dev': '%d:%d' % (int(m.group(5), 16),
                                      int(m.group(6), 16)),
                    'inode': int(m.group(7)), 'path': m.group(8) or '',
                    'sealed': False})
            elif raw.startswith('VmFlags:'):
                maps[-1]['sealed'] = 'sl' in raw.split()[1:]
    return maps


def compare(ours, kernel):
    """Differences between `mseal maps -J` rows and smaps, as strings."""
    diffs = []
    if len(ours) != len(kernel):
        diffs.append('%d mappings, smaps has %d' % (len(ours), len(kernel)))
    for o, k in zip(ours, kernel):
        path = o['path'] or ''
        if o['deleted']:
            path += ' (deleted)'
        got = {'start': int(o['start'], 16), 'end': int(o['end'], 16),
               'perms': o['perms'], 'offset': o['offset'], 'dev': o['dev'],
               'inode': o['inode'], 'path': path, 'sealed': o['sealed']}
        for key, want in k.items():
            if got[key] != want:
                diffs.append('%s at %#x: %r != smaps %r'
                             % (key, k['start'], got[key], want))
        for key in ('start', 'end'):
            if o[key] != o[key].lower() or not o[key].startswith('0x'):
                diffs.append('%s %r is not lowercase 0x hex' % (key, o[key]))
    return diffs


def main():
    mseal, sealer = sys.argv[1], sys.argv[2]
    total = 4
    tap = Tap(total)
    child = subprocess.Popen([sealer], stdout=subprocess.PIPE, text=True)
    try:
        words = child.stdout.readline().split()
        if not words:
            tap.check(False, 'helper starts', 'no output')
            tap.skip_rest(total, 'helper failed')
            return 1
        if words[0] == 'NOMSEAL':
            why = 'mseal unavailable (%s) on kernel %s' % (
                ' '.join(words[1:]), os.uname().release)
            if os.environ.get('LIBMSEAL_REQUIRE_MSEAL') == '1':
                tap.check(False, 'kernel seals', why)
            tap.skip_rest(total, why)
            return 1 if tap.failed else 0
        addr, page = int(words[1], 16), int(words[3])
        run = subprocess.run([mseal, 'maps', '-J', '--output-all',
                              str(child.pid)], capture_output=True,
                             text=True)
        kernel = read_smaps(child.pid)
        tap.check(run.returncode == 0 and not run.stderr,
                  'mseal maps -J exits 0', run.stderr.strip())
        doc = json.loads(run.stdout) if run.returncode == 0 else {}
        ours = doc.get('mappings', [])
        diffs = compare(ours, kernel)
        tap.check(not diffs and ours, 'agrees with smaps on every mapping',
                  '; '.join(diffs[:5]))
        by_start = {int(o['start'], 16): o for o in ours}
        sealed = by_start.get(addr + page, {})
        control = by_start.get(addr, {})
        tap.check(sealed.get('sealed') is True and
                  int(sealed.get('end', '0'), 16) == addr + 2 * page and
                  control.get('sealed') is False,
                  'sealed page true, unsealed control false',
                  'sealed %r control %r' % (sealed, control))
        objects = doc.get('objects', [])
        exe = os.path.realpath('/proc/%d/exe' % child.pid)
        mine = [k for k in kernel if k['path'] == exe]
        obj = [o for o in objects if o['object'] == exe]
        want = {'maps': len(mine),
                'r-x': sum(k['end'] - k['start'] for k in mine
                           if k['perms'][:3] == 'r-x'),
                'r--': sum(k['end'] - k['start'] for k in mine
                           if k['perms'][:3] == 'r--'),
                'sealed': sum(1 for k in mine if k['sealed'])}
        got = {key: obj[0][key] for key in want} if len(obj) == 1 else None
        tap.check(got == want, 'summary of the helper adds up',
                  '%r != %r' % (got, want))
    finally:
        child.kill()
        child.wait()
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
