// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the shared control grammar (common/ks_grammar.c), built
 * with AddressSanitizer and UBSan. Every input is copied into a buffer of its
 * exact length without a terminating NUL, so a read past the end is caught.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ks_grammar.h"

/* Parse @text as one control write held in an exactly sized heap buffer. */
static enum ks_parse_status parse(const char *text, struct ks_command *cmd,
				  struct ks_parse_error *err)
{
	size_t len = strlen(text);
	char *buf = malloc(len ? len : 1);
	enum ks_parse_status status;

	assert_non_null(buf);
	memcpy(buf, text, len);
	status = ks_parse_command(buf, len, cmd, err);
	free(buf);
	return status;
}

static enum ks_parse_status parse_bytes(const char *bytes, size_t len)
{
	struct ks_command cmd;
	char *buf = malloc(len ? len : 1);
	enum ks_parse_status status;

	assert_non_null(buf);
	memcpy(buf, bytes, len);
	status = ks_parse_command(buf, len, &cmd, NULL);
	free(buf);
	return status;
}

static enum ks_parse_status retval_of(const char *text, long long *value)
{
	size_t len = strlen(text);
	char *buf = malloc(len ? len : 1);
	enum ks_parse_status status;

	assert_non_null(buf);
	memcpy(buf, text, len);
	status = ks_parse_retval(buf, len, value);
	free(buf);
	return status;
}

static void engage_plain(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage af_alg_sendmsg -1", &cmd, NULL),
			 KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_ENGAGE);
	assert_string_equal(cmd.symbol, "af_alg_sendmsg");
	assert_int_equal(cmd.retval, -1);
}

static void engage_trailing_newline_and_blanks(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("  engage\tfoo   -EPERM \t\n", &cmd, NULL),
			 KS_PARSE_OK);
	assert_string_equal(cmd.symbol, "foo");
	assert_int_equal(cmd.retval, -EPERM);
}

static void engage_module_prefix_and_clone(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage af_alg:af_alg_sendmsg 0", &cmd, NULL),
			 KS_PARSE_OK);
	assert_string_equal(cmd.symbol, "af_alg:af_alg_sendmsg");

	assert_int_equal(parse("engage foo.isra.0 0x10", &cmd, NULL),
			 KS_PARSE_OK);
	assert_string_equal(cmd.symbol, "foo.isra.0");
	assert_int_equal(cmd.retval, 16);

	assert_int_equal(parse("engage nf-tables_x:_sym 1", &cmd, NULL),
			 KS_PARSE_OK);
}

static void disengage_and_all(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("disengage af_alg_sendmsg\n", &cmd, NULL),
			 KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_DISENGAGE);
	assert_string_equal(cmd.symbol, "af_alg_sendmsg");

	assert_int_equal(parse("disengage_all\n", &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_DISENGAGE_ALL);
	assert_string_equal(cmd.symbol, "");
}

static void verbs_are_exact(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	const char *bad[] = {
		"Engage foo 1", "engag foo 1", "engagee foo 1", "ENGAGE foo 1",
		"disengageall", "disengage_al", "tryengage foo 1 5", "-1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &cmd, &err),
				 KS_PARSE_UNKNOWN_VERB);
		assert_int_equal(err.offset, 0);
	}
}

