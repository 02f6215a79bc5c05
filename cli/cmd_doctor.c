// SPDX-License-Identifier: GPL-2.0
/*
 * ksctl doctor: whether this kernel can use killswitch, and if not, why and
 * what to do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kernel_iface.h"
#include "modfiles.h"
#include "output.h"
#include "preflight.h"
#include "symbols.h"

/* The EFI variable that holds the Secure Boot state, after 4 attribute bytes. */
#define SECURE_BOOT_VARIABLE \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

void usage_doctor(FILE *stream)
{
	fputs("Usage: ksctl doctor [--json]\n"
	      "\n"
	      "Check whether the running kernel can use killswitch: kprobes and kprobes\n"
	      "on ftrace, securityfs, the lockdown level, module signature enforcement\n"
	      "and Secure Boot, and whether the killswitch module is built for this\n"
	      "kernel and loaded. Each problem comes with the command that fixes it.\n"
	      "Exits with 0 if the kernel is ready, 4 if not.\n"
	      "\n",
	      stream);
	print_exit_codes(stream);
}

/*
 * The value of OPTION in the kernel's build configuration: "y", "m", "n"
 * for "is not set", or NULL if the option or the file is missing.
 */
static char *config_value(const char *config, const char *option)
{
	char *set = xasprintf("\n%s=", option);
	char *unset = xasprintf("\n# %s is not set", option);
	char *value = NULL;
	const char *at;

	at = strstr(config, set);
	if (at) {
		at += strlen(set);
		value = strndup(at, strcspn(at, "\n"));
	} else if (strstr(config, unset)) {
		value = xstrdup("n");
	}
	free(set);
	free(unset);
	return value;
}

struct doctor {
	const struct ksctl_env *env;
	char *release;
	/* The kernel's build configuration, or NULL if /boot has none. */
	char *config;
	struct ptr_array findings;
};

/*
 * Check a kernel feature from its configuration option or, without a
 * configuration file, from a function that only the feature defines.
 */
static void check_feature(struct doctor *dr, const char *option, const char *function,
			  const char *feature, enum severity missing, const char *consequence)
{
	const char *const names[] = { function };
	char *value = dr->config ? config_value(dr->config, option) : NULL;
	bool found = false;

	if (value) {
		if (strcmp(value, "y") == 0)
			finding_add(&dr->findings, SEVERITY_INFO, option, NULL,
				    "%s: %s=y in /boot/config-%s", feature, option, dr->release);
		else
			finding_add(&dr->findings, missing, option, NULL,
				    "%s is missing: %s is not y in /boot/config-%s, so %s",
				    feature, option, dr->release, consequence);
		free(value);
		return;
	}

	if (symbols_kallsyms_has(dr->env, names, &found, 1) != 0) {
		finding_add(&dr->findings, SEVERITY_WARNING, option, NULL,
			    "cannot tell whether the kernel has %s: no /boot/config-%s and /proc/kallsyms is unreadable",
			    feature, dr->release);
		return;
	}
	if (found)
		finding_add(&dr->findings, SEVERITY_INFO, option, NULL,
			    "%s: the kernel defines %s", feature, function);
	else
		finding_add(&dr->findings, missing, option, NULL,
			    "%s is missing: the kernel does not define %s, so %s",
			    feature, function, consequence);
}

static void check_securityfs(struct doctor *dr)
{
	char *path = root_path(dr->env, "/proc/mounts");
	char *mounts = read_file(path, NULL);

	free(path);
	if (mounts && strstr(mounts, " securityfs "))
		finding_add(&dr->findings, SEVERITY_INFO, "securityfs", NULL,
			    "securityfs is mounted");
	else if (mounts)
		finding_add(&dr->findings, SEVERITY_REFUSAL, "securityfs",
			    xstrdup("mount -t securityfs securityfs /sys/kernel/security"),
			    "securityfs is not mounted, so the killswitch files cannot appear");
	else
		finding_add(&dr->findings, SEVERITY_WARNING, "securityfs", NULL,
			    "cannot read /proc/mounts: %s", strerror(errno));
	free(mounts);
}

