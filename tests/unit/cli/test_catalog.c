// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the mitigation catalog: the file checks of ksctl catalog
 * lint, version comparison, the applicability verdicts of catalog check on
 * the fixture kernels, and the control writes of ksctl mitigate.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "commands.h"
#include "helpers.h"
#include "ks_grammar.h"

#define CONTROL "sys/kernel/security/killswitch/control"
#define GOOD CATALOG_FIXTURES "/good"
#define BAD CATALOG_FIXTURES "/bad"

static void test_cve_id_syntax(void **state)
{
	(void)state;
	assert_true(catalog_valid_id("CVE-2026-31431"));
	assert_true(catalog_valid_id("CVE-2024-1086"));
	assert_true(catalog_valid_id("CVE-2026-1234567"));
	assert_false(catalog_valid_id("CVE-2026-123"));
	assert_false(catalog_valid_id("cve-2026-31431"));
	assert_false(catalog_valid_id("CVE-26-31431"));
	assert_false(catalog_valid_id("CVE-2026-31431x"));
	assert_false(catalog_valid_id("CVE-2026_31431"));
	assert_false(catalog_valid_id(""));
}

static void test_version_compare(void **state)
{
	(void)state;
	assert_true(catalog_version_compare("6.1.9", "6.1.10") < 0);
	assert_true(catalog_version_compare("6.1.170", "6.1.170") == 0);
	assert_true(catalog_version_compare("6.12.0", "6.1.200") > 0);
	assert_true(catalog_version_compare("6.1", "6.1.0") == 0);
	assert_true(catalog_debian_version_compare("6.1.170-2", "6.1.170-1") > 0);
	assert_true(catalog_debian_version_compare("6.1.170-1", "6.1.170-2") < 0);
	assert_true(catalog_debian_version_compare("6.12.86-1~bpo12+1", "6.12.86-1") == 0);
	assert_true(catalog_debian_version_compare("6.12.95-1~bpo12+1", "6.12.86-1") > 0);
	assert_true(catalog_debian_version_compare("6.1.169-3", "6.1.170-1") < 0);
}

/* Load @dir and return the number of problems, which go to @problems. */
static size_t load(const char *dir, struct ptr_array *entries, struct ptr_array *problems)
{
	catalog_load_dir(dir, entries, problems);
	return problems->count;
}

/* Return true if a problem of @problems mentions both @file and @text. */
static bool has_problem(const struct ptr_array *problems, const char *file, const char *text)
{
	size_t i;

	for (i = 0; i < problems->count; i++) {
		const char *problem = problems->items[i];

		if (strstr(problem, file) && strstr(problem, text))
			return true;
	}
	return false;
}

static void test_repository_catalog_is_valid(void **state)
{
	struct ptr_array entries = { 0 };
	struct ptr_array problems = { 0 };
	const struct catalog_entry *copy_fail;
	const struct catalog_series *block;
	size_t i;

	(void)state;
	assert_int_equal(load(REPO_CATALOG, &entries, &problems), 0);
	assert_true(entries.count >= 11);

	copy_fail = catalog_find(&entries, "CVE-2026-31431");
	assert_non_null(copy_fail);
	assert_string_equal(copy_fail->name, "Copy Fail");
	block = catalog_series_of(copy_fail, "6.1");
	assert_non_null(block);
	assert_string_equal(block->fixed, "6.1.170");
	assert_int_equal(block->engagements.count, 2);
	block = catalog_series_of(copy_fail, "6.12");
	assert_non_null(block);
	assert_string_equal(((struct catalog_engagement *)block->engagements.items[0])->symbol,
			    "af_alg:af_alg_sendmsg");
	assert_string_equal(((struct catalog_engagement *)block->engagements.items[0])->retval,
			    "-EPERM");
	assert_string_equal(((struct catalog_engagement *)block->engagements.items[0])->options,
			    "scope=nonroot");
	assert_non_null(catalog_find(&entries, "CVE-2026-43284"));
	assert_non_null(catalog_find(&entries, "CVE-2026-43500"));

	/* Every engagement of every entry parses with the module's grammar. */
	for (i = 0; i < entries.count; i++) {
		const struct catalog_entry *entry = entries.items[i];
		size_t s, e;

		for (s = 0; s < entry->series.count; s++) {
			block = entry->series.items[s];
			for (e = 0; e < block->engagements.count; e++) {
				const struct catalog_engagement *engagement = block->engagements.items[e];
				char *command = xasprintf("engage %s", engagement->line);
				struct ks_command cmd;

				assert_int_equal(ks_parse_command(command, strlen(command), &cmd, NULL),
						 KS_PARSE_OK);
				free(command);
			}
		}
	}
	catalog_entries_free(&entries);
	ptr_array_free_all(&problems);
}

