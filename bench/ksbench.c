// SPDX-License-Identifier: GPL-2.0
/*
 * ksbench: the timing primitives of the killswitch benchmarks, run inside
 * the test VM by bench/guest.sh. Each subcommand times one thing with
 * CLOCK_MONOTONIC and prints the result in nanoseconds on standard output.
 *
 * Usage:
 *   ksbench ctl COMMAND
 *       One write of COMMAND to the control file. Prints the write's time.
 *   ksbench write FILE TEXT
 *       One write of TEXT to FILE, such as a tracefs file. Prints its time.
 *   ksbench engage FIRST COUNT [PER_FILE]
 *       Engage ksb_fn_FIRST .. ksb_fn_(FIRST+COUNT-1) of the ks_bench module
 *       with retval -1, one write each. Prints the total time. PER_FILE gets
 *       the time of each write, one line each: index and nanoseconds.
 *   ksbench disengage FIRST COUNT
 *       Disengage the same functions one write each. Prints the total time.
 *   ksbench mitigate COMMAND
 *       Check that getpgid(0) succeeds, write COMMAND to the control file,
 *       then call getpgid(0) until it fails with EPERM. Prints the time from
 *       the start of the write to the first blocked call.
 *   ksbench mitigate-exec PROGRAM [ARG...]
 *       The same, but runs PROGRAM (such as ksctl engage --yes ...) instead
 *       of writing to the control file, and times from its fork.
 *   ksbench exec PROGRAM [ARG...]
 *       Run PROGRAM with standard output and error to /dev/null. Prints the
 *       time from fork to exit. Exits 1 if PROGRAM failed.
 *   ksbench loop KIND ITERATIONS
 *       Run ITERATIONS calls of one kind in a tight loop and print the time
 *       per call. KIND is getpgid (getpgid(0)), badfd (a write to fd -1,
 *       which fails at once), getppid, or pipe (a 64-byte write and read on
 *       a pipe, counted as one call). A getpgid loop prints on standard
 *       error how many calls succeeded and how many failed with EPERM.
 *
 * Exit status: 0 on success, 1 on a failed call, 64 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONTROL "/sys/kernel/security/killswitch/control"
#define BENCH_FUNCTIONS 1000
/* Give up on mitigate after this many calls that still succeed. */
#define MITIGATE_MAX_CALLS 1000000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ksbench ctl COMMAND | write FILE TEXT | engage FIRST COUNT [PER_FILE] |\n"
		"       disengage FIRST COUNT | mitigate COMMAND |\n"
		"       mitigate-exec PROGRAM [ARG...] | exec PROGRAM [ARG...] |\n"
		"       loop getpgid|badfd|getppid|pipe ITERATIONS\n");
	return 64;
}

/* Parse a decimal count in [0, max] or exit with a usage error. */
static unsigned long parse_count(const char *text, const char *what,
				 unsigned long max)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || value > max) {
		fprintf(stderr, "ksbench: invalid %s '%s': expected 0 to %lu\n",
			what, text, max);
		exit(64);
	}
	return value;
}

static int open_for_write(const char *path)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0) {
		fprintf(stderr, "ksbench: cannot open %s: %s\n", path,
			strerror(errno));
		exit(1);
	}
	return fd;
}

static int open_control(void)
{
	return open_for_write(CONTROL);
}

/* Write one command; exit 1 with the command and the error if it fails. */
static void control_write(int fd, const char *command)
{
	size_t len = strlen(command);
	ssize_t written = write(fd, command, len);

	if (written < 0 || (size_t)written != len) {
		fprintf(stderr, "ksbench: write of '%s' failed: %s\n",
			command, written < 0 ? strerror(errno) : "short write");
		exit(1);
	}
}

static int cmd_write(const char *path, const char *text)
{
	int fd = open_for_write(path);
	uint64_t start = now_ns();

	control_write(fd, text);
	printf("%llu\n", (unsigned long long)(now_ns() - start));
	close(fd);
	return 0;
}

/*
 * Write "VERB ksb_fn_NNN[ -1]" for each function in the range. Each write's
 * time goes to per_file when it is not NULL.
 */
static int cmd_range(const char *verb, unsigned long first,
		     unsigned long count, const char *per_file)
{
	int engage = !strcmp(verb, "engage");
	FILE *per = NULL;
	uint64_t total = 0;
	char command[64];
	int fd;

	if (first + count > BENCH_FUNCTIONS) {
		fprintf(stderr, "ksbench: functions %lu to %lu do not exist: ks_bench has %d\n",
			first, first + count - 1, BENCH_FUNCTIONS);
		return 64;
	}
	if (per_file) {
		per = fopen(per_file, "w");
		if (!per) {
			fprintf(stderr, "ksbench: cannot create %s: %s\n",
				per_file, strerror(errno));
			return 1;
		}
	}

	fd = open_control();
	for (unsigned long i = first; i < first + count; i++) {
		uint64_t start, elapsed;

		snprintf(command, sizeof(command), "%s ksb_fn_%03lu%s", verb, i,
			 engage ? " -1" : "");
		start = now_ns();
		control_write(fd, command);
		elapsed = now_ns() - start;
		total += elapsed;
		if (per)
			fprintf(per, "%lu %llu\n", i, (unsigned long long)elapsed);
	}
	close(fd);
	if (per)
		fclose(per);

	printf("%llu\n", (unsigned long long)total);
	return 0;
}

