// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "preflight.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel_iface.h"
#include "ks_grammar.h"
#include "modfiles.h"
#include "symbols.h"

/* The largest errno that ERR_PTR() encodes, MAX_ERRNO in linux/err.h. */
#define MAX_ERRNO 4095

/* The default return value of integer and pointer functions: -EPERM. */
#define DEFAULT_ERRNO_RETVAL (-1LL)

const char *severity_name(enum severity severity)
{
	switch (severity) {
	case SEVERITY_INFO:
		return "info";
	case SEVERITY_WARNING:
		return "warning";
	case SEVERITY_REFUSAL:
		return "refusal";
	}
	return "info";
}

struct finding *finding_add(struct ptr_array *findings, enum severity severity,
			    const char *code, char *fix, const char *fmt, ...)
{
	struct finding *finding = xcalloc(1, sizeof(*finding));
	va_list ap;

	finding->severity = severity;
	finding->code = code;
	finding->fix = fix;
	va_start(ap, fmt);
	finding->reason = xvasprintf(fmt, ap);
	va_end(ap);
	ptr_array_push(findings, finding);
	return finding;
}

void findings_free(struct ptr_array *findings)
{
	size_t i;

	for (i = 0; i < findings->count; i++) {
		struct finding *finding = findings->items[i];

		free(finding->reason);
		free(finding->fix);
	}
	ptr_array_free_all(findings);
}

static void sites_free(struct ptr_array *sites)
{
	size_t i;

	for (i = 0; i < sites->count; i++) {
		struct site *site = sites->items[i];

		free(site->module);
		free(site->path);
	}
	ptr_array_free_all(sites);
}

void preflight_free(struct preflight *pf)
{
	free(pf->symbol);
	free(pf->module);
	free(pf->name);
	free(pf->target);
	sites_free(&pf->sites);
	ptr_array_free_all(&pf->clones);
	return_type_free(&pf->type);
	findings_free(&pf->findings);
	memset(pf, 0, sizeof(*pf));
}

char *preflight_format_retval(long long retval, bool have_type, enum return_kind kind)
{
	const char *name = NULL;

	if (retval < 0 && retval >= -MAX_ERRNO)
		name = ks_errno_name((int)-retval);

	if (have_type && kind == RETURN_POINTER) {
		if (retval == 0)
			return xstrdup("NULL");
		if (name)
			return xasprintf("ERR_PTR(-%s)", name);
		return xasprintf("ERR_PTR(%lld)", retval);
	}
	if (have_type && kind == RETURN_BOOL && (retval == 0 || retval == 1))
		return xstrdup(retval ? "true" : "false");
	if (name)
		return xasprintf("-%s", name);
	return xasprintf("%lld", retval);
}

/* Return "MODULE:NAME", or NAME for the kernel image. */
static char *qualified(const char *module, const char *name)
{
	return module ? xasprintf("%s:%s", module, name) : xstrdup(name);
}

static void add_site(struct preflight *pf, const char *module, const char *path,
		     unsigned long long address)
{
	struct site *site = xcalloc(1, sizeof(*site));

	site->module = module ? xstrdup(module) : NULL;
	site->path = path ? xstrdup(path) : NULL;
	site->address = address;
	ptr_array_push(&pf->sites, site);
}

/* Return true if the kallsyms entry is in the place the qualifier names. */
static bool matches_qualifier(const struct kallsyms_entry *entry, const char *module)
{
	if (!module)
		return true;
	if (strcmp(module, "vmlinux") == 0)
		return entry->module == NULL;
	return entry->module && strcmp(entry->module, module) == 0;
}

/* Describe where the sites are, such as "the kernel image (2), module bridge". */
static char *describe_places(const struct ptr_array *sites)
{
	char *text = xstrdup("");
	size_t builtin = 0;
	size_t i;

	for (i = 0; i < sites->count; i++) {
		const struct site *site = sites->items[i];

		if (!site->module)
			builtin++;
	}
	if (builtin) {
		char *next = builtin > 1 ?
			xasprintf("the kernel image (%zu times)", builtin) :
			xstrdup("the kernel image");

		free(text);
		text = next;
	}
	for (i = 0; i < sites->count; i++) {
		const struct site *site = sites->items[i];
		char *next;

		if (!site->module)
			continue;
		next = xasprintf("%s%smodule %s", text, *text ? ", " : "", site->module);
		free(text);
		text = next;
	}
	return text;
}