static void test_lint_reports_each_bad_file(void **state)
{
	struct ptr_array entries = { 0 };
	struct ptr_array problems = { 0 };

	(void)state;
	assert_int_equal(load(BAD, &entries, &problems), 11);
	assert_int_equal(entries.count, 0);
	assert_true(has_problem(&problems, "CVE-2099-1000.json", "\"CVE-99-1\" is not a CVE id"));
	assert_true(has_problem(&problems, "CVE-2099-1001.json", "needs the file name CVE-2099-1002.json"));
	assert_true(has_problem(&problems, "CVE-2099-1003.json", "missing field \"summary\""));
	assert_true(has_problem(&problems, "CVE-2099-1004.json", "unknown series \"5.10\""));
	assert_true(has_problem(&problems, "CVE-2099-1005.json", "\"af_alg_sendmsg EPERM\" is invalid at byte 15"));
	assert_true(has_problem(&problems, "CVE-2099-1006.json", "6.12.3 is not in series 6.1"));
	assert_true(has_problem(&problems, "CVE-2099-1007.json", "exactly one of \"proof\""));
	assert_true(has_problem(&problems, "CVE-2099-1008.json", "unknown field \"fixd\""));
	assert_true(has_problem(&problems, "CVE-2099-1009.json", "invalid JSON near byte 32"));
	assert_true(has_problem(&problems, "CVE-2099-1010.json", "\"6.1.100\" is not a Debian version"));
	assert_true(has_problem(&problems, "CVE-2099-1011.json", "\"engage\" needs at least 1"));
	catalog_entries_free(&entries);
	ptr_array_free_all(&problems);

	assert_int_equal(load(CATALOG_FIXTURES "/missing", &entries, &problems), 1);
	assert_true(has_problem(&problems, "missing", "cannot open the catalog folder"));
	ptr_array_free_all(&problems);
}