static void check_lockdown(struct doctor *dr)
{
	char *path = root_path(dr->env, "/sys/kernel/security/lockdown");
	char *text = read_first_line(path);

	free(path);
	if (!text)
		finding_add(&dr->findings, SEVERITY_INFO, "lockdown", NULL,
			    "no lockdown file, so the lockdown LSM is not active");
	else if (strstr(text, "[confidentiality]"))
		finding_add(&dr->findings, SEVERITY_REFUSAL, "lockdown", NULL,
			    "lockdown is at confidentiality, which forbids kprobes, so neither a control write nor the engage= module parameter can engage anything: boot with lockdown=integrity or without lockdown");
	else if (strstr(text, "[integrity]"))
		finding_add(&dr->findings, SEVERITY_WARNING, "lockdown",
			    xstrdup("ksctl apply --modprobe-conf > /etc/modprobe.d/killswitch.conf"),
			    "lockdown is at integrity: the module rejects every runtime engage and disengage, so engagements come only from the engage= module parameter at load (from the configuration files with ksctl apply --modprobe-conf), and the module must be signed with a key the kernel trusts");
	else
		finding_add(&dr->findings, SEVERITY_INFO, "lockdown", NULL,
			    "lockdown is off (%s)", text);
	free(text);
}

static void check_signatures(struct doctor *dr)
{
	char *path = root_path(dr->env, "/sys/module/module/parameters/sig_enforce");
	char *enforce = read_first_line(path);
	char *efi = root_path(dr->env, "/sys/firmware/efi");
	char *variable = root_path(dr->env, SECURE_BOOT_VARIABLE);
	size_t len = 0;
	char *secure_boot = read_file(variable, &len);

	if (enforce && strcmp(enforce, "Y") == 0)
		finding_add(&dr->findings, SEVERITY_WARNING, "module-signatures", NULL,
			    "module signatures are enforced: killswitch.ko must be signed with a key the kernel trusts");
	else if (enforce)
		finding_add(&dr->findings, SEVERITY_INFO, "module-signatures", NULL,
			    "module signatures are not enforced");
	else
		finding_add(&dr->findings, SEVERITY_INFO, "module-signatures", NULL,
			    "the kernel has no module signature support (no sig_enforce parameter)");

	if (!path_exists(efi))
		finding_add(&dr->findings, SEVERITY_INFO, "secure-boot", NULL,
			    "the system did not boot through EFI, so Secure Boot is off");
	else if (secure_boot && len == 5 && secure_boot[4] == 1)
		finding_add(&dr->findings, SEVERITY_WARNING, "secure-boot",
			    xstrdup("mokutil --import KEY.der"),
			    "Secure Boot is on: the kernel loads killswitch.ko only if a key it trusts (such as an enrolled MOK) signed it");
	else if (secure_boot && len == 5)
		finding_add(&dr->findings, SEVERITY_INFO, "secure-boot", NULL, "Secure Boot is off");
	else
		finding_add(&dr->findings, SEVERITY_INFO, "secure-boot", NULL,
			    "the Secure Boot state is unknown: the SecureBoot EFI variable is not readable");

	free(secure_boot);
	free(variable);
	free(efi);
	free(enforce);
	free(path);
}

