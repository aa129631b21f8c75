/*
 * minimal_evhttp: a baseline HTTP server for tests/bench/run.sh.
 *
 * It answers the same bytes as the participe server for two endpoints, with
 * the least work libevent's evhttp allows, so that the benchmark can show how
 * far participe is from "libevent alone":
 *
 *   GET /healthz            -> 200, body from --healthz-body FILE
 *                              (or --healthz-json STRING; default
 *                              {"status":"ok"})
 *   GET /readyz             -> same as /healthz (lets it stand in for a
 *                              server behind a readiness check)
 *   GET /v1/collectivities  -> 200, body from --list-body FILE
 *   anything else           -> 404
 *
 * --healthz-header / --list-header add extra response headers (run.sh copies
 * participe's own, e.g. X-Request-Id with a fixed value of the same length),
 * so both servers put the same number of bytes on the wire.
 *
 * -w N runs N threads, each with its own event_base, evhttp and listening
 * socket bound with SO_REUSEPORT, so the kernel spreads connections the way
 * it does for a multi-worker server. Bodies are loaded once and sent by
 * reference (no copy per request).
 *
 * Stops cleanly on SIGINT or SIGTERM.
 *
 * Build: cc -O2 -std=c17 -Wall -Wextra -Werror -o minimal_evhttp \
 *        minimal_evhttp.c $(pkg-config --cflags --libs libevent \
 *        libevent_pthreads) -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>

#define MAX_WORKERS 64
#define MAX_BODY (64u * 1024u * 1024u)
#define MAX_HEADERS 16

struct header {
	char *name;
	const char *value;
};

struct body {
	char *data;
	size_t len;
	const char *type;
	struct header headers[MAX_HEADERS]; /* extra response headers */
	int nheaders;
};

static struct body healthz_body;
static struct body list_body;

struct worker {
	pthread_t thread;
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	int index;
};

static struct worker workers[MAX_WORKERS];

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: minimal_evhttp -l HOST:PORT [-w WORKERS]\n"
	        "         [--healthz-body FILE | --healthz-json STRING]\n"
	        "         [--healthz-type TYPE] [--list-body FILE]"
	        " [--list-type TYPE]\n"
	        "         [--healthz-header H]... [--list-header H]...\n"
	        "  -l HOST:PORT      listen address (IPv4), e.g. "
	        "127.0.0.1:8081\n"
	        "  -w N              worker threads, SO_REUSEPORT (default 2)\n"
	        "  --healthz-body F  body for GET /healthz (and /readyz)\n"
	        "  --healthz-json S  same, given inline "
	        "(default {\"status\":\"ok\"})\n"
	        "  --list-body F     body for GET /v1/collectivities "
	        "(default [])\n"
	        "  --*-type TYPE     Content-Type (default "
	        "application/json)\n"
	        "  --healthz-header 'Name: value', --list-header 'Name: "
	        "value'\n"
	        "                    extra response header (repeatable, max %d)"
	        "\n",
	        MAX_HEADERS);
}

static int
read_file(const char *path, struct body *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "minimal_evhttp: cannot open %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_BODY) {
				fprintf(stderr,
				        "minimal_evhttp: %s is too large\n",
				        path);
				free(buf);
				fclose(f);
				return -1;
			}
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			break;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		fprintf(stderr, "minimal_evhttp: error reading %s\n", path);
		free(buf);
		return -1;
	}
	b->data = buf;
	b->len = len;
	return 0;
}

static int
set_inline(const char *s, struct body *b)
{
	b->len = strlen(s);
	b->data = malloc(b->len + 1);
	if (b->data == NULL) {
		return -1;
	}
	memcpy(b->data, s, b->len + 1);
	return 0;
}

/* "Name: value" -> an extra header of b. */
static int
add_header(struct body *b, const char *h)
{
	const char *colon = strchr(h, ':');
	if (colon == NULL || colon == h || b->nheaders == MAX_HEADERS ||
	        strpbrk(h, "\r\n") != NULL) {
		fprintf(stderr, "minimal_evhttp: bad or too many headers: %s\n",
		        h);
		return -1;
	}
	struct header *x = &b->headers[b->nheaders];
	x->name = strndup(h, (size_t)(colon - h));
	if (x->name == NULL) {
		return -1;
	}
	x->value = colon + 1 + strspn(colon + 1, " \t");
	b->nheaders++;
	return 0;
}

