// SPDX-License-Identifier: GPL-2.0
/*
 * What an engagement reports about the calls it sees: the callers of an
 * observed function, the most recent blocked call, a rate-limited kernel
 * log warning per blocked call, and audit records.
 *
 * The kprobe handler calls into this file in task, softirq and hardirq
 * context. It skips the reports in NMI context, where even a raw spinlock
 * could deadlock against the code it interrupted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "killswitch.h"

/* At most KS_WARN_BURST warning lines per KS_WARN_WINDOW per engagement. */
#define KS_WARN_BURST 10
#define KS_WARN_WINDOW (60 * HZ)

/* The comm that reports show for a call in interrupt or softirq context. */
#define KS_IRQ_COMM "[irq]"

/* The task that made the current call, as reports show it. */
struct ks_task_ids {
	pid_t pid;
	uid_t uid;
	char comm[TASK_COMM_LEN];
};

static void ks_task_ids(struct ks_task_ids *ids, bool in_irq)
{
	if (in_irq) {
		ids->pid = 0;
		ids->uid = 0;
		strscpy(ids->comm, KS_IRQ_COMM, sizeof(ids->comm));
		return;
	}
	ids->pid = task_tgid_nr(current);
	ids->uid = from_kuid(&init_user_ns, current_uid());
	strscpy(ids->comm, current->comm, sizeof(ids->comm));
}

NOKPROBE_SYMBOL(ks_task_ids);

void ks_reports_init(struct ks_reports *reports)
{
	raw_spin_lock_init(&reports->lock);
	reports->window_start = jiffies;
}

/*
 * Count a call of an observed function under its call site, the return
 * address at function entry. On x86-64, both an ftrace-based kprobe on the
 * function's entry and an int3 kprobe on its first instruction see the
 * stack pointer at the return address that the call pushed.
 */
void ks_record_caller(struct ks_engagement *eng, struct pt_regs *regs,
		      bool in_irq)
{
	struct ks_reports *reports = &eng->reports;
	struct ks_caller *caller = NULL;
	struct ks_task_ids ids;
	unsigned long site;
	unsigned long flags;
	unsigned int i;

	if (in_nmi())
		return;

	if (get_kernel_nofault(site, (unsigned long *)kernel_stack_pointer(regs)))
		site = 0;
	ks_task_ids(&ids, in_irq);

	raw_spin_lock_irqsave(&reports->lock, flags);
	for (i = 0; i < reports->caller_count; i++) {
		if (reports->callers[i].site == site) {
			caller = &reports->callers[i];
			break;
		}
	}
	if (!caller && reports->caller_count < KS_CALLERS_MAX) {
		caller = &reports->callers[reports->caller_count++];
		caller->site = site;
	}

	if (caller) {
		caller->calls++;
		caller->pid = ids.pid;
		caller->uid = ids.uid;
		memcpy(caller->comm, ids.comm, sizeof(caller->comm));
	} else {
		reports->unlisted_calls++;
	}
	raw_spin_unlock_irqrestore(&reports->lock, flags);
}

NOKPROBE_SYMBOL(ks_record_caller);

/*
 * Append " comm=" and @comm to @ab the way the audit subsystem writes an
 * untrusted string: quoted if it holds only printable characters other than
 * space and '"', otherwise as uppercase hex. The kernel's own helper for
 * this, audit_log_untrustedstring(), is not exported to modules.
 */
static void ks_audit_log_comm(struct audit_buffer *ab, const char *comm)
{
	bool quoted = true;
	size_t i;

	for (i = 0; comm[i]; i++) {
		if (comm[i] <= ' ' || comm[i] == '"' || comm[i] >= 0x7f)
			quoted = false;
	}
	if (quoted) {
		audit_log_format(ab, " comm=\"%s\"", comm);
		return;
	}

	audit_log_format(ab, " comm=");
	for (i = 0; comm[i]; i++)
		audit_log_format(ab, "%02X", (unsigned char)comm[i]);
}

NOKPROBE_SYMBOL(ks_audit_log_comm);

/*
 * Emit one audit record of type AUDIT_KERNEL_OTHER for @eng, if audit is
 * enabled. Without a running audit daemon the kernel prints the record to
 * its log as "audit: type=1316 ...". GFP_ATOMIC keeps audit_log_start()
 * from sleeping when its backlog is full, because the kprobe handler runs
 * with preemption disabled.
 */
static void ks_audit(const char *op, const struct ks_engagement *eng,
		     const struct ks_task_ids *ids, bool in_irq)
{
	struct audit_buffer *ab;

	if (!audit_enabled)
		return;

	ab = audit_log_start(in_irq ? NULL : audit_context(), GFP_ATOMIC,
			     AUDIT_KERNEL_OTHER);
	if (!ab)
		return;

	audit_log_format(ab, "op=killswitch-%s symbol=%s retval=%ld pid=%d uid=%u",
			 op, eng->symbol, READ_ONCE(eng->retval), ids->pid,
			 ids->uid);
	if (!in_irq)
		audit_log_format(ab, " auid=%u ses=%u",
				 from_kuid(&init_user_ns,
					   audit_get_loginuid(current)),
				 audit_get_sessionid(current));
	ks_audit_log_comm(ab, ids->comm);
	audit_log_end(ab);
}

NOKPROBE_SYMBOL(ks_audit);

void ks_audit_change(const char *action, const struct ks_engagement *eng)
{
	struct ks_task_ids ids;

	ks_task_ids(&ids, false);
	ks_audit(action, eng, &ids, false);
}

