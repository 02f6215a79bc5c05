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
 *	engage <symbol> <retval> [<option>...]
 *	tryengage <symbol> <retval> <seconds> [<option>...]
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
 * <seconds> is a decimal number from 1 to 86400 without a leading zero.
 *
 * An option is one key=value word: scope=all|nonroot|userns,
 * mode=enforce|observe, irq=block|pass, allow=<absolute path>. Each key may
 * appear once, except allow, which may appear up to KS_ALLOW_MAX times.
 * irq=pass needs a scope other than all or an allow option, because only
 * those engagements judge the caller. tryengage observes by itself, so it
 * takes no mode option.
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

/* Maximum number of allow= options in one command. */
#define KS_ALLOW_MAX 8

/* The range of the <seconds> of tryengage: one second to one day. */
#define KS_SECONDS_MIN 1
#define KS_SECONDS_MAX 86400

enum ks_verb {
	KS_VERB_ENGAGE = 1,
	KS_VERB_DISENGAGE,
	KS_VERB_DISENGAGE_ALL,
	KS_VERB_TRYENGAGE,
};

/* The callers an engagement blocks. */
enum ks_scope {
	KS_SCOPE_ALL,
	/* Callers whose effective uid in the initial user namespace is not 0. */
	KS_SCOPE_NONROOT,
	/* Callers in a user namespace other than the initial one. */
	KS_SCOPE_USERNS,
};

enum ks_mode {
	KS_MODE_ENFORCE,
	/* Count calls and record callers, never block. */
	KS_MODE_OBSERVE,
};

/* The action of a scoped engagement on a call in interrupt or softirq context. */
enum ks_irq {
	KS_IRQ_BLOCK,
	KS_IRQ_PASS,
};

/*
 * A range of bytes of the parsed buffer. A command is at most KS_COMMAND_MAX
 * bytes, so 16 bits hold any offset and length.
 */
struct ks_span {
	unsigned short offset;
	unsigned short length;
};

/*
 * A parsed command. It is small enough for the kernel stack because the
 * allow paths stay in the caller's buffer, as spans.
 */
struct ks_command {
	enum ks_verb verb;
	/* NUL-terminated; empty for disengage_all. */
	char symbol[KS_SYMBOL_MAX + 1];
	/* The fields below are only for engage and tryengage. */
	long long retval;
	/* The observation window of tryengage; 0 for the other verbs. */
	unsigned int seconds;
	unsigned char scope;		/* enum ks_scope */
	unsigned char mode;		/* enum ks_mode */
	unsigned char irq;		/* enum ks_irq */
	unsigned char allow_count;
	/* Absolute paths, in the order given, without a terminating NUL. */
	struct ks_span allow[KS_ALLOW_MAX];
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
	KS_PARSE_MISSING_SECONDS,
	KS_PARSE_BAD_SECONDS,
	KS_PARSE_SECONDS_RANGE,
	KS_PARSE_UNKNOWN_OPTION,
	KS_PARSE_DUPLICATE_OPTION,
	KS_PARSE_BAD_SCOPE,
	KS_PARSE_BAD_MODE,
	KS_PARSE_BAD_IRQ,
	KS_PARSE_TOO_MANY_ALLOW,
	KS_PARSE_RELATIVE_PATH,
	KS_PARSE_IRQ_WITHOUT_SCOPE,
	KS_PARSE_TRYENGAGE_MODE,
	/* One past the last status, for iterating over them. */
	KS_PARSE_STATUS_COUNT,
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

/* Return the name of @scope, @mode or @irq as written in an option. */
const char *ks_scope_name(enum ks_scope scope);
const char *ks_mode_name(enum ks_mode mode);
const char *ks_irq_name(enum ks_irq irq);

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
