// SPDX-License-Identifier: GPL-2.0
/* ksctl catalog (list, show, check, lint) and ksctl mitigate. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "commands.h"
#include "engage.h"
#include "kernel_iface.h"
#include "output.h"
#include "preflight.h"

void usage_catalog(FILE *stream)
{
	fputs("Usage: ksctl catalog list [--catalog DIR] [--json]\n"
	      "       ksctl catalog show CVE [--catalog DIR] [--json]\n"
	      "       ksctl catalog check [CVE] [--catalog DIR] [--json]\n"
	      "       ksctl catalog lint [--catalog DIR] [--json]\n"
	      "\n"
	      "Read the mitigation catalog, one file per CVE. list prints one line per\n"
	      "entry; show prints an entry in full; check judges which entries apply to\n"
	      "the running kernel, by series, by version and by whether the engaged\n"
	      "functions exist, with the reason for each; lint checks every file and\n"
	      "exits 1 if one is invalid.\n"
	      "\n"
	      "  --catalog DIR  the catalog folder (default: catalog/ of the source\n"
	      "                 tree ksctl was built in, else " KSCTL_CATALOG_DIR ")\n"
	      "  --json         print the result as JSON\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

void usage_mitigate(FILE *stream)
{
	fputs("Usage: ksctl mitigate CVE [--scope all|nonroot|userns] [--force] [--dry-run]\n"
	      "                      [--yes] [--catalog DIR] [--json]\n"
	      "\n"
	      "Apply the catalog entry of CVE for the running kernel's series: run the\n"
	      "preflight of ksctl engage on every function of the entry, and engage\n"
	      "them all only if none is refused.\n"
	      "\n"
	      "  --scope S    engage with scope=S in place of the entry's scope: all\n"
	      "               callers, callers that are not root, or callers in a\n"
	      "               user namespace other than the initial one\n"
	      "  --force      apply even though catalog check finds the kernel fixed or\n"
	      "               older than the bug (preflight refusals still stop it)\n"
	      "  --dry-run    stop after the preflights\n"
	      "  --yes        do not ask for confirmation; required when standard input\n"
	      "               is not a terminal\n"
	      "  --catalog DIR  the catalog folder, as for ksctl catalog\n"
	      "  --json       print the report and the result as JSON\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * Load the catalog, reporting invalid files as warnings. Returns false,
 * with the error reported, if the folder does not exist.
 */
static bool load_catalog(struct output *out, const char *dir, struct ptr_array *entries)
{
	struct ptr_array problems = { 0 };
	size_t i;

	output_string(out, "catalog", "catalog", dir);
	if (!path_exists(dir)) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "catalog folder %s not found: install the catalog (make install in cli/) or pass --catalog DIR",
			     dir);
		return false;
	}
	catalog_load_dir(dir, entries, &problems);
	if (problems.count && output_is_json(out))
		output_string_array(out, "catalog_problems", NULL,
				    (const char *const *)problems.items, problems.count);
	for (i = 0; i < problems.count && !output_is_json(out); i++)
		fprintf(stderr, "ksctl: warning: %s; entry skipped (ksctl catalog lint)\n",
			(char *)problems.items[i]);
	ptr_array_free_all(&problems);
	return true;
}

/* Return the proof of @block as one phrase. */
static char *describe_proof(const struct catalog_series *block)
{
	return block->proof ? xasprintf("proved by %s", block->proof) :
			      xasprintf("unproved: %s", block->unproved);
}

