// SPDX-License-Identifier: GPL-2.0
/*
 * The engagement lifecycle: allocation, kprobe registration, the list of
 * engagements, and removal. This is the only file that touches kprobes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "killswitch.h"

/* See killswitch.h for what ks_mutex protects. */
DEFINE_MUTEX(ks_mutex);
LIST_HEAD(ks_engagements);

/*
 * Make the probed function return eng->retval without running its body: set
 * the return register and resume at a stub that only returns to the caller.
 * Returning 1 tells the kprobe core that the instruction pointer was changed.
 */
static int ks_pre_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct ks_engagement *eng = container_of(kp, struct ks_engagement, kp);

	this_cpu_inc(*eng->hits);
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

u64 ks_engagement_hits(const struct ks_engagement *eng)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(eng->hits, cpu));
	return sum;
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
		if (eng->kp.addr == addr)
			return eng;
	}
	return NULL;
}

static struct ks_engagement *ks_alloc(const char *symbol, long retval)
{
	struct ks_engagement *eng;

	eng = kzalloc(sizeof(*eng), GFP_KERNEL);
	if (!eng)
		return NULL;

	eng->hits = alloc_percpu(u64);
	if (!eng->hits) {
		kfree(eng);
		return NULL;
	}

	strscpy(eng->symbol, symbol, sizeof(eng->symbol));
	eng->retval = retval;
	eng->kp.symbol_name = eng->symbol;
	eng->kp.pre_handler = ks_pre_handler;
	eng->kp.post_handler = ks_post_handler;
	INIT_LIST_HEAD(&eng->node);
	return eng;
}

static void ks_free(struct ks_engagement *eng)
{
	free_percpu(eng->hits);
	kfree(eng);
}

/* Log who changed the state: the ids an audit of the incident needs. */
static void ks_log_change(const char *action, const struct ks_engagement *eng,
			  bool with_hits, enum ks_origin origin)
{
	const char *via = origin == KS_ORIGIN_PARAM ? "module parameter" : "control";
	char hits[32] = "";

	if (with_hits)
		snprintf(hits, sizeof(hits), " hits=%llu",
			 ks_engagement_hits(eng));

	pr_warn("%s %s retval=%ld%s via %s by uid=%u auid=%u ses=%u comm=%s\n",
		action, eng->symbol, eng->retval, hits, via,
		from_kuid(&init_user_ns, current_uid()),
		from_kuid(&init_user_ns, audit_get_loginuid(current)),
		audit_get_sessionid(current), current->comm);
}

/*
 * Return -EBUSY if another kprobe, such as a tracefs kprobe event or another
 * engagement under a second name, already sits on @symbol, 0 if none does,
 * or the kprobe layer's error. The probe address goes to @addr.
 *
 * Joining an existing ftrace-based kprobe is unsafe: the kprobe core then
 * marks the shared probe as IP-modifying although it was armed without that
 * flag, and when the other user disables it later, disarming fails with a
 * kernel WARNING (seen on Debian's 6.1.192 and 6.12.95). A disabled probe is
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

int ks_engage(const char *symbol, long retval, enum ks_origin origin)
{
	struct ks_engagement *eng;
	struct ks_engagement *other;
	void *addr = NULL;
	int ret;

	mutex_lock(&ks_mutex);

	if (ks_find(symbol)) {
		ret = -EBUSY;
		goto out_unlock;
	}

	ret = ks_check_unshared(symbol, &addr);
	if (ret == -EBUSY) {
		/* One function reached under two names, such as mod:sym and sym. */
		other = ks_find_address(addr);
		if (other)
			pr_info("cannot engage %s: the same function is engaged as %s\n",
				symbol, other->symbol);
		else
			pr_info("cannot engage %s: another kprobe, such as a tracefs kprobe event, is on it; remove that probe first\n",
				symbol);
	}
	if (ret)
		goto out_unlock;

	eng = ks_alloc(symbol, retval);
	if (!eng) {
		ret = -ENOMEM;
		goto out_unlock;
	}

	/*
	 * NOTE: a kprobe placed on the symbol by someone else between the
	 * check above and this registration is not detected.
	 */
	ret = register_kprobe(&eng->kp);
	if (ret) {
		pr_info("cannot engage %s: register_kprobe failed with %d\n",
			symbol, ret);
		goto out_free;
	}

	ret = ks_fs_add_function(eng);
	if (ret)
		goto out_unregister;

	list_add_tail(&eng->node, &ks_engagements);
	add_taint(KS_TAINT, LOCKDEP_STILL_OK);
	ks_log_change("engaged", eng, false, origin);
	mutex_unlock(&ks_mutex);
	return 0;

out_unregister:
	unregister_kprobe(&eng->kp);
out_free:
	ks_free(eng);
out_unlock:
	mutex_unlock(&ks_mutex);
	return ret;
}

/*
 * Take @eng out of the list and the file system. The caller unregisters its
 * kprobe, which waits for running handlers, before freeing it.
 */
static void ks_unlink(struct ks_engagement *eng)
{
	lockdep_assert_held(&ks_mutex);

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
	unregister_kprobe(&eng->kp);
	ks_log_change("disengaged", eng, true, KS_ORIGIN_CONTROL);
	ks_free(eng);

	mutex_unlock(&ks_mutex);
	return 0;
}

/*
 * Disengage everything with a single batch unregistration, so that the
 * kernel waits for one RCU grace period for the whole batch rather than one
 * per engagement. Returns how many engagements were removed.
 */
int ks_disengage_all(void)
{
	struct ks_engagement *eng, *next;
	struct kprobe **kps;
	LIST_HEAD(removed);
	int count = 0;
	int i = 0;

	mutex_lock(&ks_mutex);

	list_for_each_entry(eng, &ks_engagements, node)
		count++;
	if (!count)
		goto out_unlock;

	list_for_each_entry_safe(eng, next, &ks_engagements, node) {
		ks_unlink(eng);
		list_add_tail(&eng->node, &removed);
	}

	kps = kmalloc_array(count, sizeof(*kps), GFP_KERNEL);
	if (kps) {
		list_for_each_entry(eng, &removed, node)
			kps[i++] = &eng->kp;
		unregister_kprobes(kps, count);
		kfree(kps);
	} else {
		/* Slower, one grace period each, but still complete. */
		list_for_each_entry(eng, &removed, node)
			unregister_kprobe(&eng->kp);
	}

	list_for_each_entry_safe(eng, next, &removed, node) {
		ks_log_change("disengaged", eng, true, KS_ORIGIN_CONTROL);
		list_del(&eng->node);
		ks_free(eng);
	}

out_unlock:
	mutex_unlock(&ks_mutex);
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
 * Called before @mod's memory is freed. A kprobe in a module that goes away
 * is never re-armed by the kernel, so the engagement is removed here and the
 * log says that the mitigation is gone.
 */
void ks_module_going(struct module *mod)
{
	struct ks_engagement *eng, *next;

	mutex_lock(&ks_mutex);

	list_for_each_entry_safe(eng, next, &ks_engagements, node) {
		if (!within_module((unsigned long)eng->kp.addr, mod))
			continue;

		ks_unlink(eng);
		unregister_kprobe(&eng->kp);
		pr_warn("mitigation lost: module %s is unloading, so %s retval=%ld hits=%llu is no longer engaged\n",
			mod->name, eng->symbol, eng->retval,
			ks_engagement_hits(eng));
		ks_free(eng);
	}

	mutex_unlock(&ks_mutex);
}
