// SPDX-License-Identifier: GPL-2.0
/* ksctl check: the preflight alone, as a report. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "commands.h"
#include "output.h"
#include "preflight.h"

void usage_check(FILE *stream)
{
	fputs("Usage: ksctl check SYMBOL [RETVAL] [--force] [--json]\n"
	      "\n"
	      "Run the preflight on the kernel function SYMBOL (NAME, MODULE:NAME, or\n"
	      "vmlinux:NAME for the kernel image) and report where it is defined,\n"
	      "whether it can be probed, its compiler clones, its return type and\n"
	      "the return value an engagement would use. Nothing is engaged.\n"
	      "\n"
	      "  RETVAL    a decimal or hex number, or a negated errno name such as\n"
	      "            -EPERM; without it the default for the return type\n"
	      "  --force   report the refusals that engage --force would override\n"
	      "  --json    print the report as JSON (see ksctl(8) for the schema)\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

int cmd_check(struct ksctl_env *env, int argc, char **argv)
{
	bool force = false;
	const struct command_flag flags[] = { { "force", &force } };
	char *positional[2];
	size_t count;
	struct preflight pf;
	struct output *out;
	char *error;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, 1, positional, 2, &count,
				 usage_check);
	if (ret >= 0)
		return ret;
	if (count == 0) {
		fputs("ksctl check: missing SYMBOL\n", stderr);
		usage_check(stderr);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "check");
	ret = preflight_run(env, positional[0], count > 1 ? positional[1] : NULL, force,
			    &pf, &error);
	if (ret != KSCTL_EXIT_OK) {
		output_error(out, ret, "%s", error);
		free(error);
		output_finish(out);
		preflight_free(&pf);
		return ret;
	}

	preflight_print(out, &pf, env->root);
	if (pf.refused)
		output_text(out, "result:  refused; engage would not proceed\n");
	else if (pf.forced)
		output_text(out, "result:  ready to engage with --force\n");
	else
		output_text(out, "result:  ready to engage\n");
	ret = pf.refused ? KSCTL_EXIT_REFUSED : KSCTL_EXIT_OK;

	preflight_free(&pf);
	output_finish(out);
	return ret;
}
