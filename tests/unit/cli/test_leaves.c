// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ksctl leaves on fixtures captured from the reference
 * kernels: symbols.c, btf.c, modfiles.c, kernel_iface.c and output.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <cmocka.h>

#include "btf.h"
#include "helpers.h"
#include "kernel_iface.h"
#include "modfiles.h"
#include "output.h"
#include "symbols.h"

static const char *const series_list[] = { "6.1", "6.12" };

static void test_clone_names(void **state)
{
	bool cold = true;

	(void)state;
	assert_true(symbols_is_clone("foo.isra.0", "foo", &cold));
	assert_false(cold);
	assert_true(symbols_is_clone("foo.constprop.0.isra.0", "foo", NULL));
	assert_true(symbols_is_clone("foo.part.12", "foo", NULL));
	assert_true(symbols_is_clone("foo.cold", "foo", &cold));
	assert_true(cold);
	assert_true(symbols_is_clone("foo.isra.0.cold", "foo", &cold));
	assert_true(cold);
	assert_false(symbols_is_clone("foo", "foo", NULL));
	assert_false(symbols_is_clone("foo.bar", "foo", NULL));
	assert_false(symbols_is_clone("foobar.isra.0", "foo", NULL));
	assert_false(symbols_is_clone("foo.", "foo", NULL));
	assert_false(symbols_is_clone("foo.0", "foo", NULL));
}

static void test_kallsyms_sites(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct test_root root;
		struct symbol_sites sites;
		const struct kallsyms_entry *entry;

		root_create(&root, series_list[s]);

		assert_int_equal(symbols_find(&root.env, "flush_store", &sites), 0);
		assert_int_equal(sites.functions.count, 2);
		entry = sites.functions.items[0];
		assert_null(entry->module);
		entry = sites.functions.items[1];
		assert_string_equal(entry->module, "bridge");
		symbol_sites_free(&sites);

		assert_int_equal(symbols_find(&root.env, "getname_flags", &sites), 0);
		assert_int_equal(sites.functions.count, 1);
		assert_int_equal(sites.clones.count, 1);
		entry = sites.clones.items[0];
		assert_string_equal(entry->name, "getname_flags.part.0");
		symbol_sites_free(&sites);

		assert_int_equal(symbols_find(&root.env, "jiffies", &sites), 0);
		assert_int_equal(sites.functions.count, 0);
		assert_int_equal(sites.others.count, 1);
		symbol_sites_free(&sites);

		assert_int_equal(symbols_find(&root.env, "type_show", &sites), 0);
		assert_true(sites.functions.count > 10);
		symbol_sites_free(&sites);

		root_remove(&root, "proc/kallsyms");
		assert_int_equal(symbols_find(&root.env, "capable", &sites), -ENOENT);
		root_destroy(&root);
	}
}

static void test_kallsyms_has(void **state)
{
	const char *const names[] = { "register_kprobe", "kprobe_ftrace_handler", "no_such_fn" };
	struct test_root root;
	bool found[3];

	(void)state;
	root_create(&root, "6.12");
	assert_int_equal(symbols_kallsyms_has(&root.env, names, found, 3), 0);
	assert_true(found[0]);
	assert_true(found[1]);
	assert_false(found[2]);
	root_destroy(&root);
}

static void test_ftrace_entry(void **state)
{
	struct test_root root;
	bool found;

	(void)state;
	root_create(&root, "6.1");
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "capable", NULL, &found), 0);
	assert_true(found);
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "sched_clock", NULL, &found), 0);
	assert_false(found);
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "flush_store", "bridge", &found), 0);
	assert_true(found);
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "capable", "bridge", &found), 0);
	assert_false(found);

	/* The debugfs location is used when tracefs is not mounted. */
	root_write(&root, "sys/kernel/debug/tracing/available_filter_functions", "sched_clock\n");
	root_remove(&root, "sys/kernel/tracing");
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "sched_clock", NULL, &found), 0);
	assert_true(found);
	root_remove(&root, "sys/kernel/debug/tracing");
	assert_int_equal(symbols_has_ftrace_entry(&root.env, "sched_clock", NULL, &found), -ENOENT);
	root_destroy(&root);
}

static void test_kprobe_blacklist(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct test_root root;
		bool found;

		root_create(&root, series_list[s]);
		assert_int_equal(symbols_on_kprobe_blacklist(&root.env, "__die", NULL, &found), 0);
		assert_true(found);
		assert_int_equal(symbols_on_kprobe_blacklist(&root.env, "capable", NULL, &found), 0);
		assert_false(found);
		root_remove(&root, "sys/kernel/debug/kprobes/blacklist");
		assert_int_equal(symbols_on_kprobe_blacklist(&root.env, "__die", NULL, &found),
				 -ENOENT);
		root_destroy(&root);
	}
}

