// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the interface additions in ksctl: the engaged line's
 * appended fields, the fn/ files that status and observe read, the engage
 * options, and observe and check --observe against a fake control file.
 *
 * The fake control file of the observe tests is a FIFO read by a child
 * process, which appends each write to a log as one line, so that a test
 * can check the engage, the disengage and their order. The child can also send
 * SIGINT to the test when it reads the observe engage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands.h"
#include "helpers.h"
#include "kernel_iface.h"

#define KS "sys/kernel/security/killswitch"
#define CONTROL KS "/control"
#define PGID "__x64_sys_getpgid"
#define FN KS "/fn/" PGID

/* Parse one engaged line; fails the test if it is rejected. */
static struct engagement *parse_line(const char *line)
{
	struct engagement *eng = kernel_iface_parse_engaged_line(line);

	if (!eng)
		print_error("rejected: %s\n", line);
	assert_non_null(eng);
	return eng;
}

static void free_engagement(struct engagement *eng)
{
	struct ptr_array list = { 0 };

	ptr_array_push(&list, eng);
	engagements_free(&list);
}

static void test_engaged_line_upstream(void **state)
{
	struct engagement *eng = parse_line(PGID " retval=-1 hits=7");

	(void)state;
	assert_string_equal(eng->symbol, PGID);
	assert_int_equal(eng->retval, -1);
	assert_int_equal(eng->hits, 7);
	assert_null(eng->state);
	assert_string_equal(eng->mode, "enforce");
	assert_string_equal(eng->scope, "all");
	assert_string_equal(eng->irq_policy, "block");
	assert_int_equal(eng->allow.count, 0);
	assert_false(eng->have_counts);
	free_engagement(eng);

	eng = parse_line("af_alg:af_alg_sendmsg retval=-EPERM hits=0 state=pending");
	assert_string_equal(eng->symbol, "af_alg:af_alg_sendmsg");
	assert_string_equal(eng->state, "pending");
	free_engagement(eng);
}

static void test_engaged_line_fields(void **state)
{
	struct engagement *eng;

	(void)state;
	eng = parse_line(PGID " retval=-13 hits=3 state=engaged scope=nonroot irq=pass"
			 " allow=/usr/bin/id allow=/bin/sh passed=5 irq=2");
	assert_int_equal(eng->retval, -13);
	assert_int_equal(eng->hits, 3);
	assert_string_equal(eng->state, "engaged");
	assert_string_equal(eng->scope, "nonroot");
	assert_string_equal(eng->irq_policy, "pass");
	assert_int_equal(eng->allow.count, 2);
	assert_string_equal(eng->allow.items[0], "/usr/bin/id");
	assert_string_equal(eng->allow.items[1], "/bin/sh");
	assert_true(eng->have_counts);
	assert_int_equal(eng->passed, 5);
	assert_int_equal(eng->irq_calls, 2);
	free_engagement(eng);

	eng = parse_line(PGID " retval=0 hits=9 state=observing mode=observe");
	assert_string_equal(eng->state, "observing");
	assert_string_equal(eng->mode, "observe");
	free_engagement(eng);

	/* A number after irq= is the count, and the policy keeps its default. */
	eng = parse_line(PGID " retval=-1 hits=1 scope=userns passed=0 irq=7");
	assert_string_equal(eng->irq_policy, "block");
	assert_int_equal(eng->irq_calls, 7);
	free_engagement(eng);

	/* Fields a newer module adds are ignored. */
	eng = parse_line(PGID " retval=-1 hits=1 state=probing colour=blue since=12");
	assert_string_equal(eng->state, "probing");
	free_engagement(eng);
}

static void test_engaged_line_invalid(void **state)
{
	static const char *const lines[] = {
		PGID " retval=-1 hits=x",
		PGID " retval=-1 hits=",
		PGID " retval=-1 hits=-1",
		PGID " retval=-1 hits=3 garbage",
		PGID " retval=-1 hits=3 =value",
		PGID " retval=-1 hits=3 passed=many",
		PGID " retval=-1 hits=3 irq=12x",
		PGID " retval=-1 hits=99999999999999999999",
		PGID " hits=3",
		"bad symbol retval=-1 hits=3",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct engagement *eng = kernel_iface_parse_engaged_line(lines[i]);

		if (eng)
			print_error("accepted: %s\n", lines[i]);
		assert_null(eng);
	}
}

