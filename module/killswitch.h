/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KILLSWITCH_H
#define KILLSWITCH_H

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "ks_grammar.h"

/*
 * The state of an engagement, shown in the engaged file and fn/<symbol>/state.
 * Only an engagement on a module-qualified symbol (module:symbol) can be
 * pending or failed.
 */
enum ks_state {
	/* The kprobe is registered: every call returns the retval. */
	KS_STATE_ENGAGED,
	/* The module is not loaded; the kprobe is registered when it loads. */
	KS_STATE_PENDING,
	/* The module is loaded, but registering the kprobe failed. */
	KS_STATE_FAILED,
};

/*
 * One engagement. It lives from a successful engage until its disengage or
 * the unload of killswitch itself. An engagement on a plain symbol in a
 * module also ends when that module unloads; one on module:symbol goes back
 * to pending instead.
 */
struct ks_engagement {
	struct list_head node;
	struct kprobe kp;
	char symbol[KS_SYMBOL_MAX + 1];

	/* Written under ks_mutex; kp is registered only while KS_STATE_ENGAGED. */
	enum ks_state state;
	/* For KS_STATE_FAILED: the negative errno of the failed registration. */
	int arm_error;

	/* Read by the kprobe handler without a lock; written under ks_mutex. */
	long retval;

	/* Calls intercepted, one counter per CPU. */
	u64 __percpu *hits;

	/* The fn/<symbol>/ directory and its files. */
	struct dentry *dir;
	struct dentry *retval_file;
	struct dentry *hits_file;
	struct dentry *state_file;
};

/*
 * ks_mutex serialises every change of state: the engagement list, kprobe
 * registration, the fn/ entries and the i_private pointers of their inodes.
 * The module notifier takes it too, so a module's COMING and GOING events
 * are handled between two control commands, never during one.
 * The kprobe handler takes no lock; it only reads the engagement it belongs
 * to, which unregister_kprobe() keeps alive until the handler has returned.
 */
extern struct mutex ks_mutex;
extern struct list_head ks_engagements;

/* The operator action that caused a change, for the log line. */
enum ks_origin {
	KS_ORIGIN_CONTROL,
	KS_ORIGIN_PARAM,
};

/* engagement.c: the lifecycle. Each takes ks_mutex. */
int ks_engage(const char *symbol, long retval, enum ks_origin origin);
int ks_disengage(const char *symbol);
int ks_disengage_all(void);
int ks_set_retval(struct ks_engagement *eng, long retval);
void ks_module_coming(struct module *mod);
void ks_module_going(struct module *mod);

/* engagement.c: helpers for readers, which hold ks_mutex. */
u64 ks_engagement_hits(const struct ks_engagement *eng);
const char *ks_state_name(enum ks_state state);
bool ks_taint_set(void);

/* fs.c: the securityfs tree. */
int ks_fs_init(void);
void ks_fs_exit(void);
int ks_fs_add_function(struct ks_engagement *eng);
void ks_fs_remove_function(struct ks_engagement *eng);

/* control.c: the command dispatcher and write permission. */
int ks_writer_check(struct file *file);
int ks_control_execute(const char *buf, size_t len);
void ks_apply_param(const char *param);

/* modwatch.c: module load and unload notifications. */
int ks_modwatch_init(void);
void ks_modwatch_exit(void);

/* return_stub_x86.S */
void ks_return_stub(void);

#endif /* KILLSWITCH_H */
