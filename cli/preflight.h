/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The safety checks run before an engagement: where the function lives,
 * whether it can be probed, its compiler clones, and its return type with
 * the return value it allows and defaults to.
 */
#ifndef KSCTL_PREFLIGHT_H
#define KSCTL_PREFLIGHT_H

#include <stdbool.h>

#include "btf.h"
#include "output.h"
#include "util.h"

enum severity {
	SEVERITY_INFO,
	SEVERITY_WARNING,
	/* Blocks the engagement, unless the finding is forceable and --force. */
	SEVERITY_REFUSAL,
};

struct finding {
	enum severity severity;
	/* A stable identifier, such as "return-void", for scripts. */
	const char *code;
	/* One line. */
	char *reason;
	/* The command that fixes or follows up the finding, or NULL. */
	char *fix;
	/* Set if --force overrides this refusal. */
	bool forceable;
};

enum location_kind {
	LOCATION_BUILTIN,
	LOCATION_MODULE,
	LOCATION_MODULE_FILE,
	LOCATION_AMBIGUOUS,
	LOCATION_NOT_FOUND,
};

/* One definition of the function. */
struct site {
	/* NULL for the kernel image. */
	char *module;
	/* The module file for a module that is not loaded, else NULL. */
	char *path;
	/* From kallsyms; 0 for a module file or under kptr_restrict. */
	unsigned long long address;
};

struct preflight {
	/* SYMBOL as given, and split into module qualifier and name. */
	char *symbol;
	char *module;
	char *name;
	/* The symbol to write to the control file, or NULL. */
	char *target;

	enum location_kind location;
	/* struct site * */
	struct ptr_array sites;
	/* char *: compiler clones of the first site, such as name.isra.0. */
	struct ptr_array clones;

	bool have_type;
	struct return_type type;

	bool have_retval;
	long long retval;
	/* "argument" or "default". */
	const char *retval_source;

	/* struct finding * */
	struct ptr_array findings;
	bool refused;
	bool forced;
	/* Set when only the location checks ran (ksctl observe). */
	bool location_only;
};

/* The options of an engagement that the preflight checks. */
struct engage_options {
	/* The --scope and --irq values, or NULL for the defaults (all, block). */
	const char *scope;
	const char *irq;
	/* char *: the --allow paths, as given. */
	struct ptr_array allow;
};

/* The checks a command requests from the preflight. */
struct preflight_request {
	/* The command's name, for the report: "check", "engage" or "observe". */
	const char *command;
	const char *symbol;
	/* RETVAL as given, or NULL. */
	const char *retval_text;
	bool force;
	/*
	 * Check only where the function is and whether it can be probed, for
	 * observe mode, where the return value is never used.
	 */
	bool location_only;
	/* NULL for no options. */
	const struct engage_options *options;
};

/*
 * Run the preflight for @symbol and the optional @retval_text. Returns
 * KSCTL_EXIT_OK with @pf filled (refused or not), or another exit code with
 * a newly allocated message in @error: KSCTL_EXIT_USAGE for an invalid
 * SYMBOL or RETVAL, KSCTL_EXIT_FAILED if the kernel's symbol list cannot be
 * read.
 */
int preflight_run(const struct ksctl_env *env, const char *symbol,
		  const char *retval_text, bool force, struct preflight *pf,
		  char **error);

/* Run the preflight for @request; preflight_run() with the same results. */
int preflight_run_request(const struct ksctl_env *env,
			  const struct preflight_request *request,
			  struct preflight *pf, char **error);

/*
 * Start a command's report on @out with its name and run the preflight.
 * Returns KSCTL_EXIT_OK, or another exit code after reporting the error on
 * @out. Free @pf with preflight_free() in both cases.
 */
int preflight_start(const struct ksctl_env *env, struct output *out,
		    const struct preflight_request *request, struct preflight *pf);

void preflight_free(struct preflight *pf);

/* Print the preflight report; @root is stripped from the file paths shown. */
void preflight_print(struct output *out, const struct preflight *pf,
		     const char *root);

/* Describe @retval for a function of return type @kind, such as ERR_PTR(-EPERM). */
char *preflight_format_retval(long long retval, bool have_type, enum return_kind kind);

const char *severity_name(enum severity severity);

/* Print one finding as an array element. */
void finding_print(struct output *out, const struct finding *finding);

/* Append a new finding to @findings; @fix may be NULL. */
struct finding *finding_add(struct ptr_array *findings, enum severity severity,
			    const char *code, char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void findings_free(struct ptr_array *findings);

#endif /* KSCTL_PREFLIGHT_H */
