// SPDX-License-Identifier: GPL-2.0
/*
 * The engagement lifecycle: allocation, kprobe registration, the list of
 * engagements, and removal. This is the only file that touches kprobes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "killswitch.h"

/* See killswitch.h for what ks_mutex protects. */
DEFINE_MUTEX(ks_mutex);
LIST_HEAD(ks_engagements);
struct workqueue_struct *ks_wq;

/*
 * Count the call and decide its fate. A call let through by the scope, or
 * seen in observe mode or while probing, runs the function body: returning
 * 0 lets the kprobe core resume the function. A blocked call makes the
 * probed function return eng->retval without running its body: the handler
 * sets the return register and resumes at a stub that only returns to the
 * caller. Returning 1 signals to the kprobe core that the instruction
 * pointer moved. in_task() is false in hardirq, softirq and NMI context,
 * and also while a task runs softirqs on local_bh_enable().
 */
static int ks_pre_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct ks_engagement *eng = container_of(kp, struct ks_engagement, kp);
	bool in_irq = !in_task();

	if (in_irq)
		this_cpu_inc(eng->counters->irq);
	if (ks_call_exempt(eng, in_irq)) {
		this_cpu_inc(eng->counters->passed);
		return 0;
	}

	this_cpu_inc(eng->counters->hits);
	if (READ_ONCE(eng->observe)) {
		ks_record_caller(eng, regs, in_irq);
		return 0;
	}

	ks_report_blocked(eng, in_irq);
	regs_set_return_value(regs, READ_ONCE(eng->retval));
	instruction_pointer_set(regs, (unsigned long)ks_return_stub);
	return 1;
}

NOKPROBE_SYMBOL(ks_pre_handler);

/*
 * Never called, because the pre-handler always changes the instruction
 * pointer. Its presence makes the kprobe core use ftrace ops that may modify
 * the instruction pointer (IPMODIFY) and keeps the probe from being optimised
 * into a jump, which cannot redirect execution.
 */
static void ks_post_handler(struct kprobe *kp, struct pt_regs *regs,
			    unsigned long flags)
{
}

NOKPROBE_SYMBOL(ks_post_handler);

struct ks_counts ks_engagement_counts(const struct ks_engagement *eng)
{
	struct ks_counts sum = { 0 };
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ks_counters *counters = per_cpu_ptr(eng->counters, cpu);

		sum.hits += READ_ONCE(counters->hits);
		sum.passed += READ_ONCE(counters->passed);
		sum.irq += READ_ONCE(counters->irq);
	}
	return sum;
}

u64 ks_engagement_hits(const struct ks_engagement *eng)
{
	return ks_engagement_counts(eng).hits;
}

/* The flag set by the first engagement; see ks_taint_set(). */
#define KS_TAINT TAINT_LIVEPATCH

/*
 * Stock kernels have no taint flag of their own for a killswitch, so an
 * engagement sets the live patching flag ('K'): like a live patch, it changes
 * what a kernel function does at run time, and a crash report should say so.
 * The flag stays set until reboot.
 */
bool ks_taint_set(void)
{
	return test_taint(KS_TAINT);
}

static struct ks_engagement *ks_find(const char *symbol)
{
	struct ks_engagement *eng;

	lockdep_assert_held(&ks_mutex);

	list_for_each_entry(eng, &ks_engagements, node) {
		if (!strcmp(eng->symbol, symbol))
			return eng;
	}
	return NULL;
}

static struct ks_engagement *ks_find_address(void *addr)
{
	struct ks_engagement *eng;

	lockdep_assert_held(&ks_mutex);

	list_for_each_entry(eng, &ks_engagements, node) {
		if (eng->state == KS_STATE_ENGAGED && eng->kp.addr == addr)
			return eng;
	}
	return NULL;
}

/*
 * Prepare eng->kp for a registration. The kprobe core fills in the address
 * and flags, and refuses a kprobe that has both an address and a symbol, so
 * a kprobe that was registered before, or failed to register, starts over.
 */
