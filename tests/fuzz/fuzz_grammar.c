// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the shared control grammar. Each input is parsed as a
 * control write, a module parameter entry and a retval file write, from a
 * buffer of exactly its size, so AddressSanitizer catches any read past the
 * end. Properties checked beyond memory safety:
 *  - an accepted command has a valid verb and a NUL-terminated symbol that
 *    the symbol parser accepts again;
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

	if (ks_parse_command(buf, size, &cmd, &err) == KS_PARSE_OK)
		check_command(&cmd);
	else
		check_error_span(&err, size);

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
