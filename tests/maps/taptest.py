# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP output for the Python tests of `mseal maps` (imported from the
script's own folder)."""


class Tap:
    """Prints the plan, then one "ok"/"not ok" line per check."""

    def __init__(self, total):
        self.n = 0
        self.failed = 0
        print('1..%d' % total, flush=True)

    def check(self, ok, name, why=''):
        """One check; on failure up to ten lines of @why as comments."""
        self.n += 1
        if ok:
            print('ok %d - %s' % (self.n, name), flush=True)
            return
        self.failed += 1
        print('not ok %d - %s' % (self.n, name), flush=True)
        for line in str(why).splitlines()[:10]:
            print('# %s' % line, flush=True)

    def skip(self, name, why):
        self.n += 1
        print('ok %d - %s # SKIP %s' % (self.n, name, why), flush=True)

    def skip_rest(self, total, why):
        while self.n < total:
            self.skip('', why)

    def status(self):
        return 1 if self.failed else 0
