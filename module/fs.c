// SPDX-License-Identifier: GPL-2.0
/*
 * The securityfs tree under /sys/kernel/security/killswitch/:
 *
 *	control			0200	commands, see ks_grammar.h
 *	engaged			0444	<symbol> retval=<value> hits=<count>
 *					state=<state>, then the options that
 *					differ from the defaults, per line
 *	taint			0444	1 if the kernel carries the engagement taint
 *	fn/<symbol>/retval	0600	the return value, writable in every state
 *	fn/<symbol>/hits	0400	calls blocked or counted, summed over CPUs
 *	fn/<symbol>/state	0400	see ks_state_label(), or failed <errno>
 *	fn/<symbol>/passed	0400	calls let through by the scope
 *	fn/<symbol>/irq		0400	calls in interrupt or softirq context
 *	fn/<symbol>/timeout_left 0400	seconds left of a tryengage window
 *	fn/<symbol>/last_blocked 0400	the task of the latest blocked call
 *	fn/<symbol>/callers	0400	call sites seen in observe mode
 *
 * docs/interface.md describes every file and format.
 *
 * Every file_operations sets .owner, so an open file pins the module and
 * rmmod cannot free the code that a later read or close would run.
 *
 * The fn/ files find their engagement through inode->i_private, which is set
 * when the file is created and cleared under ks_mutex before the engagement
 * is freed. Every access takes ks_mutex and checks for NULL, so a file held
 * open across a disengage returns -ENOENT instead of touching freed memory.
 *
 * On 6.1, securityfs_remove() removes a single dentry and silently leaves a
 * directory that still has entries, so children are removed first. It also
 * leaves the dentry of a file that is still open hashed and positive, which
 * keeps its directory from being removed; ks_fs_remove() unhashes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "killswitch.h"

static struct dentry *ks_dir;
static struct dentry *ks_control_file;
static struct dentry *ks_engaged_file;
static struct dentry *ks_taint_file;
static struct dentry *ks_fn_dir;

static ssize_t ks_control_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *buf;
	int ret;

	ret = ks_writer_check(file);
	if (ret)
		return ret;

	/* A command is one whole write; a write at an offset is a fragment. */
	if (*ppos != 0 || count == 0 || count > KS_COMMAND_MAX)
		return -EINVAL;

	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	ret = ks_control_execute(buf, count);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations ks_control_fops = {
	.owner = THIS_MODULE,
	.write = ks_control_write,
	.llseek = noop_llseek,
};

/*
 * Show one engagement in the upstream format. A state other than engaged and
 * the options that differ from the defaults follow, so that the line of a
 * plain engagement stays exactly the upstream one.
 */
static void ks_engaged_show_one(struct seq_file *m,
				const struct ks_engagement *eng)
{
	struct ks_counts counts = ks_engagement_counts(eng);
	const char *state = ks_state_label(eng);
	unsigned int i;

	seq_printf(m, "%s retval=%ld hits=%llu", eng->symbol,
		   READ_ONCE(eng->retval), counts.hits);
	if (strcmp(state, "engaged"))
		seq_printf(m, " state=%s", state);
	if (eng->mode != KS_MODE_ENFORCE)
		seq_printf(m, " mode=%s", ks_mode_name(eng->mode));
	if (eng->scope != KS_SCOPE_ALL)
		seq_printf(m, " scope=%s", ks_scope_name(eng->scope));
	if (eng->irq != KS_IRQ_BLOCK)
		seq_printf(m, " irq=%s", ks_irq_name(eng->irq));
	for (i = 0; i < eng->allow_count; i++)
		seq_printf(m, " allow=%s", eng->allow_name[i]);
	if (ks_is_scoped(eng))
		seq_printf(m, " passed=%llu irq=%llu", counts.passed,
			   counts.irq);
	seq_putc(m, '\n');
}

static int ks_engaged_show(struct seq_file *m, void *v)
{
	struct ks_engagement *eng;

	mutex_lock(&ks_mutex);
	list_for_each_entry(eng, &ks_engagements, node)
		ks_engaged_show_one(m, eng);
	mutex_unlock(&ks_mutex);
	return 0;
}

static int ks_engaged_open(struct inode *inode, struct file *file)
{
	return single_open(file, ks_engaged_show, NULL);
}

