/*
 * ks-afalg: encrypt one message through an AF_ALG AEAD socket, check the
 * output against OpenSSL computed in the same process, then decrypt it again
 * through AF_ALG. It only uses the documented AF_ALG interface and is a
 * known-answer test for killswitch, not an exploit.
 *
 * Usage: ks-afalg ALG PATH [--count N] [--no-decrypt] [--quiet]
 *                [--pause-before-splice]
 *   ALG   authencesn  authencesn(hmac(sha256),cbc(aes)): AES-128 key,
 *                     32-byte HMAC key, 16-byte IV, 16-byte tag
 *         gcm         gcm(aes): AES-128 key, 12-byte IV, 16-byte tag
 *   PATH  sendmsg     one sendmsg() carries the control messages (operation,
 *                     IV, associated data length) and the data
 *         splice      a sendmsg() with only the control messages and
 *                     MSG_MORE, then the data goes through a pipe and
 *                     splice() into the operation socket
 * Every operation uses 16 bytes of associated data and 64 bytes of
 * plaintext, and reads the result with one read().
 *
 * Output is one line per step: "STEP: ok", "STEP: failed errno=NAME (text)"
 * or a short-transfer message, then a final "result: ..." line.
 *
 * Exit codes:
 *   0   every operation ran, and the output (associated data, ciphertext and
 *       tag) and the decrypted plaintext matched OpenSSL's
 *   1   a system call failed (the step line names it and its errno), a
 *       transfer was short, or an OpenSSL call failed
 *   2   ciphertext, tag or decrypted plaintext mismatch
 *   64  usage error
 *
 * Kernel calls per operation. tests/vm/suites/afalg-paths.sh counted them
 * with kprobes on Debian 6.1.0-57 (6.1.192) and 6.12.95, and they match the
 * 6.1.192 source of crypto/af_alg.c, crypto/algif_aead.c and fs/splice.c.
 *   af_alg_sendmsg and aead_sendmsg: sendmsg path 1, splice path 2 (the
 *     control-message sendmsg, then the spliced data, which 6.1's
 *     af_alg_sendpage and 6.12's splice_to_socket pass on through
 *     sock_sendmsg), plus 1 for the decryption, which always uses sendmsg.
 *     NOTE: Debian converted 6.1's af_alg_sendpage to sock_sendmsg in
 *     6.1.158-1 (changelog: "Convert af_alg_sendpage() to use
 *     MSG_SPLICE_PAGES"). Older 6.1 kernels fill the TX list in
 *     af_alg_sendpage itself, so their splice path should count 1 here, which
 *     no test has measured.
 *   af_alg_sendpage (6.1 only): splice path 1, sendmsg path 0.
 *   aead_recvmsg: 1, plus 1 for the decryption.
 *   crypto_aead_encrypt and crypto_aead_decrypt: 1 each, but 2 when gcm(aes)
 *     is a SIMD driver such as generic-gcm-aesni-avx, which calls them again
 *     on its inner transform.
 * --no-decrypt drops the decryption and its calls.
 *
 * Build: gcc -O2 -Wall -Wextra -std=gnu11 -static -o ks-afalg ks-afalg.c -lcrypto
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/if_alg.h>
#include <linux/rtnetlink.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

enum exit_code {
	EXIT_PASS = 0,
	EXIT_SYSCALL_FAILED = 1,
	EXIT_MISMATCH = 2,
	EXIT_USAGE = 64,
};

/* rtattr type of the authenc key parameter, from include/crypto/authenc.h. */
#define CRYPTO_AUTHENC_KEYA_PARAM 1

#define ASSOC_LEN 16
#define PLAINTEXT_LEN 64
#define TAG_LEN 16
#define AES_KEY_LEN 16
#define HMAC_KEY_LEN 32
#define MAX_IV_LEN 16
#define MAX_KEY_LEN (RTA_LENGTH(sizeof(uint32_t)) + HMAC_KEY_LEN + AES_KEY_LEN)
#define ENCRYPTED_LEN (ASSOC_LEN + PLAINTEXT_LEN + TAG_LEN)
#define DECRYPTED_LEN (ASSOC_LEN + PLAINTEXT_LEN)