/* The RETVAL word to put in suggested commands. */
static const char *suggested_retval(const char *retval_text)
{
	return retval_text ? retval_text : "RETVAL";
}

/*
 * Handle a name with several definitions. Qualifying with a module picks a
 * module's copy. Several copies in the kernel image, or in one module,
 * cannot be told apart by name: the kernel's kallsyms_lookup_name() returns
 * one of them, so --force may accept that.
 */
static void check_ambiguous(struct preflight *pf, const char *retval_text)
{
	char *places = describe_places(&pf->sites);
	const struct site *first = pf->sites.items[0];
	bool same_place = true;
	struct finding *finding;
	size_t i;

	for (i = 1; i < pf->sites.count; i++) {
		const struct site *site = pf->sites.items[i];

		if ((site->module == NULL) != (first->module == NULL) ||
		    (site->module && strcmp(site->module, first->module) != 0))
			same_place = false;
	}

	pf->location = LOCATION_AMBIGUOUS;
	if (same_place) {
		finding = finding_add(&pf->findings, SEVERITY_REFUSAL, "ambiguous-unqualifiable",
				      NULL,
				      "%s is defined %zu times in %s, and no qualifier tells them apart: the kernel engages whichever it looks up first",
				      pf->name, pf->sites.count,
				      first->module ? first->module : "the kernel image");
		finding->forceable = true;
		pf->target = qualified(first->module, pf->name);
	} else {
		const struct site *suggest = first;

		for (i = 0; i < pf->sites.count && !suggest->module; i++)
			suggest = pf->sites.items[i];
		finding_add(&pf->findings, SEVERITY_REFUSAL, "ambiguous",
			    xasprintf("ksctl engage %s:%s %s",
				      suggest->module ? suggest->module : "vmlinux",
				      pf->name, suggested_retval(retval_text)),
			    "%s is defined in %s; name one as MODULE:%s (vmlinux:%s for the kernel image)",
			    pf->name, places, pf->name, pf->name);
	}
	free(places);
}

/* Look the function up in the module files of a module that is not loaded. */
static int locate_in_module_files(const struct ksctl_env *env, struct preflight *pf,
				  char **error)
{
	struct ptr_array matches = { 0 };
	struct index_status status;
	char *release = kernel_release(env);
	int err;
	size_t i;

	if (!release) {
		*error = xasprintf("cannot read the kernel release from %s/proc/sys/kernel/osrelease: %s",
				   env->root, strerror(errno));
		return KSCTL_EXIT_FAILED;
	}

	err = modfiles_find_function(env, release, pf->name, pf->module, &matches, &status);
	if (err) {
		finding_add(&pf->findings, SEVERITY_INFO, "module-files-unreadable", NULL,
			    "cannot search the module files under /lib/modules/%s: %s",
			    release, strerror(-err));
	} else if (status.cache_error) {
		finding_add(&pf->findings, SEVERITY_INFO, "index-not-cached", NULL,
			    "the module symbol index was built but not cached (%s); pass --cache-dir to keep it",
			    status.cache_error);
	}

	for (i = 0; i < matches.count; i++) {
		const struct module_file_match *match = matches.items[i];

		add_site(pf, match->module, match->path, 0);
	}

	if (matches.count == 0) {
		pf->location = LOCATION_NOT_FOUND;
		if (pf->module)
			finding_add(&pf->findings, SEVERITY_REFUSAL, "not-found", NULL,
				    "module %s is not loaded with a function %s, and no module file under /lib/modules/%s defines it",
				    pf->module, pf->name, release);
		else
			finding_add(&pf->findings, SEVERITY_REFUSAL, "not-found", NULL,
				    "no function %s in /proc/kallsyms or in the %zu module files under /lib/modules/%s",
				    pf->name, status.module_files, release);
	} else if (matches.count == 1) {
		const struct module_file_match *match = matches.items[0];

		pf->location = LOCATION_MODULE_FILE;
		finding_add(&pf->findings, SEVERITY_REFUSAL, "module-not-loaded",
			    xasprintf("modprobe %s", match->module),
			    "%s is defined in module %s, which is not loaded (file %s)%s",
			    pf->name, match->module, match->path + strlen(env->root),
			    pf->location_only ?
			    "; a module that is not loaded has no calls to observe" : "");
	} else {
		char *places = describe_places(&pf->sites);

		pf->location = LOCATION_AMBIGUOUS;
		finding_add(&pf->findings, SEVERITY_REFUSAL, "ambiguous",
			    xasprintf("modprobe %s",
				      ((struct module_file_match *)matches.items[0])->module),
			    "%s is defined in the module files of %s, none loaded; load the one you mean and name it as MODULE:%s",
			    pf->name, places, pf->name);
		free(places);
	}

	module_file_matches_free(&matches);
	index_status_free(&status);
	free(release);
	return KSCTL_EXIT_OK;
}

