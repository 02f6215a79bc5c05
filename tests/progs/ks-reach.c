/*
 * ks-reach: replay the system calls that lead into the kernel functions of a
 * catalog entry, without exploiting anything. The catalog suite runs it
 * before and after "ksctl mitigate" and counts the kernel functions each
 * replay reaches.
 *
 * Usage: ks-reach udp4|udp6 sendmsg|splice [--port N] [--espinudp PORT]
 *          send 64 bytes over UDP to a socket of this process on 127.0.0.1
 *          or ::1 port N (default 4789), from user memory (sendmsg) or from
 *          the page cache of a file in /tmp through a pipe (splice, the
 *          Dirty Frag way in), and wait up to 2 s for them. With an xfrm
 *          state and policy on the loopback address the datagram travels as
 *          ESP. --espinudp also opens a UDP_ENCAP_ESPINUDP socket on PORT,
 *          which receives ESP-in-UDP for a state with that encapsulation.
 *        ks-reach vsock
 *          socket(AF_VSOCK, SOCK_STREAM), then connect() to port 9999 of
 *          VMADDR_CID_LOCAL, which reaches the transport assignment.
 *        ks-reach ax25
 *          socket(AF_AX25, SOCK_SEQPACKET), then connect() to NOCALL
 *          without bind(), which reaches the automatic binding.
 *
 * Output: one line per step, "STEP: ok" or "STEP: failed errno=NAME (text)",
 * and for udp "receive: ok" or "receive: timed out".
 *
 * Exit codes: 0 every step that must succeed did (connect() may fail for
 * vsock and ax25, since nothing listens); 1 a system call failed; 2 the
 * datagram arrived changed; 3 the datagram did not arrive; 64 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/udp.h>

#include <linux/ax25.h>
#include <linux/vm_sockets.h>

#include "ks_grammar.h"

#define PAYLOAD_SIZE 64
#define RECEIVE_TIMEOUT_MS 2000

enum exit_code {
	EXIT_SYSCALL = 1,
	EXIT_MISMATCH = 2,
	EXIT_LOST = 3,
	EXIT_USAGE = 64,
};

/* Print "STEP: failed errno=NAME (text)" for the current errno. */
static int report_failure(const char *step)
{
	int err = errno;
	const char *name = ks_errno_name(err);

	printf("%s: failed errno=%s (%s)\n", step, name ? name : "unknown", strerror(err));
	return EXIT_SYSCALL;
}

static void fill_payload(char *payload)
{
	int i;

	for (i = 0; i < PAYLOAD_SIZE; i++)
		payload[i] = (char)('A' + i % 26);
}

/* Make a loopback address of @family with @port. */
static socklen_t loopback(int family, unsigned short port, struct sockaddr_storage *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)addr;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*in);
	}

	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;

	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	in6->sin6_addr = in6addr_loopback;
	return sizeof(*in6);
}

/* Send the payload from the page cache of a file: file -> pipe -> socket. */
static int send_spliced(int sock, const char *payload)
{
	char path[] = "/tmp/ks-reach.XXXXXX";
	int pipefd[2];
	ssize_t n;
	int file;

	file = mkstemp(path);
	if (file < 0)
		return report_failure("mkstemp");
	unlink(path);
	if (write(file, payload, PAYLOAD_SIZE) != PAYLOAD_SIZE)
		return report_failure("write");
	if (pipe(pipefd) < 0)
		return report_failure("pipe");

	loff_t offset = 0;

	n = splice(file, &offset, pipefd[1], NULL, PAYLOAD_SIZE, 0);
	if (n != PAYLOAD_SIZE)
		return report_failure("splice file to pipe");
	n = splice(pipefd[0], NULL, sock, NULL, PAYLOAD_SIZE, 0);
	if (n < 0)
		return report_failure("splice");
	printf("splice: ok\n");
	close(pipefd[0]);
	close(pipefd[1]);
	close(file);
	return 0;
}

/* Open the socket that decapsulates ESP-in-UDP arriving on @port. */
static int open_espinudp(int family, unsigned short port)
{
	struct sockaddr_storage addr;
	int type = UDP_ENCAP_ESPINUDP;
	socklen_t len = loopback(family, port, &addr);
	int sock = socket(family, SOCK_DGRAM, 0);

	if (sock < 0)
		return -report_failure("socket");
	if (setsockopt(sock, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) < 0)
		return -report_failure("setsockopt UDP_ENCAP");
	if (bind(sock, (struct sockaddr *)&addr, len) < 0)
		return -report_failure("bind");
	return sock;
}

