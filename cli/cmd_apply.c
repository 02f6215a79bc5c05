// SPDX-License-Identifier: GPL-2.0
/*
 * ksctl apply: make the engagements match the configuration files. ksctl
 * save: write the engagements that no configuration covers into a drop-in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "commands.h"
#include "config.h"
#include "kernel_iface.h"
#include "ks_grammar.h"
#include "output.h"
#include "preflight.h"

#define DEFAULT_SAVE_NAME "50-saved.conf"

void usage_apply(FILE *stream)
{
	fputs("Usage: ksctl apply [--dry-run] [--catalog DIR] [--json]\n"
	      "       ksctl apply --modprobe-conf [--catalog DIR]\n"
	      "\n"
	      "Read /etc/killswitch/killswitch.conf and /etc/killswitch.d/*.conf (see\n"
	      "killswitch.conf(5)), run the preflight on every entry, then engage what\n"
	      "is missing, change what differs, and disengage what an earlier apply\n"
	      "engaged and the files no longer list. Engagements made by hand are\n"
	      "never disengaged. One invalid or refused entry rejects the whole\n"
	      "configuration, and nothing changes. A mitigate line engages the\n"
	      "functions of its catalog entry for the running kernel's series.\n"
	      "\n"
	      "  --dry-run        print the plan and change nothing; exits 5 if apply\n"
	      "                   would change something, 0 if not\n"
	      "  --catalog DIR    the catalog folder for mitigate lines, as for\n"
	      "                   ksctl catalog\n"
	      "  --modprobe-conf  print the configuration as an options line for\n"
	      "                   /etc/modprobe.d, for kernels under lockdown\n"
	      "  --json           print the plan and the result as JSON\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

void usage_save(FILE *stream)
{
	fputs("Usage: ksctl save [NAME] [--catalog DIR] [--json]\n"
	      "\n"
	      "Write every current engagement that no other configuration file lists\n"
	      "into the drop-in /etc/killswitch.d/NAME (default " DEFAULT_SAVE_NAME "),\n"
	      "replacing it, so that ksctl apply restores them after a reboot. A\n"
	      "mitigate line lists the functions of its catalog entry.\n"
	      "\n"
	      "  --catalog DIR    the catalog folder for mitigate lines, as for\n"
	      "                   ksctl catalog\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * One engagement after the preflight: what the kernel should have. An
 * engage line gives one, a mitigate line one per function of its entry.
 */
struct desired {
	const struct config_entry *entry;
	/* The symbol to write to the control file. */
	char *target;
	long long retval;
	/* char *: the option words of the control command. */
	struct ptr_array options;
	char *command;
	/* The engagement that matches it now, and apply's record of it. */
	const struct engagement *engaged;
	const struct applied_record *record;
};

enum action_kind {
	ACTION_DISENGAGE,
	ACTION_REENGAGE,
	ACTION_ENGAGE,
	ACTION_RETVAL,
};

static const char *const action_names[] = {
	[ACTION_DISENGAGE] = "disengage",
	[ACTION_REENGAGE] = "reengage",
	[ACTION_ENGAGE] = "engage",
	[ACTION_RETVAL] = "retval",
};

struct action {
	enum action_kind kind;
	/* The symbol as the engaged file lists it, or the target to engage. */
	const char *symbol;
	/* NULL for ACTION_DISENGAGE. */
	struct desired *desired;
	/* For ACTION_DISENGAGE: the record of the engagement to remove. */
	const struct applied_record *record;
	bool done;
	char *error;
};

static void desired_free(struct ptr_array *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		struct desired *d = list->items[i];

		free(d->target);
		free(d->command);
		ptr_array_free_all(&d->options);
	}
	ptr_array_free_all(list);
}

static void actions_free(struct ptr_array *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(((struct action *)list->items[i])->error);
	ptr_array_free_all(list);
}

/*
 * Return true if a refusal stops apply. Two do not: the function is already
 * engaged (apply compares it instead), and the function is in a module
 * that is not loaded (apply arms a pending engagement on MODULE:SYMBOL).
 */
static bool blocks_apply(const struct finding *finding)
{
	return finding->severity == SEVERITY_REFUSAL &&
	       strcmp(finding->code, "already-engaged") != 0 &&
	       strcmp(finding->code, "module-not-loaded") != 0;
}

/*
 * Append one "FILE:LINE: LABEL refused by the preflight: REASON" error per
 * blocking refusal.
 */
