// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "kernel_iface.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

char *kernel_iface_build_command(char **error, const char *fmt, ...)
{
	struct ks_parse_error parse_error;
	struct ks_command parsed;
	char *command;
	va_list ap;

	va_start(ap, fmt);
	command = xvasprintf(fmt, ap);
	va_end(ap);

	if (ks_parse_command(command, strlen(command), &parsed, &parse_error) == KS_PARSE_OK)
		return command;
	if (parse_error.length == 0)
		*error = xasprintf("'%s': %s", command,
				   ks_parse_status_message(parse_error.status));
	else
		*error = xasprintf("'%.*s': %s", (int)parse_error.length,
				   command + parse_error.offset,
				   ks_parse_status_message(parse_error.status));
	free(command);
	return NULL;
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

#define FN_DIR KS_DIR "/fn"

/*
 * Parse a whole decimal number of @len bytes. Returns false for an empty
 * word, a sign, another character or an overflow.
 */
static bool parse_count(const char *text, size_t len, unsigned long long *value)
{
	unsigned long long result = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned int digit = (unsigned int)(text[i] - '0');

		if (text[i] < '0' || text[i] > '9' || result > (~0ULL - digit) / 10)
			return false;
		result = result * 10 + digit;
	}
	*value = result;
	return true;
}

static void replace_string(char **field, const char *value, size_t len)
{
	free(*field);
	*field = strndup(value, len);
	if (!*field)
		abort();
}

/*
 * Apply one appended " key=value" field of an engaged line. irq= is the
 * policy when its value is block or pass and the count of interrupt-context
 * calls when it is a number. Unknown keys are ignored, so that a newer
 * module can add fields. Returns false for a word that is not key=value or a
 * count that is not a number.
 */
static bool apply_engaged_field(struct engagement *eng, const char *word, size_t len)
{
	const char *equals = memchr(word, '=', len);
	const char *value;
	size_t key_len;
	size_t value_len;

	if (!equals || equals == word)
		return false;
	key_len = (size_t)(equals - word);
	value = equals + 1;
	value_len = len - key_len - 1;

#define KEY_IS(name) (key_len == strlen(name) && memcmp(word, name, key_len) == 0)
	if (KEY_IS("state")) {
		replace_string(&eng->state, value, value_len);
	} else if (KEY_IS("mode")) {
		replace_string(&eng->mode, value, value_len);
	} else if (KEY_IS("scope")) {
		replace_string(&eng->scope, value, value_len);
	} else if (KEY_IS("allow")) {
		char *path = NULL;

		replace_string(&path, value, value_len);
		ptr_array_push(&eng->allow, path);
	} else if (KEY_IS("passed")) {
		eng->have_counts = true;
		return parse_count(value, value_len, &eng->passed);
	} else if (KEY_IS("irq")) {
		if (value_len > 0 && value[0] >= '0' && value[0] <= '9') {
			eng->have_counts = true;
			return parse_count(value, value_len, &eng->irq_calls);
		}
		replace_string(&eng->irq_policy, value, value_len);
	}
#undef KEY_IS
	return true;
}

static void engagement_free(struct engagement *eng)
{
	free(eng->symbol);
	free(eng->state);
	free(eng->mode);
	free(eng->scope);
	free(eng->irq_policy);
	ptr_array_free_all(&eng->allow);
	free(eng);
}

/*
 * Parse "SYMBOL retval=VALUE hits=COUNT" with the shared grammar, then the
 * " key=value" fields that follow it.
 */
struct engagement *kernel_iface_parse_engaged_line(const char *line)
{
	struct engagement *eng;
	const char *space = strchr(line, ' ');
	char symbol[KS_SYMBOL_MAX + 1];
	long long retval;
	const char *value;
	const char *hits;
	const char *word;
	size_t hits_len;

	if (!space || ks_parse_symbol(line, (size_t)(space - line), symbol) != KS_PARSE_OK)
		return NULL;
	if (!starts_with(space + 1, "retval="))
		return NULL;
	value = space + 1 + strlen("retval=");
	hits = strstr(value, " hits=");
	if (!hits || ks_parse_retval(value, (size_t)(hits - value), &retval) != KS_PARSE_OK)
		return NULL;
	hits += strlen(" hits=");
	hits_len = strcspn(hits, " ");

	eng = xcalloc(1, sizeof(*eng));
	eng->symbol = xstrdup(symbol);
	eng->retval = retval;
	eng->mode = xstrdup("enforce");
	eng->scope = xstrdup("all");
	eng->irq_policy = xstrdup("block");
	if (!parse_count(hits, hits_len, &eng->hits)) {
		engagement_free(eng);
		return NULL;
	}

	for (word = hits + hits_len; *word == ' '; word += strcspn(word, " ")) {
		word++;
		if (!apply_engaged_field(eng, word, strcspn(word, " "))) {
			engagement_free(eng);
			return NULL;
		}
	}
	if (*word != '\0') {
		engagement_free(eng);
		return NULL;
	}
	return eng;
}

/*
 * Read the file at @path (freed here) and parse each line with @parse into
 * @list. Returns 0 or a negative errno; -EBADMSG for a line @parse rejects.
 */