static void print_series(struct output *out, const struct catalog_series *block)
{
	size_t i;

	output_object_begin(out, NULL, NULL);
	output_string(out, "series", "series", block->series);
	output_string(out, "introduced", "introduced", block->introduced);
	output_string(out, "fixed", "fixed", block->fixed);
	output_string(out, "debian_fixed", "Debian fixed", block->debian_fixed);
	output_array_begin(out, "engagements", "engage");
	for (i = 0; i < block->engagements.count; i++) {
		const struct catalog_engagement *engagement = block->engagements.items[i];

		output_object_begin(out, NULL, NULL);
		output_string(out, "line", "engage", engagement->line);
		output_string(out, "symbol", NULL, engagement->symbol);
		output_string(out, "retval", NULL, engagement->retval);
		output_string(out, "options", NULL, engagement->options);
		output_object_end(out);
	}
	output_array_end(out);
	output_string_array(out, "paths", "closes", (const char *const *)block->paths.items,
			    block->paths.count);
	output_string(out, "why", "why", block->why);
	output_string(out, "proof", NULL, block->proof);
	output_string(out, "unproved", NULL, block->unproved);
	if (!output_is_json(out)) {
		char *proof = describe_proof(block);

		output_string(out, "proof_text", "proof", proof);
		free(proof);
	}
	output_object_end(out);
}

static void print_entry(struct output *out, const struct catalog_entry *entry)
{
	size_t i;

	output_string(out, "id", "id", entry->id);
	output_string(out, "name", "name", entry->name);
	output_string_array(out, "related", "related", (const char *const *)entry->related.items,
			    entry->related.count);
	output_string(out, "subsystem", "subsystem", entry->subsystem);
	output_string_array(out, "modules", "modules", (const char *const *)entry->modules.items,
			    entry->modules.count);
	output_string(out, "summary", "summary", entry->summary);
	output_string(out, "side_effects", "side effects", entry->side_effects);
	output_array_begin(out, "series", "series");
	for (i = 0; i < entry->series.count; i++)
		print_series(out, entry->series.items[i]);
	output_array_end(out);
	output_array_begin(out, "alternatives", "alternatives");
	for (i = 0; i < entry->alternatives.count; i++) {
		const struct catalog_alternative *alternative = entry->alternatives.items[i];

		output_object_begin(out, NULL, NULL);
		output_string(out, "method", "method", alternative->method);
		output_string(out, "when", "when better", alternative->when);
		output_object_end(out);
	}
	output_array_end(out);
	output_string_array(out, "sources", "sources", (const char *const *)entry->sources.items,
			    entry->sources.count);
}

static void list_entries(struct output *out, const struct ptr_array *entries)
{
	int name_width = (int)strlen("NAME");
	size_t i, j;

	/* Size the NAME column to the longest name, so that SUBSYSTEM lines up. */
	for (i = 0; i < entries->count; i++) {
		const struct catalog_entry *entry = entries->items[i];

		if ((int)strlen(entry->name) > name_width)
			name_width = (int)strlen(entry->name);
	}
	output_text(out, "%-16s %-10s %-*s %s\n", "CVE", "SERIES", name_width, "NAME",
		    "SUBSYSTEM");
	output_array_begin(out, "entries", NULL);
	for (i = 0; i < entries->count; i++) {
		const struct catalog_entry *entry = entries->items[i];
		char series[64] = "";

		output_object_begin(out, NULL, NULL);
		output_string(out, "id", NULL, entry->id);
		output_string(out, "name", NULL, entry->name);
		output_string(out, "subsystem", NULL, entry->subsystem);
		output_array_begin(out, "series", NULL);
		for (j = 0; j < entry->series.count; j++) {
			const struct catalog_series *block = entry->series.items[j];

			output_object_begin(out, NULL, NULL);
			output_string(out, "series", NULL, block->series);
			output_bool(out, "proved", NULL, block->proof != NULL);
			output_object_end(out);
			if (strlen(series) + strlen(block->series) + 3 < sizeof(series)) {
				strcat(series, j ? "," : "");
				strcat(series, block->series);
				strcat(series, block->proof ? "" : "?");
			}
		}
		output_array_end(out);
		output_object_end(out);
		output_text(out, "%-16s %-10s %-*s %s\n", entry->id, series, name_width,
			    entry->name, entry->subsystem);
	}
	output_array_end(out);
	output_text(out, "(a series marked ? has no VM proof; ksctl catalog show CVE says why)\n");
}

