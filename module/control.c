// SPDX-License-Identifier: GPL-2.0
/*
 * The control-file dispatcher: commands in through the shared grammar,
 * engagement calls out. Also applies the engage= module parameter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/string.h>

#include "killswitch.h"

/*
 * Writes need CAP_SYS_ADMIN in the initial user namespace, both for the
 * process that opened the file and for the one writing. They are refused
 * under lockdown at the integrity level or above, because an engagement
 * changes what kernel code does; confidentiality also forbids kprobes. The
 * engage= module parameter still applies at load, which under lockdown
 * needs a module signed with a key the kernel trusts.
 */
int ks_writer_check(struct file *file)
{
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) ||
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;

	if (security_locked_down(LOCKDOWN_INTEGRITY_MAX) ||
	    security_locked_down(LOCKDOWN_KPROBES)) {
		pr_info_ratelimited("rejected write by uid=%u comm=%s: the kernel is locked down; use the engage= module parameter at load instead\n",
				    from_kuid(&init_user_ns, current_uid()),
				    current->comm);
		return -EPERM;
	}

	return 0;
}

/* Parse and run one control write. Returns 0 or a negative errno. */
int ks_control_execute(const char *buf, size_t len)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	if (ks_parse_command(buf, len, &cmd, &err) != KS_PARSE_OK) {
		pr_info_ratelimited("rejected control write at byte %zu by uid=%u comm=%s: %s\n",
				    err.offset,
				    from_kuid(&init_user_ns, current_uid()),
				    current->comm,
				    ks_parse_status_message(err.status));
		return -EINVAL;
	}

	switch (cmd.verb) {
	case KS_VERB_ENGAGE:
	case KS_VERB_TRYENGAGE:
		return ks_engage(&cmd, buf, KS_ORIGIN_CONTROL);
	case KS_VERB_DISENGAGE:
		return ks_disengage(cmd.symbol);
	case KS_VERB_DISENGAGE_ALL:
		ks_disengage_all();
		return 0;
	}
	return -EINVAL;
}

/*
 * Engage each symbol=retval entry of the comma-separated @param. A malformed
 * or failing entry is logged and skipped; the others still engage.
 */
void ks_apply_param(const char *param)
{
	const char *entry = param;

	while (*entry) {
		size_t len = strcspn(entry, ",");
		struct ks_parse_error err;
		struct ks_command cmd;
		int ret;

		if (ks_parse_param_entry(entry, len, &cmd, &err) != KS_PARSE_OK) {
			pr_warn("engage=: skipped entry '%.*s': %s\n",
				(int)min_t(size_t, len, KS_SYMBOL_MAX + 32),
				entry, ks_parse_status_message(err.status));
		} else {
			ret = ks_engage(&cmd, entry, KS_ORIGIN_PARAM);
			if (ret)
				pr_warn("engage=: cannot engage %s: error %d\n",
					cmd.symbol, ret);
		}

		entry += len;
		if (*entry == ',')
			entry++;
	}
}
