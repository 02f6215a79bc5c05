// SPDX-License-Identifier: GPL-2.0
/* ksctl observe: count the calls of a function for a while. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "commands.h"
#include "kernel_iface.h"
#include "observe.h"
#include "output.h"
#include "preflight.h"

void usage_observe(FILE *stream)
{
	fputs("Usage: ksctl observe SYMBOL --for SECONDS [--json]\n"
	      "\n"
	      "Engage SYMBOL in observe mode, which counts its calls and records its\n"
	      "callers without blocking any call, for SECONDS (1 to 86400), then\n"
	      "disengage it and print the calls per second and the call sites seen.\n"
	      "SIGINT, SIGTERM and SIGHUP end the window early; the function is\n"
	      "disengaged in every case. A function that is already engaged is\n"
	      "refused.\n"
	      "\n"
	      "  --for SECONDS  length of the observation window\n"
	      "  --json         print the report as JSON (see ksctl(8) for the schema)\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/* After the location preflight: observe unless refused or not loaded. */
static int observe_after_preflight(const struct ksctl_env *env, struct output *out,
				   const struct preflight *pf, unsigned int seconds)
{
	struct observation obs;
	int ret;

	if (pf->refused) {
		output_error(out, KSCTL_EXIT_REFUSED,
			     "not observed: the preflight refused %s (see the refusals above)",
			     pf->symbol);
		return KSCTL_EXIT_REFUSED;
	}
	if (!kernel_iface_present(env)) {
		output_error(out, KSCTL_EXIT_NOT_READY, NOT_LOADED_MESSAGE);
		return KSCTL_EXIT_NOT_READY;
	}

	output_uint(out, "seconds_requested", NULL, seconds);
	output_text(out, "observing %s for %u seconds\n", pf->target, seconds);
	fflush(stdout);
	ret = observe_run(env, out, pf->target, seconds, &obs);
	observation_print(out, &obs);
	if (ret == KSCTL_EXIT_OK)
		output_text(out, "result:  observed and disengaged %s\n", pf->target);
	observation_free(&obs);
	return ret;
}

int cmd_observe(struct ksctl_env *env, int argc, char **argv)
{
	const char *seconds_text = NULL;
	const struct command_flag flags[] = {
		{ .name = "for", .takes_value = true, .text = &seconds_text },
	};
	struct preflight_request request = { .command = "observe", .location_only = true };
	struct preflight pf = { 0 };
	unsigned int seconds = 0;
	char *positional[1];
	struct output *out;
	size_t count;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, 1, positional, 1, &count,
				 usage_observe);
	if (ret >= 0)
		return ret;
	if (count == 0 || !seconds_text) {
		fputs(count == 0 ? "ksctl observe: missing SYMBOL\n" :
				   "ksctl observe: missing --for SECONDS\n",
		      stderr);
		usage_observe(stderr);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	ret = observe_parse_seconds(out, "observe", "--for", seconds_text, &seconds);
	request.symbol = positional[0];
	if (ret == KSCTL_EXIT_OK)
		ret = preflight_start(env, out, &request, &pf);
	if (ret == KSCTL_EXIT_OK) {
		preflight_print(out, &pf, env->root);
		ret = observe_after_preflight(env, out, &pf, seconds);
	}
	preflight_free(&pf);
	output_finish(out);
	return ret;
}
