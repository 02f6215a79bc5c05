// SPDX-License-Identifier: GPL-2.0
/*
 * The module watcher: notifies the engagement lifecycle when a module comes,
 * so that pending engagements on its functions are armed before its init
 * function runs, and when it goes, before its memory is freed.
 */
#include <linux/module.h>
#include <linux/notifier.h>

#include "killswitch.h"

/*
 * Both handlers take ks_mutex, so a notification waits for a control
 * command in progress and the other way round. Nothing done under ks_mutex
 * waits for a module load or unload to finish, so the two cannot deadlock.
 */
static int ks_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;

	switch (action) {
	case MODULE_STATE_COMING:
		/*
		 * On 6.1 and 6.12, load_module() enables the module's ftrace
		 * records and then sends COMING, before the init function
		 * runs. The module's symbols resolve as module:symbol from
		 * then on.
		 */
		ks_module_coming(mod);
		break;
	case MODULE_STATE_GOING:
		/*
		 * GOING comes both for a normal unload and for a module
		 * whose init failed, in both cases before the module's text
		 * is freed.
		 */
		ks_module_going(mod);
		break;
	}

	return NOTIFY_OK;
}

/*
 * Below the kprobe core's notifier (priority 0), which at COMING adds the
 * module's kprobe blacklist that register_kprobe() must see.
 */
static struct notifier_block ks_module_nb = {
	.notifier_call = ks_module_notify,
	.priority = -1,
};

int ks_modwatch_init(void)
{
	return register_module_notifier(&ks_module_nb);
}

void ks_modwatch_exit(void)
{
	unregister_module_notifier(&ks_module_nb);
}
