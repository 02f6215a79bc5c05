// SPDX-License-Identifier: GPL-2.0
/* ksctl engage and ksctl disengage. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "engage.h"
#include "kernel_iface.h"
#include "ks_grammar.h"
#include "output.h"
#include "preflight.h"

void usage_engage(FILE *stream)
{
	fputs("Usage: ksctl engage SYMBOL [RETVAL] [--scope all|nonroot|userns]\n"
	      "                   [--allow PATH]... [--irq block|pass] [--try SECONDS]\n"
	      "                   [--force] [--dry-run] [--yes] [--json]\n"
	      "\n"
	      "Run the preflight on SYMBOL, then make it return RETVAL without running\n"
	      "its body. RETVAL defaults from the return type in BTF: ERR_PTR(-EPERM)\n"
	      "for a pointer, false for bool, -EPERM for a signed integer; an unsigned\n"
	      "integer, or a function without BTF, needs RETVAL.\n"
	      "\n"
	      "  --scope S      which callers are blocked: all (default), nonroot (callers\n"
	      "                 whose effective uid is not 0), userns (callers in a user\n"
	      "                 namespace other than the initial one)\n"
	      "  --allow PATH   let calls from the executable PATH through; repeatable,\n"
	      "                 up to 8 times\n"
	      "  --irq P        for a scoped engagement, block (default) or pass calls\n"
	      "                 made in interrupt context, which have no caller to judge\n"
	      "  --try SECONDS  count calls for SECONDS (1 to 86400) first, then engage\n"
	      "                 only if nothing called the function (tryengage)\n"
	      "  --force        engage despite a refusal marked \"--force overrides\", such\n"
	      "                 as a function that returns void\n"
	      "  --dry-run      stop after the preflight\n"
	      "  --yes          do not ask for confirmation; required when standard input\n"
	      "                 is not a terminal\n"
	      "  --json         print the report and the result as JSON\n"
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

/* Return true if lockdown is at @level. */
static bool lockdown_at(const struct ksctl_env *env, const char *level)
{
	char *current = kernel_iface_lockdown(env);
	bool match = current && strcmp(current, level) == 0;

	free(current);
	return match;
}