static void test_lint_command(void **state)
{
	const char *good_argv[] = { "catalog", "lint", "--catalog", GOOD, NULL };
	const char *bad_argv[] = { "catalog", "lint", "--catalog=" BAD, NULL };
	const char *usage_argv[] = { "catalog", "lint", "--catalog", NULL };
	const char *extra_argv[] = { "catalog", "lint", "CVE-2099-0001", "--catalog", GOOD, NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	doc = run_json(&root.env, cmd_catalog, good_argv, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_get_int(json_at(doc, "valid")), 7);
	assert_int_equal(json_object_array_length(json_at(doc, "problems")), 0);
	json_object_put(doc);

	doc = run_json(&root.env, cmd_catalog, bad_argv, &status);
	assert_int_equal(status, 1);
	assert_int_equal(json_object_get_int(json_at(doc, "files")), 11);
	assert_int_equal(json_object_array_length(json_at(doc, "problems")), 11);
	json_object_put(doc);

	free(run_command(&root.env, cmd_catalog, usage_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_catalog, extra_argv, &status));
	assert_int_equal(status, 2);
	root_destroy(&root);
}

static void test_running_kernel(void **state)
{
	struct running_kernel kernel;
	struct test_root root;

	(void)state;
	root_create(&root, "6.1");
	assert_int_equal(running_kernel_read(&root.env, &kernel), 0);
	assert_string_equal(kernel.release, "6.1.0-57-amd64");
	assert_string_equal(kernel.version, "6.1.192");
	assert_string_equal(kernel.version_source, "/proc/version");
	assert_string_equal(kernel.debian_version, "6.1.192-3");
	assert_string_equal(kernel.series, "6.1");
	running_kernel_free(&kernel);

	/* Without "Debian X.Y.Z" in /proc/version, the release counts. */
	root_write(&root, "proc/version", "Linux version 6.1.7-custom #1 SMP\n");
	root_write(&root, "proc/sys/kernel/osrelease", "6.1.7-custom\n");
	assert_int_equal(running_kernel_read(&root.env, &kernel), 0);
	assert_string_equal(kernel.version, "6.1.7");
	assert_string_equal(kernel.version_source, "release");
	assert_null(kernel.debian_version);
	running_kernel_free(&kernel);
	root_destroy(&root);

	root_create(&root, "6.12");
	assert_int_equal(running_kernel_read(&root.env, &kernel), 0);
	assert_string_equal(kernel.version, "6.12.95");
	assert_string_equal(kernel.debian_version, "6.12.95-1~bpo12+1");
	assert_string_equal(kernel.series, "6.12");
	running_kernel_free(&kernel);
	root_destroy(&root);
}

/* The status that catalog check gives @id in @doc. */
static const char *status_of(json_object *doc, const char *id)
{
	json_object *entries = json_at(doc, "entries");
	size_t i;

	for (i = 0; i < json_object_array_length(entries); i++) {
		json_object *entry = json_object_array_get_idx(entries, i);

		if (strcmp(json_string_at(entry, "id"), id) == 0)
			return json_string_at(entry, "status");
	}
	return "absent";
}

static void test_check_verdicts(void **state)
{
	const char *argv[] = { "catalog", "check", "--catalog", GOOD, NULL };
	const char *one_argv[] = { "catalog", "check", "CVE-2099-0002", "--catalog", GOOD, NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	doc = run_json(&root.env, cmd_catalog, argv, &status);
	assert_int_equal(status, 0);
	assert_string_equal(json_string_at(doc, "kernel.debian_version"), "6.1.192-3");
	assert_string_equal(status_of(doc, "CVE-2099-0001"), "applies");
	assert_string_equal(status_of(doc, "CVE-2099-0002"), "fixed");
	assert_string_equal(status_of(doc, "CVE-2099-0003"), "not-built");
	assert_string_equal(status_of(doc, "CVE-2099-0004"), "no-series");
	assert_string_equal(status_of(doc, "CVE-2099-0005"), "not-affected");
	assert_string_equal(status_of(doc, "CVE-2099-0006"), "fixed");
	assert_string_equal(status_of(doc, "CVE-2099-0007"), "applies");
	json_object_put(doc);

	doc = run_json(&root.env, cmd_catalog, one_argv, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_array_length(json_at(doc, "entries")), 1);
	assert_non_null(strstr(json_string_at(json_object_array_get_idx(json_at(doc, "entries"), 0),
					      "reason"),
			       "first in Debian 6.1.100-1"));
	json_object_put(doc);
	root_destroy(&root);

	/* On 6.12 the 6.1-only entries have no block. */
	root_create(&root, "6.12");
	doc = run_json(&root.env, cmd_catalog, argv, &status);
	assert_int_equal(status, 0);
	assert_string_equal(status_of(doc, "CVE-2099-0002"), "no-series");
	assert_string_equal(status_of(doc, "CVE-2099-0004"), "applies");
	json_object_put(doc);
	root_destroy(&root);
}

/*
 * The repository's catalog on an older 6.1 update: the fixture has the
 * module file of af_alg but not those of esp4 and esp6.
 */
static void test_check_older_kernel(void **state)
{
	const char *argv[] = { "catalog", "check", "--catalog", REPO_CATALOG, NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, "proc/version",
		   "Linux version 6.1.0-40-amd64 (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.160-1 (2025-12-01)\n");
	doc = run_json(&root.env, cmd_catalog, argv, &status);
	assert_int_equal(status, 0);
	assert_string_equal(json_string_at(doc, "kernel.debian_version"), "6.1.160-1");
	assert_string_equal(status_of(doc, "CVE-2026-31431"), "applies");
	assert_string_equal(status_of(doc, "CVE-2026-52972"), "applies");
	assert_string_equal(status_of(doc, "CVE-2025-37899"), "fixed");
	assert_string_equal(status_of(doc, "CVE-2026-43284"), "not-built");
	json_object_put(doc);
	root_destroy(&root);
}

static void test_list_and_show(void **state)
{
	const char *list_argv[] = { "catalog", "list", "--catalog", GOOD, NULL };
	const char *show_argv[] = { "catalog", "show", "CVE-2099-0001", "--catalog", GOOD, NULL };
	const char *unknown_argv[] = { "catalog", "show", "CVE-2099-9999", "--catalog", GOOD, NULL };
	const char *invalid_argv[] = { "catalog", "show", "2099-1", "--catalog", GOOD, NULL };
	const char *action_argv[] = { "catalog", "frobnicate", NULL };
	const char *missing_argv[] = { "catalog", "list", "--catalog", CATALOG_FIXTURES "/missing",
				       NULL };
	struct test_root root;
	json_object *doc;
	char *text;
	int status;

	(void)state;
	root_create(&root, "6.1");
	doc = run_json(&root.env, cmd_catalog, list_argv, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_array_length(json_at(doc, "entries")), 7);
	json_object_put(doc);

	text = run_command(&root.env, cmd_catalog, list_argv, &status);
	assert_non_null(strstr(text, "CVE-2099-0001    6.1,6.12?"));
	free(text);

	doc = run_json(&root.env, cmd_catalog, show_argv, &status);
	assert_int_equal(status, 0);
	assert_string_equal(json_string_at(doc, "id"), "CVE-2099-0001");
	assert_int_equal(json_object_array_length(json_at(doc, "series")), 2);
	assert_string_equal(json_string_at(json_object_array_get_idx(json_at(doc, "series"), 1),
					   "unproved"),
			    "no VM here");
	json_object_put(doc);

	free(run_command(&root.env, cmd_catalog, unknown_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_catalog, invalid_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_catalog, action_argv, &status));
	assert_int_equal(status, 2);

	doc = run_json(&root.env, cmd_catalog, missing_argv, &status);
	assert_int_equal(status, 1);
	assert_non_null(strstr(json_string_at(doc, "error"), "not found"));
	json_object_put(doc);
	root_destroy(&root);
}

static void test_mitigate_writes_control(void **state)
{
	const char *argv[] = { "mitigate", "CVE-2099-0001", "--yes", "--catalog", GOOD, NULL };
	const char *dry_argv[] = { "mitigate", "CVE-2099-0001", "--dry-run", "--catalog", GOOD, NULL };
	const char *scope_argv[] = { "mitigate", "CVE-2099-0001", "--scope", "userns", "--yes",
				     "--catalog", GOOD, NULL };
	struct test_root root;
	json_object *doc;
	char *control;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");

	doc = run_json(&root.env, cmd_mitigate, argv, &status);
	assert_int_equal(status, 0);
	assert_true(json_object_get_boolean(json_at(doc, "applied")));
	assert_string_equal(json_string_at(doc, "applicability.status"), "applies");
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage af_alg:af_alg_sendmsg -1");
	free(control);

	root_write(&root, CONTROL, "");
	doc = run_json(&root.env, cmd_mitigate, dry_argv, &status);
	assert_int_equal(status, 0);
	assert_false(json_object_get_boolean(json_at(doc, "applied")));
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);

	/* --scope adds the option, if this grammar has options at all. */
	{
		const char *probe = "engage af_alg:af_alg_sendmsg -1 scope=userns";
		struct ks_command cmd;
		bool grammar_has_scope = ks_parse_command(probe, strlen(probe), &cmd, NULL) ==
					 KS_PARSE_OK;

		free(run_command(&root.env, cmd_mitigate, scope_argv, &status));
		control = root_read(&root, CONTROL);
		if (grammar_has_scope) {
			assert_int_equal(status, 0);
			assert_string_equal(control, probe);
		} else {
			assert_int_equal(status, 1);
			assert_string_equal(control, "");
		}
		free(control);
	}
	root_destroy(&root);
}

static void test_mitigate_already_engaged(void **state)
{
	const char *argv[] = { "mitigate", "CVE-2099-0001", "--yes", "--catalog", GOOD, NULL };
	struct test_root root;
	json_object *doc;
	char *control;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending\n");
	doc = run_json(&root.env, cmd_mitigate, argv, &status);
	assert_int_equal(status, 0);
	assert_true(json_object_get_boolean(
		json_at(json_object_array_get_idx(json_at(doc, "results"), 0), "already_engaged")));
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);
	root_destroy(&root);
}

