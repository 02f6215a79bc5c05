// SPDX-License-Identifier: GPL-2.0
/*
 * Scoped engagements: the allow list and the per-call decision whether a
 * call is let through. A call is let through if the scope excludes its
 * caller or if the caller runs an executable on the allow list. A call in
 * interrupt or softirq context has no caller to judge, so irq= decides.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/namei.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "killswitch.h"

/*
 * Resolve the allow paths of @cmd, whose spans point into @buf, and keep a
 * reference to each for the life of @eng. Returns -ENOENT for a path that
 * does not exist and -EINVAL for one that is not a regular file, with
 * nothing kept.
 */
int ks_allow_resolve(struct ks_engagement *eng, const struct ks_command *cmd,
		     const char *buf)
{
	unsigned int i;
	int ret;

	for (i = 0; i < cmd->allow_count; i++) {
		const struct ks_span *span = &cmd->allow[i];
		char *name;

		name = kmemdup_nul(buf + span->offset, span->length, GFP_KERNEL);
		if (!name) {
			ret = -ENOMEM;
			goto fail;
		}

		ret = kern_path(name, LOOKUP_FOLLOW, &eng->allow[i]);
		if (ret) {
			pr_info("cannot engage %s: allow=%s: path not found (error %d); give an existing executable\n",
				cmd->symbol, name, ret);
			kfree(name);
			goto fail;
		}
		if (!d_is_reg(eng->allow[i].dentry)) {
			pr_info("cannot engage %s: allow=%s is not a regular file; give the executable itself\n",
				cmd->symbol, name);
			path_put(&eng->allow[i]);
			kfree(name);
			ret = -EINVAL;
			goto fail;
		}

		eng->allow_name[i] = name;
		eng->allow_count = i + 1;
	}
	return 0;

fail:
	ks_allow_release(eng);
	return ret;
}

void ks_allow_release(struct ks_engagement *eng)
{
	unsigned int i;

	for (i = 0; i < eng->allow_count; i++) {
		path_put(&eng->allow[i]);
		kfree(eng->allow_name[i]);
		eng->allow_name[i] = NULL;
	}
	eng->allow_count = 0;
}

/*
 * Return true if the current task runs an executable on the allow list.
 * Kernel threads and tasks without an mm have no executable, so they are
 * never excepted. The exe_file pointer is read under RCU and only its inode
 * pointer is compared, never dereferenced, with the inodes the allow list
 * holds references to. A task that is just replacing its exe_file in
 * execve() may be judged by the old or the new executable.
 */
static bool ks_exe_allowed(const struct ks_engagement *eng)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	struct inode *inode = NULL;
	unsigned int i;

	if (!mm || (current->flags & PF_KTHREAD))
		return false;

	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe)
		inode = file_inode(exe);
	rcu_read_unlock();
	if (!inode)
		return false;

	for (i = 0; i < eng->allow_count; i++) {
		if (d_backing_inode(eng->allow[i].dentry) == inode)
			return true;
	}
	return false;
}

NOKPROBE_SYMBOL(ks_exe_allowed);

/* Return true if the scope of @eng lets the current task's call through. */
static bool ks_scope_excludes_caller(const struct ks_engagement *eng)
{
	switch (eng->scope) {
	case KS_SCOPE_NONROOT:
		return uid_eq(current_euid(), GLOBAL_ROOT_UID);
	case KS_SCOPE_USERNS:
		return current_user_ns() == &init_user_ns;
	}
	return false;
}

NOKPROBE_SYMBOL(ks_scope_excludes_caller);

/*
 * Return true if the call being made is let through. Called by the kprobe
 * handler, so it takes no lock and does not sleep.
 */
bool ks_call_exempt(const struct ks_engagement *eng, bool in_irq)
{
	if (!ks_is_scoped(eng))
		return false;
	if (in_irq)
		return eng->irq == KS_IRQ_PASS;
	return ks_scope_excludes_caller(eng) || ks_exe_allowed(eng);
}

NOKPROBE_SYMBOL(ks_call_exempt);
