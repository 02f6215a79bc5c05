// SPDX-License-Identifier: GPL-2.0
/*
 * The killswitch control grammar. See ks_grammar.h for the syntax. Nothing
 * here calls the kernel or the C library: character classes, number
 * conversion and string comparison are done by hand on (pointer, length)
 * pairs, and no input is ever read past its length.
 */
#include "ks_grammar.h"
#include "ks_errno_table.h"

#define KS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * long long is 64 bits on every Linux target. The kernel has no LLONG_MAX
 * and the C library no S64_MAX, so the limits are spelled out here.
 */
#define KS_LLONG_MAX 0x7fffffffffffffffLL
#define KS_LLONG_MIN (-KS_LLONG_MAX - 1)

/* A word of the input: its start and length. */
struct ks_word {
	const char *start;
	size_t len;
};

static bool ks_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool ks_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ks_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ks_hex_value(char c)
{
	if (ks_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool ks_word_equals(const struct ks_word *word, const char *literal)
{
	size_t i;

	for (i = 0; i < word->len; i++) {
		if (literal[i] != word->start[i])
			return false;
	}
	return literal[word->len] == '\0';
}

static enum ks_parse_status ks_fail(struct ks_parse_error *err,
				    enum ks_parse_status status,
				    const char *base, const char *at,
				    size_t len)
{
	if (err) {
		err->status = status;
		err->offset = (size_t)(at - base);
		err->length = len;
	}
	return status;
}

static enum ks_parse_status ks_fail_word(struct ks_parse_error *err,
					 enum ks_parse_status status,
					 const char *base,
					 const struct ks_word *word)
{
	return ks_fail(err, status, base, word->start, word->len);
}

const char *ks_errno_name(int errnum)
{
	size_t i;

	for (i = 0; i < KS_ARRAY_SIZE(ks_errno_table); i++) {
		if (ks_errno_table[i].value == errnum)
			return ks_errno_table[i].name;
	}
	return NULL;
}

bool ks_errno_value(const char *name, size_t len, int *errnum)
{
	struct ks_word word = { name, len };
	size_t i;

	for (i = 0; i < KS_ARRAY_SIZE(ks_errno_table); i++) {
		if (ks_word_equals(&word, ks_errno_table[i].name)) {
			*errnum = ks_errno_table[i].value;
			return true;
		}
	}
	return false;
}

/*
 * Convert the digits of @buf to a magnitude no larger than @limit. Returns
 * KS_PARSE_BAD_RETVAL for a non-digit and KS_PARSE_RETVAL_RANGE on overflow.
 */
static enum ks_parse_status ks_parse_magnitude(const char *buf, size_t len,
					       unsigned int base,
					       unsigned long long limit,
					       unsigned long long *magnitude)
{
	unsigned long long value = 0;
	bool too_large = false;
	size_t i;

	if (len == 0)
		return KS_PARSE_BAD_RETVAL;

	for (i = 0; i < len; i++) {
		int digit = ks_hex_value(buf[i]);

		if (digit < 0 || (unsigned int)digit >= base)
			return KS_PARSE_BAD_RETVAL;
		if (value > (limit - (unsigned long long)digit) / base)
			too_large = true;
		else
			value = value * base + (unsigned long long)digit;
	}

	/* Report a bad digit before an overflow, since it is the real fault. */
	if (too_large)
		return KS_PARSE_RETVAL_RANGE;

	*magnitude = value;
	return KS_PARSE_OK;
}

enum ks_parse_status ks_parse_retval(const char *buf, size_t len,
				     long long *retval)
{
	const unsigned long long max_positive = (unsigned long long)KS_LLONG_MAX;
	const unsigned long long max_negative = (unsigned long long)KS_LLONG_MAX + 1;
	enum ks_parse_status status;
	bool negative = false;
	unsigned int base = 10;
	unsigned long long magnitude;
	int errnum;

	if (len == 0)
		return KS_PARSE_MISSING_RETVAL;

	if (buf[0] == '-') {
		negative = true;
		buf++;
		len--;
	}

	/* -EPERM and friends; a bare EPERM is a common slip worth naming. */
	if (len > 0 && buf[0] == 'E') {
		if (!ks_errno_value(buf, len, &errnum))
			return KS_PARSE_UNKNOWN_ERRNO;
		if (!negative)
			return KS_PARSE_ERRNO_SIGN;
		*retval = -(long long)errnum;
		return KS_PARSE_OK;
	}

	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		buf += 2;
		len -= 2;
	} else if (len >= 2 && buf[0] == '0') {
		/* A leading zero would mean octal to strtol(). */
		return KS_PARSE_BAD_RETVAL;
	}

	status = ks_parse_magnitude(buf, len, base,
				    negative ? max_negative : max_positive,
				    &magnitude);
	if (status != KS_PARSE_OK)
		return status;

	if (!negative)
		*retval = (long long)magnitude;
	else if (magnitude == max_negative)
		*retval = KS_LLONG_MIN;
	else
		*retval = -(long long)magnitude;
	return KS_PARSE_OK;
}

static bool ks_is_symbol_start(char c)
{
	return ks_is_alpha(c) || c == '_';
}

static bool ks_is_symbol_char(char c)
{
	/* The dot appears in compiler clones such as foo.isra.0. */
	return ks_is_alpha(c) || ks_is_digit(c) || c == '_' || c == '.';
}

static bool ks_is_module_char(char c)
{
	return ks_is_alpha(c) || ks_is_digit(c) || c == '_' || c == '-';
}

enum ks_parse_status ks_parse_symbol(const char *buf, size_t len,
				     char *symbol)
{
	size_t colon = len;
	size_t name;
	size_t i;

	if (len == 0)
		return KS_PARSE_MISSING_SYMBOL;
	if (len > KS_SYMBOL_MAX)
		return KS_PARSE_SYMBOL_TOO_LONG;

	for (i = 0; i < len; i++) {
		if (buf[i] == ':') {
			colon = i;
			break;
		}
	}

	if (colon < len) {
		if (colon == 0)
			return KS_PARSE_BAD_SYMBOL;
		for (i = 0; i < colon; i++) {
			if (!ks_is_module_char(buf[i]))
				return KS_PARSE_BAD_SYMBOL;
		}
		name = colon + 1;
	} else {
		name = 0;
	}

	if (name >= len || !ks_is_symbol_start(buf[name]))
		return KS_PARSE_BAD_SYMBOL;
	for (i = name + 1; i < len; i++) {
		if (!ks_is_symbol_char(buf[i]))
			return KS_PARSE_BAD_SYMBOL;
	}

	for (i = 0; i < len; i++)
		symbol[i] = buf[i];
	symbol[len] = '\0';
	return KS_PARSE_OK;
}

/*
 * Check that @buf holds printable ASCII words on a single line, with at most
 * one trailing newline, and return the length without that newline.
 */
static enum ks_parse_status ks_check_line(const char *buf, size_t len,
					  size_t *line_len,
					  struct ks_parse_error *err)
{
	size_t i;

	if (len > KS_COMMAND_MAX)
		return ks_fail(err, KS_PARSE_TOO_LONG, buf, buf, len);

	if (len > 0 && buf[len - 1] == '\n')
		len--;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n')
			return ks_fail(err, KS_PARSE_EXTRA_LINE, buf,
				       buf + i, len - i);
		if (!ks_is_blank((char)c) && (c < 0x21 || c > 0x7e))
			return ks_fail(err, KS_PARSE_BAD_BYTE, buf, buf + i, 1);
	}

	*line_len = len;
	return KS_PARSE_OK;
}

