// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "symbols.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line of kallsyms split in place: "ADDRESS TYPE NAME\t[MODULE]". */
struct kallsyms_line {
	const char *address;
	char type;
	const char *name;
	/* NULL for the kernel image. */
	const char *module;
};

static bool split_kallsyms_line(char *line, struct kallsyms_line *out)
{
	char *space;
	char *name;
	char *module;

	line[strcspn(line, "\n")] = '\0';
	space = strchr(line, ' ');
	if (!space || space[1] == '\0' || space[2] != ' ')
		return false;
	*space = '\0';
	out->address = line;
	out->type = space[1];
	name = space + 3;

	module = strchr(name, '\t');
	out->module = NULL;
	if (module) {
		*module++ = '\0';
		if (module[0] == '[') {
			module++;
			module[strcspn(module, "]")] = '\0';
			out->module = module;
		}
	}
	out->name = name;
	return true;
}

static struct kallsyms_entry *new_entry(const struct kallsyms_line *line)
{
	struct kallsyms_entry *entry = xcalloc(1, sizeof(*entry));

	entry->name = xstrdup(line->name);
	entry->module = line->module ? xstrdup(line->module) : NULL;
	entry->type = line->type;
	entry->address = strtoull(line->address, NULL, 16);
	return entry;
}

static bool is_function_type(char type)
{
	return type == 't' || type == 'T';
}

bool symbols_is_clone(const char *candidate, const char *name, bool *cold)
{
	static const char *const suffixes[] = {
		"isra", "constprop", "part", "cold", "lto_priv", "localalias",
	};
	size_t name_len = strlen(name);
	const char *p;
	bool last_cold = false;
	bool any = false;

	if (strncmp(candidate, name, name_len) != 0 || candidate[name_len] != '.')
		return false;

	/* Each suffix is a known word, optionally followed by .N. */
	p = candidate + name_len;
	while (*p == '.') {
		size_t len = strcspn(p + 1, ".");
		bool known = false;
		size_t i;

		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			if (strlen(suffixes[i]) == len &&
			    strncmp(p + 1, suffixes[i], len) == 0) {
				known = true;
				last_cold = strcmp(suffixes[i], "cold") == 0;
				break;
			}
		}
		if (!known)
			return false;
		any = true;
		p += 1 + len;

		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p != '\0' || !any)
		return false;

	if (cold)
		*cold = last_cold;
	return true;
}

static FILE *open_under_root(const struct ksctl_env *env, const char *path)
{
	char *full = root_path(env, path);
	FILE *file = fopen(full, "re");

	free(full);
	return file;
}

int symbols_find(const struct ksctl_env *env, const char *name,
		 struct symbol_sites *sites)
{
	size_t name_len = strlen(name);
	char *line = NULL;
	size_t capacity = 0;
	FILE *file;

	memset(sites, 0, sizeof(*sites));
	file = open_under_root(env, "/proc/kallsyms");
	if (!file)
		return -errno;

	while (getline(&line, &capacity, file) > 0) {
		struct kallsyms_line fields;
		const char *start;

		/* Skip most lines before splitting them: "ADDR T NAME...". */
		start = strchr(line, ' ');
		if (!start || strncmp(start + 3, name, name_len) != 0)
			continue;
		if (!split_kallsyms_line(line, &fields))
			continue;

		if (strcmp(fields.name, name) == 0) {
			if (is_function_type(fields.type))
				ptr_array_push(&sites->functions, new_entry(&fields));
			else
				ptr_array_push(&sites->others, new_entry(&fields));
		} else if (is_function_type(fields.type) &&
			   symbols_is_clone(fields.name, name, NULL)) {
			ptr_array_push(&sites->clones, new_entry(&fields));
		}
	}
	free(line);
	fclose(file);
	return 0;
}

static void free_entries(struct ptr_array *array)
{
	size_t i;

	for (i = 0; i < array->count; i++) {
		struct kallsyms_entry *entry = array->items[i];

		free(entry->name);
		free(entry->module);
	}
	ptr_array_free_all(array);
}