/*
 * Time to wait for the operation socket to become readable. af_alg_poll
 * reports it readable once data is queued or the last send had no MSG_MORE,
 * so the limit catches a request that never arrived, not every hang in read.
 */
#define RESULT_TIMEOUT_MS 10000

enum send_path { PATH_SENDMSG, PATH_SPLICE };

struct test_vector {
	unsigned char assoc[ASSOC_LEN];
	unsigned char plaintext[PLAINTEXT_LEN];
	unsigned char iv[MAX_IV_LEN];
	unsigned char aes_key[AES_KEY_LEN];
	unsigned char hmac_key[HMAC_KEY_LEN];
};

struct aead_algorithm {
	const char *option_name;
	const char *kernel_name;
	unsigned int iv_len;
	/* Writes the AF_ALG key into key and returns its length. */
	size_t (*build_key)(const struct test_vector *vector, unsigned char *key);
	/* Writes assoc || ciphertext || tag into out. Returns false if OpenSSL fails. */
	bool (*compute_expected)(const struct test_vector *vector, unsigned char *out);
};

/* File descriptors of one operation, -1 when closed. */
struct operation_fds {
	int tfm;
	int encrypt_op;
	int decrypt_op;
	int pipe_read;
	int pipe_write;
};

static bool quiet;

/*
 * With --pause-before-splice, the splice path stops after the control-message
 * sendmsg() and waits for a line on standard input, so that a test can
 * change the kernel state (engage a function) before splice() itself runs.
 */
static bool pause_before_splice;

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "unknown";
}

static void print_hex(const char *label, const unsigned char *data, size_t len)
{
	printf(" %s=", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", data[i]);
}

static void report_ok(const char *step)
{
	if (!quiet)
		printf("%s: ok\n", step);
}

/* Prints the failure line of a system call that returned -1 with errno set. */
static void report_errno(const char *step, int err)
{
	printf("%s: failed errno=%s (%s)\n", step, errno_name(err), strerror(err));
}

/* Checks the return value of a system call that returns 0 or -1. */
static bool check_call(const char *step, long ret)
{
	if (ret < 0) {
		report_errno(step, errno);
		return false;
	}
	report_ok(step);
	return true;
}

/* Checks the return value of a call that must transfer exactly expected bytes. */
static bool check_transfer(const char *step, ssize_t ret, size_t expected)
{
	if (ret < 0) {
		report_errno(step, errno);
		return false;
	}
	if ((size_t)ret != expected) {
		printf("%s: failed, short transfer of %zd of %zu bytes\n", step, ret, expected);
		return false;
	}
	report_ok(step);
	return true;
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void close_operation_fds(struct operation_fds *fds)
{
	close_fd(&fds->pipe_read);
	close_fd(&fds->pipe_write);
	close_fd(&fds->decrypt_op);
	close_fd(&fds->encrypt_op);
	close_fd(&fds->tfm);
}

/*
 * Fills the vector with fixed byte patterns, each in its own range, so that a
 * misplaced byte in a hex dump shows where it came from.
 */
static void init_test_vector(struct test_vector *vector)
{
	for (size_t i = 0; i < ASSOC_LEN; i++)
		vector->assoc[i] = 0xa0 + i;
	for (size_t i = 0; i < PLAINTEXT_LEN; i++)
		vector->plaintext[i] = i;
	for (size_t i = 0; i < MAX_IV_LEN; i++)
		vector->iv[i] = 0x60 + i;
	for (size_t i = 0; i < AES_KEY_LEN; i++)
		vector->aes_key[i] = 0x70 + i;
	for (size_t i = 0; i < HMAC_KEY_LEN; i++)
		vector->hmac_key[i] = 0xc0 + i;
}

static size_t build_gcm_key(const struct test_vector *vector, unsigned char *key)
{
	memcpy(key, vector->aes_key, AES_KEY_LEN);
	return AES_KEY_LEN;
}

/*
 * Builds the key format of the kernel's authenc and authencesn templates
 * (crypto_authenc_extractkeys): an rtattr of type CRYPTO_AUTHENC_KEYA_PARAM
 * holding the big-endian encryption key length, then the authentication
 * key, then the encryption key.
 */
static size_t build_authenc_key(const struct test_vector *vector, unsigned char *key)
{
	struct rtattr attr = {
		.rta_len = RTA_LENGTH(sizeof(uint32_t)),
		.rta_type = CRYPTO_AUTHENC_KEYA_PARAM,
	};
	uint32_t enc_key_len = htonl(AES_KEY_LEN);
	size_t len = 0;

	memcpy(key, &attr, sizeof(attr));
	memcpy(key + RTA_LENGTH(0), &enc_key_len, sizeof(enc_key_len));
	len = RTA_SPACE(sizeof(enc_key_len));
	memcpy(key + len, vector->hmac_key, HMAC_KEY_LEN);
	len += HMAC_KEY_LEN;
	memcpy(key + len, vector->aes_key, AES_KEY_LEN);
	len += AES_KEY_LEN;
	return len;
}

static bool compute_gcm_expected(const struct test_vector *vector, unsigned char *out)
{
	unsigned char *ciphertext = out + ASSOC_LEN;
	unsigned char *tag = ciphertext + PLAINTEXT_LEN;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0;
	bool ok = false;

	if (!ctx) {
		printf("openssl: EVP_CIPHER_CTX_new failed\n");
		return false;
	}

	memcpy(out, vector->assoc, ASSOC_LEN);
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, vector->aes_key, vector->iv) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &len, vector->assoc, ASSOC_LEN) != 1 ||
	    EVP_EncryptUpdate(ctx, ciphertext, &len, vector->plaintext, PLAINTEXT_LEN) != 1 ||
	    len != PLAINTEXT_LEN ||
	    EVP_EncryptFinal_ex(ctx, ciphertext + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) != 1) {
		printf("openssl: AES-128-GCM encryption failed\n");
		goto out;
	}
	ok = true;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * Computes what crypto/authencesn.c produces for assoc A of at least 8 bytes:
 * C = AES-CBC(plaintext) without padding, and the tag is the first TAG_LEN
 * bytes of HMAC-SHA256 over A[0..4] || A[8..] || C || A[4..8]. The template
 * moves the high-order sequence number bytes A[4..8] behind the ciphertext
 * before hashing, and the output keeps A in its original order.
 */
