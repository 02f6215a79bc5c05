// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration files and of ksctl apply and save on
 * fixtures: parsing, the merge order of drop-ins, the errors, the plan and
 * the state file.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "commands.h"
#include "config.h"
#include "helpers.h"

#define KS "sys/kernel/security/killswitch/"
#define MAIN_CONF "etc/killswitch/killswitch.conf"
#define STATE "run/killswitch/applied"

static const struct config_entry *entry_at(const struct config *cfg, size_t i)
{
	assert_true(i < cfg->entries.count);
	return cfg->entries.items[i];
}

/* Return true if ROOT/@relative exists and contains @needle. */
static bool file_contains(struct test_root *root, const char *relative, const char *needle)
{
	char *text = root_read(root, relative);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

static void assert_file_equal(struct test_root *root, const char *relative,
			      const char *expected)
{
	char *text = root_read(root, relative);

	assert_non_null(text);
	assert_string_equal(text, expected);
	free(text);
}

static bool file_missing(struct test_root *root, const char *relative)
{
	char *text = root_read(root, relative);

	free(text);
	return text == NULL;
}

static void test_parse_lines(void **state)
{
	struct ptr_array errors = { 0 };
	struct config cfg = { 0 };
	const struct config_entry *entry;

	(void)state;
	config_parse_text(&cfg, "/etc/a.conf",
			  "# a comment\n"
			  "\n"
			  "engage af_alg:af_alg_sendmsg -EPERM   # Copy Fail\n"
			  "\tengage getname_flags\n"
			  "engage __x64_sys_getpgid 0x10\n"
			  "mitigate CVE-2026-31431\n",
			  &errors);
	assert_int_equal(errors.count, 0);
	assert_int_equal(cfg.entries.count, 4);

	entry = entry_at(&cfg, 0);
	assert_int_equal(entry->kind, CONFIG_ENGAGE);
	assert_string_equal(entry->name, "af_alg:af_alg_sendmsg");
	assert_string_equal(entry->retval, "-EPERM");
	assert_int_equal(entry->options.count, 0);
	assert_string_equal(entry->file, "/etc/a.conf");
	assert_int_equal(entry->line, 3);

	entry = entry_at(&cfg, 1);
	assert_string_equal(entry->name, "getname_flags");
	assert_null(entry->retval);
	assert_int_equal(entry->line, 4);

	entry = entry_at(&cfg, 3);
	assert_int_equal(entry->kind, CONFIG_MITIGATE);
	assert_string_equal(entry->name, "CVE-2026-31431");
	config_free(&cfg);
	ptr_array_free_all(&errors);
}

static void test_parse_errors(void **state)
{
	struct ptr_array errors = { 0 };
	struct config cfg = { 0 };

	(void)state;
	config_parse_text(&cfg, "/etc/b.conf",
			  "frobnicate x\n"
			  "engage\n"
			  "engage bad/symbol -1\n"
			  "engage getname_flags -EBANANA\n"
			  "engage getname_flags -1 extra\n"
			  "engage __x64_sys_getpgid -1 frob=1\n"
			  "mitigate CVE-26\n"
			  "mitigate\n"
			  "engage ksys_sync 0\n",
			  &errors);
	assert_int_equal(errors.count, 8);
	assert_non_null(strstr(errors.items[0], "/etc/b.conf:1: unknown keyword 'frobnicate'"));
	assert_non_null(strstr(errors.items[1], "/etc/b.conf:2: 'engage' needs a SYMBOL"));
	assert_non_null(strstr(errors.items[2], "/etc/b.conf:3: invalid SYMBOL 'bad/symbol'"));
	assert_non_null(strstr(errors.items[3], "/etc/b.conf:4: invalid RETVAL '-EBANANA'"));
	assert_non_null(strstr(errors.items[4], "/etc/b.conf:5: unexpected word 'extra'"));
	/* Options go through the control grammar, which names the word. */
	assert_non_null(strstr(errors.items[5], "/etc/b.conf:6: 'frob' is rejected by the control grammar"));
	assert_non_null(strstr(errors.items[6], "/etc/b.conf:7: invalid CVE-ID 'CVE-26'"));
	assert_non_null(strstr(errors.items[7], "/etc/b.conf:8: 'mitigate' needs a CVE-ID"));
	/* The valid line is kept. */
	assert_int_equal(cfg.entries.count, 1);
	assert_string_equal(entry_at(&cfg, 0)->name, "ksys_sync");
	config_free(&cfg);
	ptr_array_free_all(&errors);
}

static void test_duplicate_in_one_file(void **state)
{
	struct ptr_array errors = { 0 };
	struct config cfg = { 0 };

	(void)state;
	config_parse_text(&cfg, "/etc/c.conf",
			  "engage getname_flags -1\n"
			  "engage vmlinux:getname_flags -2\n",
			  &errors);
	assert_int_equal(errors.count, 1);
	assert_non_null(strstr(errors.items[0], "/etc/c.conf:2: vmlinux:getname_flags is already configured on line 1"));
	assert_int_equal(cfg.entries.count, 1);
	assert_string_equal(entry_at(&cfg, 0)->retval, "-1");
	config_free(&cfg);
	ptr_array_free_all(&errors);
}

static void test_load_merge_order(void **state)
{
	struct ptr_array errors = { 0 };
	struct ptr_array files = { 0 };
	struct config cfg = { 0 };
	struct test_root root;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, MAIN_CONF, "engage getname_flags -1\nengage ksys_sync 0\n");
	root_write(&root, "etc/killswitch.d/20-b.conf", "engage getname_flags -EACCES\n");
	root_write(&root, "etc/killswitch.d/10-a.conf",
		   "engage getname_flags -ENOENT\nengage __x64_sys_getpgid\n");
	root_write(&root, "etc/killswitch.d/30-c.conf.disabled", "engage ksys_sync 1\n");
	root_write(&root, "etc/killswitch.d/.40-hidden.conf", "engage ksys_sync 2\n");
	config_load(&root.env, NULL, &cfg, &files, &errors);

	assert_int_equal(errors.count, 0);
	assert_int_equal(files.count, 3);
	assert_string_equal(files.items[0], "/etc/killswitch/killswitch.conf");
	assert_string_equal(files.items[1], "/etc/killswitch.d/10-a.conf");
	assert_string_equal(files.items[2], "/etc/killswitch.d/20-b.conf");

	/* The last file wins and the entry keeps its first position. */
	assert_int_equal(cfg.entries.count, 3);
	assert_string_equal(entry_at(&cfg, 0)->name, "getname_flags");
	assert_string_equal(entry_at(&cfg, 0)->retval, "-EACCES");
	assert_string_equal(entry_at(&cfg, 0)->file, "/etc/killswitch.d/20-b.conf");
	assert_string_equal(entry_at(&cfg, 1)->retval, "0");
	assert_string_equal(entry_at(&cfg, 2)->name, "__x64_sys_getpgid");
	config_free(&cfg);
	ptr_array_free_all(&files);
	ptr_array_free_all(&errors);

	/* A skipped drop-in takes no part. */
	config_load(&root.env, "/etc/killswitch.d/20-b.conf", &cfg, &files, &errors);
	assert_string_equal(entry_at(&cfg, 0)->retval, "-ENOENT");
	config_free(&cfg);
	ptr_array_free_all(&files);
	ptr_array_free_all(&errors);
	root_destroy(&root);
}