static void test_callers_file(void **state)
{
	struct test_root root;
	struct ptr_array callers = { 0 };
	const struct caller *caller;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, FN "/callers",
		   "do_syscall_64+0x5c/0xe0 calls=12 pid=301 comm=ks-call uid=0\n"
		   "nf_hook_slow+0x3c/0xb0 [nf_tables] calls=2 pid=9 comm=kworker/0:1 H uid=65534\n"
		   "unknown calls=1 pid=0 comm=[irq] uid=0\n"
		   "other calls=30\n");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), 0);
	assert_int_equal(callers.count, 4);
	caller = callers.items[0];
	assert_string_equal(caller->site, "do_syscall_64+0x5c/0xe0");
	assert_int_equal(caller->calls, 12);
	assert_int_equal(caller->pid, 301);
	assert_string_equal(caller->comm, "ks-call");
	assert_int_equal(caller->uid, 0);
	caller = callers.items[1];
	assert_string_equal(caller->site, "nf_hook_slow+0x3c/0xb0 [nf_tables]");
	assert_string_equal(caller->comm, "kworker/0:1 H");
	assert_int_equal(caller->uid, 65534);
	caller = callers.items[2];
	assert_string_equal(caller->site, "unknown");
	assert_string_equal(caller->comm, "[irq]");
	assert_true(caller->have_task);
	caller = callers.items[3];
	assert_string_equal(caller->site, "other");
	assert_int_equal(caller->calls, 30);
	assert_false(caller->have_task);
	callers_free(&callers);

	root_write(&root, FN "/callers", "");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), 0);
	assert_int_equal(callers.count, 0);

	root_write(&root, FN "/callers", "do_syscall_64+0x5c/0xe0 calls=many pid=1 comm=a uid=0\n");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), -EBADMSG);
	callers_free(&callers);
	root_write(&root, FN "/callers", "calls=1 pid=1 comm=a uid=0\n");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), -EBADMSG);
	callers_free(&callers);
	root_write(&root, FN "/callers", "f+0x1/0x2 calls=1 pid=1\n");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), -EBADMSG);
	callers_free(&callers);

	root_remove(&root, FN "/callers");
	assert_int_equal(kernel_iface_read_callers(&root.env, PGID, &callers), -ENOENT);
	root_destroy(&root);
}

static void test_last_blocked_file(void **state)
{
	struct blocked_call call;
	struct test_root root;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, FN "/last_blocked", "none\n");
	assert_int_equal(kernel_iface_read_last_blocked(&root.env, PGID, &call), 0);

	root_write(&root, FN "/last_blocked", "pid=4242 comm=my tool uid=65534 time=1733350000\n");
	assert_int_equal(kernel_iface_read_last_blocked(&root.env, PGID, &call), 1);
	assert_int_equal(call.pid, 4242);
	assert_string_equal(call.comm, "my tool");
	assert_int_equal(call.uid, 65534);
	assert_int_equal(call.time, 1733350000);
	free(call.comm);

	root_write(&root, FN "/last_blocked", "pid=1 comm=x uid=0\n");
	assert_int_equal(kernel_iface_read_last_blocked(&root.env, PGID, &call), -EBADMSG);
	root_write(&root, FN "/last_blocked", "blocked by pid 1\n");
	assert_int_equal(kernel_iface_read_last_blocked(&root.env, PGID, &call), -EBADMSG);
	root_remove(&root, FN "/last_blocked");
	assert_int_equal(kernel_iface_read_last_blocked(&root.env, PGID, &call), -ENOENT);
	root_destroy(&root);
}