static bool add_refusals(const struct preflight *pf, const struct config_entry *entry,
			 const char *label, struct ptr_array *refusals)
{
	bool refused = false;
	size_t i;

	for (i = 0; i < pf->findings.count; i++) {
		const struct finding *finding = pf->findings.items[i];

		if (!blocks_apply(finding))
			continue;
		refused = true;
		ptr_array_push(refusals, xasprintf("%s:%u: %s refused by the preflight: %s%s%s",
						   entry->file, entry->line, label,
						   finding->reason, finding->fix ? "; fix: " : "",
						   finding->fix ? finding->fix : ""));
	}
	return refused;
}

/* The symbol to engage: the preflight's target, or MODULE:SYMBOL for a module file. */
static char *resolve_target(const struct preflight *pf)
{
	const struct site *site;

	if (pf->target)
		return xstrdup(pf->target);
	if (pf->location != LOCATION_MODULE_FILE || pf->sites.count != 1)
		return NULL;
	site = pf->sites.items[0];
	return site->module ? xasprintf("%s:%s", site->module, pf->name) : NULL;
}

/*
 * Run the preflight on one engagement of @entry, SYMBOL with RETVAL (NULL
 * for the BTF default) and the option words @options, which it takes
 * over, and append it to @desired. @label names the engagement in
 * messages. Invalid engagements go to @errors, refused ones to @refusals.
 */
static void resolve_engagement(const struct ksctl_env *env, const struct config_entry *entry,
			       const char *label, const char *symbol, const char *retval,
			       struct ptr_array *options, struct ptr_array *desired,
			       struct ptr_array *errors, struct ptr_array *refusals)
{
	struct preflight pf;
	struct desired *d;
	char *message = NULL;
	char *target;
	int ret;

	ret = preflight_run(env, symbol, retval, false, &pf, &message);
	if (ret != KSCTL_EXIT_OK) {
		ptr_array_push(errors, xasprintf("%s:%u: %s", entry->file, entry->line, message));
		free(message);
		goto fail;
	}
	if (add_refusals(&pf, entry, label, refusals))
		goto fail;

	target = resolve_target(&pf);
	if (!target || !pf.have_retval) {
		ptr_array_push(refusals,
			       xasprintf("%s:%u: %s: the preflight found no %s; run ksctl check %s",
					 entry->file, entry->line, label,
					 target ? "return value" : "single function to engage",
					 symbol));
		free(target);
		goto fail;
	}

	d = xcalloc(1, sizeof(*d));
	d->entry = entry;
	d->target = target;
	d->retval = pf.retval;
	d->options = *options;
	*options = (struct ptr_array){ 0 };
	d->command = config_engage_command(target, pf.retval, &d->options, &message);
	preflight_free(&pf);
	if (!d->command) {
		ptr_array_push(errors, xasprintf("%s:%u: %s: %s", entry->file, entry->line, label,
						 message));
		free(message);
		ptr_array_free_all(&d->options);
		free(d->target);
		free(d);
		return;
	}
	ptr_array_push(desired, d);
	return;

fail:
	preflight_free(&pf);
	ptr_array_free_all(options);
}

/* The catalog and the running kernel, read for the first mitigate line. */
struct catalog_context {
	/* The folder from --catalog, or NULL for catalog_find_dir's default. */
	const char *option;
	bool loaded;
	char *dir;
	bool dir_found;
	/* struct catalog_entry * */
	struct ptr_array entries;
	/* Files that catalog lint would reject; their entries are missing. */
	struct ptr_array problems;
	bool kernel_read;
	struct running_kernel kernel;
};

static void catalog_context_load(const struct ksctl_env *env, struct catalog_context *catalog)
{
	if (catalog->loaded)
		return;
	catalog->loaded = true;
	catalog->dir = catalog_find_dir(catalog->option);
	catalog->dir_found = path_exists(catalog->dir);
	if (catalog->dir_found)
		catalog_load_dir(catalog->dir, &catalog->entries, &catalog->problems);
	catalog->kernel_read = running_kernel_read(env, &catalog->kernel) == 0;
}

static void catalog_context_free(struct catalog_context *catalog)
{
	free(catalog->dir);
	catalog_entries_free(&catalog->entries);
	ptr_array_free_all(&catalog->problems);
	if (catalog->kernel_read)
		running_kernel_free(&catalog->kernel);
}

/*
 * Split the options of a mitigate line: scope= replaces the scope of
 * each engagement, force=yes or force=no sets @force, and the other words
 * go to @extra. Returns false after adding an error for a bad force= value.
 */
static bool split_mitigate_options(const struct config_entry *entry, const char **scope,
				   bool *force, struct ptr_array *extra, struct ptr_array *errors)
{
	size_t i;

	*scope = NULL;
	*force = false;
	for (i = 0; i < entry->options.count; i++) {
		const char *word = entry->options.items[i];

		if (starts_with(word, "scope=")) {
			*scope = word + strlen("scope=");
		} else if (strcmp(word, "force=yes") == 0) {
			*force = true;
		} else if (strcmp(word, "force=no") == 0) {
			*force = false;
		} else if (starts_with(word, "force=")) {
			ptr_array_push(errors, xasprintf("%s:%u: mitigate %s: invalid '%s': write force=yes or force=no",
							 entry->file, entry->line, entry->name,
							 word));
			return false;
		} else {
			ptr_array_push(extra, (void *)word);
		}
	}
	return true;
}

