// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
	fputs("ksctl: out of memory\n", stderr);
	exit(KSCTL_EXIT_FAILED);
}

void *xmalloc(size_t size)
{
	void *ptr = malloc(size ? size : 1);

	if (!ptr)
		out_of_memory();
	return ptr;
}

void *xcalloc(size_t count, size_t size)
{
	void *ptr = calloc(count ? count : 1, size ? size : 1);

	if (!ptr)
		out_of_memory();
	return ptr;
}

void *xrealloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size ? size : 1);
	if (!ptr)
		out_of_memory();
	return ptr;
}

char *xstrdup(const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		out_of_memory();
	return copy;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *root_path(const struct ksctl_env *env, const char *path)
{
	return xasprintf("%s%s", env->root, path);
}

/*
 * Files under /proc and /sys report a size of 0 or 4096 whatever their
 * contents, so the file is read until end of file instead of by its size.
 */
char *read_file(const char *path, size_t *len)
{
	size_t capacity = 65536;
	size_t used = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;

	buf = xmalloc(capacity);
	for (;;) {
		ssize_t n;

		if (capacity - used < 4096) {
			capacity *= 2;
			buf = xrealloc(buf, capacity);
		}
		n = read(fd, buf + used, capacity - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;

			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);

	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

char *read_first_line(const char *path)
{
	char *text = read_file(path, NULL);

	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

char *kernel_release(const struct ksctl_env *env)
{
	char *path = root_path(env, "/proc/sys/kernel/osrelease");
	char *release = read_first_line(path);

	free(path);
	return release;
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void ptr_array_push(struct ptr_array *array, void *item)
{
	if (array->count == array->capacity) {
		array->capacity = array->capacity ? array->capacity * 2 : 8;
		array->items = xrealloc(array->items,
					array->capacity * sizeof(*array->items));
	}
	array->items[array->count++] = item;
}

void ptr_array_free_all(struct ptr_array *array)
{
	size_t i;

	for (i = 0; i < array->count; i++)
		free(array->items[i]);
	free(array->items);
	array->items = NULL;
	array->count = 0;
	array->capacity = 0;
}