static int reach_udp(int family, const char *path, unsigned short port,
		     unsigned short encap_port)
{
	int encap = -1;

	char payload[PAYLOAD_SIZE], received[PAYLOAD_SIZE + 1];
	struct sockaddr_storage addr;
	struct pollfd pfd;
	socklen_t len;
	int receiver, sender, ret;
	ssize_t n;

	fill_payload(payload);
	if (encap_port) {
		encap = open_espinudp(family, encap_port);
		if (encap < 0)
			return -encap;
	}
	len = loopback(family, port, &addr);
	receiver = socket(family, SOCK_DGRAM, 0);
	if (receiver < 0)
		return report_failure("socket");
	if (bind(receiver, (struct sockaddr *)&addr, len) < 0)
		return report_failure("bind");
	sender = socket(family, SOCK_DGRAM, 0);
	if (sender < 0)
		return report_failure("socket");
	if (connect(sender, (struct sockaddr *)&addr, len) < 0)
		return report_failure("connect");

	if (strcmp(path, "splice") == 0) {
		ret = send_spliced(sender, payload);
		if (ret)
			return ret;
	} else {
		if (send(sender, payload, PAYLOAD_SIZE, 0) != PAYLOAD_SIZE)
			return report_failure("sendmsg");
		printf("sendmsg: ok\n");
	}

	pfd.fd = receiver;
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, RECEIVE_TIMEOUT_MS);
	if (ret < 0)
		return report_failure("poll");
	if (ret == 0) {
		printf("receive: timed out\n");
		return EXIT_LOST;
	}
	n = recv(receiver, received, sizeof(received), 0);
	if (n < 0)
		return report_failure("recv");
	if (n != PAYLOAD_SIZE || memcmp(received, payload, PAYLOAD_SIZE) != 0) {
		printf("receive: %zd bytes that differ from the %d sent\n", n, PAYLOAD_SIZE);
		return EXIT_MISMATCH;
	}
	printf("receive: ok\n");
	close(sender);
	close(receiver);
	if (encap >= 0)
		close(encap);
	return 0;
}

/*
 * Create a socket of @family and @type and connect it to @addr. A failed
 * connect() is printed but not an error, since nothing listens there.
 */
static int socket_and_connect(int family, int type, const struct sockaddr *addr, socklen_t len)
{
	int sock = socket(family, type, 0);

	if (sock < 0)
		return report_failure("socket");
	printf("socket: ok\n");
	if (connect(sock, addr, len) < 0)
		report_failure("connect");
	else
		printf("connect: ok\n");
	close(sock);
	return 0;
}

static int reach_vsock(void)
{
	struct sockaddr_vm addr = {
		.svm_family = AF_VSOCK,
		.svm_port = 9999,
		.svm_cid = VMADDR_CID_LOCAL,
	};

	return socket_and_connect(AF_VSOCK, SOCK_STREAM, (struct sockaddr *)&addr, sizeof(addr));
}

static int reach_ax25(void)
{
	struct sockaddr_ax25 addr = { .sax25_family = AF_AX25 };
	/* NOCALL, shifted left by one bit as AX.25 addresses are, SSID 0. */
	static const char call[] = "NOCALL";
	int i;

	for (i = 0; i < 6; i++)
		addr.sax25_call.ax25_call[i] = (char)(call[i] << 1);
	addr.sax25_call.ax25_call[6] = 0;
	return socket_and_connect(AF_AX25, SOCK_SEQPACKET, (struct sockaddr *)&addr, sizeof(addr));
}

static int usage_error(const char *message)
{
	fprintf(stderr, "ks-reach: %s\n"
		"Usage: ks-reach udp4|udp6 sendmsg|splice [--port N] [--espinudp PORT]\n"
		"       ks-reach vsock\n"
		"       ks-reach ax25\n", message);
	return EXIT_USAGE;
}

/* Parse a port number; returns 0 for an invalid one. */
static unsigned short parse_port(const char *text)
{
	unsigned long port;
	char *end;

	errno = 0;
	port = strtoul(text, &end, 10);
	if (errno || *end || port == 0 || port > 65535)
		return 0;
	return (unsigned short)port;
}

int main(int argc, char **argv)
{
	unsigned short port = 4789, encap_port = 0;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "vsock") == 0)
		return reach_vsock();
	if (argc == 2 && strcmp(argv[1], "ax25") == 0)
		return reach_ax25();
	if (argc < 3)
		return usage_error("missing arguments");
	if (strcmp(argv[1], "udp4") != 0 && strcmp(argv[1], "udp6") != 0)
		return usage_error("unknown target, expected udp4, udp6, vsock or ax25");
	if (strcmp(argv[2], "sendmsg") != 0 && strcmp(argv[2], "splice") != 0)
		return usage_error("unknown path, expected sendmsg or splice");
	for (i = 3; i < argc; i += 2) {
		unsigned short *value;

		if (strcmp(argv[i], "--port") == 0)
			value = &port;
		else if (strcmp(argv[i], "--espinudp") == 0)
			value = &encap_port;
		else
			return usage_error("unknown option, expected --port N or --espinudp PORT");
		if (i + 1 >= argc || !(*value = parse_port(argv[i + 1])))
			return usage_error("invalid port, expected 1 to 65535");
	}
	return reach_udp(strcmp(argv[1], "udp4") == 0 ? AF_INET : AF_INET6, argv[2], port,
			 encap_port);
}