/* Append the words of @text, separated by blanks, to @words as new strings. */
static void push_words(struct ptr_array *words, const char *text)
{
	char *copy = xstrdup(text);
	char *save;
	char *word;

	for (word = strtok_r(copy, " \t", &save); word; word = strtok_r(NULL, " \t", &save))
		ptr_array_push(words, xstrdup(word));
	free(copy);
}

/* Add the refusal of a mitigate line whose catalog verdict does not let it apply. */
static void reject_mitigate(const struct config_entry *entry,
			    const struct catalog_applicability *verdict,
			    struct ptr_array *refusals)
{
	const char *status = catalog_status_name(verdict->status);

	if (catalog_status_allows(verdict->status, true))
		ptr_array_push(refusals, xasprintf("%s:%u: mitigate %s: catalog check finds %s: %s; add force=yes to the line to apply it anyway, or remove the line",
						   entry->file, entry->line, entry->name, status,
						   verdict->reason));
	else
		ptr_array_push(refusals, xasprintf("%s:%u: mitigate %s: catalog check finds %s: %s; remove the line or write engage lines for this kernel",
						   entry->file, entry->line, entry->name, status,
						   verdict->reason));
}

/*
 * Expand a mitigate line into the engagements of its catalog entry for
 * the running kernel, each resolved like an engage line.
 */
static void resolve_mitigate(const struct ksctl_env *env, const struct config_entry *entry,
			     struct catalog_context *catalog, struct ptr_array *desired,
			     struct ptr_array *errors, struct ptr_array *refusals)
{
	struct catalog_applicability verdict = { 0 };
	struct ptr_array engagements = { 0 };
	struct ptr_array extra = { 0 };
	const struct catalog_entry *found;
	const char *scope;
	char *message = NULL;
	bool force;
	size_t i;
	int ret;

	if (!split_mitigate_options(entry, &scope, &force, &extra, errors))
		goto out;
	catalog_context_load(env, catalog);
	if (!catalog->dir_found) {
		ptr_array_push(errors, xasprintf("%s:%u: mitigate %s: catalog folder %s not found; install the catalog (make install in cli/) or pass --catalog DIR",
						 entry->file, entry->line, entry->name,
						 catalog->dir));
		goto out;
	}
	found = catalog_find(&catalog->entries, entry->name);
	if (!found) {
		ptr_array_push(errors, xasprintf("%s:%u: mitigate %s: no valid catalog entry for %s in %s%s; ksctl catalog list shows the entries",
						 entry->file, entry->line, entry->name, entry->name,
						 catalog->dir,
						 catalog->problems.count ?
							 " (ksctl catalog lint lists invalid files)" :
							 ""));
		goto out;
	}
	if (!catalog->kernel_read) {
		ptr_array_push(errors, xasprintf("%s:%u: mitigate %s: cannot read the kernel release from %s/proc/sys/kernel/osrelease",
						 entry->file, entry->line, entry->name,
						 env->root));
		goto out;
	}

	ret = catalog_expand(env, found, &catalog->kernel, scope, force, &verdict, &engagements,
			     &message);
	if (ret == KSCTL_EXIT_REFUSED) {
		reject_mitigate(entry, &verdict, refusals);
	} else if (ret != KSCTL_EXIT_OK) {
		ptr_array_push(errors, xasprintf("%s:%u: mitigate %s: %s", entry->file,
						 entry->line, entry->name, message));
		free(message);
	}
	free(verdict.reason);

	for (i = 0; i < engagements.count; i++) {
		const struct catalog_engagement *engagement = engagements.items[i];
		struct ptr_array options = { 0 };
		char *label = xasprintf("mitigate %s: %s", entry->name, engagement->symbol);
		size_t j;

		if (engagement->options)
			push_words(&options, engagement->options);
		for (j = 0; j < extra.count; j++)
			ptr_array_push(&options, xstrdup(extra.items[j]));
		resolve_engagement(env, entry, label, engagement->symbol, engagement->retval,
				   &options, desired, errors, refusals);
		free(label);
	}

out:
	catalog_engagements_free(&engagements);
	free(extra.items);
}

/* Copy the option words of an engage line. */
static void copy_options(const struct config_entry *entry, struct ptr_array *options)
{
	size_t i;

	for (i = 0; i < entry->options.count; i++)
		ptr_array_push(options, xstrdup(entry->options.items[i]));
}