/* Find the definitions of the function and set the location and target. */
static int locate(const struct ksctl_env *env, struct preflight *pf,
		  const char *retval_text, char **error)
{
	struct symbol_sites sites;
	size_t i;
	int err;

	err = symbols_find(env, pf->name, &sites);
	if (err) {
		*error = xasprintf("cannot read %s/proc/kallsyms: %s", env->root, strerror(-err));
		return KSCTL_EXIT_FAILED;
	}

	for (i = 0; i < sites.functions.count; i++) {
		const struct kallsyms_entry *entry = sites.functions.items[i];

		if (matches_qualifier(entry, pf->module))
			add_site(pf, entry->module, NULL, entry->address);
	}

	if (pf->sites.count == 1) {
		const struct site *site = pf->sites.items[0];

		pf->location = site->module ? LOCATION_MODULE : LOCATION_BUILTIN;
		/* A plain name reaches the only definition, and vmlinux: is ksctl's own. */
		pf->target = pf->module && site->module ? qualified(site->module, pf->name) :
							  xstrdup(pf->name);
	} else if (pf->sites.count > 1) {
		check_ambiguous(pf, retval_text);
	} else if (sites.others.count > 0 && matches_qualifier(sites.others.items[0], pf->module)) {
		const struct kallsyms_entry *entry = sites.others.items[0];

		pf->location = LOCATION_NOT_FOUND;
		finding_add(&pf->findings, SEVERITY_REFUSAL, "not-a-function", NULL,
			    "%s is a symbol of kallsyms type '%c', not a function", pf->name,
			    entry->type);
	} else if (pf->module && strcmp(pf->module, "vmlinux") == 0) {
		pf->location = LOCATION_NOT_FOUND;
		finding_add(&pf->findings, SEVERITY_REFUSAL, "not-found", NULL,
			    "the kernel image has no function %s", pf->name);
	} else {
		symbol_sites_free(&sites);
		return locate_in_module_files(env, pf, error);
	}

	/* Clones of the chosen definition, in the same module or image. */
	if (pf->sites.count >= 1) {
		const struct site *site = pf->sites.items[0];

		for (i = 0; i < sites.clones.count; i++) {
			const struct kallsyms_entry *clone = sites.clones.items[i];

			if ((clone->module == NULL) != (site->module == NULL) ||
			    (clone->module && strcmp(clone->module, site->module) != 0))
				continue;
			ptr_array_push(&pf->clones, xstrdup(clone->name));
		}
	}

	symbol_sites_free(&sites);
	return KSCTL_EXIT_OK;
}

