/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The killswitch control grammar, shared by the kernel module and ksctl.
 *
 * This file and ks_grammar.c use no kernel or C library function, so the same
 * object is built into killswitch.ko, linked into ksctl and fuzzed on the
 * host. Only the freestanding headers below are included.
 *
 * A control write is one command on one line:
 *
 *	engage <symbol> <retval>
 *	disengage <symbol>
 *	disengage_all
 *
 * Words are separated by spaces or tabs, and one trailing newline is allowed.
 * <symbol> is a kernel symbol name, optionally prefixed by a module name and
 * a colon (af_alg:af_alg_sendmsg). <retval> is a signed 64-bit number in
 * decimal (-1, 0, 12) or hex (0x10, -0x10), or a negated errno name (-EPERM).
 * A number with a leading zero, such as 010, is rejected: strtol() would read
 * it as octal and a reader would not.
 *
 * The module parameter uses one entry per engagement, <symbol>=<retval>.
 */
#ifndef KS_GRAMMAR_H
#define KS_GRAMMAR_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* Maximum symbol length, module prefix included, without the terminating NUL. */
#define KS_SYMBOL_MAX 127

/* Maximum length of a control write, in bytes. */
#define KS_COMMAND_MAX 512

enum ks_verb {
	KS_VERB_ENGAGE = 1,
	KS_VERB_DISENGAGE,
	KS_VERB_DISENGAGE_ALL,
};

struct ks_command {
	enum ks_verb verb;
	/* NUL-terminated; empty for disengage_all. */
	char symbol[KS_SYMBOL_MAX + 1];
	/* Only for engage. */
	long long retval;
};

enum ks_parse_status {
	KS_PARSE_OK = 0,
	KS_PARSE_EMPTY,
	KS_PARSE_TOO_LONG,
	KS_PARSE_BAD_BYTE,
	KS_PARSE_EXTRA_LINE,
	KS_PARSE_UNKNOWN_VERB,
	KS_PARSE_MISSING_SYMBOL,
	KS_PARSE_BAD_SYMBOL,
	KS_PARSE_SYMBOL_TOO_LONG,
	KS_PARSE_MISSING_RETVAL,
	KS_PARSE_BAD_RETVAL,
	KS_PARSE_RETVAL_RANGE,
	KS_PARSE_UNKNOWN_ERRNO,
	KS_PARSE_ERRNO_SIGN,
	KS_PARSE_TRAILING_WORD,
	KS_PARSE_MISSING_EQUALS,
};

/*
 * The location of a parse failure: the status and the offending bytes, as an
 * offset and a length into the caller's buffer, so that a message can quote
 * them.
 */
struct ks_parse_error {
	enum ks_parse_status status;
	size_t offset;
	size_t length;
};

/*
 * Parse one control write of @len bytes (not NUL-terminated). On success fill
 * @cmd and return KS_PARSE_OK; on failure leave @cmd unspecified, describe the
 * failure in @err (which may be NULL) and return its status.
 */
enum ks_parse_status ks_parse_command(const char *buf, size_t len,
				      struct ks_command *cmd,
				      struct ks_parse_error *err);

/*
 * Parse one module parameter entry, <symbol>=<retval>, of @len bytes. On
 * success @cmd is an engage command.
 */
enum ks_parse_status ks_parse_param_entry(const char *buf, size_t len,
					  struct ks_command *cmd,
					  struct ks_parse_error *err);

/* Parse a whole return value word of @len bytes. */
enum ks_parse_status ks_parse_retval(const char *buf, size_t len,
				     long long *retval);

/*
 * Parse the contents of a write to fn/<symbol>/retval: one return value,
 * optionally surrounded by blanks and followed by one newline.
 */
enum ks_parse_status ks_parse_retval_line(const char *buf, size_t len,
					  long long *retval,
					  struct ks_parse_error *err);

/*
 * Parse a whole symbol word of @len bytes into @symbol, which has room for
 * KS_SYMBOL_MAX + 1 bytes.
 */
enum ks_parse_status ks_parse_symbol(const char *buf, size_t len,
				     char *symbol);

/* Describe @status in one sentence that names what to write instead. */
const char *ks_parse_status_message(enum ks_parse_status status);

/* Return the errno name for the positive @errnum, or NULL if unknown. */
const char *ks_errno_name(int errnum);

/*
 * Look up the errno name of @len bytes, such as EPERM, and store its
 * positive value in @errnum. Return false for an unknown name.
 */
bool ks_errno_value(const char *name, size_t len, int *errnum);

#endif /* KS_GRAMMAR_H */
