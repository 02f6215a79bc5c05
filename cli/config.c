// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "ks_grammar.h"

#define WORD_SEPARATORS " \t\r"

static void add_error(struct ptr_array *errors, const char *file, unsigned int line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_error(struct ptr_array *errors, const char *file, unsigned int line,
		      const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	ptr_array_push(errors, xasprintf("%s:%u: %s", file, line, message));
	free(message);
}

static void entry_free(struct config_entry *entry)
{
	free(entry->name);
	free(entry->retval);
	ptr_array_free_all(&entry->options);
	free(entry->file);
	free(entry);
}

void config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->entries.count; i++)
		entry_free(cfg->entries.items[i]);
	free(cfg->entries.items);
	cfg->entries.items = NULL;
	cfg->entries.count = 0;
	cfg->entries.capacity = 0;
}

char *config_engage_command(const char *target, long long retval,
			    const struct ptr_array *options, char **error)
{
	struct ks_parse_error parse_error;
	struct ks_command parsed;
	enum ks_parse_status status;
	char *command = xasprintf("engage %s %lld", target, retval);
	size_t i;

	for (i = 0; i < options->count; i++) {
		char *longer = xasprintf("%s %s", command, (const char *)options->items[i]);

		free(command);
		command = longer;
	}

	status = ks_parse_command(command, strlen(command), &parsed, &parse_error);
	if (status == KS_PARSE_OK)
		return command;

	if (parse_error.length > 0)
		*error = xasprintf("'%.*s' is rejected by the control grammar: %s",
				   (int)parse_error.length, command + parse_error.offset,
				   ks_parse_status_message(status));
	else
		*error = xasprintf("'%s' is rejected by the control grammar: %s", command,
				   ks_parse_status_message(status));
	free(command);
	return NULL;
}

/* Split the function name off "module:function". */
static const char *function_part(const char *symbol)
{
	const char *colon = strchr(symbol, ':');

	return colon ? colon + 1 : symbol;
}

bool config_same_function(const char *a, const char *b)
{
	const char *colon_a = strchr(a, ':');
	const char *colon_b = strchr(b, ':');

	if (strcmp(function_part(a), function_part(b)) != 0)
		return false;
	if (!colon_a || !colon_b)
		return true;
	return colon_a - a == colon_b - b && strncmp(a, b, (size_t)(colon_a - a)) == 0;
}

static struct config_entry *find_entry(struct config *cfg, enum config_kind kind,
				       const char *name, size_t *index)
{
	size_t i;

	for (i = 0; i < cfg->entries.count; i++) {
		struct config_entry *entry = cfg->entries.items[i];

		if (entry->kind != kind)
			continue;
		if (kind == CONFIG_ENGAGE ? config_same_function(entry->name, name) :
					    strcmp(entry->name, name) == 0) {
			*index = i;
			return entry;
		}
	}
	return NULL;
}

/*
 * Check the words after the verb of an engage line. The symbol, return
 * value and options go through the control grammar; a missing RETVAL is
 * checked as 0 here and replaced by the BTF default when applied.
 */
static bool check_engage_words(struct config_entry *entry, struct ptr_array *errors)
{
	char symbol[KS_SYMBOL_MAX + 1];
	enum ks_parse_status status;
	long long retval = 0;
	char *command;
	char *error;

	status = ks_parse_symbol(entry->name, strlen(entry->name), symbol);
	if (status != KS_PARSE_OK) {
		add_error(errors, entry->file, entry->line, "invalid SYMBOL '%s': %s",
			  entry->name, ks_parse_status_message(status));
		return false;
	}
	if (entry->retval) {
		status = ks_parse_retval(entry->retval, strlen(entry->retval), &retval);
		if (status != KS_PARSE_OK) {
			add_error(errors, entry->file, entry->line, "invalid RETVAL '%s': %s",
				  entry->retval, ks_parse_status_message(status));
			return false;
		}
	}

	command = config_engage_command(entry->name, retval, &entry->options, &error);
	if (!command) {
		add_error(errors, entry->file, entry->line, "%s", error);
		free(error);
		return false;
	}
	free(command);
	return true;
}

/*
 * Parse one line that has at least one word. Returns a new entry, or NULL
 * after adding an error.
 */