/* Split @buf into at most @max words; return how many there were. */
static size_t ks_split_words(const char *buf, size_t len,
			     struct ks_word *words, size_t max)
{
	size_t count = 0;
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && ks_is_blank(buf[i]))
			i++;
		if (i == len)
			break;

		start = i;
		while (i < len && !ks_is_blank(buf[i]))
			i++;

		if (count < max) {
			words[count].start = buf + start;
			words[count].len = i - start;
		}
		count++;
	}
	return count;
}

enum ks_parse_status ks_parse_command(const char *buf, size_t len,
				      struct ks_command *cmd,
				      struct ks_parse_error *err)
{
	struct ks_word words[4];
	enum ks_parse_status status;
	size_t expected;
	size_t count;

	status = ks_check_line(buf, len, &len, err);
	if (status != KS_PARSE_OK)
		return status;

	count = ks_split_words(buf, len, words, KS_ARRAY_SIZE(words));
	if (count == 0)
		return ks_fail(err, KS_PARSE_EMPTY, buf, buf, len);

	if (ks_word_equals(&words[0], "engage")) {
		cmd->verb = KS_VERB_ENGAGE;
		expected = 3;
	} else if (ks_word_equals(&words[0], "disengage")) {
		cmd->verb = KS_VERB_DISENGAGE;
		expected = 2;
	} else if (ks_word_equals(&words[0], "disengage_all")) {
		cmd->verb = KS_VERB_DISENGAGE_ALL;
		expected = 1;
	} else {
		return ks_fail_word(err, KS_PARSE_UNKNOWN_VERB, buf, &words[0]);
	}

	if (count > expected) {
		const struct ks_word *extra = &words[expected];

		return ks_fail(err, KS_PARSE_TRAILING_WORD, buf, extra->start,
			       (size_t)(buf + len - extra->start));
	}

	cmd->symbol[0] = '\0';
	cmd->retval = 0;
	if (expected == 1)
		return KS_PARSE_OK;

	if (count < 2)
		return ks_fail(err, KS_PARSE_MISSING_SYMBOL, buf, buf + len, 0);
	status = ks_parse_symbol(words[1].start, words[1].len, cmd->symbol);
	if (status != KS_PARSE_OK)
		return ks_fail_word(err, status, buf, &words[1]);
	if (expected == 2)
		return KS_PARSE_OK;

