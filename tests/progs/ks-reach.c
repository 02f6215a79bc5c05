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
 *        ks-reach rxrpc
 *          an rxkad call at the encrypt level from an AF_RXRPC client
 *          socket to a server socket of this process on 127.0.0.1 port
 *          7001: the request goes to the server, the reply comes back.
 *          Needs the rxrpc and algif_skcipher modules.
 *
 * Output: one line per step, "STEP: ok" or "STEP: failed errno=NAME (text)",
 * for udp "receive: ok" or "receive: timed out", and for rxrpc "server
 * receive:" and "client receive:" with "data N bytes", "abort code=N" or
 * "timed out".
 *
 * Exit codes: 0 every step that must succeed did (connect() may fail for
 * vsock and ax25, since nothing listens); 1 a system call failed; 2 the
 * datagram arrived changed; 3 the datagram or an rxrpc message did not
 * arrive, or the rxrpc call was aborted; 64 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/udp.h>

#include <linux/if_alg.h>
#include <linux/keyctl.h>
#include <linux/rxrpc.h>

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

/*
 * rxrpc with rxkad: a server and a client socket of this process talk over
 * 127.0.0.1. The client key carries a Kerberos IV ticket that this process
 * seals with the server key, as a KDC would, so the server accepts the
 * RESPONSE and the call's DATA packets are then verified and decrypted.
 */
#define RXRPC_SERVICE 1705
#define RXRPC_SERVER_PORT 7001
#define RXRPC_CLIENT_CALL 1
#define RXRPC_SERVER_CALL 100
#define RXRPC_KEY_NAME "ks-reach@KS.TEST"
#define RXRPC_KEYRING_NAME "ks-reach-rxrpc-server"
#define RXKAD_TICKET_MAX 64

/* The payload of an "rxrpc" key, version 1 (struct rxrpc_key_data_v1). */
struct rxrpc_key_v1 {
	uint32_t version;
	uint16_t security_index;
	uint16_t ticket_length;
	uint32_t expiry;
	uint32_t kvno;
	uint8_t session_key[8];
	uint8_t ticket[RXKAD_TICKET_MAX];
};

/* A DES key with odd parity bytes that is not weak; the IV is the key too. */
static const uint8_t server_key[8] = { 0x13, 0x34, 0x57, 0x79, 0x9b, 0xbc, 0xdf, 0xf1 };
static const uint8_t session_key[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

static long add_key(const char *type, const char *description, const void *payload,
		    size_t length, long keyring)
{
	return syscall(SYS_add_key, type, description, payload, length, keyring);
}

/* Append the NUL-terminated @text to the ticket at @p. */
static uint8_t *put_string(uint8_t *p, const char *text)
{
	size_t length = strlen(text) + 1;

	memcpy(p, text, length);
	return p + length;
}

/*
 * Build a Kerberos IV ticket as rxkad_verify_response reads it: flags, client
 * name, instance and realm, address, session key, lifetime in 5-minute
 * units, issue time, service name and instance. Then encrypt it with
 * pcbc(des) under the server key, through AF_ALG. Returns the sealed length
 * (a multiple of 8), or 0 after printing the failure.
 */
static size_t seal_ticket(uint8_t *ticket)
{
	struct sockaddr_alg alg = { .salg_family = AF_ALG, .salg_type = "skcipher",
				    .salg_name = "pcbc(des)" };
	uint8_t plain[RXKAD_TICKET_MAX] = { 0 };
	char control[CMSG_SPACE(sizeof(uint32_t)) +
		     CMSG_SPACE(sizeof(struct af_alg_iv) + sizeof(server_key))] = { 0 };
	uint32_t issued = htonl((uint32_t)time(NULL) - 60);
	uint32_t address = htonl(INADDR_LOOPBACK);
	uint8_t *p = plain;
	struct af_alg_iv *iv;
	struct cmsghdr *cmsg;
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	size_t length;
	int tfm, op;

	*p++ = 0; /* flags: big-endian issue time */
	p = put_string(p, "ksreach");
	p = put_string(p, "");
	p = put_string(p, "KS.TEST");
	memcpy(p, &address, 4);
	p += 4;
	memcpy(p, session_key, 8);
	p += 8;
	*p++ = 12; /* one hour */
	memcpy(p, &issued, 4);
	p += 4;
	p = put_string(p, "afs");
	p = put_string(p, "");
	length = ((size_t)(p - plain) + 7) & ~(size_t)7;

	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return report_failure("ticket: socket(AF_ALG)"), 0;
	if (bind(tfm, (struct sockaddr *)&alg, sizeof(alg)) < 0)
		return report_failure("ticket: bind pcbc(des)"), 0;
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, server_key, sizeof(server_key)) < 0)
		return report_failure("ticket: ALG_SET_KEY"), 0;
	op = accept(tfm, NULL, NULL);
	if (op < 0)
		return report_failure("ticket: accept"), 0;

	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(cmsg) = ALG_OP_ENCRYPT;
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_IV;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*iv) + sizeof(server_key));
	iv = (struct af_alg_iv *)CMSG_DATA(cmsg);
	iv->ivlen = sizeof(server_key);
	memcpy(iv->iv, server_key, sizeof(server_key));
	iov.iov_base = plain;
	iov.iov_len = length;
	if (sendmsg(op, &msg, 0) != (ssize_t)length)
		return report_failure("ticket: sendmsg"), 0;
	if (read(op, ticket, length) != (ssize_t)length)
		return report_failure("ticket: read"), 0;
	close(op);
	close(tfm);
	return length;
}

