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

/* Store the next word of @buf after offset *@pos in @word; false at the end. */
static bool ks_next_word(const char *buf, size_t len, size_t *pos,
			 struct ks_word *word)
{
	size_t i = *pos;

	while (i < len && ks_is_blank(buf[i]))
		i++;
	if (i == len)
		return false;

	word->start = buf + i;
	while (i < len && !ks_is_blank(buf[i]))
		i++;
	word->len = (size_t)(buf + i - word->start);
	*pos = i;
	return true;
}

static const char *const ks_scope_names[] = {
	[KS_SCOPE_ALL] = "all",
	[KS_SCOPE_NONROOT] = "nonroot",
	[KS_SCOPE_USERNS] = "userns",
};

static const char *const ks_mode_names[] = {
	[KS_MODE_ENFORCE] = "enforce",
	[KS_MODE_OBSERVE] = "observe",
};

static const char *const ks_irq_names[] = {
	[KS_IRQ_BLOCK] = "block",
	[KS_IRQ_PASS] = "pass",
};

static const char *ks_name_of(const char *const *names, size_t count,
			      unsigned int value)
{
	return value < count ? names[value] : "unknown";
}

const char *ks_scope_name(enum ks_scope scope)
{
	return ks_name_of(ks_scope_names, KS_ARRAY_SIZE(ks_scope_names), scope);
}

const char *ks_mode_name(enum ks_mode mode)
{
	return ks_name_of(ks_mode_names, KS_ARRAY_SIZE(ks_mode_names), mode);
}

const char *ks_irq_name(enum ks_irq irq)
{
	return ks_name_of(ks_irq_names, KS_ARRAY_SIZE(ks_irq_names), irq);
}

/* The keys of the enumerated options, whose values come from a name table. */
struct ks_enum_option {
	const char *key;
	const char *const *names;
	size_t count;
	enum ks_parse_status bad_value;
};

static const struct ks_enum_option ks_enum_options[] = {
	{ "scope", ks_scope_names, KS_ARRAY_SIZE(ks_scope_names), KS_PARSE_BAD_SCOPE },
	{ "mode", ks_mode_names, KS_ARRAY_SIZE(ks_mode_names), KS_PARSE_BAD_MODE },
	{ "irq", ks_irq_names, KS_ARRAY_SIZE(ks_irq_names), KS_PARSE_BAD_IRQ },
};

/* Return the field of @cmd that the enumerated option number @index sets. */
static unsigned char *ks_enum_field(struct ks_command *cmd, size_t index)
{
	unsigned char *fields[] = { &cmd->scope, &cmd->mode, &cmd->irq };

	return fields[index];
}

/*
 * Parse the <seconds> word of tryengage: decimal digits without a leading
 * zero, from KS_SECONDS_MIN to KS_SECONDS_MAX.
 */
static enum ks_parse_status ks_parse_seconds(const struct ks_word *word,
					     unsigned int *seconds)
{
	unsigned long long value;
	enum ks_parse_status status;

	if (word->len >= 2 && word->start[0] == '0')
		return KS_PARSE_BAD_SECONDS;

	status = ks_parse_magnitude(word->start, word->len, 10, KS_SECONDS_MAX,
				    &value);
	if (status == KS_PARSE_BAD_RETVAL)
		return KS_PARSE_BAD_SECONDS;
	if (status != KS_PARSE_OK || value < KS_SECONDS_MIN)
		return KS_PARSE_SECONDS_RANGE;

	*seconds = (unsigned int)value;
	return KS_PARSE_OK;
}

/*
 * Parse one key=value option @word of an engage or tryengage into @cmd.
 * @seen has one bit per enumerated key already given. A word without '='
 * is not an option at all, so it is reported as an extra word.
 */
static enum ks_parse_status ks_parse_option(const char *base, size_t len,
					    const struct ks_word *word,
					    struct ks_command *cmd,
					    unsigned int *seen,
					    struct ks_parse_error *err)
{
	struct ks_word key = { word->start, 0 };
	struct ks_word value;
	size_t i;

	while (key.len < word->len && word->start[key.len] != '=')
		key.len++;
	if (key.len == word->len)
		return ks_fail(err, KS_PARSE_TRAILING_WORD, base, word->start,
			       (size_t)(base + len - word->start));
	value.start = word->start + key.len + 1;
	value.len = word->len - key.len - 1;