static void test_mitigate_refusals(void **state)
{
	const char *fixed_argv[] = { "mitigate", "CVE-2099-0002", "--yes", "--catalog", GOOD, NULL };
	const char *forced_argv[] = { "mitigate", "CVE-2099-0002", "--yes", "--force",
				      "--catalog", GOOD, NULL };
	const char *missing_argv[] = { "mitigate", "CVE-2099-0003", "--yes", "--force",
				       "--catalog", GOOD, NULL };
	const char *series_argv[] = { "mitigate", "CVE-2099-0004", "--yes", "--force",
				      "--catalog", GOOD, NULL };
	const char *unknown_argv[] = { "mitigate", "CVE-2099-9999", "--yes", "--catalog", GOOD, NULL };
	const char *invalid_argv[] = { "mitigate", "copy-fail", "--yes", "--catalog", GOOD, NULL };
	const char *scope_argv[] = { "mitigate", "CVE-2099-0001", "--scope", "everyone",
				     "--catalog", GOOD, NULL };
	const char *bare_argv[] = { "mitigate", "--yes", NULL };
	struct test_root root;
	json_object *doc;
	char *control;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");

	doc = run_json(&root.env, cmd_mitigate, fixed_argv, &status);
	assert_int_equal(status, 3);
	assert_string_equal(json_string_at(doc, "applicability.status"), "fixed");
	assert_non_null(strstr(json_string_at(doc, "error"), "--force applies it anyway"));
	json_object_put(doc);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);

	free(run_command(&root.env, cmd_mitigate, forced_argv, &status));
	assert_int_equal(status, 0);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "engage af_alg:af_alg_sendmsg -1");
	free(control);
	root_write(&root, CONTROL, "");

	/* --force does not override a missing function or series. */
	free(run_command(&root.env, cmd_mitigate, missing_argv, &status));
	assert_int_equal(status, 3);
	free(run_command(&root.env, cmd_mitigate, series_argv, &status));
	assert_int_equal(status, 3);
	control = root_read(&root, CONTROL);
	assert_string_equal(control, "");
	free(control);

	free(run_command(&root.env, cmd_mitigate, unknown_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_mitigate, invalid_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_mitigate, scope_argv, &status));
	assert_int_equal(status, 2);
	free(run_command(&root.env, cmd_mitigate, bare_argv, &status));
	assert_int_equal(status, 2);
	root_destroy(&root);
}