static void ks_kprobe_reset(struct ks_engagement *eng)
{
	memset(&eng->kp, 0, sizeof(eng->kp));
	eng->kp.symbol_name = eng->symbol;
	eng->kp.pre_handler = ks_pre_handler;
	eng->kp.post_handler = ks_post_handler;
}

static void ks_probe_end(struct work_struct *work);
static void ks_unlink(struct ks_engagement *eng);

/* Allocate an engagement for @cmd, an engage or tryengage command. */
static struct ks_engagement *ks_alloc(const struct ks_command *cmd)
{
	struct ks_engagement *eng;

	eng = kzalloc(sizeof(*eng), GFP_KERNEL);
	if (!eng)
		return NULL;

	eng->counters = alloc_percpu(struct ks_counters);
	if (!eng->counters) {
		kfree(eng);
		return NULL;
	}

	strscpy(eng->symbol, cmd->symbol, sizeof(eng->symbol));
	eng->retval = (long)cmd->retval;
	eng->scope = cmd->scope;
	eng->irq = cmd->irq;
	eng->mode = cmd->mode;
	eng->observe = cmd->mode == KS_MODE_OBSERVE ||
		       cmd->verb == KS_VERB_TRYENGAGE;
	eng->probing = cmd->verb == KS_VERB_TRYENGAGE;
	eng->probe_seconds = cmd->seconds;
	INIT_DELAYED_WORK(&eng->probe_work, ks_probe_end);
	ks_reports_init(&eng->reports);
	ks_kprobe_reset(eng);
	INIT_LIST_HEAD(&eng->node);
	return eng;
}

/*
 * Free @eng, whose kprobe is unregistered. Unless the caller is its own
 * probe work, the caller has cancelled that work: see the lifetime rule in
 * killswitch.h.
 */
static void ks_free(struct ks_engagement *eng)
{
	ks_allow_release(eng);
	free_percpu(eng->counters);
	kfree(eng);
}

/* Cancel the probe work of @eng, then free it. Call without ks_mutex. */
static void ks_cancel_and_free(struct ks_engagement *eng)
{
	cancel_delayed_work_sync(&eng->probe_work);
	ks_free(eng);
}

/*
 * Return the state that users see. A registered kprobe shows as probing
 * during a tryengage window, observing in observe mode, armed when it
 * enforces with a scope or allow list that lets some calls through, and
 * engaged when it blocks every call.
 */
const char *ks_state_label(const struct ks_engagement *eng)
{
	switch (eng->state) {
	case KS_STATE_PENDING:
		return "pending";
	case KS_STATE_FAILED:
		return "failed";
	case KS_STATE_ENGAGED:
		break;
	}

	if (eng->probing)
		return "probing";
	if (eng->observe)
		return "observing";
	if (ks_is_scoped(eng))
		return "armed";
	return "engaged";
}

/* Return the whole seconds left of a tryengage window, 0 outside one. */
unsigned int ks_timeout_left(const struct ks_engagement *eng)
{
	long left;

	lockdep_assert_held(&ks_mutex);

	if (!eng->probing)
		return 0;
	left = (long)(eng->probe_end - jiffies);
	if (left <= 0)
		return 0;
	return DIV_ROUND_UP((unsigned long)left, HZ);
}

/*
 * Log who changed the state: the ids an audit of the incident needs, also
 * sent as an audit record. The line of an engagement that does not block
 * every call names its state after its values.
 */
static void ks_log_change(const char *action, const struct ks_engagement *eng,
			  bool with_hits, enum ks_origin origin)
{
	const char *via = origin == KS_ORIGIN_PARAM ? "module parameter" : "control";
	const char *label = ks_state_label(eng);
	char state[32] = "";
	char hits[32] = "";

	if (with_hits)
		snprintf(hits, sizeof(hits), " hits=%llu",
			 ks_engagement_hits(eng));
	if (strcmp(label, "engaged"))
		snprintf(state, sizeof(state), " state=%s", label);

	pr_warn("%s %s retval=%ld%s%s via %s by uid=%u auid=%u ses=%u comm=%s\n",
		action, eng->symbol, eng->retval, hits, state, via,
		from_kuid(&init_user_ns, current_uid()),
		from_kuid(&init_user_ns, audit_get_loginuid(current)),
		audit_get_sessionid(current), current->comm);
	ks_audit_change(action, eng);
}

