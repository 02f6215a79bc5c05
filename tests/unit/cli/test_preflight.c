// SPDX-License-Identifier: GPL-2.0
/* Unit tests of every preflight branch, on the reference kernels' fixtures. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "preflight.h"

static const char *const series_list[] = { "6.1", "6.12" };

/* Return the finding with @code, or NULL. */
static const struct finding *find(const struct preflight *pf, const char *code)
{
	size_t i;

	for (i = 0; i < pf->findings.count; i++) {
		const struct finding *finding = pf->findings.items[i];

		if (strcmp(finding->code, code) == 0)
			return finding;
	}
	return NULL;
}

/* Run the preflight on a fresh copy of @series; the root stays for the caller. */
static void run(struct test_root *root, const char *series, const char *symbol,
		const char *retval, bool force, struct preflight *pf)
{
	char *error = NULL;

	root_create(root, series);
	assert_int_equal(preflight_run(&root->env, symbol, retval, force, pf, &error),
			 KSCTL_EXIT_OK);
	assert_null(error);
}

static void finish(struct test_root *root, struct preflight *pf)
{
	preflight_free(pf);
	root_destroy(root);
}

static void test_builtin_signed_default(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct test_root root;
		struct preflight pf;

		run(&root, series_list[s], "__x64_sys_getpgid", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_BUILTIN);
		assert_string_equal(pf.target, "__x64_sys_getpgid");
		assert_true(pf.have_type);
		assert_int_equal(pf.type.kind, RETURN_SIGNED);
		assert_true(pf.have_retval);
		assert_int_equal(pf.retval, -1);
		assert_string_equal(pf.retval_source, "default");
		assert_false(pf.refused);
		assert_null(find(&pf, "no-ftrace-entry"));
		finish(&root, &pf);
	}
}

static void test_void_refused_unless_forced(void **state)
{
	struct test_root root;
	struct preflight pf;
	const struct finding *finding;

	(void)state;
	run(&root, "6.12", "ksys_sync", NULL, false, &pf);
	finding = find(&pf, "void-return");
	assert_non_null(finding);
	assert_int_equal(finding->severity, SEVERITY_REFUSAL);
	assert_true(finding->forceable);
	assert_true(pf.refused);
	finish(&root, &pf);

	run(&root, "6.12", "ksys_sync", NULL, true, &pf);
	assert_false(pf.refused);
	assert_true(pf.forced);
	assert_int_equal(pf.retval, 0);
	finish(&root, &pf);
}

static void test_pointer_default_and_range(void **state)
{
	struct test_root root;
	struct preflight pf;
	char *text;

	(void)state;
	run(&root, "6.1", "getname_flags", NULL, false, &pf);
	assert_int_equal(pf.type.kind, RETURN_POINTER);
	assert_int_equal(pf.retval, -1);
	text = preflight_format_retval(pf.retval, true, pf.type.kind);
	assert_string_equal(text, "ERR_PTR(-EPERM)");
	free(text);
	assert_non_null(find(&pf, "pointer-return"));
	assert_false(pf.refused);
	finish(&root, &pf);

	run(&root, "6.1", "getname_flags", "0x10", false, &pf);
	assert_non_null(find(&pf, "retval-out-of-range"));
	assert_true(pf.refused);
	finish(&root, &pf);

	run(&root, "6.1", "getname_flags", "0", false, &pf);
	assert_false(pf.refused);
	assert_null(find(&pf, "pointer-return"));
	finish(&root, &pf);

	run(&root, "6.1", "getname_flags", "-4096", false, &pf);
	assert_true(pf.refused);
	finish(&root, &pf);
}

static void test_bool_default_and_range(void **state)
{
	struct test_root root;
	struct preflight pf;

	(void)state;
	run(&root, "6.12", "capable", NULL, false, &pf);
	assert_int_equal(pf.type.kind, RETURN_BOOL);
	assert_int_equal(pf.retval, 0);
	assert_non_null(find(&pf, "bool-return"));
	assert_false(pf.refused);
	finish(&root, &pf);

	run(&root, "6.12", "capable", "2", false, &pf);
	assert_non_null(find(&pf, "retval-out-of-range"));
	finish(&root, &pf);
}

static void test_signed_range_and_positive(void **state)
{
	struct test_root root;
	struct preflight pf;

	(void)state;
	/* af_alg_sendmsg returns int: 4 bytes. */
	run(&root, "6.1", "af_alg_sendmsg", "0x80000000", false, &pf);
	assert_non_null(find(&pf, "retval-out-of-range"));
	finish(&root, &pf);

	run(&root, "6.1", "__x64_sys_getpgid", "5", false, &pf);
	assert_non_null(find(&pf, "positive-retval"));
	assert_false(pf.refused);
	assert_string_equal(pf.retval_source, "argument");
	finish(&root, &pf);
}

