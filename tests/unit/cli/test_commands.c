// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ksctl commands on fixtures: exit codes, the control
 * writes, and the JSON documents.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands.h"
#include "helpers.h"

#define CONTROL "sys/kernel/security/killswitch/control"

static void test_check_exit_codes(void **state)
{
	const char *const ok_argv[] = { "check", "__x64_sys_getpgid", NULL };
	const char *const refused_argv[] = { "check", "ksys_sync", NULL };
	const char *const forced_argv[] = { "check", "ksys_sync", "--force", NULL };
	const char *const usage_argv[] = { "check", "__x64_sys_getpgid", "010", NULL };
	const char *const extra_argv[] = { "check", "a", "-1", "b", NULL };
	const char *const option_argv[] = { "check", "a", "--frobnicate", NULL };
	struct test_root root;
	int status;

	(void)state;
	root_create(&root, "6.1");
	free(run_command(&root.env, cmd_check, ok_argv, &status));
	assert_int_equal(status, 0);
	free(run_command(&root.env, cmd_check, refused_argv, &status));
	assert_int_equal(status, 3);
	free(run_command(&root.env, cmd_check, forced_argv, &status));
	assert_int_equal(status, 0);
	free(run_command(&root.env, cmd_check, usage_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_check, extra_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_check, option_argv, &status));
	assert_int_equal(status, 2);
	root_destroy(&root);
}

