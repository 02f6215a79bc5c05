// SPDX-License-Identifier: GPL-2.0
/*
 * ksctl: the admin command of killswitch. It runs a preflight of safety
 * checks on a kernel function, engages and disengages it through the
 * killswitch module's control file, and reports the state of the module
 * and of the kernel.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

#ifndef KSCTL_VERSION
#define KSCTL_VERSION "0.1"
#endif

struct command {
	const char *name;
	int (*run)(struct ksctl_env *env, int argc, char **argv);
	void (*usage)(FILE *stream);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, usage_check,
	  "run the preflight on a function and report it" },
	{ "engage", cmd_engage, usage_engage,
	  "run the preflight, then make a function return a fixed value" },
	{ "disengage", cmd_disengage, usage_disengage,
	  "restore one engaged function, or all of them" },
	{ "observe", cmd_observe, usage_observe,
	  "count the calls of a function for some seconds, without blocking them" },
	{ "status", cmd_status, usage_status,
	  "list the engagements with their return values and hits" },
	{ "doctor", cmd_doctor, usage_doctor,
	  "check whether this kernel can use killswitch, and what to fix" },
	{ "catalog", cmd_catalog, usage_catalog,
	  "list, show and check the CVE mitigation catalog" },
	{ "mitigate", cmd_mitigate, usage_mitigate,
	  "apply the catalog entry of a CVE to the running kernel" },
	{ "apply", cmd_apply, usage_apply,
	  "make the engagements match /etc/killswitch/killswitch.conf" },
	{ "save", cmd_save, usage_save,
	  "write the engagements that no file lists into a drop-in" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

void print_exit_codes(FILE *stream)
{
	fputs("Exit status:\n"
	      "  0  success; for check, the preflight found no refusal\n"
	      "  1  the operation failed, such as a write the kernel rejected\n"
	      "  2  usage error: an unknown option, or an invalid SYMBOL, RETVAL or\n"
	      "     option value\n"
	      "  2  usage error: an unknown option, or an invalid SYMBOL or RETVAL;\n"
	      "     for apply and save, an invalid configuration\n"
	      "  3  refused by the preflight (use check to see why)\n"
	      "  4  kernel not ready: the killswitch module is not loaded, or the\n"
	      "     kernel cannot run it (use doctor to see why); for apply, also\n"
	      "     lockdown, under which the module rejects runtime engagements\n"
	      "  5  apply changed an engagement (with --dry-run: would change one)\n",
	      stream);
}

static void usage(FILE *stream)
{
	size_t i;

	fputs("Usage: ksctl [--root PATH] [--cache-dir PATH] [--json] COMMAND [ARGS]\n"
	      "       ksctl --version | --help\n"
	      "\n"
	      "Commands:\n",
	      stream);
	for (i = 0; i < COMMAND_COUNT; i++)
		fprintf(stream, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  --root PATH       read /proc, /sys and /lib/modules under PATH\n"
	      "  --cache-dir PATH  folder of the module symbol index cache\n"
	      "                    (default ROOT/var/cache/ksctl)\n"
	      "  --json            print one JSON document on standard output\n"
	      "  --version         print the version of ksctl\n"
	      "  -h, --help        print this help; ksctl COMMAND --help for a command\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

static int repeated_option(const char *command, const char *option,
			   void (*command_usage)(FILE *))
{
	fprintf(stderr, "ksctl %s: option '%s' is given twice; give it once\n", command,
		option);
	command_usage(stderr);
	return KSCTL_EXIT_USAGE;
}

int parse_command_args(struct ksctl_env *env, int argc, char **argv,
		       const struct command_flag *flags, size_t flag_count,
		       char **positional, size_t max_positional, size_t *positional_count,
		       void (*command_usage)(FILE *))
{
	bool options_ended = false;
	int i;

	*positional_count = 0;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool known = false;
		size_t f;

		if (!options_ended && strcmp(arg, "--") == 0) {
			options_ended = true;
			continue;
		}
		if (!options_ended && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
			command_usage(stdout);
			return KSCTL_EXIT_OK;
		}
		if (options_ended || !starts_with(arg, "--")) {
			if (*positional_count == max_positional) {
				fprintf(stderr, "ksctl %s: unexpected argument '%s'\n", argv[0], arg);
				command_usage(stderr);
				return KSCTL_EXIT_USAGE;
			}
			positional[(*positional_count)++] = argv[i];
			continue;
		}

		if (strcmp(arg, "--json") == 0) {
			env->json = true;
			continue;
		}
		for (f = 0; f < flag_count && !known; f++) {
			size_t name_len = strlen(flags[f].name);
			const char *value;

			if (strncmp(arg + 2, flags[f].name, name_len) != 0)
				continue;
			if (arg[2 + name_len] == '\0' && !flags[f].takes_value) {
				*flags[f].value = true;
				known = true;
				continue;
			}
			if (!flags[f].takes_value ||
			    (arg[2 + name_len] != '\0' && arg[2 + name_len] != '='))
				continue;

			/* --name VALUE or --name=VALUE */
			if (arg[2 + name_len] == '=') {
				value = arg + 3 + name_len;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				fprintf(stderr, "ksctl %s: option '%s' needs a value\n", argv[0], arg);
				command_usage(stderr);
				return KSCTL_EXIT_USAGE;
			}
			if (flags[f].values)
				ptr_array_push(flags[f].values, (void *)value);
			else if (*flags[f].text)
				return repeated_option(argv[0], arg, command_usage);
			else
				*flags[f].text = value;
			known = true;
		}
		if (!known) {
			fprintf(stderr, "ksctl %s: unknown option '%s'\n", argv[0], arg);
			command_usage(stderr);
			return KSCTL_EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ksctl_env env = { .root = "" };
	char *cache_dir = NULL;
	char *root = NULL;
	size_t i;
	int opt;
	int ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			/* Drop a trailing slash so that ROOT + "/proc" has one. */
			free(root);
			root = xstrdup(optarg);
			while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
				root[strlen(root) - 1] = '\0';
			if (strcmp(root, "/") == 0)
				root[0] = '\0';
			break;
		case 'c':
			free(cache_dir);
			cache_dir = xstrdup(optarg);
			break;
		case 'j':
			env.json = true;
			break;
		case 'V':
			printf("ksctl %s\n", KSCTL_VERSION);
			return KSCTL_EXIT_OK;
		case 'h':
			usage(stdout);
			return KSCTL_EXIT_OK;
		default:
			fprintf(stderr, "ksctl: unknown option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return KSCTL_EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		fputs("ksctl: missing COMMAND\n", stderr);
		usage(stderr);
		return KSCTL_EXIT_USAGE;
	}

	if (root)
		env.root = root;
	if (!cache_dir)
		cache_dir = xasprintf("%s/var/cache/ksctl", env.root);
	env.cache_dir = cache_dir;

	ret = -1;
	for (i = 0; i < COMMAND_COUNT; i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			ret = commands[i].run(&env, argc - optind, argv + optind);
			break;
		}
	}
	if (ret < 0) {
		fprintf(stderr, "ksctl: unknown command '%s'; run ksctl --help for the list\n",
			argv[optind]);
		ret = KSCTL_EXIT_USAGE;
	}

	free(root);
	free(cache_dir);
	return ret;
}