static void test_status_new_fields(void **state)
{
	const char *const argv[] = { "status", NULL };
	struct test_root root;
	json_object *doc;
	json_object *eng;
	int status;

	(void)state;
	root_create(&root, "6.12");
	root_add_killswitch(&root,
			    PGID " retval=-1 hits=4 state=engaged scope=nonroot irq=pass allow=/usr/bin/id passed=6 irq=1\n"
			    "af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending\n");
	root_write(&root, "sys/kernel/debug/kprobes/list",
		   "ffffffff9a1be8c0  k  " PGID "+0x0    [FTRACE]\n");
	root_write(&root, FN "/timeout_left", "0\n");
	root_write(&root, FN "/passed", "8\n");
	root_write(&root, FN "/last_blocked", "pid=77 comm=ks-call uid=65534 time=1733350000\n");
	doc = run_json(&root.env, cmd_status, argv, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_array_length(json_at(doc, "engagements")), 2);

	eng = json_object_array_get_idx(json_at(doc, "engagements"), 0);
	assert_string_equal(json_string_at(eng, "state"), "engaged");
	assert_string_equal(json_string_at(eng, "probe_state"), "active");
	assert_string_equal(json_string_at(eng, "probe"), "ftrace");
	assert_string_equal(json_string_at(eng, "mode"), "enforce");
	assert_string_equal(json_string_at(eng, "scope"), "nonroot");
	assert_string_equal(json_string_at(eng, "irq"), "pass");
	assert_int_equal(json_object_array_length(json_at(eng, "allow")), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(json_at(eng, "allow"), 0)),
			    "/usr/bin/id");
	assert_int_equal(json_object_get_int64(json_at(eng, "hits")), 4);
	/* passed comes from fn/SYMBOL/passed, read after the engaged line, so it is newer. */
	assert_int_equal(json_object_get_int64(json_at(eng, "passed")), 8);
	assert_int_equal(json_object_get_int64(json_at(eng, "irq_calls")), 1);
	assert_int_equal(json_object_get_int64(json_at(eng, "timeout_left")), 0);
	assert_int_equal(json_object_get_int64(json_at(eng, "last_blocked.pid")), 77);
	assert_string_equal(json_string_at(eng, "last_blocked.comm"), "ks-call");
	assert_int_equal(json_object_get_int64(json_at(eng, "last_blocked.uid")), 65534);
	assert_int_equal(json_object_get_int64(json_at(eng, "last_blocked.time")), 1733350000);

	/* An engagement without the fn/ files: nulls and defaults. */
	eng = json_object_array_get_idx(json_at(doc, "engagements"), 1);
	assert_string_equal(json_string_at(eng, "state"), "pending");
	assert_null(json_at(eng, "probe_state"));
	assert_string_equal(json_string_at(eng, "scope"), "all");
	assert_int_equal(json_object_array_length(json_at(eng, "allow")), 0);
	assert_true(json_object_object_get_ex(eng, "passed", NULL));
	assert_null(json_at(eng, "passed"));
	assert_null(json_at(eng, "timeout_left"));
	assert_null(json_at(eng, "last_blocked"));
	json_object_put(doc);

	/* A line in an unknown format fails with 1. */
	root_write(&root, KS "/engaged", PGID " retval=-1 hits=4 nonsense\n");
	doc = run_json(&root.env, cmd_status, argv, &status);
	assert_int_equal(status, 1);
	json_object_put(doc);
	root_destroy(&root);
}

/* Run cmd_engage with @argv on an empty control file and return its exit code and what it wrote. */
static int engage_status(struct test_root *root, const char *const *argv, char **control)
{
	int status;

	root_write(root, CONTROL, "");
	free(run_command(&root->env, cmd_engage, argv, &status));
	*control = root_read(root, CONTROL);
	return status;
}

static void make_executable(struct test_root *root, const char *relative)
{
	char *path = xasprintf("%s/%s", root->path, relative);

	assert_int_equal(chmod(path, 0755), 0);
	free(path);
}

