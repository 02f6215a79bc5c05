// SPDX-License-Identifier: GPL-2.0
/*
 * ks_bench.ko: engagement targets for the killswitch benchmarks. The module
 * links ks_bench_targets.c, which bench/module/gen-targets writes at build
 * time: 1,000 small functions, ksb_fn_000 to ksb_fn_999, that nothing calls,
 * so that a benchmark can engage many harmless functions at once.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("killswitch benchmark targets: 1,000 functions that nothing calls");
MODULE_LICENSE("GPL");