void symbol_sites_free(struct symbol_sites *sites)
{
	free_entries(&sites->functions);
	free_entries(&sites->others);
	free_entries(&sites->clones);
}

int symbols_kallsyms_has(const struct ksctl_env *env, const char *const *names,
			 bool *found, size_t count)
{
	char *line = NULL;
	size_t capacity = 0;
	FILE *file;
	size_t i;

	for (i = 0; i < count; i++)
		found[i] = false;

	file = open_under_root(env, "/proc/kallsyms");
	if (!file)
		return -errno;

	while (getline(&line, &capacity, file) > 0) {
		struct kallsyms_line fields;

		if (!split_kallsyms_line(line, &fields) || fields.module)
			continue;
		for (i = 0; i < count; i++) {
			if (strcmp(fields.name, names[i]) == 0)
				found[i] = true;
		}
	}
	free(line);
	fclose(file);
	return 0;
}

/* Compare an optional module name, where NULL means the kernel image. */
static bool same_module(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Split "NAME [MODULE]" or "NAME" in place, as available_filter_functions
 * and the kprobe blacklist print a symbol.
 */
static void split_name_module(char *text, const char **name, const char **module)
{
	char *bracket;

	text[strcspn(text, "\n")] = '\0';
	*module = NULL;
	bracket = strstr(text, " [");
	if (bracket) {
		*bracket = '\0';
		bracket += 2;
		bracket[strcspn(bracket, "]")] = '\0';
		*module = bracket;
	}
	*name = text;
}

int symbols_has_ftrace_entry(const struct ksctl_env *env, const char *name,
			     const char *module, bool *found)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/available_filter_functions",
		"/sys/kernel/debug/tracing/available_filter_functions",
	};
	char *line = NULL;
	size_t capacity = 0;
	FILE *file = NULL;
	int err = -ENOENT;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]) && !file; i++) {
		file = open_under_root(env, paths[i]);
		if (!file && errno != ENOENT)
			err = -errno;
	}
	if (!file)
		return err;

	*found = false;
	while (!*found && getline(&line, &capacity, file) > 0) {
		const char *entry_name;
		const char *entry_module;

		split_name_module(line, &entry_name, &entry_module);
		if (strcmp(entry_name, name) == 0 && same_module(entry_module, module))
			*found = true;
	}
	free(line);
	fclose(file);
	return 0;
}

int symbols_on_kprobe_blacklist(const struct ksctl_env *env, const char *name,
				const char *module, bool *found)
{
	char *line = NULL;
	size_t capacity = 0;
	FILE *file;

	file = open_under_root(env, "/sys/kernel/debug/kprobes/blacklist");
	if (!file)
		return -errno;

	/* Lines are "0xSTART-0xEND\tNAME" or "0xSTART-0xEND\tNAME [MODULE]". */
	*found = false;
	while (!*found && getline(&line, &capacity, file) > 0) {
		char *tab = strchr(line, '\t');
		const char *entry_name;
		const char *entry_module;

		if (!tab)
			continue;
		split_name_module(tab + 1, &entry_name, &entry_module);
		if (strcmp(entry_name, name) == 0 && same_module(entry_module, module))
			*found = true;
	}
	free(line);
	fclose(file);
	return 0;
}

/* Return true if the folder name "NAME,SYMPOS" of a patched function is @name. */
static bool livepatch_entry_matches(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return strncmp(entry, name, len) == 0 && entry[len] == ',';
}

/* Search ROOT/sys/kernel/livepatch/PATCH/OBJECT/ for @name. */
static bool livepatch_object_has(const char *object_dir, const char *name)
{
	struct dirent *entry;
	bool found = false;
	DIR *dir;

	dir = opendir(object_dir);
	if (!dir)
		return false;
	while (!found && (entry = readdir(dir)))
		found = livepatch_entry_matches(entry->d_name, name);
	closedir(dir);
	return found;
}

