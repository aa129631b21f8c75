/*
 * idle_conns: hold many used, idle HTTP/1.1 keep-alive connections open.
 *
 * Opens N TCP connections to HOST:PORT (at most -b at a time in progress, so
 * the listen backlog is not overwhelmed), sends one complete
 * "GET /healthz HTTP/1.1" request on each and reads the whole response, so
 * every connection is a real keep-alive connection the server has served
 * once. Then it keeps them all open and idle for S seconds, watching for the
 * server closing any of them, prints how many are still open at the end and
 * closes them.
 *
 * Output (stdout, one line each, flushed):
 *   HOLDING established=N used=N         when the idle phase starts
 *   RESULT requested=.. established=.. used=.. open_at_end=..
 *          closed_by_peer=.. failed=.. setup_ms=.. idle_s=..
 * Progress and errors go to stderr.
 *
 * Exit status: 0 if it ran (whatever it measured), 1 if it could not run,
 * 2 on bad usage.
 *
 * Every phase is bounded: setup by -t seconds, idle by -s seconds (at most
 * 3600).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 200000
#define MAX_IDLE_S 3600
#define RESP_BUF 8192

static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

enum state {
	ST_UNUSED = 0,
	ST_CONNECTING,
	ST_SENDING,
	ST_READING,
	ST_IDLE,
	ST_CLOSED, /* closed by the peer or failed */
};

struct conn {
	int fd;
	enum state st;
	unsigned sent;
	unsigned got;
	char *buf; /* response buffer, freed once the response is complete */
};

static struct conn *conns;
static int epfd = -1;
static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: idle_conns [-n N] [-s SECONDS] [-b BATCH] [-t SETUP_S] "
	        "HOST:PORT\n"
	        "  -n N        connections to open (default 10000)\n"
	        "  -s SECONDS  how long to hold them idle (default 5, max "
	        "%d)\n"
	        "  -b BATCH    connections in progress at once (default 256)\n"
	        "  -t SETUP_S  time limit for opening and using them "
	        "(default 60)\n",
	        MAX_IDLE_S);
}

static long
parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "idle_conns: %s must be %ld..%ld\n", what, lo,
		        hi);
		exit(2);
	}
	return v;
}

/* Raise RLIMIT_NOFILE so N sockets fit; returns how many connections fit. */
static long
ensure_nofile(long n)
{
	const rlim_t want = (rlim_t)n + 32;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		perror("idle_conns: getrlimit");
		return n;
	}
	if (rl.rlim_cur >= want) {
		return n;
	}
	if (rl.rlim_max < want) {
		/* Only a privileged process may raise the hard limit. */
		struct rlimit up = {want, want};
		if (setrlimit(RLIMIT_NOFILE, &up) == 0) {
			return n;
		}
		fprintf(stderr,
		        "idle_conns: need %llu file descriptors but the hard "
		        "limit (ulimit -Hn) is %llu and cannot be raised; "
		        "raise it (e.g. ulimit -Hn %llu as root, or "
		        "/etc/security/limits.conf). Opening only %llu "
		        "connections.\n",
		        (unsigned long long)want,
		        (unsigned long long)rl.rlim_max,
		        (unsigned long long)want,
		        (unsigned long long)(rl.rlim_max > 32 ? rl.rlim_max - 32
		                                              : 0));
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		return rl.rlim_max > 32 ? (long)(rl.rlim_max - 32) : 0;
	}
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		perror("idle_conns: setrlimit");
		return rl.rlim_cur > 32 ? (long)(rl.rlim_cur - 32) : 0;
	}
	return n;
}

static void
conn_close(struct conn *c, enum state st)
{
	if (c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	free(c->buf);
	c->buf = NULL;
	c->st = st;
}

static int
conn_start(struct conn *c, const struct sockaddr_in *sin, uint32_t idx)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "idle_conns: socket: %s\n", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	c->sent = 0;
	c->got = 0;
	c->buf = NULL;
	int rc = connect(fd, (const struct sockaddr *)sin, sizeof(*sin));
	if (rc != 0 && errno != EINPROGRESS) {
		fprintf(stderr, "idle_conns: connect: %s\n", strerror(errno));
		close(fd);
		c->fd = -1;
		c->st = ST_CLOSED;
		return -1;
	}
	/* Even an immediate connect is reported by EPOLLOUT, and counted
	 * there. */
	c->st = ST_CONNECTING;
	struct epoll_event ev = {
	        .events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.u32 = idx};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		fprintf(stderr, "idle_conns: epoll_ctl: %s\n", strerror(errno));
		conn_close(c, ST_CLOSED);
		return -1;
	}
	return 0;
}

/*
 * Is the response in c->buf complete? Returns 1 complete, 0 need more,
 * -1 malformed or not a 2xx.
 */
