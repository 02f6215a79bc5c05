/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The declarative configuration that ksctl apply enforces, described in
 * killswitch.conf(5), and the state file in which apply records what it
 * engaged.
 */
#ifndef KSCTL_CONFIG_H
#define KSCTL_CONFIG_H

#include <stdbool.h>

#include "util.h"

/* Paths under ROOT. */
#define CONFIG_MAIN_FILE "/etc/killswitch/killswitch.conf"
#define CONFIG_DROPIN_DIR "/etc/killswitch.d"
#define APPLIED_STATE_FILE "/run/killswitch/applied"

enum config_kind {
	CONFIG_ENGAGE,
	CONFIG_MITIGATE,
};

/* One engage or mitigate line, after the merge of all files. */
struct config_entry {
	enum config_kind kind;
	/* SYMBOL for engage, the CVE identifier for mitigate. */
	char *name;
	/* The RETVAL word, or NULL to take the default from BTF. */
	char *retval;
	/* char *: the key=value words in the order written. */
	struct ptr_array options;
	/* The file without ROOT, and the line number from 1. */
	char *file;
	unsigned int line;
};

struct config {
	/* struct config_entry *, in the order of first appearance. */
	struct ptr_array entries;
};

/*
 * Parse the text of one configuration file named @file and merge its
 * entries into @cfg: an entry for a name that an earlier file set replaces
 * it, and a second entry for a name within one file is an error. Every
 * error is appended to @errors as a new string "FILE:LINE: MESSAGE".
 */
void config_parse_text(struct config *cfg, const char *file, const char *text,
		       struct ptr_array *errors);

/*
 * Read ROOT/etc/killswitch/killswitch.conf, then every ROOT/etc/
 * killswitch.d/NAME.conf in byte order of NAME, and merge them. Missing
 * files and folders are not errors. The drop-in @exclude (a path without
 * ROOT, or NULL) is skipped. The names read, without ROOT, are appended to
 * @files.
 */
void config_load(const struct ksctl_env *env, const char *exclude, struct config *cfg,
		 struct ptr_array *files, struct ptr_array *errors);

void config_free(struct config *cfg);

/*
 * Build the control command "engage TARGET RETVAL OPTION..." and check it
 * with the shared grammar. Returns the command, or NULL with a new message
 * that quotes the rejected word in @error.
 */
char *config_engage_command(const char *target, long long retval,
			    const struct ptr_array *options, char **error);

/* Return true if @a and @b name the same function: "mod:fn" matches "fn". */
bool config_same_function(const char *a, const char *b);

/*
 * Create the folder @path under ROOT with its parents, like mkdir -p.
 * Returns 0 or a negative errno.
 */
int config_mkdirs(const struct ksctl_env *env, const char *path);

/* One line of the state file: a control command that apply wrote. */
struct applied_record {
	/* The symbol as written to the control file. */
	char *symbol;
	/* The whole engage command. */
	char *command;
};

/*
 * Read the state file into @records (struct applied_record *). A missing
 * file is an empty list. Lines that the shared grammar rejects are
 * skipped and counted in the return value.
 */
int applied_read(const struct ksctl_env *env, struct ptr_array *records);

/* Replace the state file with @records. Returns 0 or a negative errno. */
int applied_write(const struct ksctl_env *env, const struct ptr_array *records);

void applied_free(struct ptr_array *records);

/* Return the option words of an engage command: everything after RETVAL. */
const char *applied_options(const char *command);

#endif /* KSCTL_CONFIG_H */
