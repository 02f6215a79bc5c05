// SPDX-License-Identifier: GPL-2.0
/*
 * ks-badwrite: send generated writes, most of them malformed, to the
 * killswitch control file and the fn/<symbol>/retval files, predict each
 * answer from a model of the engagement state and the shared grammar, and
 * compare the kernel's final state with the model.
 *
 * Usage: ks-badwrite [--seed N] [--writes N] [--writers N] [--as-nobody]
 *                    SYMBOL...
 *   SYMBOL      harmless functions that may be engaged with any value; no
 *               other process may call them during the run
 *   --writes    writes per writer (default 1000)
 *   --writers   concurrent writer processes, each with its own symbols
 *               (default 1); with one writer, disengage_all is also sent
 *   --as-nobody write as uid 65534, where every write must be refused
 *
 * Inputs: valid engage, tryengage, disengage and retval writes, and options
 * valid and invalid (unknown keys, duplicates, bad values, relative, missing
 * and non-regular allow paths). Also unknown symbols, overlong lines,
 * embedded NULs, writes at odd offsets, huge and malformed numbers, unknown
 * verbs, non-UTF-8 bytes and random bytes.
 *
 * Output: one "writer N: ..." summary per writer, then "state: ok" or
 * "state: MISMATCH" with the differences. Every answer that differs from the
 * prediction is printed. Exit status: 0 if every answer and the final state
 * matched, 1 otherwise, 64 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ks_grammar.h"

#define KS_DIR "/sys/kernel/security/killswitch"
#define MAX_SYMBOLS 64
#define MAX_WRITE 1024
#define PRINT_LIMIT 20

struct model {
	const char *symbols[MAX_SYMBOLS];
	size_t count;
	bool engaged[MAX_SYMBOLS];
	long long retval[MAX_SYMBOLS];
};

struct stats {
	unsigned long writes;
	unsigned long accepted;
	unsigned long rejected;
	unsigned long mismatches;
};

static unsigned long long rng_state;

/* xorshift64*: deterministic for a given --seed, so a failure can be rerun. */
static unsigned long long rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned int rng_below(unsigned int bound)
{
	return (unsigned int)(rng_next() % bound);
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : "0";

	return name ? name : "unknown";
}

static int find_symbol(const struct model *m, const char *symbol)
{
	for (size_t i = 0; i < m->count; i++) {
		if (!strcmp(m->symbols[i], symbol))
			return (int)i;
	}
	return -1;
}

/* Format a random return value the grammar accepts, and store its value. */
static void random_retval(char *out, size_t size, long long *value)
{
	static const char *const names[] = { "-EPERM", "-EOPNOTSUPP", "-ENOENT",
					     "-EACCES", "-EINVAL", "-EIO" };

	switch (rng_below(4)) {
	case 0: {
		const char *name = names[rng_below(sizeof(names) / sizeof(names[0]))];

		snprintf(out, size, "%s", name);
		break;
	}
	case 1:
		snprintf(out, size, "%d", -(int)rng_below(4096));
		break;
	case 2:
		snprintf(out, size, "0x%x", rng_below(65536));
		break;
	default:
		snprintf(out, size, "%u", rng_below(1000));
		break;
	}
	ks_parse_retval(out, strlen(out), value);
}

/* Replace, insert or cut bytes of @buf to make a malformed variant. */
static size_t mutate(char *buf, size_t len)
{
	static const char *const tails[] = {
		" scope=all", " extra", "\nengage x 1", "\r", " 99999999999999999999999",
		" 010", " -E", " 1e3", " +5", "\xff\xfe", " \xc3\x28", " mode=observe",
		" allow=bin/sh", " scope=nonroot scope=all", " irq=pass", " 30",
	};
	size_t pos = len ? rng_below((unsigned int)len) : 0;

	switch (rng_below(7)) {
	case 0:
		buf[pos] = '\0';
		return len;
	case 1:
		buf[pos] = (char)(0x80 + rng_below(128));
		return len;
	case 2:
		return pos;
	case 3: {
		const char *tail = tails[rng_below(sizeof(tails) / sizeof(tails[0]))];
		size_t tail_len = strlen(tail);

		memcpy(buf + len, tail, tail_len);
		return len + tail_len;
	}
	case 4:
		buf[pos] = (char)rng_below(32);
		return len;
	case 5:
		memcpy(buf, "ENGAGE", len < 6 ? len : 6);
		return len;
	default: {
		size_t n = 520 + rng_below(200);

		memset(buf + len, ' ', n);
		return len + n;
	}
	}
}