static void test_unsigned_needs_retval(void **state)
{
	struct test_root root;
	struct preflight pf;

	(void)state;
	run(&root, "6.1", "get_random_u32", NULL, false, &pf);
	assert_non_null(find(&pf, "no-default-retval"));
	assert_true(pf.refused);
	assert_false(pf.have_retval);
	finish(&root, &pf);

	run(&root, "6.1", "get_random_u32", "-EPERM", false, &pf);
	assert_non_null(find(&pf, "retval-out-of-range"));
	finish(&root, &pf);

	run(&root, "6.1", "get_random_u32", "0xffffffff", false, &pf);
	assert_false(pf.refused);
	finish(&root, &pf);

	run(&root, "6.1", "get_random_u32", "0x100000000", false, &pf);
	assert_true(pf.refused);
	finish(&root, &pf);
}

static void test_clone_and_cold_part(void **state)
{
	struct test_root root;
	struct preflight pf;
	const struct finding *finding;

	(void)state;
	run(&root, "6.1", "getname_flags", "-ENOENT", false, &pf);
	finding = find(&pf, "clone");
	assert_non_null(finding);
	assert_int_equal(finding->severity, SEVERITY_WARNING);
	assert_string_equal(finding->fix, "ksctl engage getname_flags.part.0 -ENOENT");
	finish(&root, &pf);

	/* capable.cold is in 6.1's kallsyms. */
	run(&root, "6.1", "capable", NULL, false, &pf);
	finding = find(&pf, "cold-part");
	assert_non_null(finding);
	assert_int_equal(finding->severity, SEVERITY_INFO);
	assert_null(find(&pf, "clone"));
	finish(&root, &pf);
}

static void test_ambiguous_until_qualified(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct test_root root;
		struct preflight pf;
		const struct finding *finding;

		run(&root, series_list[s], "flush_store", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_AMBIGUOUS);
		assert_int_equal(pf.sites.count, 2);
		finding = find(&pf, "ambiguous");
		assert_non_null(finding);
		assert_false(finding->forceable);
		assert_string_equal(finding->fix, "ksctl engage bridge:flush_store RETVAL");
		assert_true(pf.refused);
		assert_null(pf.target);
		finish(&root, &pf);

		run(&root, series_list[s], "flush_store", NULL, true, &pf);
		assert_true(pf.refused);
		finish(&root, &pf);

		run(&root, series_list[s], "bridge:flush_store", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_MODULE);
		assert_string_equal(pf.target, "bridge:flush_store");
		assert_string_equal(pf.type.source, "/sys/kernel/btf/bridge");
		assert_false(pf.refused);
		finish(&root, &pf);

		run(&root, series_list[s], "vmlinux:flush_store", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_BUILTIN);
		assert_string_equal(pf.target, "flush_store");
		assert_string_equal(pf.type.source, "/sys/kernel/btf/vmlinux");
		assert_false(pf.refused);
		finish(&root, &pf);
	}
}

static void test_ambiguous_in_one_place(void **state)
{
	struct test_root root;
	struct preflight pf;
	const struct finding *finding;

	(void)state;
	run(&root, "6.12", "type_show", NULL, false, &pf);
	finding = find(&pf, "ambiguous-unqualifiable");
	assert_non_null(finding);
	assert_true(finding->forceable);
	assert_true(pf.refused);
	finish(&root, &pf);

	run(&root, "6.12", "type_show", NULL, true, &pf);
	assert_false(pf.refused);
	assert_true(pf.forced);
	assert_string_equal(pf.target, "type_show");
	finish(&root, &pf);
}

static void test_module_file(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct test_root root;
		struct preflight pf;
		const struct finding *finding;
		const struct site *site;

		run(&root, series_list[s], "af_alg_sendmsg", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_MODULE_FILE);
		site = pf.sites.items[0];
		assert_string_equal(site->module, "af_alg");
		assert_non_null(strstr(site->path, "/kernel/crypto/af_alg.ko"));
		finding = find(&pf, "module-not-loaded");
		assert_non_null(finding);
		assert_string_equal(finding->fix, "modprobe af_alg");
		assert_int_equal(pf.type.kind, RETURN_SIGNED);
		assert_int_equal(pf.retval, -1);
		assert_true(pf.refused);
		finish(&root, &pf);

		run(&root, series_list[s], "af_alg:af_alg_sendmsg", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_MODULE_FILE);
		finish(&root, &pf);

		run(&root, series_list[s], "camellia_setkey", NULL, false, &pf);
		assert_int_equal(pf.location, LOCATION_AMBIGUOUS);
		assert_int_equal(pf.sites.count, 2);
		assert_true(pf.refused);
		finish(&root, &pf);
	}
}