	if (ks_word_equals(&key, "allow")) {
		struct ks_span *span;

		if (cmd->allow_count == KS_ALLOW_MAX)
			return ks_fail_word(err, KS_PARSE_TOO_MANY_ALLOW, base,
					    word);
		if (value.len == 0 || value.start[0] != '/')
			return ks_fail_word(err, KS_PARSE_RELATIVE_PATH, base,
					    &value);
		span = &cmd->allow[cmd->allow_count];
		span->offset = (unsigned short)(value.start - base);
		span->length = (unsigned short)value.len;
		cmd->allow_count++;
		return KS_PARSE_OK;
	}

	for (i = 0; i < KS_ARRAY_SIZE(ks_enum_options); i++) {
		const struct ks_enum_option *option = &ks_enum_options[i];
		size_t v;

		if (!ks_word_equals(&key, option->key))
			continue;
		if (*seen & (1U << i))
			return ks_fail_word(err, KS_PARSE_DUPLICATE_OPTION,
					    base, word);
		if (cmd->verb == KS_VERB_TRYENGAGE &&
		    ks_enum_field(cmd, i) == &cmd->mode)
			return ks_fail_word(err, KS_PARSE_TRYENGAGE_MODE, base,
					    word);
		*seen |= 1U << i;

		for (v = 0; v < option->count; v++) {
			if (ks_word_equals(&value, option->names[v])) {
				*ks_enum_field(cmd, i) = (unsigned char)v;
				return KS_PARSE_OK;
			}
		}
		return ks_fail_word(err, option->bad_value, base, &value);
	}

	return ks_fail_word(err, KS_PARSE_UNKNOWN_OPTION, base, &key);
}

/* Return true if @word is an option with the key @key. */
static bool ks_word_has_key(const struct ks_word *word, const char *key)
{
	struct ks_word prefix = { word->start, 0 };

	while (key[prefix.len] != '\0' && prefix.len < word->len)
		prefix.len++;
	return prefix.len < word->len && word->start[prefix.len] == '=' &&
	       ks_word_equals(&prefix, key);
}

/* Parse the options of engage or tryengage, from offset @pos of @buf on. */
static enum ks_parse_status ks_parse_options(const char *buf, size_t len,
					     size_t pos, struct ks_command *cmd,
					     struct ks_parse_error *err)
{
	struct ks_word irq_word = { buf, 0 };
	enum ks_parse_status status;
	struct ks_word word;
	unsigned int seen = 0;

	while (ks_next_word(buf, len, &pos, &word)) {
		status = ks_parse_option(buf, len, &word, cmd, &seen, err);
		if (status != KS_PARSE_OK)
			return status;
		if (ks_word_has_key(&word, "irq"))
			irq_word = word;
	}

	/* Only a scoped engagement judges callers, so only it can pass some. */
	if (cmd->irq == KS_IRQ_PASS && cmd->scope == KS_SCOPE_ALL &&
	    cmd->allow_count == 0)
		return ks_fail_word(err, KS_PARSE_IRQ_WITHOUT_SCOPE, buf,
				    &irq_word);
	return KS_PARSE_OK;
}

/* The verbs and the number of positional words each takes, verb included. */
static const struct {
	const char *name;
	enum ks_verb verb;
	size_t words;
} ks_verbs[] = {
	{ "engage", KS_VERB_ENGAGE, 3 },
	{ "tryengage", KS_VERB_TRYENGAGE, 4 },
	{ "disengage", KS_VERB_DISENGAGE, 2 },
	{ "disengage_all", KS_VERB_DISENGAGE_ALL, 1 },
};

static void ks_command_clear(struct ks_command *cmd)
{
	cmd->symbol[0] = '\0';
	cmd->retval = 0;
	cmd->seconds = 0;
	cmd->scope = KS_SCOPE_ALL;
	cmd->mode = KS_MODE_ENFORCE;
	cmd->irq = KS_IRQ_BLOCK;
	cmd->allow_count = 0;
}

enum ks_parse_status ks_parse_command(const char *buf, size_t len,
				      struct ks_command *cmd,
				      struct ks_parse_error *err)
{
	enum ks_parse_status status;
	struct ks_word word;
	size_t expected = 0;
	size_t pos = 0;
	size_t i;

	status = ks_check_line(buf, len, &len, err);
	if (status != KS_PARSE_OK)
		return status;

	if (!ks_next_word(buf, len, &pos, &word))
		return ks_fail(err, KS_PARSE_EMPTY, buf, buf, len);

	for (i = 0; i < KS_ARRAY_SIZE(ks_verbs); i++) {
		if (ks_word_equals(&word, ks_verbs[i].name)) {
			cmd->verb = ks_verbs[i].verb;
			expected = ks_verbs[i].words;
			break;
		}
	}
	if (!expected)
		return ks_fail_word(err, KS_PARSE_UNKNOWN_VERB, buf, &word);
	ks_command_clear(cmd);

