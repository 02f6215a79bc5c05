// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "catalog.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ks_grammar.h"
#include "preflight.h"

const char *const catalog_known_series[] = { "6.1", "6.12", NULL };

char *catalog_find_dir(const char *override)
{
	static const char build_suffix[] = "/build/cli";
	char exe[PATH_MAX];
	char *slash;
	ssize_t len;

	if (override)
		return xstrdup(override);

	/* A ksctl run from SOURCE/build/cli/ksctl reads SOURCE/catalog. */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			size_t dir_len = (size_t)(slash - exe);
			size_t suffix_len = strlen(build_suffix);

			if (dir_len >= suffix_len &&
			    memcmp(exe + dir_len - suffix_len, build_suffix, suffix_len) == 0) {
				char *candidate = xasprintf("%.*s/catalog", (int)(dir_len - suffix_len), exe);

				if (path_exists(candidate))
					return candidate;
				free(candidate);
			}
		}
	}
	return xstrdup(KSCTL_CATALOG_DIR);
}

static void add_problem(struct ptr_array *problems, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_problem(struct ptr_array *problems, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	ptr_array_push(problems, xasprintf("%s: %s", path, message));
	free(message);
}

bool catalog_valid_id(const char *id)
{
	size_t digits = 0;
	int i;

	if (strncmp(id, "CVE-", 4) != 0)
		return false;
	for (i = 4; i < 8; i++) {
		if (!isdigit((unsigned char)id[i]))
			return false;
	}
	if (id[8] != '-')
		return false;
	for (id += 9; *id; id++, digits++) {
		if (!isdigit((unsigned char)*id))
			return false;
	}
	return digits >= 4 && digits <= 19;
}

/* Return true if @text is N.N or N.N.N with decimal numbers. */
static bool valid_version(const char *text, bool need_three)
{
	int parts = 0;

	while (*text) {
		if (!isdigit((unsigned char)*text))
			return false;
		while (isdigit((unsigned char)*text))
			text++;
		parts++;
		if (*text == '.')
			text++;
		else if (*text)
			return false;
	}
	return need_three ? parts == 3 : parts == 2 || parts == 3;
}

int catalog_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10);
		unsigned long y = strtoul(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!isdigit((unsigned char)*a) && *a)
			break;
		if (!isdigit((unsigned char)*b) && *b)
			break;
	}
	return 0;
}

/*
 * NOTE: only the leading number of the revision counts, which orders
 * Debian's kernel uploads (6.1.170-1, 6.1.170-2) and treats a backport
 * such as 1~bpo12+1 like the upload 1 it was built from.
 */
int catalog_debian_version_compare(const char *a, const char *b)
{
	const char *revision_a = strchr(a, '-');
	const char *revision_b = strchr(b, '-');
	unsigned long x, y;
	int ret;

	ret = catalog_version_compare(a, b);
	if (ret)
		return ret;
	x = revision_a ? strtoul(revision_a + 1, NULL, 10) : 0;
	y = revision_b ? strtoul(revision_b + 1, NULL, 10) : 0;
	if (x != y)
		return x < y ? -1 : 1;
	return 0;
}

static bool known_series(const char *series)
{
	size_t i;

	for (i = 0; catalog_known_series[i]; i++) {
		if (strcmp(catalog_known_series[i], series) == 0)
			return true;
	}
	return false;
}

/* The reader of one file: the path for messages and the problem list. */
struct reader {
	const char *path;
	struct ptr_array *problems;
	size_t problem_count_at_start;
};

/* Reject keys of @object that are not in the NULL-terminated @allowed. */
static void check_keys(struct reader *r, json_object *object, const char *where,
		       const char *const *allowed)
{
	json_object_object_foreach(object, key, value) {
		size_t i;
		bool found = false;

		(void)value;
		for (i = 0; allowed[i]; i++)
			found |= strcmp(key, allowed[i]) == 0;
		if (!found)
			add_problem(r->problems, r->path, "%s: unknown field \"%s\"", where, key);
	}
}