int symbols_find_livepatch(const struct ksctl_env *env, const char *name,
			   const char *module, char **patch)
{
	char *base = root_path(env, "/sys/kernel/livepatch");
	const char *object = module ? module : "vmlinux";
	struct dirent *entry;
	DIR *dir;

	*patch = NULL;
	dir = opendir(base);
	if (!dir) {
		int err = errno;

		free(base);
		/* No folder means no live patch support, so nothing is patched. */
		return err == ENOENT ? 0 : -err;
	}

	while (!*patch && (entry = readdir(dir))) {
		char *object_dir;

		if (entry->d_name[0] == '.')
			continue;
		object_dir = xasprintf("%s/%s/%s", base, entry->d_name, object);
		if (livepatch_object_has(object_dir, name))
			*patch = xstrdup(entry->d_name);
		free(object_dir);
	}
	closedir(dir);
	free(base);
	return 0;
}

/*
 * Parse one line of the kprobe list, "ADDR  k  NAME+0xOFF  MODULE [FLAGS]...",
 * where MODULE is blank for the kernel image.
 */
static bool kprobe_line_matches(char *line, const char *name, const char *module,
				struct kprobe_state *state)
{
	char *saveptr = NULL;
	char *word;
	char *plus;
	const char *line_module = NULL;
	int index = 0;

	memset(state, 0, sizeof(*state));
	for (word = strtok_r(line, " \t\n", &saveptr); word;
	     word = strtok_r(NULL, " \t\n", &saveptr), index++) {
		if (index == 2) {
			/*
			 * On x86 with IBT (Debian's 6.12) the kprobe core moves a
			 * probe at function entry past the 4-byte endbr64, so the
			 * entry shows as +0x4. NOTE: a probe placed at +0x4 on
			 * purpose on a kernel without IBT also matches.
			 */
			plus = strchr(word, '+');
			if (!plus || (strcmp(plus, "+0x0") != 0 && strcmp(plus, "+0x4") != 0))
				return false;
			*plus = '\0';
			if (strcmp(word, name) != 0)
				return false;
		} else if (index >= 3 && word[0] == '[') {
			/* The flags are printed without spaces: [DISABLED][FTRACE]. */
			state->gone |= strstr(word, "[GONE]") != NULL;
			state->disabled |= strstr(word, "[DISABLED]") != NULL;
			state->optimized |= strstr(word, "[OPTIMIZED]") != NULL;
			state->ftrace |= strstr(word, "[FTRACE]") != NULL;
		} else if (index == 3) {
			line_module = word;
		}
	}
	if (index < 3 || !same_module(line_module, module))
		return false;
	state->listed = true;
	return true;
}

int symbols_kprobe_list_read(const struct ksctl_env *env, char **list)
{
	char *path = root_path(env, "/sys/kernel/debug/kprobes/list");
	int err;

	*list = read_file(path, NULL);
	err = errno;
	free(path);
	return *list ? 0 : -err;
}

void symbols_kprobe_state_in(const char *list, const char *name, const char *module,
			     struct kprobe_state *state)
{
	const char *start = list;

	memset(state, 0, sizeof(*state));
	while (*start) {
		const char *end = strchr(start, '\n');
		size_t len = end ? (size_t)(end - start) : strlen(start);
		char *line = xmalloc(len + 1);

		memcpy(line, start, len);
		line[len] = '\0';
		if (kprobe_line_matches(line, name, module, state)) {
			free(line);
			return;
		}
		free(line);
		start += len;
		if (*start == '\n')
			start++;
	}
	memset(state, 0, sizeof(*state));
}

int symbols_kprobe_state(const struct ksctl_env *env, const char *name,
			 const char *module, struct kprobe_state *state)
{
	char *list;
	int err;

	memset(state, 0, sizeof(*state));
	err = symbols_kprobe_list_read(env, &list);
	if (err)
		return err;
	symbols_kprobe_state_in(list, name, module, state);
	free(list);
	return 0;
}
