// SPDX-License-Identifier: LGPL-2.1-or-later
/* One of the ten libraries the start-up benchmark program links; built
 * ten times with BENCH_LIB = 0..9. */
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

int CAT(bench_lib, BENCH_LIB)(int x);

static const char tag[] = "bench library";
extern const char *CAT(bench_tag, BENCH_LIB);
const char *CAT(bench_tag, BENCH_LIB) = tag;

int CAT(bench_lib, BENCH_LIB)(int x)
{
	return x + BENCH_LIB + (int)sizeof(tag);
}