/* Read the non-empty string field @key of @object, or NULL with a problem. */
static char *get_string(struct reader *r, json_object *object, const char *where,
			const char *key, bool required)
{
	json_object *value;
	const char *text;

	if (!json_object_object_get_ex(object, key, &value) || json_object_is_type(value, json_type_null)) {
		if (required)
			add_problem(r->problems, r->path, "%s: missing field \"%s\"", where, key);
		return NULL;
	}
	if (!json_object_is_type(value, json_type_string)) {
		add_problem(r->problems, r->path, "%s: field \"%s\" must be a string", where, key);
		return NULL;
	}
	text = json_object_get_string(value);
	if (text[0] == '\0') {
		add_problem(r->problems, r->path, "%s: field \"%s\" is empty", where, key);
		return NULL;
	}
	return xstrdup(text);
}

/*
 * Read the array of non-empty strings @key into @list. @min_count is the
 * fewest elements allowed; a missing field is an empty array.
 */
static void get_strings(struct reader *r, json_object *object, const char *where,
			const char *key, size_t min_count, struct ptr_array *list)
{
	json_object *value;
	size_t i, count;

	if (!json_object_object_get_ex(object, key, &value)) {
		if (min_count > 0)
			add_problem(r->problems, r->path, "%s: missing field \"%s\"", where, key);
		return;
	}
	if (!json_object_is_type(value, json_type_array)) {
		add_problem(r->problems, r->path, "%s: field \"%s\" must be an array of strings",
			    where, key);
		return;
	}
	count = json_object_array_length(value);
	if (count < min_count)
		add_problem(r->problems, r->path, "%s: field \"%s\" needs at least %zu element(s)",
			    where, key, min_count);
	for (i = 0; i < count; i++) {
		json_object *item = json_object_array_get_idx(value, i);

		if (!json_object_is_type(item, json_type_string) ||
		    json_object_get_string(item)[0] == '\0') {
			add_problem(r->problems, r->path,
				    "%s: element %zu of \"%s\" must be a non-empty string", where, i, key);
			continue;
		}
		ptr_array_push(list, xstrdup(json_object_get_string(item)));
	}
}

static void engagement_free(struct catalog_engagement *engagement)
{
	free(engagement->line);
	free(engagement->symbol);
	free(engagement->retval);
	free(engagement->options);
	free(engagement);
}

/*
 * Split "SYMBOL RETVAL [OPTION...]" after checking "engage " + @line with
 * the control grammar. Returns NULL with a problem on a line the kernel
 * would reject.
 */
static struct catalog_engagement *parse_engagement(struct reader *r, const char *where,
						   const char *line)
{
	struct catalog_engagement *engagement;
	struct ks_parse_error err;
	struct ks_command cmd;
	enum ks_parse_status status;
	char *command = xasprintf("engage %s", line);
	const char *p;
	size_t n;

	status = ks_parse_command(command, strlen(command), &cmd, &err);
	if (status != KS_PARSE_OK) {
		add_problem(r->problems, r->path,
			    "%s: engagement \"%s\" is invalid at byte %zu: %s", where, line,
			    err.offset >= 7 ? err.offset - 7 : 0, ks_parse_status_message(status));
		free(command);
		return NULL;
	}
	free(command);
	if (strchr(line, '\n')) {
		add_problem(r->problems, r->path, "%s: engagement \"%s\" spans lines", where, line);
		return NULL;
	}

	engagement = xcalloc(1, sizeof(*engagement));
	engagement->line = xstrdup(line);
	p = line + strspn(line, " \t");
	n = strcspn(p, " \t");
	engagement->symbol = strndup(p, n);
	p += n;
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	engagement->retval = strndup(p, n);
	p += n;
	p += strspn(p, " \t");
	engagement->options = *p ? xstrdup(p) : NULL;
	if (!engagement->symbol || !engagement->retval) {
		fputs("ksctl: out of memory\n", stderr);
		exit(KSCTL_EXIT_FAILED);
	}
	return engagement;
}

static void series_free(struct catalog_series *series)
{
	size_t i;

	free(series->series);
	free(series->introduced);
	free(series->fixed);
	free(series->debian_fixed);
	for (i = 0; i < series->engagements.count; i++)
		engagement_free(series->engagements.items[i]);
	free(series->engagements.items);
	ptr_array_free_all(&series->paths);
	free(series->why);
	free(series->proof);
	free(series->unproved);
	free(series);
}

