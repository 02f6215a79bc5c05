// SPDX-License-Identifier: GPL-2.0
/*
 * ks-stress: exercise killswitch from several threads at once for a bounded
 * time, and count what the callers saw so that a test can compare it with
 * the kernel's hit counters.
 *
 * Usage: ks-stress --seconds N --cycles N
 *
 * Threads, all started together:
 *   callers (one per CPU)  call getpgid(0) and getsid(0) in a tight loop;
 *                          getpgid returning 4242 or 4343 is a call the
 *                          killswitch intercepted, getsid must never return
 *                          either
 *   engager                engages __x64_sys_getpgid with 4242, sometimes
 *                          changes the retval to 4343, then disengages (or
 *                          sends disengage_all), up to --cycles times
 *   reader                 reads engaged, taint and the fn/ files
 *   holder                 opens fn/__x64_sys_getpgid/hits, keeps it open
 *                          across a disengage, then reads and closes it
 *
 * Output: "intercepted=N" (getpgid calls that returned a sentinel),
 * "calls=N", "cycles=N", "neighbour_errors=N", "unexpected=N" (getpgid
 * results that are neither the pgid nor a sentinel), "reads=N",
 * "stale_reads=N" (reads of a file whose engagement had gone, which must
 * fail with ENOENT), "write_errors=N". Exit status: 0 if neighbour_errors,
 * unexpected and write_errors are all 0, 1 otherwise, 64 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KS_DIR "/sys/kernel/security/killswitch"
#define TARGET "__x64_sys_getpgid"
#define SENTINEL 4242
#define SENTINEL_CHANGED 4343

static atomic_bool stop;
static atomic_ulong intercepted;
static atomic_ulong calls;
static atomic_ulong neighbour_errors;
static atomic_ulong unexpected;
static atomic_ulong reads;
static atomic_ulong stale_reads;
static atomic_ulong write_errors;
static unsigned long cycles_done;
static long own_pgid;
static long own_sid;

static int write_control(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t ret;
	int err = 0;

	if (fd < 0)
		return errno;
	ret = write(fd, text, strlen(text));
	if (ret < 0)
		err = errno;
	close(fd);
	return err;
}

static void *caller_main(void *arg)
{
	(void)arg;

	while (!atomic_load(&stop)) {
		long pgid = syscall(SYS_getpgid, 0);
		long sid = syscall(SYS_getsid, 0);

		atomic_fetch_add(&calls, 1);
		if (pgid == SENTINEL || pgid == SENTINEL_CHANGED)
			atomic_fetch_add(&intercepted, 1);
		else if (pgid != own_pgid)
			atomic_fetch_add(&unexpected, 1);
		if (sid != own_sid)
			atomic_fetch_add(&neighbour_errors, 1);
	}
	return NULL;
}

static void pause_briefly(void)
{
	struct timespec ts = { 0, (long)(rand() % 2000) * 1000 };

	nanosleep(&ts, NULL);
}

static void *engager_main(void *arg)
{
	unsigned long max_cycles = *(unsigned long *)arg;
	char command[128];

	for (cycles_done = 0; cycles_done < max_cycles && !atomic_load(&stop);
	     cycles_done++) {
		snprintf(command, sizeof(command), "engage " TARGET " %d\n", SENTINEL);
		if (write_control(KS_DIR "/control", command))
			atomic_fetch_add(&write_errors, 1);
		pause_briefly();

		if (rand() % 3 == 0) {
			snprintf(command, sizeof(command), "%d\n", SENTINEL_CHANGED);
			if (write_control(KS_DIR "/fn/" TARGET "/retval", command))
				atomic_fetch_add(&write_errors, 1);
			pause_briefly();
		}

		if (rand() % 5 == 0)
			snprintf(command, sizeof(command), "disengage_all\n");
		else
			snprintf(command, sizeof(command), "disengage " TARGET "\n");
		if (write_control(KS_DIR "/control", command))
			atomic_fetch_add(&write_errors, 1);
		pause_briefly();
	}
	atomic_store(&stop, true);
	return NULL;
}

/* Read a whole file; a missing fn/ file is normal between engagements. */
static void read_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	atomic_fetch_add(&reads, 1);
}

static void *reader_main(void *arg)
{
	(void)arg;

	while (!atomic_load(&stop)) {
		read_file(KS_DIR "/engaged");
		read_file(KS_DIR "/taint");
		read_file(KS_DIR "/fn/" TARGET "/hits");
		read_file(KS_DIR "/fn/" TARGET "/retval");
	}
	return NULL;
}

static void *holder_main(void *arg)
{
	char buf[64];

	(void)arg;
	while (!atomic_load(&stop)) {
		int fd = open(KS_DIR "/fn/" TARGET "/hits", O_RDONLY);

		if (fd < 0) {
			pause_briefly();
			continue;
		}

		/* Hold the file open long enough to span a disengage. */
		usleep(3000);
		if (read(fd, buf, sizeof(buf)) < 0) {
			if (errno == ENOENT)
				atomic_fetch_add(&stale_reads, 1);
			else
				atomic_fetch_add(&write_errors, 1);
		}
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 0, max_cycles = 0;
	pthread_t callers[64], engager, reader, holder;
	long ncallers = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec deadline;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seconds"))
			seconds = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--cycles"))
			max_cycles = strtoul(argv[i + 1], NULL, 10);
	}
	if (!seconds || !max_cycles || argc != 5) {
		fprintf(stderr, "usage: ks-stress --seconds N --cycles N\n");
		return 64;
	}
	if (ncallers < 1)
		ncallers = 1;
	if (ncallers > 64)
		ncallers = 64;

	own_pgid = syscall(SYS_getpgid, 0);
	own_sid = syscall(SYS_getsid, 0);
	srand((unsigned int)time(NULL));

	for (long i = 0; i < ncallers; i++)
		pthread_create(&callers[i], NULL, caller_main, NULL);
	pthread_create(&reader, NULL, reader_main, NULL);
	pthread_create(&holder, NULL, holder_main, NULL);
	pthread_create(&engager, NULL, engager_main, &max_cycles);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)seconds;
	while (!atomic_load(&stop)) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec >= deadline.tv_sec)
			atomic_store(&stop, true);
		usleep(10000);
	}

	pthread_join(engager, NULL);
	for (long i = 0; i < ncallers; i++)
		pthread_join(callers[i], NULL);
	pthread_join(reader, NULL);
	pthread_join(holder, NULL);

	/* Leave nothing engaged; ENOENT means the last cycle already did. */
	write_control(KS_DIR "/control", "disengage " TARGET "\n");

	printf("callers=%ld\n", ncallers);
	printf("calls=%lu\n", atomic_load(&calls));
	printf("intercepted=%lu\n", atomic_load(&intercepted));
	printf("cycles=%lu\n", cycles_done);
	printf("neighbour_errors=%lu\n", atomic_load(&neighbour_errors));
	printf("unexpected=%lu\n", atomic_load(&unexpected));
	printf("reads=%lu\n", atomic_load(&reads));
	printf("stale_reads=%lu\n", atomic_load(&stale_reads));
	printf("write_errors=%lu\n", atomic_load(&write_errors));

	return atomic_load(&neighbour_errors) || atomic_load(&unexpected) ||
	       atomic_load(&write_errors);
}