static void test_same_function(void **state)
{
	(void)state;
	assert_true(config_same_function("af_alg_sendmsg", "af_alg_sendmsg"));
	assert_true(config_same_function("af_alg:af_alg_sendmsg", "af_alg_sendmsg"));
	assert_true(config_same_function("af_alg_sendmsg", "af_alg:af_alg_sendmsg"));
	assert_true(config_same_function("af_alg:af_alg_sendmsg", "af_alg:af_alg_sendmsg"));
	assert_false(config_same_function("af_alg:af_alg_sendmsg", "esp4:af_alg_sendmsg"));
	assert_false(config_same_function("af_alg_sendmsg", "af_alg_sendpage"));
	assert_false(config_same_function("af:alg_sendmsg", "af_alg:sendmsg"));
}

static void test_applied_round_trip(void **state)
{
	struct ptr_array records = { 0 };
	struct applied_record *record;
	struct test_root root;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, STATE, "# comment\nengage a -1\nnot a command\nengage m:b -EPERM\n");
	assert_int_equal(applied_read(&root.env, &records), 1);
	assert_int_equal(records.count, 2);
	record = records.items[1];
	assert_string_equal(record->symbol, "m:b");
	assert_string_equal(applied_options(record->command), "");

	root_remove(&root, "run");
	assert_int_equal(applied_write(&root.env, &records), 0);
	applied_free(&records);
	assert_int_equal(applied_read(&root.env, &records), 0);
	assert_int_equal(records.count, 2);
	assert_string_equal(((struct applied_record *)records.items[0])->command, "engage a -1");
	applied_free(&records);

	assert_string_equal(applied_options("engage a -1 scope=nonroot mode=observe"),
			    "scope=nonroot mode=observe");
	root_destroy(&root);
}

