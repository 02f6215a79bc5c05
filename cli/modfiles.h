/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module files of the running kernel under ROOT/lib/modules/RELEASE: which
 * file defines a function, through a cached index of every module's symbol
 * table, and the sections of one file. Files may be plain ELF (.ko) or
 * xz-compressed (.ko.xz).
 */
#ifndef KSCTL_MODFILES_H
#define KSCTL_MODFILES_H

#include <stddef.h>

#include "util.h"

/* A module file that defines a function. */
struct module_file_match {
	/* The module's name, with dashes turned into underscores. */
	char *module;
	/* The file's path, ROOT included. */
	char *path;
};

/* What the lookup did with the index cache, for the report. */
struct index_status {
	/* Set when the index was rebuilt in this call. */
	int rebuilt;
	/* The cache file, or NULL if the index could not be cached. */
	char *cache_file;
	/* Why the index could not be cached, or NULL. */
	char *cache_error;
	size_t module_files;
};

/*
 * Find the module files that define function @name, restricted to @module
 * unless it is NULL. Appends struct module_file_match pointers to
 * @matches. Returns 0 or a negative errno if the module folder cannot be
 * read.
 */
int modfiles_find_function(const struct ksctl_env *env, const char *release,
			   const char *name, const char *module,
			   struct ptr_array *matches, struct index_status *status);

void module_file_matches_free(struct ptr_array *matches);
void index_status_free(struct index_status *status);

/*
 * Open the ELF image of the module file at @path: the file itself, or for a
 * .ko.xz an in-memory file with the decompressed contents, which
 * /proc/self/fd/N names. Returns 0 with @fd set, -ENOTSUP for a compression
 * other than xz, or another negative errno.
 */
int modfiles_open_image(const char *path, int *fd);

/*
 * Find the file of module @module through libkmod's index of
 * ROOT/lib/modules/RELEASE and read its vermagic. Returns 0 and stores
 * new strings in @path and @vermagic, or a negative errno (-ENOENT if no
 * such module is installed).
 */
int modfiles_module_info(const struct ksctl_env *env, const char *release,
			 const char *module, char **path, char **vermagic);

#endif /* KSCTL_MODFILES_H */