/* Add the server keyring with its "rxrpc_s" key and the client's "rxrpc" key. */
static int add_rxrpc_keys(void)
{
	struct rxrpc_key_v1 client = {
		.version = 1,
		.security_index = RXRPC_SECURITY_RXKAD,
		.expiry = (uint32_t)time(NULL) + 3600,
		.kvno = 1,
	};
	char description[32];
	long keyring;
	size_t length;

	keyring = add_key("keyring", RXRPC_KEYRING_NAME, NULL, 0, KEY_SPEC_PROCESS_KEYRING);
	if (keyring < 0)
		return report_failure("add_key keyring");
	snprintf(description, sizeof(description), "%u:%u", RXRPC_SERVICE, RXRPC_SECURITY_RXKAD);
	if (add_key("rxrpc_s", description, server_key, sizeof(server_key), keyring) < 0)
		return report_failure("add_key rxrpc_s");

	length = seal_ticket(client.ticket);
	if (!length)
		return EXIT_SYSCALL;
	client.ticket_length = (uint16_t)length;
	memcpy(client.session_key, session_key, sizeof(session_key));
	if (add_key("rxrpc", RXRPC_KEY_NAME, &client, offsetof(struct rxrpc_key_v1, ticket) + length,
		    KEY_SPEC_PROCESS_KEYRING) < 0)
		return report_failure("add_key rxrpc");
	printf("keys: ok\n");
	return 0;
}

static void rxrpc_address(struct sockaddr_rxrpc *srx, unsigned short service, unsigned short port)
{
	memset(srx, 0, sizeof(*srx));
	srx->srx_family = AF_RXRPC;
	srx->srx_service = service;
	srx->transport_type = SOCK_DGRAM;
	srx->transport_len = sizeof(srx->transport.sin);
	srx->transport.sin.sin_family = AF_INET;
	srx->transport.sin.sin_port = htons(port);
	srx->transport.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/*
 * Send @data (none for a charge) on the call @call_id, with @extra as a second
 * control message type when nonzero, to @to when it is not NULL.
 */
static ssize_t rxrpc_send(int sock, struct sockaddr_rxrpc *to, unsigned long call_id, int extra,
			  const char *data)
{
	char control[CMSG_SPACE(sizeof(call_id)) + CMSG_SPACE(0)] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = data ? strlen(data) : 0 };
	struct msghdr msg = { .msg_name = to, .msg_namelen = to ? sizeof(*to) : 0,
			      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = CMSG_SPACE(sizeof(call_id)) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_RXRPC;
	cmsg->cmsg_type = RXRPC_USER_CALL_ID;
	cmsg->cmsg_len = CMSG_LEN(sizeof(call_id));
	memcpy(CMSG_DATA(cmsg), &call_id, sizeof(call_id));
	if (extra) {
		msg.msg_controllen = sizeof(control);
		cmsg = CMSG_NXTHDR(&msg, cmsg);
		cmsg->cmsg_level = SOL_RXRPC;
		cmsg->cmsg_type = extra;
		cmsg->cmsg_len = CMSG_LEN(0);
	}
	return sendmsg(sock, &msg, 0);
}

/*
 * Read messages on @sock until @expected bytes of a call's data arrived, the
 * data ended (MSG_EOR) or the call was aborted, and print "STEP: data N
 * bytes" or "STEP: abort code=N" (the signed rxrpc abort code). Messages
 * without data, such as the notice of a new call, are skipped. Returns 0 for data, EXIT_LOST for an abort or a timeout,
 * EXIT_SYSCALL for a failed recvmsg.
 */
static int rxrpc_receive(int sock, const char *step, size_t expected)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	char control[256], data[128];
	size_t total = 0;

	for (;;) {
		struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
				      .msg_controllen = sizeof(control) };
		struct cmsghdr *cmsg;
		ssize_t n;

		if (poll(&pfd, 1, RECEIVE_TIMEOUT_MS) != 1) {
			printf("%s: timed out\n", step);
			return EXIT_LOST;
		}
		n = recvmsg(sock, &msg, 0);
		if (n < 0)
			return report_failure(step);
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
			if (cmsg->cmsg_level == SOL_RXRPC && cmsg->cmsg_type == RXRPC_ABORT) {
				int32_t code;

				memcpy(&code, CMSG_DATA(cmsg), sizeof(code));
				printf("%s: abort code=%d\n", step, code);
				return EXIT_LOST;
			}
		}
		total += (size_t)n;
		if (total >= expected || (total > 0 && (msg.msg_flags & MSG_EOR)))
			break;
	}
	printf("%s: data %zu bytes\n", step, total);
	return 0;
}