/* Run ksctl apply with the given extra arguments and return its JSON. */
static json_object *apply_json(struct test_root *root, const char *flag, int *status)
{
	const char *const argv[] = { "apply", flag, NULL };

	return run_json(&root->env, cmd_apply, argv, status);
}

/* Run ksctl apply --catalog @catalog with one more argument or NULL and return its JSON. */
static json_object *apply_catalog_json(struct test_root *root, const char *catalog,
				       const char *flag, int *status)
{
	const char *const argv[] = { "apply", "--catalog", catalog, flag, NULL };

	return run_json(&root->env, cmd_apply, argv, status);
}

/* Return the string at @index of the array at @path in @doc. */
static const char *string_in(json_object *doc, const char *path, size_t index)
{
	json_object *array = json_at(doc, path);

	assert_true(index < json_object_array_length(array));
	return json_object_get_string(json_object_array_get_idx(array, index));
}

static void test_apply_invalid_changes_nothing(void **state)
{
	struct test_root root;
	json_object *doc;
	json_object *errors;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	root_write(&root, MAIN_CONF, "engage getname_flags\nengage bad/name -1\n");
	root_write(&root, "etc/killswitch.d/10-cve.conf", "mitigate CVE-2026-31431\n");
	root_write(&root, "etc/killswitch.d/20-void.conf", "engage ksys_sync 0\n");

	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/missing", NULL, &status);
	assert_int_equal(status, 2);
	errors = json_at(doc, "errors");
	assert_int_equal(json_object_array_length(errors), 2);
	assert_non_null(strstr(json_object_get_string(json_object_array_get_idx(errors, 0)),
			       "/etc/killswitch/killswitch.conf:2: invalid SYMBOL 'bad/name'"));
	assert_non_null(strstr(json_object_get_string(json_object_array_get_idx(errors, 1)),
			       "/etc/killswitch.d/10-cve.conf:1: mitigate CVE-2026-31431: catalog folder " CATALOG_FIXTURES "/missing not found"));
	assert_non_null(strstr(json_object_get_string(json_object_array_get_idx(errors, 1)),
			       "pass --catalog DIR"));
	/* The preflight still ran on the valid lines. */
	assert_int_equal(json_object_array_length(json_at(doc, "refusals")), 1);
	assert_non_null(strstr(json_object_get_string(json_object_array_get_idx(json_at(doc, "refusals"), 0)),
			       "/etc/killswitch.d/20-void.conf:1: ksys_sync refused by the preflight"));
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");
	assert_true(file_missing(&root, STATE));

	/* Refusals alone exit 3. */
	root_remove(&root, MAIN_CONF);
	root_remove(&root, "etc/killswitch.d/10-cve.conf");
	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 3);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");
	root_destroy(&root);
}

static void test_apply_engage_and_idempotence(void **state)
{
	struct test_root root;
	json_object *doc;
	json_object *action;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, MAIN_CONF, "engage getname_flags\n");

	/* A dry run without the module plans against no engagement. */
	doc = apply_json(&root, "--dry-run", &status);
	assert_int_equal(status, 5);
	assert_false(json_object_get_boolean(json_at(doc, "module_loaded")));
	json_object_put(doc);
	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 4);
	json_object_put(doc);

	root_add_killswitch(&root, "");
	doc = apply_json(&root, "--dry-run", &status);
	assert_int_equal(status, 5);
	assert_true(json_object_get_boolean(json_at(doc, "module_loaded")));
	action = json_object_array_get_idx(json_at(doc, "actions"), 0);
	assert_string_equal(json_string_at(action, "action"), "engage");
	assert_string_equal(json_string_at(action, "status"), "planned");
	assert_string_equal(json_string_at(action, "control_command"), "engage getname_flags -1");
	assert_int_equal(json_object_get_int(json_at(action, "line")), 1);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");
	assert_true(file_missing(&root, STATE));

	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 5);
	assert_true(json_object_get_boolean(json_at(doc, "changed")));
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "engage getname_flags -1");
	assert_true(file_contains(&root, STATE, "\nengage getname_flags -1\n"));

	/* The kernel now lists it: nothing to do. */
	root_write(&root, KS "engaged", "getname_flags retval=-1 hits=0\n");
	root_write(&root, KS "control", "");
	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_array_length(json_at(doc, "actions")), 0);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");
	root_destroy(&root);
}

