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
int cmd_status(struct ksctl_env *env, int argc, char **argv);
int cmd_doctor(struct ksctl_env *env, int argc, char **argv);
int cmd_apply(struct ksctl_env *env, int argc, char **argv);
int cmd_save(struct ksctl_env *env, int argc, char **argv);

void usage_check(FILE *stream);
void usage_engage(FILE *stream);
void usage_disengage(FILE *stream);
void usage_status(FILE *stream);
void usage_doctor(FILE *stream);
void usage_apply(FILE *stream);
void usage_save(FILE *stream);

/* The exit code table, printed by every --help. */
void print_exit_codes(FILE *stream);

/* A command's own option without a value, such as --force. */
struct command_flag {
	const char *name;
	bool *value;
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