/*
 * Return -EBUSY if another kprobe, such as a tracefs kprobe event or another
 * engagement under a second name, already sits on @symbol, 0 if none does,
 * or the kprobe layer's error. The probe address goes to @addr.
 *
 * Joining an existing ftrace-based kprobe is unsafe. The kprobe core then
 * marks the shared probe as IP-modifying although it was armed without that
 * flag. When the other user disables it later, disarming fails with a kernel
 * WARNING (seen on Debian's 6.1.192 and 6.12.95). A disabled probe is
 * enough to find out: it joins an existing probe, so its list is non-empty,
 * but it never touches ftrace or the code.
 */
static int ks_check_unshared(const char *symbol, void **addr)
{
	struct kprobe probe = {
		.symbol_name = symbol,
		.flags = KPROBE_FLAG_DISABLED,
	};
	bool shared;
	int ret;

	ret = register_kprobe(&probe);
	if (ret)
		return ret;

	shared = !list_empty(&probe.list);
	*addr = probe.addr;
	unregister_kprobe(&probe);
	return shared ? -EBUSY : 0;
}

/*
 * Register the kprobe of @eng and mark it engaged, or return the error with
 * @eng left unregistered. The first engagement sets the taint.
 */
static int ks_arm(struct ks_engagement *eng)
{
	struct ks_engagement *other;
	void *addr = NULL;
	int ret;

	lockdep_assert_held(&ks_mutex);

	ret = ks_check_unshared(eng->symbol, &addr);
	if (ret == -EBUSY) {
		/* One function reached under two names, such as mod:sym and sym. */
		other = ks_find_address(addr);
		if (other)
			pr_info("cannot engage %s: the same function is engaged as %s\n",
				eng->symbol, other->symbol);
		else
			pr_info("cannot engage %s: another kprobe, such as a tracefs kprobe event, is on it; remove that probe first\n",
				eng->symbol);
	}
	if (ret)
		goto fail;

	/*
	 * NOTE: a kprobe placed on the symbol by someone else between the
	 * check above and this registration is not detected.
	 */
	ks_kprobe_reset(eng);
	ret = register_kprobe(&eng->kp);
	if (ret) {
		pr_info("cannot engage %s: register_kprobe failed with %d\n",
			eng->symbol, ret);
		goto fail;
	}

	eng->state = KS_STATE_ENGAGED;
	eng->arm_error = 0;
	add_taint(KS_TAINT, LOCKDEP_STILL_OK);
	return 0;

fail:
	ks_kprobe_reset(eng);
	return ret;
}

/*
 * Return the length of the module prefix of @symbol (af_alg in
 * af_alg:af_alg_sendmsg), or 0 for a plain symbol.
 */
static size_t ks_module_prefix_len(const char *symbol)
{
	const char *colon = strchr(symbol, ':');

	return colon ? colon - symbol : 0;
}

/* Return true if @eng names a symbol of the module called @mod->name. */
static bool ks_names_module(const struct ks_engagement *eng,
			    const struct module *mod)
{
	size_t len = ks_module_prefix_len(eng->symbol);

	return len && len == strlen(mod->name) &&
	       !strncmp(eng->symbol, mod->name, len);
}

enum ks_module_presence {
	KS_MODULE_ABSENT,
	KS_MODULE_LOADED,
	KS_MODULE_BUILT_IN,
};

/*
 * Find out whether the module named by the first @len bytes of @name is
 * loaded. The kernel exports no lookup of a module by name, but every module
 * has a kobject in the kset of /sys/module, which killswitch's own kobject
 * belongs to. A built-in module has one too, with no struct module behind it.
 *
 * A module counts as absent while it is unloading (GOING), and also before
 * its sysfs entry exists, which load_module() creates after the COMING
 * notification. The kobject reference keeps the struct module from being
 * freed while its state is read: free_module() waits for the last reference.
 */
