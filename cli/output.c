// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util.h"

#define OUTPUT_DEPTH_MAX 16

/* Width of the label column in text mode. */
#define LABEL_WIDTH 14

struct output {
	bool json;
	FILE *stream;
	/* JSON mode: the document and the open containers. */
	json_object *stack[OUTPUT_DEPTH_MAX];
	int depth;
	/* Text mode: indentation, and whether the next value starts an element. */
	int indent;
	bool element_start;
	bool in_array[OUTPUT_DEPTH_MAX];
	/* Text mode: whether the container at each depth indented its values. */
	bool indented[OUTPUT_DEPTH_MAX];
};

struct output *output_new(bool json, FILE *stream)
{
	struct output *out = xcalloc(1, sizeof(*out));

	out->json = json;
	out->stream = stream;
	if (json) {
		out->stack[0] = json_object_new_object();
		out->depth = 1;
	}
	return out;
}

bool output_is_json(const struct output *out)
{
	return out->json;
}

void output_finish(struct output *out)
{
	if (out->json && out->stack[0]) {
		fputs(json_object_to_json_string_ext(out->stack[0],
						     JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
		      out->stream);
		fputc('\n', out->stream);
		json_object_put(out->stack[0]);
	}
	fflush(out->stream);
	free(out);
}

/* Add @value to the innermost container: by @key, or appended to an array. */
static void json_add(struct output *out, const char *key, json_object *value)
{
	json_object *container = out->stack[out->depth - 1];

	if (json_object_is_type(container, json_type_array))
		json_object_array_add(container, value);
	else
		json_object_object_add(container, key, value);
}

static void text_line(struct output *out, const char *label, const char *value)
{
	int indent = out->indent;

	if (!label)
		return;
	if (out->element_start) {
		fprintf(out->stream, "%*s- ", indent - 2 > 0 ? indent - 2 : 0, "");
		out->element_start = false;
	} else {
		fprintf(out->stream, "%*s", indent, "");
	}
	if (value)
		fprintf(out->stream, "%-*s %s\n", LABEL_WIDTH, label, value);
	else
		fprintf(out->stream, "%s\n", label);
}

void output_string(struct output *out, const char *key, const char *label,
		   const char *value)
{
	if (out->json)
		json_add(out, key, value ? json_object_new_string(value) : NULL);
	else
		text_line(out, label, value ? value : "-");
}

void output_int(struct output *out, const char *key, const char *label,
		long long value)
{
	char text[32];

	if (out->json) {
		json_add(out, key, json_object_new_int64(value));
		return;
	}
	snprintf(text, sizeof(text), "%lld", value);
	text_line(out, label, text);
}

void output_uint(struct output *out, const char *key, const char *label,
		 unsigned long long value)
{
	char text[32];

	if (out->json) {
		json_add(out, key, json_object_new_uint64(value));
		return;
	}
	snprintf(text, sizeof(text), "%llu", value);
	text_line(out, label, text);
}

void output_double(struct output *out, const char *key, const char *label,
		   double value)
{
	char text[64];

	snprintf(text, sizeof(text), "%.2f", value);
	if (out->json)
		json_add(out, key, json_object_new_double_s(value, text));
	else
		text_line(out, label, text);
}

void output_bool(struct output *out, const char *key, const char *label,
		 bool value)
{
	if (out->json)
		json_add(out, key, json_object_new_boolean(value));
	else
		text_line(out, label, value ? "yes" : "no");
}

void output_null(struct output *out, const char *key, const char *label)
{
	output_string(out, key, label, NULL);
}

static void push(struct output *out, json_object *container, const char *key)
{
	if (out->depth >= OUTPUT_DEPTH_MAX) {
		fputs("ksctl: internal error: output nested too deeply\n", stderr);
		abort();
	}
	json_add(out, key, container);
	out->stack[out->depth++] = container;
}

void output_object_begin(struct output *out, const char *key, const char *label)
{
	if (out->json) {
		push(out, json_object_new_object(), key);
		return;
	}
	if (out->depth > 0 && out->in_array[out->depth - 1]) {
		/* An array element: its first value carries the "-" marker. */
		out->element_start = true;
		out->depth++;
		out->in_array[out->depth - 1] = false;
		out->indented[out->depth - 1] = false;
		return;
	}
	text_line(out, label, NULL);
	out->depth++;
	out->in_array[out->depth - 1] = false;
	/* An object without a label only groups values in JSON. */
	out->indented[out->depth - 1] = label != NULL;
	if (label)
		out->indent += 2;
}

void output_object_end(struct output *out)
{
	if (out->json) {
		out->depth--;
		return;
	}
	out->depth--;
	out->element_start = false;
	if (out->indented[out->depth])
		out->indent -= 2;
}

void output_array_begin(struct output *out, const char *key, const char *label)
{
	if (out->json) {
		push(out, json_object_new_array(), key);
		return;
	}
	text_line(out, label, NULL);
	out->depth++;
	out->in_array[out->depth - 1] = true;
	out->indented[out->depth - 1] = label != NULL;
	if (label)
		out->indent += 4;
}

void output_array_end(struct output *out)
{
	out->depth--;
	if (!out->json && out->indented[out->depth])
		out->indent -= 4;
}

void output_string_array(struct output *out, const char *key, const char *label,
			 const char *const *values, size_t count)
{
	size_t i;

	if (out->json) {
		json_object *array = json_object_new_array();

		for (i = 0; i < count; i++)
			json_object_array_add(array, json_object_new_string(values[i]));
		json_add(out, key, array);
		return;
	}
	if (!label)
		return;
	for (i = 0; i < count; i++)
		text_line(out, i == 0 ? label : "", values[i]);
}

void output_text(struct output *out, const char *fmt, ...)
{
	va_list ap;

	if (out->json)
		return;
	va_start(ap, fmt);
	vfprintf(out->stream, fmt, ap);
	va_end(ap);
}

void output_error(struct output *out, int exit_code, const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);

	if (out && out->json) {
		json_object *root = out->stack[0];

		json_object_object_add(root, "error", json_object_new_string(message));
		json_object_object_add(root, "exit_code", json_object_new_int(exit_code));
	} else {
		fprintf(stderr, "ksctl: %s\n", message);
	}
	free(message);
}