static void test_not_found_and_not_function(void **state)
{
	struct test_root root;
	struct preflight pf;

	(void)state;
	run(&root, "6.1", "no_such_function", NULL, false, &pf);
	assert_int_equal(pf.location, LOCATION_NOT_FOUND);
	assert_non_null(find(&pf, "not-found"));
	assert_true(pf.refused);
	finish(&root, &pf);

	run(&root, "6.1", "bridge:no_such_function", NULL, false, &pf);
	assert_non_null(find(&pf, "not-found"));
	finish(&root, &pf);

	run(&root, "6.1", "vmlinux:af_alg_sendmsg", NULL, false, &pf);
	assert_non_null(find(&pf, "not-found"));
	finish(&root, &pf);

	run(&root, "6.1", "jiffies", NULL, false, &pf);
	assert_non_null(find(&pf, "not-a-function"));
	assert_true(pf.refused);
	finish(&root, &pf);
}

static void test_probing_checks(void **state)
{
	struct test_root root;
	struct preflight pf;

	(void)state;
	run(&root, "6.12", "__die", "0", false, &pf);
	assert_non_null(find(&pf, "kprobe-blacklisted"));
	assert_true(pf.refused);
	finish(&root, &pf);

	run(&root, "6.12", "sched_clock", "0", false, &pf);
	assert_non_null(find(&pf, "no-ftrace-entry"));
	assert_false(pf.refused);
	finish(&root, &pf);

	root_create(&root, "6.12");
	root_write(&root, "sys/kernel/livepatch/fix/vmlinux/capable,1/patched", "1\n");
	root_remove(&root, "sys/kernel/debug/kprobes/blacklist");
	root_remove(&root, "sys/kernel/tracing");
	root_add_killswitch(&root, "__x64_sys_getpgid retval=-1 hits=3\n");
	char *error = NULL;

	assert_int_equal(preflight_run(&root.env, "capable", NULL, false, &pf, &error), 0);
	assert_non_null(find(&pf, "livepatched"));
	assert_non_null(find(&pf, "blacklist-unreadable"));
	assert_non_null(find(&pf, "ftrace-unreadable"));
	assert_true(pf.refused);
	preflight_free(&pf);

	assert_int_equal(preflight_run(&root.env, "__x64_sys_getpgid", NULL, false, &pf, &error), 0);
	assert_non_null(find(&pf, "already-engaged"));
	assert_string_equal(((const struct finding *)find(&pf, "already-engaged"))->fix,
			    "ksctl disengage __x64_sys_getpgid");
	assert_true(pf.refused);
	finish(&root, &pf);
}

static void test_missing_btf(void **state)
{
	struct test_root root;
	struct preflight pf;
	const struct finding *finding;
	char *error = NULL;

	(void)state;
	root_create(&root, "6.1");
	root_remove(&root, "sys/kernel/btf");
	assert_int_equal(preflight_run(&root.env, "capable", NULL, false, &pf, &error), 0);
	finding = find(&pf, "no-btf");
	assert_non_null(finding);
	assert_int_equal(finding->severity, SEVERITY_REFUSAL);
	assert_true(pf.refused);
	preflight_free(&pf);

	assert_int_equal(preflight_run(&root.env, "capable", "0", false, &pf, &error), 0);
	finding = find(&pf, "no-btf");
	assert_int_equal(finding->severity, SEVERITY_WARNING);
	assert_false(pf.refused);
	finish(&root, &pf);
}

static void test_invalid_arguments(void **state)
{
	struct test_root root;
	struct preflight pf;
	char *error = NULL;

	(void)state;
	root_create(&root, "6.1");
	assert_int_equal(preflight_run(&root.env, "bad symbol", NULL, false, &pf, &error),
			 KSCTL_EXIT_USAGE);
	assert_non_null(strstr(error, "invalid SYMBOL 'bad symbol'"));
	free(error);
	preflight_free(&pf);

	assert_int_equal(preflight_run(&root.env, "capable", "EPERM", false, &pf, &error),
			 KSCTL_EXIT_USAGE);
	assert_non_null(strstr(error, "invalid RETVAL 'EPERM'"));
	free(error);
	preflight_free(&pf);

	root_remove(&root, "proc/kallsyms");
	assert_int_equal(preflight_run(&root.env, "capable", NULL, false, &pf, &error),
			 KSCTL_EXIT_FAILED);
	assert_non_null(strstr(error, "/proc/kallsyms"));
	free(error);
	finish(&root, &pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_signed_default),
		cmocka_unit_test(test_void_refused_unless_forced),
		cmocka_unit_test(test_pointer_default_and_range),
		cmocka_unit_test(test_bool_default_and_range),
		cmocka_unit_test(test_signed_range_and_positive),
		cmocka_unit_test(test_unsigned_needs_retval),
		cmocka_unit_test(test_clone_and_cold_part),
		cmocka_unit_test(test_ambiguous_until_qualified),
		cmocka_unit_test(test_ambiguous_in_one_place),
		cmocka_unit_test(test_module_file),
		cmocka_unit_test(test_not_found_and_not_function),
		cmocka_unit_test(test_probing_checks),
		cmocka_unit_test(test_missing_btf),
		cmocka_unit_test(test_invalid_arguments),
	};

	return cmocka_run_group_tests_name("ksctl preflight", tests, NULL, NULL);
}
