// SPDX-License-Identifier: GPL-2.0
/*
 * ks-write: write bytes to a file with one write(2) or pwrite(2) call and
 * report the errno, for tests of the killswitch control and per-function
 * files that a shell redirection cannot express.
 *
 * Usage: ks-write [--offset N] [--drop-cap-sys-admin] FILE DATA
 *   DATA takes C escapes: \n, \t, \0, \\ and \xHH.
 *   --offset N          use pwrite(2) at offset N instead of write(2)
 *   --drop-cap-sys-admin
 *                       open and write without CAP_SYS_ADMIN while staying uid 0
 *
 * Output: "ok <bytes>" or "errno=<NAME>" on standard output.
 * Exit status: 0 if the write succeeded, 1 if open or write failed, 64 on a
 * usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of @in into @out; return the length or -1. */
static long unescape(const char *in, char *out)
{
	long len = 0;

	while (*in) {
		if (*in != '\\') {
			out[len++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n':
			out[len++] = '\n';
			break;
		case 't':
			out[len++] = '\t';
			break;
		case '0':
			out[len++] = '\0';
			break;
		case '\\':
			out[len++] = '\\';
			break;
		case 'x': {
			int hi = hex_digit(in[1]);
			int lo = hi < 0 ? -1 : hex_digit(in[2]);

			if (lo < 0)
				return -1;
			out[len++] = (char)(hi * 16 + lo);
			in += 2;
			break;
		}
		default:
			return -1;
		}
		in++;
	}
	return len;
}

/* Remove CAP_SYS_ADMIN from the effective and permitted sets. */
static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &header, data))
		return -1;
	data[0].effective &= ~(1U << CAP_SYS_ADMIN);
	data[0].permitted &= ~(1U << CAP_SYS_ADMIN);
	data[0].inheritable &= ~(1U << CAP_SYS_ADMIN);
	return (int)syscall(SYS_capset, &header, data);
}

static int report_errno(const char *what)
{
	const char *name = strerrorname_np(errno);

	fprintf(stderr, "ks-write: %s failed: %s\n", what, strerror(errno));
	printf("errno=%s\n", name ? name : "unknown");
	return 1;
}

int main(int argc, char **argv)
{
	long long offset = -1;
	bool drop = false;
	char *data;
	long len;
	ssize_t written;
	int fd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--offset") && i + 1 < argc) {
			offset = atoll(argv[++i]);
		} else if (!strcmp(argv[i], "--drop-cap-sys-admin")) {
			drop = true;
		} else {
			fprintf(stderr, "ks-write: unknown option '%s'\n", argv[i]);
			return 64;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: ks-write [--offset N] [--drop-cap-sys-admin] FILE DATA\n");
		return 64;
	}

	data = malloc(strlen(argv[i + 1]) + 1);
	if (!data)
		return 1;
	len = unescape(argv[i + 1], data);
	if (len < 0) {
		fprintf(stderr, "ks-write: invalid escape in DATA: use \\n, \\t, \\0, \\\\ or \\xHH\n");
		return 64;
	}

	if (drop && drop_cap_sys_admin())
		return report_errno("capset");

	fd = open(argv[i], O_WRONLY);
	if (fd < 0)
		return report_errno("open");

	if (offset >= 0)
		written = pwrite(fd, data, (size_t)len, (off_t)offset);
	else
		written = write(fd, data, (size_t)len);
	if (written < 0) {
		int ret = report_errno("write");

		close(fd);
		free(data);
		return ret;
	}

	close(fd);
	free(data);
	printf("ok %zd\n", written);
	return 0;
}
