/*
 * http.c - connection state machine: head, body, handling, writing, linger
 */
#include "http.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "req.h"
#include "router.h"
#include "server.h"

enum conn_state { C_HEAD, C_BODY, C_HANDLING, C_WRITING, C_LINGER };

/* How long a closing connection keeps draining unread input. */
#define LINGER_MS 2000
/* Largest slice of a chunked body decoded at once. */
#define CHUNK_SLICE 16384

struct conn {
	struct conn *prev, *next;
	struct worker *w;
	struct bufferevent *bev;
	struct event *timer;
	enum conn_state st;
	struct req *req;
	int close_after; /* close once the current response is written */
	int peer_eof;
	int unread_body; /* answered before the body was read */
	int got_bytes;   /* part of a request has arrived: read deadline */
	int chunked;
	size_t need; /* Content-Length of the current body */
	struct http_chunked ck;
	struct evbuffer *cbody;
	char peer[46]; /* the peer's address, for rate limits */
};

static void conn_process(struct conn *c);

static void
arm(struct conn *c, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	evtimer_add(c->timer, &tv);
}

static void
conn_free(struct conn *c)
{
	struct worker *w = c->w;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	w->nconns--;
	if (c->req != NULL) {
		struct req *r = c->req;

		c->req = NULL;
		r->conn = NULL;
		req_release(r);
	}
	event_free(c->timer);
	bufferevent_free(c->bev);
	if (c->cbody != NULL)
		evbuffer_free(c->cbody);
	free(c);
	if (w->draining && w->nconns == 0)
		worker_drained(w);
}

/* Answers an error found while reading; the connection closes after. */
static void
read_error(struct conn *c, enum err e, const char *detail)
{
	struct req *r = c->req;

	if (r == NULL)
		r = c->req = req_new(c->w, c);
	c->close_after = 1;
	c->unread_body = 1;
	evtimer_del(c->timer);
	req_fail(r, e, "%s", detail);
}

static void
start_close(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);

	if (!c->unread_body && evbuffer_get_length(in) == 0) {
		conn_free(c);
		return;
	}
	/*
	 * Closing with unread input would make the kernel send RST, which can
	 * destroy the response before the client reads it: half-close, then
	 * drain for a while (RFC 9112 section 9.6).
	 */
	shutdown(bufferevent_getfd(c->bev), SHUT_WR);
	evbuffer_drain(in, evbuffer_get_length(in));
	c->st = C_LINGER;
	bufferevent_enable(c->bev, EV_READ);
	arm(c, LINGER_MS);
}

static void
dispatch(struct conn *c)
{
	c->st = C_HANDLING;
	evtimer_del(c->timer);
	router_dispatch(c->req);
}

static void
start_request(struct conn *c, size_t headlen)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	const struct config *cfg = &g_server.cfg;
	struct req *r = c->req = req_new(c->w, c);
	char *buf = arena_alloc(r->arena, headlen + 1);
	const char *detail, *q;
	enum err e;

	evbuffer_remove(in, buf, headlen);
	buf[headlen] = '\0';
	e = http_parse_head(buf, headlen, &r->head, &detail);
	if (e != ERR_OK) {
		read_error(c, e, detail);
		return;
	}
	r->method = r->head.method;
	q = memchr(r->head.target, '?', r->head.target_len);
	if (q != NULL) {
		r->path = arena_strndup(
		        r->arena, r->head.target, (size_t)(q - r->head.target));
		r->query = arena_strndup(r->arena, q + 1,
		        r->head.target_len - (size_t)(q - r->head.target) - 1);
	} else {
		r->path = arena_strndup(
		        r->arena, r->head.target, r->head.target_len);
	}
	req_take_id(r);
	if (!r->head.keep_alive)
		c->close_after = 1;
	if (r->head.chunked) {
		c->chunked = 1;
		memset(&c->ck, 0, sizeof(c->ck));
		if (c->cbody == NULL)
			c->cbody = evbuffer_new();
		else
			evbuffer_drain(c->cbody, evbuffer_get_length(c->cbody));
		c->st = C_BODY;
	} else if (r->head.content_length > 0) {
		if ((uint64_t)r->head.content_length > cfg->max_body) {
			char msg[96];

			snprintf(msg, sizeof(msg),
			        "request body exceeds the limit of %zu bytes",
			        cfg->max_body);
			read_error(c, ERR_TOO_LARGE, msg);
			return;
		}
		c->chunked = 0;
		c->need = (size_t)r->head.content_length;
		c->st = C_BODY;
	} else {
		dispatch(c);
		return;
	}
	if (r->head.expect_continue && r->head.minor >= 1)
		bufferevent_write(c->bev, "HTTP/1.1 100 Continue\r\n\r\n", 25);
}

