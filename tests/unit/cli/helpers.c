// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "helpers.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

const char *fixture_release(const char *series)
{
	return strcmp(series, "6.1") == 0 ? "6.1.0-57-amd64" : "6.12.95+deb12-amd64";
}

static void run_shell(const char *fmt, ...)
{
	va_list ap;
	char *command;

	va_start(ap, fmt);
	command = xvasprintf(fmt, ap);
	va_end(ap);
	assert_int_equal(system(command), 0);
	free(command);
}

void root_create(struct test_root *root, const char *series)
{
	char template[] = "/tmp/ksctl-test.XXXXXX";

	assert_non_null(mkdtemp(template));
	root->path = xasprintf("%s/root", template);
	root->cache_dir = xasprintf("%s/cache", template);
	run_shell("cp -a '%s/%s' '%s'", FIXTURES_DIR, series, root->path);
	root->env.root = root->path;
	root->env.cache_dir = root->cache_dir;
	root->env.json = false;
}

void root_destroy(struct test_root *root)
{
	char *parent = xstrdup(root->path);

	*strrchr(parent, '/') = '\0';
	run_shell("rm -rf '%s'", parent);
	free(parent);
	free(root->path);
	free(root->cache_dir);
}

void root_write(struct test_root *root, const char *relative, const char *contents)
{
	char *path = xasprintf("%s/%s", root->path, relative);
	char *dir = xstrdup(path);
	FILE *file;

	*strrchr(dir, '/') = '\0';
	run_shell("mkdir -p '%s'", dir);
	file = fopen(path, "w");
	assert_non_null(file);
	fputs(contents, file);
	fclose(file);
	free(dir);
	free(path);
}

char *root_read(struct test_root *root, const char *relative)
{
	char *path = xasprintf("%s/%s", root->path, relative);
	char *text = read_file(path, NULL);

	free(path);
	return text;
}

void root_remove(struct test_root *root, const char *relative)
{
	run_shell("rm -rf '%s/%s'", root->path, relative);
}

void root_add_killswitch(struct test_root *root, const char *engaged)
{
	root_write(root, "sys/kernel/security/killswitch/control", "");
	root_write(root, "sys/kernel/security/killswitch/engaged", engaged);
	root_write(root, "sys/kernel/security/killswitch/taint", *engaged ? "1\n" : "0\n");
}

char *run_command(struct ksctl_env *env, int (*command)(struct ksctl_env *, int, char **),
		  const char *const *argv, int *status)
{
	char path[] = "/tmp/ksctl-output.XXXXXX";
	int argc = 0;
	int saved;
	int fd;
	char *text;

	while (argv[argc])
		argc++;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	*status = command(env, argc, (char **)argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);

	text = read_file(path, NULL);
	unlink(path);
	assert_non_null(text);
	return text;
}

json_object *run_json(struct ksctl_env *env, int (*command)(struct ksctl_env *, int, char **),
		      const char *const *argv, int *status)
{
	bool json = env->json;
	json_object *doc;
	char *text;

	env->json = true;
	text = run_command(env, command, argv, status);
	env->json = json;
	doc = json_tokener_parse(text);
	if (!doc)
		print_error("not JSON: %s\n", text);
	assert_non_null(doc);
	free(text);
	return doc;
}

json_object *json_at(json_object *root, const char *path)
{
	char *copy = xstrdup(path);
	char *saveptr = NULL;
	char *key;
	json_object *value = root;

	for (key = strtok_r(copy, ".", &saveptr); key && value;
	     key = strtok_r(NULL, ".", &saveptr)) {
		if (!json_object_object_get_ex(value, key, &value))
			value = NULL;
	}
	free(copy);
	return value;
}

const char *json_string_at(json_object *root, const char *path)
{
	json_object *value = json_at(root, path);

	return value && json_object_is_type(value, json_type_string) ?
	       json_object_get_string(value) : NULL;
}

bool has_finding(json_object *root, const char *code, const char *severity)
{
	json_object *findings = json_at(root, "findings");
	size_t i;

	if (!findings)
		return false;
	for (i = 0; i < json_object_array_length(findings); i++) {
		json_object *finding = json_object_array_get_idx(findings, i);

		if (strcmp(json_string_at(finding, "code"), code) == 0 &&
		    (!severity || strcmp(json_string_at(finding, "severity"), severity) == 0))
			return true;
	}
	return false;
}