static const struct file_operations ks_engaged_fops = {
	.owner = THIS_MODULE,
	.open = ks_engaged_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t ks_taint_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	const char *text = ks_taint_set() ? "1\n" : "0\n";

	return simple_read_from_buffer(ubuf, count, ppos, text, 2);
}

static const struct file_operations ks_taint_fops = {
	.owner = THIS_MODULE,
	.read = ks_taint_read,
	.llseek = default_llseek,
};

/*
 * Format the state of @eng: its name, and for a failed engagement the error
 * of the registration, as a negated errno name where one is known.
 */
static int ks_format_state(const struct ks_engagement *eng, char *text,
			   size_t size)
{
	const char *name = ks_state_label(eng);
	const char *error;

	if (eng->state != KS_STATE_FAILED)
		return scnprintf(text, size, "%s\n", name);

	error = ks_errno_name(-eng->arm_error);
	if (error)
		return scnprintf(text, size, "%s -%s\n", name, error);
	return scnprintf(text, size, "%s %d\n", name, eng->arm_error);
}

/* Format @field of @eng into @text; return the length or an error. */
static int ks_fn_format(struct ks_engagement *eng, enum ks_fn_field field,
			char *text, size_t size)
{
	struct ks_counts counts = ks_engagement_counts(eng);

	switch (field) {
	case KS_FN_RETVAL:
		return scnprintf(text, size, "%ld\n", READ_ONCE(eng->retval));
	case KS_FN_HITS:
		return scnprintf(text, size, "%llu\n", counts.hits);
	case KS_FN_STATE:
		return ks_format_state(eng, text, size);
	case KS_FN_PASSED:
		return scnprintf(text, size, "%llu\n", counts.passed);
	case KS_FN_IRQ:
		return scnprintf(text, size, "%llu\n", counts.irq);
	case KS_FN_TIMEOUT_LEFT:
		return scnprintf(text, size, "%u\n", ks_timeout_left(eng));
	case KS_FN_LAST_BLOCKED:
		return ks_format_last_blocked(eng, text, size);
	case KS_FN_CALLERS:
		return ks_format_callers(eng, text, size);
	case KS_FN_NR:
		break;
	}
	return -EINVAL;
}

/*
 * Return the field that @file shows: the index of its dentry among the files
 * of @eng. Called under ks_mutex, which keeps eng->files stable.
 */
static int ks_fn_field_of(const struct ks_engagement *eng,
			  const struct file *file)
{
	int i;

	for (i = 0; i < KS_FN_NR; i++) {
		if (eng->files[i] == file->f_path.dentry)
			return i;
	}
	return -ENOENT;
}

/*
 * Format one value of the engagement behind @file, or fail if it is gone.
 * Each read formats the whole value again, so a reader that reads in small
 * pieces while the counts change can see a mix of two versions.
 */
static ssize_t ks_fn_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	struct ks_engagement *eng;
	ssize_t ret;
	char *text;
	int field;
	int len;

	text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!text)
		return -ENOMEM;

	mutex_lock(&ks_mutex);
	eng = file_inode(file)->i_private;
	field = eng ? ks_fn_field_of(eng, file) : -ENOENT;
	if (field < 0)
		len = field;
	else
		len = ks_fn_format(eng, field, text, PAGE_SIZE);
	mutex_unlock(&ks_mutex);

	if (len < 0)
		ret = len;
	else
		ret = simple_read_from_buffer(ubuf, count, ppos, text, len);
	kfree(text);
	return ret;
}

static ssize_t ks_retval_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct ks_engagement *eng;
	struct ks_parse_error err;
	char buf[64];
	long long retval;
	int ret;

	ret = ks_writer_check(file);
	if (ret)
		return ret;

	if (*ppos != 0 || count == 0 || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;

	if (ks_parse_retval_line(buf, count, &retval, &err) != KS_PARSE_OK) {
		pr_info("rejected retval write: %s\n",
			ks_parse_status_message(err.status));
		return -EINVAL;
	}

	mutex_lock(&ks_mutex);
	eng = file_inode(file)->i_private;
	if (eng)
		ret = ks_set_retval(eng, (long)retval);
	else
		ret = -ENOENT;
	mutex_unlock(&ks_mutex);

	return ret ? ret : count;
}

static const struct file_operations ks_retval_fops = {
	.owner = THIS_MODULE,
	.read = ks_fn_read,
	.write = ks_retval_write,
	.llseek = default_llseek,
};

/* Every fn/ file but retval is read-only. */
static const struct file_operations ks_fn_read_only_fops = {
	.owner = THIS_MODULE,
	.read = ks_fn_read,
	.llseek = default_llseek,
};

