/* SPDX-License-Identifier: GPL-2.0 */
/* The ksctl subcommands. Each returns an exit code from enum ksctl_exit. */
#ifndef KSCTL_COMMANDS_H
#define KSCTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

int cmd_check(struct ksctl_env *env, int argc, char **argv);
int cmd_engage(struct ksctl_env *env, int argc, char **argv);
int cmd_disengage(struct ksctl_env *env, int argc, char **argv);
int cmd_observe(struct ksctl_env *env, int argc, char **argv);
int cmd_status(struct ksctl_env *env, int argc, char **argv);
int cmd_doctor(struct ksctl_env *env, int argc, char **argv);
int cmd_catalog(struct ksctl_env *env, int argc, char **argv);
int cmd_mitigate(struct ksctl_env *env, int argc, char **argv);
int cmd_apply(struct ksctl_env *env, int argc, char **argv);
int cmd_save(struct ksctl_env *env, int argc, char **argv);

void usage_check(FILE *stream);
void usage_engage(FILE *stream);
void usage_disengage(FILE *stream);
void usage_observe(FILE *stream);
void usage_status(FILE *stream);
void usage_doctor(FILE *stream);
void usage_catalog(FILE *stream);
void usage_mitigate(FILE *stream);

#define NOT_LOADED_MESSAGE \
	"the killswitch module is not loaded (no /sys/kernel/security/killswitch/control): run modprobe killswitch, or ksctl doctor to see why it cannot load"

struct output;

/*
 * Explain the error @err of the control write @command on @symbol, with
 * what to do next, and return the exit code.
 */
int report_write_error(const struct ksctl_env *env, struct output *out,
		       const char *command, const char *symbol, int err);
void usage_apply(FILE *stream);
void usage_save(FILE *stream);

/* The exit code table, printed by every --help. */
void print_exit_codes(FILE *stream);

/*
 * A command's own option: a flag such as --force, which sets *@value, or,
 * with @takes_value, an option such as --scope VALUE (or --scope=VALUE).
 * A value goes to *@text, where a second one is a usage error, or is
 * appended to @values (char *) for a repeatable option such as --allow.
 */
struct command_flag {
	const char *name;
	bool *value;
	bool takes_value;
	const char **text;
	struct ptr_array *values;
};

/*
 * Parse a command's arguments: the options every command takes (--json,
 * -h and --help), the command's @flags, and up to @max_positional
 * positional arguments stored in @positional. Options may come before or
 * after the positional arguments. A word that starts with a single dash,
 * such as the RETVAL -EPERM, is positional; "--" ends the options. Returns
 * -1 when the arguments are valid, else the exit code to return (0 after
 * --help).
 */
int parse_command_args(struct ksctl_env *env, int argc, char **argv,
		       const struct command_flag *flags, size_t flag_count,
		       char **positional, size_t max_positional, size_t *positional_count,
		       void (*usage)(FILE *));

#endif /* KSCTL_COMMANDS_H */
