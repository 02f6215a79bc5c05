/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mitigation catalog: one JSON file per CVE (docs/catalog-format.md),
 * read with json-c and checked field by field. Each engagement line goes
 * through the control grammar of common/ks_grammar.c, the parser the module
 * itself runs, so an entry the linter accepts is one the kernel accepts.
 */
#ifndef KSCTL_CATALOG_H
#define KSCTL_CATALOG_H

#include <stdbool.h>

#include "util.h"

/* Where make install puts the catalog; the Makefile sets it from PREFIX. */
#ifndef KSCTL_CATALOG_DIR
#define KSCTL_CATALOG_DIR "/usr/local/share/killswitch/catalog"
#endif

/* One engagement of a series: "SYMBOL RETVAL [OPTION...]". */
struct catalog_engagement {
	/* The line as written in the entry. */
	char *line;
	/* Its words: the symbol, the return value, and the options or NULL. */
	char *symbol;
	char *retval;
	char *options;
};

/* The part of an entry for one kernel series, such as 6.1. */
struct catalog_series {
	char *series;
	/* "X.Y" or "X.Y.Z" of the first affected release, or "unknown". */
	char *introduced;
	/* "X.Y.Z" of the first fixed release of this series, or "unknown". */
	char *fixed;
	/* The first Debian package version with the fix, or "unknown". */
	char *debian_fixed;
	/* struct catalog_engagement * */
	struct ptr_array engagements;
	/* char *: the user-space paths into the bug that the engagements close. */
	struct ptr_array paths;
	char *why;
	/* The VM suite that proves the entry on this series, or NULL. */
	char *proof;
	/* The reason there is no proof, when proof is NULL. */
	char *unproved;
};

struct catalog_alternative {
	char *method;
	char *when;
};

struct catalog_entry {
	char *id;
	/* The file the entry was read from. */
	char *path;
	char *name;
	char *subsystem;
	char *summary;
	char *side_effects;
	/* char *: CVE ids of the same bug family, modules, and fact sources. */
	struct ptr_array related;
	struct ptr_array modules;
	struct ptr_array sources;
	/* struct catalog_alternative * */
	struct ptr_array alternatives;
	/* struct catalog_series * */
	struct ptr_array series;
};

/* The reference kernel series that entries may describe. */
extern const char *const catalog_known_series[];

/*
 * Find the catalog folder: @override if not NULL; else, for a ksctl run
 * from SOURCE/build/cli/ksctl, SOURCE/catalog if it exists; else
 * KSCTL_CATALOG_DIR, where make install puts it. Returns a new string.
 */
char *catalog_find_dir(const char *override);

/*
 * Read and check one entry file. Returns the entry, or NULL with every
 * problem found appended to @problems as "FILE: message" strings.
 */
struct catalog_entry *catalog_load_file(const char *path, struct ptr_array *problems);

/*
 * Read every *.json file of @dir, sorted by name, into @entries. Problems,
 * including an unreadable folder, go to @problems. Since each file must be
 * named after its id, no two valid entries share an id.
 * Returns the number of files read.
 */
size_t catalog_load_dir(const char *dir, struct ptr_array *entries,
			struct ptr_array *problems);

void catalog_entry_free(struct catalog_entry *entry);
void catalog_entries_free(struct ptr_array *entries);

/* Return the entry with @id, or NULL. */
struct catalog_entry *catalog_find(const struct ptr_array *entries, const char *id);

/* Return the block of @entry for @series, or NULL. */
struct catalog_series *catalog_series_of(const struct catalog_entry *entry,
					  const char *series);

/* Return true if @id is a CVE id: CVE-YYYY-NNNN with four or more digits. */
bool catalog_valid_id(const char *id);

/*
 * Compare two dotted versions numerically ("6.1.9" < "6.1.10"). Missing
 * parts count as 0. Returns <0, 0 or >0.
 */
