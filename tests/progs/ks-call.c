// SPDX-License-Identifier: GPL-2.0
/*
 * ks-call: make a system call a given number of times and summarise the
 * results, so that a test can engage the syscall's kernel function and check
 * both what callers see and how many calls the killswitch counted.
 *
 * Usage: ks-call SYSCALL [COUNT]
 *   SYSCALL is getpgid, getsid or getppid (called with pid 0 where it takes
 *   one). COUNT defaults to 1.
 *
 * Output: one line per distinct result, in the order first seen:
 *   ret=<value> errno=<NAME|0> calls=<count>
 * Exit status: 0 on success, 64 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_RESULTS 16

struct result {
	long ret;
	int err;
	unsigned long calls;
};

static long call_once(int nr, int *err)
{
	long ret;

	errno = 0;
	ret = nr == SYS_getppid ? syscall(nr) : syscall(nr, 0);
	*err = ret < 0 ? errno : 0;
	return ret;
}

int main(int argc, char **argv)
{
	struct result results[MAX_RESULTS];
	unsigned long count = 1;
	size_t used = 0;
	int nr;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: ks-call getpgid|getsid|getppid [COUNT]\n");
		return 64;
	}

	if (!strcmp(argv[1], "getpgid")) {
		nr = SYS_getpgid;
	} else if (!strcmp(argv[1], "getsid")) {
		nr = SYS_getsid;
	} else if (!strcmp(argv[1], "getppid")) {
		nr = SYS_getppid;
	} else {
		fprintf(stderr, "ks-call: unknown syscall '%s': use getpgid, getsid or getppid\n",
			argv[1]);
		return 64;
	}

	if (argc == 3) {
		char *end;

		errno = 0;
		count = strtoul(argv[2], &end, 10);
		if (errno || *end || end == argv[2]) {
			fprintf(stderr, "ks-call: invalid COUNT '%s': use a whole number\n",
				argv[2]);
			return 64;
		}
	}

	for (unsigned long i = 0; i < count; i++) {
		int err;
		long ret = call_once(nr, &err);
		size_t j;

		for (j = 0; j < used; j++) {
			if (results[j].ret == ret && results[j].err == err)
				break;
		}
		if (j == used) {
			if (used == MAX_RESULTS)
				continue;
			results[used].ret = ret;
			results[used].err = err;
			results[used].calls = 0;
			used++;
		}
		results[j].calls++;
	}

	for (size_t j = 0; j < used; j++) {
		const char *name = results[j].err ? strerrorname_np(results[j].err) : "0";

		printf("ret=%ld errno=%s calls=%lu\n", results[j].ret,
		       name ? name : "unknown", results[j].calls);
	}
	return 0;
}