/*
 * Reject two engagements of one function from different lines unless both
 * lines ask for the same control command. Two catalog entries may share a
 * function, so an identical later engagement is dropped.
 */
static void merge_duplicates(struct ptr_array *desired, struct ptr_array *errors)
{
	size_t i, j, kept = 0;

	for (i = 0; i < desired->count; i++) {
		struct desired *d = desired->items[i];
		struct desired *earlier = NULL;

		for (j = 0; j < kept && !earlier; j++) {
			struct desired *other = desired->items[j];

			if (config_same_function(other->target, d->target))
				earlier = other;
		}
		if (earlier && strcmp(earlier->command, d->command) != 0)
			ptr_array_push(errors, xasprintf("%s:%u: '%s' conflicts with '%s' from %s:%u for the same function; keep one of the lines",
							 d->entry->file, d->entry->line,
							 d->command, earlier->command,
							 earlier->entry->file, earlier->entry->line));
		if (earlier) {
			free(d->target);
			free(d->command);
			ptr_array_free_all(&d->options);
			free(d);
			continue;
		}
		desired->items[kept++] = d;
	}
	desired->count = kept;
}

/*
 * Run the preflight on every engagement of the configuration and fill
 * @desired. Invalid entries go to @errors, refused ones to @refusals.
 */
static void resolve_entries(const struct ksctl_env *env, const struct config *cfg,
			    const char *catalog_option, struct ptr_array *desired,
			    struct ptr_array *errors, struct ptr_array *refusals)
{
	struct catalog_context catalog = { .option = catalog_option };
	size_t i;

	for (i = 0; i < cfg->entries.count; i++) {
		const struct config_entry *entry = cfg->entries.items[i];
		struct ptr_array options = { 0 };

		if (entry->kind == CONFIG_MITIGATE) {
			resolve_mitigate(env, entry, &catalog, desired, errors, refusals);
			continue;
		}
		copy_options(entry, &options);
		resolve_engagement(env, entry, entry->name, entry->name, entry->retval, &options,
				   desired, errors, refusals);
	}
	merge_duplicates(desired, errors);
	catalog_context_free(&catalog);
}

static const struct applied_record *find_record(const struct ptr_array *records,
						const char *symbol)
{
	size_t i;

	for (i = 0; i < records->count; i++) {
		const struct applied_record *record = records->items[i];

		if (strcmp(record->symbol, symbol) == 0)
			return record;
	}
	return NULL;
}

static void add_action(struct ptr_array *actions, enum action_kind kind, const char *symbol,
		       struct desired *d, const struct applied_record *record)
{
	struct action *action = xcalloc(1, sizeof(*action));

	action->kind = kind;
	action->symbol = symbol;
	action->desired = d;
	action->record = record;
	ptr_array_push(actions, action);
}

/*
 * Compare the desired engagements with the engaged file and apply's
 * records, and list the actions, disengagements first.
 */
static void make_plan(struct ptr_array *desired, const struct ptr_array *engaged,
		      const struct ptr_array *records, struct ptr_array *actions)
{
	size_t i;
	size_t j;

	for (i = 0; i < records->count; i++) {
		const struct applied_record *record = records->items[i];
		bool configured = false;
		bool live = false;

		for (j = 0; j < desired->count; j++)
			configured |= config_same_function(
				((struct desired *)desired->items[j])->target, record->symbol);
		for (j = 0; j < engaged->count; j++)
			live |= strcmp(((struct engagement *)engaged->items[j])->symbol,
				       record->symbol) == 0;
		if (live && !configured)
			add_action(actions, ACTION_DISENGAGE, record->symbol, NULL, record);
	}

	for (i = 0; i < desired->count; i++) {
		struct desired *d = desired->items[i];

		for (j = 0; j < engaged->count && !d->engaged; j++) {
			const struct engagement *eng = engaged->items[j];

			if (config_same_function(eng->symbol, d->target))
				d->engaged = eng;
		}
		if (!d->engaged) {
			add_action(actions, ACTION_ENGAGE, d->target, d, NULL);
			continue;
		}

		/*
		 * Options are compared with apply's own record. The engaged
		 * file is not read for them, so an engagement made by hand
		 * is compared on its return value only.
		 */
		d->record = find_record(records, d->engaged->symbol);
		if (d->record && strcmp(applied_options(d->record->command),
					applied_options(d->command)) != 0)
			add_action(actions, ACTION_REENGAGE, d->engaged->symbol, d, d->record);
		else if (d->engaged->retval != d->retval)
			add_action(actions, ACTION_RETVAL, d->engaged->symbol, d, d->record);
	}
}

static char *write_error(int err, const char *what)
{
	return xasprintf("%s failed: %s", what, strerror(-err));
}

