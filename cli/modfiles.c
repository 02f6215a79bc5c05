// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "modfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>
#include <libkmod.h>
#include <lzma.h>

/* First line of an index file; the number is the format's version. */
#define INDEX_MAGIC "ksctl-symbol-index 1"

/* Largest decompressed module accepted, far above any real module. */
#define MODULE_SIZE_MAX ((size_t)1 << 30)

static bool has_suffix(const char *s, const char *suffix)
{
	size_t len = strlen(s);
	size_t suffix_len = strlen(suffix);

	return len >= suffix_len && strcmp(s + len - suffix_len, suffix) == 0;
}

static bool is_module_file(const char *path)
{
	return has_suffix(path, ".ko") || has_suffix(path, ".ko.xz") ||
	       has_suffix(path, ".ko.gz") || has_suffix(path, ".ko.zst");
}

static int decompress_xz(const unsigned char *in, size_t in_len,
			 unsigned char **out, size_t *out_len)
{
	lzma_stream stream = LZMA_STREAM_INIT;
	size_t capacity = in_len * 4 + 4096;
	unsigned char *buf;
	lzma_ret ret;

	if (lzma_stream_decoder(&stream, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return -ENOMEM;

	buf = xmalloc(capacity);
	stream.next_in = in;
	stream.avail_in = in_len;
	stream.next_out = buf;
	stream.avail_out = capacity;

	for (;;) {
		ret = lzma_code(&stream, LZMA_FINISH);
		if (ret == LZMA_STREAM_END)
			break;
		if (ret != LZMA_OK && ret != LZMA_BUF_ERROR) {
			free(buf);
			lzma_end(&stream);
			return -EBADMSG;
		}
		if (stream.avail_out == 0) {
			size_t used = capacity;

			if (capacity >= MODULE_SIZE_MAX) {
				free(buf);
				lzma_end(&stream);
				return -EFBIG;
			}
			capacity *= 2;
			buf = xrealloc(buf, capacity);
			stream.next_out = buf + used;
			stream.avail_out = capacity - used;
		} else if (ret == LZMA_BUF_ERROR) {
			/* No progress is possible: the input is truncated. */
			free(buf);
			lzma_end(&stream);
			return -EBADMSG;
		}
	}

	*out = buf;
	*out_len = capacity - stream.avail_out;
	lzma_end(&stream);
	return 0;
}

/* Read a module file into memory, decompressing a .ko.xz. */
static int load_module_image(const char *path, unsigned char **image, size_t *size)
{
	unsigned char *raw;
	size_t raw_len;
	int err;

	if (has_suffix(path, ".ko.gz") || has_suffix(path, ".ko.zst"))
		return -ENOTSUP;

	raw = (unsigned char *)read_file(path, &raw_len);
	if (!raw)
		return -errno;
	if (!has_suffix(path, ".ko.xz")) {
		*image = raw;
		*size = raw_len;
		return 0;
	}

	err = decompress_xz(raw, raw_len, image, size);
	free(raw);
	return err;
}

static Elf *open_elf(unsigned char *image, size_t size)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	return elf_memory((char *)image, size);
}

int modfiles_open_image(const char *path, int *fd)
{
	unsigned char *image;
	size_t size;
	size_t done = 0;
	int err;

	if (!has_suffix(path, ".ko.xz") && !has_suffix(path, ".ko.gz") &&
	    !has_suffix(path, ".ko.zst")) {
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		return *fd < 0 ? -errno : 0;
	}

	err = load_module_image(path, &image, &size);
	if (err)
		return err;

	*fd = memfd_create("ksctl-module", MFD_CLOEXEC);
	if (*fd < 0) {
		err = -errno;
		free(image);
		return err;
	}
	while (done < size) {
		ssize_t n = write(*fd, image + done, size - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			close(*fd);
			free(image);
			return err;
		}
		done += (size_t)n;
	}
	free(image);
	return 0;
}

/* A module file found by the folder walk. */
struct module_file {
	char *path;
	long long size;
	long long mtime;
};

/* nftw() has no context argument, so the walk collects into this list. */
static struct ptr_array *walk_files;

static int collect_module_file(const char *path, const struct stat *st, int flag,
			       struct FTW *ftw)
{
	struct module_file *file;

	(void)ftw;
	if (flag != FTW_F || !is_module_file(path))
		return 0;
	file = xcalloc(1, sizeof(*file));
	file->path = xstrdup(path);
	file->size = (long long)st->st_size;
	file->mtime = (long long)st->st_mtime;
	ptr_array_push(walk_files, file);
	return 0;
}

static int compare_module_files(const void *a, const void *b)
{
	const struct module_file *fa = *(struct module_file *const *)a;
	const struct module_file *fb = *(struct module_file *const *)b;

	return strcmp(fa->path, fb->path);
}

static void free_module_files(struct ptr_array *files)
{
	size_t i;

	for (i = 0; i < files->count; i++)
		free(((struct module_file *)files->items[i])->path);
	ptr_array_free_all(files);
}

/*
 * List every module file under @dir, sorted by path, and hash their paths,
 * sizes and modification times into @stamp, which changes whenever a
 * module is installed, removed or replaced.
 */
static int list_module_files(const char *dir, struct ptr_array *files,
			     unsigned long long *stamp)
{
	unsigned long long hash = 14695981039346656037ULL;
	size_t i;

	/*
	 * The folder itself may be a symbolic link. Links inside it, such as
	 * build and source, lead to kernel headers and are not followed.
	 */
	char *real = realpath(dir, NULL);
	size_t real_len;

	if (!real)
		return -errno;
	walk_files = files;
	if (nftw(real, collect_module_file, 32, FTW_PHYS) != 0) {
		int err = errno ? -errno : -EIO;

		walk_files = NULL;
		free(real);
		return err;
	}
	walk_files = NULL;
	real_len = strlen(real);
	free(real);

	/* Report paths under @dir, as given, rather than the resolved folder. */
	for (i = 0; i < files->count; i++) {
		struct module_file *file = files->items[i];
		char *path = xasprintf("%s%s", dir, file->path + real_len);

		free(file->path);
		file->path = path;
	}
	qsort(files->items, files->count, sizeof(files->items[0]),
	      compare_module_files);

	/* 64-bit FNV-1a over "path size mtime" of each file. */
	for (i = 0; i < files->count; i++) {
		const struct module_file *file = files->items[i];
		char *text = xasprintf("%s %lld %lld\n", file->path + strlen(dir),
				       file->size, file->mtime);
		const char *p;

		for (p = text; *p; p++) {
			hash ^= (unsigned char)*p;
			hash *= 1099511628211ULL;
		}
		free(text);
	}
	*stamp = hash;
	return 0;
}

/* Write "NAME MODULE RELATIVE_PATH" for each function the module defines. */
static int index_module_file(FILE *out, const char *path, const char *relative,
			     const char *module)
{
	unsigned char *image;
	size_t size;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int err;

	err = load_module_image(path, &image, &size);
	if (err)
		return err;

	elf = open_elf(image, size);
	if (!elf) {
		free(image);
		return -ENOEXEC;
	}

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t count;
		size_t i;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB ||
		    shdr.sh_entsize == 0)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;

		count = shdr.sh_size / shdr.sh_entsize;
		for (i = 0; i < count; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, shdr.sh_link, sym.st_name);
			/* Padding and CFI stubs are not functions to engage. */
			if (!name || !*name || starts_with(name, "__pfx_") ||
			    starts_with(name, "__cfi_"))
				continue;
			fprintf(out, "%s %s %s\n", name, module, relative);
		}
	}

	elf_end(elf);
	free(image);
	return 0;
}

