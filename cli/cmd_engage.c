// SPDX-License-Identifier: GPL-2.0
/* ksctl engage and ksctl disengage. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "kernel_iface.h"
#include "ks_grammar.h"
#include "output.h"
#include "preflight.h"

#define NOT_LOADED_MESSAGE \
	"the killswitch module is not loaded (no /sys/kernel/security/killswitch/control): run modprobe killswitch, or ksctl doctor to see why it cannot load"

void usage_engage(FILE *stream)
{
	fputs("Usage: ksctl engage SYMBOL [RETVAL] [--force] [--dry-run] [--yes] [--json]\n"
	      "\n"
	      "Run the preflight on SYMBOL, then make it return RETVAL without running\n"
	      "its body. RETVAL defaults from the return type in BTF: ERR_PTR(-EPERM)\n"
	      "for a pointer, false for bool, -EPERM for a signed integer; an unsigned\n"
	      "integer, or a function without BTF, needs RETVAL.\n"
	      "\n"
	      "  --force    engage despite a refusal marked \"--force overrides\", such\n"
	      "             as a function that returns void\n"
	      "  --dry-run  stop after the preflight\n"
	      "  --yes      do not ask for confirmation; required when standard input\n"
	      "             is not a terminal\n"
	      "  --json     print the report and the result as JSON\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

void usage_disengage(FILE *stream)
{
	fputs("Usage: ksctl disengage SYMBOL [--json]\n"
	      "       ksctl disengage --all [--json]\n"
	      "\n"
	      "Restore the engaged function SYMBOL, as ksctl status lists it, or every\n"
	      "engaged function with --all.\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/* Return true if lockdown is at its confidentiality level. */
static bool lockdown_confidentiality(const struct ksctl_env *env)
{
	char *path = root_path(env, "/sys/kernel/security/lockdown");
	char *text = read_first_line(path);
	bool confidential = text && strstr(text, "[confidentiality]");

	free(text);
	free(path);
	return confidential;
}

/* Return true if lockdown is at its integrity level. */
static bool lockdown_integrity(const struct ksctl_env *env)
{
	char *level = kernel_iface_lockdown(env);
	bool integrity = level && strcmp(level, "integrity") == 0;

	free(level);
	return integrity;
}

/*
 * Explain an error of a control write, with what to do next, and return
 * the exit code.
 */
static int report_write_error(const struct ksctl_env *env, struct output *out,
			      const char *command, const char *symbol, int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		if (lockdown_confidentiality(env)) {
			output_error(out, KSCTL_EXIT_NOT_READY,
				     "'%s' was rejected: lockdown is at confidentiality, which forbids kprobes; boot with lockdown=integrity or without lockdown",
				     command);
			return KSCTL_EXIT_NOT_READY;
		}
		if (lockdown_integrity(env)) {
			output_error(out, KSCTL_EXIT_NOT_READY,
				     "'%s' was rejected: under lockdown the module rejects runtime writes; engage through the engage= module parameter at load (ksctl apply --modprobe-conf writes it from the configuration files)",
				     command);
			return KSCTL_EXIT_NOT_READY;
		}
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' was rejected with %s: run ksctl as root, with CAP_SYS_ADMIN in the initial user namespace",
			     command, strerror(-err));
		return KSCTL_EXIT_FAILED;
	case EINVAL:
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' was rejected with EINVAL: the kprobe layer refuses %s (on the kprobe blacklist, or not in kernel text); the kernel log says why",
			     command, symbol);
		return KSCTL_EXIT_FAILED;
	case ENOENT:
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' was rejected with ENOENT: %s is not a kernel symbol now, or not engaged; check ksctl status and ksctl check %s",
			     command, symbol, symbol);
		return KSCTL_EXIT_FAILED;
	case EBUSY:
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' was rejected with EBUSY: %s is already engaged, under this name or another, or a live patch holds it; see ksctl status",
			     command, symbol);
		return KSCTL_EXIT_FAILED;
	default:
		output_error(out, KSCTL_EXIT_FAILED, "'%s' failed: %s", command, strerror(-err));
		return KSCTL_EXIT_FAILED;
	}
}

/* Build a control command and check it with the kernel's own grammar. */
static char *build_command(const char *verb, const char *symbol, const long long *retval)
{
	struct ks_command parsed;
	char *command = retval ? xasprintf("%s %s %lld", verb, symbol, *retval) :
				 symbol ? xasprintf("%s %s", verb, symbol) :
					  xstrdup(verb);

	if (ks_parse_command(command, strlen(command), &parsed, NULL) != KS_PARSE_OK) {
		free(command);
		return NULL;
	}
	return command;
}

/* Ask on the terminal; returns true for an answer of y or yes. */
static bool confirm(const struct preflight *pf)
{
	char *text = preflight_format_retval(pf->retval, pf->have_type, pf->type.kind);
	char answer[16] = "";

	fprintf(stderr, "Engage %s, returning %s? [y/N] ", pf->target, text);
	free(text);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	answer[strcspn(answer, "\n")] = '\0';
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
	       strcmp(answer, "yes") == 0;
}