static void check_module(struct doctor *dr)
{
	char *sys_module = root_path(dr->env, "/sys/module/killswitch");
	bool loaded = path_exists(sys_module);
	char *path = NULL;
	char *vermagic = NULL;
	int err;

	err = modfiles_module_info(dr->env, dr->release, "killswitch", &path, &vermagic);
	if (err == 0) {
		size_t release_len = strlen(dr->release);
		bool matches = vermagic && strncmp(vermagic, dr->release, release_len) == 0 &&
			       (vermagic[release_len] == ' ' || vermagic[release_len] == '\0');

		if (matches)
			finding_add(&dr->findings, SEVERITY_INFO, "module-built", NULL,
				    "killswitch.ko is installed for %s at %s", dr->release,
				    path + strlen(dr->env->root));
		else
			finding_add(&dr->findings, SEVERITY_REFUSAL, "module-built",
				    xasprintf("make module KDIR=/lib/modules/%s/build", dr->release),
				    "%s was built for another kernel (vermagic %s), not %s",
				    path + strlen(dr->env->root), vermagic ? vermagic : "missing",
				    dr->release);
	} else if (loaded) {
		finding_add(&dr->findings, SEVERITY_INFO, "module-built", NULL,
			    "killswitch is loaded but not installed under /lib/modules/%s",
			    dr->release);
	} else {
		finding_add(&dr->findings, SEVERITY_REFUSAL, "module-built",
			    xasprintf("make module KDIR=/lib/modules/%s/build && insmod module/killswitch.ko",
				      dr->release),
			    "no killswitch module is installed under /lib/modules/%s (%s)",
			    dr->release, strerror(-err));
	}

	if (kernel_iface_present(dr->env))
		finding_add(&dr->findings, SEVERITY_INFO, "module-loaded", NULL,
			    "killswitch is loaded, and /sys/kernel/security/killswitch/control exists");
	else if (loaded)
		finding_add(&dr->findings, SEVERITY_REFUSAL, "module-loaded",
			    xstrdup("mount -t securityfs securityfs /sys/kernel/security"),
			    "killswitch is loaded but its control file is missing: is securityfs mounted?");
	else
		finding_add(&dr->findings, SEVERITY_REFUSAL, "module-loaded",
			    xstrdup(err == 0 ? "modprobe killswitch" : "insmod module/killswitch.ko"),
			    "killswitch is not loaded");

	free(path);
	free(vermagic);
	free(sys_module);
}

int cmd_doctor(struct ksctl_env *env, int argc, char **argv)
{
	struct doctor dr = { .env = env };
	char *positional[1];
	struct output *out;
	bool ready = true;
	char *config_path;
	size_t count;
	size_t i;
	int ret;

	ret = parse_command_args(env, argc, argv, NULL, 0, positional, 0, &count,
				 usage_doctor);
	if (ret >= 0)
		return ret;

	out = output_new(env->json, stdout);
	output_string(out, "command", NULL, "doctor");
	dr.release = kernel_release(env);
	if (!dr.release) {
		output_error(out, KSCTL_EXIT_FAILED,
			     "cannot read the kernel release from %s/proc/sys/kernel/osrelease: %s",
			     env->root, strerror(errno));
		output_finish(out);
		return KSCTL_EXIT_FAILED;
	}
	config_path = xasprintf("%s/boot/config-%s", env->root, dr.release);
	dr.config = read_file(config_path, NULL);
	free(config_path);

	check_feature(&dr, "CONFIG_KPROBES", "register_kprobe", "kprobes", SEVERITY_REFUSAL,
		      "no function can be engaged");
	check_feature(&dr, "CONFIG_KPROBES_ON_FTRACE", "kprobe_ftrace_handler",
		      "kprobes on ftrace", SEVERITY_WARNING,
		      "every engagement uses a breakpoint, which is slower");
	check_securityfs(&dr);
	check_lockdown(&dr);
	check_signatures(&dr);
	check_module(&dr);

	for (i = 0; i < dr.findings.count; i++) {
		const struct finding *finding = dr.findings.items[i];

		if (finding->severity == SEVERITY_REFUSAL)
			ready = false;
	}

	output_string(out, "kernel", "kernel", dr.release);
	output_bool(out, "ready", "ready", ready);
	output_text(out, "findings:\n");
	output_array_begin(out, "findings", NULL);
	for (i = 0; i < dr.findings.count; i++)
		finding_print(out, dr.findings.items[i]);
	output_array_end(out);

	findings_free(&dr.findings);
	free(dr.config);
	free(dr.release);
	output_finish(out);
	return ready ? KSCTL_EXIT_OK : KSCTL_EXIT_NOT_READY;
}