/*
 * Append 0 to 3 random options, valid or not, to the command in @buf of
 * length @len; return the new length.
 */
static size_t append_options(char *buf, size_t len)
{
	static const char *const options[] = {
		"scope=nonroot", "scope=userns", "scope=all", "mode=observe",
		"mode=enforce", "irq=block", "irq=pass", "allow=/bin/sh",
		"allow=/usr/local/bin/ks-call", "allow=/no/such/file", "allow=/tmp",
		"allow=bin/sh", "allow=", "scope=root", "mode=watch", "irq=",
		"color=red", "=x", "scope=nonroot=x",
	};
	unsigned int count = rng_below(4);

	for (unsigned int i = 0; i < count; i++)
		len += (size_t)sprintf(buf + len, " %s",
				       options[rng_below(sizeof(options) / sizeof(options[0]))]);
	return len;
}

/* Build one control write into @buf; return its length and the offset. */
static size_t make_control_write(const struct model *m, bool allow_all,
				 char *buf, off_t *offset)
{
	const char *symbol = m->symbols[rng_below((unsigned int)m->count)];
	unsigned int kind = rng_below(100);
	char retval[32];
	long long value;
	size_t len;

	*offset = 0;
	random_retval(retval, sizeof(retval), &value);

	if (kind < 30) {
		len = (size_t)sprintf(buf, "engage %s %s%s", symbol, retval,
				      rng_below(2) ? "\n" : "");
	} else if (kind < 50) {
		len = (size_t)sprintf(buf, "disengage %s\n", symbol);
	} else if (kind < 52 && allow_all) {
		len = (size_t)sprintf(buf, "disengage_all\n");
	} else if (kind < 57) {
		len = (size_t)sprintf(buf, "engage ks_no_such_function_%u -1\n",
				      rng_below(100));
	} else if (kind < 62) {
		len = (size_t)sprintf(buf, "engage %s %s\n", symbol, retval);
		*offset = 1 + rng_below(40);
	} else if (kind < 70) {
		len = rng_below(MAX_WRITE);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)rng_below(256);
	} else if (kind < 75) {
		len = (size_t)sprintf(buf, "%s %s -1\n",
				      rng_below(2) ? "tryengage" : "kill", symbol);
	} else if (kind < 83) {
		len = (size_t)sprintf(buf, "engage %s %s", symbol, retval);
		len = append_options(buf, len);
	} else if (kind < 88) {
		static const char *const seconds[] = { "1", "2", "30", "0", "86401", "05", "x" };

		len = (size_t)sprintf(buf, "tryengage %s %s %s", symbol, retval,
				      seconds[rng_below(sizeof(seconds) / sizeof(seconds[0]))]);
		len = append_options(buf, len);
	} else {
		len = (size_t)sprintf(buf, "%s %s %s", rng_below(2) ? "engage" : "disengage",
				      symbol, retval);
		len = mutate(buf, len);
	}
	return len;
}

/* Returned by predict_control() for a write that must not be sent. */
#define FOREIGN_SYMBOL (-2)

/*
 * Predict the errno of resolving the allow paths of @cmd, parsed from @buf.
 * A missing path gives ENOENT and one that is not a regular file EINVAL.
 */
static int predict_allow(const struct ks_command *cmd, const char *buf)
{
	for (unsigned int i = 0; i < cmd->allow_count; i++) {
		char path[KS_COMMAND_MAX + 1];
		struct stat st;

		memcpy(path, buf + cmd->allow[i].offset, cmd->allow[i].length);
		path[cmd->allow[i].length] = '\0';
		if (stat(path, &st))
			return errno;
		if (!S_ISREG(st.st_mode))
			return EINVAL;
	}
	return 0;
}

/*
 * Predict the errno of a control write from the grammar and the model. A
 * mutation can turn a symbol of the run into another real one (a blank in
 * __x64_sys_times leaves __x64_sys_time), whose engagement the model cannot
 * predict and which could break the VM, so such an engage is reported as
 * FOREIGN_SYMBOL and never sent.
 */
