/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An observation window: engage a function in observe mode, which counts
 * its calls and records its callers without blocking them, wait, read the
 * counts and disengage it again.
 */
#ifndef KSCTL_OBSERVE_H
#define KSCTL_OBSERVE_H

#include <stdbool.h>

#include "output.h"
#include "util.h"

/* Above this call rate an engagement is likely to break the machine. */
#define OBSERVE_HOT_CALLS_PER_SECOND 1000.0

struct observation {
	/* The window as measured, in seconds: shorter when interrupted. */
	double seconds;
	unsigned long long calls;
	double calls_per_second;
	/* Calls in interrupt or softirq context, unless the module has no irq file. */
	bool have_irq;
	unsigned long long irq_calls;
	/* struct caller *; have_callers is false if the module has no callers file. */
	bool have_callers;
	struct ptr_array callers;
	/* Set if SIGINT, SIGTERM or SIGHUP ended the window early. */
	bool interrupted;
};

/*
 * Parse the value of @option, a window of 1 to 86400 whole seconds (the
 * range of the tryengage window). Returns KSCTL_EXIT_OK, or
 * KSCTL_EXIT_USAGE after reporting the invalid value on @out as an error of
 * @command.
 */
int observe_parse_seconds(struct output *out, const char *command, const char *option,
			  const char *text, unsigned int *seconds);

/*
 * Engage @target in observe mode for @seconds and fill @obs. SIGINT,
 * SIGTERM and SIGHUP end the window early. They stay blocked until the
 * function is disengaged, and the early end is reported as an error with
 * KSCTL_EXIT_FAILED. Returns KSCTL_EXIT_OK, or another exit code after
 * reporting the error on @out. Whenever the engage write succeeded, the
 * function is disengaged before this returns; a failed disengage is
 * reported with the command that retries it.
 */
int observe_run(const struct ksctl_env *env, struct output *out, const char *target,
		unsigned int seconds, struct observation *obs);

/* Print the window, the call rate and the callers. */
void observation_print(struct output *out, const struct observation *obs);

void observation_free(struct observation *obs);

#endif /* KSCTL_OBSERVE_H */
