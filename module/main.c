// SPDX-License-Identifier: GPL-2.0
/*
 * killswitch: make a chosen kernel function return a fixed value without
 * running its body, as an emergency mitigation until a fixed kernel boots.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>

#include "killswitch.h"

static char *engage;
module_param(engage, charp, 0444);
MODULE_PARM_DESC(engage,
		 "Engagements applied at load, as symbol=retval[,symbol=retval...]");

static int __init ks_init(void)
{
	int ret;

	ks_wq = alloc_workqueue("killswitch", 0, 0);
	if (!ks_wq)
		return -ENOMEM;

	ret = ks_fs_init();
	if (ret) {
		pr_err("cannot create /sys/kernel/security/killswitch: error %d\n",
		       ret);
		destroy_workqueue(ks_wq);
		return ret;
	}

	ret = ks_modwatch_init();
	if (ret) {
		pr_err("cannot register the module notifier: error %d\n", ret);
		ks_fs_exit();
		destroy_workqueue(ks_wq);
		return ret;
	}

	if (engage)
		ks_apply_param(engage);

	pr_info("loaded\n");
	return 0;
}

static void __exit ks_exit(void)
{
	int count;

	ks_modwatch_exit();
	count = ks_disengage_all();
	ks_fs_exit();

	/* Wait for a tryengage work that aborted its engagement by itself. */
	destroy_workqueue(ks_wq);

	/*
	 * A task may have been preempted after the kprobe handler pointed it
	 * at ks_return_stub and before it ran the stub's return. Unregistering
	 * the kprobes does not wait for such a task, but a tasks-RCU grace
	 * period does, since it ends only when every task has passed a
	 * voluntary context switch or user mode. The stub lives in this
	 * module's text, which is freed after this function returns. An
	 * engagement removed earlier through the control file leaves the same
	 * window, so the wait is unconditional.
	 */
	synchronize_rcu_tasks();

	pr_info("unloaded, %d engagement(s) removed\n", count);
}

module_init(ks_init);
module_exit(ks_exit);

MODULE_DESCRIPTION("Make chosen kernel functions return a fixed value");
MODULE_LICENSE("GPL");