static void test_livepatch(void **state)
{
	struct test_root root;
	char *patch;

	(void)state;
	root_create(&root, "6.1");
	assert_int_equal(symbols_find_livepatch(&root.env, "capable", NULL, &patch), 0);
	assert_null(patch);

	root_write(&root, "sys/kernel/livepatch/fix_cap/vmlinux/capable,1/patched", "1\n");
	root_write(&root, "sys/kernel/livepatch/fix_br/bridge/flush_store,1/patched", "1\n");
	assert_int_equal(symbols_find_livepatch(&root.env, "capable", NULL, &patch), 0);
	assert_string_equal(patch, "fix_cap");
	free(patch);
	assert_int_equal(symbols_find_livepatch(&root.env, "flush_store", "bridge", &patch), 0);
	assert_string_equal(patch, "fix_br");
	free(patch);
	assert_int_equal(symbols_find_livepatch(&root.env, "flush_store", NULL, &patch), 0);
	assert_null(patch);
	assert_int_equal(symbols_find_livepatch(&root.env, "capabl", NULL, &patch), 0);
	assert_null(patch);
	root_destroy(&root);
}

static void test_kprobe_state(void **state)
{
	struct kprobe_state probe;
	struct test_root root;

	(void)state;
	root_create(&root, "6.12");
	/* The format of kernel/kprobes.c report_probe() in 6.1 and 6.12. */
	root_write(&root, "sys/kernel/debug/kprobes/list",
		   "ffffffff9a1be8c0  k  __x64_sys_getpgid+0x0    [FTRACE]\n"
		   "ffffffffc0594370  k  flush_store+0x0  bridge [DISABLED][FTRACE]\n"
		   "ffffffff9a1be940  k  __x64_sys_getsid+0x8    \n"
		   "ffffffff9a1be990  k  __x64_sys_getppid+0x4    [FTRACE]\n");
	assert_int_equal(symbols_kprobe_state(&root.env, "__x64_sys_getpgid", NULL, &probe), 0);
	assert_true(probe.listed);
	assert_true(probe.ftrace);
	assert_false(probe.disabled);
	assert_int_equal(symbols_kprobe_state(&root.env, "flush_store", "bridge", &probe), 0);
	assert_true(probe.listed);
	assert_true(probe.disabled);
	assert_int_equal(symbols_kprobe_state(&root.env, "flush_store", NULL, &probe), 0);
	assert_false(probe.listed);
	/* With IBT the entry probe sits after endbr64, at +0x4. */
	assert_int_equal(symbols_kprobe_state(&root.env, "__x64_sys_getppid", NULL, &probe), 0);
	assert_true(probe.listed);
	/* A probe further in is not an engagement. */
	assert_int_equal(symbols_kprobe_state(&root.env, "__x64_sys_getsid", NULL, &probe), 0);
	assert_false(probe.listed);
	root_destroy(&root);
}

/* Look up the return type of @name in @series. */
static int return_type_of(const char *series, const char *name, const char *module,
			  const char *module_file, struct return_type *type)
{
	struct btf_location where = { module, NULL };
	struct test_root root;
	char *file = NULL;
	char *why = NULL;
	int err;

	root_create(&root, series);
	if (module_file) {
		file = xasprintf("%s/lib/modules/%s/kernel/%s", root.path,
				 fixture_release(series), module_file);
		where.module_file = file;
	}
	err = btf_find_return_type(&root.env, name, &where, type, &why);
	free(why);
	free(file);
	root_destroy(&root);
	return err;
}