/* Check a version field: "unknown", or a version of the right shape. */
static void check_version(struct reader *r, const char *where, const char *key,
			  const char *version, const char *series, bool need_three)
{
	if (!version || strcmp(version, "unknown") == 0)
		return;
	if (!valid_version(version, need_three)) {
		add_problem(r->problems, r->path,
			    "%s: \"%s\" is \"%s\"; write %s or \"unknown\"", where, key, version,
			    need_three ? "X.Y.Z" : "X.Y or X.Y.Z");
		return;
	}
	if (strcmp(key, "fixed") == 0 &&
	    (!starts_with(version, series) || version[strlen(series)] != '.'))
		add_problem(r->problems, r->path,
			    "%s: fixed version %s is not in series %s", where, version, series);
}

static struct catalog_series *parse_series(struct reader *r, const char *name, json_object *object)
{
	static const char *const keys[] = {
		"introduced", "fixed", "debian_fixed", "engage", "paths", "why", "proof",
		"unproved", NULL
	};
	struct catalog_series *series = xcalloc(1, sizeof(*series));
	char *where = xasprintf("series %s", name);
	struct ptr_array lines = { 0 };
	size_t i;

	series->series = xstrdup(name);
	if (!known_series(name))
		add_problem(r->problems, r->path,
			    "unknown series \"%s\"; the reference series are 6.1 and 6.12", name);
	if (!json_object_is_type(object, json_type_object)) {
		add_problem(r->problems, r->path, "%s must be an object", where);
		free(where);
		return series;
	}
	check_keys(r, object, where, keys);
	series->introduced = get_string(r, object, where, "introduced", true);
	series->fixed = get_string(r, object, where, "fixed", true);
	check_version(r, where, "introduced", series->introduced, name, false);
	check_version(r, where, "fixed", series->fixed, name, true);
	series->debian_fixed = get_string(r, object, where, "debian_fixed", false);
	if (!series->debian_fixed)
		series->debian_fixed = xstrdup("unknown");
	if (strcmp(series->debian_fixed, "unknown") != 0 &&
	    (!starts_with(series->debian_fixed, name) ||
	     series->debian_fixed[strlen(name)] != '.' || !strchr(series->debian_fixed, '-')))
		add_problem(r->problems, r->path,
			    "%s: debian_fixed \"%s\" is not a Debian version of series %s, such as %s.10-1",
			    where, series->debian_fixed, name, name);
	get_strings(r, object, where, "engage", 1, &lines);
	for (i = 0; i < lines.count; i++) {
		struct catalog_engagement *engagement = parse_engagement(r, where, lines.items[i]);

		if (engagement)
			ptr_array_push(&series->engagements, engagement);
	}
	ptr_array_free_all(&lines);
	get_strings(r, object, where, "paths", 1, &series->paths);
	series->why = get_string(r, object, where, "why", true);
	series->proof = get_string(r, object, where, "proof", false);
	series->unproved = get_string(r, object, where, "unproved", false);
	if (!series->proof == !series->unproved)
		add_problem(r->problems, r->path,
			    "%s: give exactly one of \"proof\" (the VM suite) and \"unproved\" (why there is none)",
			    where);
	if (series->proof && !starts_with(series->proof, "tests/vm/suites/"))
		add_problem(r->problems, r->path, "%s: proof \"%s\" is not under tests/vm/suites/",
			    where, series->proof);
	free(where);
	return series;
}

static void parse_alternatives(struct reader *r, json_object *root, struct catalog_entry *entry)
{
	static const char *const keys[] = { "method", "when", NULL };
	json_object *value;
	size_t i, count;

	if (!json_object_object_get_ex(root, "alternatives", &value) ||
	    !json_object_is_type(value, json_type_array) || json_object_array_length(value) == 0) {
		add_problem(r->problems, r->path,
			    "field \"alternatives\" must be a non-empty array of {\"method\", \"when\"}");
		return;
	}
	count = json_object_array_length(value);
	for (i = 0; i < count; i++) {
		json_object *item = json_object_array_get_idx(value, i);
		char *where = xasprintf("alternative %zu", i);
		struct catalog_alternative *alternative;

		if (!json_object_is_type(item, json_type_object)) {
			add_problem(r->problems, r->path, "%s must be an object", where);
			free(where);
			continue;
		}
		check_keys(r, item, where, keys);
		alternative = xcalloc(1, sizeof(*alternative));
		alternative->method = get_string(r, item, where, "method", true);
		alternative->when = get_string(r, item, where, "when", true);
		ptr_array_push(&entry->alternatives, alternative);
		free(where);
	}
}