static void test_engage_options(void **state)
{
	const char *const scoped_argv[] = { "engage", PGID, "--scope", "nonroot",
		"--allow=/usr/bin/id", "--allow", "/bin/sh", "--irq", "pass", "--yes", NULL };
	const char *const try_argv[] = { "engage", PGID, "-EACCES", "--try", "30", "--yes", NULL };
	struct test_root root;
	char *control;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	root_write(&root, "usr/bin/id", "#!/bin/sh\n");
	root_write(&root, "bin/sh", "#!/bin/sh\n");
	make_executable(&root, "usr/bin/id");
	make_executable(&root, "bin/sh");

	assert_int_equal(engage_status(&root, scoped_argv, &control), 0);
	assert_string_equal(control,
			    "engage " PGID " -1 scope=nonroot allow=/usr/bin/id allow=/bin/sh irq=pass");
	free(control);
	assert_int_equal(engage_status(&root, try_argv, &control), 0);
	assert_string_equal(control, "tryengage " PGID " -13 30");
	free(control);
	root_destroy(&root);
}

static void test_engage_option_errors(void **state)
{
	static const struct {
		const char *argv[8];
		int status;
	} cases[] = {
		{ { "engage", PGID, "--scope", "others", "--yes" }, 2 },
		{ { "engage", PGID, "--scope", "nonroot", "--scope", "userns", "--yes" }, 2 },
		{ { "engage", PGID, "--irq", "pass", "--yes" }, 2 },
		{ { "engage", PGID, "--irq", "sometimes", "--scope", "userns", "--yes" }, 2 },
		{ { "engage", PGID, "--allow", "bin/sh", "--yes" }, 2 },
		{ { "engage", PGID, "--try", "0", "--yes" }, 2 },
		{ { "engage", PGID, "--try", "86401", "--yes" }, 2 },
		{ { "engage", PGID, "--try", "--yes" }, 2 },
		{ { "engage", PGID, "--scope" }, 2 },
		{ { "engage", PGID, "--allow", "/missing/tool", "--yes" }, 3 },
		{ { "engage", PGID, "--allow", "/etc/notes", "--yes" }, 3 },
		{ { "engage", PGID, "--allow", "/usr", "--yes" }, 3 },
	};
	struct test_root root;
	char *control;
	size_t i;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	root_write(&root, "etc/notes", "not a program\n");
	root_write(&root, "usr/bin/id", "#!/bin/sh\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = engage_status(&root, cases[i].argv, &control);

		if (status != cases[i].status)
			print_error("case %zu (%s %s) exited %d\n", i, cases[i].argv[2],
				    cases[i].argv[3] ? cases[i].argv[3] : "", status);
		assert_int_equal(status, cases[i].status);
		assert_string_equal(control, "");
		free(control);
	}
	root_destroy(&root);
}