static bool compute_authencesn_expected(const struct test_vector *vector, unsigned char *out)
{
	unsigned char *ciphertext = out + ASSOC_LEN;
	unsigned char *tag = ciphertext + PLAINTEXT_LEN;
	unsigned char hashed[ASSOC_LEN + PLAINTEXT_LEN];
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0;
	bool ok = false;

	if (!ctx) {
		printf("openssl: EVP_CIPHER_CTX_new failed\n");
		return false;
	}

	memcpy(out, vector->assoc, ASSOC_LEN);
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, vector->aes_key, vector->iv) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_EncryptUpdate(ctx, ciphertext, &len, vector->plaintext, PLAINTEXT_LEN) != 1 ||
	    len != PLAINTEXT_LEN ||
	    EVP_EncryptFinal_ex(ctx, ciphertext + len, &len) != 1) {
		printf("openssl: AES-128-CBC encryption failed\n");
		goto out;
	}

	memcpy(hashed, vector->assoc, 4);
	memcpy(hashed + 4, vector->assoc + 8, ASSOC_LEN - 8);
	memcpy(hashed + ASSOC_LEN - 4, ciphertext, PLAINTEXT_LEN);
	memcpy(hashed + ASSOC_LEN - 4 + PLAINTEXT_LEN, vector->assoc + 4, 4);
	if (!HMAC(EVP_sha256(), vector->hmac_key, HMAC_KEY_LEN, hashed, sizeof(hashed),
		  digest, &digest_len) || digest_len < TAG_LEN) {
		printf("openssl: HMAC-SHA256 failed\n");
		goto out;
	}
	memcpy(tag, digest, TAG_LEN);
	ok = true;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static const struct aead_algorithm algorithms[] = {
	{
		.option_name = "authencesn",
		.kernel_name = "authencesn(hmac(sha256),cbc(aes))",
		.iv_len = 16,
		.build_key = build_authenc_key,
		.compute_expected = compute_authencesn_expected,
	},
	{
		.option_name = "gcm",
		.kernel_name = "gcm(aes)",
		.iv_len = 12,
		.build_key = build_gcm_key,
		.compute_expected = compute_gcm_expected,
	},
};