static void print_kernel(struct output *out, const struct running_kernel *kernel)
{
	output_object_begin(out, "kernel", NULL);
	output_string(out, "release", "kernel", kernel->release);
	output_string(out, "version", "version", kernel->version);
	output_string(out, "version_source", NULL, kernel->version_source);
	output_string(out, "debian_version", "Debian", kernel->debian_version);
	output_string(out, "series", "series", kernel->series);
	output_object_end(out);
}

/* Print the applicability of one entry. Returns an exit code. */
static int check_entry(const struct ksctl_env *env, struct output *out,
		       const struct catalog_entry *entry, const struct running_kernel *kernel)
{
	const struct catalog_series *block = catalog_series_of(entry, kernel->series);
	struct catalog_applicability result;
	char *error;
	int ret;

	ret = catalog_applicability(env, entry, kernel, &result, &error);
	if (ret != KSCTL_EXIT_OK) {
		output_error(out, ret, "%s: %s", entry->id, error);
		free(error);
		return ret;
	}
	output_object_begin(out, NULL, NULL);
	output_string(out, "id", NULL, entry->id);
	output_string(out, "name", NULL, entry->name);
	output_string(out, "status", NULL, catalog_status_name(result.status));
	output_string(out, "reason", NULL, result.reason);
	output_string(out, "proof", NULL, block ? block->proof : NULL);
	output_string(out, "unproved", NULL, block ? block->unproved : NULL);
	output_object_end(out);
	output_text(out, "%-16s %-12s %s\n", entry->id, catalog_status_name(result.status),
		    result.reason);
	if (block && !block->proof)
		output_text(out, "%-16s %-12s no VM proof on %s: %s\n", "", "", block->series,
			    block->unproved);
	free(result.reason);
	return KSCTL_EXIT_OK;
}

static int catalog_check(const struct ksctl_env *env, struct output *out,
			 const struct ptr_array *entries, const char *id)
{
	struct running_kernel kernel;
	size_t i;
	int ret = KSCTL_EXIT_OK;

	if (running_kernel_read(env, &kernel) < 0) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read the kernel release from %s/proc/sys/kernel/osrelease",
			     env->root);
		return KSCTL_EXIT_FAILED;
	}
	print_kernel(out, &kernel);
	output_array_begin(out, "entries", NULL);
	for (i = 0; i < entries->count && ret == KSCTL_EXIT_OK; i++) {
		const struct catalog_entry *entry = entries->items[i];

		if (!id || strcmp(entry->id, id) == 0)
			ret = check_entry(env, out, entry, &kernel);
	}
	output_array_end(out);
	running_kernel_free(&kernel);
	return ret;
}

static int catalog_lint(struct output *out, const char *dir)
{
	struct ptr_array entries = { 0 };
	struct ptr_array problems = { 0 };
	size_t files = catalog_load_dir(dir, &entries, &problems);
	size_t i;

	output_string(out, "catalog", "catalog", dir);
	output_uint(out, "files", "files", files);
	output_uint(out, "valid", "valid", entries.count);
	if (output_is_json(out))
		output_string_array(out, "problems", NULL, (const char *const *)problems.items,
				    problems.count);
	for (i = 0; i < problems.count; i++)
		output_text(out, "invalid: %s\n", (char *)problems.items[i]);
	if (files == 0 && problems.count == 0)
		ptr_array_push(&problems, xasprintf("%s: no *.json file", dir));
	i = problems.count;
	ptr_array_free_all(&problems);
	catalog_entries_free(&entries);
	return i ? KSCTL_EXIT_FAILED : KSCTL_EXIT_OK;
}

/* Check that @id looks like a CVE id; on failure report it and return false. */
static bool check_id_argument(const char *command, const char *id)
{
	if (catalog_valid_id(id))
		return true;
	fprintf(stderr, "ksctl %s: invalid CVE '%s': write it as CVE-YYYY-NNNN, such as CVE-2026-31431\n",
		command, id);
	return false;
}