/*
 * Return the name libkmod gives the module at @path: its file name without
 * the extension, with dashes turned into underscores.
 */
static char *module_name_of(struct kmod_ctx *ctx, const char *path)
{
	struct kmod_module *mod = NULL;
	char *name;

	if (ctx && kmod_module_new_from_path(ctx, path, &mod) == 0) {
		name = xstrdup(kmod_module_get_name(mod));
		kmod_module_unref(mod);
		return name;
	}

	/* libkmod failed to set up: derive the name the same way. */
	name = xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	name[strcspn(name, ".")] = '\0';
	for (char *p = name; *p; p++) {
		if (*p == '-')
			*p = '_';
	}
	return name;
}

static struct kmod_ctx *new_kmod_context(const char *modules_dir)
{
	/* An empty list: no modprobe.d file of the host applies under --root. */
	static const char *const no_config[] = { NULL };

	return kmod_new(modules_dir, no_config);
}

/* Write the index of every module file to @out, after its header. */
static int write_index(FILE *out, const char *modules_dir,
		       const struct ptr_array *files, unsigned long long stamp)
{
	struct kmod_ctx *ctx = new_kmod_context(modules_dir);
	size_t i;

	fprintf(out, "%s %016llx\n", INDEX_MAGIC, stamp);
	for (i = 0; i < files->count; i++) {
		const struct module_file *file = files->items[i];
		char *module = module_name_of(ctx, file->path);
		int err;

		err = index_module_file(out, file->path,
					file->path + strlen(modules_dir) + 1, module);
		if (err)
			fprintf(stderr, "ksctl: warning: skipping module file %s: %s\n",
				file->path, strerror(-err));
		free(module);
	}
	kmod_unref(ctx);
	return ferror(out) ? -EIO : 0;
}

/* Return true if the cache file exists and was built for @stamp. */
static bool cache_is_current(const char *cache_file, unsigned long long stamp)
{
	char *header = read_first_line(cache_file);
	char *expected;
	bool current;

	if (!header)
		return false;
	expected = xasprintf("%s %016llx", INDEX_MAGIC, stamp);
	current = strcmp(header, expected) == 0;
	free(expected);
	free(header);
	return current;
}

static int make_dirs(const char *path)
{
	char *copy = xstrdup(path);
	char *p;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			int err = -errno;

			free(copy);
			return err;
		}
		*p = '/';
	}
	if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
		int err = -errno;

		free(copy);
		return err;
	}
	free(copy);
	return 0;
}

