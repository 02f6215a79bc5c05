// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "kernel_iface.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ks_grammar.h"

#define KS_DIR "/sys/kernel/security/killswitch"

bool kernel_iface_present(const struct ksctl_env *env)
{
	char *path = root_path(env, KS_DIR "/control");
	bool present = path_exists(path);

	free(path);
	return present;
}

int kernel_iface_write_control(const struct ksctl_env *env, const char *command)
{
	char *path = root_path(env, KS_DIR "/control");
	size_t len = strlen(command);
	ssize_t written;
	int err = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -errno;

	/* The module takes one command per write, so it must not be split. */
	written = write(fd, command, len);
	if (written < 0)
		err = -errno;
	else if ((size_t)written != len)
		err = -EIO;
	close(fd);
	return err;
}

int kernel_iface_write_retval(const struct ksctl_env *env, const char *symbol,
			      long long retval)
{
	char *relative = xasprintf(KS_DIR "/fn/%s/retval", symbol);
	char *path = root_path(env, relative);
	char *text = xasprintf("%lld\n", retval);
	size_t len = strlen(text);
	ssize_t written;
	int err = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
	} else {
		written = write(fd, text, len);
		if (written < 0)
			err = -errno;
		else if ((size_t)written != len)
			err = -EIO;
		close(fd);
	}
	free(text);
	free(path);
	free(relative);
	return err;
}

char *kernel_iface_lockdown(const struct ksctl_env *env)
{
	char *path = root_path(env, "/sys/kernel/security/lockdown");
	char *text = read_first_line(path);
	char *open_bracket = text ? strchr(text, '[') : NULL;
	char *level = NULL;

	/* The file lists every level and brackets the current one. */
	if (open_bracket) {
		size_t len = strcspn(open_bracket + 1, "]");

		level = strndup(open_bracket + 1, len);
	}
	free(text);
	free(path);
	return level;
}

/*
 * Parse "SYMBOL retval=VALUE hits=COUNT" with the shared grammar. A pending
 * or failed engagement's line ends with " state=STATE", which is accepted
 * here; ksctl status reads the state from fn/SYMBOL/state.
 */
static struct engagement *parse_engaged_line(const char *line)
{
	struct engagement *eng;
	const char *space = strchr(line, ' ');
	char symbol[KS_SYMBOL_MAX + 1];
	long long retval;
	const char *value;
	const char *hits;
	char *end;

	if (!space || ks_parse_symbol(line, (size_t)(space - line), symbol) != KS_PARSE_OK)
		return NULL;
	if (!starts_with(space + 1, "retval="))
		return NULL;
	value = space + 1 + strlen("retval=");
	hits = strstr(value, " hits=");
	if (!hits || ks_parse_retval(value, (size_t)(hits - value), &retval) != KS_PARSE_OK)
		return NULL;
	hits += strlen(" hits=");

	eng = xcalloc(1, sizeof(*eng));
	errno = 0;
	eng->hits = strtoull(hits, &end, 10);
	if (starts_with(end, " state=") && end[strlen(" state=")] != '\0' &&
	    !strchr(end + strlen(" state="), ' '))
		end += strlen(end);
	if (errno || end == hits || *end != '\0') {
		free(eng);
		return NULL;
	}
	eng->symbol = xstrdup(symbol);
	eng->retval = retval;
	return eng;
}

int kernel_iface_read_engaged(const struct ksctl_env *env, struct ptr_array *list)
{
	char *path = root_path(env, KS_DIR "/engaged");
	char *text = read_file(path, NULL);
	char *saveptr = NULL;
	char *line;
	int err = 0;

	free(path);
	if (!text)
		return -errno;

	for (line = strtok_r(text, "\n", &saveptr); line;
	     line = strtok_r(NULL, "\n", &saveptr)) {
		struct engagement *eng = parse_engaged_line(line);

		if (!eng) {
			err = -EBADMSG;
			break;
		}
		ptr_array_push(list, eng);
	}
	free(text);
	return err;
}

void engagements_free(struct ptr_array *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(((struct engagement *)list->items[i])->symbol);
	ptr_array_free_all(list);
}

int kernel_iface_read_taint(const struct ksctl_env *env)
{
	char *path = root_path(env, KS_DIR "/taint");
	char *text = read_first_line(path);
	int value;

	free(path);
	if (!text)
		return -errno;
	if (strcmp(text, "1") == 0)
		value = 1;
	else if (strcmp(text, "0") == 0)
		value = 0;
	else
		value = -EBADMSG;
	free(text);
	return value;
}

char *kernel_iface_module_version(const struct ksctl_env *env)
{
	static const char *const files[] = {
		"/sys/module/killswitch/version",
		"/sys/module/killswitch/srcversion",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = root_path(env, files[i]);
		char *text = read_first_line(path);

		free(path);
		if (text)
			return text;
	}
	return NULL;
}