/* Return 0 if getpgid(0) succeeds, else its errno. */
static int getpgid_errno(void)
{
	return syscall(SYS_getpgid, 0) < 0 ? errno : 0;
}

/* Call getpgid(0) until it fails with EPERM; print the time since start. */
static int wait_blocked(uint64_t start)
{
	for (long calls = 0; calls < MITIGATE_MAX_CALLS; calls++) {
		int err = getpgid_errno();

		if (err == EPERM) {
			printf("%llu\n", (unsigned long long)(now_ns() - start));
			return 0;
		}
		if (err) {
			fprintf(stderr, "ksbench: getpgid failed with %s, expected EPERM\n",
				strerror(err));
			return 1;
		}
	}
	fprintf(stderr, "ksbench: getpgid still succeeds after %d calls\n",
		MITIGATE_MAX_CALLS);
	return 1;
}

static int check_getpgid_unblocked(void)
{
	int err = getpgid_errno();

	if (err)
		fprintf(stderr, "ksbench: getpgid fails with %s before the engagement; disengage it first\n",
			strerror(err));
	return err ? 1 : 0;
}

static int cmd_mitigate(const char *command)
{
	int fd = open_control();
	uint64_t start;

	if (check_getpgid_unblocked())
		return 1;
	start = now_ns();
	control_write(fd, command);
	close(fd);
	return wait_blocked(start);
}

/* Fork and run argv with output to /dev/null; return its exit status. */
static int run_program(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("ksbench: fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("ksbench: waitpid");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "ksbench: %s failed (wait status %d)\n",
			argv[0], status);
		return 1;
	}
	return 0;
}

static int cmd_mitigate_exec(char **argv)
{
	uint64_t start;

	if (check_getpgid_unblocked())
		return 1;
	start = now_ns();
	if (run_program(argv))
		return 1;
	return wait_blocked(start);
}

static int cmd_exec(char **argv)
{
	uint64_t start = now_ns();

	if (run_program(argv))
		return 1;
	printf("%llu\n", (unsigned long long)(now_ns() - start));
	return 0;
}

static int loop_getpgid(unsigned long iterations)
{
	unsigned long blocked = 0, other = 0;

	for (unsigned long i = 0; i < iterations; i++) {
		if (syscall(SYS_getpgid, 0) < 0) {
			if (errno == EPERM)
				blocked++;
			else
				other++;
		}
	}
	fprintf(stderr, "getpgid: ok=%lu eperm=%lu other=%lu\n",
		iterations - blocked - other, blocked, other);
	return other ? 1 : 0;
}

static int loop_pipe(unsigned long iterations)
{
	char buffer[64] = { 0 };
	int fds[2];

	if (pipe(fds)) {
		perror("ksbench: pipe");
		return 1;
	}
	for (unsigned long i = 0; i < iterations; i++) {
		if (write(fds[1], buffer, sizeof(buffer)) != sizeof(buffer) ||
		    read(fds[0], buffer, sizeof(buffer)) != sizeof(buffer)) {
			perror("ksbench: pipe write or read");
			return 1;
		}
	}
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static int cmd_loop(const char *kind, unsigned long iterations)
{
	uint64_t start = now_ns();
	int ret = 0;

	if (!strcmp(kind, "getpgid")) {
		ret = loop_getpgid(iterations);
	} else if (!strcmp(kind, "badfd")) {
		for (unsigned long i = 0; i < iterations; i++)
			if (write(-1, "", 1) >= 0 || errno != EBADF)
				return 1;
	} else if (!strcmp(kind, "getppid")) {
		for (unsigned long i = 0; i < iterations; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(kind, "pipe")) {
		ret = loop_pipe(iterations);
	} else {
		fprintf(stderr, "ksbench: unknown loop kind '%s': use getpgid, badfd, getppid or pipe\n",
			kind);
		return 64;
	}
	if (ret)
		return ret;

	printf("%.1f\n", (double)(now_ns() - start) / (double)iterations);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();

	if (!strcmp(argv[1], "ctl") && argc == 3)
		return cmd_write(CONTROL, argv[2]);
	if (!strcmp(argv[1], "write") && argc == 4)
		return cmd_write(argv[2], argv[3]);
	if (!strcmp(argv[1], "engage") && (argc == 4 || argc == 5))
		return cmd_range("engage",
				 parse_count(argv[2], "FIRST", BENCH_FUNCTIONS),
				 parse_count(argv[3], "COUNT", BENCH_FUNCTIONS),
				 argc == 5 ? argv[4] : NULL);
	if (!strcmp(argv[1], "disengage") && argc == 4)
		return cmd_range("disengage",
				 parse_count(argv[2], "FIRST", BENCH_FUNCTIONS),
				 parse_count(argv[3], "COUNT", BENCH_FUNCTIONS),
				 NULL);
	if (!strcmp(argv[1], "mitigate") && argc == 3)
		return cmd_mitigate(argv[2]);
	if (!strcmp(argv[1], "mitigate-exec"))
		return cmd_mitigate_exec(argv + 2);
	if (!strcmp(argv[1], "exec"))
		return cmd_exec(argv + 2);
	if (!strcmp(argv[1], "loop") && argc == 4)
		return cmd_loop(argv[2], parse_count(argv[3], "ITERATIONS",
						     100000000));
	return usage();
}