static enum ks_module_presence ks_module_presence(const char *name, size_t len)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	enum ks_module_presence presence;
	char module_name[MODULE_NAME_LEN];
	struct module_kobject *mk;
	struct kobject *kobj;

	if (!modules || len >= sizeof(module_name))
		return KS_MODULE_ABSENT;
	memcpy(module_name, name, len);
	module_name[len] = '\0';

	kobj = kset_find_obj(modules, module_name);
	if (!kobj)
		return KS_MODULE_ABSENT;

	mk = container_of(kobj, struct module_kobject, kobj);
	if (!mk->mod)
		presence = KS_MODULE_BUILT_IN;
	else if (READ_ONCE(mk->mod->state) == MODULE_STATE_GOING)
		presence = KS_MODULE_ABSENT;
	else
		presence = KS_MODULE_LOADED;
	kobject_put(kobj);
	return presence;
}

/*
 * Return true if an engagement on @symbol, which the kprobe layer could not
 * find or could not probe, should wait for its module to load.
 *
 * The decision is race-free because the caller holds ks_mutex, which the
 * module notifier needs too:
 * - A module that was absent or not yet formed when the kprobe layer looked
 *   up the symbol has not had its COMING notification handled, so the
 *   notifier arms the pending engagement after the caller unlocks.
 * - A module in COMING state whose notification has not been handled yet
 *   can resolve the symbol while registration still fails: -EINVAL was seen
 *   on 6.1 in a load and unload loop. It has no sysfs entry yet, so the
 *   engagement pends and the notifier arms it.
 * - A module in COMING or LIVE state whose lookup failed lacks the symbol,
 *   and its sysfs entry makes it count as loaded here, so engage returns
 *   -ENOENT.
 * - A GOING module refuses new kprobes (register_kprobe() returns -ENOENT),
 *   counts as absent here, and the engagement waits for its next load.
 */
static bool ks_should_pend(const char *symbol)
{
	size_t len = ks_module_prefix_len(symbol);

	lockdep_assert_held(&ks_mutex);

	/*
	 * NOTE: a module in COMING state whose notification was already
	 * handled, but whose sysfs entry does not exist yet, also counts as
	 * absent. An engagement on a symbol it lacks stays pending until the
	 * module loads again, and only then shows as failed.
	 */
	return len && ks_module_presence(symbol, len) == KS_MODULE_ABSENT;
}

/*
 * Engage @cmd->symbol with the options of @cmd. The allow paths of @cmd are spans of
 * @buf; they are resolved before anything else, so a missing path gives
 * -ENOENT even for a symbol that is already engaged.
 */
int ks_engage(const struct ks_command *cmd, const char *buf,
	      enum ks_origin origin)
{
	struct ks_engagement *eng;
	int ret;

	eng = ks_alloc(cmd);
	if (!eng)
		return -ENOMEM;

	ret = ks_allow_resolve(eng, cmd, buf);
	if (ret) {
		ks_free(eng);
		return ret;
	}

	mutex_lock(&ks_mutex);

	if (ks_find(eng->symbol)) {
		ret = -EBUSY;
		goto out_free;
	}

	ret = ks_arm(eng);
	if ((ret == -ENOENT || ret == -EINVAL) && ks_should_pend(eng->symbol)) {
		eng->state = KS_STATE_PENDING;
		ret = 0;
	}
	if (ret)
		goto out_free;

	ret = ks_fs_add_function(eng);
	if (ret)
		goto out_unregister;

	list_add_tail(&eng->node, &ks_engagements);
	if (eng->probing) {
		eng->probe_end = jiffies + eng->probe_seconds * HZ;
		queue_delayed_work(ks_wq, &eng->probe_work,
				   eng->probe_seconds * HZ);
	}
	ks_log_change("engaged", eng, false, origin);
	mutex_unlock(&ks_mutex);
	return 0;

out_unregister:
	if (eng->state == KS_STATE_ENGAGED)
		unregister_kprobe(&eng->kp);
out_free:
	mutex_unlock(&ks_mutex);
	ks_free(eng);
	return ret;
}