static void parse_all_series(struct reader *r, json_object *root, struct catalog_entry *entry)
{
	json_object *value;

	if (!json_object_object_get_ex(root, "series", &value) ||
	    !json_object_is_type(value, json_type_object) || json_object_object_length(value) == 0) {
		add_problem(r->problems, r->path,
			    "field \"series\" must be an object with one block per kernel series");
		return;
	}
	json_object_object_foreach(value, name, block)
		ptr_array_push(&entry->series, parse_series(r, name, block));
}

/* Check the id against its format and the file name, which must be ID.json. */
static void check_id(struct reader *r, const struct catalog_entry *entry)
{
	const char *base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
	char *expected;
	size_t i;

	if (!entry->id)
		return;
	if (!catalog_valid_id(entry->id)) {
		add_problem(r->problems, r->path,
			    "id \"%s\" is not a CVE id; write CVE-YYYY-NNNN", entry->id);
		return;
	}
	expected = xasprintf("%s.json", entry->id);
	if (strcmp(base, expected) != 0)
		add_problem(r->problems, r->path, "id %s needs the file name %s", entry->id,
			    expected);
	free(expected);
	for (i = 0; i < entry->related.count; i++) {
		if (!catalog_valid_id(entry->related.items[i]))
			add_problem(r->problems, r->path, "related id \"%s\" is not a CVE id",
				    (char *)entry->related.items[i]);
	}
}

static json_object *parse_json_file(struct reader *r)
{
	struct json_tokener *tokener;
	json_object *root;
	size_t len, end;
	char *text = read_file(r->path, &len);

	if (!text) {
		add_problem(r->problems, r->path, "cannot read: %s", strerror(errno));
		return NULL;
	}
	tokener = json_tokener_new();
	root = json_tokener_parse_ex(tokener, text, (int)len);
	end = json_tokener_get_parse_end(tokener);
	if (!root) {
		enum json_tokener_error jerr = json_tokener_get_error(tokener);

		if (jerr == json_tokener_continue)
			jerr = json_tokener_error_parse_eof;
		add_problem(r->problems, r->path, "invalid JSON near byte %zu: %s", end,
			    json_tokener_error_desc(jerr));
	} else if (text[end + strspn(text + end, " \t\r\n")] != '\0') {
		add_problem(r->problems, r->path, "text after the JSON object at byte %zu", end);
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tokener);
	free(text);
	if (root && !json_object_is_type(root, json_type_object)) {
		add_problem(r->problems, r->path, "the file must hold one JSON object");
		json_object_put(root);
		return NULL;
	}
	return root;
}

struct catalog_entry *catalog_load_file(const char *path, struct ptr_array *problems)
{
	static const char *const keys[] = {
		"id", "related", "name", "subsystem", "modules", "summary", "sources",
		"side_effects", "alternatives", "series", NULL
	};
	struct reader r = { path, problems, problems->count };
	struct catalog_entry *entry;
	json_object *root = parse_json_file(&r);

	if (!root)
		return NULL;

	entry = xcalloc(1, sizeof(*entry));
	entry->path = xstrdup(path);
	check_keys(&r, root, "entry", keys);
	entry->id = get_string(&r, root, "entry", "id", true);
	get_strings(&r, root, "entry", "related", 0, &entry->related);
	check_id(&r, entry);
	entry->name = get_string(&r, root, "entry", "name", true);
	entry->subsystem = get_string(&r, root, "entry", "subsystem", true);
	get_strings(&r, root, "entry", "modules", 0, &entry->modules);
	entry->summary = get_string(&r, root, "entry", "summary", true);
	get_strings(&r, root, "entry", "sources", 1, &entry->sources);
	entry->side_effects = get_string(&r, root, "entry", "side_effects", true);
	parse_alternatives(&r, root, entry);
	parse_all_series(&r, root, entry);
	json_object_put(root);