/*
 * Rebuild the index into the cache file, written to a temporary file and
 * renamed so that a concurrent reader never sees half an index. Returns the
 * open index for reading: the cache file, or an unnamed temporary file if
 * the cache folder is not writable (status->cache_error says why).
 */
static FILE *rebuild_index(const struct ksctl_env *env, const char *modules_dir,
			   const char *cache_file, const struct ptr_array *files,
			   unsigned long long stamp, struct index_status *status)
{
	char *temporary = xasprintf("%s.tmp.%ld", cache_file, (long)getpid());
	FILE *out = NULL;
	int err;

	status->rebuilt = 1;
	err = make_dirs(env->cache_dir);
	if (!err) {
		out = fopen(temporary, "w+e");
		if (!out)
			err = -errno;
	}
	if (err) {
		status->cache_error = xasprintf("cannot write to %s: %s", env->cache_dir,
						strerror(-err));
		free(temporary);
		out = tmpfile();
		if (out && write_index(out, modules_dir, files, stamp) == 0) {
			rewind(out);
			return out;
		}
		if (out)
			fclose(out);
		return NULL;
	}

	if (write_index(out, modules_dir, files, stamp) != 0 || fflush(out) != 0 ||
	    rename(temporary, cache_file) != 0) {
		status->cache_error = xasprintf("cannot write %s: %s", cache_file,
						strerror(errno));
		unlink(temporary);
	} else {
		status->cache_file = xstrdup(cache_file);
	}
	free(temporary);
	rewind(out);
	return out;
}

int modfiles_find_function(const struct ksctl_env *env, const char *release,
			   const char *name, const char *module,
			   struct ptr_array *matches, struct index_status *status)
{
	char *modules_dir = xasprintf("%s/lib/modules/%s", env->root, release);
	char *cache_file = xasprintf("%s/symbols-%s.idx", env->cache_dir, release);
	struct ptr_array files = { 0 };
	unsigned long long stamp = 0;
	char *line = NULL;
	size_t capacity = 0;
	FILE *index;
	int err;

	memset(status, 0, sizeof(*status));
	err = list_module_files(modules_dir, &files, &stamp);
	if (err)
		goto out;
	status->module_files = files.count;

	if (cache_is_current(cache_file, stamp)) {
		index = fopen(cache_file, "re");
		status->cache_file = xstrdup(cache_file);
	} else {
		index = rebuild_index(env, modules_dir, cache_file, &files, stamp, status);
	}
	if (!index) {
		err = errno ? -errno : -EIO;
		goto out;
	}

	/* Skip the header, then match "NAME MODULE PATH" lines. */
	if (getline(&line, &capacity, index) < 0) {
		fclose(index);
		err = -EIO;
		goto out;
	}
	while (getline(&line, &capacity, index) > 0) {
		char *saveptr = NULL;
		char *entry_name = strtok_r(line, " \n", &saveptr);
		char *entry_module = strtok_r(NULL, " \n", &saveptr);
		char *entry_path = strtok_r(NULL, "\n", &saveptr);
		struct module_file_match *match;

		if (!entry_name || !entry_module || !entry_path ||
		    strcmp(entry_name, name) != 0 ||
		    (module && strcmp(entry_module, module) != 0))
			continue;

		match = xcalloc(1, sizeof(*match));
		match->module = xstrdup(entry_module);
		match->path = xasprintf("%s/%s", modules_dir, entry_path);
		ptr_array_push(matches, match);
	}
	fclose(index);

out:
	free(line);
	free_module_files(&files);
	free(cache_file);
	free(modules_dir);
	return err;
}

void module_file_matches_free(struct ptr_array *matches)
{
	size_t i;

	for (i = 0; i < matches->count; i++) {
		struct module_file_match *match = matches->items[i];

		free(match->module);
		free(match->path);
	}
	ptr_array_free_all(matches);
}

void index_status_free(struct index_status *status)
{
	free(status->cache_file);
	free(status->cache_error);
	memset(status, 0, sizeof(*status));
}

int modfiles_module_info(const struct ksctl_env *env, const char *release,
			 const char *module, char **path, char **vermagic)
{
	char *modules_dir = xasprintf("%s/lib/modules/%s", env->root, release);
	struct kmod_ctx *ctx = new_kmod_context(modules_dir);
	struct kmod_module *mod = NULL;
	struct kmod_list *info = NULL;
	struct kmod_list *entry;
	int err;

	*path = NULL;
	*vermagic = NULL;
	free(modules_dir);
	if (!ctx)
		return -ENOMEM;

	err = kmod_module_new_from_name_lookup(ctx, module, &mod);
	if (err == 0 && (!mod || !kmod_module_get_path(mod)))
		err = -ENOENT;
	if (err)
		goto out;

	*path = xstrdup(kmod_module_get_path(mod));
	if (kmod_module_get_info(mod, &info) >= 0) {
		kmod_list_foreach(entry, info) {
			if (strcmp(kmod_module_info_get_key(entry), "vermagic") == 0) {
				*vermagic = xstrdup(kmod_module_info_get_value(entry));
				break;
			}
		}
		kmod_module_info_free_list(info);
	}

out:
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return err;
}