static void test_apply_retval_and_removal(void **state)
{
	struct test_root root;
	json_object *doc;
	json_object *actions;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "getname_flags retval=-1 hits=0\n"
				   "__x64_sys_getpgid retval=-1 hits=4\n"
				   "ksys_sync retval=0 hits=0\n");
	root_write(&root, KS "fn/getname_flags/retval", "");
	/* apply engaged getname_flags and __x64_sys_getpgid; ksys_sync is by hand. */
	root_write(&root, STATE, "engage getname_flags -1\nengage __x64_sys_getpgid -1\n");
	root_write(&root, MAIN_CONF, "engage getname_flags -EACCES\n");

	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 5);
	actions = json_at(doc, "actions");
	assert_int_equal(json_object_array_length(actions), 2);
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 0), "action"),
			    "disengage");
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 0), "symbol"),
			    "__x64_sys_getpgid");
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 1), "action"),
			    "retval");
	json_object_put(doc);
	assert_file_equal(&root, KS "fn/getname_flags/retval", "-13\n");
	assert_file_equal(&root, KS "control", "disengage __x64_sys_getpgid");
	assert_true(file_contains(&root, STATE, "\nengage getname_flags -13\n"));
	assert_false(file_contains(&root, STATE, "getpgid"));
	root_destroy(&root);
}

static void test_apply_manual_kept(void **state)
{
	struct test_root root;
	json_object *doc;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "getname_flags retval=-1 hits=0\n");
	/* Configured and engaged by hand: satisfied, and still the operator's. */
	root_write(&root, MAIN_CONF, "engage getname_flags\n");
	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 0);
	json_object_put(doc);
	assert_false(file_contains(&root, STATE, "getname_flags"));

	/* Not configured at all: never disengaged. */
	root_remove(&root, MAIN_CONF);
	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 0);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");
	root_destroy(&root);
}

static void test_apply_lockdown(void **state)
{
	struct test_root root;
	json_object *doc;
	int status;
	char *out;
	const char *const argv[] = { "apply", "--modprobe-conf", NULL };

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	root_write(&root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	root_write(&root, MAIN_CONF, "engage getname_flags\nengage __x64_sys_getpgid -ENOENT\n");

	doc = apply_json(&root, NULL, &status);
	assert_int_equal(status, 4);
	assert_non_null(strstr(json_string_at(doc, "error"), "ksctl apply --modprobe-conf"));
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");

	out = run_command(&root.env, cmd_apply, argv, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\noptions killswitch engage=getname_flags=-1,__x64_sys_getpgid=-2\n"));
	free(out);

	/* The module parameter carries no options. */
	root_write(&root, MAIN_CONF, "engage getname_flags -1 frob=1\n");
	out = run_command(&root.env, cmd_apply, argv, &status);
	assert_int_equal(status, 2);
	free(out);
	root_destroy(&root);
}

/* A mitigate line in place of an engage line: plan, apply, idempotence, removal. */
static void test_apply_mitigate_expands(void **state)
{
	struct test_root root;
	json_object *doc;
	json_object *action;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	root_write(&root, "etc/killswitch.d/10-cve.conf", "\nmitigate CVE-2099-0001 mode=observe\n");

	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", "--dry-run", &status);
	assert_int_equal(status, 5);
	assert_int_equal(json_object_array_length(json_at(doc, "actions")), 1);
	action = json_object_array_get_idx(json_at(doc, "actions"), 0);
	assert_string_equal(json_string_at(action, "action"), "engage");
	assert_string_equal(json_string_at(action, "control_command"),
			    "engage af_alg:af_alg_sendmsg -1 mode=observe");
	assert_string_equal(json_string_at(action, "cve"), "CVE-2099-0001");
	assert_string_equal(json_string_at(action, "file"), "/etc/killswitch.d/10-cve.conf");
	assert_int_equal(json_object_get_int(json_at(action, "line")), 2);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");

	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
	assert_int_equal(status, 5);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "engage af_alg:af_alg_sendmsg -1 mode=observe");
	assert_true(file_contains(&root, STATE, "\nengage af_alg:af_alg_sendmsg -1 mode=observe\n"));

	/* The kernel now lists it: nothing to do. */
	root_write(&root, KS "engaged",
		   "af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending mode=observe\n");
	root_write(&root, KS "control", "");
	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
	assert_int_equal(status, 0);
	assert_int_equal(json_object_array_length(json_at(doc, "actions")), 0);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "");

	/* Removing the line disengages what it engaged. */
	root_remove(&root, "etc/killswitch.d/10-cve.conf");
	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
	assert_int_equal(status, 5);
	action = json_object_array_get_idx(json_at(doc, "actions"), 0);
	assert_string_equal(json_string_at(action, "action"), "disengage");
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "disengage af_alg:af_alg_sendmsg");
	assert_false(file_contains(&root, STATE, "af_alg"));
	root_destroy(&root);
}

