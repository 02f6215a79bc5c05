// SPDX-License-Identifier: GPL-2.0
/*
 * ks_bench: engagement targets for the killswitch benchmarks (bench/). It
 * defines 1,000 small functions, ksb_fn_000 to ksb_fn_999, that nothing
 * calls, so that a benchmark can engage many harmless functions at once.
 * Each function adds a different constant to its argument, so the compiler
 * cannot merge two of them into one address, and each is noinline and
 * __used, so it keeps its own symbol and ftrace call site.
 */
#include <linux/compiler.h>
#include <linux/module.h>

#define KSB_FN(n)							\
	static noinline __used int ksb_fn_##n(int x)			\
	{								\
		return x + __COUNTER__;					\
	}

#define KSB_TEN(p)							\
	KSB_FN(p##0) KSB_FN(p##1) KSB_FN(p##2) KSB_FN(p##3) KSB_FN(p##4) \
	KSB_FN(p##5) KSB_FN(p##6) KSB_FN(p##7) KSB_FN(p##8) KSB_FN(p##9)

#define KSB_HUNDRED(p)							\
	KSB_TEN(p##0) KSB_TEN(p##1) KSB_TEN(p##2) KSB_TEN(p##3)		\
	KSB_TEN(p##4) KSB_TEN(p##5) KSB_TEN(p##6) KSB_TEN(p##7)		\
	KSB_TEN(p##8) KSB_TEN(p##9)

KSB_HUNDRED(0)
KSB_HUNDRED(1)
KSB_HUNDRED(2)
KSB_HUNDRED(3)
KSB_HUNDRED(4)
KSB_HUNDRED(5)
KSB_HUNDRED(6)
KSB_HUNDRED(7)
KSB_HUNDRED(8)
KSB_HUNDRED(9)

MODULE_DESCRIPTION("killswitch benchmark targets: 1,000 functions that nothing calls");
MODULE_LICENSE("GPL");
