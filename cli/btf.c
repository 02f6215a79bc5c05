// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "btf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <linux/btf.h>

#include "modfiles.h"

const char *return_kind_name(enum return_kind kind)
{
	switch (kind) {
	case RETURN_VOID:
		return "void";
	case RETURN_POINTER:
		return "pointer";
	case RETURN_BOOL:
		return "bool";
	case RETURN_SIGNED:
		return "signed";
	case RETURN_UNSIGNED:
		return "unsigned";
	case RETURN_AGGREGATE:
		return "aggregate";
	case RETURN_OTHER:
		return "other";
	}
	return "other";
}

void return_type_free(struct return_type *type)
{
	free(type->c_type);
	free(type->source);
	type->c_type = NULL;
	type->source = NULL;
}

/* Print the C declaration of a type into a growing string. */
struct type_text {
	char *text;
	size_t len;
};

static void append_printf(void *ctx, const char *fmt, va_list args)
{
	struct type_text *out = ctx;
	char *piece = xvasprintf(fmt, args);
	size_t piece_len = strlen(piece);

	out->text = xrealloc(out->text, out->len + piece_len + 1);
	memcpy(out->text + out->len, piece, piece_len + 1);
	out->len += piece_len;
	free(piece);
}

static char *format_type(const struct btf *btf, __u32 type_id)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "");
	struct type_text out = { xstrdup(""), 0 };
	struct btf_dump *dump;

	if (type_id == 0) {
		free(out.text);
		return xstrdup("void");
	}
	dump = btf_dump__new(btf, append_printf, &out, NULL);
	if (!dump || btf_dump__emit_type_decl(dump, type_id, &opts) < 0) {
		free(out.text);
		btf_dump__free(dump);
		return xasprintf("BTF type %u", type_id);
	}
	btf_dump__free(dump);
	return out.text;
}

/* Classify the return type @type_id after typedefs and qualifiers. */
static enum return_kind classify(const struct btf *btf, __u32 type_id, size_t *size)
{
	const struct btf_type *type;
	int resolved;

	*size = 0;
	if (type_id == 0)
		return RETURN_VOID;

	resolved = btf__resolve_type(btf, type_id);
	if (resolved < 0)
		return RETURN_OTHER;
	if (resolved == 0)
		return RETURN_VOID;
	type = btf__type_by_id(btf, (__u32)resolved);
	if (!type)
		return RETURN_OTHER;

	switch (btf_kind(type)) {
	case BTF_KIND_PTR:
		*size = btf__pointer_size(btf) ? btf__pointer_size(btf) : 8;
		return RETURN_POINTER;
	case BTF_KIND_INT: {
		__u32 encoding = btf_int_encoding(type);

		*size = type->size;
		if (encoding & BTF_INT_BOOL)
			return RETURN_BOOL;
		return (encoding & BTF_INT_SIGNED) ? RETURN_SIGNED : RETURN_UNSIGNED;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/*
		 * The kind flag marks a signed enum in newer BTF. Without it
		 * the C type of an enum with no negative value is unsigned.
		 */
		*size = type->size;
		return btf_kflag(type) ? RETURN_SIGNED : RETURN_UNSIGNED;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*size = type->size;
		return RETURN_AGGREGATE;
	default:
		return RETURN_OTHER;
	}
}

/*
 * Scan the functions named @name among BTF ids [@first, type count) and
 * fill @out from the first, counting the prototypes and whether their kinds
 * disagree. Returns -ENOENT if there is none.
 */
static int scan_functions(const struct btf *btf, __u32 first, const char *name,
			  struct return_type *out)
{
	__u32 count = btf__type_cnt(btf);
	enum return_kind first_kind = RETURN_OTHER;
	__u32 id;

	out->prototypes = 0;
	out->conflicting = 0;
	for (id = first; id < count; id++) {
		const struct btf_type *type = btf__type_by_id(btf, id);
		const struct btf_type *proto;
		enum return_kind kind;
		size_t size;

		if (!btf_is_func(type) ||
		    strcmp(btf__name_by_offset(btf, type->name_off), name) != 0)
			continue;
		proto = btf__type_by_id(btf, type->type);
		if (!proto || !btf_is_func_proto(proto))
			continue;

		kind = classify(btf, proto->type, &size);
		if (out->prototypes == 0) {
			first_kind = kind;
			out->kind = kind;
			out->size = size;
			out->c_type = format_type(btf, proto->type);
		} else if (kind != first_kind) {
			out->conflicting = 1;
		}
		out->prototypes++;
	}
	return out->prototypes ? 0 : -ENOENT;
}

static struct btf *parse_raw(const char *path, struct btf *base, char **why)
{
	struct btf *btf = base ? btf__parse_raw_split(path, base) : btf__parse_raw(path);
	int err = -errno;

	if (!btf) {
		if (why)
			*why = xasprintf("cannot read BTF from %s: %s", path, strerror(-err));
		errno = -err;
	}
	return btf;
}

/* Parse the .BTF section of a module file, split against @base. */
static struct btf *parse_module_file(const char *path, struct btf *base, char **why)
{
	struct btf *btf;
	char *image_path;
	int fd;
	int err;

	err = modfiles_open_image(path, &fd);
	if (err) {
		if (why)
			*why = xasprintf("cannot read module file %s: %s", path, strerror(-err));
		errno = -err;
		return NULL;
	}

	image_path = xasprintf("/proc/self/fd/%d", fd);
	btf = btf__parse_elf_split(image_path, base);
	err = errno;
	free(image_path);
	close(fd);
	if (!btf) {
		if (why)
			*why = err == ENOENT ?
				xasprintf("module file %s has no .BTF section", path) :
				xasprintf("cannot read the .BTF section of %s: %s", path,
					  strerror(err));
		errno = err;
	}
	return btf;
}

int btf_find_return_type(const struct ksctl_env *env, const char *name,
			 const struct btf_location *where,
			 struct return_type *type, char **why)
{
	char *vmlinux_path = root_path(env, "/sys/kernel/btf/vmlinux");
	struct btf *vmlinux;
	struct btf *module_btf = NULL;
	char *module_path = NULL;
	const char *source;
	int err;

	memset(type, 0, sizeof(*type));
	if (why)
		*why = NULL;

	vmlinux = parse_raw(vmlinux_path, NULL, why);
	if (!vmlinux) {
		err = -errno;
		free(vmlinux_path);
		return err ? err : -EINVAL;
	}

	if (where->module_file) {
		module_btf = parse_module_file(where->module_file, vmlinux, why);
		source = where->module_file;
	} else if (where->module) {
		module_path = xasprintf("%s/sys/kernel/btf/%s", env->root, where->module);
		module_btf = parse_raw(module_path, vmlinux, why);
		source = module_path;
	} else {
		source = vmlinux_path;
	}

	if ((where->module_file || where->module) && !module_btf) {
		err = errno ? -errno : -EINVAL;
	} else if (module_btf) {
		/* Only the module's own ids, so that a built-in namesake is skipped. */
		err = scan_functions(module_btf, btf__type_cnt(vmlinux), name, type);
	} else {
		err = scan_functions(vmlinux, 1, name, type);
	}

	if (err == 0)
		type->source = xstrdup(source + strlen(env->root));
	else if (err == -ENOENT && why && !*why)
		*why = xasprintf("%s has no function named %s", source + strlen(env->root), name);

	btf__free(module_btf);
	btf__free(vmlinux);
	free(module_path);
	free(vmlinux_path);
	return err;
}