int cmd_catalog(struct ksctl_env *env, int argc, char **argv)
{
	const char *catalog_option = NULL;
	const struct command_flag flags[] = {
		{ .name = "catalog", .takes_value = true, .text = &catalog_option },
	};
	struct ptr_array entries = { 0 };
	const struct catalog_entry *entry;
	char *positional[2];
	struct output *out;
	const char *action;
	size_t count;
	char *dir;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, sizeof(flags) / sizeof(flags[0]),
				 positional, 2, &count, usage_catalog);
	if (ret >= 0)
		return ret;
	action = count ? positional[0] : "";
	if (!(strcmp(action, "list") == 0 || strcmp(action, "lint") == 0 ||
	      strcmp(action, "show") == 0 || strcmp(action, "check") == 0)) {
		fprintf(stderr, "ksctl catalog: %s '%s'; use list, show, check or lint\n",
			count ? "unknown action" : "missing action", action);
		usage_catalog(stderr);
		return KSCTL_EXIT_USAGE;
	}
	if ((strcmp(action, "show") == 0 && count != 2) ||
	    ((strcmp(action, "list") == 0 || strcmp(action, "lint") == 0) && count != 1)) {
		fprintf(stderr, "ksctl catalog %s: %s\n", action,
			count == 2 ? "takes no CVE" : "missing CVE");
		usage_catalog(stderr);
		return KSCTL_EXIT_USAGE;
	}
	if (count == 2 && !check_id_argument("catalog", positional[1]))
		return KSCTL_EXIT_USAGE;

	dir = catalog_find_dir(catalog_option);
	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "catalog");
	output_string(out, "action", NULL, action);
	if (strcmp(action, "lint") == 0) {
		ret = catalog_lint(out, dir);
		output_finish(out);
		free(dir);
		return ret;
	}

	if (!load_catalog(out, dir, &entries)) {
		ret = KSCTL_EXIT_FAILED;
	} else if (count == 2 && !catalog_find(&entries, positional[1])) {
		output_error(out, KSCTL_EXIT_USAGE,
			     "no valid catalog entry for %s in %s; ksctl catalog list shows the entries",
			     positional[1], dir);
		ret = KSCTL_EXIT_USAGE;
	} else if (strcmp(action, "list") == 0) {
		list_entries(out, &entries);
		ret = KSCTL_EXIT_OK;
	} else if (strcmp(action, "show") == 0) {
		entry = catalog_find(&entries, positional[1]);
		print_entry(out, entry);
		ret = KSCTL_EXIT_OK;
	} else {
		ret = catalog_check(env, out, &entries, count == 2 ? positional[1] : NULL);
	}
	output_finish(out);
	catalog_entries_free(&entries);
	free(dir);
	return ret;
}

/*
 * Decide whether mitigate may go on after catalog check's verdict. Returns
 * -1 to go on, else the exit code.
 */
static int judge_applicability(const struct ksctl_env *env, struct output *out,
			       const struct catalog_entry *entry,
			       const struct running_kernel *kernel, bool force)
{
	struct catalog_applicability result;
	char *error;
	int ret;

	ret = catalog_applicability(env, entry, kernel, &result, &error);
	if (ret != KSCTL_EXIT_OK) {
		output_error(out, ret, "%s", error);
		free(error);
		return ret;
	}
	output_object_begin(out, "applicability", NULL);
	output_string(out, "status", "applicability", catalog_status_name(result.status));
	output_string(out, "reason", "reason", result.reason);
	output_object_end(out);

	ret = -1;
	if (!catalog_status_allows(result.status, force)) {
		ret = KSCTL_EXIT_REFUSED;
		if (catalog_status_allows(result.status, true))
			output_error(out, ret,
				     "not applied: %s does not apply to this kernel (%s); --force applies it anyway",
				     entry->id, result.reason);
		else
			output_error(out, ret, "not applied: %s: %s", entry->id, result.reason);
	} else if (result.status != CATALOG_APPLIES) {
		output_text(out, "note:    applying anyway, as --force asks\n");
	}
	free(result.reason);
	return ret;
}

/*
 * Accept the two preflight refusals that mitigate resolves itself. A
 * function that is already engaged is kept as it is, since entries may
 * share one. A function of a module that is not loaded gets a pending
 * engagement as MODULE:NAME, which the killswitch module arms when the
 * module loads. Any other refusal remains.
 */