static void missing_and_extra_words(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage", &cmd, &err), KS_PARSE_MISSING_SYMBOL);
	assert_int_equal(parse("engage foo", &cmd, &err),
			 KS_PARSE_MISSING_RETVAL);
	assert_int_equal(parse("engage foo\n", &cmd, &err),
			 KS_PARSE_MISSING_RETVAL);
	assert_int_equal(parse("disengage", &cmd, &err),
			 KS_PARSE_MISSING_SYMBOL);

	assert_int_equal(parse("engage foo 1 2", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(err.offset, 13);
	assert_int_equal(err.length, 1);

	assert_int_equal(parse("disengage foo -1", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(parse("disengage_all foo", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(parse("engage foo 1 scope=all", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
}

static void empty_input(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("", &cmd, NULL), KS_PARSE_EMPTY);
	assert_int_equal(parse("\n", &cmd, NULL), KS_PARSE_EMPTY);
	assert_int_equal(parse(" \t \n", &cmd, NULL), KS_PARSE_EMPTY);
}

static void bad_bytes(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse_bytes("engage foo\0 1", 13), KS_PARSE_BAD_BYTE);
	assert_int_equal(parse_bytes("engage foo 1\0", 13), KS_PARSE_BAD_BYTE);
	assert_int_equal(parse_bytes("\0", 1), KS_PARSE_BAD_BYTE);
	assert_int_equal(parse("engage f\xc3\xa9 1", &cmd, &err),
			 KS_PARSE_BAD_BYTE);
	assert_int_equal(err.offset, 8);
	assert_int_equal(parse("engage foo 1\r\n", &cmd, NULL),
			 KS_PARSE_BAD_BYTE);
	assert_int_equal(parse("engage\x7f foo 1", &cmd, NULL),
			 KS_PARSE_BAD_BYTE);
	assert_int_equal(parse("engage\vfoo 1", &cmd, NULL), KS_PARSE_BAD_BYTE);
}

static void one_line_only(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage a 1\nengage b 2\n", &cmd, NULL),
			 KS_PARSE_EXTRA_LINE);
	assert_int_equal(parse("engage a 1\n\n", &cmd, NULL),
			 KS_PARSE_EXTRA_LINE);
	assert_int_equal(parse("\nengage a 1", &cmd, NULL),
			 KS_PARSE_EXTRA_LINE);
}

static void length_limits(void **state)
{
	char symbol[KS_SYMBOL_MAX + 2];
	char line[KS_COMMAND_MAX + 2];
	struct ks_command cmd;

	(void)state;
	memset(symbol, 'a', sizeof(symbol));
	symbol[KS_SYMBOL_MAX] = '\0';
	snprintf(line, sizeof(line), "engage %s 1", symbol);
	assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(strlen(cmd.symbol), KS_SYMBOL_MAX);

	symbol[KS_SYMBOL_MAX] = 'a';
	symbol[KS_SYMBOL_MAX + 1] = '\0';
	snprintf(line, sizeof(line), "engage %s 1", symbol);
	assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_SYMBOL_TOO_LONG);

	memset(line, ' ', sizeof(line));
	memcpy(line, "disengage_all", 13);
	line[KS_COMMAND_MAX] = '\0';
	assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_OK);
	line[KS_COMMAND_MAX] = ' ';
	line[KS_COMMAND_MAX + 1] = '\0';
	assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_TOO_LONG);
}

static void symbol_forms(void **state)
{
	struct ks_command cmd;

	(void)state;
	const char *good[] = {
		"a", "_", "A9", "__x64_sys_splice", "foo.cold", "foo.part.0",
		"m:a", "mod-name:f", "9p:v9fs_x",
	};
	const char *bad[] = {
		"9abc", ".foo", "foo-bar", "foo:bar:baz", ":foo", "mod:",
		"mod:9f", "mod.x:f", "foo/bar", "foo$", "a=b", "mod:.x",
	};
	char line[256];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "disengage %s", good[i]);
		assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_OK);
		assert_string_equal(cmd.symbol, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "disengage %s", bad[i]);
		assert_int_equal(parse(line, &cmd, NULL), KS_PARSE_BAD_SYMBOL);
	}
}

static void retval_numbers(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(retval_of("0", &v), KS_PARSE_OK);
	assert_int_equal(v, 0);
	assert_int_equal(retval_of("-0", &v), KS_PARSE_OK);
	assert_int_equal(v, 0);
	assert_int_equal(retval_of("12", &v), KS_PARSE_OK);
	assert_int_equal(v, 12);
	assert_int_equal(retval_of("-95", &v), KS_PARSE_OK);
	assert_int_equal(v, -95);
	assert_int_equal(retval_of("0x1F", &v), KS_PARSE_OK);
	assert_int_equal(v, 31);
	assert_int_equal(retval_of("0Xff", &v), KS_PARSE_OK);
	assert_int_equal(v, 255);
	assert_int_equal(retval_of("-0x10", &v), KS_PARSE_OK);
	assert_int_equal(v, -16);
	assert_int_equal(retval_of("0x0000000000000001", &v), KS_PARSE_OK);
	assert_int_equal(v, 1);
}