/*
 * scope= replaces the scope of every engagement of the entry, and
 * force=yes applies an entry the kernel is fixed for: the repository's
 * Copy Fail entry on the 6.1.192 fixture, whose block has two functions.
 */
static void test_apply_mitigate_scope_and_force(void **state)
{
	struct test_root root;
	json_object *doc;
	json_object *actions;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");

	root_write(&root, MAIN_CONF, "mitigate CVE-2026-31431\n");
	doc = apply_catalog_json(&root, REPO_CATALOG, NULL, &status);
	assert_int_equal(status, 3);
	assert_int_equal(json_object_array_length(json_at(doc, "refusals")), 1);
	assert_non_null(strstr(string_in(doc, "refusals", 0),
			       "/etc/killswitch/killswitch.conf:1: mitigate CVE-2026-31431: catalog check finds fixed"));
	assert_non_null(strstr(string_in(doc, "refusals", 0), "add force=yes"));
	json_object_put(doc);

	root_write(&root, MAIN_CONF, "mitigate CVE-2026-31431 force=yes\n");
	doc = apply_catalog_json(&root, REPO_CATALOG, "--dry-run", &status);
	assert_int_equal(status, 5);
	actions = json_at(doc, "actions");
	assert_int_equal(json_object_array_length(actions), 2);
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 0), "control_command"),
			    "engage af_alg:af_alg_sendmsg -1 scope=nonroot");
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 1), "control_command"),
			    "engage af_alg:af_alg_sendpage -1 scope=nonroot");
	json_object_put(doc);

	root_write(&root, MAIN_CONF, "mitigate CVE-2026-31431 scope=all force=yes\n");
	doc = apply_catalog_json(&root, REPO_CATALOG, NULL, &status);
	assert_int_equal(status, 5);
	actions = json_at(doc, "actions");
	assert_int_equal(json_object_array_length(actions), 2);
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 0), "control_command"),
			    "engage af_alg:af_alg_sendmsg -1 scope=all");
	assert_string_equal(json_string_at(json_object_array_get_idx(actions, 1), "control_command"),
			    "engage af_alg:af_alg_sendpage -1 scope=all");
	json_object_put(doc);
	assert_true(file_contains(&root, STATE, "\nengage af_alg:af_alg_sendmsg -1 scope=all\n"));
	assert_true(file_contains(&root, STATE, "\nengage af_alg:af_alg_sendpage -1 scope=all\n"));
	assert_false(file_contains(&root, STATE, "force"));
	root_destroy(&root);
}

/* Each way a mitigate line fails rejects the configuration and changes nothing. */
static void test_apply_mitigate_rejections(void **state)
{
	static const struct {
		const char *line;
		int status;
		const char *message;
	} cases[] = {
		{ "mitigate CVE-2099-0002", 3, "catalog check finds fixed: Debian kernel" },
		{ "mitigate CVE-2099-0003 force=yes", 3, "catalog check finds not-built" },
		{ "mitigate CVE-2099-0004 force=yes", 3, "catalog check finds no-series" },
		{ "mitigate CVE-2099-9999", 2, "no valid catalog entry for CVE-2099-9999" },
		{ "mitigate CVE-2099-0001 force=maybe", 2, "invalid 'force=maybe'" },
		{ "mitigate CVE-2099-0001 scope=everyone", 2, "af_alg:af_alg_sendmsg: 'everyone' is rejected by the control grammar" },
		{ "mitigate CVE-2099-0001\nengage af_alg:af_alg_sendmsg -EACCES", 2,
		  "conflicts with 'engage af_alg:af_alg_sendmsg -1'" },
	};
	struct test_root root;
	json_object *doc;
	size_t i;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = xasprintf("%s\n", cases[i].line);

		root_write(&root, MAIN_CONF, text);
		free(text);
		doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
		assert_int_equal(status, cases[i].status);
		assert_non_null(strstr(string_in(doc, cases[i].status == 2 ? "errors" : "refusals", 0),
				       cases[i].message));
		assert_non_null(strstr(string_in(doc, cases[i].status == 2 ? "errors" : "refusals", 0),
				       "/etc/killswitch/killswitch.conf:"));
		json_object_put(doc);
		assert_file_equal(&root, KS "control", "");
		assert_true(file_missing(&root, STATE));
	}

	/* The fixed entry applies with force=yes. */
	root_write(&root, MAIN_CONF, "mitigate CVE-2099-0002 force=yes\n");
	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
	assert_int_equal(status, 5);
	json_object_put(doc);
	assert_file_equal(&root, KS "control", "engage af_alg:af_alg_sendmsg -1");

	/* Two lines that ask for the same engagement engage it once. */
	root_write(&root, KS "control", "");
	root_remove(&root, STATE);
	root_write(&root, MAIN_CONF, "mitigate CVE-2099-0001\nengage af_alg:af_alg_sendmsg -EPERM\n");
	doc = apply_catalog_json(&root, CATALOG_FIXTURES "/good", NULL, &status);
	assert_int_equal(status, 5);
	assert_int_equal(json_object_array_length(json_at(doc, "actions")), 1);
	json_object_put(doc);
	root_destroy(&root);
}