static int
response_complete(struct conn *c)
{
	c->buf[c->got] = '\0';
	char *hend = strstr(c->buf, "\r\n\r\n");
	if (hend == NULL) {
		return c->got >= RESP_BUF - 1 ? -1 : 0;
	}
	if (strncmp(c->buf, "HTTP/1.", 7) != 0 || c->got < 12 ||
	        c->buf[9] != '2') {
		return -1;
	}
	size_t hlen = (size_t)(hend - c->buf) + 4;
	long clen = -1;
	bool chunked = false;
	for (char *line = strstr(c->buf, "\r\n") + 2; line < hend;) {
		char *eol = strstr(line, "\r\n");
		if (strncasecmp(line, "content-length:", 15) == 0) {
			clen = strtol(line + 15, NULL, 10);
		} else if (strncasecmp(line, "transfer-encoding:", 18) == 0) {
			char *ch = strstr(line, "chunked");
			chunked = ch != NULL && ch < eol;
		}
		line = eol + 2;
	}
	if (clen >= 0) {
		if (hlen + (size_t)clen > RESP_BUF - 1) {
			return -1;
		}
		return c->got >= hlen + (size_t)clen ? 1 : 0;
	}
	if (chunked) {
		/* Good enough for a small health body: the last chunk. */
		return strstr(hend + 2, "\r\n0\r\n\r\n") != NULL ? 1 : 0;
	}
	/* No length: 1xx/204/304 only, which a 2xx /healthz is not. */
	return -1;
}

struct counts {
	long established;
	long used;
	long failed;
	long closed_by_peer;
	long in_progress;
};

static void
handle_setup_event(struct conn *c, struct counts *k)
{
	if (c->st == ST_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof(err);
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0) {
			if (k->failed < 5) {
				fprintf(stderr, "idle_conns: connect: %s\n",
				        strerror(err));
			}
			conn_close(c, ST_CLOSED);
			k->failed++;
			k->in_progress--;
			return;
		}
		c->st = ST_SENDING;
		k->established++;
	}
	if (c->st == ST_SENDING) {
		while (c->sent < sizeof(request) - 1) {
			ssize_t n = send(c->fd, request + c->sent,
			        sizeof(request) - 1 - c->sent, MSG_NOSIGNAL);
			if (n > 0) {
				c->sent += (unsigned)n;
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				return;
			}
			conn_close(c, ST_CLOSED);
			k->failed++;
			k->in_progress--;
			return;
		}
		c->st = ST_READING;
		c->buf = malloc(RESP_BUF);
		if (c->buf == NULL) {
			conn_close(c, ST_CLOSED);
			k->failed++;
			k->in_progress--;
			return;
		}
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP,
		        .data.u32 = (uint32_t)(c - conns)};
		epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
	}
	if (c->st == ST_READING) {
		for (;;) {
			ssize_t n = recv(c->fd, c->buf + c->got,
			        RESP_BUF - 1 - c->got, 0);
			if (n > 0) {
				c->got += (unsigned)n;
				int r = response_complete(c);
				if (r == 1) {
					free(c->buf);
					c->buf = NULL;
					c->st = ST_IDLE;
					k->used++;
					k->in_progress--;
					return;
				}
				if (r < 0) {
					if (k->failed < 5) {
						fprintf(stderr,
						        "idle_conns: bad "
						        "response: %.60s\n",
						        c->buf);
					}
					conn_close(c, ST_CLOSED);
					k->failed++;
					k->in_progress--;
					return;
				}
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				return;
			}
			/* EOF or error before the response was complete. */
			conn_close(c, ST_CLOSED);
			k->failed++;
			k->in_progress--;
			return;
		}
	}
}

/* An event on an idle connection: the peer closed it or sent something. */
static void
handle_idle_event(struct conn *c, struct counts *k)
{
	char tmp[512];
	for (;;) {
		ssize_t n = recv(c->fd, tmp, sizeof(tmp), 0);
		if (n > 0) {
			continue; /* unexpected bytes (e.g. a 408); ignore */
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			return;
		}
		conn_close(c, ST_CLOSED);
		k->closed_by_peer++;
		return;
	}
}