static void retval_limits(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(retval_of("9223372036854775807", &v), KS_PARSE_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(retval_of("-9223372036854775808", &v), KS_PARSE_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(retval_of("0x7fffffffffffffff", &v), KS_PARSE_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(retval_of("-0x8000000000000000", &v), KS_PARSE_OK);
	assert_true(v == INT64_MIN);

	assert_int_equal(retval_of("9223372036854775808", &v),
			 KS_PARSE_RETVAL_RANGE);
	assert_int_equal(retval_of("-9223372036854775809", &v),
			 KS_PARSE_RETVAL_RANGE);
	assert_int_equal(retval_of("0x8000000000000000", &v),
			 KS_PARSE_RETVAL_RANGE);
	assert_int_equal(retval_of("0xffffffffffffffff", &v),
			 KS_PARSE_RETVAL_RANGE);
	assert_int_equal(retval_of("99999999999999999999999999999", &v),
			 KS_PARSE_RETVAL_RANGE);
	assert_int_equal(retval_of("0x10000000000000000", &v),
			 KS_PARSE_RETVAL_RANGE);
}

static void retval_malformed(void **state)
{
	long long v;

	(void)state;
	const char *bad[] = {
		"-", "0x", "-0x", "+1", "1e3", "1.5", "0x1g", "12a", "--1",
		"010", "-010", "00", "0b101", "1_000", " 1", "x10", "0x-1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(retval_of(bad[i], &v), KS_PARSE_BAD_RETVAL);
	assert_int_equal(retval_of("", &v), KS_PARSE_MISSING_RETVAL);
}

static void retval_overflow_reports_bad_digit(void **state)
{
	long long v;

	(void)state;
	/* A bad digit after an overflowing prefix is still a syntax error. */
	assert_int_equal(retval_of("99999999999999999999x", &v),
			 KS_PARSE_BAD_RETVAL);
}

static void retval_errno_names(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(retval_of("-EPERM", &v), KS_PARSE_OK);
	assert_int_equal(v, -EPERM);
	assert_int_equal(retval_of("-EOPNOTSUPP", &v), KS_PARSE_OK);
	assert_int_equal(v, -EOPNOTSUPP);
	assert_int_equal(retval_of("-ENOTSUP", &v), KS_PARSE_OK);
	assert_int_equal(v, -EOPNOTSUPP);
	assert_int_equal(retval_of("-EWOULDBLOCK", &v), KS_PARSE_OK);
	assert_int_equal(v, -EAGAIN);
	assert_int_equal(retval_of("-EHWPOISON", &v), KS_PARSE_OK);
	assert_int_equal(v, -EHWPOISON);

	assert_int_equal(retval_of("EPERM", &v), KS_PARSE_ERRNO_SIGN);
	assert_int_equal(retval_of("-EPRM", &v), KS_PARSE_UNKNOWN_ERRNO);
	assert_int_equal(retval_of("-eperm", &v), KS_PARSE_BAD_RETVAL);
	assert_int_equal(retval_of("-E", &v), KS_PARSE_UNKNOWN_ERRNO);
	assert_int_equal(retval_of("-EPERMX", &v), KS_PARSE_UNKNOWN_ERRNO);
	assert_int_equal(retval_of("-EPER", &v), KS_PARSE_UNKNOWN_ERRNO);
}

/* Every table entry must name the same number as the C library does. */
static void errno_table_matches_libc(void **state)
{
	int checked = 0;

	(void)state;
	for (int e = 1; e < 200; e++) {
		const char *ours = ks_errno_name(e);
		const char *libc = strerrorname_np(e);
		int back;

		if (!libc) {
			assert_null(ours);
			continue;
		}
		assert_non_null(ours);
		assert_string_equal(ours, libc);
		assert_true(ks_errno_value(ours, strlen(ours), &back));
		assert_int_equal(back, e);
		checked++;
	}
	assert_int_equal(checked, 131);
}

static void param_entries(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(ks_parse_param_entry("foo=-EPERM", 10, &cmd, &err),
			 KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_ENGAGE);
	assert_string_equal(cmd.symbol, "foo");
	assert_int_equal(cmd.retval, -EPERM);

	assert_int_equal(ks_parse_param_entry("m:f=0x1", 7, &cmd, &err),
			 KS_PARSE_OK);
	assert_string_equal(cmd.symbol, "m:f");

	/* Only the length given is read: "foo=1,bar=2" split at the comma. */
	assert_int_equal(ks_parse_param_entry("foo=1,bar=2", 5, &cmd, &err),
			 KS_PARSE_OK);
	assert_int_equal(cmd.retval, 1);

	assert_int_equal(ks_parse_param_entry("foo", 3, &cmd, &err),
			 KS_PARSE_MISSING_EQUALS);
	assert_int_equal(ks_parse_param_entry("=1", 2, &cmd, &err),
			 KS_PARSE_MISSING_SYMBOL);
	assert_int_equal(ks_parse_param_entry("foo=", 4, &cmd, &err),
			 KS_PARSE_MISSING_RETVAL);
	assert_int_equal(ks_parse_param_entry("foo=1=2", 7, &cmd, &err),
			 KS_PARSE_BAD_RETVAL);
	assert_int_equal(err.offset, 4);
	assert_int_equal(ks_parse_param_entry("foo =1", 6, &cmd, &err),
			 KS_PARSE_BAD_BYTE);
	assert_int_equal(ks_parse_param_entry("", 0, &cmd, &err),
			 KS_PARSE_EMPTY);
}

static void retval_line(void **state)
{
	struct ks_parse_error err;
	long long v;

	(void)state;
	assert_int_equal(ks_parse_retval_line("-EIO\n", 5, &v, &err),
			 KS_PARSE_OK);
	assert_int_equal(v, -EIO);
	assert_int_equal(ks_parse_retval_line(" 7 ", 3, &v, &err), KS_PARSE_OK);
	assert_int_equal(v, 7);
	assert_int_equal(ks_parse_retval_line("\n", 1, &v, &err),
			 KS_PARSE_MISSING_RETVAL);
	assert_int_equal(ks_parse_retval_line("1 2", 3, &v, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(ks_parse_retval_line("1\n2", 3, &v, &err),
			 KS_PARSE_EXTRA_LINE);
	assert_int_equal(ks_parse_retval_line("abc", 3, &v, &err),
			 KS_PARSE_BAD_RETVAL);
}

static void error_positions(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage foo bar", &cmd, &err),
			 KS_PARSE_BAD_RETVAL);
	assert_int_equal(err.offset, 11);
	assert_int_equal(err.length, 3);

	assert_int_equal(parse("engage f/o 1", &cmd, &err),
			 KS_PARSE_BAD_SYMBOL);
	assert_int_equal(err.offset, 7);
	assert_int_equal(err.length, 3);
}

static void every_status_has_message(void **state)
{
	(void)state;
	for (int s = KS_PARSE_OK; s <= KS_PARSE_MISSING_EQUALS; s++) {
		const char *msg = ks_parse_status_message(s);

		assert_non_null(msg);
		assert_true(strlen(msg) > 10);
		assert_string_not_equal(msg, "invalid command");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(engage_plain),
		cmocka_unit_test(engage_trailing_newline_and_blanks),
		cmocka_unit_test(engage_module_prefix_and_clone),
		cmocka_unit_test(disengage_and_all),
		cmocka_unit_test(verbs_are_exact),
		cmocka_unit_test(missing_and_extra_words),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(bad_bytes),
		cmocka_unit_test(one_line_only),
		cmocka_unit_test(length_limits),
		cmocka_unit_test(symbol_forms),
		cmocka_unit_test(retval_numbers),
		cmocka_unit_test(retval_limits),
		cmocka_unit_test(retval_malformed),
		cmocka_unit_test(retval_overflow_reports_bad_digit),
		cmocka_unit_test(retval_errno_names),
		cmocka_unit_test(errno_table_matches_libc),
		cmocka_unit_test(param_entries),
		cmocka_unit_test(retval_line),
		cmocka_unit_test(error_positions),
		cmocka_unit_test(every_status_has_message),
	};

	return cmocka_run_group_tests_name("grammar", tests, NULL, NULL);
}
