/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every ksctl source file: allocation that exits on
 * failure, paths under --root, and whole-file reads.
 */
#ifndef KSCTL_UTIL_H
#define KSCTL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* The exit codes of ksctl, documented in ksctl --help and ksctl(8). */
enum ksctl_exit {
	KSCTL_EXIT_OK = 0,
	KSCTL_EXIT_FAILED = 1,
	KSCTL_EXIT_USAGE = 2,
	KSCTL_EXIT_REFUSED = 3,
	KSCTL_EXIT_NOT_READY = 4,
	/* ksctl apply changed an engagement, or would with --dry-run. */
	KSCTL_EXIT_CHANGED = 5,
};

/* Settings from the global options, passed to every command. */
struct ksctl_env {
	/* Prefix of every kernel path; "" for the running system. */
	const char *root;
	/* Folder of the module symbol index cache. */
	const char *cache_dir;
	bool json;
};

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Return ROOT followed by the absolute path @path, newly allocated. */
char *root_path(const struct ksctl_env *env, const char *path);

/*
 * Read the whole file at @path into a NUL-terminated buffer. Returns the
 * buffer and stores its length in @len (may be NULL), or returns NULL with
 * errno set.
 */
char *read_file(const char *path, size_t *len);

/* Read the first line of @path without its newline, or NULL with errno set. */
char *read_first_line(const char *path);

/* Read the kernel release from ROOT/proc/sys/kernel/osrelease. */
char *kernel_release(const struct ksctl_env *env);

bool path_exists(const char *path);

/* Return true if @s starts with @prefix. */
bool starts_with(const char *s, const char *prefix);

/* A growable array of pointers. */
struct ptr_array {
	void **items;
	size_t count;
	size_t capacity;
};

void ptr_array_push(struct ptr_array *array, void *item);
/* Free every item with free() and the array itself. */
void ptr_array_free_all(struct ptr_array *array);

#endif /* KSCTL_UTIL_H */