static void accept_for_mitigate(struct preflight *pf, const char *symbol)
{
	bool other = false;
	size_t i;

	if (!pf->refused)
		return;
	for (i = 0; i < pf->findings.count; i++) {
		const struct finding *finding = pf->findings.items[i];

		if (finding->severity != SEVERITY_REFUSAL ||
		    strcmp(finding->code, "already-engaged") == 0)
			continue;
		if (strcmp(finding->code, "module-not-loaded") == 0 && strchr(symbol, ':'))
			continue;
		other = true;
	}
	if (other)
		return;
	pf->refused = false;
	if (!pf->target)
		pf->target = xstrdup(symbol);
}

/*
 * Run the preflight of every engagement of @block into @preflights and
 * print them. Returns -1 if none was refused, else the exit code.
 */
static int run_preflights(const struct ksctl_env *env, struct output *out,
			  const struct catalog_series *block, struct preflight *preflights)
{
	bool refused = false;
	size_t i;

	output_array_begin(out, "engagements", NULL);
	for (i = 0; i < block->engagements.count; i++) {
		const struct catalog_engagement *engagement = block->engagements.items[i];
		char *error;
		int ret;

		ret = preflight_run(env, engagement->symbol, engagement->retval, false,
				    &preflights[i], &error);
		if (ret == KSCTL_EXIT_OK)
			accept_for_mitigate(&preflights[i], engagement->symbol);
		if (ret != KSCTL_EXIT_OK) {
			output_array_end(out);
			output_error(out, ret, "%s", error);
			free(error);
			return ret;
		}
		output_object_begin(out, NULL, NULL);
		output_string(out, "line", "engagement", engagement->line);
		preflight_print(out, &preflights[i], env->root);
		output_object_end(out);
		refused |= preflights[i].refused;
	}
	output_array_end(out);
	if (refused) {
		output_error(out, KSCTL_EXIT_REFUSED,
			     "not applied: the preflight refused an engagement of the entry (see above); nothing was engaged");
		return KSCTL_EXIT_REFUSED;
	}
	return -1;
}

/* Return @symbol without its "module:" qualifier. */
static const char *plain_name(const char *symbol)
{
	const char *colon = strchr(symbol, ':');

	return colon ? colon + 1 : symbol;
}

/*
 * Return the engagement of @engaged on the function @target, or NULL. Two
 * entries may share an engagement, such as Copy Fail and CVE-2026-52972.
 */
static const struct engagement *find_engaged(const struct ptr_array *engaged, const char *target)
{
	size_t i;

	for (i = 0; i < engaged->count; i++) {
		const struct engagement *engagement = engaged->items[i];

		if (strcmp(plain_name(engagement->symbol), plain_name(target)) == 0)
			return engagement;
	}
	return NULL;
}

/*
 * Engage every function of @block after its preflight. A function that is
 * already engaged is kept as it is and reported.
 */
static int apply_block(const struct ksctl_env *env, struct output *out,
		       const struct catalog_series *block, const struct preflight *preflights,
		       const char *scope, bool dry_run, bool yes)
{
	struct ptr_array engaged = { 0 };
	size_t i;
	int ret = KSCTL_EXIT_OK;

	if (!dry_run && kernel_iface_present(env))
		kernel_iface_read_engaged(env, &engaged);
	output_array_begin(out, "results", NULL);
	for (i = 0; i < block->engagements.count && ret == KSCTL_EXIT_OK; i++) {
		char *options = catalog_engagement_options(block->engagements.items[i], scope);
		const struct engagement *existing = find_engaged(&engaged, preflights[i].target);

		output_object_begin(out, NULL, NULL);
		output_string(out, "symbol", NULL, preflights[i].target);
		output_string(out, "options", NULL, options);
		if (existing) {
			output_bool(out, "already_engaged", NULL, true);
			output_bool(out, "engaged", NULL, true);
			output_text(out, "result:  %s is already engaged with retval %lld; kept as it is\n",
				    preflights[i].target, existing->retval);
		} else {
			ret = engage_after_preflight(env, out, &preflights[i], options, dry_run, yes);
			if (ret != KSCTL_EXIT_OK || dry_run)
				output_bool(out, "engaged", NULL, false);
		}
		output_object_end(out);
		free(options);
	}
	output_array_end(out);
	engagements_free(&engaged);
	if (ret != KSCTL_EXIT_OK && i > 1)
		output_text(out, "note:    the engagements before the failed one stay; ksctl status lists them\n");
	return ret;
}

