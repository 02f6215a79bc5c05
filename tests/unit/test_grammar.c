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
		"disengageall", "disengage_al", "tryengag foo 1 5", "-1",
		"TRYENGAGE foo 1 5",
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
	assert_int_equal(parse("disengage foo scope=all", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(parse("disengage_all scope=all", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(parse("engage foo 1 scope=all extra", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
	assert_int_equal(err.offset, 23);
	assert_int_equal(err.length, 5);
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

/* Return the allow path number @i of @cmd, parsed from @text. */
static char *allow_path(const char *text, const struct ks_command *cmd,
			size_t i)
{
	static char path[KS_COMMAND_MAX + 1];
	const struct ks_span *span = &cmd->allow[i];

	assert_true(i < cmd->allow_count);
	assert_true((size_t)span->offset + span->length <= strlen(text));
	memcpy(path, text + span->offset, span->length);
	path[span->length] = '\0';
	return path;
}

static void engage_defaults(void **state)
{
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage foo -1", &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.seconds, 0);
	assert_int_equal(cmd.scope, KS_SCOPE_ALL);
	assert_int_equal(cmd.mode, KS_MODE_ENFORCE);
	assert_int_equal(cmd.irq, KS_IRQ_BLOCK);
	assert_int_equal(cmd.allow_count, 0);
}

static void engage_options(void **state)
{
	const char *text = "engage foo -EPERM scope=nonroot mode=observe irq=pass allow=/bin/true\n";
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse(text, &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_ENGAGE);
	assert_int_equal(cmd.retval, -1);
	assert_int_equal(cmd.scope, KS_SCOPE_NONROOT);
	assert_int_equal(cmd.mode, KS_MODE_OBSERVE);
	assert_int_equal(cmd.irq, KS_IRQ_PASS);
	assert_int_equal(cmd.allow_count, 1);
	assert_string_equal(allow_path(text, &cmd, 0), "/bin/true");

	assert_int_equal(parse("engage foo 1 scope=userns", &cmd, NULL),
			 KS_PARSE_OK);
	assert_int_equal(cmd.scope, KS_SCOPE_USERNS);
	assert_int_equal(parse("engage foo 1 scope=all mode=enforce irq=block",
			       &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.scope, KS_SCOPE_ALL);
	assert_int_equal(cmd.mode, KS_MODE_ENFORCE);
	assert_int_equal(cmd.irq, KS_IRQ_BLOCK);
}

static void allow_paths(void **state)
{
	const char *eight = "engage foo 1 allow=/a allow=/b/c allow=/d allow=/e "
			    "allow=/f allow=/g allow=/h allow=/i=j,k";
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse(eight, &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.allow_count, 8);
	assert_string_equal(allow_path(eight, &cmd, 0), "/a");
	assert_string_equal(allow_path(eight, &cmd, 1), "/b/c");
	assert_string_equal(allow_path(eight, &cmd, 7), "/i=j,k");

	assert_int_equal(parse("engage foo 1 allow=/a allow=/b allow=/c allow=/d "
			       "allow=/e allow=/f allow=/g allow=/h allow=/i",
			       &cmd, &err), KS_PARSE_TOO_MANY_ALLOW);
	assert_int_equal(err.offset, 85);
	assert_int_equal(err.length, 8);

	assert_int_equal(parse("engage foo 1 allow=bin/true", &cmd, &err),
			 KS_PARSE_RELATIVE_PATH);
	assert_int_equal(err.offset, 19);
	assert_int_equal(err.length, 8);
	assert_int_equal(parse("engage foo 1 allow=", &cmd, &err),
			 KS_PARSE_RELATIVE_PATH);
	assert_int_equal(err.length, 0);
	assert_int_equal(parse("engage foo 1 allow=./x", &cmd, &err),
			 KS_PARSE_RELATIVE_PATH);
}

static void option_errors(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage foo 1 color=red", &cmd, &err),
			 KS_PARSE_UNKNOWN_OPTION);
	assert_int_equal(err.offset, 13);
	assert_int_equal(err.length, 5);
	assert_int_equal(parse("engage foo 1 =all", &cmd, &err),
			 KS_PARSE_UNKNOWN_OPTION);
	assert_int_equal(parse("engage foo 1 Scope=all", &cmd, &err),
			 KS_PARSE_UNKNOWN_OPTION);
	assert_int_equal(parse("engage foo 1 scopes=all", &cmd, &err),
			 KS_PARSE_UNKNOWN_OPTION);

	assert_int_equal(parse("engage foo 1 scope=all scope=nonroot", &cmd, &err),
			 KS_PARSE_DUPLICATE_OPTION);
	assert_int_equal(err.offset, 23);
	assert_int_equal(err.length, 13);
	assert_int_equal(parse("engage foo 1 mode=observe mode=observe", &cmd, &err),
			 KS_PARSE_DUPLICATE_OPTION);
	assert_int_equal(parse("engage foo 1 scope=nonroot irq=pass irq=block",
			       &cmd, &err), KS_PARSE_DUPLICATE_OPTION);

	assert_int_equal(parse("engage foo 1 scope=root", &cmd, &err),
			 KS_PARSE_BAD_SCOPE);
	assert_int_equal(err.offset, 19);
	assert_int_equal(err.length, 4);
	assert_int_equal(parse("engage foo 1 scope=", &cmd, &err),
			 KS_PARSE_BAD_SCOPE);
	assert_int_equal(parse("engage foo 1 scope=ALL", &cmd, &err),
			 KS_PARSE_BAD_SCOPE);
	assert_int_equal(parse("engage foo 1 mode=watch", &cmd, &err),
			 KS_PARSE_BAD_MODE);
	assert_int_equal(parse("engage foo 1 irq=drop", &cmd, &err),
			 KS_PARSE_BAD_IRQ);
	assert_int_equal(parse("engage foo 1 scope=nonroot=x", &cmd, &err),
			 KS_PARSE_BAD_SCOPE);
}

static void irq_pass_needs_scope(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("engage foo 1 irq=pass", &cmd, &err),
			 KS_PARSE_IRQ_WITHOUT_SCOPE);
	assert_int_equal(err.offset, 13);
	assert_int_equal(err.length, 8);
	assert_int_equal(parse("engage foo 1 irq=pass scope=all", &cmd, &err),
			 KS_PARSE_IRQ_WITHOUT_SCOPE);
	assert_int_equal(err.offset, 13);

	assert_int_equal(parse("engage foo 1 irq=pass scope=userns", &cmd, NULL),
			 KS_PARSE_OK);
	assert_int_equal(parse("engage foo 1 irq=pass allow=/bin/true", &cmd, NULL),
			 KS_PARSE_OK);
	assert_int_equal(parse("engage foo 1 irq=block", &cmd, NULL),
			 KS_PARSE_OK);
}

static void tryengage_command(void **state)
{
	const char *text = "tryengage mod:foo -EPERM 60 scope=nonroot allow=/x";
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse(text, &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.verb, KS_VERB_TRYENGAGE);
	assert_string_equal(cmd.symbol, "mod:foo");
	assert_int_equal(cmd.retval, -1);
	assert_int_equal(cmd.seconds, 60);
	assert_int_equal(cmd.scope, KS_SCOPE_NONROOT);
	assert_int_equal(cmd.mode, KS_MODE_ENFORCE);
	assert_string_equal(allow_path(text, &cmd, 0), "/x");

	assert_int_equal(parse("tryengage foo 0 1\n", &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.seconds, 1);
	assert_int_equal(parse("tryengage foo 0 86400", &cmd, NULL), KS_PARSE_OK);
	assert_int_equal(cmd.seconds, 86400);
}

static void tryengage_errors(void **state)
{
	struct ks_parse_error err;
	struct ks_command cmd;

	(void)state;
	assert_int_equal(parse("tryengage", &cmd, &err), KS_PARSE_MISSING_SYMBOL);
	assert_int_equal(parse("tryengage foo", &cmd, &err),
			 KS_PARSE_MISSING_RETVAL);
	assert_int_equal(parse("tryengage foo -1\n", &cmd, &err),
			 KS_PARSE_MISSING_SECONDS);
	assert_int_equal(err.offset, 16);
	assert_int_equal(err.length, 0);

	const char *bad[] = { "tryengage foo 1 x", "tryengage foo 1 060",
			      "tryengage foo 1 +5", "tryengage foo 1 -5",
			      "tryengage foo 1 0x10", "tryengage foo 1 1.5",
			      "tryengage foo 1 scope=all" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &cmd, &err), KS_PARSE_BAD_SECONDS);
		assert_int_equal(err.offset, 16);
	}

	const char *range[] = { "tryengage foo 1 0", "tryengage foo 1 86401",
				"tryengage foo 1 99999999999999999999999" };
	for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		assert_int_equal(parse(range[i], &cmd, &err),
				 KS_PARSE_SECONDS_RANGE);
		assert_int_equal(err.offset, 16);
	}

	assert_int_equal(parse("tryengage foo 1 5 mode=observe", &cmd, &err),
			 KS_PARSE_TRYENGAGE_MODE);
	assert_int_equal(err.offset, 18);
	assert_int_equal(err.length, 12);
	assert_int_equal(parse("tryengage foo 1 5 mode=enforce", &cmd, &err),
			 KS_PARSE_TRYENGAGE_MODE);
	assert_int_equal(parse("tryengage foo 1 5 irq=pass", &cmd, &err),
			 KS_PARSE_IRQ_WITHOUT_SCOPE);
	assert_int_equal(parse("tryengage foo 1 5 6", &cmd, &err),
			 KS_PARSE_TRAILING_WORD);
}

static void option_names(void **state)
{
	(void)state;
	assert_string_equal(ks_scope_name(KS_SCOPE_ALL), "all");
	assert_string_equal(ks_scope_name(KS_SCOPE_NONROOT), "nonroot");
	assert_string_equal(ks_scope_name(KS_SCOPE_USERNS), "userns");
	assert_string_equal(ks_scope_name((enum ks_scope)7), "unknown");
	assert_string_equal(ks_mode_name(KS_MODE_ENFORCE), "enforce");
	assert_string_equal(ks_mode_name(KS_MODE_OBSERVE), "observe");
	assert_string_equal(ks_irq_name(KS_IRQ_BLOCK), "block");
	assert_string_equal(ks_irq_name(KS_IRQ_PASS), "pass");
}

static void every_status_has_message(void **state)
{
	(void)state;
	for (int s = KS_PARSE_OK; s < KS_PARSE_STATUS_COUNT; s++) {
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
		cmocka_unit_test(engage_defaults),
		cmocka_unit_test(engage_options),
		cmocka_unit_test(allow_paths),
		cmocka_unit_test(option_errors),
		cmocka_unit_test(irq_pass_needs_scope),
		cmocka_unit_test(tryengage_command),
		cmocka_unit_test(tryengage_errors),
		cmocka_unit_test(option_names),
		cmocka_unit_test(every_status_has_message),
	};

	return cmocka_run_group_tests_name("grammar", tests, NULL, NULL);
}
