// SPDX-License-Identifier: LGPL-2.1-or-later
/* A small program linked against ten shared libraries: with libc, ld.so,
 * the shim and libmseal, 15 objects to seal at start-up. */
int bench_lib0(int x);
int bench_lib1(int x);
int bench_lib2(int x);
int bench_lib3(int x);
int bench_lib4(int x);
int bench_lib5(int x);
int bench_lib6(int x);
int bench_lib7(int x);
int bench_lib8(int x);
int bench_lib9(int x);

int main(int argc, char **argv)
{
	int x = argc;

	x = bench_lib0(x) + bench_lib1(x) + bench_lib2(x) + bench_lib3(x) +
	    bench_lib4(x) + bench_lib5(x) + bench_lib6(x) + bench_lib7(x) +
	    bench_lib8(x) + bench_lib9(x);
	return x == 0;
}
