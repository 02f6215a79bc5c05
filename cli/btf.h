/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The return type of a kernel function, read from BTF with libbpf: the
 * kernel image's BTF, a loaded module's split BTF, or the .BTF section of a
 * module file.
 */
#ifndef KSCTL_BTF_H
#define KSCTL_BTF_H

#include <stddef.h>

#include "util.h"

enum return_kind {
	RETURN_VOID,
	RETURN_POINTER,
	RETURN_BOOL,
	RETURN_SIGNED,
	RETURN_UNSIGNED,
	/* A struct or union returned by value. */
	RETURN_AGGREGATE,
	/* A floating-point or other type that no engagement can produce. */
	RETURN_OTHER,
};

struct return_type {
	enum return_kind kind;
	/* Size in bytes, 0 for void. */
	size_t size;
	/* The C spelling, such as "struct filename *" or "ssize_t". */
	char *c_type;
	/* The BTF the type was read from, such as /sys/kernel/btf/vmlinux. */
	char *source;
	/* How many BTF prototypes the name has; more than one may disagree. */
	unsigned int prototypes;
	/* Set when those prototypes do not agree on the return type's kind. */
	int conflicting;
};

/* Where to look for a function's BTF. */
struct btf_location {
	/* The loaded module that defines the function, NULL for built in. */
	const char *module;
	/*
	 * A module file whose .BTF section describes the function, for a module
	 * that is not loaded; NULL otherwise.
	 */
	const char *module_file;
};

/*
 * Find the return type of function @name. Returns 0 and fills @type (free it
 * with return_type_free()), -ENOENT if the BTF has no such function, or
 * another negative errno if no BTF could be read; then @why, if not NULL,
 * receives a newly allocated sentence saying what is missing.
 */
int btf_find_return_type(const struct ksctl_env *env, const char *name,
			 const struct btf_location *where,
			 struct return_type *type, char **why);

void return_type_free(struct return_type *type);

const char *return_kind_name(enum return_kind kind);

#endif /* KSCTL_BTF_H */