int
main(int argc, char **argv)
{
	long n = 10000, idle_s = 5, batch = 256, setup_s = 60;
	const char *target = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (a[0] == '-' && a[1] != '\0' && a[2] == '\0' &&
		        i + 1 < argc) {
			const char *v = argv[++i];
			switch (a[1]) {
			case 'n':
				n = parse_num(v, 1, MAX_CONNS, "-n");
				break;
			case 's':
				idle_s = parse_num(v, 0, MAX_IDLE_S, "-s");
				break;
			case 'b':
				batch = parse_num(v, 1, 65536, "-b");
				break;
			case 't':
				setup_s = parse_num(v, 1, 3600, "-t");
				break;
			default:
				usage(stderr);
				return 2;
			}
		} else if (target == NULL && a[0] != '-') {
			target = a;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (target == NULL) {
		usage(stderr);
		return 2;
	}

	struct sockaddr_in sin = {.sin_family = AF_INET};
	{
		const char *colon = strrchr(target, ':');
		char host[64];
		if (colon == NULL || (size_t)(colon - target) >= sizeof(host)) {
			fprintf(stderr, "idle_conns: bad HOST:PORT %s\n",
			        target);
			return 2;
		}
		memcpy(host, target, (size_t)(colon - target));
		host[colon - target] = '\0';
		long port = parse_num(colon + 1, 1, 65535, "port");
		sin.sin_port = htons((uint16_t)port);
		if (strcmp(host, "localhost") == 0) {
			strcpy(host, "127.0.0.1");
		}
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
			fprintf(stderr,
			        "idle_conns: HOST must be an IPv4 "
			        "address: %s\n",
			        host);
			return 2;
		}
		/* This tool is for loopback benchmarks only. */
		if ((ntohl(sin.sin_addr.s_addr) >> 24) != 127) {
			fprintf(stderr,
			        "idle_conns: refusing non-loopback target %s\n",
			        host);
			return 2;
		}
	}

	const long requested = n;
	n = ensure_nofile(n);
	if (n <= 0) {
		fprintf(stderr, "idle_conns: no file descriptors available\n");
		return 1;
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	conns = calloc((size_t)n, sizeof(*conns));
	struct epoll_event *evs = calloc(1024, sizeof(*evs));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || evs == NULL || epfd < 0) {
		fprintf(stderr, "idle_conns: out of memory or epoll_create\n");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		conns[i].fd = -1;
	}

	/* Phase 1: open and use them, at most `batch` in progress. */
	struct counts k = {0};
	long next = 0;
	const int64_t t0 = now_ms();
	const int64_t setup_deadline = t0 + setup_s * 1000;
	int64_t last_report = t0;
	while (!stop_requested && (next < n || k.in_progress > 0)) {
		while (next < n && k.in_progress < batch) {
			if (conn_start(&conns[next], &sin, (uint32_t)next) ==
			        0) {
				k.in_progress++;
			} else {
				k.failed++;
			}
			next++;
		}
		int64_t now = now_ms();
		if (now >= setup_deadline) {
			fprintf(stderr,
			        "idle_conns: setup time limit (%lds) reached "
			        "with %ld in progress, %ld not started\n",
			        setup_s, k.in_progress, n - next);
			break;
		}
		if (now - last_report >= 2000) {
			fprintf(stderr, "idle_conns: %ld used, %ld failed\n",
			        k.used, k.failed);
			last_report = now;
		}
		int64_t wait = setup_deadline - now;
		int ne = epoll_wait(
		        epfd, evs, 1024, wait > 200 ? 200 : (int)wait);
		if (ne < 0 && errno != EINTR) {
			perror("idle_conns: epoll_wait");
			break;
		}
		for (int i = 0; i < ne; i++) {
			struct conn *c = &conns[evs[i].data.u32];
			if (c->fd < 0) {
				continue;
			}
			if (c->st == ST_IDLE) {
				handle_idle_event(c, &k);
			} else {
				handle_setup_event(c, &k);
			}
		}
	}
	/* Anything still in progress counts as failed. */
	for (long i = 0; i < n; i++) {
		struct conn *c = &conns[i];
		if (c->fd >= 0 && c->st != ST_IDLE) {
			conn_close(c, ST_CLOSED);
			k.failed++;
		}
	}
	const int64_t setup_ms = now_ms() - t0;
	printf("HOLDING established=%ld used=%ld\n", k.established, k.used);
	fflush(stdout);
	fprintf(stderr,
	        "idle_conns: %ld of %ld connections used in %lld ms; idle "
	        "for %lds\n",
	        k.used, requested, (long long)setup_ms, idle_s);

	/* Phase 2: hold them idle; only a close (or stray bytes) wakes us. */
	const int64_t idle_deadline = now_ms() + idle_s * 1000;
	while (!stop_requested) {
		int64_t left = idle_deadline - now_ms();
		if (left <= 0) {
			break;
		}
		int ne = epoll_wait(
		        epfd, evs, 1024, left > 500 ? 500 : (int)left);
		if (ne < 0 && errno != EINTR) {
			perror("idle_conns: epoll_wait");
			break;
		}
		for (int i = 0; i < ne; i++) {
			struct conn *c = &conns[evs[i].data.u32];
			if (c->fd >= 0 && c->st == ST_IDLE) {
				handle_idle_event(c, &k);
			}
		}
	}

	/* Final check: a peek on each says whether it is still open. */
	long open_at_end = 0;
	for (long i = 0; i < n; i++) {
		struct conn *c = &conns[i];
		if (c->fd < 0 || c->st != ST_IDLE) {
			continue;
		}
		char b;
		ssize_t r = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			open_at_end++;
		} else if (r > 0) {
			open_at_end++; /* open, with unread stray bytes */
		} else {
			conn_close(c, ST_CLOSED);
			k.closed_by_peer++;
		}
	}
	printf("RESULT requested=%ld established=%ld used=%ld open_at_end=%ld "
	       "closed_by_peer=%ld failed=%ld setup_ms=%lld idle_s=%ld%s\n",
	        requested, k.established, k.used, open_at_end, k.closed_by_peer,
	        k.failed, (long long)setup_ms, idle_s,
	        stop_requested ? " interrupted=1" : "");
	fflush(stdout);

	for (long i = 0; i < n; i++) {
		conn_close(&conns[i], ST_CLOSED);
	}
	close(epfd);
	free(conns);
	free(evs);
	return 0;
}
