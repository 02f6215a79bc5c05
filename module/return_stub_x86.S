/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The code an engaged function runs instead of its body. The kprobe handler
 * has already put the return value in the return register, so this only
 * returns to the caller. SYM_FUNC_START starts it with ENDBR on kernels built
 * with IBT, and RET goes through the return thunk on kernels built with
 * RETHUNK. The kernel's own override_function_with_return() does the same
 * but is not exported to modules.
 */
#include <linux/linkage.h>

	.text
SYM_FUNC_START(ks_return_stub)
	RET
SYM_FUNC_END(ks_return_stub)