static void run_action(const struct ksctl_env *env, struct action *action)
{
	char *command = NULL;
	int err = 0;

	switch (action->kind) {
	case ACTION_DISENGAGE:
	case ACTION_REENGAGE:
		command = xasprintf("disengage %s", action->symbol);
		err = kernel_iface_write_control(env, command);
		/* Already gone is what disengage wants. */
		if (err == -ENOENT)
			err = 0;
		if (err)
			action->error = write_error(err, command);
		free(command);
		if (err || action->kind == ACTION_DISENGAGE)
			break;
		/* fallthrough */
	case ACTION_ENGAGE:
		err = kernel_iface_write_control(env, action->desired->command);
		if (err)
			action->error = write_error(err, action->desired->command);
		break;
	case ACTION_RETVAL:
		err = kernel_iface_write_retval(env, action->symbol, action->desired->retval);
		if (err) {
			command = xasprintf("writing %lld to fn/%s/retval",
					    action->desired->retval, action->symbol);
			action->error = write_error(err, command);
			free(command);
		}
		break;
	}
	action->done = err == 0;
}

static const struct action *action_of(const struct ptr_array *actions, const struct desired *d)
{
	size_t i;

	for (i = 0; i < actions->count; i++) {
		const struct action *action = actions->items[i];

		if (action->desired == d)
			return action;
	}
	return NULL;
}

static void push_record(struct ptr_array *records, const char *symbol, char *command)
{
	struct applied_record *record = xcalloc(1, sizeof(*record));

	record->symbol = xstrdup(symbol);
	record->command = command;
	ptr_array_push(records, record);
}

/*
 * Build the state file after the actions ran: what apply engaged now or
 * earlier and is still configured, and what it failed to disengage.
 */
static void next_records(const struct ptr_array *desired, const struct ptr_array *actions,
			 struct ptr_array *records)
{
	size_t i;

	for (i = 0; i < desired->count; i++) {
		const struct desired *d = desired->items[i];
		const struct action *action = action_of(actions, d);
		char *message = NULL;

		if (action && action->done &&
		    (action->kind == ACTION_ENGAGE || action->kind == ACTION_REENGAGE)) {
			push_record(records, d->target, xstrdup(d->command));
		} else if (d->record && action && action->done) {
			push_record(records, d->record->symbol,
				    config_engage_command(d->record->symbol, d->retval,
							  &d->options, &message));
		} else if (d->record) {
			push_record(records, d->record->symbol, xstrdup(d->record->command));
		}
		free(message);
	}
	for (i = 0; i < actions->count; i++) {
		const struct action *action = actions->items[i];

		if (action->kind == ACTION_DISENGAGE && !action->done)
			push_record(records, action->record->symbol,
				    xstrdup(action->record->command));
	}
}

/* Return the CVE of the mitigate line that @d comes from, or NULL. */
static const char *cve_of(const struct desired *d)
{
	return d->entry->kind == CONFIG_MITIGATE ? d->entry->name : NULL;
}

static void print_actions(struct output *out, const struct ptr_array *actions, bool dry_run)
{
	size_t i;

	output_array_begin(out, "actions", NULL);
	for (i = 0; i < actions->count; i++) {
		const struct action *action = actions->items[i];
		const struct desired *d = action->desired;
		const char *status = "failed";

		if (dry_run)
			status = "planned";
		else if (action->done)
			status = "done";

		output_object_begin(out, NULL, NULL);
		output_string(out, "action", NULL, action_names[action->kind]);
		output_string(out, "symbol", NULL, action->symbol);
		if (d) {
			output_int(out, "retval", NULL, d->retval);
			output_string(out, "control_command", NULL, d->command);
			output_string(out, "file", NULL, d->entry->file);
			output_int(out, "line", NULL, d->entry->line);
			output_string(out, "cve", NULL, cve_of(d));
		} else {
			output_null(out, "retval", NULL);
			output_string(out, "control_command", NULL, action->record->command);
			output_null(out, "file", NULL);
			output_null(out, "line", NULL);
			output_null(out, "cve", NULL);
		}
		output_bool(out, "manual", NULL, d && d->engaged && !d->record);
		output_string(out, "status", NULL, status);
		output_string(out, "error", NULL, action->error);
		output_object_end(out);

		if (d)
			output_text(out, "%-9s %-10s %s  (%s:%u%s%s)%s%s\n", status,
				    action_names[action->kind], action->symbol, d->entry->file,
				    d->entry->line, cve_of(d) ? ", mitigate " : "",
				    cve_of(d) ? cve_of(d) : "", action->error ? ": " : "",
				    action->error ? action->error : "");
		else
			output_text(out, "%-9s %-10s %s  (no longer configured)%s%s\n", status,
				    action_names[action->kind], action->symbol,
				    action->error ? ": " : "", action->error ? action->error : "");
	}
	output_array_end(out);
}

