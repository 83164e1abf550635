// SPDX-License-Identifier: LGPL-2.1-or-later
/* A small shared object and program for `mseal check` fixtures; what is
 * tested is how it is linked (RELRO, BIND_NOW, stack, gaps, static). */
int fixture_counter = 1;
static int *const fixture_ptr = &fixture_counter; /* lands in RELRO */

int fixture_get(void);
int fixture_get(void)
{
	return *fixture_ptr;
}

#ifdef FIXTURE_INTERP
/* A library that also names a program interpreter, as libc.so.6 and some
 * PAM modules do: PT_INTERP without DF_1_PIE or DT_DEBUG. */
const char fixture_interp[] __attribute__((section(".interp"))) =
	"/lib64/ld-linux-x86-64.so.2";
#endif

#ifdef FIXTURE_MAIN
int main(void)
{
	return fixture_get() - 1;
}
#endif