static void test_save(void **state)
{
	const char *const argv[] = { "save", NULL };
	const char *const named_argv[] = { "save", "60-incident.conf", NULL };
	const char *const bad_argv[] = { "save", "../x.conf", NULL };
	struct test_root root;
	char *out;
	char *saved;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "getname_flags retval=-1 hits=0\n"
				   "af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending\n"
				   "__x64_sys_getpgid retval=16 hits=0\n");
	root_write(&root, MAIN_CONF, "engage getname_flags\n");

	out = run_command(&root.env, cmd_save, argv, &status);
	assert_int_equal(status, 0);
	free(out);
	saved = root_read(&root, "etc/killswitch.d/50-saved.conf");
	assert_null(strstr(saved, "getname_flags"));
	assert_non_null(strstr(saved, "\nengage af_alg:af_alg_sendmsg -EPERM\n"));
	assert_non_null(strstr(saved, "\nengage __x64_sys_getpgid 16\n"));

	/* Saving again keeps what the saved file itself listed. */
	out = run_command(&root.env, cmd_save, argv, &status);
	assert_int_equal(status, 0);
	free(out);
	assert_file_equal(&root, "etc/killswitch.d/50-saved.conf", saved);
	free(saved);

	out = run_command(&root.env, cmd_save, named_argv, &status);
	assert_int_equal(status, 0);
	free(out);
	assert_false(file_missing(&root, "etc/killswitch.d/60-incident.conf"));

	out = run_command(&root.env, cmd_save, bad_argv, &status);
	assert_int_equal(status, 2);
	free(out);
	root_destroy(&root);
}

/* An engagement that a mitigate line lists is not saved again. */
static void test_save_skips_mitigate_functions(void **state)
{
	const char *const argv[] = { "save", "--catalog", CATALOG_FIXTURES "/good", NULL };
	struct test_root root;
	char *out;
	char *saved;
	int status;

	(void)state;
	root_create(&root, "6.1");
	root_add_killswitch(&root, "af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending\n"
				   "__x64_sys_getpgid retval=16 hits=0\n");
	root_write(&root, MAIN_CONF, "mitigate CVE-2099-0002\n");

	out = run_command(&root.env, cmd_save, argv, &status);
	assert_int_equal(status, 0);
	free(out);
	saved = root_read(&root, "etc/killswitch.d/50-saved.conf");
	assert_non_null(saved);
	assert_null(strstr(saved, "af_alg_sendmsg"));
	assert_non_null(strstr(saved, "\nengage __x64_sys_getpgid 16\n"));
	free(saved);
	root_destroy(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_duplicate_in_one_file),
		cmocka_unit_test(test_load_merge_order),
		cmocka_unit_test(test_same_function),
		cmocka_unit_test(test_applied_round_trip),
		cmocka_unit_test(test_apply_invalid_changes_nothing),
		cmocka_unit_test(test_apply_engage_and_idempotence),
		cmocka_unit_test(test_apply_retval_and_removal),
		cmocka_unit_test(test_apply_manual_kept),
		cmocka_unit_test(test_apply_lockdown),
		cmocka_unit_test(test_apply_mitigate_expands),
		cmocka_unit_test(test_apply_mitigate_scope_and_force),
		cmocka_unit_test(test_apply_mitigate_rejections),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_save_skips_mitigate_functions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
