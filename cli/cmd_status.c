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
	      "List every engagement with its return value, its hits (calls\n"
	      "intercepted) and its state (pending, failed, or the state of its\n"
	      "kprobe), with the version of the loaded killswitch module and the\n"
	      "kernel's taint.\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * Read the first word of fn/SYMBOL/state: "engaged", "pending" or "failed".
 * Returns a new string, or NULL if the file cannot be read.
 */
static char *module_engagement_state(const struct ksctl_env *env, const char *symbol)
{
	char *relative = xasprintf("/sys/kernel/security/killswitch/fn/%s/state", symbol);
	char *path = root_path(env, relative);
	char *text = read_first_line(path);

	free(path);
	free(relative);
	if (text)
		text[strcspn(text, " ")] = '\0';
	return text;
}

/*
 * The state of an engagement. "pending" and "failed" come from the module,
 * for an engagement on a module that is not loaded or that could not be
 * armed when it loaded. Otherwise the kprobe state from the kprobe list in
 * debugfs: "active", "disabled", "gone" (its module unloaded) or "unknown".
 */
static const char *engagement_state(const struct ksctl_env *env, const char *symbol,
				    const char **probe)
{
	char *module_state = module_engagement_state(env, symbol);
	struct kprobe_state state;
	const char *colon = strchr(symbol, ':');
	char *module = colon ? strndup(symbol, (size_t)(colon - symbol)) : NULL;
	const char *name = colon ? colon + 1 : symbol;
	int err;

	*probe = NULL;
	if (module_state && (strcmp(module_state, "pending") == 0 ||
			     strcmp(module_state, "failed") == 0)) {
		const char *result = strcmp(module_state, "pending") == 0 ? "pending" : "failed";

		free(module_state);
		free(module);
		return result;
	}
	free(module_state);

	err = symbols_kprobe_state(env, name, module, &state);
	free(module);
	if (err || !state.listed)
		return "unknown";

	if (state.ftrace)
		*probe = "ftrace";
	else if (state.optimized)
		*probe = "optimized";
	else
		*probe = "breakpoint";
	if (state.gone)
		return "gone";
	if (state.disabled)
		return "disabled";
	return "active";
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

static void print_engagement(const struct ksctl_env *env, struct output *out,
			     const struct engagement *eng)
{
	char *text = preflight_format_retval(eng->retval, false, RETURN_SIGNED);
	const char *probe;
	const char *state = engagement_state(env, eng->symbol, &probe);

	output_object_begin(out, NULL, NULL);
	output_string(out, "symbol", "symbol", eng->symbol);
	output_int(out, "retval", NULL, eng->retval);
	output_string(out, "retval_text", "retval", text);
	output_uint(out, "hits", "hits", eng->hits);
	output_string(out, "state", "state", state);
	output_string(out, "probe", "probe", probe);
	output_object_end(out);
	free(text);
}

int cmd_status(struct ksctl_env *env, int argc, char **argv)
{
	struct ptr_array engaged = { 0 };
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
	output_array_begin(out, "engagements", "engagements");
	for (i = 0; i < engaged.count; i++)
		print_engagement(env, out, engaged.items[i]);
	output_array_end(out);
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