int report_write_error(const struct ksctl_env *env, struct output *out,
		       const char *command, const char *symbol, int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		if (lockdown_at(env, "confidentiality")) {
			output_error(out, KSCTL_EXIT_NOT_READY,
				     "'%s' was rejected: lockdown is at confidentiality, which forbids kprobes; boot with lockdown=integrity or without lockdown",
				     command);
			return KSCTL_EXIT_NOT_READY;
		}
		if (lockdown_at(env, "integrity")) {
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
			     "'%s' was rejected with EINVAL: the module does not accept the command (an option this module version does not know?) or the kprobe layer refuses %s (on the kprobe blacklist, or not in kernel text); the kernel log says why",
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

/* The engage options as control words, with the tryengage window. */
struct engage_request {
	struct engage_options options;
	/* " scope=nonroot allow=/usr/bin/x irq=pass", or "". */
	char *words;
	/* --try SECONDS as given, or NULL. */
	const char *try_seconds;
};

static char *option_words(const struct engage_options *options)
{
	char *words = xstrdup("");
	size_t i;

	if (options->scope) {
		char *next = xasprintf("%s scope=%s", words, options->scope);

		free(words);
		words = next;
	}
	for (i = 0; i < options->allow.count; i++) {
		char *next = xasprintf("%s allow=%s", words, (char *)options->allow.items[i]);

		free(words);
		words = next;
	}
	if (options->irq) {
		char *next = xasprintf("%s irq=%s", words, options->irq);

		free(words);
		words = next;
	}
	return words;
}

/*
 * Build the engage or tryengage command for @symbol and @retval_text,
 * checked by the shared grammar. Returns NULL with a message in @error.
 */
static char *engage_command(const struct engage_request *request, const char *symbol,
			    const char *retval_text, char **error)
{
	if (request->try_seconds)
		return kernel_iface_build_command(error, "tryengage %s %s %s%s", symbol,
						  retval_text, request->try_seconds,
						  request->words);
	return kernel_iface_build_command(error, "engage %s %s%s", symbol, retval_text,
					  request->words);
}

static int engage_request_after_preflight(const struct ksctl_env *env, struct output *out,
					  const struct preflight *pf,
					  const struct engage_request *request, bool dry_run,
					  bool yes)
{
	char retval_word[32];
	char *command;
	char *error;
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

	snprintf(retval_word, sizeof(retval_word), "%lld", pf->retval);
	command = engage_command(request, pf->target, retval_word, &error);
	if (!command) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "internal error: the control command for %s is invalid: %s",
			     pf->target, error);
		free(error);
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
	if (request->try_seconds)
		output_text(out,
			    "result:  probing %s for %s seconds; it is engaged then only if nothing called it (see ksctl status)\n",
			    pf->target, request->try_seconds);
	else
		output_text(out, "result:  engaged %s\n", pf->target);
	free(command);
	return KSCTL_EXIT_OK;
}

int engage_after_preflight(const struct ksctl_env *env, struct output *out,
			   const struct preflight *pf, const char *options, bool dry_run, bool yes)
{
	struct engage_request request = { 0 };
	int ret;

	request.words = options ? xasprintf(" %s", options) : xstrdup("");
	ret = engage_request_after_preflight(env, out, pf, &request, dry_run, yes);
	free(request.words);
	return ret;
}

/*
 * Check the options with the shared grammar before the preflight, on a
 * command made of the words given, so that an invalid option is a usage
 * error that names the word.
 */
static int check_engage_words(struct output *out, const struct engage_request *request,
			      const char *symbol, const char *retval_text)
{
	char *command;
	char *error;

	command = engage_command(request, symbol, retval_text ? retval_text : "0", &error);
	if (command) {
		free(command);
		return KSCTL_EXIT_OK;
	}
	output_string(out, "command", NULL, "engage");
	output_error(out, KSCTL_EXIT_USAGE, "invalid engage option %s", error);
	free(error);
	return KSCTL_EXIT_USAGE;
}

int cmd_engage(struct ksctl_env *env, int argc, char **argv)
{
	struct engage_request request = { 0 };
	bool force = false;
	bool dry_run = false;
	bool yes = false;
	const struct command_flag flags[] = {
		{ .name = "force", .value = &force },
		{ .name = "dry-run", .value = &dry_run },
		{ .name = "yes", .value = &yes },
		{ .name = "scope", .takes_value = true, .text = &request.options.scope },
		{ .name = "irq", .takes_value = true, .text = &request.options.irq },
		{ .name = "allow", .takes_value = true, .values = &request.options.allow },
		{ .name = "try", .takes_value = true, .text = &request.try_seconds },
	};
	char *positional[2];
	struct preflight_request preflight = { .command = "engage" };
	size_t count;
	struct preflight pf = { 0 };
	struct output *out;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, sizeof(flags) / sizeof(flags[0]),
				 positional, 2, &count, usage_engage);
	if (ret < 0 && count == 0) {
		fputs("ksctl engage: missing SYMBOL\n", stderr);
		usage_engage(stderr);
		ret = KSCTL_EXIT_USAGE;
	}
	if (ret >= 0) {
		/* The allow array points to argv's strings, which are not freed. */
		free(request.options.allow.items);
		return ret;
	}

	preflight.symbol = positional[0];
	preflight.retval_text = count > 1 ? positional[1] : NULL;
	preflight.force = force;
	preflight.options = &request.options;
	request.words = option_words(&request.options);

	out = output_new(env->json, stdout);
	ret = check_engage_words(out, &request, preflight.symbol, preflight.retval_text);
	if (ret == KSCTL_EXIT_OK) {
		output_bool(out, "dry_run", NULL, dry_run);
		ret = preflight_start(env, out, &preflight, &pf);
	}
	if (ret == KSCTL_EXIT_OK) {
		preflight_print(out, &pf, env->root);
		ret = engage_request_after_preflight(env, out, &pf, &request, dry_run, yes);
	}
	if (ret != KSCTL_EXIT_OK || dry_run)
		output_bool(out, "engaged", NULL, false);

	preflight_free(&pf);
	free(request.words);
	free(request.options.allow.items);
	output_finish(out);
	return ret;
}

int cmd_disengage(struct ksctl_env *env, int argc, char **argv)
{
	bool all = false;
	const struct command_flag flags[] = { { .name = "all", .value = &all } };
	char symbol[KS_SYMBOL_MAX + 1];
	enum ks_parse_status status;
	char *positional[1];
	const char *target;
	struct output *out;
	char *command;
	char *error;
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

	command = all ? kernel_iface_build_command(&error, "disengage_all") :
			kernel_iface_build_command(&error, "disengage %s", target);
	if (!command)
		free(error);
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