/* Returns 1 when the body is complete and the request was dispatched. */
static int
read_body(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct req *r = c->req;
	char *body;

	if (!c->chunked) {
		if (evbuffer_get_length(in) < c->need)
			return 0;
		body = arena_alloc(r->arena, c->need + 1);
		evbuffer_remove(in, body, c->need);
		body[c->need] = '\0';
		r->body = body;
		r->body_len = c->need;
		dispatch(c);
		return 1;
	}
	for (;;) {
		size_t n = evbuffer_get_length(in), outlen, used;
		char out[CHUNK_SLICE];
		const char *data;
		enum http_chunked_status s;

		if (n == 0)
			return 0;
		if (n > CHUNK_SLICE)
			n = CHUNK_SLICE;
		data = (const char *)evbuffer_pullup(in, (ssize_t)n);
		s = http_chunked_feed(&c->ck, data, n, g_server.cfg.max_body,
		        out, &outlen, &used);
		if (s == HTTP_CHUNKED_BAD) {
			read_error(c, ERR_BAD_REQUEST,
			        "malformed chunked request body");
			return 0;
		}
		if (s == HTTP_CHUNKED_TOO_LARGE) {
			char msg[96];

			snprintf(msg, sizeof(msg),
			        "request body exceeds the limit of %zu bytes",
			        g_server.cfg.max_body);
			read_error(c, ERR_TOO_LARGE, msg);
			return 0;
		}
		evbuffer_add(c->cbody, out, outlen);
		evbuffer_drain(in, used);
		if (s == HTTP_CHUNKED_DONE) {
			size_t bl = evbuffer_get_length(c->cbody);

			body = arena_alloc(r->arena, bl + 1);
			evbuffer_remove(c->cbody, body, bl);
			body[bl] = '\0';
			r->body = body;
			r->body_len = bl;
			dispatch(c);
			return 1;
		}
	}
}

static void
conn_process(struct conn *c)
{
	const struct config *cfg = &g_server.cfg;

	for (;;) {
		struct evbuffer *in = bufferevent_get_input(c->bev);
		size_t len = evbuffer_get_length(in);
		struct evbuffer_ptr p;

		if (c->st == C_BODY) {
			if (!read_body(c))
				return;
			continue;
		}
		if (c->st != C_HEAD)
			return;
		/* RFC 9112 section 2.2: ignore empty lines before a request. */
		while (len >= 2) {
			unsigned char b[2];

			evbuffer_copyout(in, b, 2);
			if (b[0] != '\r' || b[1] != '\n')
				break;
			evbuffer_drain(in, 2);
			len -= 2;
		}
		if (len == 0)
			return;
		if (!c->got_bytes) {
			c->got_bytes = 1;
			arm(c, cfg->read_timeout_ms);
		}
		p = evbuffer_search(in, "\r\n\r\n", 4, NULL);
		if (p.pos < 0 ? len > cfg->max_header
		              : (size_t)p.pos + 4 > cfg->max_header) {
			char msg[96];

			snprintf(msg, sizeof(msg),
			        "request head exceeds the limit of %zu bytes",
			        cfg->max_header);
			read_error(c, ERR_HEADERS_TOO_LARGE, msg);
			return;
		}
		if (p.pos < 0)
			return;
		start_request(c, (size_t)p.pos + 4);
	}
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->st == C_LINGER) {
		struct evbuffer *in = bufferevent_get_input(bev);

		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	conn_process(c);
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->st != C_WRITING)
		return;
	if (c->close_after || c->peer_eof || c->w->draining) {
		start_close(c);
		return;
	}
	c->st = C_HEAD;
	c->got_bytes = 0;
	arm(c, g_server.cfg.idle_timeout_ms);
	conn_process(c);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	        (c->st == C_HANDLING || c->st == C_WRITING)) {
		/* Half-closed by the client: still answer, then close. */
		c->peer_eof = 1;
		return;
	}
	conn_free(c);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (c->st == C_LINGER || (c->st == C_HEAD && !c->got_bytes)) {
		conn_free(c);
		return;
	}
	if (c->st == C_HEAD || c->st == C_BODY) {
		char msg[96];

		snprintf(msg, sizeof(msg), "request not received within %d ms",
		        g_server.cfg.read_timeout_ms);
		read_error(c, ERR_TIMEOUT, msg);
	}
}

/* The numeric address of the socket's peer ("" when unknown). */
static void
peer_address(evutil_socket_t fd, char *out, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	out[0] = '\0';
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out,
		        (socklen_t)size);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		        out, (socklen_t)size);
}

void
conn_accept(struct worker *w, evutil_socket_t fd)
{
	const struct config *cfg = &g_server.cfg;
	struct timeval wtv = {cfg->write_timeout_ms / 1000,
	        (cfg->write_timeout_ms % 1000) * 1000};
	struct conn *c;
	int one = 1;

	if (w->draining || w->nconns >= cfg->max_connections) {
		evutil_closesocket(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->w = w;
	peer_address(fd, c->peer, sizeof(c->peer));
	c->bev = bufferevent_socket_new(w->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->timer = evtimer_new(w->base, on_timer, c);
	if (c->bev == NULL || c->timer == NULL)
		abort();
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_set_timeouts(c->bev, NULL, &wtv);
	/* Stop reading a pipelining client that runs far ahead of us. */
	bufferevent_setwatermark(
	        c->bev, EV_READ, 0, cfg->max_header + cfg->max_body + 65536);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->st = C_HEAD;
	c->next = w->conns;
	if (w->conns != NULL)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;
	arm(c, cfg->idle_timeout_ms);
}

const char *
conn_peer(const struct conn *c)
{
	return c->peer;
}

int
conn_will_close(const struct conn *c, const struct req *r)
{
	(void)r;
	return c->close_after || c->peer_eof || c->w->draining;
}

void
conn_respond(struct conn *c, struct req *r, const char *head, size_t headlen,
        const char *body, size_t bodylen)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	evbuffer_add(out, head, headlen);
	if (bodylen > 0)
		evbuffer_add(out, body, bodylen);
	if (c->req == r)
		c->req = NULL;
	c->st = C_WRITING;
	evtimer_del(c->timer);
}

void
conn_drain_all(struct worker *w)
{
	struct conn *c = w->conns, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		if (c->st == C_HEAD && !c->got_bytes)
			conn_free(c);
		else
			c->close_after = 1;
	}
}

void
conn_close_all(struct worker *w)
{
	while (w->conns != NULL)
		conn_free(w->conns);
}