/*
 * End the tryengage window of the engagement that owns @work: commit to
 * enforcing if the window counted no call, otherwise disengage it and log
 * the count. See the lifetime rule in killswitch.h.
 */
static void ks_probe_end(struct work_struct *work)
{
	struct ks_engagement *eng = container_of(to_delayed_work(work),
						 struct ks_engagement,
						 probe_work);
	u64 hits;

	mutex_lock(&ks_mutex);

	/* Disengaged meanwhile: the remover cancels this work and frees. */
	if (!eng->probing) {
		mutex_unlock(&ks_mutex);
		return;
	}

	hits = ks_engagement_hits(eng);
	if (!hits) {
		eng->probing = false;
		WRITE_ONCE(eng->observe, false);
		pr_warn("tryengage %s committed: no calls in %u seconds, so it is %s now\n",
			eng->symbol, eng->probe_seconds, ks_state_label(eng));
		mutex_unlock(&ks_mutex);
		return;
	}

	ks_unlink(eng);
	if (eng->state == KS_STATE_ENGAGED)
		unregister_kprobe(&eng->kp);
	pr_warn("tryengage %s aborted: %llu calls in %u seconds, so it is disengaged\n",
		eng->symbol, hits, eng->probe_seconds);
	ks_log_callers(eng);
	ks_audit_change("aborted", eng);
	mutex_unlock(&ks_mutex);

	/* The work may free its own engagement, which nothing else can reach. */
	ks_free(eng);
}

/*
 * Take @eng out of the list and the file system. The caller unregisters its
 * kprobe, which waits for running handlers, before freeing it.
 */
static void ks_unlink(struct ks_engagement *eng)
{
	lockdep_assert_held(&ks_mutex);

	/*
	 * The remover may put the node on a list of its own, so the probe
	 * work recognises a removed engagement by this flag, not by the node.
	 */
	eng->probing = false;
	list_del_init(&eng->node);
	ks_fs_remove_function(eng);
}

int ks_disengage(const char *symbol)
{
	struct ks_engagement *eng;

	mutex_lock(&ks_mutex);

	eng = ks_find(symbol);
	if (!eng) {
		mutex_unlock(&ks_mutex);
		return -ENOENT;
	}

	ks_unlink(eng);
	if (eng->state == KS_STATE_ENGAGED)
		unregister_kprobe(&eng->kp);
	ks_log_change("disengaged", eng, true, KS_ORIGIN_CONTROL);
	ks_report_suppressed(eng);

	mutex_unlock(&ks_mutex);
	ks_cancel_and_free(eng);
	return 0;
}

/*
 * Disengage everything with a single batch unregistration, so that the
 * kernel waits for one RCU grace period for the whole batch rather than one
 * per engagement. Returns how many engagements were removed, pending and
 * failed ones included.
 */
int ks_disengage_all(void)
{
	struct ks_engagement *eng, *next;
	struct kprobe **kps;
	LIST_HEAD(removed);
	int registered = 0;
	int count = 0;
	int i = 0;

	mutex_lock(&ks_mutex);

	list_for_each_entry(eng, &ks_engagements, node) {
		count++;
		if (eng->state == KS_STATE_ENGAGED)
			registered++;
	}
	if (!count)
		goto out_unlock;

	list_for_each_entry_safe(eng, next, &ks_engagements, node) {
		ks_unlink(eng);
		list_add_tail(&eng->node, &removed);
	}

	kps = registered ? kmalloc_array(registered, sizeof(*kps), GFP_KERNEL) :
			   NULL;
	if (kps) {
		list_for_each_entry(eng, &removed, node) {
			if (eng->state == KS_STATE_ENGAGED)
				kps[i++] = &eng->kp;
		}
		unregister_kprobes(kps, registered);
		kfree(kps);
	} else {
		/* Slower, one grace period each, but still complete. */
		list_for_each_entry(eng, &removed, node) {
			if (eng->state == KS_STATE_ENGAGED)
				unregister_kprobe(&eng->kp);
		}
	}

	list_for_each_entry(eng, &removed, node) {
		ks_log_change("disengaged", eng, true, KS_ORIGIN_CONTROL);
		ks_report_suppressed(eng);
	}

out_unlock:
	mutex_unlock(&ks_mutex);

	list_for_each_entry_safe(eng, next, &removed, node) {
		list_del(&eng->node);
		ks_cancel_and_free(eng);
	}
	return count;
}

