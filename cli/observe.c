// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "observe.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "kernel_iface.h"
#include "ks_grammar.h"

static bool parse_seconds(const char *text, unsigned int *seconds)
{
	unsigned long value;
	char *end;

	if (text[0] < '1' || text[0] > '9')
		return false;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || *end != '\0' || value < KS_SECONDS_MIN || value > KS_SECONDS_MAX)
		return false;
	*seconds = (unsigned int)value;
	return true;
}

int observe_parse_seconds(struct output *out, const char *command, const char *option,
			  const char *text, unsigned int *seconds)
{
	if (parse_seconds(text, seconds))
		return KSCTL_EXIT_OK;
	output_string(out, "command", NULL, command);
	output_error(out, KSCTL_EXIT_USAGE, "invalid %s '%s': give whole seconds from %d to %d",
		     option, text, KS_SECONDS_MIN, KS_SECONDS_MAX);
	return KSCTL_EXIT_USAGE;
}

static double monotonic_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/*
 * Wait until @seconds have passed since @start or a signal of @signals
 * arrives. The signals are blocked, so sigtimedwait() takes them without a
 * race between a check and the wait. Returns true if a signal arrived.
 */
static bool wait_window(const sigset_t *signals, double start, unsigned int seconds)
{
	for (;;) {
		double left = start + seconds - monotonic_seconds();
		struct timespec timeout;

		if (left <= 0)
			return false;
		timeout.tv_sec = (time_t)left;
		timeout.tv_nsec = (long)((left - (double)timeout.tv_sec) * 1e9);
		if (sigtimedwait(signals, NULL, &timeout) > 0)
			return true;
		if (errno != EAGAIN && errno != EINTR)
			return false;
	}
}

/* Take a signal of @signals that arrived while they were blocked. */
static bool take_pending(const sigset_t *signals)
{
	const struct timespec now = { 0, 0 };

	return sigtimedwait(signals, NULL, &now) > 0;
}

/* Read the counts and the callers before disengaging removes the files. */
static int read_counts(const struct ksctl_env *env, struct output *out, const char *target,
		       struct observation *obs)
{
	int err;

	err = kernel_iface_read_fn_counter(env, target, "hits", &obs->calls);
	if (err) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read /sys/kernel/security/killswitch/fn/%s/hits: %s",
			     target, strerror(-err));
		return KSCTL_EXIT_FAILED;
	}
	obs->have_irq = kernel_iface_read_fn_counter(env, target, "irq", &obs->irq_calls) == 0;
	err = kernel_iface_read_callers(env, target, &obs->callers);
	obs->have_callers = err == 0;
	if (err && err != -ENOENT) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read /sys/kernel/security/killswitch/fn/%s/callers: %s",
			     target, strerror(-err));
		return KSCTL_EXIT_FAILED;
	}
	return KSCTL_EXIT_OK;
}

static int observe_engage(const struct ksctl_env *env, struct output *out, const char *target)
{
	char *command;
	char *error;
	int err;
	int ret;

	command = kernel_iface_build_command(&error, "engage %s 0 mode=observe", target);
	if (!command) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "internal error: the observe command for %s is invalid: %s", target,
			     error);
		free(error);
		return KSCTL_EXIT_FAILED;
	}
	output_string(out, "control_command", NULL, command);
	err = kernel_iface_write_control(env, command);
	if (err == -EINVAL) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' was rejected with EINVAL: the loaded killswitch module has no observe mode (compare its version in ksctl status), or the kprobe layer refuses %s; the kernel log says which",
			     command, target);
		ret = KSCTL_EXIT_FAILED;
	} else if (err) {
		ret = report_write_error(env, out, command, target, err);
	} else {
		ret = KSCTL_EXIT_OK;
	}
	free(command);
	return ret;
}

static int observe_disengage(const struct ksctl_env *env, struct output *out,
			     const char *target)
{
	char *command;
	char *error;
	int err;

	command = kernel_iface_build_command(&error, "disengage %s", target);
	if (!command) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "internal error: cannot build the disengage command for %s: %s; run ksctl disengage --all",
			     target, error);
		free(error);
		return KSCTL_EXIT_FAILED;
	}
	err = kernel_iface_write_control(env, command);
	if (err)
		output_error(out, KSCTL_EXIT_FAILED,
			     "'%s' failed: %s; %s may still be engaged in observe mode: run ksctl disengage %s",
			     command, strerror(-err), target, target);
	free(command);
	return err ? KSCTL_EXIT_FAILED : KSCTL_EXIT_OK;
}

/* The signals that end a window early. */
static const int window_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define WINDOW_SIGNAL_COUNT (sizeof(window_signals) / sizeof(window_signals[0]))

