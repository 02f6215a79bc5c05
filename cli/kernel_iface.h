/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The killswitch securityfs interface under ROOT/sys/kernel/security/
 * killswitch: the only code that writes the control file or reads the
 * engaged, taint and fn/ files.
 */
#ifndef KSCTL_KERNEL_IFACE_H
#define KSCTL_KERNEL_IFACE_H

#include <stdbool.h>

#include "util.h"

/* One line of the engaged file. */
struct engagement {
	char *symbol;
	long long retval;
	unsigned long long hits;
};

/* Return true if the control file exists, so the module is loaded. */
bool kernel_iface_present(const struct ksctl_env *env);

/*
 * Write one control command, such as "engage sym -1", in one write(2).
 * Returns 0 or the negative errno of open(2) or write(2).
 */
int kernel_iface_write_control(const struct ksctl_env *env, const char *command);

/*
 * Read the engaged file into @list (struct engagement pointers). Returns 0
 * or a negative errno; -EBADMSG for a line in an unknown format.
 */
int kernel_iface_read_engaged(const struct ksctl_env *env, struct ptr_array *list);
void engagements_free(struct ptr_array *list);

/*
 * Write @retval to fn/@symbol/retval, which changes the return value of an
 * engagement in place. Returns 0 or a negative errno.
 */
int kernel_iface_write_retval(const struct ksctl_env *env, const char *symbol,
			      long long retval);

/*
 * Read the lockdown level from ROOT/sys/kernel/security/lockdown: "none",
 * "integrity" or "confidentiality", or NULL without the lockdown LSM.
 * Returns a new string. At integrity and above the module rejects every
 * control write.
 */
char *kernel_iface_lockdown(const struct ksctl_env *env);

/* Read the taint file: 1 or 0, or a negative errno. */
int kernel_iface_read_taint(const struct ksctl_env *env);

/*
 * Read the version of the loaded killswitch module from ROOT/sys/module/
 * killswitch: "version", else "srcversion". Returns a new string or NULL.
 */
char *kernel_iface_module_version(const struct ksctl_env *env);

#endif /* KSCTL_KERNEL_IFACE_H */
