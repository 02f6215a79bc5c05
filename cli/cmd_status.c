// SPDX-License-Identifier: GPL-2.0
/* ksctl status: the engagements, the module version and the taint. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kernel_iface.h"
#include "output.h"
#include "preflight.h"
#include "symbols.h"

/* The live patching taint flag ('K') that an engagement sets. */
#define TAINT_LIVEPATCH_BIT 15

void usage_status(FILE *stream)
{
	fputs("Usage: ksctl status [--json]\n"
	      "\n"
	      "List every engagement with its return value, its state (pending,\n"
	      "armed, probing, observing, engaged or failed) and the state of its\n"
	      "kprobe, its mode, scope, allow list and irq policy, its counts (hits:\n"
	      "calls blocked, or counted in observe mode; passed; irq_calls), the\n"
	      "seconds left of a tryengage window and the last blocked call, with\n"
	      "the version of the loaded killswitch module and the kernel's taint.\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * The state of an engagement as the module reports it: the state= field of
 * its engaged line, else the first word of fn/SYMBOL/state. A line without
 * state= from a module that has no state file is an engaged one. Returns a
 * new string.
 */
static char *module_state(const struct ksctl_env *env, const struct engagement *eng)
{
	char *text;

	if (eng->state)
		return xstrdup(eng->state);
	text = kernel_iface_read_fn(env, eng->symbol, "state");
	if (!text)
		return xstrdup("engaged");
	text[strcspn(text, " ")] = '\0';
	return text;
}

/*
 * The state of the engagement's kprobe from the kprobe list in debugfs:
 * "active", "disabled", "gone" (its module unloaded) or "unknown", with its
 * kind in @probe. NULL for a pending or failed engagement, which has none.
 */
static const char *probe_state(const char *kprobe_list, const char *symbol,
			       const char *state, const char **probe)
{
	struct kprobe_state kprobe;
	const char *colon = strchr(symbol, ':');
	const char *name = colon ? colon + 1 : symbol;
	char *module;

	*probe = NULL;
	if (strcmp(state, "pending") == 0 || strcmp(state, "failed") == 0)
		return NULL;
	if (!kprobe_list)
		return "unknown";

	module = colon ? strndup(symbol, (size_t)(colon - symbol)) : NULL;
	symbols_kprobe_state_in(kprobe_list, name, module, &kprobe);
	free(module);
	if (!kprobe.listed)
		return "unknown";

	if (kprobe.ftrace)
		*probe = "ftrace";
	else if (kprobe.optimized)
		*probe = "optimized";
	else
		*probe = "breakpoint";
	if (kprobe.gone)
		return "gone";
	if (kprobe.disabled)
		return "disabled";
	return "active";
}

/*
 * Print a counter of fn/SYMBOL, or @fallback when the file is missing and
 * @have_fallback, else null (a module without the file).
 */
static void print_counter(const struct ksctl_env *env, struct output *out,
			  const struct engagement *eng, const char *file, const char *key,
			  const char *label, bool have_fallback, unsigned long long fallback)
{
	unsigned long long value;

	if (kernel_iface_read_fn_counter(env, eng->symbol, file, &value) == 0)
		output_uint(out, key, label, value);
	else if (have_fallback)
		output_uint(out, key, label, fallback);
	else
		output_null(out, key, NULL);
}

static void print_last_blocked(const struct ksctl_env *env, struct output *out,
			       const struct engagement *eng)
{
	struct blocked_call call;
	char *text;

	if (kernel_iface_read_last_blocked(env, eng->symbol, &call) != 1) {
		output_null(out, "last_blocked", NULL);
		return;
	}
	if (output_is_json(out)) {
		output_object_begin(out, "last_blocked", NULL);
		output_int(out, "pid", NULL, call.pid);
		output_string(out, "comm", NULL, call.comm);
		output_uint(out, "uid", NULL, call.uid);
		output_int(out, "time", NULL, call.time);
		output_object_end(out);
	} else {
		text = xasprintf("pid %lld (%s), uid %llu, at %lld", call.pid, call.comm,
				 call.uid, call.time);
		output_string(out, "last_blocked", "last blocked", text);
		free(text);
	}
	free(call.comm);
}

/* Return 1 if the live patching taint bit is set, 0 if not, -1 if unknown. */
static int kernel_taint_livepatch(const struct ksctl_env *env)
{
	char *path = root_path(env, "/proc/sys/kernel/tainted");
	char *text = read_first_line(path);
	unsigned long long mask;
	char *end;
	int set = -1;

	free(path);
	if (!text)
		return -1;
	errno = 0;
	mask = strtoull(text, &end, 10);
	if (!errno && end != text)
		set = (mask >> TAINT_LIVEPATCH_BIT) & 1;
	free(text);
	return set;
}

/* Print @eng, with @kprobe_list the debugfs kprobe list or NULL if unreadable. */
static void print_engagement(const struct ksctl_env *env, struct output *out,
			     const struct engagement *eng, const char *kprobe_list)
{
	char *text = preflight_format_retval(eng->retval, false, RETURN_SIGNED);
	char *state = module_state(env, eng);
	const char *probe;
	const char *kprobe = probe_state(kprobe_list, eng->symbol, state, &probe);

	output_object_begin(out, NULL, NULL);
	output_string(out, "symbol", "symbol", eng->symbol);
	output_int(out, "retval", NULL, eng->retval);
	output_string(out, "retval_text", "retval", text);
	output_uint(out, "hits", "hits", eng->hits);
	output_string(out, "state", "state", state);
	output_string(out, "probe_state", "probe state", kprobe);
	output_string(out, "probe", "probe", probe);
	output_string(out, "mode", "mode", eng->mode);
	output_string(out, "scope", "scope", eng->scope);
	output_string_array(out, "allow", eng->allow.count ? "allow" : NULL,
			    (const char *const *)eng->allow.items, eng->allow.count);
	output_string(out, "irq", "irq", eng->irq_policy);
	print_counter(env, out, eng, "passed", "passed", "passed", eng->have_counts,
		      eng->passed);
	print_counter(env, out, eng, "irq", "irq_calls", "irq calls", eng->have_counts,
		      eng->irq_calls);
	print_counter(env, out, eng, "timeout_left", "timeout_left", "timeout left", false, 0);
	print_last_blocked(env, out, eng);
	output_object_end(out);
	free(state);
	free(text);
}

int cmd_status(struct ksctl_env *env, int argc, char **argv)
{
	struct ptr_array engaged = { 0 };
	char *kprobe_list = NULL;
	char *positional[1];
	struct output *out;
	char *version;
	size_t count;
	size_t i;
	int taint;
	int err;
	int ret;

	ret = parse_command_args(env, argc, argv, NULL, 0, positional, 0, &count,
				 usage_status);
	if (ret >= 0)
		return ret;

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "status");
	output_object_begin(out, "module", NULL);
	output_bool(out, "loaded", "module loaded", kernel_iface_present(env));
	version = kernel_iface_module_version(env);
	output_string(out, "version", "module version", version);
	free(version);
	output_object_end(out);

	taint = kernel_taint_livepatch(env);
	if (taint < 0)
		output_null(out, "kernel_taint_livepatch", "kernel taint K");
	else
		output_bool(out, "kernel_taint_livepatch", "kernel taint K", taint);

	if (!kernel_iface_present(env)) {
		output_null(out, "taint", NULL);
		output_array_begin(out, "engagements", NULL);
		output_array_end(out);
		output_error(out, KSCTL_EXIT_NOT_READY,
			     "the killswitch module is not loaded: run modprobe killswitch");
		output_finish(out);
		return KSCTL_EXIT_NOT_READY;
	}

	taint = kernel_iface_read_taint(env);
	if (taint < 0)
		output_null(out, "taint", "taint set");
	else
		output_bool(out, "taint", "taint set", taint);

	err = kernel_iface_read_engaged(env, &engaged);
	/* One read of the kprobe list for all engagements keeps status linear. */
	if (engaged.count && symbols_kprobe_list_read(env, &kprobe_list) != 0)
		kprobe_list = NULL;
	output_array_begin(out, "engagements", "engagements");
	for (i = 0; i < engaged.count; i++)
		print_engagement(env, out, engaged.items[i], kprobe_list);
	output_array_end(out);
	free(kprobe_list);
	if (!err && engaged.count == 0)
		output_text(out, "    (none)\n");

	if (err) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read /sys/kernel/security/killswitch/engaged: %s",
			     strerror(-err));
		ret = KSCTL_EXIT_FAILED;
	} else {
		ret = KSCTL_EXIT_OK;
	}
	engagements_free(&engaged);
	output_finish(out);
	return ret;
}
