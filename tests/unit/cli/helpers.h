/* SPDX-License-Identifier: GPL-2.0 */
/* Fixture roots and output capture for the ksctl unit tests. */
#ifndef KSCTL_TEST_HELPERS_H
#define KSCTL_TEST_HELPERS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "util.h"

/* A writable copy of a fixture tree, removed by root_destroy(). */
struct test_root {
	char *path;
	char *cache_dir;
	struct ksctl_env env;
};

/* Copy tests/unit/fixtures/@series (unpacked in the build) to a temporary folder. */
void root_create(struct test_root *root, const char *series);
void root_destroy(struct test_root *root);

/* Write @contents to ROOT/@relative, creating its folders. */
void root_write(struct test_root *root, const char *relative, const char *contents);
/* Read ROOT/@relative, or NULL. */
char *root_read(struct test_root *root, const char *relative);
void root_remove(struct test_root *root, const char *relative);

/* Load the killswitch files as a regular folder: control, engaged, taint. */
void root_add_killswitch(struct test_root *root, const char *engaged);

/* The kernel release of a fixture series. */
const char *fixture_release(const char *series);

/*
 * Run @command (a cmd_* function) with @argv, capture its standard output
 * and return it; the exit code goes to @status.
 */
char *run_command(struct ksctl_env *env, int (*command)(struct ksctl_env *, int, char **),
		  const char *const *argv, int *status);

/* Run a command with --json and parse its output; fails the test if invalid. */
json_object *run_json(struct ksctl_env *env, int (*command)(struct ksctl_env *, int, char **),
		      const char *const *argv, int *status);

/* The value at a dotted path such as "retval.text", or NULL. */
json_object *json_at(json_object *root, const char *path);
const char *json_string_at(json_object *root, const char *path);

/* Return true if an element of the "findings" array has @code. */
bool has_finding(json_object *root, const char *code, const char *severity);

#endif /* KSCTL_TEST_HELPERS_H */
