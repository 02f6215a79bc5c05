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

/*
 * One line of the engaged file: "SYMBOL retval=VALUE hits=COUNT", then
 * optional " key=value" fields. A field left out has its default.
 */
struct engagement {
	char *symbol;
	long long retval;
	unsigned long long hits;
	/* The state= field, or NULL when the line has none. */
	char *state;
	/* mode=, scope= and irq=block|pass: "enforce", "all" and "block" by default. */
	char *mode;
	char *scope;
	char *irq_policy;
	/* char *: the allow= fields, in the order listed. */
	struct ptr_array allow;
	/* passed= and irq=COUNT, listed for scoped engagements only. */
	bool have_counts;
	unsigned long long passed;
	unsigned long long irq_calls;
};

/*
 * One line of fn/SYMBOL/callers. The last line may be "other calls=N", the
 * calls from sites beyond the listed ones, which has no task.
 */
struct caller {
	/* The call site as the kernel prints it with %pS, such as "f+0x1c/0x40". */
	char *site;
	unsigned long long calls;
	/* The latest call's task, if have_task. */
	bool have_task;
	long long pid;
	char *comm;
	unsigned long long uid;
};

/* The contents of fn/SYMBOL/last_blocked other than "none". */
struct blocked_call {
	long long pid;
	char *comm;
	unsigned long long uid;
	/* Seconds since the Unix epoch. */
	long long time;
};

/* Return true if the control file exists, so the module is loaded. */
bool kernel_iface_present(const struct ksctl_env *env);

/*
 * Format a control command, such as "engage sym -1 scope=nonroot", and
 * check it with the shared grammar that the module uses. Returns the new
 * command, or NULL with a new message in @error that quotes the invalid
 * word and names what to write instead.
 */
char *kernel_iface_build_command(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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

/* Parse one engaged line; returns NULL for a line in an unknown format. */
struct engagement *kernel_iface_parse_engaged_line(const char *line);

/*
 * Read the first line of fn/@symbol/@file, such as fn/getpgid/state.
 * Returns a new string, or NULL with errno set.
 */
char *kernel_iface_read_fn(const struct ksctl_env *env, const char *symbol,
			   const char *file);

/*
 * Read a counter of fn/@symbol: hits, passed, irq or timeout_left. Returns
 * 0, or a negative errno; -EBADMSG if the file is not a number.
 */
int kernel_iface_read_fn_counter(const struct ksctl_env *env, const char *symbol,
				 const char *file, unsigned long long *value);

/*
 * Read fn/@symbol/callers into @callers (struct caller pointers). Returns 0
 * or a negative errno; -EBADMSG for a line in an unknown format.
 */
int kernel_iface_read_callers(const struct ksctl_env *env, const char *symbol,
			      struct ptr_array *callers);
void callers_free(struct ptr_array *callers);

/*
 * Read fn/@symbol/last_blocked. Returns 1 with @call filled, 0 if it is
 * "none", or a negative errno; -EBADMSG for an unknown format. Free
 * @call->comm after a return of 1.
 */
int kernel_iface_read_last_blocked(const struct ksctl_env *env, const char *symbol,
				   struct blocked_call *call);
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