static int reach_rxrpc(void)
{
	struct sockaddr_rxrpc server_address;
	int server, client, level = RXRPC_SECURITY_ENCRYPT, ret;

	ret = add_rxrpc_keys();
	if (ret)
		return ret;

	server = socket(AF_RXRPC, SOCK_DGRAM, PF_INET);
	if (server < 0)
		return report_failure("server socket");
	if (setsockopt(server, SOL_RXRPC, RXRPC_SECURITY_KEYRING, RXRPC_KEYRING_NAME,
		       strlen(RXRPC_KEYRING_NAME)) < 0)
		return report_failure("server RXRPC_SECURITY_KEYRING");
	rxrpc_address(&server_address, RXRPC_SERVICE, RXRPC_SERVER_PORT);
	if (bind(server, (struct sockaddr *)&server_address, sizeof(server_address)) < 0)
		return report_failure("server bind");
	if (listen(server, 1) < 0)
		return report_failure("server listen");
	if (rxrpc_send(server, NULL, RXRPC_SERVER_CALL, RXRPC_CHARGE_ACCEPT, NULL) < 0)
		return report_failure("server RXRPC_CHARGE_ACCEPT");
	printf("server: ok\n");

	client = socket(AF_RXRPC, SOCK_DGRAM, PF_INET);
	if (client < 0)
		return report_failure("client socket");
	if (setsockopt(client, SOL_RXRPC, RXRPC_SECURITY_KEY, RXRPC_KEY_NAME,
		       strlen(RXRPC_KEY_NAME)) < 0)
		return report_failure("client RXRPC_SECURITY_KEY");
	if (setsockopt(client, SOL_RXRPC, RXRPC_MIN_SECURITY_LEVEL, &level, sizeof(level)) < 0)
		return report_failure("client RXRPC_MIN_SECURITY_LEVEL");
	if (rxrpc_send(client, &server_address, RXRPC_CLIENT_CALL, 0, "request") < 0)
		return report_failure("client sendmsg");
	printf("call: ok\n");

	/* The server receives the request only after it accepted the RESPONSE. */
	ret = rxrpc_receive(server, "server receive", strlen("request"));
	if (ret) {
		rxrpc_receive(client, "client receive", strlen("reply"));
		return ret;
	}
	if (rxrpc_send(server, NULL, RXRPC_SERVER_CALL, 0, "reply") < 0)
		return report_failure("server sendmsg");
	return rxrpc_receive(client, "client receive", strlen("reply"));
}

static int usage_error(const char *message)
{
	fprintf(stderr, "ks-reach: %s\n"
		"Usage: ks-reach udp4|udp6 sendmsg|splice [--port N] [--espinudp PORT]\n"
		"       ks-reach vsock\n"
		"       ks-reach ax25\n"
		"       ks-reach rxrpc\n", message);
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
	if (argc == 2 && strcmp(argv[1], "rxrpc") == 0)
		return reach_rxrpc();
	if (argc < 3)
		return usage_error("missing arguments");
	if (strcmp(argv[1], "udp4") != 0 && strcmp(argv[1], "udp6") != 0)
		return usage_error("unknown target, expected udp4, udp6, vsock, ax25 or rxrpc");
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