/* The kprobe blacklist, live patches, the ftrace entry and engagements. */
static void check_probing(const struct ksctl_env *env, struct preflight *pf)
{
	const struct site *site = pf->sites.items[0];
	struct ptr_array engaged = { 0 };
	char *patch = NULL;
	bool found = false;
	size_t i;
	int err;

	err = symbols_on_kprobe_blacklist(env, pf->name, site->module, &found);
	if (err)
		finding_add(&pf->findings, SEVERITY_INFO, "blacklist-unreadable",
			    xstrdup("mount -t debugfs debugfs /sys/kernel/debug"),
			    "cannot read /sys/kernel/debug/kprobes/blacklist (%s), so the kprobe blacklist was not checked",
			    strerror(-err));
	else if (found)
		finding_add(&pf->findings, SEVERITY_REFUSAL, "kprobe-blacklisted", NULL,
			    "%s is on the kprobe blacklist: probing it could recurse into the kprobe handler, so the kernel rejects it",
			    pf->name);

	err = symbols_find_livepatch(env, pf->name, site->module, &patch);
	if (err)
		finding_add(&pf->findings, SEVERITY_INFO, "livepatch-unreadable", NULL,
			    "cannot read /sys/kernel/livepatch (%s), so live patches were not checked",
			    strerror(-err));
	else if (patch)
		finding_add(&pf->findings, SEVERITY_REFUSAL, "livepatched", NULL,
			    "%s is replaced by live patch %s, and a function takes only one user that changes the instruction pointer",
			    pf->name, patch);
	free(patch);

	found = false;
	err = symbols_has_ftrace_entry(env, pf->name, site->module, &found);
	if (err)
		finding_add(&pf->findings, SEVERITY_INFO, "ftrace-unreadable",
			    xstrdup("mount -t tracefs tracefs /sys/kernel/tracing"),
			    "cannot read available_filter_functions (%s), so the ftrace entry was not checked",
			    strerror(-err));
	else if (!found)
		finding_add(&pf->findings, SEVERITY_WARNING, "no-ftrace-entry", NULL,
			    "%s is not in available_filter_functions: the probe would be a breakpoint, which is slower, and functions without an ftrace entry are often excluded from tracing on purpose",
			    pf->name);

	if (kernel_iface_read_engaged(env, &engaged) == 0) {
		for (i = 0; i < engaged.count; i++) {
			const struct engagement *eng = engaged.items[i];

			if (strcmp(eng->symbol, pf->target) != 0)
				continue;
			finding_add(&pf->findings, SEVERITY_REFUSAL, "already-engaged",
				    xasprintf("ksctl disengage %s", eng->symbol),
				    "%s is already engaged with retval=%lld", eng->symbol,
				    eng->retval);
		}
	}
	engagements_free(&engaged);
}

/* Check that @retval fits a return type; returns a reason or NULL. */
static char *retval_misfit(long long retval, const struct return_type *type)
{
	unsigned int bits = (unsigned int)type->size * 8;

	switch (type->kind) {
	case RETURN_POINTER:
		if (retval == 0 || (retval < 0 && retval >= -MAX_ERRNO))
			return NULL;
		return xasprintf("a pointer return takes 0 (NULL) or an errno from -1 to -%d (ERR_PTR); any other value would be used as an address",
				 MAX_ERRNO);
	case RETURN_BOOL:
		if (retval == 0 || retval == 1)
			return NULL;
		return xstrdup("a bool return takes 0 (false) or 1 (true)");
	case RETURN_SIGNED:
		if (bits >= 64 || bits == 0)
			return NULL;
		if (retval >= -(1LL << (bits - 1)) && retval <= (1LL << (bits - 1)) - 1)
			return NULL;
		return xasprintf("a %u-bit signed return takes %lld to %lld", bits,
				 -(1LL << (bits - 1)), (1LL << (bits - 1)) - 1);
	case RETURN_UNSIGNED:
		if (retval < 0)
			return xasprintf("an unsigned return cannot be negative");
		if (bits >= 64 || bits == 0 || retval <= (long long)((1ULL << bits) - 1))
			return NULL;
		return xasprintf("a %u-bit unsigned return takes 0 to %llu", bits,
				 (1ULL << bits) - 1);
	case RETURN_VOID:
	case RETURN_AGGREGATE:
	case RETURN_OTHER:
		return NULL;
	}
	return NULL;
}

/* Explain a missing return type: a refusal without RETVAL, else a warning. */
static void report_unknown_type(struct preflight *pf, const char *why,
				const char *retval_text)
{
	if (retval_text)
		finding_add(&pf->findings, SEVERITY_WARNING, "no-btf", NULL,
			    "the return type is unknown (%s), so RETVAL %s is not checked against it",
			    why, retval_text);
	else
		finding_add(&pf->findings, SEVERITY_REFUSAL, "no-btf",
			    xasprintf("ksctl engage %s RETVAL", pf->symbol),
			    "the return type is unknown (%s), so there is no default RETVAL: give one",
			    why);
}