static struct config_entry *parse_line(char **words, size_t count, const char *file,
				       unsigned int line, struct ptr_array *errors)
{
	struct config_entry *entry;
	size_t i;

	entry = xcalloc(1, sizeof(*entry));
	entry->file = xstrdup(file);
	entry->line = line;

	if (strcmp(words[0], "engage") == 0) {
		entry->kind = CONFIG_ENGAGE;
	} else if (strcmp(words[0], "mitigate") == 0) {
		entry->kind = CONFIG_MITIGATE;
	} else {
		add_error(errors, file, line,
			  "unknown keyword '%s': a line is 'engage SYMBOL [RETVAL] [OPTION=VALUE...]' or 'mitigate CVE-ID [OPTION=VALUE...]'",
			  words[0]);
		goto invalid;
	}
	if (count < 2) {
		add_error(errors, file, line, "'%s' needs %s", words[0],
			  entry->kind == CONFIG_ENGAGE ? "a SYMBOL" : "a CVE-ID");
		goto invalid;
	}
	entry->name = xstrdup(words[1]);

	for (i = 2; i < count; i++) {
		if (strchr(words[i], '=')) {
			ptr_array_push(&entry->options, xstrdup(words[i]));
		} else if (i == 2 && entry->kind == CONFIG_ENGAGE) {
			entry->retval = xstrdup(words[i]);
		} else {
			add_error(errors, file, line,
				  "unexpected word '%s': after %s only OPTION=VALUE words may follow",
				  words[i],
				  entry->kind == CONFIG_ENGAGE ? "SYMBOL and RETVAL" : "the CVE-ID");
			goto invalid;
		}
	}

	if (entry->kind == CONFIG_MITIGATE) {
		if (!catalog_valid_id(entry->name)) {
			add_error(errors, file, line,
				  "invalid CVE-ID '%s': write it as CVE-YYYY-NNNN", entry->name);
			goto invalid;
		}
		return entry;
	}
	if (!check_engage_words(entry, errors))
		goto invalid;
	return entry;

invalid:
	entry_free(entry);
	return NULL;
}

/* Add @entry to @cfg, replacing an entry of an earlier file for the same name. */
static void merge_entry(struct config *cfg, struct config_entry *entry,
			struct ptr_array *errors)
{
	struct config_entry *earlier;
	size_t index;

	earlier = find_entry(cfg, entry->kind, entry->name, &index);
	if (!earlier) {
		ptr_array_push(&cfg->entries, entry);
		return;
	}
	if (strcmp(earlier->file, entry->file) == 0) {
		add_error(errors, entry->file, entry->line,
			  "%s is already configured on line %u of this file: keep one line, or override it in a later drop-in",
			  entry->name, earlier->line);
		entry_free(entry);
		return;
	}
	entry_free(earlier);
	cfg->entries.items[index] = entry;
}

void config_parse_text(struct config *cfg, const char *file, const char *text,
		       struct ptr_array *errors)
{
	char *copy = xstrdup(text);
	char *cursor = copy;
	unsigned int line = 0;

	while (cursor) {
		char *newline = strchr(cursor, '\n');
		struct ptr_array words = { 0 };
		char *saveptr = NULL;
		char *word;

		line++;
		if (newline)
			*newline = '\0';

		/* A comment starts at a # that begins a word. */
		for (word = strtok_r(cursor, WORD_SEPARATORS, &saveptr);
		     word && word[0] != '#'; word = strtok_r(NULL, WORD_SEPARATORS, &saveptr))
			ptr_array_push(&words, word);

		if (words.count > 0) {
			struct config_entry *entry = parse_line((char **)words.items, words.count,
								file, line, errors);

			if (entry)
				merge_entry(cfg, entry, errors);
		}
		free(words.items);
		cursor = newline ? newline + 1 : NULL;
	}
	free(copy);
}

/* Read and parse one file; a missing file is no error. */
static void load_file(const struct ksctl_env *env, const char *file, struct config *cfg,
		      struct ptr_array *files, struct ptr_array *errors)
{
	char *path = root_path(env, file);
	char *text = read_file(path, NULL);

	if (!text) {
		if (errno != ENOENT)
			add_error(errors, file, 0, "cannot read the file: %s", strerror(errno));
		free(path);
		return;
	}
	ptr_array_push(files, xstrdup(file));
	config_parse_text(cfg, file, text, errors);
	free(text);
	free(path);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void config_load(const struct ksctl_env *env, const char *exclude, struct config *cfg,
		 struct ptr_array *files, struct ptr_array *errors)
{
	struct ptr_array names = { 0 };
	char *dir_path = root_path(env, CONFIG_DROPIN_DIR);
	struct dirent *dirent;
	DIR *dir;
	size_t i;