static int engage_after_preflight(const struct ksctl_env *env, struct output *out,
				  const struct preflight *pf, bool dry_run, bool yes)
{
	char *command;
	int err;

	if (pf->refused) {
		output_error(out, KSCTL_EXIT_REFUSED,
			     "not engaged: the preflight refused %s (see the refusals above)",
			     pf->symbol);
		return KSCTL_EXIT_REFUSED;
	}
	if (dry_run) {
		output_text(out, "result:  dry run, not engaged\n");
		return KSCTL_EXIT_OK;
	}
	if (!kernel_iface_present(env)) {
		output_error(out, KSCTL_EXIT_NOT_READY, NOT_LOADED_MESSAGE);
		return KSCTL_EXIT_NOT_READY;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			output_error(out, KSCTL_EXIT_USAGE,
				     "not engaged: standard input is not a terminal, so ksctl cannot ask for confirmation; pass --yes");
			return KSCTL_EXIT_USAGE;
		}
		if (!confirm(pf)) {
			output_error(out, KSCTL_EXIT_FAILED, "not engaged: the answer was not yes");
			return KSCTL_EXIT_FAILED;
		}
	}

	command = build_command("engage", pf->target, &pf->retval);
	if (!command) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "internal error: the control command for %s is invalid", pf->target);
		return KSCTL_EXIT_FAILED;
	}
	output_string(out, "control_command", NULL, command);
	err = kernel_iface_write_control(env, command);
	if (err) {
		int ret = report_write_error(env, out, command, pf->target, err);

		free(command);
		return ret;
	}
	output_bool(out, "engaged", NULL, true);
	output_text(out, "result:  engaged %s\n", pf->target);
	free(command);
	return KSCTL_EXIT_OK;
}

int cmd_engage(struct ksctl_env *env, int argc, char **argv)
{
	bool force = false;
	bool dry_run = false;
	bool yes = false;
	const struct command_flag flags[] = {
		{ "force", &force },
		{ "dry-run", &dry_run },
		{ "yes", &yes },
	};
	char *positional[2];
	size_t count;
	struct preflight pf;
	struct output *out;
	char *error;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, 3, positional, 2, &count,
				 usage_engage);
	if (ret >= 0)
		return ret;
	if (count == 0) {
		fputs("ksctl engage: missing SYMBOL\n", stderr);
		usage_engage(stderr);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "engage");
	output_bool(out, "dry_run", NULL, dry_run);
	ret = preflight_run(env, positional[0], count > 1 ? positional[1] : NULL, force,
			    &pf, &error);
	if (ret != KSCTL_EXIT_OK) {
		output_error(out, ret, "%s", error);
		free(error);
	} else {
		preflight_print(out, &pf, env->root);
		ret = engage_after_preflight(env, out, &pf, dry_run, yes);
		if (ret != KSCTL_EXIT_OK || dry_run)
			output_bool(out, "engaged", NULL, false);
	}

	preflight_free(&pf);
	output_finish(out);
	return ret;
}

int cmd_disengage(struct ksctl_env *env, int argc, char **argv)
{
	bool all = false;
	const struct command_flag flags[] = { { "all", &all } };
	char symbol[KS_SYMBOL_MAX + 1];
	enum ks_parse_status status;
	char *positional[1];
	const char *target;
	struct output *out;
	char *command;
	size_t count;
	int err;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, 1, positional, 1, &count,
				 usage_disengage);
	if (ret >= 0)
		return ret;
	if ((count == 0) == !all) {
		fputs("ksctl disengage: give either SYMBOL or --all\n", stderr);
		usage_disengage(stderr);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "disengage");
	if (all) {
		target = NULL;
	} else {
		status = ks_parse_symbol(positional[0], strlen(positional[0]), symbol);
		if (status != KS_PARSE_OK) {
			output_error(out, KSCTL_EXIT_USAGE, "invalid SYMBOL '%s': %s", positional[0],
				     ks_parse_status_message(status));
			output_finish(out);
			return KSCTL_EXIT_USAGE;
		}
		/* vmlinux: is ksctl's qualifier; the kernel knows the plain name. */
		target = starts_with(symbol, "vmlinux:") ? symbol + strlen("vmlinux:") : symbol;
	}
	output_string(out, "symbol", NULL, target);

	if (!kernel_iface_present(env)) {
		output_error(out, KSCTL_EXIT_NOT_READY, NOT_LOADED_MESSAGE);
		output_finish(out);
		return KSCTL_EXIT_NOT_READY;
	}

	command = all ? build_command("disengage_all", NULL, NULL) :
			build_command("disengage", target, NULL);
	err = command ? kernel_iface_write_control(env, command) : -EINVAL;
	if (err) {
		if (err == -ENOENT && target) {
			ret = KSCTL_EXIT_FAILED;
			output_error(out, ret,
				     "%s is not engaged; ksctl status lists the engaged functions",
				     target);
		} else {
			ret = report_write_error(env, out, command ? command : "disengage",
						 target ? target : "every function", err);
		}
	} else if (all) {
		ret = KSCTL_EXIT_OK;
		output_text(out, "disengaged every function\n");
	} else {
		ret = KSCTL_EXIT_OK;
		output_text(out, "disengaged %s\n", target);
	}
	output_bool(out, "disengaged", NULL, ret == KSCTL_EXIT_OK);
	free(command);
	output_finish(out);
	return ret;
}