static void test_engage_option_findings(void **state)
{
	const char *const missing_argv[] = { "engage", PGID, "--allow", "/missing/tool",
		"--dry-run", NULL };
	const char *const scoped_argv[] = { "engage", PGID, "--scope", "userns", "--dry-run", NULL };
	const char *const pass_argv[] = { "engage", PGID, "--scope", "userns", "--irq", "pass",
		"--dry-run", NULL };
	const char *const bad_argv[] = { "engage", PGID, "--scope", "others", "--dry-run", NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.12");
	doc = run_json(&root.env, cmd_engage, missing_argv, &status);
	assert_int_equal(status, 3);
	assert_true(has_finding(doc, "allow-not-found", "refusal"));
	json_object_put(doc);

	doc = run_json(&root.env, cmd_engage, scoped_argv, &status);
	assert_int_equal(status, 0);
	assert_true(has_finding(doc, "irq-blocked", "info"));
	json_object_put(doc);

	doc = run_json(&root.env, cmd_engage, pass_argv, &status);
	assert_int_equal(status, 0);
	assert_false(has_finding(doc, "irq-blocked", NULL));
	json_object_put(doc);

	doc = run_json(&root.env, cmd_engage, bad_argv, &status);
	assert_int_equal(status, 2);
	assert_non_null(strstr(json_string_at(doc, "error"), "'others'"));
	json_object_put(doc);
	root_destroy(&root);
}

/* The fake module: a FIFO control file read by a child process. */
struct fake_control {
	pid_t reader;
	const char *root;
	char *log;
};

/* Written by the test to end the reader. */
#define STOP_WORD "stop-reader"

static void read_control(const char *fifo, const char *log, bool interrupt)
{
	for (;;) {
		char buffer[1024];
		size_t used = 0;
		ssize_t n;
		bool stop;
		FILE *out;
		int fd = open(fifo, O_RDONLY);

		if (fd < 0)
			_exit(1);
		while ((n = read(fd, buffer + used, sizeof(buffer) - 1 - used)) > 0)
			used += (size_t)n;
		close(fd);
		buffer[used] = '\0';
		stop = used >= strlen(STOP_WORD) &&
		       strcmp(buffer + used - strlen(STOP_WORD), STOP_WORD) == 0;
		if (stop)
			buffer[used - strlen(STOP_WORD)] = '\0';
		if (!stop || buffer[0] != '\0') {
			out = fopen(log, "a");
			if (!out)
				_exit(1);
			fprintf(out, "%s\n", buffer);
			fclose(out);
		}
		if (stop)
			_exit(0);
		if (interrupt && strstr(buffer, "mode=observe"))
			kill(getppid(), SIGINT);
	}
}

static void fake_control_start(struct test_root *root, struct fake_control *fake,
			       bool interrupt)
{
	char *fifo = xasprintf("%s/" CONTROL, root->path);

	root_add_killswitch(root, "");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fake->root = root->path;
	fake->log = xasprintf("%s/control.log", root->path);
	fake->reader = fork();
	assert_true(fake->reader >= 0);
	if (fake->reader == 0)
		read_control(fifo, fake->log, interrupt);
	free(fifo);
}

/* Stop the reader and return the writes it logged. */
static char *fake_control_stop(struct fake_control *fake)
{
	char *fifo = xasprintf("%s/" CONTROL, fake->root);
	int status = -1;
	char *log;
	int fd;

	/*
	 * The reader may still be reading the last write: the stop word ends
	 * its loop after it has logged everything before it.
	 */
	fd = open(fifo, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, STOP_WORD, strlen(STOP_WORD)), (ssize_t)strlen(STOP_WORD));
	close(fd);
	free(fifo);
	waitpid(fake->reader, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	log = read_file(fake->log, NULL);
	free(fake->log);
	return log ? log : xstrdup("");
}

static void write_observe_files(struct test_root *root, const char *hits)
{
	root_write(root, FN "/hits", hits);
	root_write(root, FN "/irq", "3\n");
	root_write(root, FN "/callers",
		   "do_syscall_64+0x5c/0xe0 calls=40 pid=301 comm=ks-call uid=0\n"
		   "x64_sys_call+0x10/0x20 calls=2 pid=5 comm=sh uid=65534\n"
		   "other calls=1\n");
}

static double now_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void test_observe_window(void **state)
{
	const char *const argv[] = { "observe", PGID, "--for", "1", NULL };
	struct fake_control fake;
	struct test_root root;
	json_object *doc;
	json_object *caller;
	double rate;
	char *log;
	int status;

	(void)state;
	root_create(&root, "6.1");
	fake_control_start(&root, &fake, false);
	write_observe_files(&root, "42\n");
	doc = run_json(&root.env, cmd_observe, argv, &status);
	log = fake_control_stop(&fake);

	assert_int_equal(status, 0);
	assert_string_equal(log, "engage " PGID " 0 mode=observe\ndisengage " PGID "\n");
	assert_string_equal(json_string_at(doc, "command"), "observe");
	assert_string_equal(json_string_at(doc, "control_command"), "engage " PGID " 0 mode=observe");
	assert_int_equal(json_object_get_int64(json_at(doc, "seconds_requested")), 1);
	assert_true(json_object_get_double(json_at(doc, "seconds")) >= 1.0);
	assert_int_equal(json_object_get_int64(json_at(doc, "calls")), 42);
	assert_int_equal(json_object_get_int64(json_at(doc, "irq_calls")), 3);
	rate = json_object_get_double(json_at(doc, "calls_per_second"));
	assert_true(rate > 20.0 && rate <= 42.0);
	assert_true(json_object_get_boolean(json_at(doc, "disengaged")));
	assert_false(json_object_get_boolean(json_at(doc, "interrupted")));
	assert_null(json_at(doc, "return_type"));
	assert_int_equal(json_object_array_length(json_at(doc, "callers")), 3);
	caller = json_object_array_get_idx(json_at(doc, "callers"), 0);
	assert_string_equal(json_string_at(caller, "site"), "do_syscall_64+0x5c/0xe0");
	assert_int_equal(json_object_get_int64(json_at(caller, "calls")), 40);
	assert_string_equal(json_string_at(caller, "comm"), "ks-call");
	caller = json_object_array_get_idx(json_at(doc, "callers"), 2);
	assert_string_equal(json_string_at(caller, "site"), "other");
	assert_true(json_object_object_get_ex(caller, "pid", NULL));
	assert_null(json_at(caller, "pid"));
	free(log);
	json_object_put(doc);
	root_destroy(&root);
}

/*
 * SIGINT ends the window early, also when it was ignored at the start, as
 * in a background job of a script; its action is restored afterwards.
 */
static void test_observe_sigint(void **state)
{
	const char *const argv[] = { "observe", PGID, "--for", "30", NULL };
	void (*const initial[])(int) = { SIG_DFL, SIG_IGN };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct fake_control fake;
		struct sigaction after;
		struct test_root root;
		json_object *doc;
		double start;
		char *log;
		int status;

		signal(SIGINT, initial[i]);
		root_create(&root, "6.1");
		fake_control_start(&root, &fake, true);
		write_observe_files(&root, "5\n");
		start = now_seconds();
		doc = run_json(&root.env, cmd_observe, argv, &status);
		log = fake_control_stop(&fake);
		sigaction(SIGINT, NULL, &after);
		signal(SIGINT, SIG_DFL);

		assert_true(now_seconds() - start < 10.0);
		assert_true(after.sa_handler == initial[i]);
		assert_int_equal(status, 1);
		assert_string_equal(log, "engage " PGID " 0 mode=observe\ndisengage " PGID "\n");
		assert_true(json_object_get_boolean(json_at(doc, "interrupted")));
		assert_true(json_object_get_boolean(json_at(doc, "disengaged")));
		assert_int_equal(json_object_get_int64(json_at(doc, "calls")), 5);
		assert_non_null(strstr(json_string_at(doc, "error"), "interrupted"));
		free(log);
		json_object_put(doc);
		root_destroy(&root);
	}
}