static void
send_body(struct evhttp_request *req, const struct body *b)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	evhttp_add_header(out, "Content-Type", b->type);
	for (int i = 0; i < b->nheaders; i++) {
		evhttp_add_header(out, b->headers[i].name, b->headers[i].value);
	}
	struct evbuffer *buf = evhttp_request_get_output_buffer(req);
	/* The body outlives every request: add it by reference, no copy. */
	evbuffer_add_reference(buf, b->data, b->len, NULL, NULL);
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static void
handle(struct evhttp_request *req, void *arg)
{
	(void)arg;
	const char *uri = evhttp_request_get_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	size_t plen = strcspn(uri, "?");

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	if ((plen == 8 && memcmp(uri, "/healthz", 8) == 0) ||
	        (plen == 7 && memcmp(uri, "/readyz", 7) == 0)) {
		send_body(req, &healthz_body);
	} else if (plen == 18 && memcmp(uri, "/v1/collectivities", 18) == 0) {
		send_body(req, &list_body);
	} else {
		evhttp_send_error(req, HTTP_NOTFOUND, "Not Found");
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	event_base_dispatch(w->base);
	return NULL;
}

static int
parse_listen(const char *s, struct sockaddr_in *sin)
{
	const char *colon = strrchr(s, ':');
	if (colon == NULL || colon == s || colon[1] == '\0') {
		return -1;
	}
	char host[64];
	size_t hlen = (size_t)(colon - s);
	if (hlen >= sizeof(host)) {
		return -1;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	char *end = NULL;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535) {
		return -1;
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		return -1;
	}
	return 0;
}

static void
raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(int argc, char **argv)
{
	const char *listen_addr = NULL;
	const char *healthz_file = NULL, *healthz_json = NULL;
	const char *list_file = NULL;
	const char *healthz_type = "application/json";
	const char *list_type = "application/json";
	long nworkers = 2;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (v == NULL) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "-l") == 0) {
			listen_addr = v;
		} else if (strcmp(a, "-w") == 0) {
			char *end = NULL;
			nworkers = strtol(v, &end, 10);
			if (*end != '\0' || nworkers < 1 ||
			        nworkers > MAX_WORKERS) {
				fprintf(stderr,
				        "minimal_evhttp: -w must be 1..%d\n",
				        MAX_WORKERS);
				return 2;
			}
		} else if (strcmp(a, "--healthz-body") == 0) {
			healthz_file = v;
		} else if (strcmp(a, "--healthz-json") == 0) {
			healthz_json = v;
		} else if (strcmp(a, "--healthz-type") == 0) {
			healthz_type = v;
		} else if (strcmp(a, "--list-body") == 0) {
			list_file = v;
		} else if (strcmp(a, "--list-type") == 0) {
			list_type = v;
		} else if (strcmp(a, "--healthz-header") == 0) {
			if (add_header(&healthz_body, v) != 0) {
				return 2;
			}
		} else if (strcmp(a, "--list-header") == 0) {
			if (add_header(&list_body, v) != 0) {
				return 2;
			}
		} else {
			usage(stderr);
			return 2;
		}
		i++;
	}
	if (listen_addr == NULL) {
		usage(stderr);
		return 2;
	}
	struct sockaddr_in sin;
	if (parse_listen(listen_addr, &sin) != 0) {
		fprintf(stderr, "minimal_evhttp: bad -l address: %s\n",
		        listen_addr);
		return 2;
	}
	if (healthz_file != NULL) {
		if (read_file(healthz_file, &healthz_body) != 0) {
			return 1;
		}
	} else if (set_inline(healthz_json != NULL ? healthz_json
	                                           : "{\"status\":\"ok\"}",
	                   &healthz_body) != 0) {
		return 1;
	}
	if (list_file != NULL) {
		if (read_file(list_file, &list_body) != 0) {
			return 1;
		}
	} else if (set_inline("[]", &list_body) != 0) {
		return 1;
	}
	healthz_body.type = healthz_type;
	list_body.type = list_type;

	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() != 0) {
		fprintf(stderr, "minimal_evhttp: evthread_use_pthreads\n");
		return 1;
	}

	/* Block the stop signals in every thread; main waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	for (int i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];
		w->index = i;
		w->base = event_base_new();
		if (w->base == NULL) {
			fprintf(stderr, "minimal_evhttp: event_base_new\n");
			return 1;
		}
		w->http = evhttp_new(w->base);
		if (w->http == NULL) {
			fprintf(stderr, "minimal_evhttp: evhttp_new\n");
			return 1;
		}
		evhttp_set_allowed_methods(
		        w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
		/* Keep idle keep-alive connections as long as the bench
		 * might hold them. */
		evhttp_set_timeout(w->http, 300);
		evhttp_set_gencb(w->http, handle, NULL);
		w->listener = evconnlistener_new_bind(w->base, NULL, NULL,
		        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
		                LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_EXEC,
		        4096, (struct sockaddr *)&sin, sizeof(sin));
		if (w->listener == NULL) {
			fprintf(stderr,
			        "minimal_evhttp: cannot listen on %s: "
			        "%s\n",
			        listen_addr, strerror(errno));
			return 1;
		}
		if (evhttp_bind_listener(w->http, w->listener) == NULL) {
			fprintf(stderr,
			        "minimal_evhttp: evhttp_bind_listener\n");
			return 1;
		}
	}
	for (int i = 0; i < nworkers; i++) {
		int rc = pthread_create(
		        &workers[i].thread, NULL, worker_main, &workers[i]);
		if (rc != 0) {
			fprintf(stderr, "minimal_evhttp: pthread_create: %s\n",
			        strerror(rc));
			return 1;
		}
	}
	fprintf(stderr,
	        "minimal_evhttp: listening on %s, %ld worker(s), healthz %zu "
	        "bytes, list %zu bytes\n",
	        listen_addr, nworkers, healthz_body.len, list_body.len);

	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "minimal_evhttp: signal %d, stopping\n", sig);
	for (int i = 0; i < nworkers; i++) {
		event_base_loopbreak(workers[i].base);
	}
	for (int i = 0; i < nworkers; i++) {
		pthread_join(workers[i].thread, NULL);
		evhttp_free(workers[i].http);
		event_base_free(workers[i].base);
	}
	free(healthz_body.data);
	free(list_body.data);
	for (int i = 0; i < healthz_body.nheaders; i++) {
		free(healthz_body.headers[i].name);
	}
	for (int i = 0; i < list_body.nheaders; i++) {
		free(list_body.headers[i].name);
	}
	return 0;
}