int catalog_version_compare(const char *a, const char *b);

/*
 * Compare two Debian kernel package versions, UPSTREAM-REVISION, such as
 * 6.1.170-2 and 6.12.86-1~bpo12+1: the upstream parts numerically, then the
 * leading number of the revision. Returns <0, 0 or >0.
 */
int catalog_debian_version_compare(const char *a, const char *b);

/* The running kernel, as catalog check judges it. */
struct running_kernel {
	/* From ROOT/proc/sys/kernel/osrelease, such as 6.1.0-57-amd64. */
	char *release;
	/* Upstream version X.Y.Z, or NULL if it cannot be found. */
	char *version;
	/* The source of the version: "/proc/version" or "release". */
	const char *version_source;
	/* The Debian package version, such as 6.1.192-3, or NULL. */
	char *debian_version;
	/* "X.Y", or NULL. */
	char *series;
};

/*
 * Identify the running kernel. A distribution release such as Debian's
 * 6.1.0-57-amd64 does not carry the stable version, so the "Debian X.Y.Z"
 * of ROOT/proc/version comes first; else the release's leading X.Y.Z.
 * Returns 0, or a negative errno if osrelease cannot be read.
 */
int running_kernel_read(const struct ksctl_env *env, struct running_kernel *kernel);
void running_kernel_free(struct running_kernel *kernel);

enum catalog_status {
	/* The bug's code is present and no fix is known to be in the kernel. */
	CATALOG_APPLIES,
	/* The running version is at or after the series' fixed version. */
	CATALOG_FIXED,
	/* The running version is before the bug came in. */
	CATALOG_NOT_AFFECTED,
	/* The entry has no block for the running series. */
	CATALOG_NO_SERIES,
	/* A function the entry engages exists neither in the kernel nor in a module file. */
	CATALOG_NOT_BUILT,
};

struct catalog_applicability {
	enum catalog_status status;
	/* One sentence. */
	char *reason;
};

/* Return the stable name of @status, such as "applies" or "not-built". */
const char *catalog_status_name(enum catalog_status status);

/*
 * Judge whether @entry applies to @kernel, by series, by version and by
 * whether each engaged function exists (through the preflight's lookup in
 * kallsyms and the module files). Returns KSCTL_EXIT_OK, or another exit
 * code with a message in @error if a symbol list cannot be read.
 */
int catalog_applicability(const struct ksctl_env *env, const struct catalog_entry *entry,
			  const struct running_kernel *kernel,
			  struct catalog_applicability *result, char **error);

/*
 * Return true if mitigate may apply an entry with verdict @status: it
 * applies, or @force is set and the kernel is fixed or older than the bug.
 * A missing series or function is never overridden.
 */
bool catalog_status_allows(enum catalog_status status, bool force);

/*
 * Return the options of @engagement as one string of words, with its
 * scope= option replaced by scope=@scope (NULL keeps it), or NULL if there
 * are none.
 */
char *catalog_engagement_options(const struct catalog_engagement *engagement,
				 const char *scope);

/*
 * Expand @entry for the running @kernel into the engagements of its block
 * for the kernel's series: new struct catalog_engagement * appended to
 * @engagements, with options as catalog_engagement_options() returns them
 * for @scope. @result gets catalog check's verdict. Returns KSCTL_EXIT_OK;
 * KSCTL_EXIT_REFUSED, appending nothing, if catalog_status_allows() rejects
 * the verdict for @force; or another exit code with a message in @error if
 * a symbol list cannot be read.
 */
int catalog_expand(const struct ksctl_env *env, const struct catalog_entry *entry,
		   const struct running_kernel *kernel, const char *scope, bool force,
		   struct catalog_applicability *result, struct ptr_array *engagements,
		   char **error);

/* Free the struct catalog_engagement * of @engagements and empty it. */
void catalog_engagements_free(struct ptr_array *engagements);

#endif /* KSCTL_CATALOG_H */
