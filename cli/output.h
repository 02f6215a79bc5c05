/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One output layer for text and JSON. A command describes its result as
 * nested objects and arrays of keyed values; in JSON mode they become one
 * JSON document on standard output (json-c), in text mode aligned
 * "label  value" lines.
 */
#ifndef KSCTL_OUTPUT_H
#define KSCTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct output;

struct output *output_new(bool json, FILE *stream);
/* Print the JSON document, if any, and free @out. */
void output_finish(struct output *out);
bool output_is_json(const struct output *out);

/*
 * Each value has a JSON @key and a text @label. A NULL @label hides the
 * value in text mode. A NULL string is JSON null and "-" in text.
 */
void output_string(struct output *out, const char *key, const char *label,
		   const char *value);
void output_int(struct output *out, const char *key, const char *label,
		long long value);
void output_uint(struct output *out, const char *key, const char *label,
		 unsigned long long value);
/* A number shown with two decimals, such as a rate. */
void output_double(struct output *out, const char *key, const char *label,
		   double value);
void output_bool(struct output *out, const char *key, const char *label,
		 bool value);
void output_null(struct output *out, const char *key, const char *label);

/* Nested object: in text mode a "label:" line, then indented values. */
void output_object_begin(struct output *out, const char *key, const char *label);
void output_object_end(struct output *out);

/*
 * Array of objects: each output_object_begin(out, NULL, NULL) inside adds
 * one element. In text mode the first value of an element is marked "-".
 */
void output_array_begin(struct output *out, const char *key, const char *label);
void output_array_end(struct output *out);

/* An array of strings. */
void output_string_array(struct output *out, const char *key, const char *label,
			 const char *const *values, size_t count);

/* Free-form text lines, shown only in text mode. */
void output_text(struct output *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Report an error: in JSON mode as {"error": MESSAGE, "exit_code": CODE}
 * on the output stream (unless a document was started, where it is added
 * as "error"), in text mode as "ksctl: MESSAGE" on standard error.
 */
void output_error(struct output *out, int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KSCTL_OUTPUT_H */