	if (problems->count > r.problem_count_at_start) {
		catalog_entry_free(entry);
		return NULL;
	}
	return entry;
}

void catalog_entry_free(struct catalog_entry *entry)
{
	size_t i;

	if (!entry)
		return;
	free(entry->id);
	free(entry->path);
	free(entry->name);
	free(entry->subsystem);
	free(entry->summary);
	free(entry->side_effects);
	ptr_array_free_all(&entry->related);
	ptr_array_free_all(&entry->modules);
	ptr_array_free_all(&entry->sources);
	for (i = 0; i < entry->alternatives.count; i++) {
		struct catalog_alternative *alternative = entry->alternatives.items[i];

		free(alternative->method);
		free(alternative->when);
		free(alternative);
	}
	free(entry->alternatives.items);
	for (i = 0; i < entry->series.count; i++)
		series_free(entry->series.items[i]);
	free(entry->series.items);
	free(entry);
}

void catalog_entries_free(struct ptr_array *entries)
{
	size_t i;

	for (i = 0; i < entries->count; i++)
		catalog_entry_free(entries->items[i]);
	free(entries->items);
	entries->items = NULL;
	entries->count = 0;
	entries->capacity = 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t catalog_load_dir(const char *dir, struct ptr_array *entries, struct ptr_array *problems)
{
	struct ptr_array names = { 0 };
	struct dirent *dirent;
	DIR *handle = opendir(dir);
	size_t i;

	if (!handle) {
		add_problem(problems, dir, "cannot open the catalog folder: %s; pass --catalog DIR",
			    strerror(errno));
		return 0;
	}
	while ((dirent = readdir(handle))) {
		size_t len = strlen(dirent->d_name);

		if (len > 5 && strcmp(dirent->d_name + len - 5, ".json") == 0)
			ptr_array_push(&names, xstrdup(dirent->d_name));
	}
	closedir(handle);
	if (names.count)
		qsort(names.items, names.count, sizeof(*names.items), compare_names);

	for (i = 0; i < names.count; i++) {
		char *path = xasprintf("%s/%s", dir, (char *)names.items[i]);
		struct catalog_entry *entry = catalog_load_file(path, problems);

		/* Ids are unique: each file must be named after its id. */
		if (entry)
			ptr_array_push(entries, entry);
		free(path);
	}
	i = names.count;
	ptr_array_free_all(&names);
	return i;
}

struct catalog_entry *catalog_find(const struct ptr_array *entries, const char *id)
{
	size_t i;

	for (i = 0; i < entries->count; i++) {
		struct catalog_entry *entry = entries->items[i];

		if (strcmp(entry->id, id) == 0)
			return entry;
	}
	return NULL;
}

struct catalog_series *catalog_series_of(const struct catalog_entry *entry, const char *series)
{
	size_t i;

	if (!series)
		return NULL;
	for (i = 0; i < entry->series.count; i++) {
		struct catalog_series *block = entry->series.items[i];

		if (strcmp(block->series, series) == 0)
			return block;
	}
	return NULL;
}

/* Copy the leading "X.Y.Z" of @text, or return NULL if it has none. */
static char *leading_version(const char *text)
{
	size_t len = 0;
	int dots = 0;

	while (isdigit((unsigned char)text[len]) || (text[len] == '.' && dots < 2)) {
		if (text[len] == '.') {
			if (!isdigit((unsigned char)text[len + 1]))
				break;
			dots++;
		}
		len++;
	}
	if (dots < 2)
		return NULL;
	return strndup(text, len);
}

int running_kernel_read(const struct ksctl_env *env, struct running_kernel *kernel)
{
	char *path = root_path(env, "/proc/version");
	char *text = read_first_line(path);
	const char *debian = NULL;
	const char *p;
	char *dot;

	free(path);
	memset(kernel, 0, sizeof(*kernel));
	/* The compiler's version, "(Debian 12.2.0-14)", comes earlier in the line. */
	for (p = text; p && (p = strstr(p, " Debian ")); p++) {
		if (isdigit((unsigned char)p[strlen(" Debian ")]))
			debian = p;
	}
	kernel->release = kernel_release(env);
	if (!kernel->release) {
		int err = -errno;

		free(text);
		return err ? err : -EIO;
	}
	if (debian) {
		const char *start = debian + strlen(" Debian ");

		kernel->version = leading_version(start);
		kernel->version_source = "/proc/version";
		if (kernel->version)
			kernel->debian_version = strndup(start, strcspn(start, " ("));
	}
	if (!kernel->version) {
		kernel->version = leading_version(kernel->release);
		kernel->version_source = "release";
	}
	free(text);

	if (kernel->version) {
		kernel->series = xstrdup(kernel->version);
		dot = strchr(strchr(kernel->series, '.') + 1, '.');
		*dot = '\0';
	}
	return 0;
}

void running_kernel_free(struct running_kernel *kernel)
{
	free(kernel->release);
	free(kernel->version);
	free(kernel->debian_version);
	free(kernel->series);
	memset(kernel, 0, sizeof(*kernel));
}

const char *catalog_status_name(enum catalog_status status)
{
	switch (status) {
	case CATALOG_APPLIES:
		return "applies";
	case CATALOG_FIXED:
		return "fixed";
	case CATALOG_NOT_AFFECTED:
		return "not-affected";
	case CATALOG_NO_SERIES:
		return "no-series";
	case CATALOG_NOT_BUILT:
		return "not-built";
	}
	return "applies";
}

/* Join the series of @entry as "6.1, 6.12". */
static char *series_list(const struct catalog_entry *entry)
{
	char *list = xstrdup("");
	size_t i;

	for (i = 0; i < entry->series.count; i++) {
		const struct catalog_series *block = entry->series.items[i];
		char *longer = xasprintf("%s%s%s", list, i ? ", " : "", block->series);

		free(list);
		list = longer;
	}
	return list;
}

/*
 * Find the first engaged function that exists neither in the kernel nor in
 * a module file. Returns KSCTL_EXIT_OK with *@missing set to it or NULL.
 */
static int find_missing_function(const struct ksctl_env *env, const struct catalog_series *block,
				 const char **missing, char **error)
{
	size_t i;

	*missing = NULL;
	for (i = 0; i < block->engagements.count; i++) {
		const struct catalog_engagement *engagement = block->engagements.items[i];
		struct preflight pf;
		int ret;

		ret = preflight_run(env, engagement->symbol, engagement->retval, false, &pf, error);
		if (ret == KSCTL_EXIT_OK && pf.location == LOCATION_NOT_FOUND)
			*missing = engagement->symbol;
		preflight_free(&pf);
		if (ret != KSCTL_EXIT_OK)
			return ret;
		if (*missing)
			break;
	}
	return KSCTL_EXIT_OK;
}

int catalog_applicability(const struct ksctl_env *env, const struct catalog_entry *entry,
			  const struct running_kernel *kernel,
			  struct catalog_applicability *result, char **error)
{
	const struct catalog_series *block = catalog_series_of(entry, kernel->series);
	const char *missing;
	int ret;

	*error = NULL;
	result->reason = NULL;
	if (!block) {
		char *list = series_list(entry);

		result->status = CATALOG_NO_SERIES;
		result->reason = kernel->series ?
			xasprintf("the entry has no engagement for series %s (it covers %s)",
				  kernel->series, list) :
			xasprintf("the kernel version cannot be read from /proc/version or the release %s",
				  kernel->release);
		free(list);
		return KSCTL_EXIT_OK;
	}

	if (kernel->debian_version && strcmp(block->debian_fixed, "unknown") != 0) {
		if (catalog_debian_version_compare(kernel->debian_version, block->debian_fixed) >= 0) {
			result->status = CATALOG_FIXED;
			result->reason = xasprintf("Debian kernel %s contains the fix, first in Debian %s",
						   kernel->debian_version, block->debian_fixed);
			return KSCTL_EXIT_OK;
		}
	} else if (strcmp(block->fixed, "unknown") != 0 &&
		   catalog_version_compare(kernel->version, block->fixed) >= 0) {
		result->status = CATALOG_FIXED;
		result->reason = xasprintf("kernel %s (from %s) contains the fix, first in %s",
					   kernel->version, kernel->version_source, block->fixed);
		return KSCTL_EXIT_OK;
	}
	if (strcmp(block->introduced, "unknown") != 0 &&
	    catalog_version_compare(kernel->version, block->introduced) < 0) {
		result->status = CATALOG_NOT_AFFECTED;
		result->reason = xasprintf("kernel %s predates the bug, which came in %s",
					   kernel->version, block->introduced);
		return KSCTL_EXIT_OK;
	}

	ret = find_missing_function(env, block, &missing, error);
	if (ret != KSCTL_EXIT_OK)
		return ret;
	if (missing) {
		result->status = CATALOG_NOT_BUILT;
		result->reason = xasprintf("%s is neither in the kernel nor in a module file, so this kernel is built without the code",
					   missing);
		return KSCTL_EXIT_OK;
	}

	result->status = CATALOG_APPLIES;
	if (kernel->debian_version && strcmp(block->debian_fixed, "unknown") != 0)
		result->reason = xasprintf("Debian kernel %s is older than the fix in Debian %s",
					   kernel->debian_version, block->debian_fixed);
	else if (strcmp(block->fixed, "unknown") != 0)
		result->reason = xasprintf("kernel %s is older than the fix in %s",
					   kernel->version, block->fixed);
	else
		result->reason = xasprintf("the code is present and no fixed %s version is recorded",
					   block->series);
	return KSCTL_EXIT_OK;
}

bool catalog_status_allows(enum catalog_status status, bool force)
{
	switch (status) {
	case CATALOG_APPLIES:
		return true;
	case CATALOG_FIXED:
	case CATALOG_NOT_AFFECTED:
		return force;
	case CATALOG_NO_SERIES:
	case CATALOG_NOT_BUILT:
		break;
	}
	return false;
}

char *catalog_engagement_options(const struct catalog_engagement *engagement,
				 const char *scope)
{
	char *options = xstrdup("");
	char *copy, *word, *save;

	if (engagement->options) {
		copy = xstrdup(engagement->options);
		for (word = strtok_r(copy, " \t", &save); word; word = strtok_r(NULL, " \t", &save)) {
			char *longer;

			if (scope && starts_with(word, "scope="))
				continue;
			longer = xasprintf("%s%s%s", options, options[0] ? " " : "", word);
			free(options);
			options = longer;
		}
		free(copy);
	}
	if (scope) {
		char *longer = xasprintf("%s%sscope=%s", options, options[0] ? " " : "", scope);

		free(options);
		options = longer;
	}
	if (options[0] == '\0') {
		free(options);
		return NULL;
	}
	return options;
}

int catalog_expand(const struct ksctl_env *env, const struct catalog_entry *entry,
		   const struct running_kernel *kernel, const char *scope, bool force,
		   struct catalog_applicability *result, struct ptr_array *engagements,
		   char **error)
{
	const struct catalog_series *block;
	size_t i;
	int ret;

	ret = catalog_applicability(env, entry, kernel, result, error);
	if (ret != KSCTL_EXIT_OK)
		return ret;
	if (!catalog_status_allows(result->status, force))
		return KSCTL_EXIT_REFUSED;

	/* Every status that passes has a block for the series. */
	block = catalog_series_of(entry, kernel->series);
	for (i = 0; i < block->engagements.count; i++) {
		const struct catalog_engagement *source = block->engagements.items[i];
		struct catalog_engagement *copy = xcalloc(1, sizeof(*copy));

		copy->line = xstrdup(source->line);
		copy->symbol = xstrdup(source->symbol);
		copy->retval = xstrdup(source->retval);
		copy->options = catalog_engagement_options(source, scope);
		ptr_array_push(engagements, copy);
	}
	return KSCTL_EXIT_OK;
}

void catalog_engagements_free(struct ptr_array *engagements)
{
	size_t i;

	for (i = 0; i < engagements->count; i++)
		engagement_free(engagements->items[i]);
	free(engagements->items);
	engagements->items = NULL;
	engagements->count = 0;
	engagements->capacity = 0;
}