	if (count < 3)
		return ks_fail(err, KS_PARSE_MISSING_RETVAL, buf, buf + len, 0);
	status = ks_parse_retval(words[2].start, words[2].len, &cmd->retval);
	if (status != KS_PARSE_OK)
		return ks_fail_word(err, status, buf, &words[2]);

	return KS_PARSE_OK;
}

enum ks_parse_status ks_parse_retval_line(const char *buf, size_t len,
					  long long *retval,
					  struct ks_parse_error *err)
{
	struct ks_word words[2];
	enum ks_parse_status status;
	size_t count;

	status = ks_check_line(buf, len, &len, err);
	if (status != KS_PARSE_OK)
		return status;

	count = ks_split_words(buf, len, words, KS_ARRAY_SIZE(words));
	if (count == 0)
		return ks_fail(err, KS_PARSE_MISSING_RETVAL, buf, buf, len);
	if (count > 1)
		return ks_fail(err, KS_PARSE_TRAILING_WORD, buf, words[1].start,
			       (size_t)(buf + len - words[1].start));

	status = ks_parse_retval(words[0].start, words[0].len, retval);
	if (status != KS_PARSE_OK)
		return ks_fail_word(err, status, buf, &words[0]);
	return KS_PARSE_OK;
}

enum ks_parse_status ks_parse_param_entry(const char *buf, size_t len,
					  struct ks_command *cmd,
					  struct ks_parse_error *err)
{
	enum ks_parse_status status;
	size_t equals = len;
	size_t i;

	if (len == 0)
		return ks_fail(err, KS_PARSE_EMPTY, buf, buf, 0);
	if (len > KS_COMMAND_MAX)
		return ks_fail(err, KS_PARSE_TOO_LONG, buf, buf, len);

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x21 || c > 0x7e)
			return ks_fail(err, KS_PARSE_BAD_BYTE, buf, buf + i, 1);
		if (c == '=' && equals == len)
			equals = i;
	}
	if (equals == len)
		return ks_fail(err, KS_PARSE_MISSING_EQUALS, buf, buf, len);

	cmd->verb = KS_VERB_ENGAGE;
	status = ks_parse_symbol(buf, equals, cmd->symbol);
	if (status != KS_PARSE_OK)
		return ks_fail(err, status, buf, buf, equals);

	status = ks_parse_retval(buf + equals + 1, len - equals - 1,
				 &cmd->retval);
	if (status != KS_PARSE_OK)
		return ks_fail(err, status, buf, buf + equals + 1,
			       len - equals - 1);

	return KS_PARSE_OK;
}

static const char *const ks_status_messages[] = {
	[KS_PARSE_OK] =
		"valid command",
	[KS_PARSE_EMPTY] =
		"empty command: write engage, disengage or disengage_all",
	[KS_PARSE_TOO_LONG] =
		"command too long: a command is one line of at most 512 bytes",
	[KS_PARSE_BAD_BYTE] =
		"invalid byte: a command contains printable ASCII, spaces and tabs only",
	[KS_PARSE_EXTRA_LINE] =
		"more than one line: write one command per write",
	[KS_PARSE_UNKNOWN_VERB] =
		"unknown command: use engage, disengage or disengage_all",
	[KS_PARSE_MISSING_SYMBOL] =
		"missing symbol: name the kernel function, as in 'engage af_alg_sendmsg -EPERM'",
	[KS_PARSE_BAD_SYMBOL] =
		"invalid symbol: use a kernel symbol name such as af_alg_sendmsg, optionally prefixed by a module name and a colon",
	[KS_PARSE_SYMBOL_TOO_LONG] =
		"symbol too long: at most 127 characters, module prefix included",
	[KS_PARSE_MISSING_RETVAL] =
		"missing return value: add a number or an errno name, as in 'engage af_alg_sendmsg -EPERM'",
	[KS_PARSE_BAD_RETVAL] =
		"invalid return value: use a decimal or 0x hex number without leading zeros, or an errno name such as -EPERM",
	[KS_PARSE_RETVAL_RANGE] =
		"return value out of range: it must fit in a signed 64-bit integer",
	[KS_PARSE_UNKNOWN_ERRNO] =
		"unknown errno name: use a Linux errno name such as -EPERM or -EOPNOTSUPP",
	[KS_PARSE_ERRNO_SIGN] =
		"errno name without a minus sign: kernel functions return errors negated, so write -EPERM",
	[KS_PARSE_TRAILING_WORD] =
		"unexpected extra words: engage takes a symbol and a return value, disengage takes a symbol, disengage_all takes nothing",
	[KS_PARSE_MISSING_EQUALS] =
		"missing '=': write each engagement as symbol=retval, separated by commas",
};

const char *ks_parse_status_message(enum ks_parse_status status)
{
	if ((size_t)status >= KS_ARRAY_SIZE(ks_status_messages) ||
	    !ks_status_messages[status])
		return "invalid command";
	return ks_status_messages[status];
}