static int predict_control(struct model *m, const char *buf, size_t len,
			   off_t offset, bool commit)
{
	struct ks_command cmd;
	int index;
	int err;

	if (offset != 0 || len == 0 || len > KS_COMMAND_MAX)
		return EINVAL;
	if (ks_parse_command(buf, len, &cmd, NULL) != KS_PARSE_OK)
		return EINVAL;

	if (cmd.verb == KS_VERB_DISENGAGE_ALL) {
		if (commit)
			memset(m->engaged, 0, sizeof(m->engaged));
		return 0;
	}

	index = find_symbol(m, cmd.symbol);
	if (cmd.verb == KS_VERB_ENGAGE || cmd.verb == KS_VERB_TRYENGAGE) {
		if (index < 0 && strncmp(cmd.symbol, "ks_no_such_function_", 20) != 0)
			return FOREIGN_SYMBOL;
		/* The kernel resolves the allow paths before it looks up the symbol. */
		err = predict_allow(&cmd, buf);
		if (err)
			return err;
		if (index < 0)
			return ENOENT;
		if (m->engaged[index])
			return EBUSY;
		if (commit) {
			m->engaged[index] = true;
			m->retval[index] = cmd.retval;
		}
		return 0;
	}

	if (index < 0 || !m->engaged[index])
		return ENOENT;
	if (commit)
		m->engaged[index] = false;
	return 0;
}

/* Write @len bytes at @offset to @path; return 0 or the errno. */
static int write_file(const char *path, const char *buf, size_t len,
		      off_t offset)
{
	ssize_t ret;
	int err = 0;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	ret = offset ? pwrite(fd, buf, len, offset) : write(fd, buf, len);
	if (ret < 0)
		err = errno;
	else if ((size_t)ret != len)
		err = -1;
	close(fd);
	return err;
}

static void report_mismatch(struct stats *st, const char *what,
			    const char *buf, size_t len, int expected, int got)
{
	st->mismatches++;
	if (st->mismatches > PRINT_LIMIT)
		return;

	printf("mismatch: %s of %zu bytes: expected %s, got %s:", what, len,
	       errno_name(expected), got < 0 ? "short write" : errno_name(got));
	for (size_t i = 0; i < len && i < 48; i++)
		printf(" %02x", (unsigned char)buf[i]);
	printf("\n");
}

/* Send one retval write for a random symbol of the model. */
static void retval_write(struct model *m, struct stats *st, bool as_nobody)
{
	int index = (int)rng_below((unsigned int)m->count);
	char path[256], buf[MAX_WRITE + 32];
	off_t offset = rng_below(8) == 0 ? 1 + rng_below(8) : 0;
	long long value = 0;
	int expected, got;
	size_t len;

	snprintf(path, sizeof(path), KS_DIR "/fn/%s/retval", m->symbols[index]);
	random_retval(buf, sizeof(buf), &value);
	len = strlen(buf);
	if (rng_below(3) == 0)
		len = mutate(buf, len);

	if (as_nobody)
		expected = m->engaged[index] ? EACCES : ENOENT;
	else if (!m->engaged[index])
		expected = ENOENT;
	else if (offset != 0 || len == 0 || len >= 64 ||
		 ks_parse_retval_line(buf, len, &value, NULL) != KS_PARSE_OK)
		expected = EINVAL;
	else
		expected = 0;

	got = write_file(path, buf, len, offset);
	st->writes++;
	if (got == 0) {
		st->accepted++;
		m->retval[index] = value;
	} else {
		st->rejected++;
	}
	if (got != expected)
		report_mismatch(st, "retval write", buf, len, expected, got);
}

static void run_writer(struct model *m, struct stats *st, unsigned long writes,
		       bool allow_all, bool as_nobody)
{
	char buf[MAX_WRITE * 2];

	while (st->writes < writes) {
		int expected, got;
		off_t offset;
		size_t len;

		if (rng_below(5) == 0) {
			retval_write(m, st, as_nobody);
			continue;
		}

		len = make_control_write(m, allow_all, buf, &offset);
		expected = predict_control(m, buf, len, offset, false);
		if (expected == FOREIGN_SYMBOL)
			continue;
		if (as_nobody)
			expected = EACCES;
		got = write_file(KS_DIR "/control", buf, len, offset);
		st->writes++;
		if (got == 0) {
			st->accepted++;
			predict_control(m, buf, len, offset, true);
		} else {
			st->rejected++;
		}
		if (got != expected)
			report_mismatch(st, "control write", buf, len, expected, got);
	}
}