/* Choose the default return value for the type, and warn about it. */
static void apply_default(struct preflight *pf, const char *retval_text)
{
	const char *type = pf->type.c_type;
	long long fallback = DEFAULT_ERRNO_RETVAL;
	long long value;

	switch (pf->type.kind) {
	case RETURN_POINTER:
		value = pf->have_retval ? pf->retval : DEFAULT_ERRNO_RETVAL;
		if (value != 0) {
			char *text = preflight_format_retval(value, true, RETURN_POINTER);

			finding_add(&pf->findings, SEVERITY_WARNING, "pointer-return", NULL,
				    "%s returns %s; some callers test the result only for NULL and would use %s as an address: check them",
				    pf->name, type, text);
			free(text);
		}
		break;
	case RETURN_BOOL:
		fallback = 0;
		value = pf->have_retval ? pf->retval : 0;
		finding_add(&pf->findings, SEVERITY_WARNING, "bool-return", NULL,
			    "%s returns bool; confirm what %s means to its callers",
			    pf->name, value == 1 ? "true" : "false");
		break;
	case RETURN_SIGNED:
		break;
	case RETURN_UNSIGNED:
		if (!retval_text)
			finding_add(&pf->findings, SEVERITY_REFUSAL, "no-default-retval",
				    xasprintf("ksctl engage %s RETVAL", pf->symbol),
				    "%s returns the unsigned type %s, which has no error value to default to: give RETVAL",
				    pf->name, type);
		return;
	case RETURN_VOID:
	case RETURN_AGGREGATE:
	case RETURN_OTHER:
		return;
	}

	if (!pf->have_retval) {
		pf->retval = fallback;
		pf->have_retval = true;
		pf->retval_source = "default";
	}
}

static void check_return_type(const struct ksctl_env *env, struct preflight *pf,
			      const char *retval_text)
{
	const struct site *site = pf->sites.items[0];
	struct btf_location where = { 0 };
	char *misfit;
	char *why = NULL;
	int err;

	if (site->path)
		where.module_file = site->path;
	else
		where.module = site->module;

	err = btf_find_return_type(env, pf->name, &where, &pf->type, &why);
	if (err) {
		report_unknown_type(pf, why ? why : strerror(-err), retval_text);
		free(why);
		return;
	}
	if (pf->type.conflicting) {
		finding_add(&pf->findings, SEVERITY_WARNING, "btf-conflict", NULL,
			    "BTF has %u prototypes named %s with different return types",
			    pf->type.prototypes, pf->name);
		report_unknown_type(pf, "conflicting prototypes", retval_text);
		return;
	}
	pf->have_type = true;

	finding_add(&pf->findings, SEVERITY_INFO, "return-type", NULL,
		    "%s returns %s (%s, %zu bytes), from the BTF in %s", pf->name,
		    pf->type.c_type, return_kind_name(pf->type.kind), pf->type.size,
		    pf->type.source);

	if (pf->type.kind == RETURN_VOID) {
		struct finding *finding = finding_add(&pf->findings, SEVERITY_REFUSAL,
						      "void-return", NULL,
						      "%s returns void: its callers cannot see an error, and the side effects of its body, such as unlocking or freeing, are skipped",
						      pf->name);

		finding->forceable = true;
		if (!pf->have_retval) {
			/* With --force the return register value is unused. */
			pf->retval = 0;
			pf->have_retval = true;
			pf->retval_source = "default";
		}
		return;
	}
	if (pf->type.kind == RETURN_AGGREGATE || pf->type.kind == RETURN_OTHER) {
		finding_add(&pf->findings, SEVERITY_REFUSAL, "unsupported-return", NULL,
			    "%s returns %s, which one integer return register cannot produce",
			    pf->name, pf->type.c_type);
		return;
	}

	apply_default(pf, retval_text);
	if (!pf->have_retval)
		return;

	misfit = retval_misfit(pf->retval, &pf->type);
	if (misfit) {
		finding_add(&pf->findings, SEVERITY_REFUSAL, "retval-out-of-range", NULL,
			    "RETVAL %lld does not fit %s: %s", pf->retval, pf->type.c_type,
			    misfit);
		free(misfit);
	} else if (pf->type.kind == RETURN_SIGNED && pf->retval > 0) {
		finding_add(&pf->findings, SEVERITY_WARNING, "positive-retval", NULL,
			    "RETVAL %lld is positive: callers may read it as success or as a count of bytes",
			    pf->retval);
	}
}