/* Print each message on its own line, in text mode on standard error. */
static void print_messages(struct output *out, const char *key, const struct ptr_array *list)
{
	size_t i;

	output_string_array(out, key, NULL, (const char *const *)list->items, list->count);
	if (output_is_json(out))
		return;
	for (i = 0; i < list->count; i++)
		fprintf(stderr, "ksctl apply: %s\n", (const char *)list->items[i]);
}

/* Print "options killswitch engage=..." for /etc/modprobe.d. */
static int print_modprobe_conf(struct output *out, const struct ptr_array *desired)
{
	struct ptr_array errors = { 0 };
	char *param = xstrdup("");
	size_t i;
	int ret = KSCTL_EXIT_OK;

	for (i = 0; i < desired->count; i++) {
		const struct desired *d = desired->items[i];
		char *entry = xasprintf("%s=%lld", d->target, d->retval);
		char *longer;

		if (d->options.count > 0) {
			ptr_array_push(&errors, xasprintf("%s:%u: %s has options, which the engage= module parameter cannot carry; remove them or engage at run time",
							  d->entry->file, d->entry->line,
							  d->target));
		} else if (ks_parse_param_entry(entry, strlen(entry), &(struct ks_command){ 0 },
						NULL) != KS_PARSE_OK) {
			ptr_array_push(&errors, xasprintf("%s:%u: '%s' is rejected by the module parameter grammar",
							  d->entry->file, d->entry->line, entry));
		}
		longer = xasprintf("%s%s%s", param, *param ? "," : "", entry);
		free(param);
		free(entry);
		param = longer;
	}

	if (errors.count > 0) {
		print_messages(out, "errors", &errors);
		output_error(out, KSCTL_EXIT_USAGE,
			     "the configuration cannot be written as a module parameter");
		ret = KSCTL_EXIT_USAGE;
	} else {
		output_string(out, "modprobe_conf", NULL, desired->count ? param : NULL);
		if (desired->count)
			output_text(out,
				    "# Written by ksctl apply --modprobe-conf from the killswitch configuration.\n"
				    "options killswitch engage=%s\n",
				    param);
		else
			output_text(out, "# The killswitch configuration has no engagement.\n");
	}
	ptr_array_free_all(&errors);
	free(param);
	return ret;
}

/* Reject runtime changes under lockdown, which the module refuses anyway. */
static bool locked_down(const struct ksctl_env *env, struct output *out)
{
	char *level = kernel_iface_lockdown(env);
	bool locked = level && strcmp(level, "none") != 0;

	if (locked)
		output_error(out, KSCTL_EXIT_NOT_READY,
			     "the kernel is locked down (%s), so the module rejects runtime engagements: write them into the engage= module parameter with ksctl apply --modprobe-conf > /etc/modprobe.d/killswitch.conf, rebuild the initramfs if it loads killswitch, and reboot",
			     level);
	free(level);
	return locked;
}

/* Run the plan; returns the exit code. */
static int execute_plan(const struct ksctl_env *env, struct output *out,
			const struct ptr_array *desired, struct ptr_array *actions)
{
	struct ptr_array records = { 0 };
	bool failed = false;
	size_t i;
	int err;

	for (i = 0; i < actions->count; i++) {
		struct action *action = actions->items[i];

		run_action(env, action);
		failed |= !action->done;
	}
	next_records(desired, actions, &records);
	err = applied_write(env, &records);
	applied_free(&records);
	if (err) {
		output_error(out, KSCTL_EXIT_FAILED, "cannot write %s%s: %s", env->root,
			     APPLIED_STATE_FILE, strerror(-err));
		return KSCTL_EXIT_FAILED;
	}
	if (failed) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "some actions failed (see above); the others were applied");
		return KSCTL_EXIT_FAILED;
	}
	return actions->count ? KSCTL_EXIT_CHANGED : KSCTL_EXIT_OK;
}

/*
 * Load the configuration and resolve its entries. Returns -1 when every
 * entry is valid, else the exit code after printing the errors.
 */
static int load_and_resolve(const struct ksctl_env *env, struct output *out,
			    const char *catalog_option, struct config *cfg,
			    struct ptr_array *desired)
{
	struct ptr_array refusals = { 0 };
	struct ptr_array errors = { 0 };
	struct ptr_array files = { 0 };
	int ret = -1;

	config_load(env, NULL, cfg, &files, &errors);
	output_string_array(out, "files", "files", (const char *const *)files.items, files.count);
	/* The valid entries are resolved too, so that one run lists every problem. */
	resolve_entries(env, cfg, catalog_option, desired, &errors, &refusals);