	if (expected >= 2) {
		if (!ks_next_word(buf, len, &pos, &word))
			return ks_fail(err, KS_PARSE_MISSING_SYMBOL, buf,
				       buf + len, 0);
		status = ks_parse_symbol(word.start, word.len, cmd->symbol);
		if (status != KS_PARSE_OK)
			return ks_fail_word(err, status, buf, &word);
	}

	if (expected >= 3) {
		if (!ks_next_word(buf, len, &pos, &word))
			return ks_fail(err, KS_PARSE_MISSING_RETVAL, buf,
				       buf + len, 0);
		status = ks_parse_retval(word.start, word.len, &cmd->retval);
		if (status != KS_PARSE_OK)
			return ks_fail_word(err, status, buf, &word);
	}

	if (expected >= 4) {
		if (!ks_next_word(buf, len, &pos, &word))
			return ks_fail(err, KS_PARSE_MISSING_SECONDS, buf,
				       buf + len, 0);
		status = ks_parse_seconds(&word, &cmd->seconds);
		if (status != KS_PARSE_OK)
			return ks_fail_word(err, status, buf, &word);
	}

	if (cmd->verb == KS_VERB_ENGAGE || cmd->verb == KS_VERB_TRYENGAGE)
		return ks_parse_options(buf, len, pos, cmd, err);

	if (ks_next_word(buf, len, &pos, &word))
		return ks_fail(err, KS_PARSE_TRAILING_WORD, buf, word.start,
			       (size_t)(buf + len - word.start));
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
	ks_command_clear(cmd);
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
		"empty command: write engage, tryengage, disengage or disengage_all",
	[KS_PARSE_TOO_LONG] =
		"command too long: a command is one line of at most 512 bytes",
	[KS_PARSE_BAD_BYTE] =
		"invalid byte: a command contains printable ASCII, spaces and tabs only",
	[KS_PARSE_EXTRA_LINE] =
		"more than one line: write one command per write",
	[KS_PARSE_UNKNOWN_VERB] =
		"unknown command: use engage, tryengage, disengage or disengage_all",
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
		"unexpected extra words: engage takes a symbol, a return value and key=value options, tryengage also takes seconds, disengage takes a symbol, disengage_all takes nothing",
	[KS_PARSE_MISSING_EQUALS] =
		"missing '=': write each engagement as symbol=retval, separated by commas",
	[KS_PARSE_MISSING_SECONDS] =
		"missing seconds: tryengage takes the observation time after the return value, as in 'tryengage af_alg_sendmsg -EPERM 60'",
	[KS_PARSE_BAD_SECONDS] =
		"invalid seconds: write a whole decimal number of seconds without a sign or leading zeros, such as 60",
	[KS_PARSE_SECONDS_RANGE] =
		"seconds out of range: the observation time of tryengage is 1 to 86400 seconds",
	[KS_PARSE_UNKNOWN_OPTION] =
		"unknown option: use scope=, allow=, mode= or irq=",
	[KS_PARSE_DUPLICATE_OPTION] =
		"duplicate option: give scope=, mode= and irq= at most once each",
	[KS_PARSE_BAD_SCOPE] =
		"invalid scope: use scope=all, scope=nonroot or scope=userns",
	[KS_PARSE_BAD_MODE] =
		"invalid mode: use mode=enforce or mode=observe",
	[KS_PARSE_BAD_IRQ] =
		"invalid irq: use irq=block or irq=pass",
	[KS_PARSE_TOO_MANY_ALLOW] =
		"too many allow options: give at most 8 allow= paths",
	[KS_PARSE_RELATIVE_PATH] =
		"allow path not absolute: give the full path of the executable, such as allow=/usr/sbin/cryptsetup",
	[KS_PARSE_IRQ_WITHOUT_SCOPE] =
		"irq=pass without a scope: add scope=nonroot, scope=userns or allow=, or drop irq=pass because an unscoped engagement blocks every call",
	[KS_PARSE_TRYENGAGE_MODE] =
		"tryengage takes no mode option: it observes for the given seconds and then enforces; use engage with mode=observe to only observe",
};

const char *ks_parse_status_message(enum ks_parse_status status)
{
	if ((size_t)status >= KS_ARRAY_SIZE(ks_status_messages) ||
	    !ks_status_messages[status])
		return "invalid command";
	return ks_status_messages[status];
}
