// SPDX-License-Identifier: GPL-2.0
/*
 * The module watcher: tells the engagement lifecycle when a module goes
 * away, so that engagements on its functions are removed before its memory
 * is freed.
 */
#include <linux/module.h>
#include <linux/notifier.h>

#include "killswitch.h"

static int ks_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;

	/*
	 * GOING comes both for a normal unload and for a module whose init
	 * failed, in both cases before the module's text is freed.
	 */
	if (action == MODULE_STATE_GOING)
		ks_module_going(mod);

	return NOTIFY_OK;
}

static struct notifier_block ks_module_nb = {
	.notifier_call = ks_module_notify,
};

int ks_modwatch_init(void)
{
	return register_module_notifier(&ks_module_nb);
}

void ks_modwatch_exit(void)
{
	unregister_module_notifier(&ks_module_nb);
}