/* Compare the engaged file with the union of @models; return mismatches. */
static unsigned long compare_state(struct model *models, size_t count)
{
	unsigned long differences = 0;
	char symbol[KS_SYMBOL_MAX + 1];
	bool seen[MAX_SYMBOLS][MAX_SYMBOLS] = { { false } };
	long long retval;
	unsigned long long hits;
	FILE *f = fopen(KS_DIR "/engaged", "r");

	if (!f) {
		printf("state: cannot open " KS_DIR "/engaged: %s\n", strerror(errno));
		return 1;
	}

	char line[4096];

	/* Fields after hits, such as state= and scope=, are not compared. */
	while (fgets(line, sizeof(line), f) &&
	       sscanf(line, "%127s retval=%lld hits=%llu", symbol, &retval, &hits) == 3) {
		bool found = false;

		for (size_t w = 0; w < count && !found; w++) {
			int index = find_symbol(&models[w], symbol);

			if (index < 0)
				continue;
			found = true;
			seen[w][index] = true;
			if (!models[w].engaged[index] || models[w].retval[index] != retval) {
				printf("state: %s retval=%lld is engaged, model has %s %lld\n",
				       symbol, retval,
				       models[w].engaged[index] ? "retval" : "it disengaged",
				       models[w].retval[index]);
				differences++;
			}
		}
		if (!found) {
			printf("state: %s is engaged but is not a symbol of this run\n", symbol);
			differences++;
		}
	}
	fclose(f);

	for (size_t w = 0; w < count; w++) {
		for (size_t i = 0; i < models[w].count; i++) {
			if (models[w].engaged[i] && !seen[w][i]) {
				printf("state: %s is engaged in the model but not in the kernel\n",
				       models[w].symbols[i]);
				differences++;
			}
		}
	}
	return differences;
}

static int usage(void)
{
	fprintf(stderr, "usage: ks-badwrite [--seed N] [--writes N] [--writers N] [--as-nobody] SYMBOL...\n");
	return 64;
}

int main(int argc, char **argv)
{
	struct model models[MAX_SYMBOLS];
	unsigned long long seed = 1;
	unsigned long writes = 1000;
	unsigned long writers = 1;
	unsigned long bad = 0;
	bool as_nobody = false;
	size_t nsymbols;
	int i;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--writes") && i + 1 < argc)
			writes = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--writers") && i + 1 < argc)
			writers = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--as-nobody"))
			as_nobody = true;
		else
			return usage();
	}
	nsymbols = (size_t)(argc - i);
	if (nsymbols == 0 || nsymbols > MAX_SYMBOLS || writers == 0 ||
	    writers > nsymbols)
		return usage();

	/* Deal the symbols out to the writers, so their models are disjoint. */
	memset(models, 0, sizeof(models));
	for (size_t s = 0; s < nsymbols; s++) {
		struct model *m = &models[s % writers];

		m->symbols[m->count++] = argv[i + (int)s];
	}

	/* The model starts from the kernel's state for these symbols. */
	for (unsigned long w = 0; w < writers; w++) {
		for (size_t s = 0; s < models[w].count; s++) {
			char path[256];
			FILE *f;

			snprintf(path, sizeof(path), KS_DIR "/fn/%s/retval",
				 models[w].symbols[s]);
			f = fopen(path, "r");
			if (f) {
				models[w].engaged[s] =
					fscanf(f, "%lld", &models[w].retval[s]) == 1;
				fclose(f);
			}
		}
	}

	if (as_nobody && (setgid(65534) || setuid(65534))) {
		perror("ks-badwrite: cannot switch to uid 65534");
		return 1;
	}

	int readers[MAX_SYMBOLS];
	pid_t pids[MAX_SYMBOLS];

	for (unsigned long w = 0; w < writers; w++) {
		int pipefd[2];

		if (pipe(pipefd)) {
			perror("ks-badwrite: pipe");
			return 1;
		}
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("ks-badwrite: fork");
			return 1;
		}
		if (pids[w] == 0) {
			struct stats st = { 0 };

			close(pipefd[0]);
			rng_state = seed * 0x9E3779B97F4A7C15ULL + w + 1;
			run_writer(&models[w], &st, writes, writers == 1, as_nobody);
			printf("writer %lu: writes=%lu accepted=%lu rejected=%lu mismatches=%lu\n",
			       w, st.writes, st.accepted, st.rejected, st.mismatches);
			fflush(stdout);
			/* The parent compares the kernel with this final model. */
			if (write(pipefd[1], &models[w], sizeof(models[w])) !=
			    (ssize_t)sizeof(models[w]))
				_exit(2);
			_exit(st.mismatches ? 1 : 0);
		}
		close(pipefd[1]);
		readers[w] = pipefd[0];
	}

	for (unsigned long w = 0; w < writers; w++) {
		int status;

		if (read(readers[w], &models[w], sizeof(models[w])) !=
		    (ssize_t)sizeof(models[w])) {
			printf("writer %lu: no final model received\n", w);
			bad++;
		}
		close(readers[w]);
		if (waitpid(pids[w], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad++;
	}

	if (compare_state(models, writers) == 0) {
		printf("state: ok\n");
	} else {
		printf("state: MISMATCH\n");
		bad++;
	}
	return bad ? 1 : 0;
}