/* Creates the transform socket: socket, bind, key and tag size. */
static bool open_transform(const struct aead_algorithm *alg, const struct test_vector *vector,
			   int *tfm)
{
	struct sockaddr_alg addr = { .salg_family = AF_ALG };
	unsigned char key[MAX_KEY_LEN];
	size_t key_len = alg->build_key(vector, key);

	strcpy((char *)addr.salg_type, "aead");
	strcpy((char *)addr.salg_name, alg->kernel_name);

	*tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (!check_call("socket", *tfm))
		return false;
	if (!check_call("bind", bind(*tfm, (struct sockaddr *)&addr, sizeof(addr))))
		return false;
	if (!check_call("setkey", setsockopt(*tfm, SOL_ALG, ALG_SET_KEY, key, key_len)))
		return false;
	/* The tag size is passed in optlen, and optval must be NULL. */
	return check_call("authsize", setsockopt(*tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, TAG_LEN));
}

/*
 * Sends the operation, IV and associated data length as control messages,
 * followed by len bytes of data (len may be 0).
 */
static ssize_t send_request(int op_fd, uint32_t operation, const unsigned char *iv,
			    unsigned int iv_len, const unsigned char *data, size_t len, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t)) * 2 +
			 CMSG_SPACE(sizeof(struct af_alg_iv) + MAX_IV_LEN)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = len ? 1 : 0,
		.msg_control = control.buf,
		.msg_controllen = CMSG_SPACE(sizeof(uint32_t)) * 2 +
				  CMSG_SPACE(sizeof(struct af_alg_iv) + iv_len),
	};
	struct cmsghdr *cmsg;
	struct af_alg_iv *alg_iv;
	uint32_t assoc_len = ASSOC_LEN;

	memset(&control, 0, sizeof(control));

	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	memcpy(CMSG_DATA(cmsg), &operation, sizeof(operation));

	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_IV;
	cmsg->cmsg_len = CMSG_LEN(sizeof(struct af_alg_iv) + iv_len);
	alg_iv = (struct af_alg_iv *)CMSG_DATA(cmsg);
	alg_iv->ivlen = iv_len;
	memcpy(alg_iv->iv, iv, iv_len);

	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	cmsg->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	memcpy(CMSG_DATA(cmsg), &assoc_len, sizeof(assoc_len));

	return sendmsg(op_fd, &msg, flags);
}