static void test_observe_errors(void **state)
{
	const char *const argv[] = { "observe", PGID, "--for", "1", NULL };
	const char *const pending_argv[] = { "observe", "af_alg_sendmsg", "--for", "1", NULL };
	const char *const no_for_argv[] = { "observe", PGID, NULL };
	const char *const zero_argv[] = { "observe", PGID, "--for", "0", NULL };
	const char *const text_argv[] = { "observe", PGID, "--for", "1s", NULL };
	struct fake_control fake;
	struct test_root root;
	json_object *doc;
	char *log;
	int status;

	(void)state;
	root_create(&root, "6.1");
	free(run_command(&root.env, cmd_observe, argv, &status));
	assert_int_equal(status, 4);
	free(run_command(&root.env, cmd_observe, no_for_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_observe, zero_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_observe, text_argv, &status));
	assert_int_equal(status, 2);

	/* Already engaged: refused, and nothing written. */
	fake_control_start(&root, &fake, false);
	root_write(&root, KS "/engaged", PGID " retval=-1 hits=0\n");
	doc = run_json(&root.env, cmd_observe, argv, &status);
	assert_int_equal(status, 3);
	assert_true(has_finding(doc, "already-engaged", "refusal"));
	json_object_put(doc);

	/* A module that is not loaded has no calls to observe. */
	doc = run_json(&root.env, cmd_observe, pending_argv, &status);
	assert_int_equal(status, 3);
	assert_true(has_finding(doc, "module-not-loaded", "refusal"));
	assert_non_null(strstr(json_string_at(json_object_array_get_idx(json_at(doc, "findings"), 0),
					      "reason"), "no calls to observe"));
	json_object_put(doc);

	/* The counts cannot be read: an error, and still disengaged. */
	root_write(&root, KS "/engaged", "");
	doc = run_json(&root.env, cmd_observe, argv, &status);
	log = fake_control_stop(&fake);
	assert_int_equal(status, 1);
	assert_non_null(strstr(json_string_at(doc, "error"), "fn/" PGID "/hits"));
	assert_true(json_object_get_boolean(json_at(doc, "disengaged")));
	assert_string_equal(log, "engage " PGID " 0 mode=observe\ndisengage " PGID "\n");
	free(log);
	json_object_put(doc);

	/* The engage write fails: no disengage. */
	root_remove(&root, CONTROL);
	root_write(&root, CONTROL "/x", "");
	doc = run_json(&root.env, cmd_observe, argv, &status);
	assert_int_equal(status, 1);
	assert_null(json_at(doc, "disengaged"));
	json_object_put(doc);
	root_destroy(&root);
}