static void test_btf_vmlinux_types(void **state)
{
	struct return_type type;
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		const char *series = series_list[s];

		assert_int_equal(return_type_of(series, "ksys_sync", NULL, NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_VOID);
		assert_string_equal(type.c_type, "void");
		assert_string_equal(type.source, "/sys/kernel/btf/vmlinux");
		return_type_free(&type);

		assert_int_equal(return_type_of(series, "getname_flags", NULL, NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_POINTER);
		assert_int_equal(type.size, 8);
		assert_string_equal(type.c_type, "struct filename *");
		return_type_free(&type);

		assert_int_equal(return_type_of(series, "capable", NULL, NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_BOOL);
		return_type_free(&type);

		assert_int_equal(return_type_of(series, "get_random_u32", NULL, NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_UNSIGNED);
		assert_int_equal(type.size, 4);
		assert_string_equal(type.c_type, "u32");
		return_type_free(&type);

		assert_int_equal(return_type_of(series, "__x64_sys_getpgid", NULL, NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_SIGNED);
		assert_int_equal(type.size, 8);
		return_type_free(&type);

		assert_int_equal(return_type_of(series, "no_such_function", NULL, NULL, &type),
				 -ENOENT);
	}
}

static void test_btf_module_types(void **state)
{
	struct return_type type;
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		const char *series = series_list[s];
		const char *af_alg = s == 0 ? "crypto/af_alg.ko" : "crypto/af_alg.ko.xz";

		/* Loaded module: split BTF under /sys/kernel/btf. */
		assert_int_equal(return_type_of(series, "flush_store", "bridge", NULL, &type), 0);
		assert_int_equal(type.kind, RETURN_SIGNED);
		assert_string_equal(type.c_type, "ssize_t");
		assert_string_equal(type.source, "/sys/kernel/btf/bridge");
		return_type_free(&type);

		/* Module file, plain on 6.1 and xz-compressed on 6.12. */
		assert_int_equal(return_type_of(series, "af_alg_sendmsg", NULL, af_alg, &type), 0);
		assert_int_equal(type.kind, RETURN_SIGNED);
		assert_int_equal(type.size, 4);
		assert_string_equal(type.c_type, "int");
		assert_non_null(strstr(type.source, af_alg));
		return_type_free(&type);

		/* A module without BTF for the name: no fallback to vmlinux. */
		assert_int_equal(return_type_of(series, "capable", "bridge", NULL, &type), -ENOENT);
		assert_true(return_type_of(series, "capable", "no_such_module", NULL, &type) < 0);
	}
}

static void test_btf_missing(void **state)
{
	struct btf_location where = { NULL, NULL };
	struct return_type type;
	struct test_root root;
	char *why = NULL;

	(void)state;
	root_create(&root, "6.1");
	root_remove(&root, "sys/kernel/btf/vmlinux");
	assert_int_equal(btf_find_return_type(&root.env, "capable", &where, &type, &why), -ENOENT);
	assert_non_null(why);
	assert_non_null(strstr(why, "/sys/kernel/btf/vmlinux"));
	free(why);
	root_destroy(&root);
}

static void test_module_file_lookup(void **state)
{
	size_t s;

	(void)state;
	for (s = 0; s < 2; s++) {
		struct ptr_array matches = { 0 };
		struct index_status status;
		struct test_root root;
		const struct module_file_match *match;
		const char *release = fixture_release(series_list[s]);

		root_create(&root, series_list[s]);
		assert_int_equal(modfiles_find_function(&root.env, release, "af_alg_sendmsg", NULL,
							&matches, &status), 0);
		assert_int_equal(matches.count, 1);
		match = matches.items[0];
		assert_string_equal(match->module, "af_alg");
		assert_non_null(strstr(match->path, "/kernel/crypto/af_alg.ko"));
		assert_true(status.rebuilt);
		assert_int_equal(status.module_files, 3);
		assert_non_null(status.cache_file);
		assert_null(status.cache_error);
		module_file_matches_free(&matches);
		index_status_free(&status);

		/* The second lookup reads the cache. */
		assert_int_equal(modfiles_find_function(&root.env, release, "camellia_setkey", NULL,
							&matches, &status), 0);
		assert_false(status.rebuilt);
		assert_int_equal(matches.count, 2);
		module_file_matches_free(&matches);
		index_status_free(&status);

		/* A qualifier limits the lookup to one module. */
		assert_int_equal(modfiles_find_function(&root.env, release, "camellia_setkey",
							"camellia_x86_64", &matches, &status), 0);
		assert_int_equal(matches.count, 1);
		module_file_matches_free(&matches);
		index_status_free(&status);

		/* Removing a module file makes the cache stale. */
		char *crypto = xasprintf("lib/modules/%s/kernel/crypto", release);

		root_remove(&root, crypto);
		free(crypto);
		assert_int_equal(modfiles_find_function(&root.env, release, "af_alg_sendmsg", NULL,
							&matches, &status), 0);
		assert_true(status.rebuilt);
		assert_int_equal(matches.count, 0);
		module_file_matches_free(&matches);
		index_status_free(&status);
		root_destroy(&root);
	}
}

static void test_module_index_unwritable(void **state)
{
	struct ptr_array matches = { 0 };
	struct index_status status;
	struct test_root root;

	(void)state;
	root_create(&root, "6.1");
	root_write(&root, "not-a-folder", "");
	free(root.cache_dir);
	root.cache_dir = xasprintf("%s/not-a-folder/cache", root.path);
	root.env.cache_dir = root.cache_dir;
	assert_int_equal(modfiles_find_function(&root.env, fixture_release("6.1"), "af_alg_sendmsg",
						NULL, &matches, &status), 0);
	assert_int_equal(matches.count, 1);
	assert_null(status.cache_file);
	assert_non_null(status.cache_error);
	module_file_matches_free(&matches);
	index_status_free(&status);

	assert_int_equal(modfiles_find_function(&root.env, "0.0.0-missing", "x", NULL, &matches,
						&status), -ENOENT);
	index_status_free(&status);
	root_destroy(&root);
}

static void test_engaged_file(void **state)
{
	struct ptr_array list = { 0 };
	struct test_root root;
	const struct engagement *eng;

	(void)state;
	root_create(&root, "6.1");
	assert_false(kernel_iface_present(&root.env));
	root_add_killswitch(&root, "__x64_sys_getpgid retval=-1 hits=1000\n"
				   "bridge:flush_store retval=4242 hits=0\n");
	assert_true(kernel_iface_present(&root.env));
	assert_int_equal(kernel_iface_read_engaged(&root.env, &list), 0);
	assert_int_equal(list.count, 2);
	eng = list.items[0];
	assert_string_equal(eng->symbol, "__x64_sys_getpgid");
	assert_int_equal(eng->retval, -1);
	assert_int_equal(eng->hits, 1000);
	eng = list.items[1];
	assert_string_equal(eng->symbol, "bridge:flush_store");
	assert_int_equal(eng->retval, 4242);
	engagements_free(&list);
	assert_int_equal(kernel_iface_read_taint(&root.env), 1);

	root_write(&root, "sys/kernel/security/killswitch/engaged", "x retval=banana hits=1\n");
	assert_int_equal(kernel_iface_read_engaged(&root.env, &list), -EBADMSG);
	engagements_free(&list);

	assert_int_equal(kernel_iface_write_control(&root.env, "engage capable 0"), 0);
	char *written = root_read(&root, "sys/kernel/security/killswitch/control");
	assert_string_equal(written, "engage capable 0");
	free(written);

	root_write(&root, "sys/module/killswitch/srcversion", "ABCDEF0123\n");
	char *version = kernel_iface_module_version(&root.env);
	assert_string_equal(version, "ABCDEF0123");
	free(version);
	root_destroy(&root);
}

static void test_output_json(void **state)
{
	char path[] = "/tmp/ksctl-json.XXXXXX";
	const char *const names[] = { "a", "b" };
	int fd = mkstemp(path);
	FILE *stream = fdopen(fd, "w");
	struct output *out = output_new(true, stream);
	json_object *doc;
	char *text;

	(void)state;
	output_string(out, "s", "s", "va\"lue");
	output_null(out, "n", "n");
	output_int(out, "i", "i", -5);
	output_uint(out, "u", "u", 18446744073709551615ULL);
	output_bool(out, "b", "b", true);
	output_object_begin(out, "o", "o");
	output_array_begin(out, "a", "a");
	output_object_begin(out, NULL, NULL);
	output_string(out, "x", "x", "y");
	output_object_end(out);
	output_array_end(out);
	output_object_end(out);
	output_string_array(out, "names", "names", names, 2);
	output_text(out, "text mode only\n");
	output_finish(out);
	fclose(stream);

	text = read_file(path, NULL);
	unlink(path);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_string_equal(json_string_at(doc, "s"), "va\"lue");
	assert_non_null(json_object_object_get_ex(doc, "n", NULL) ? doc : NULL);
	assert_null(json_at(doc, "n"));
	assert_int_equal(json_object_get_int64(json_at(doc, "i")), -5);
	assert_true(json_object_get_boolean(json_at(doc, "b")));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		json_at(doc, "o.a"), 0) ? json_at(json_object_array_get_idx(json_at(doc, "o.a"), 0), "x") : NULL), "y");
	assert_int_equal(json_object_array_length(json_at(doc, "names")), 2);
	assert_null(strstr(text, "text mode only"));
	json_object_put(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clone_names),
		cmocka_unit_test(test_kallsyms_sites),
		cmocka_unit_test(test_kallsyms_has),
		cmocka_unit_test(test_ftrace_entry),
		cmocka_unit_test(test_kprobe_blacklist),
		cmocka_unit_test(test_livepatch),
		cmocka_unit_test(test_kprobe_state),
		cmocka_unit_test(test_btf_vmlinux_types),
		cmocka_unit_test(test_btf_module_types),
		cmocka_unit_test(test_btf_missing),
		cmocka_unit_test(test_module_file_lookup),
		cmocka_unit_test(test_module_index_unwritable),
		cmocka_unit_test(test_engaged_file),
		cmocka_unit_test(test_output_json),
	};

	return cmocka_run_group_tests_name("ksctl leaves", tests, NULL, NULL);
}