int ks_set_retval(struct ks_engagement *eng, long retval)
{
	lockdep_assert_held(&ks_mutex);

	WRITE_ONCE(eng->retval, retval);
	ks_log_change("changed", eng, true, KS_ORIGIN_CONTROL);
	return 0;
}

/*
 * Called when @mod is about to run its init function: its symbols can be
 * looked up as module:symbol and its ftrace records are enabled. Arm every
 * pending engagement on it. A failure leaves the module loading, unengaged,
 * with the engagement in the failed state and the reason logged.
 */
void ks_module_coming(struct module *mod)
{
	struct ks_engagement *eng;
	int ret;

	mutex_lock(&ks_mutex);

	list_for_each_entry(eng, &ks_engagements, node) {
		if (eng->state == KS_STATE_ENGAGED || !ks_names_module(eng, mod))
			continue;

		ret = ks_arm(eng);
		if (ret) {
			eng->state = KS_STATE_FAILED;
			eng->arm_error = ret;
			pr_err("cannot engage %s retval=%ld as module %s loads: error %d%s; the module loads without the engagement\n",
			       eng->symbol, eng->retval, mod->name, ret,
			       ret == -ENOENT ? " (the module has no such function)" : "");
			continue;
		}

		pr_warn("engaged %s retval=%ld hits=%llu as module %s loads\n",
			eng->symbol, eng->retval, ks_engagement_hits(eng),
			mod->name);
	}

	mutex_unlock(&ks_mutex);
}

/* Return @eng, an engagement on a symbol of @mod, to the pending state. */
static void ks_module_going_pend(struct ks_engagement *eng, struct module *mod)
{
	switch (eng->state) {
	case KS_STATE_PENDING:
		/* Engaged while the module was unloading: nothing to undo. */
		break;
	case KS_STATE_FAILED:
		pr_info("module %s is unloading, so %s is pending again and is tried again at its next load\n",
			mod->name, eng->symbol);
		break;
	case KS_STATE_ENGAGED:
		unregister_kprobe(&eng->kp);
		pr_warn("pending again: module %s is unloading, so %s retval=%ld hits=%llu is engaged again at its next load\n",
			mod->name, eng->symbol, eng->retval,
			ks_engagement_hits(eng));
		break;
	}

	ks_kprobe_reset(eng);
	eng->state = KS_STATE_PENDING;
	eng->arm_error = 0;
}

/*
 * Called before @mod's memory is freed. A kprobe in a module that goes away
 * is never re-armed by the kernel. An engagement on module:symbol goes back
 * to pending, to be armed again at the module's next load. One on a plain
 * symbol is removed, and the loss of the mitigation is logged.
 */
void ks_module_going(struct module *mod)
{
	struct ks_engagement *eng, *next;
	LIST_HEAD(removed);

	mutex_lock(&ks_mutex);

	list_for_each_entry_safe(eng, next, &ks_engagements, node) {
		if (ks_names_module(eng, mod)) {
			ks_module_going_pend(eng, mod);
			continue;
		}

		if (eng->state != KS_STATE_ENGAGED ||
		    !within_module((unsigned long)eng->kp.addr, mod))
			continue;

		ks_unlink(eng);
		unregister_kprobe(&eng->kp);
		pr_warn("mitigation lost: module %s is unloading, so %s retval=%ld hits=%llu is no longer engaged\n",
			mod->name, eng->symbol, eng->retval,
			ks_engagement_hits(eng));
		ks_report_suppressed(eng);
		ks_audit_change("lost", eng);
		list_add_tail(&eng->node, &removed);
	}

	mutex_unlock(&ks_mutex);

	list_for_each_entry_safe(eng, next, &removed, node) {
		list_del(&eng->node);
		ks_cancel_and_free(eng);
	}
}
