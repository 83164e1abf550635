#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`mseal probe`: exit codes, table, JSON, --quick, forced unsupported.

Prints TAP, one line per check. Checks that need a kernel with mseal are
skipped (with the release) when it has none, unless
LIBMSEAL_REQUIRE_MSEAL=1.
"""
import json
import os
import platform
import subprocess
import sys

MSEAL = sys.argv[1]
SECCOMP_DENY = sys.argv[2]
RESULTS = {'blocked', 'allowed', 'failed', 'ignored', 'n/a', 'not run'}
checks = []


def check(name, needs_mseal=False):
    def wrap(fn):
        checks.append((name, fn, needs_mseal))
        return fn
    return wrap


def run(*args, env=None, deny=None):
    full = dict(os.environ)
    full.pop('LIBMSEAL_FORCE_UNSUPPORTED', None)
    full.update(env or {})
    prefix = [SECCOMP_DENY, str(deny)] if deny is not None else []
    return subprocess.run(prefix + [MSEAL, 'probe', *args],
                          capture_output=True, text=True, env=full,
                          timeout=60)


def kernel_has_mseal():
    return run('--quick').returncode == 0


@check('table exits 0 and lists every operation', needs_mseal=True)
def _table():
    p = run()
    assert p.returncode == 0, (p.returncode, p.stderr)
    lines = p.stdout.splitlines()
    assert lines[0].split()[:3] == ['OPERATION', 'MAPPING', 'RESULT'], lines[0]
    assert len(lines) > 40, len(lines)
    assert p.stderr == '', p.stderr


@check('-J is valid JSON with the documented keys', needs_mseal=True)
def _json():
    p = run('-J', '--output-all')
    assert p.returncode == 0, p.stderr
    ops = json.loads(p.stdout)['operations']
    keys = {'operation', 'mapping', 'result', 'errno', 'side-effects',
            'expected', 'match', 'spec', 'note'}
    for op in ops:
        assert set(op) == keys, op
        assert op['result'] in RESULTS, op
        assert isinstance(op['match'], bool), op


@check('-J: sealed mprotect and munmap are blocked with EPERM',
       needs_mseal=True)
def _json_core_rows():
    ops = json.loads(run('-J').stdout)['operations']
    byname = {(o['operation'], o['mapping']): o for o in ops}
    for name in ('mprotect to rw-', 'munmap whole', 'mremap move, FIXED',
                 'mmap MAP_FIXED over it'):
        row = byname[(name, 'private anon r--')]
        assert row['result'] == 'blocked' and row['errno'] == 'EPERM', row
        assert row['side-effects'] == 'none', row


# ERRNO "-": no errno was set (success, or brk's unchanged break);
# SIDE-EFFECTS "-": not checked, "none": checked, nothing changed.
CELLS = {
    'mremap old_len 0': ('blocked', 'EPERM', 'none'),
    'munmap after fork': ('blocked', 'EPERM', 'none'),
    'brk shrink': ('blocked', '-', 'none'),
    'mlock': ('allowed', '-', '-'),
    'munmap whole': ('blocked', 'EPERM', 'none'),
}


@check('-J and the table: ERRNO and SIDE-EFFECTS cells', needs_mseal=True)
def _cells():
    ops = json.loads(run('-J', '--output-all').stdout)['operations']
    byname = {o['operation']: o for o in ops}
    for name, (result, err, side) in CELLS.items():
        row = byname[name]
        assert (row['result'], row['errno'], row['side-effects']) == \
            (result, err, side), row
    assert byname['brk shrink']['note'] == 'break unchanged', byname
    p = run('-n', '-o', 'RESULT,ERRNO,SIDE-EFFECTS,OPERATION')
    rows = {}
    for line in p.stdout.split('\n\n')[0].splitlines():
        f = line.split(None, 3)
        rows[f[3].rstrip()] = tuple(f[:3])
    for name, cells in CELLS.items():
        assert rows[name] == cells, (name, rows[name])


@check('--help: every column help starts in one place')
def _help_columns():
    out = run('--help').stdout
    lines = out.split('Available output columns:\n', 1)[1].splitlines()
    assert lines[0] == '    OPERATION  the call tried on sealed memory', lines
    assert lines[4].startswith(' SIDE-EFFECTS  what a refused call'), lines
    assert lines[8] == '         NOTE  more about the result', lines
    assert len(lines) == 9, lines
    starts = {len(l) - len(l.lstrip()) + len(l.split()[0]) for l in lines}
    assert starts == {13}, starts


@check('-J: the kernel summary names this release', needs_mseal=True)
def _json_kernel():
    kernel = json.loads(run('-J').stdout)['kernel']
    assert len(kernel) == 1, kernel
    assert kernel[0]['release'] == platform.release(), kernel
    assert kernel[0]['mseal'] == 'works', kernel


@check('-J: every operation ran (none "not run")', needs_mseal=True)
def _all_ran():
    ops = json.loads(run('-J').stdout)['operations']
    assert all(o['result'] != 'not run' for o in ops), ops


@check('--quick exits 0 with one line', needs_mseal=True)
def _quick():
    p = run('--quick')
    assert p.returncode == 0
    assert p.stdout.count('\n') == 1 and 'mseal works' in p.stdout, p.stdout


@check('--quick -J is JSON saying supported', needs_mseal=True)
def _quick_json():
    d = json.loads(run('--quick', '-J').stdout)
    assert d['supported'] is True and d['release'] == platform.release(), d


@check('LIBMSEAL_FORCE_UNSUPPORTED=1 exits 2 with one stderr line')
def _forced():
    p = run(env={'LIBMSEAL_FORCE_UNSUPPORTED': '1'})
    assert p.returncode == 2, p.returncode
    assert p.stdout == '', p.stdout
    err = p.stderr.splitlines()
    assert len(err) == 1 and err[0].startswith('mseal: '), err
    assert 'LIBMSEAL_FORCE_UNSUPPORTED' in err[0], err


@check('forced unsupported: --quick also exits 2, stdout empty')
def _forced_quick():
    p = run('--quick', env={'LIBMSEAL_FORCE_UNSUPPORTED': '1'})
    assert p.returncode == 2 and p.stdout == '', p


@check('forced unsupported: -J and --quick -J print JSON saying why, exit 2')
def _forced_json():
    for args in (('-J',), ('--quick', '-J'), ('-J', '-o', 'OPERATION')):
        p = run(*args, env={'LIBMSEAL_FORCE_UNSUPPORTED': '1'})
        assert p.returncode == 2, (args, p)
        d = json.loads(p.stdout)
        assert d == {'supported': False, 'release': platform.release(),
                     'seal': 'none',
                     'reason': 'LIBMSEAL_FORCE_UNSUPPORTED is set'}, d
        err = p.stderr.splitlines()
        assert len(err) == 1 and err[0].startswith('mseal: probe: '), err
        assert 'LIBMSEAL_FORCE_UNSUPPORTED' in err[0], err


@check('a sealed page has "sl" and refuses mprotect: SEAL native',
       needs_mseal=True)
def _seal_native():
    kernel = json.loads(run('-J').stdout)['kernel']
    assert kernel[0]['seal'] == 'native', kernel
    d = json.loads(run('--quick', '-J').stdout)
    assert d['seal'] == 'native', d
    first = run().stdout.split('\n\n')[-1].splitlines()
    assert first[0].split()[-1] == 'SEAL' and \
        first[1].split()[-1] == 'native', first


@check('seccomp faking success for mseal (RET_ERRNO|0): "not effective", '
       'exit 2')
def _seccomp_fake_success():
    p = run(deny=0)  # SECCOMP_RET_ERRNO | 0: mseal "returns 0"
    assert p.returncode == 2 and p.stdout == '', (p.returncode, p.stdout)
    err = p.stderr.splitlines()
    assert len(err) == 1 and err[0].startswith('mseal: probe: '), err
    assert 'does not hold' in err[0] and 'mprotect succeeded' in err[0], err
    for args in (('-J',), ('--quick', '-J')):
        p = run(*args, deny=0)
        assert p.returncode == 2, (args, p)
        d = json.loads(p.stdout)
        assert d['supported'] is False and d['seal'] == 'not effective', d
        assert 'no "sl" flag' in d['reason'], d
        assert len(p.stderr.splitlines()) == 1, p.stderr


@check('LIBMSEAL_FALLBACK=seccomp, forced unsupported: seal "emulated", '
       'exit 2')
def _emulated():
    env = {'LIBMSEAL_FORCE_UNSUPPORTED': '1', 'LIBMSEAL_FALLBACK': 'seccomp'}
    p = run('-J', env=env)
    assert p.returncode == 2, p
    d = json.loads(p.stdout)
    assert d['supported'] is False and d['seal'] == 'emulated', d
    assert d['reason'].startswith('LIBMSEAL_FORCE_UNSUPPORTED is set; '), d
    err = p.stderr.splitlines()
    assert len(err) == 1 and 'emulates it' in err[0], err


@check('R04: seccomp answering EPERM exits 2 naming seccomp')
def _seccomp_eperm():
    p = run(deny=1)  # EPERM
    assert p.returncode == 2, (p.returncode, p.stderr)
    err = p.stderr.splitlines()
    assert len(err) == 1 and 'seccomp' in err[0], err


@check('seccomp answering ENOSYS exits 2 naming seccomp, --quick too')
def _seccomp_enosys():
    for args in ((), ('--quick',)):
        p = run(*args, deny=38)  # ENOSYS
        assert p.returncode == 2 and p.stdout == '', (args, p)
        err = p.stderr.splitlines()
        assert len(err) == 1 and 'seccomp' in err[0], err


@check('-H lists the columns and exits 0')
def _list_columns():
    p = run('-H')
    assert p.returncode == 0
    names = [l.split()[0] for l in p.stdout.splitlines()]
    assert 'OPERATION' in names and 'SIDE-EFFECTS' in names, names


@check('-o OPERATION,MATCH -n shows two columns', needs_mseal=True)
def _columns():
    p = run('-o', 'OPERATION,MATCH', '-n', '-r')
    assert p.returncode == 0
    first = p.stdout.splitlines()[0]
    assert first.split()[-1] in ('0', '1'), first


@check('unknown option and column exit 1 with mseal: message')
def _bad():
    for args in (('--bogus',), ('-o', 'NOPE'), ('extra',)):
        p = run(*args)
        assert p.returncode == 1, (args, p.returncode)
        assert p.stderr.startswith('mseal: probe: '), p.stderr


@check('--help exits 0')
def _help():
    p = run('--help')
    assert p.returncode == 0 and 'Usage: mseal probe' in p.stdout


def main():
    have = kernel_has_mseal()
    require = os.environ.get('LIBMSEAL_REQUIRE_MSEAL') == '1'
    print('1..%d' % len(checks))
    status = 0
    for i, (name, fn, needs) in enumerate(checks, 1):
        if needs and not have and not require:
            print('ok %d - %s # SKIP no mseal on kernel %s' %
                  (i, name, platform.release()))
            continue
        try:
            fn()
            print('ok %d - %s' % (i, name))
        except Exception as e:  # noqa: BLE001 - report any failure
            print('not ok %d - %s' % (i, name))
            print('# %r' % (e,))
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