static void ignore_delivery(int signal)
{
	(void)signal;
}

/*
 * Block the window signals and give them a handler, saving the previous
 * mask in @mask and actions in @actions. An ignored signal is discarded
 * even while blocked, and a script's background job inherits SIGINT
 * ignored, so SIGINT and SIGTERM get a handler in any case. An ignored
 * SIGHUP, as under nohup, stays ignored.
 */
static void take_window_signals(sigset_t *signals, sigset_t *mask,
				struct sigaction actions[WINDOW_SIGNAL_COUNT])
{
	struct sigaction action = { .sa_handler = ignore_delivery };
	size_t i;

	sigemptyset(signals);
	sigemptyset(&action.sa_mask);
	for (i = 0; i < WINDOW_SIGNAL_COUNT; i++) {
		sigaction(window_signals[i], NULL, &actions[i]);
		if (window_signals[i] == SIGHUP && actions[i].sa_handler == SIG_IGN)
			continue;
		sigaddset(signals, window_signals[i]);
		sigaction(window_signals[i], &action, NULL);
	}
	sigprocmask(SIG_BLOCK, signals, mask);
}

static void restore_window_signals(const sigset_t *mask,
				   const struct sigaction actions[WINDOW_SIGNAL_COUNT])
{
	size_t i;

	for (i = 0; i < WINDOW_SIGNAL_COUNT; i++)
		sigaction(window_signals[i], &actions[i], NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
}

int observe_run(const struct ksctl_env *env, struct output *out, const char *target,
		unsigned int seconds, struct observation *obs)
{
	struct sigaction actions[WINDOW_SIGNAL_COUNT];
	sigset_t signals;
	sigset_t saved;
	double start;
	int disengaged;
	int ret;

	memset(obs, 0, sizeof(*obs));
	/* Blocked from before the engage until after the disengage. */
	take_window_signals(&signals, &saved, actions);

	ret = observe_engage(env, out, target);
	if (ret != KSCTL_EXIT_OK) {
		restore_window_signals(&saved, actions);
		return ret;
	}

	start = monotonic_seconds();
	obs->interrupted = wait_window(&signals, start, seconds);
	obs->seconds = monotonic_seconds() - start;
	ret = read_counts(env, out, target, obs);

	disengaged = observe_disengage(env, out, target);
	output_bool(out, "disengaged", NULL, disengaged == KSCTL_EXIT_OK);
	if (take_pending(&signals))
		obs->interrupted = true;
	restore_window_signals(&saved, actions);

	if (obs->seconds > 0)
		obs->calls_per_second = (double)obs->calls / obs->seconds;
	if (ret == KSCTL_EXIT_OK)
		ret = disengaged;
	if (ret == KSCTL_EXIT_OK && obs->interrupted) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "interrupted after %.2f of %u seconds; %s was disengaged", obs->seconds,
			     seconds, target);
		ret = KSCTL_EXIT_FAILED;
	}
	return ret;
}

void observation_print(struct output *out, const struct observation *obs)
{
	char *calls = xasprintf("%llu (%.2f per second)", obs->calls, obs->calls_per_second);
	size_t i;

	output_double(out, "seconds", "window (s)", obs->seconds);
	output_bool(out, "interrupted", obs->interrupted ? "interrupted" : NULL,
		    obs->interrupted);
	if (output_is_json(out))
		output_uint(out, "calls", NULL, obs->calls);
	else
		output_string(out, "calls", "calls", calls);
	output_double(out, "calls_per_second", NULL, obs->calls_per_second);
	if (obs->have_irq)
		output_uint(out, "irq_calls", "in interrupts", obs->irq_calls);
	else
		output_null(out, "irq_calls", "in interrupts");

	if (!obs->have_callers) {
		output_null(out, "callers", "callers");
	} else {
		output_array_begin(out, "callers", "callers");
		for (i = 0; i < obs->callers.count; i++) {
			const struct caller *caller = obs->callers.items[i];

			output_object_begin(out, NULL, NULL);
			output_string(out, "site", "site", caller->site);
			output_uint(out, "calls", "calls", caller->calls);
			if (caller->have_task) {
				output_int(out, "pid", "pid", caller->pid);
				output_string(out, "comm", "comm", caller->comm);
				output_uint(out, "uid", "uid", caller->uid);
			} else {
				output_null(out, "pid", NULL);
				output_null(out, "comm", NULL);
				output_null(out, "uid", NULL);
			}
			output_object_end(out);
		}
		output_array_end(out);
	}
	free(calls);
}

void observation_free(struct observation *obs)
{
	callers_free(&obs->callers);
}
