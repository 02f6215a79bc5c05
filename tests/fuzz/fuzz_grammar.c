// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the shared control grammar. Each input is parsed as a
 * control write, a module parameter entry and a retval file write, from a
 * buffer of exactly its size, so AddressSanitizer catches any read past the
 * end. Properties checked beyond memory safety:
 *  - an accepted command has a valid verb and a NUL-terminated symbol that
 *    the symbol parser accepts again;
 *  - its options are in range, and its allow spans lie inside the input
 *    and start with '/';
 *  - a rejected command reports an error span inside the input;
 *  - every status has a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ks_grammar.h"

static void check_error_span(const struct ks_parse_error *err, size_t size)
{
	if (err->offset > size || err->length > size - err->offset)
		abort();
	if (!ks_parse_status_message(err->status))
		abort();
}

static void check_options(const struct ks_command *cmd, const char *buf,
			  size_t size)
{
	if (cmd->scope > KS_SCOPE_USERNS || cmd->mode > KS_MODE_OBSERVE ||
	    cmd->irq > KS_IRQ_PASS || cmd->allow_count > KS_ALLOW_MAX)
		abort();
	if (cmd->irq == KS_IRQ_PASS && cmd->scope == KS_SCOPE_ALL &&
	    cmd->allow_count == 0)
		abort();

	for (size_t i = 0; i < cmd->allow_count; i++) {
		const struct ks_span *span = &cmd->allow[i];

		if (span->length == 0 || span->offset > size ||
		    span->length > size - span->offset ||
		    buf[span->offset] != '/')
			abort();
	}

	if (cmd->verb == KS_VERB_TRYENGAGE) {
		if (cmd->seconds < KS_SECONDS_MIN || cmd->seconds > KS_SECONDS_MAX ||
		    cmd->mode != KS_MODE_ENFORCE)
			abort();
	} else if (cmd->seconds != 0) {
		abort();
	}
}

static void check_command(const struct ks_command *cmd)
{
	char again[KS_SYMBOL_MAX + 1];
	size_t len = strnlen(cmd->symbol, sizeof(cmd->symbol));

	if (len == sizeof(cmd->symbol))
		abort();

	switch (cmd->verb) {
	case KS_VERB_DISENGAGE_ALL:
		if (len != 0)
			abort();
		return;
	case KS_VERB_ENGAGE:
	case KS_VERB_TRYENGAGE:
	case KS_VERB_DISENGAGE:
		if (ks_parse_symbol(cmd->symbol, len, again) != KS_PARSE_OK ||
		    strcmp(again, cmd->symbol) != 0)
			abort();
		return;
	}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct ks_parse_error err;
	struct ks_command cmd;
	long long retval;

	if (!buf)
		return 0;
	memcpy(buf, data, size);

	if (ks_parse_command(buf, size, &cmd, &err) == KS_PARSE_OK) {
		check_command(&cmd);
		check_options(&cmd, buf, size);
	} else {
		check_error_span(&err, size);
	}

	if (ks_parse_param_entry(buf, size, &cmd, &err) == KS_PARSE_OK) {
		if (cmd.verb != KS_VERB_ENGAGE)
			abort();
		check_command(&cmd);
	} else {
		check_error_span(&err, size);
	}

	if (ks_parse_retval_line(buf, size, &retval, &err) != KS_PARSE_OK)
		check_error_span(&err, size);

	free(buf);
	return 0;
}
