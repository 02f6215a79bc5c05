/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookups in the symbol lists of the running kernel: /proc/kallsyms, the
 * ftrace filter list, the kprobe blacklist, the kprobe list and livepatch.
 * Every path is read under --root.
 */
#ifndef KSCTL_SYMBOLS_H
#define KSCTL_SYMBOLS_H

#include <stdbool.h>

#include "util.h"

/* One line of /proc/kallsyms. */
struct kallsyms_entry {
	char *name;
	/* NULL for a symbol built into the kernel image. */
	char *module;
	/* The kallsyms type letter: t and T are functions. */
	char type;
	unsigned long long address;
};

/* The definitions of one name, and of its compiler clones, in kallsyms. */
struct symbol_sites {
	/* struct kallsyms_entry *: functions with exactly the name. */
	struct ptr_array functions;
	/* struct kallsyms_entry *: data or other non-function symbols. */
	struct ptr_array others;
	/* struct kallsyms_entry *: clones such as name.isra.0. */
	struct ptr_array clones;
};

/*
 * Collect the definitions of @name (without a module prefix) and its clones
 * from ROOT/proc/kallsyms. Returns 0 or a negative errno if the file cannot
 * be read.
 */
int symbols_find(const struct ksctl_env *env, const char *name,
		 struct symbol_sites *sites);
void symbol_sites_free(struct symbol_sites *sites);

/*
 * Return true if @candidate is a compiler clone of @name: @name followed by
 * suffixes such as .isra.0, .constprop.0, .part.0, .cold or .lto_priv.0.
 * @cold is set if the last suffix is .cold, the out-of-line cold part of a
 * function's body that only the function itself jumps to.
 */
bool symbols_is_clone(const char *candidate, const char *name, bool *cold);

/*
 * Set found[i] for each of the @count names that ROOT/proc/kallsyms
 * defines. Returns 0 or a negative errno.
 */
int symbols_kallsyms_has(const struct ksctl_env *env, const char *const *names,
			 bool *found, size_t count);

/*
 * Look up @name of @module (NULL for built in) in available_filter_functions
 * under ROOT/sys/kernel/tracing or ROOT/sys/kernel/debug/tracing. Returns 0
 * with @found set, or a negative errno if neither file can be read.
 */
int symbols_has_ftrace_entry(const struct ksctl_env *env, const char *name,
			     const char *module, bool *found);

/*
 * Look up @name in ROOT/sys/kernel/debug/kprobes/blacklist. Returns 0 with
 * @found set, or a negative errno if the file cannot be read.
 */
int symbols_on_kprobe_blacklist(const struct ksctl_env *env, const char *name,
				const char *module, bool *found);

/*
 * Find a live patch under ROOT/sys/kernel/livepatch that replaces @name in
 * @module (NULL for the kernel image). Returns 0 and stores the patch's name
 * in @patch (NULL if none, otherwise to be freed).
 */
int symbols_find_livepatch(const struct ksctl_env *env, const char *name,
			   const char *module, char **patch);

/* How the kprobe on a function is installed, from debugfs. */
struct kprobe_state {
	bool listed;
	bool ftrace;
	bool optimized;
	bool disabled;
	bool gone;
};

/*
 * Read the state of the kprobe on @name from ROOT/sys/kernel/debug/kprobes/
 * list. Returns 0 with @state filled (state->listed false if there is no
 * such probe), or a negative errno if the list cannot be read.
 */
int symbols_kprobe_state(const struct ksctl_env *env, const char *name,
			 const char *module, struct kprobe_state *state);

/*
 * Read ROOT/sys/kernel/debug/kprobes/list whole into @list (to be freed), so
 * that a caller looking up many probes reads it once. Returns 0 or a
 * negative errno.
 */
int symbols_kprobe_list_read(const struct ksctl_env *env, char **list);

/* Look up the probe on @name in @list, as symbols_kprobe_state() does. */
void symbols_kprobe_state_in(const char *list, const char *name, const char *module,
			     struct kprobe_state *state);

#endif /* KSCTL_SYMBOLS_H */