	if (errors.count > 0 || refusals.count > 0) {
		ret = errors.count > 0 ? KSCTL_EXIT_USAGE : KSCTL_EXIT_REFUSED;
		print_messages(out, "errors", &errors);
		print_messages(out, "refusals", &refusals);
		output_error(out, ret,
			     "the configuration was rejected with %zu error(s) and %zu refusal(s); nothing was changed",
			     errors.count, refusals.count);
	}
	ptr_array_free_all(&refusals);
	ptr_array_free_all(&errors);
	ptr_array_free_all(&files);
	return ret;
}

/*
 * Read the engaged file of the loaded module. Returns -1 on success, else
 * the exit code after reporting the error.
 */
static int read_engaged(const struct ksctl_env *env, struct output *out,
			struct ptr_array *engaged)
{
	int err;

	if (!kernel_iface_present(env)) {
		output_error(out, KSCTL_EXIT_NOT_READY,
			     "the killswitch module is not loaded (no /sys/kernel/security/killswitch/control): run modprobe killswitch first");
		return KSCTL_EXIT_NOT_READY;
	}
	err = kernel_iface_read_engaged(env, engaged);
	if (err) {
		output_error(out, KSCTL_EXIT_FAILED, "cannot read the engaged file: %s",
			     strerror(-err));
		return KSCTL_EXIT_FAILED;
	}
	return -1;
}

int cmd_apply(struct ksctl_env *env, int argc, char **argv)
{
	bool dry_run = false;
	bool modprobe_conf = false;
	const char *catalog_option = NULL;
	const struct command_flag flags[] = {
		{ .name = "dry-run", .value = &dry_run },
		{ .name = "modprobe-conf", .value = &modprobe_conf },
		{ .name = "catalog", .takes_value = true, .text = &catalog_option },
	};
	struct ptr_array desired = { 0 };
	struct ptr_array engaged = { 0 };
	struct ptr_array records = { 0 };
	struct ptr_array actions = { 0 };
	struct config cfg = { 0 };
	struct output *out;
	size_t count;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, sizeof(flags) / sizeof(flags[0]), NULL,
				 0, &count, usage_apply);
	if (ret >= 0)
		return ret;

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "apply");
	output_bool(out, "dry_run", NULL, dry_run);

	ret = load_and_resolve(env, out, catalog_option, &cfg, &desired);
	if (ret >= 0)
		goto out;
	if (modprobe_conf) {
		ret = print_modprobe_conf(out, &desired);
		goto out;
	}

	/*
	 * A dry run without the module plans against no engagement, so that
	 * a drift report on a host that has not loaded it yet exits 5, not 4.
	 */
	output_bool(out, "module_loaded", NULL, kernel_iface_present(env));
	if (dry_run && !kernel_iface_present(env)) {
		output_text(out, "the killswitch module is not loaded: apply would need modprobe killswitch first\n");
	} else {
		ret = read_engaged(env, out, &engaged);
		if (ret >= 0)
			goto out;
	}
	applied_read(env, &records);
	make_plan(&desired, &engaged, &records, &actions);

	if (!dry_run && actions.count > 0 && locked_down(env, out)) {
		ret = KSCTL_EXIT_NOT_READY;
		goto out;
	}
	if (dry_run)
		ret = actions.count ? KSCTL_EXIT_CHANGED : KSCTL_EXIT_OK;
	else
		ret = execute_plan(env, out, &desired, &actions);
	print_actions(out, &actions, dry_run);
	output_bool(out, "changed", NULL, actions.count > 0 && ret != KSCTL_EXIT_FAILED);
	if (actions.count == 0)
		output_text(out, "no change: the engagements match the configuration\n");
	else if (dry_run)
		output_text(out, "dry run: %zu change(s) planned, none made\n", actions.count);

out:
	actions_free(&actions);
	applied_free(&records);
	engagements_free(&engaged);
	desired_free(&desired);
	config_free(&cfg);
	output_finish(out);
	return ret;
}

/* Return true if @name is a plain drop-in file name: NAME.conf without a slash. */
static bool valid_dropin_name(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && name[0] != '.' && !strchr(name, '/') &&
	       strcmp(name + len - 5, ".conf") == 0;
}

/* Format @retval as the config file would: -EPERM where it is an errno. */
static char *retval_word(long long retval)
{
	const char *name = retval < 0 && retval >= -4095 ? ks_errno_name((int)-retval) : NULL;

	return name ? xasprintf("-%s", name) : xasprintf("%lld", retval);
}

/*
 * Return true if @entry lists the function @symbol. A mitigate line lists
 * the functions of its catalog entry's block for the running kernel's
 * series, whatever catalog check finds.
 */