/*
 * Report the compiler clones found by locate(), with the command that
 * engages each one with the same return value.
 */
static void report_clones(struct preflight *pf, const char *retval_text)
{
	const struct site *site = pf->sites.count ? pf->sites.items[0] : NULL;
	char *retval_word;
	size_t i;

	if (retval_text)
		retval_word = xstrdup(retval_text);
	else if (pf->have_retval)
		retval_word = preflight_format_retval(pf->retval, false, RETURN_SIGNED);
	else
		retval_word = xstrdup("RETVAL");

	for (i = 0; i < pf->clones.count; i++) {
		const char *clone = pf->clones.items[i];
		char *clone_target;
		bool cold = false;

		symbols_is_clone(clone, pf->name, &cold);
		if (cold) {
			finding_add(&pf->findings, SEVERITY_INFO, "cold-part", NULL,
				    "%s is the out-of-line cold part of a function body, entered only through the function, so the engagement covers it",
				    clone);
			continue;
		}
		clone_target = site && site->module && pf->module ?
			       qualified(site->module, clone) : xstrdup(clone);
		finding_add(&pf->findings, SEVERITY_WARNING, "clone",
			    xasprintf("ksctl engage %s %s", clone_target, retval_word),
			    "%s is a compiler clone of %s: calls that reach the clone are not intercepted",
			    clone, pf->name);
		free(clone_target);
	}
	free(retval_word);
}

static void settle(struct preflight *pf, bool force)
{
	size_t i;

	for (i = 0; i < pf->findings.count; i++) {
		const struct finding *finding = pf->findings.items[i];

		if (finding->severity != SEVERITY_REFUSAL)
			continue;
		if (finding->forceable && force)
			pf->forced = true;
		else
			pf->refused = true;
	}
	if (!pf->have_retval && !pf->refused && !pf->location_only) {
		/* A safety net: each path that leaves no return value should have added a refusal. */
		finding_add(&pf->findings, SEVERITY_REFUSAL, "no-retval", NULL,
			    "no RETVAL was given and none could be chosen");
		pf->refused = true;
	}
}

/*
 * Check the --allow paths under ROOT: the module resolves each one to an
 * inode when it engages, so each must exist and be an executable file.
 */