	load_file(env, CONFIG_MAIN_FILE, cfg, files, errors);

	dir = opendir(dir_path);
	if (!dir && errno != ENOENT)
		add_error(errors, CONFIG_DROPIN_DIR, 0, "cannot read the folder: %s",
			  strerror(errno));
	while (dir && (dirent = readdir(dir))) {
		size_t len = strlen(dirent->d_name);

		/* Like systemd drop-ins: only NAME.conf, and no hidden files. */
		if (dirent->d_name[0] == '.' || len <= 5 ||
		    strcmp(dirent->d_name + len - 5, ".conf") != 0)
			continue;
		ptr_array_push(&names, xstrdup(dirent->d_name));
	}
	if (dir)
		closedir(dir);

	if (names.count > 0)
		qsort(names.items, names.count, sizeof(*names.items), compare_names);
	for (i = 0; i < names.count; i++) {
		char *file = xasprintf(CONFIG_DROPIN_DIR "/%s", (const char *)names.items[i]);

		if (!exclude || strcmp(file, exclude) != 0)
			load_file(env, file, cfg, files, errors);
		free(file);
	}
	ptr_array_free_all(&names);
	free(dir_path);
}

const char *applied_options(const char *command)
{
	const char *cursor = command;
	int word;

	/* Skip "engage", SYMBOL and RETVAL. */
	for (word = 0; word < 3; word++) {
		cursor += strcspn(cursor, " ");
		cursor += strspn(cursor, " ");
	}
	return cursor;
}

int applied_read(const struct ksctl_env *env, struct ptr_array *records)
{
	char *path = root_path(env, APPLIED_STATE_FILE);
	char *text = read_file(path, NULL);
	char *saveptr = NULL;
	char *line;
	int skipped = 0;

	free(path);
	if (!text)
		return 0;

	for (line = strtok_r(text, "\n", &saveptr); line; line = strtok_r(NULL, "\n", &saveptr)) {
		struct applied_record *record;
		struct ks_command parsed;

		if (line[0] == '#')
			continue;
		if (ks_parse_command(line, strlen(line), &parsed, NULL) != KS_PARSE_OK ||
		    parsed.verb != KS_VERB_ENGAGE) {
			skipped++;
			continue;
		}
		record = xcalloc(1, sizeof(*record));
		record->symbol = xstrdup(parsed.symbol);
		record->command = xstrdup(line);
		ptr_array_push(records, record);
	}
	free(text);
	return skipped;
}

int config_mkdirs(const struct ksctl_env *env, const char *path)
{
	char *full = root_path(env, path);
	size_t start = strlen(env->root) + 1;
	char *slash;
	int err = 0;

	for (slash = strchr(full + start, '/'); !err; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(full, 0755) != 0 && errno != EEXIST)
			err = -errno;
		if (!slash)
			break;
		*slash = '/';
	}
	free(full);
	return err;
}

int applied_write(const struct ksctl_env *env, const struct ptr_array *records)
{
	char *path = root_path(env, APPLIED_STATE_FILE);
	char *temp = xasprintf("%s.new", path);
	FILE *stream;
	size_t i;
	int err;

	err = config_mkdirs(env, "/run/killswitch");
	if (err)
		goto out;

	stream = fopen(temp, "we");
	if (!stream) {
		err = -errno;
		goto out;
	}
	fputs("# Engagements made by ksctl apply, which it may change or disengage.\n",
	      stream);
	for (i = 0; i < records->count; i++)
		fprintf(stream, "%s\n", ((const struct applied_record *)records->items[i])->command);
	if (fclose(stream) != 0) {
		err = -errno;
		unlink(temp);
		goto out;
	}
	/* rename(2) replaces the file in one step, so a crash leaves the old or the new list. */
	if (rename(temp, path) != 0) {
		err = -errno;
		unlink(temp);
	}
out:
	free(temp);
	free(path);
	return err;
}

void applied_free(struct ptr_array *records)
{
	size_t i;

	for (i = 0; i < records->count; i++) {
		struct applied_record *record = records->items[i];

		free(record->symbol);
		free(record->command);
	}
	ptr_array_free_all(records);
}