static int read_lines(char *path, void *(*parse)(char *line), struct ptr_array *list)
{
	char *text = read_file(path, NULL);
	char *saveptr = NULL;
	char *line;
	int err = 0;

	free(path);
	if (!text)
		return -errno;

	for (line = strtok_r(text, "\n", &saveptr); line;
	     line = strtok_r(NULL, "\n", &saveptr)) {
		void *item = parse(line);

		if (!item) {
			err = -EBADMSG;
			break;
		}
		ptr_array_push(list, item);
	}
	free(text);
	return err;
}

static void *parse_engaged_item(char *line)
{
	return kernel_iface_parse_engaged_line(line);
}

int kernel_iface_read_engaged(const struct ksctl_env *env, struct ptr_array *list)
{
	return read_lines(root_path(env, KS_DIR "/engaged"), parse_engaged_item, list);
}

void engagements_free(struct ptr_array *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		engagement_free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static char *fn_path(const struct ksctl_env *env, const char *symbol, const char *file)
{
	char *relative = xasprintf(FN_DIR "/%s/%s", symbol, file);
	char *path = root_path(env, relative);

	free(relative);
	return path;
}

char *kernel_iface_read_fn(const struct ksctl_env *env, const char *symbol,
			   const char *file)
{
	char *path = fn_path(env, symbol, file);
	char *text = read_first_line(path);
	int saved = errno;

	free(path);
	errno = saved;
	return text;
}

int kernel_iface_read_fn_counter(const struct ksctl_env *env, const char *symbol,
				 const char *file, unsigned long long *value)
{
	char *text = kernel_iface_read_fn(env, symbol, file);
	int err = 0;

	if (!text)
		return -errno;
	if (!parse_count(text, strlen(text), value))
		err = -EBADMSG;
	free(text);
	return err;
}

/*
 * Split @text, the tail of a callers or last_blocked line, at " comm=" and
 * the last " uid=", because a task name may contain spaces. Returns the
 * parsed pid, comm and uid in @call, or false for an unknown format.
 */
static bool parse_task_fields(char *text, struct blocked_call *call, char **rest)
{
	char *comm = strstr(text, " comm=");
	char *uid;
	char *end;
	unsigned long long pid;
	size_t uid_len;

	if (!starts_with(text, "pid=") || !comm)
		return false;
	*comm = '\0';
	comm += strlen(" comm=");
	uid = strstr(comm, " uid=");
	while (uid && strstr(uid + 1, " uid="))
		uid = strstr(uid + 1, " uid=");
	if (!uid || !parse_count(text + strlen("pid="), strlen(text + strlen("pid=")), &pid))
		return false;
	*uid = '\0';
	uid += strlen(" uid=");
	uid_len = strcspn(uid, " ");
	if (!parse_count(uid, uid_len, &call->uid))
		return false;
	end = uid + uid_len;
	call->pid = (long long)pid;
	call->comm = xstrdup(comm);
	*rest = end;
	return true;
}

/*
 * Parse "SITE calls=N pid=P comm=C uid=U", or "other calls=N" without the
 * task. SITE may contain a space before [module].
 */
static struct caller *parse_caller_line(char *line)
{
	char *calls = strstr(line, " calls=");
	struct blocked_call task = { 0 };
	struct caller *caller;
	unsigned long long count;
	bool have_task;
	char *rest;
	size_t len;

	if (!calls || calls == line)
		return NULL;
	*calls = '\0';
	calls += strlen(" calls=");
	len = strcspn(calls, " ");
	if (!parse_count(calls, len, &count))
		return NULL;
	have_task = calls[len] != '\0';
	if (have_task && (calls[len] != ' ' || !parse_task_fields(calls + len + 1, &task, &rest)))
		return NULL;

	caller = xcalloc(1, sizeof(*caller));
	caller->site = xstrdup(line);
	caller->calls = count;
	caller->have_task = have_task;
	caller->pid = task.pid;
	caller->comm = task.comm;
	caller->uid = task.uid;
	return caller;
}

static void *parse_caller_item(char *line)
{
	return parse_caller_line(line);
}

int kernel_iface_read_callers(const struct ksctl_env *env, const char *symbol,
			      struct ptr_array *callers)
{
	return read_lines(fn_path(env, symbol, "callers"), parse_caller_item, callers);
}

void callers_free(struct ptr_array *callers)
{
	size_t i;

	for (i = 0; i < callers->count; i++) {
		struct caller *caller = callers->items[i];

		free(caller->site);
		free(caller->comm);
	}
	ptr_array_free_all(callers);
}

int kernel_iface_read_last_blocked(const struct ksctl_env *env, const char *symbol,
				   struct blocked_call *call)
{
	char *text = kernel_iface_read_fn(env, symbol, "last_blocked");
	unsigned long long time;
	char *rest;
	size_t len;
	int ret = -EBADMSG;

	memset(call, 0, sizeof(*call));
	if (!text)
		return -errno;
	if (strcmp(text, "none") == 0) {
		ret = 0;
	} else if (parse_task_fields(text, call, &rest)) {
		len = starts_with(rest, " time=") ? strcspn(rest + strlen(" time="), " ") : 0;
		if (len && parse_count(rest + strlen(" time="), len, &time)) {
			call->time = (long long)time;
			ret = 1;
		} else {
			free(call->comm);
			call->comm = NULL;
		}
	}
	free(text);
	return ret;
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