/* Moves the data into the operation socket through a pipe and splice(2). */
static bool splice_data(int op_fd, struct operation_fds *fds, const unsigned char *data,
			size_t len)
{
	int pipe_fds[2];

	if (!check_call("pipe", pipe2(pipe_fds, O_CLOEXEC)))
		return false;
	fds->pipe_read = pipe_fds[0];
	fds->pipe_write = pipe_fds[1];

	if (!check_transfer("write", write(fds->pipe_write, data, len), len))
		return false;

	if (pause_before_splice) {
		char line[16];

		printf("paused: waiting for a line on standard input\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			printf("paused: standard input closed, continuing\n");
	}
	return check_transfer("splice", splice(fds->pipe_read, NULL, op_fd, NULL, len, 0), len);
}

/*
 * Waits until the socket is readable, then reads the result with read(2) and
 * checks that it is len bytes long.
 */
static bool read_result(const char *step, int op_fd, unsigned char *out, size_t len)
{
	struct pollfd pfd = { .fd = op_fd, .events = POLLIN };
	int ready = poll(&pfd, 1, RESULT_TIMEOUT_MS);

	if (ready < 0) {
		report_errno(step, errno);
		return false;
	}
	if (ready == 0) {
		printf("%s: failed, no result within %d ms, the socket still waits for data\n",
		       step, RESULT_TIMEOUT_MS);
		return false;
	}
	return check_transfer(step, read(op_fd, out, len), len);
}

static void report_mismatch(const char *what, const unsigned char *expected,
			    const unsigned char *actual, size_t len)
{
	printf("result: %s MISMATCH", what);
	print_hex("expected", expected, len);
	print_hex("actual", actual, len);
	printf("\n");
}

/*
 * Decrypts the kernel's own output on a fresh operation socket with a plain
 * sendmsg and checks that the associated data and plaintext come back.
 */
static enum exit_code decrypt_and_check(const struct aead_algorithm *alg,
					const struct test_vector *vector,
					struct operation_fds *fds, const unsigned char *encrypted)
{
	unsigned char expected[DECRYPTED_LEN];
	unsigned char actual[DECRYPTED_LEN];

	fds->decrypt_op = accept4(fds->tfm, NULL, NULL, SOCK_CLOEXEC);
	if (!check_call("decrypt-accept", fds->decrypt_op))
		return EXIT_SYSCALL_FAILED;
	if (!check_transfer("decrypt-sendmsg",
			    send_request(fds->decrypt_op, ALG_OP_DECRYPT, vector->iv, alg->iv_len,
					 encrypted, ENCRYPTED_LEN, 0),
			    ENCRYPTED_LEN))
		return EXIT_SYSCALL_FAILED;
	/* A wrong tag makes this read fail with EBADMSG. */
	if (!read_result("decrypt-read", fds->decrypt_op, actual, DECRYPTED_LEN))
		return EXIT_SYSCALL_FAILED;

	memcpy(expected, vector->assoc, ASSOC_LEN);
	memcpy(expected + ASSOC_LEN, vector->plaintext, PLAINTEXT_LEN);
	if (memcmp(expected, actual, DECRYPTED_LEN) != 0) {
		report_mismatch("decrypted plaintext", expected, actual, DECRYPTED_LEN);
		return EXIT_MISMATCH;
	}
	report_ok("decrypt");
	return EXIT_PASS;
}

/* Runs one encryption on fresh sockets and, unless skipped, its decryption. */
static enum exit_code run_operation(const struct aead_algorithm *alg, enum send_path path,
				    bool decrypt, const struct test_vector *vector,
				    const unsigned char *expected)
{
	struct operation_fds fds = { -1, -1, -1, -1, -1 };
	unsigned char encrypted[ENCRYPTED_LEN];
	unsigned char data[ASSOC_LEN + PLAINTEXT_LEN];
	enum exit_code status = EXIT_SYSCALL_FAILED;
	bool sent;

	memcpy(data, vector->assoc, ASSOC_LEN);
	memcpy(data + ASSOC_LEN, vector->plaintext, PLAINTEXT_LEN);

	if (!open_transform(alg, vector, &fds.tfm))
		goto out;
	fds.encrypt_op = accept4(fds.tfm, NULL, NULL, SOCK_CLOEXEC);
	if (!check_call("accept", fds.encrypt_op))
		goto out;

	if (path == PATH_SENDMSG) {
		sent = check_transfer("sendmsg",
				      send_request(fds.encrypt_op, ALG_OP_ENCRYPT, vector->iv,
						   alg->iv_len, data, sizeof(data), 0),
				      sizeof(data));
	} else {
		sent = check_transfer("sendmsg",
				      send_request(fds.encrypt_op, ALG_OP_ENCRYPT, vector->iv,
						   alg->iv_len, NULL, 0, MSG_MORE),
				      0) &&
		       splice_data(fds.encrypt_op, &fds, data, sizeof(data));
	}
	if (!sent)
		goto out;

	if (!read_result("read", fds.encrypt_op, encrypted, ENCRYPTED_LEN))
		goto out;
	if (memcmp(expected, encrypted, ENCRYPTED_LEN) != 0) {
		report_mismatch("ciphertext", expected, encrypted, ENCRYPTED_LEN);
		status = EXIT_MISMATCH;
		goto out;
	}

	status = decrypt ? decrypt_and_check(alg, vector, &fds, encrypted) : EXIT_PASS;
out:
	close_operation_fds(&fds);
	return status;
}

static void print_usage(FILE *stream)
{
	fprintf(stream,
		"Usage: ks-afalg ALG PATH [--count N] [--no-decrypt] [--quiet]\n"
		"                [--pause-before-splice]\n"
		"Encrypt 16 bytes of associated data and 64 bytes of plaintext with an\n"
		"AF_ALG AEAD socket, compare the output with OpenSSL, and decrypt it again.\n"
		"\n"
		"ALG:\n"
		"  authencesn    authencesn(hmac(sha256),cbc(aes)), 16-byte tag\n"
		"  gcm           gcm(aes) with a 12-byte IV, 16-byte tag\n"
		"PATH:\n"
		"  sendmsg       send control messages and data with one sendmsg()\n"
		"  splice        send the control messages with MSG_MORE, then splice()\n"
		"                the data from a pipe\n"
		"Options:\n"
		"  --count N     run N operations, each on fresh sockets (default 1)\n"
		"  --no-decrypt  skip the AF_ALG decryption of the result\n"
		"  --quiet       print only failures and the result line\n"
		"  --pause-before-splice\n"
		"                on the splice path, wait for a line on standard input\n"
		"                just before splice()\n"
		"  --help        print this help\n"
		"\n"
		"Exit codes: 0 all operations matched OpenSSL, 1 a system call (or OpenSSL)\n"
		"failed or a transfer was short, 2 ciphertext, tag or plaintext mismatch,\n"
		"64 usage error.\n");
}

static enum exit_code usage_error(const char *message, const char *value)
{
	fprintf(stderr, "ks-afalg: %s: %s\n", message, value);
	print_usage(stderr);
	return EXIT_USAGE;
}

static bool parse_count(const char *text, unsigned long *count)
{
	char *end;

	errno = 0;
	*count = strtoul(text, &end, 10);
	return errno == 0 && end != text && *end == '\0' && text[0] != '-' &&
	       *count >= 1 && *count <= UINT_MAX;
}

int main(int argc, char **argv)
{
	const struct aead_algorithm *alg = NULL;
	const char *positional[2];
	int positional_count = 0;
	unsigned long count = 1;
	bool decrypt = true;
	enum send_path path;
	struct test_vector vector;
	unsigned char expected[ENCRYPTED_LEN];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_usage(stdout);
			return EXIT_PASS;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(argv[i], "--pause-before-splice") == 0) {
			pause_before_splice = true;
		} else if (strcmp(argv[i], "--no-decrypt") == 0) {
			decrypt = false;
		} else if (strcmp(argv[i], "--count") == 0) {
			if (i + 1 >= argc)
				return usage_error("missing value for", "--count");
			if (!parse_count(argv[++i], &count))
				return usage_error("invalid --count, expected an integer of at least 1",
						   argv[i]);
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option", argv[i]);
		} else if (positional_count < 2) {
			positional[positional_count++] = argv[i];
		} else {
			return usage_error("unexpected argument", argv[i]);
		}
	}
	if (positional_count < 2)
		return usage_error("missing argument", positional_count == 0 ? "ALG" : "PATH");

	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++) {
		if (strcmp(positional[0], algorithms[i].option_name) == 0)
			alg = &algorithms[i];
	}
	if (!alg)
		return usage_error("unknown ALG, expected authencesn or gcm", positional[0]);

	if (strcmp(positional[1], "sendmsg") == 0)
		path = PATH_SENDMSG;
	else if (strcmp(positional[1], "splice") == 0)
		path = PATH_SPLICE;
	else
		return usage_error("unknown PATH, expected sendmsg or splice", positional[1]);

	/* Line-buffer the output so that it interleaves correctly with other tools. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	init_test_vector(&vector);
	if (!alg->compute_expected(&vector, expected)) {
		printf("result: OpenSSL failed to compute the expected output\n");
		return EXIT_SYSCALL_FAILED;
	}

	for (unsigned long i = 1; i <= count; i++) {
		enum exit_code status;

		if (count > 1 && !quiet)
			printf("operation: %lu of %lu\n", i, count);
		status = run_operation(alg, path, decrypt, &vector, expected);
		if (status == EXIT_SYSCALL_FAILED) {
			printf("result: system call failed in operation %lu of %lu\n", i, count);
			return status;
		}
		if (status != EXIT_PASS)
			return status;
	}

	printf("result: ciphertext ok\n");
	return EXIT_PASS;
}
