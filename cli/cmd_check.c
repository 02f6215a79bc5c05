// SPDX-License-Identifier: GPL-2.0
/* ksctl check: the preflight alone, as a report. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "commands.h"
#include "kernel_iface.h"
#include "observe.h"
#include "output.h"
#include "preflight.h"

void usage_check(FILE *stream)
{
	fputs("Usage: ksctl check SYMBOL [RETVAL] [--observe SECONDS] [--force] [--json]\n"
	      "\n"
	      "Run the preflight on the kernel function SYMBOL (NAME, MODULE:NAME, or\n"
	      "vmlinux:NAME for the kernel image) and report where it is defined,\n"
	      "whether it can be probed, its compiler clones, its return type and\n"
	      "the return value an engagement would use. Nothing is engaged.\n"
	      "\n"
	      "  RETVAL    a decimal or hex number, or a negated errno name such as\n"
	      "            -EPERM; without it the default for the return type\n"
	      "  --observe SECONDS\n"
	      "            also count the calls for SECONDS (1 to 86400) in observe\n"
	      "            mode, which blocks none, and warn above 1000 calls per second\n"
	      "  --force   report the refusals that engage --force would override\n"
	      "  --json    print the report as JSON (see ksctl(8) for the schema)\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * Observe the function for @seconds and add a finding with its call rate:
 * a warning above OBSERVE_HOT_CALLS_PER_SECOND, else an info.
 */
static int observe_for_check(const struct ksctl_env *env, struct output *out,
			     struct preflight *pf, unsigned int seconds)
{
	struct observation obs;
	int ret;

	if (pf->refused) {
		finding_add(&pf->findings, SEVERITY_INFO, "not-observed", NULL,
			    "the calls were not observed because the preflight refused %s",
			    pf->symbol);
		return KSCTL_EXIT_OK;
	}
	if (!kernel_iface_present(env)) {
		output_error(out, KSCTL_EXIT_NOT_READY, "--observe needs the module: %s",
			     NOT_LOADED_MESSAGE);
		return KSCTL_EXIT_NOT_READY;
	}

	output_object_begin(out, "observation", NULL);
	output_uint(out, "seconds_requested", NULL, seconds);
	ret = observe_run(env, out, pf->target, seconds, &obs);
	observation_print(out, &obs);
	output_object_end(out);

	if (ret == KSCTL_EXIT_OK && obs.calls_per_second > OBSERVE_HOT_CALLS_PER_SECOND)
		finding_add(&pf->findings, SEVERITY_WARNING, "call-rate", NULL,
			    "%s was called %llu times in %.2f s (%.2f per second): engaging a function this hot is likely to break the machine",
			    pf->target, obs.calls, obs.seconds, obs.calls_per_second);
	else if (ret == KSCTL_EXIT_OK)
		finding_add(&pf->findings, SEVERITY_INFO, "call-rate", NULL,
			    "%s was called %llu times in %.2f s (%.2f per second)", pf->target,
			    obs.calls, obs.seconds, obs.calls_per_second);
	observation_free(&obs);
	return ret;
}

int cmd_check(struct ksctl_env *env, int argc, char **argv)
{
	const char *observe_text = NULL;
	bool force = false;
	const struct command_flag flags[] = {
		{ .name = "force", .value = &force },
		{ .name = "observe", .takes_value = true, .text = &observe_text },
	};
	struct preflight_request request = { .command = "check" };
	struct preflight pf = { 0 };
	unsigned int seconds = 0;
	char *positional[2];
	struct output *out;
	size_t count;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, 2, positional, 2, &count,
				 usage_check);
	if (ret >= 0)
		return ret;
	if (count == 0) {
		fputs("ksctl check: missing SYMBOL\n", stderr);
		usage_check(stderr);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	if (observe_text) {
		ret = observe_parse_seconds(out, "check", "--observe", observe_text, &seconds);
		if (ret != KSCTL_EXIT_OK) {
			output_finish(out);
			return ret;
		}
	}

	request.symbol = positional[0];
	request.retval_text = count > 1 ? positional[1] : NULL;
	request.force = force;
	ret = preflight_start(env, out, &request, &pf);
	if (ret == KSCTL_EXIT_OK && seconds)
		ret = observe_for_check(env, out, &pf, seconds);
	if (ret != KSCTL_EXIT_OK) {
		preflight_free(&pf);
		output_finish(out);
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