/*
 * Remove @dentry from securityfs. An open file holds a reference to its
 * dentry, so after securityfs_remove() the dentry can still be hashed and
 * count as an entry of its directory. Holding a reference of our own across
 * the removal lets it be unhashed safely, as d_delete() does for a busy
 * dentry, and the directory then counts as empty.
 */
static void ks_fs_remove(struct dentry *dentry)
{
	if (IS_ERR_OR_NULL(dentry))
		return;

	dget(dentry);
	securityfs_remove(dentry);
	d_drop(dentry);
	dput(dentry);
}

/* Remove @dentry after cutting its inode's link to the engagement. */
static void ks_fs_remove_file(struct dentry *dentry)
{
	if (IS_ERR_OR_NULL(dentry))
		return;
	d_inode(dentry)->i_private = NULL;
	ks_fs_remove(dentry);
}

/* The name and mode of each file of fn/<symbol>/. */
static const struct {
	const char *name;
	umode_t mode;
} ks_fn_files[KS_FN_NR] = {
	[KS_FN_RETVAL] = { "retval", 0600 },
	[KS_FN_HITS] = { "hits", 0400 },
	[KS_FN_STATE] = { "state", 0400 },
	[KS_FN_PASSED] = { "passed", 0400 },
	[KS_FN_IRQ] = { "irq", 0400 },
	[KS_FN_TIMEOUT_LEFT] = { "timeout_left", 0400 },
	[KS_FN_LAST_BLOCKED] = { "last_blocked", 0400 },
	[KS_FN_CALLERS] = { "callers", 0400 },
};

int ks_fs_add_function(struct ks_engagement *eng)
{
	size_t i;

	lockdep_assert_held(&ks_mutex);

	eng->dir = securityfs_create_dir(eng->symbol, ks_fn_dir);
	if (IS_ERR(eng->dir))
		goto fail;

	for (i = 0; i < KS_FN_NR; i++) {
		const struct file_operations *fops = i == KS_FN_RETVAL ?
			&ks_retval_fops : &ks_fn_read_only_fops;

		eng->files[i] = securityfs_create_file(ks_fn_files[i].name,
						       ks_fn_files[i].mode,
						       eng->dir, eng, fops);
		if (IS_ERR(eng->files[i]))
			goto fail;
	}
	return 0;

fail:
	pr_warn("cannot create fn/%s in securityfs\n", eng->symbol);
	ks_fs_remove_function(eng);
	return -ENOMEM;
}

void ks_fs_remove_function(struct ks_engagement *eng)
{
	size_t i;

	lockdep_assert_held(&ks_mutex);

	for (i = KS_FN_NR; i-- > 0;) {
		ks_fs_remove_file(eng->files[i]);
		eng->files[i] = NULL;
	}
	ks_fs_remove(eng->dir);
	eng->dir = NULL;
}

int ks_fs_init(void)
{
	ks_dir = securityfs_create_dir("killswitch", NULL);
	if (IS_ERR(ks_dir))
		return PTR_ERR(ks_dir);

	ks_control_file = securityfs_create_file("control", 0200, ks_dir, NULL,
						 &ks_control_fops);
	if (IS_ERR(ks_control_file))
		goto fail;

	ks_engaged_file = securityfs_create_file("engaged", 0444, ks_dir, NULL,
						 &ks_engaged_fops);
	if (IS_ERR(ks_engaged_file))
		goto fail;

	ks_taint_file = securityfs_create_file("taint", 0444, ks_dir, NULL,
					       &ks_taint_fops);
	if (IS_ERR(ks_taint_file))
		goto fail;

	ks_fn_dir = securityfs_create_dir("fn", ks_dir);
	if (IS_ERR(ks_fn_dir))
		goto fail;

	return 0;

fail:
	ks_fs_exit();
	return -ENOMEM;
}

/* Remove the tree; every fn/<symbol>/ entry must already be gone. */
void ks_fs_exit(void)
{
	struct dentry *entries[] = {
		ks_fn_dir, ks_taint_file, ks_engaged_file, ks_control_file,
		ks_dir,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(entries); i++)
		ks_fs_remove(entries[i]);

	ks_fn_dir = NULL;
	ks_taint_file = NULL;
	ks_engaged_file = NULL;
	ks_control_file = NULL;
	ks_dir = NULL;
}