static void test_check_observe(void **state)
{
	const char *const argv[] = { "check", PGID, "--observe", "1", NULL };
	const char *const bad_argv[] = { "check", PGID, "--observe", "-1", NULL };
	const char *const refused_argv[] = { "check", "ksys_sync", "--observe", "1", NULL };
	struct fake_control fake;
	struct test_root root;
	json_object *doc;
	char *log;
	int status;

	(void)state;
	root_create(&root, "6.1");
	free(run_command(&root.env, cmd_check, bad_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_check, argv, &status));
	assert_int_equal(status, 4);

	fake_control_start(&root, &fake, false);
	write_observe_files(&root, "5000\n");
	doc = run_json(&root.env, cmd_check, argv, &status);
	assert_int_equal(status, 0);
	assert_true(has_finding(doc, "call-rate", "warning"));
	assert_int_equal(json_object_get_int64(json_at(doc, "observation.calls")), 5000);
	json_object_put(doc);

	/* A refused function is not observed. */
	doc = run_json(&root.env, cmd_check, refused_argv, &status);
	assert_int_equal(status, 3);
	assert_true(has_finding(doc, "not-observed", "info"));
	assert_false(has_finding(doc, "call-rate", NULL));
	assert_null(json_at(doc, "observation"));
	json_object_put(doc);

	write_observe_files(&root, "3\n");
	doc = run_json(&root.env, cmd_check, argv, &status);
	log = fake_control_stop(&fake);
	assert_int_equal(status, 0);
	assert_true(has_finding(doc, "call-rate", "info"));
	assert_false(has_finding(doc, "call-rate", "warning"));
	assert_string_equal(log, "engage " PGID " 0 mode=observe\ndisengage " PGID "\n"
				 "engage " PGID " 0 mode=observe\ndisengage " PGID "\n");
	free(log);
	json_object_put(doc);
	root_destroy(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engaged_line_upstream),
		cmocka_unit_test(test_engaged_line_fields),
		cmocka_unit_test(test_engaged_line_invalid),
		cmocka_unit_test(test_callers_file),
		cmocka_unit_test(test_last_blocked_file),
		cmocka_unit_test(test_status_new_fields),
		cmocka_unit_test(test_engage_options),
		cmocka_unit_test(test_engage_option_errors),
		cmocka_unit_test(test_engage_option_findings),
		cmocka_unit_test(test_observe_window),
		cmocka_unit_test(test_observe_sigint),
		cmocka_unit_test(test_observe_errors),
		cmocka_unit_test(test_check_observe),
	};

	return cmocka_run_group_tests_name("ksctl interface additions", tests, NULL, NULL);
}
