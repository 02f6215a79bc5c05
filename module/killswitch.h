/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KILLSWITCH_H
#define KILLSWITCH_H

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "ks_grammar.h"

/*
 * Whether the kprobe of an engagement is registered. Only an engagement on a
 * module-qualified symbol (module:symbol) can be pending or failed. The state
 * shown to users refines KS_STATE_ENGAGED by mode and scope, see
 * ks_state_label().
 */
enum ks_state {
	/* The kprobe is registered and its handler runs on every call. */
	KS_STATE_ENGAGED,
	/* The module is not loaded; the kprobe is registered when it loads. */
	KS_STATE_PENDING,
	/* The module is loaded, but registering the kprobe failed. */
	KS_STATE_FAILED,
};

/* Call counters of one engagement, one set per CPU. */
struct ks_counters {
	/* Calls blocked, or in observe mode and while probing, counted. */
	u64 hits;
	/* Calls let through by the scope, the allow list or irq=pass. */
	u64 passed;
	/* Calls in interrupt or softirq context, also counted in hits or passed. */
	u64 irq;
};

/* Maximum number of distinct call sites that fn/<symbol>/callers lists. */
#define KS_CALLERS_MAX 16

/* A call site of an observed function and the latest task that used it. */
struct ks_caller {
	/* The return address at function entry; 0 if it could not be read. */
	unsigned long site;
	u64 calls;
	pid_t pid;
	uid_t uid;
	char comm[TASK_COMM_LEN];
};

/* The task of the most recent blocked call. */
struct ks_blocked_call {
	bool valid;
	pid_t pid;
	uid_t uid;
	char comm[TASK_COMM_LEN];
	time64_t time;
};

/*
 * The reports of an engagement: callers, the last blocked call and the
 * state of the warning limiter. The kprobe handler writes them from any
 * context but NMI, so a raw spinlock taken with interrupts off protects them.
 */
struct ks_reports {
	raw_spinlock_t lock;
	struct ks_caller callers[KS_CALLERS_MAX];
	unsigned int caller_count;
	/* Calls from sites that found the callers table full. */
	u64 unlisted_calls;
	struct ks_blocked_call last_blocked;
	/* jiffies at the start of the current warning window. */
	unsigned long window_start;
	unsigned int window_printed;
	unsigned int suppressed;
};

/* The files of fn/<symbol>/, one per value of an engagement. */
enum ks_fn_field {
	KS_FN_RETVAL,
	KS_FN_HITS,
	KS_FN_STATE,
	KS_FN_PASSED,
	KS_FN_IRQ,
	KS_FN_TIMEOUT_LEFT,
	KS_FN_LAST_BLOCKED,
	KS_FN_CALLERS,
	KS_FN_NR,
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
	/* True in observe mode and while probing: count, never block. */
	bool observe;

	/* Options, fixed from engage to disengage. */
	u8 scope;			/* enum ks_scope */
	u8 irq;				/* enum ks_irq */
	u8 mode;			/* enum ks_mode as requested */
	unsigned int allow_count;
	/*
	 * The allow list: each path as written and its resolved location. The
	 * path references keep the inodes, which the handler compares with
	 * the caller's executable, alive until the engagement is freed.
	 */
	char *allow_name[KS_ALLOW_MAX];
	struct path allow[KS_ALLOW_MAX];

	/*
	 * tryengage: the end of the window commits or aborts the engagement.
	 * Lifetime rule: probe_work may run until cancel_delayed_work_sync()
	 * returns, and it takes ks_mutex. So every path that frees an
	 * engagement (disengage, disengage_all, the unload of the module that
	 * holds the function, rmmod killswitch) unlinks it under ks_mutex,
	 * drops the mutex, cancels the work, and only then frees it. Unlinking
	 * clears probing, and the work does nothing for an engagement whose
	 * probing is clear. When the work aborts an engagement it unlinks and
	 * frees it itself.
	 */
	struct delayed_work probe_work;
	/* True from tryengage to the end of the window; under ks_mutex. */
	bool probing;
	unsigned int probe_seconds;
	/* jiffies at the end of the window. */
	unsigned long probe_end;

	struct ks_counters __percpu *counters;
	struct ks_reports reports;

	/* The fn/<symbol>/ directory and its files. */
	struct dentry *dir;
	struct dentry *files[KS_FN_NR];
};

/* Return true if @eng judges callers, so that some calls may pass. */
static inline bool ks_is_scoped(const struct ks_engagement *eng)
{
	return eng->scope != KS_SCOPE_ALL || eng->allow_count;
}

/* The sums over all CPUs of struct ks_counters. */
struct ks_counts {
	u64 hits;
	u64 passed;
	u64 irq;
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

/* Runs the tryengage probe works; destroyed, and so drained, at unload. */
extern struct workqueue_struct *ks_wq;

/* The operator action that caused a change, for the log line. */
enum ks_origin {
	KS_ORIGIN_CONTROL,
	KS_ORIGIN_PARAM,
};

/* engagement.c: the lifecycle. Each takes ks_mutex. */
int ks_engage(const struct ks_command *cmd, const char *buf,
	      enum ks_origin origin);
int ks_disengage(const char *symbol);
int ks_disengage_all(void);
int ks_set_retval(struct ks_engagement *eng, long retval);
void ks_module_coming(struct module *mod);
void ks_module_going(struct module *mod);

/* engagement.c: helpers for readers, which hold ks_mutex. */
u64 ks_engagement_hits(const struct ks_engagement *eng);
struct ks_counts ks_engagement_counts(const struct ks_engagement *eng);
const char *ks_state_label(const struct ks_engagement *eng);
unsigned int ks_timeout_left(const struct ks_engagement *eng);
bool ks_taint_set(void);

/* scope.c: the allow list and the decision to let a call through. */
int ks_allow_resolve(struct ks_engagement *eng, const struct ks_command *cmd,
		     const char *buf);
void ks_allow_release(struct ks_engagement *eng);
bool ks_call_exempt(const struct ks_engagement *eng, bool in_irq);

/* report.c: callers, the last blocked call, warnings and audit records. */
void ks_reports_init(struct ks_reports *reports);
void ks_record_caller(struct ks_engagement *eng, struct pt_regs *regs,
		      bool in_irq);
void ks_report_blocked(struct ks_engagement *eng, bool in_irq);
void ks_report_suppressed(struct ks_engagement *eng);
void ks_log_callers(struct ks_engagement *eng);
void ks_audit_change(const char *action, const struct ks_engagement *eng);
int ks_format_callers(struct ks_engagement *eng, char *text, size_t size);
int ks_format_last_blocked(struct ks_engagement *eng, char *text,
			   size_t size);

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