static void check_allow_paths(const struct ksctl_env *env, struct preflight *pf,
			      const struct ptr_array *allow)
{
	size_t i;

	for (i = 0; i < allow->count; i++) {
		const char *allowed = allow->items[i];
		char *path = root_path(env, allowed);
		struct stat st;

		if (stat(path, &st) != 0)
			finding_add(&pf->findings, SEVERITY_REFUSAL, "allow-not-found",
				    xstrdup("give the absolute path of an installed program, such as $(command -v NAME)"),
				    "--allow %s: %s", allowed, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			finding_add(&pf->findings, SEVERITY_REFUSAL, "allow-not-executable",
				    xstrdup("give the path of the program file itself"),
				    "--allow %s is not a regular file", allowed);
		else if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
			finding_add(&pf->findings, SEVERITY_REFUSAL, "allow-not-executable",
				    xasprintf("chmod +x %s, or give the path of the program", allowed),
				    "--allow %s is not executable", allowed);
		free(path);
	}
}

static void check_engage_options(const struct ksctl_env *env, struct preflight *pf,
				 const struct engage_options *options)
{
	bool scoped = (options->scope && strcmp(options->scope, "all") != 0) ||
		      options->allow.count > 0;

	check_allow_paths(env, pf, &options->allow);
	if (scoped && !(options->irq && strcmp(options->irq, "pass") == 0))
		finding_add(&pf->findings, SEVERITY_INFO, "irq-blocked", NULL,
			    "a call in interrupt or softirq context has no caller to judge, so this scoped engagement blocks it unless --irq pass");
}

int preflight_run(const struct ksctl_env *env, const char *symbol,
		  const char *retval_text, bool force, struct preflight *pf,
		  char **error)
{
	const struct preflight_request request = {
		.command = "check",
		.symbol = symbol,
		.retval_text = retval_text,
		.force = force,
	};

	return preflight_run_request(env, &request, pf, error);
}

int preflight_start(const struct ksctl_env *env, struct output *out,
		    const struct preflight_request *request, struct preflight *pf)
{
	char *error;
	int ret;

	output_string(out, "command", NULL, request->command);
	ret = preflight_run_request(env, request, pf, &error);
	if (ret != KSCTL_EXIT_OK) {
		output_error(out, ret, "%s", error);
		free(error);
	}
	return ret;
}

int preflight_run_request(const struct ksctl_env *env,
			  const struct preflight_request *request,
			  struct preflight *pf, char **error)
{
	const char *retval_text = request->retval_text;
	const char *symbol = request->symbol;
	char parsed[KS_SYMBOL_MAX + 1];
	enum ks_parse_status status;
	char *colon;
	int ret;

	memset(pf, 0, sizeof(*pf));
	*error = NULL;
	pf->location_only = request->location_only;

	status = ks_parse_symbol(symbol, strlen(symbol), parsed);
	if (status != KS_PARSE_OK) {
		*error = xasprintf("invalid SYMBOL '%s': %s", symbol,
				   ks_parse_status_message(status));
		return KSCTL_EXIT_USAGE;
	}
	if (retval_text) {
		status = ks_parse_retval(retval_text, strlen(retval_text), &pf->retval);
		if (status != KS_PARSE_OK) {
			*error = xasprintf("invalid RETVAL '%s': %s", retval_text,
					   ks_parse_status_message(status));
			return KSCTL_EXIT_USAGE;
		}
		pf->have_retval = true;
		pf->retval_source = "argument";
	}

	pf->symbol = xstrdup(parsed);
	colon = strchr(parsed, ':');
	if (colon) {
		*colon = '\0';
		pf->module = xstrdup(parsed);
		pf->name = xstrdup(colon + 1);
	} else {
		pf->name = xstrdup(parsed);
	}

	ret = locate(env, pf, retval_text, error);
	if (ret != KSCTL_EXIT_OK)
		return ret;

	if (pf->sites.count > 0 && pf->location != LOCATION_AMBIGUOUS) {
		if (pf->location != LOCATION_MODULE_FILE)
			check_probing(env, pf);
		if (!pf->location_only)
			check_return_type(env, pf, retval_text);
	} else if (pf->location == LOCATION_AMBIGUOUS && pf->target) {
		/* One place with several copies: check the copy the kernel takes. */
		check_probing(env, pf);
		if (!pf->location_only)
			check_return_type(env, pf, retval_text);
	}

	if (request->options)
		check_engage_options(env, pf, request->options);
	report_clones(pf, retval_text);
	settle(pf, request->force);
	return KSCTL_EXIT_OK;
}

static const char *location_name(enum location_kind kind)
{
	switch (kind) {
	case LOCATION_BUILTIN:
		return "builtin";
	case LOCATION_MODULE:
		return "module";
	case LOCATION_MODULE_FILE:
		return "module-file";
	case LOCATION_AMBIGUOUS:
		return "ambiguous";
	case LOCATION_NOT_FOUND:
		return "not-found";
	}
	return "not-found";
}

static char *describe_location(const struct preflight *pf)
{
	const struct site *site = pf->sites.count ? pf->sites.items[0] : NULL;

	switch (pf->location) {
	case LOCATION_BUILTIN:
		return xstrdup("built into the kernel image");
	case LOCATION_MODULE:
		return xasprintf("module %s (loaded)", site->module);
	case LOCATION_MODULE_FILE:
		return xasprintf("module %s (not loaded)", site->module);
	case LOCATION_AMBIGUOUS:
		return xasprintf("%zu definitions", pf->sites.count);
	case LOCATION_NOT_FOUND:
		return xstrdup("not found");
	}
	return xstrdup("not found");
}

void finding_print(struct output *out, const struct finding *finding)
{
	if (output_is_json(out)) {
		output_object_begin(out, NULL, NULL);
		output_string(out, "severity", NULL, severity_name(finding->severity));
		output_string(out, "code", NULL, finding->code);
		output_string(out, "reason", NULL, finding->reason);
		output_string(out, "fix", NULL, finding->fix);
		output_bool(out, "forceable", NULL, finding->forceable);
		output_object_end(out);
		return;
	}
	output_text(out, "  %-8s %s: %s%s\n", severity_name(finding->severity),
		    finding->code, finding->reason,
		    finding->forceable ? " (--force overrides)" : "");
	if (finding->fix)
		output_text(out, "  %-8s fix: %s\n", "", finding->fix);
}

static void print_sites(struct output *out, const struct preflight *pf, const char *root)
{
	size_t i;

	output_array_begin(out, "sites", NULL);
	for (i = 0; i < pf->sites.count; i++) {
		const struct site *site = pf->sites.items[i];
		const char *path = site->path ? site->path + strlen(root) : NULL;
		char address[32];

		snprintf(address, sizeof(address), "0x%llx", site->address);
		output_object_begin(out, NULL, NULL);
		output_string(out, "module", NULL, site->module);
		output_string(out, "path", NULL, path);
		output_string(out, "address", NULL, site->address ? address : NULL);
		output_object_end(out);

		if (pf->location != LOCATION_AMBIGUOUS)
			continue;
		if (site->path)
			output_text(out, "  %-14s module %s, file %s\n", i == 0 ? "definitions" : "",
				    site->module, path);
		else if (site->module)
			output_text(out, "  %-14s module %s at %s\n", i == 0 ? "definitions" : "",
				    site->module, address);
		else
			output_text(out, "  %-14s kernel image at %s\n", i == 0 ? "definitions" : "",
				    address);
	}
	output_array_end(out);
}

/* Print the return type and the return value of the engagement. */
static void print_return(struct output *out, const struct preflight *pf)
{
	output_object_begin(out, "return_type", NULL);
	if (pf->have_type) {
		const char *kind = return_kind_name(pf->type.kind);
		char *text = strcmp(pf->type.c_type, kind) == 0 ? xstrdup(kind) :
			     xasprintf("%s (%s)", pf->type.c_type, kind);

		output_string(out, "kind", NULL, return_kind_name(pf->type.kind));
		output_string(out, "c_type", "return type",
			      output_is_json(out) ? pf->type.c_type : text);
		output_uint(out, "size", NULL, pf->type.size);
		output_string(out, "btf", NULL, pf->type.source);
		free(text);
	} else {
		output_string(out, "kind", NULL, "unknown");
		output_string(out, "c_type", "return type", NULL);
		output_null(out, "size", NULL);
		output_null(out, "btf", NULL);
	}
	output_object_end(out);

	output_object_begin(out, "retval", NULL);
	if (pf->have_retval) {
		char *text = preflight_format_retval(pf->retval, pf->have_type, pf->type.kind);
		const char *how = strcmp(pf->retval_source, "default") != 0 ? "as given" :
				  pf->have_type && pf->type.kind == RETURN_VOID ?
				  "unused, since the function returns void" :
				  "default for the return type";
		char *label = xasprintf("%s (%lld, %s)", text, pf->retval, how);

		output_int(out, "value", NULL, pf->retval);
		output_string(out, "text", "retval", output_is_json(out) ? text : label);
		output_string(out, "source", NULL, pf->retval_source);
		free(label);
		free(text);
	} else {
		output_null(out, "value", NULL);
		output_string(out, "text", "retval", NULL);
		output_string(out, "source", NULL, "none");
	}
	output_object_end(out);
}

void preflight_print(struct output *out, const struct preflight *pf,
		     const char *root)
{
	char *location = describe_location(pf);
	size_t i;

	output_string(out, "symbol", "symbol", pf->symbol);
	output_string(out, "target", NULL, pf->target);

	output_object_begin(out, "location", NULL);
	output_string(out, "kind", NULL, location_name(pf->location));
	output_string(out, "description", "location", location);
	print_sites(out, pf, root);
	output_object_end(out);

	if (!pf->location_only)
		print_return(out, pf);

	output_text(out, "findings:\n");
	output_array_begin(out, "findings", NULL);
	for (i = 0; i < pf->findings.count; i++)
		finding_print(out, pf->findings.items[i]);
	output_array_end(out);

	output_bool(out, "refused", NULL, pf->refused);
	output_bool(out, "forced", NULL, pf->forced);
	free(location);
}