static void test_check_json(void **state)
{
	const char *const argv[] = { "check", "getname_flags", NULL };
	const char *const usage_argv[] = { "check", "getname_flags", "EPERM", NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.12");
	doc = run_json(&root.env, cmd_check, argv, &status);
	assert_int_equal(status, 0);
	assert_string_equal(json_string_at(doc, "command"), "check");
	assert_string_equal(json_string_at(doc, "symbol"), "getname_flags");
	assert_string_equal(json_string_at(doc, "target"), "getname_flags");
	assert_string_equal(json_string_at(doc, "location.kind"), "builtin");
	assert_true(json_object_is_type(json_at(doc, "location.sites"), json_type_array));
	assert_string_equal(json_string_at(doc, "return_type.kind"), "pointer");
	assert_string_equal(json_string_at(doc, "return_type.c_type"), "struct filename *");
	assert_int_equal(json_object_get_int(json_at(doc, "return_type.size")), 8);
	assert_int_equal(json_object_get_int64(json_at(doc, "retval.value")), -1);
	assert_string_equal(json_string_at(doc, "retval.text"), "ERR_PTR(-EPERM)");
	assert_string_equal(json_string_at(doc, "retval.source"), "default");
	assert_true(has_finding(doc, "clone", "warning"));
	assert_true(has_finding(doc, "pointer-return", "warning"));
	assert_false(json_object_get_boolean(json_at(doc, "refused")));
	json_object_put(doc);

	/* Errors are JSON too. */
	doc = run_json(&root.env, cmd_check, usage_argv, &status);
	assert_int_equal(status, 2);
	assert_non_null(strstr(json_string_at(doc, "error"), "invalid RETVAL 'EPERM'"));
	assert_int_equal(json_object_get_int(json_at(doc, "exit_code")), 2);
	json_object_put(doc);
	root_destroy(&root);
}

static void test_engage_writes_control(void **state)
{
	const char *const argv[] = { "engage", "__x64_sys_getpgid", "--yes", NULL };
	const char *const errno_argv[] = { "engage", "bridge:flush_store", "-ENOENT", "--yes", NULL };
	const char *const vmlinux_argv[] = { "engage", "vmlinux:flush_store", "--yes", NULL };
	const char *const dry_argv[] = { "engage", "capable", "--dry-run", NULL };
	struct test_root root;
	json_object *doc;
	char *control;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");

	doc = run_json(&root.env, cmd_engage, argv, &status);
	assert_int_equal(status, 0);
	assert_true(json_object_get_boolean(json_at(doc, "engaged")));
	assert_string_equal(json_string_at(doc, "control_command"), "engage __x64_sys_getpgid -1");
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage __x64_sys_getpgid -1");
	free(control);

	/* The fake control file is a regular file: empty it before each write. */
	root_write(&root, CONTROL, "");
	free(run_command(&root.env, cmd_engage, errno_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage bridge:flush_store -2");
	free(control);

	root_write(&root, CONTROL, "");
	free(run_command(&root.env, cmd_engage, vmlinux_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage flush_store -1");
	free(control);

	root_write(&root, CONTROL, "");
	doc = run_json(&root.env, cmd_engage, dry_argv, &status);
	assert_int_equal(status, 0);
	assert_true(json_object_get_boolean(json_at(doc, "dry_run")));
	assert_false(json_object_get_boolean(json_at(doc, "engaged")));
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);
	root_destroy(&root);
}

static void test_engage_exit_codes(void **state)
{
	const char *const argv[] = { "engage", "__x64_sys_getpgid", "--yes", NULL };
	const char *const no_yes_argv[] = { "engage", "__x64_sys_getpgid", NULL };
	const char *const refused_argv[] = { "engage", "ksys_sync", "--yes", NULL };
	const char *const forced_argv[] = { "engage", "ksys_sync", "--yes", "--force", NULL };
	struct test_root root;
	char *control;
	int status;
	int saved = dup(STDIN_FILENO);
	FILE *null_input = freopen("/dev/null", "r", stdin);

	(void)state;
	assert_non_null(null_input);
	root_create(&root, "6.1");

	/* Kernel not ready: no control file. */
	free(run_command(&root.env, cmd_engage, argv, &status));
	assert_int_equal(status, 4);

	root_add_killswitch(&root, "");
	free(run_command(&root.env, cmd_engage, no_yes_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_engage, refused_argv, &status));
	assert_int_equal(status, 3);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);

	free(run_command(&root.env, cmd_engage, forced_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage ksys_sync 0");
	free(control);

	/* A control file that cannot be opened for writing fails with 1. */
	root_remove(&root, CONTROL);
	root_write(&root, CONTROL "/x", "");
	free(run_command(&root.env, cmd_engage, argv, &status));
	assert_int_equal(status, 1);

	root_destroy(&root);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

static void test_disengage(void **state)
{
	const char *const one_argv[] = { "disengage", "vmlinux:flush_store", NULL };
	const char *const all_argv[] = { "disengage", "--all", NULL };
	const char *const both_argv[] = { "disengage", "x", "--all", NULL };
	const char *const none_argv[] = { "disengage", NULL };
	struct test_root root;
	char *control;
	int status;

	(void)state;
	root_create(&root, "6.12");
	free(run_command(&root.env, cmd_disengage, all_argv, &status));
	assert_int_equal(status, 4);

	root_add_killswitch(&root, "");
	free(run_command(&root.env, cmd_disengage, one_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "disengage flush_store");
	free(control);

	root_write(&root, CONTROL, "");
	free(run_command(&root.env, cmd_disengage, all_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "disengage_all");
	free(control);

	free(run_command(&root.env, cmd_disengage, both_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_disengage, none_argv, &status));
	assert_int_equal(status, 2);
	root_destroy(&root);
}

static void test_status(void **state)
{
	const char *const argv[] = { "status", NULL };
	struct test_root root;
	json_object *doc;
	json_object *eng;
	int status;

	(void)state;
	root_create(&root, "6.12");
	doc = run_json(&root.env, cmd_status, argv, &status);
	assert_int_equal(status, 4);
	assert_false(json_object_get_boolean(json_at(doc, "module.loaded")));
	json_object_put(doc);

	root_add_killswitch(&root, "__x64_sys_getpgid retval=-1 hits=7\n");
	root_write(&root, "sys/module/killswitch/srcversion", "0123ABCD\n");
	root_write(&root, "proc/sys/kernel/tainted", "32768\n");
	root_write(&root, "sys/kernel/debug/kprobes/list",
		   "ffffffff9a1be8c0  k  __x64_sys_getpgid+0x0    [FTRACE]\n");
	doc = run_json(&root.env, cmd_status, argv, &status);
	assert_int_equal(status, 0);
	assert_true(json_object_get_boolean(json_at(doc, "module.loaded")));
	assert_string_equal(json_string_at(doc, "module.version"), "0123ABCD");
	assert_true(json_object_get_boolean(json_at(doc, "taint")));
	assert_true(json_object_get_boolean(json_at(doc, "kernel_taint_livepatch")));
	assert_int_equal(json_object_array_length(json_at(doc, "engagements")), 1);
	eng = json_object_array_get_idx(json_at(doc, "engagements"), 0);
	assert_string_equal(json_string_at(eng, "symbol"), "__x64_sys_getpgid");
	assert_int_equal(json_object_get_int64(json_at(eng, "retval")), -1);
	assert_string_equal(json_string_at(eng, "retval_text"), "-EPERM");
	assert_int_equal(json_object_get_int64(json_at(eng, "hits")), 7);
	assert_string_equal(json_string_at(eng, "state"), "engaged");
	assert_string_equal(json_string_at(eng, "probe_state"), "active");
	assert_string_equal(json_string_at(eng, "probe"), "ftrace");
	json_object_put(doc);
	root_destroy(&root);
}

static void test_doctor(void **state)
{
	const char *const argv[] = { "doctor", NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	doc = run_json(&root.env, cmd_doctor, argv, &status);
	assert_int_equal(status, 4);
	assert_string_equal(json_string_at(doc, "kernel"), "6.1.0-57-amd64");
	assert_false(json_object_get_boolean(json_at(doc, "ready")));
	assert_true(has_finding(doc, "CONFIG_KPROBES", "info"));
	assert_true(has_finding(doc, "CONFIG_KPROBES_ON_FTRACE", "info"));
	assert_true(has_finding(doc, "securityfs", "info"));
	assert_true(has_finding(doc, "lockdown", "info"));
	assert_true(has_finding(doc, "module-built", "refusal"));
	assert_true(has_finding(doc, "module-loaded", "refusal"));
	json_object_put(doc);

	/* Without the config file the kernel's behaviour answers. */
	root_remove(&root, "boot");
	root_write(&root, "sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
	root_write(&root, "proc/mounts", "proc /proc proc rw 0 0\n");
	root_add_killswitch(&root, "");
	root_write(&root, "sys/module/killswitch/srcversion", "0123ABCD\n");
	doc = run_json(&root.env, cmd_doctor, argv, &status);
	assert_int_equal(status, 4);
	assert_true(has_finding(doc, "CONFIG_KPROBES", "info"));
	assert_true(has_finding(doc, "lockdown", "refusal"));
	assert_true(has_finding(doc, "securityfs", "refusal"));
	assert_true(has_finding(doc, "module-loaded", "info"));
	json_object_put(doc);

	/* At integrity only the module parameter can engage. */
	root_write(&root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	doc = run_json(&root.env, cmd_doctor, argv, &status);
	assert_true(has_finding(doc, "lockdown", "warning"));
	json_object_put(doc);
	root_destroy(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_exit_codes),
		cmocka_unit_test(test_check_json),
		cmocka_unit_test(test_engage_writes_control),
		cmocka_unit_test(test_engage_exit_codes),
		cmocka_unit_test(test_disengage),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_doctor),
	};

	return cmocka_run_group_tests_name("ksctl commands", tests, NULL, NULL);
}