/*
 * Record a blocked call as the last one, and log it with an audit record,
 * unless this engagement already logged KS_WARN_BURST calls in the current
 * window. The first call after a window with suppressed lines logs their
 * count; ks_report_suppressed() logs a count still due at disengage.
 */
void ks_report_blocked(struct ks_engagement *eng, bool in_irq)
{
	struct ks_reports *reports = &eng->reports;
	unsigned int suppressed = 0;
	struct ks_task_ids ids;
	unsigned long flags;
	bool print = false;

	if (in_nmi())
		return;
	ks_task_ids(&ids, in_irq);

	raw_spin_lock_irqsave(&reports->lock, flags);
	reports->last_blocked.valid = true;
	reports->last_blocked.pid = ids.pid;
	reports->last_blocked.uid = ids.uid;
	memcpy(reports->last_blocked.comm, ids.comm, sizeof(ids.comm));
	reports->last_blocked.time = ktime_get_real_seconds();

	if (time_after(jiffies, reports->window_start + KS_WARN_WINDOW)) {
		suppressed = reports->suppressed;
		reports->suppressed = 0;
		reports->window_printed = 0;
		reports->window_start = jiffies;
	}
	if (reports->window_printed < KS_WARN_BURST) {
		reports->window_printed++;
		print = true;
	} else {
		reports->suppressed++;
	}
	raw_spin_unlock_irqrestore(&reports->lock, flags);

	if (suppressed)
		pr_warn("suppressed %u warnings of blocked calls to %s\n",
			suppressed, eng->symbol);
	if (!print)
		return;

	pr_warn("blocked %s retval=%ld pid=%d comm=%s uid=%u\n", eng->symbol,
		READ_ONCE(eng->retval), ids.pid, ids.comm, ids.uid);
	ks_audit("blocked", eng, &ids, in_irq);
}

NOKPROBE_SYMBOL(ks_report_blocked);

/*
 * Log the count of warnings suppressed in the current window. Called once
 * the kprobe is unregistered, so no handler adds to the count meanwhile.
 */
void ks_report_suppressed(struct ks_engagement *eng)
{
	struct ks_reports *reports = &eng->reports;
	unsigned int suppressed;
	unsigned long flags;

	raw_spin_lock_irqsave(&reports->lock, flags);
	suppressed = reports->suppressed;
	reports->suppressed = 0;
	raw_spin_unlock_irqrestore(&reports->lock, flags);

	if (suppressed)
		pr_warn("suppressed %u warnings of blocked calls to %s\n",
			suppressed, eng->symbol);
}

/*
 * Format fn/<symbol>/callers: one line per call site, in the order first
 * seen, and a last line with the calls from sites beyond KS_CALLERS_MAX.
 */
int ks_format_callers(struct ks_engagement *eng, char *text, size_t size)
{
	struct ks_reports *reports = &eng->reports;
	struct ks_caller *callers;
	unsigned int count, i;
	unsigned long flags;
	u64 unlisted;
	int len = 0;

	callers = kmalloc_array(KS_CALLERS_MAX, sizeof(*callers), GFP_KERNEL);
	if (!callers)
		return -ENOMEM;

	raw_spin_lock_irqsave(&reports->lock, flags);
	count = reports->caller_count;
	memcpy(callers, reports->callers, count * sizeof(*callers));
	unlisted = reports->unlisted_calls;
	raw_spin_unlock_irqrestore(&reports->lock, flags);

	for (i = 0; i < count; i++) {
		const struct ks_caller *caller = &callers[i];

		if (caller->site)
			len += scnprintf(text + len, size - len, "%pS",
					 (void *)caller->site);
		else
			len += scnprintf(text + len, size - len, "unknown");
		len += scnprintf(text + len, size - len,
				 " calls=%llu pid=%d comm=%s uid=%u\n",
				 caller->calls, caller->pid, caller->comm,
				 caller->uid);
	}
	if (unlisted)
		len += scnprintf(text + len, size - len,
				 "other calls=%llu\n", unlisted);

	kfree(callers);
	return len;
}

/*
 * Log the callers of @eng, one line each. Called once the kprobe is
 * unregistered, so the table no longer changes.
 */
void ks_log_callers(struct ks_engagement *eng)
{
	struct ks_reports *reports = &eng->reports;
	unsigned int i;

	for (i = 0; i < reports->caller_count; i++) {
		const struct ks_caller *caller = &reports->callers[i];

		pr_warn("%s caller %pS calls=%llu pid=%d comm=%s uid=%u\n",
			eng->symbol, (void *)caller->site, caller->calls,
			caller->pid, caller->comm, caller->uid);
	}
	if (reports->unlisted_calls)
		pr_warn("%s caller other calls=%llu\n", eng->symbol,
			reports->unlisted_calls);
}

int ks_format_last_blocked(struct ks_engagement *eng, char *text,
			   size_t size)
{
	struct ks_blocked_call call;
	unsigned long flags;

	raw_spin_lock_irqsave(&eng->reports.lock, flags);
	call = eng->reports.last_blocked;
	raw_spin_unlock_irqrestore(&eng->reports.lock, flags);

	if (!call.valid)
		return scnprintf(text, size, "none\n");
	return scnprintf(text, size, "pid=%d comm=%s uid=%u time=%lld\n",
			 call.pid, call.comm, call.uid, (long long)call.time);
}