static bool entry_covers(const struct ksctl_env *env, const struct config_entry *entry,
			 struct catalog_context *catalog, const char *symbol)
{
	const struct catalog_entry *found;
	const struct catalog_series *block;
	size_t i;

	if (entry->kind == CONFIG_ENGAGE)
		return config_same_function(entry->name, symbol);

	catalog_context_load(env, catalog);
	found = catalog_find(&catalog->entries, entry->name);
	block = found && catalog->kernel_read ? catalog_series_of(found, catalog->kernel.series) :
						NULL;
	for (i = 0; block && i < block->engagements.count; i++) {
		const struct catalog_engagement *engagement = block->engagements.items[i];

		if (config_same_function(engagement->symbol, symbol))
			return true;
	}
	return false;
}

static int write_saved(const char *path, const struct ptr_array *lines)
{
	char *temp = xasprintf("%s.new", path);
	FILE *stream = fopen(temp, "we");
	size_t i;
	int err = 0;

	if (!stream) {
		err = -errno;
		free(temp);
		return err;
	}
	fputs("# Written by ksctl save: the engagements that no other file listed.\n", stream);
	for (i = 0; i < lines->count; i++)
		fprintf(stream, "%s\n", (const char *)lines->items[i]);
	if (fclose(stream) != 0 || rename(temp, path) != 0) {
		err = -errno;
		unlink(temp);
	}
	free(temp);
	return err;
}

int cmd_save(struct ksctl_env *env, int argc, char **argv)
{
	struct ptr_array engaged = { 0 };
	struct ptr_array errors = { 0 };
	struct ptr_array files = { 0 };
	struct ptr_array lines = { 0 };
	struct catalog_context catalog = { 0 };
	const struct command_flag flags[] = {
		{ .name = "catalog", .takes_value = true, .text = &catalog.option },
	};
	struct config cfg = { 0 };
	const char *name = DEFAULT_SAVE_NAME;
	char *positional[1];
	struct output *out;
	char *file = NULL;
	char *path = NULL;
	size_t count;
	size_t i;
	int err;
	int ret;

	ret = parse_command_args(env, argc, argv, flags, sizeof(flags) / sizeof(flags[0]),
				 positional, 1, &count, usage_save);
	if (ret >= 0)
		return ret;
	if (count == 1)
		name = positional[0];
	if (!valid_dropin_name(name)) {
		fprintf(stderr,
			"ksctl save: invalid NAME '%s': give a file name that ends in .conf, without a folder, such as 60-incident.conf\n",
			name);
		return KSCTL_EXIT_USAGE;
	}

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "save");
	file = xasprintf(CONFIG_DROPIN_DIR "/%s", name);
	output_string(out, "file", "file", file);

	ret = read_engaged(env, out, &engaged);
	if (ret >= 0)
		goto out;

	/* Only the other files count: the saved file is replaced. */
	config_load(env, file, &cfg, &files, &errors);
	if (errors.count > 0) {
		ret = KSCTL_EXIT_USAGE;
		print_messages(out, "errors", &errors);
		output_error(out, ret, "fix the configuration first; nothing was saved");
		goto out;
	}

	for (i = 0; i < engaged.count; i++) {
		const struct engagement *eng = engaged.items[i];
		bool covered = false;
		size_t j;

		for (j = 0; j < cfg.entries.count; j++)
			covered |= entry_covers(env, cfg.entries.items[j], &catalog, eng->symbol);
		if (!covered) {
			char *word = retval_word(eng->retval);

			/*
			 * NOTE: the engaged file is read for the symbol and
			 * the return value only, so options such as scope=
			 * are not saved.
			 */
			ptr_array_push(&lines, xasprintf("engage %s %s", eng->symbol, word));
			free(word);
		}
	}

	path = root_path(env, file);
	err = config_mkdirs(env, CONFIG_DROPIN_DIR);
	if (!err)
		err = write_saved(path, &lines);
	if (err) {
		ret = KSCTL_EXIT_FAILED;
		output_error(out, ret, "cannot write %s: %s", path, strerror(-err));
		goto out;
	}
	output_string_array(out, "lines", NULL, (const char *const *)lines.items, lines.count);
	for (i = 0; i < lines.count; i++)
		output_text(out, "saved    %s\n", (const char *)lines.items[i]);
	output_text(out, "wrote %zu engagement(s) to %s\n", lines.count, file);
	ret = KSCTL_EXIT_OK;

out:
	ptr_array_free_all(&lines);
	ptr_array_free_all(&errors);
	ptr_array_free_all(&files);
	engagements_free(&engaged);
	catalog_context_free(&catalog);
	config_free(&cfg);
	free(path);
	free(file);
	output_finish(out);
	return ret;
}