static bool valid_scope(const char *scope)
{
	return strcmp(scope, "all") == 0 || strcmp(scope, "nonroot") == 0 ||
	       strcmp(scope, "userns") == 0;
}

int cmd_mitigate(struct ksctl_env *env, int argc, char **argv)
{
	bool force = false, dry_run = false, yes = false;
	const char *catalog_option = NULL;
	const char *scope = NULL;
	const struct command_flag flags[] = {
		{ .name = "force", .value = &force },
		{ .name = "dry-run", .value = &dry_run },
		{ .name = "yes", .value = &yes },
		{ .name = "catalog", .takes_value = true, .text = &catalog_option },
		{ .name = "scope", .takes_value = true, .text = &scope },
	};
	struct ptr_array entries = { 0 };
	const struct catalog_series *block;
	const struct catalog_entry *entry;
	struct preflight *preflights = NULL;
	struct running_kernel kernel = { 0 };
	char *positional[1];
	struct output *out;
	size_t count, i;
	char *dir;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, sizeof(flags) / sizeof(flags[0]),
				 positional, 1, &count, usage_mitigate);
	if (ret >= 0)
		return ret;
	if (count == 0) {
		fputs("ksctl mitigate: missing CVE\n", stderr);
		usage_mitigate(stderr);
		return KSCTL_EXIT_USAGE;
	}
	if (!check_id_argument("mitigate", positional[0]))
		return KSCTL_EXIT_USAGE;
	if (scope && !valid_scope(scope)) {
		fprintf(stderr, "ksctl mitigate: invalid --scope '%s': use all, nonroot or userns\n",
			scope);
		return KSCTL_EXIT_USAGE;
	}

	dir = catalog_find_dir(catalog_option);
	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "mitigate");
	output_bool(out, "dry_run", NULL, dry_run);
	if (!load_catalog(out, dir, &entries)) {
		ret = KSCTL_EXIT_FAILED;
		goto out;
	}
	entry = catalog_find(&entries, positional[0]);
	if (!entry) {
		output_error(out, KSCTL_EXIT_USAGE,
			     "no valid catalog entry for %s in %s; ksctl catalog list shows the entries",
			     positional[0], dir);
		ret = KSCTL_EXIT_USAGE;
		goto out;
	}
	output_string(out, "id", "cve", entry->id);
	output_string(out, "name", "name", entry->name);
	if (running_kernel_read(env, &kernel) < 0) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read the kernel release from %s/proc/sys/kernel/osrelease",
			     env->root);
		ret = KSCTL_EXIT_FAILED;
		goto out;
	}
	print_kernel(out, &kernel);
	ret = judge_applicability(env, out, entry, &kernel, force);
	if (ret >= 0)
		goto out;

	block = catalog_series_of(entry, kernel.series);
	output_string(out, "side_effects", "side effects", entry->side_effects);
	preflights = xcalloc(block->engagements.count, sizeof(*preflights));
	ret = run_preflights(env, out, block, preflights);
	if (ret < 0)
		ret = apply_block(env, out, block, preflights, scope, dry_run, yes);
	for (i = 0; i < block->engagements.count; i++)
		preflight_free(&preflights[i]);
	free(preflights);
	if (ret == KSCTL_EXIT_OK)
		output_text(out, "result:  %s %s for series %s\n",
			    dry_run ? "dry run, nothing engaged for" : "applied", entry->id,
			    block->series);
out:
	output_bool(out, "applied", NULL, ret == KSCTL_EXIT_OK && !dry_run);
	output_finish(out);
	running_kernel_free(&kernel);
	catalog_entries_free(&entries);
	free(dir);
	return ret;
}