static void test_mitigate_needs_module(void **state)
{
	const char *argv[] = { "mitigate", "CVE-2099-0007", "--yes", "--catalog", GOOD, NULL };
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	doc = run_json(&root.env, cmd_mitigate, argv, &status);
	assert_int_equal(status, 4);
	assert_int_equal(json_object_array_length(json_at(doc, "engagements")), 2);
	json_object_put(doc);
	root_destroy(&root);
}

/* catalog_expand, which ksctl apply runs for a mitigate line. */
static void test_expand_entries(void **state)
{
	struct catalog_applicability verdict;
	struct ptr_array entries = { 0 };
	struct ptr_array problems = { 0 };
	struct ptr_array expanded = { 0 };
	struct running_kernel kernel;
	const struct catalog_engagement *engagement;
	struct test_root root;
	char *error = NULL;

	(void)state;
	root_create(&root, "6.1");
	assert_int_equal(load(GOOD, &entries, &problems), 0);
	assert_int_equal(running_kernel_read(&root.env, &kernel), 0);

	assert_int_equal(catalog_expand(&root.env, catalog_find(&entries, "CVE-2099-0001"), &kernel,
					"userns", false, &verdict, &expanded, &error),
			 KSCTL_EXIT_OK);
	assert_int_equal(verdict.status, CATALOG_APPLIES);
	free(verdict.reason);
	assert_int_equal(expanded.count, 1);
	engagement = expanded.items[0];
	assert_string_equal(engagement->symbol, "af_alg:af_alg_sendmsg");
	assert_string_equal(engagement->retval, "-EPERM");
	assert_string_equal(engagement->options, "scope=userns");
	catalog_engagements_free(&expanded);

	/* Fixed: rejected unless forced. */
	assert_int_equal(catalog_expand(&root.env, catalog_find(&entries, "CVE-2099-0002"), &kernel,
					NULL, false, &verdict, &expanded, &error),
			 KSCTL_EXIT_REFUSED);
	assert_int_equal(verdict.status, CATALOG_FIXED);
	free(verdict.reason);
	assert_int_equal(expanded.count, 0);
	assert_int_equal(catalog_expand(&root.env, catalog_find(&entries, "CVE-2099-0002"), &kernel,
					NULL, true, &verdict, &expanded, &error),
			 KSCTL_EXIT_OK);
	free(verdict.reason);
	assert_int_equal(expanded.count, 1);
	assert_null(((const struct catalog_engagement *)expanded.items[0])->options);
	catalog_engagements_free(&expanded);

	/* No block for 6.1, and a missing function: force does not help. */
	assert_int_equal(catalog_expand(&root.env, catalog_find(&entries, "CVE-2099-0004"), &kernel,
					NULL, true, &verdict, &expanded, &error),
			 KSCTL_EXIT_REFUSED);
	assert_int_equal(verdict.status, CATALOG_NO_SERIES);
	free(verdict.reason);
	assert_int_equal(catalog_expand(&root.env, catalog_find(&entries, "CVE-2099-0003"), &kernel,
					NULL, true, &verdict, &expanded, &error),
			 KSCTL_EXIT_REFUSED);
	assert_int_equal(verdict.status, CATALOG_NOT_BUILT);
	free(verdict.reason);
	assert_int_equal(expanded.count, 0);

	running_kernel_free(&kernel);
	catalog_entries_free(&entries);
	root_destroy(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cve_id_syntax),
		cmocka_unit_test(test_version_compare),
		cmocka_unit_test(test_repository_catalog_is_valid),
		cmocka_unit_test(test_lint_reports_each_bad_file),
		cmocka_unit_test(test_lint_command),
		cmocka_unit_test(test_running_kernel),
		cmocka_unit_test(test_check_verdicts),
		cmocka_unit_test(test_check_older_kernel),
		cmocka_unit_test(test_list_and_show),
		cmocka_unit_test(test_mitigate_writes_control),
		cmocka_unit_test(test_mitigate_already_engaged),
		cmocka_unit_test(test_mitigate_refusals),
		cmocka_unit_test(test_mitigate_needs_module),
		cmocka_unit_test(test_expand_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
