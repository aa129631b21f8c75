/*
 * client.c - a tiny blocking HTTP/1.1 client for the black-box API tests
 */
#include "client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>

static char g_host[256];
static char g_authority[300];
static int g_port;
static int g_inited;

static char *xstrndup(const char *s, size_t n);

static void
http_init(void)
{
	const char *url = getenv("PARTICIPE_TEST_URL");
	const char *p, *colon, *end;
	size_t n;

	if (g_inited)
		return;
	g_inited = 1;
	signal(SIGPIPE, SIG_IGN);
	if (url == NULL || *url == '\0')
		url = "http://127.0.0.1:8080";
	p = url;
	if (strncmp(p, "http://", 7) == 0)
		p += 7;
	end = p + strcspn(p, "/");
	if (*p == '[') { /* [v6]:port */
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL)
			rb = end;
		n = (size_t)(rb - p - 1);
		if (n >= sizeof(g_host))
			n = sizeof(g_host) - 1;
		memcpy(g_host, p + 1, n);
		g_host[n] = '\0';
		colon = rb < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		n = (size_t)((colon != NULL ? colon : end) - p);
		if (n >= sizeof(g_host))
			n = sizeof(g_host) - 1;
		memcpy(g_host, p, n);
		g_host[n] = '\0';
	}
	g_port = colon != NULL ? atoi(colon + 1) : 80;
	if (g_port <= 0 || g_port > 65535)
		g_port = 80;
	snprintf(g_authority, sizeof(g_authority),
	        strchr(g_host, ':') != NULL ? "[%s]:%d" : "%s:%d", g_host,
	        g_port);
}

const char *
http_host(void)
{
	http_init();
	return g_host;
}

int
http_port(void)
{
	http_init();
	return g_port;
}

const char *
http_authority(void)
{
	http_init();
	return g_authority;
}

const char *
http_admin_token(void)
{
	const char *t = getenv("PARTICIPE_TEST_ADMIN_TOKEN");

	return t != NULL ? t : "";
}

long
http_env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return def;
	return n;
}

long long
http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
http_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *
http_err_name(enum http_err e)
{
	switch (e) {
	case HTTP_OK:
		return "ok";
	case HTTP_ERR_EOF:
		return "connection closed before a complete response";
	case HTTP_ERR_TIMEOUT:
		return "timed out waiting for a complete response";
	case HTTP_ERR_PARSE:
		return "not an HTTP/1.x response";
	case HTTP_ERR_IO:
		return "socket error";
	}
	return "?";
}

/* ---- connections ---- */

static void
set_sock_timeout(int fd, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

struct http_conn *
conn_open(void)
{
	http_init();
	return conn_open_port(g_port);
}

struct http_conn *
conn_open_port(int port_no)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct http_conn *c;
	char port[16];
	int fd = -1, rc, one = 1;

	http_init();
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", port_no);
	rc = getaddrinfo(g_host, port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "client: cannot resolve %s: %s\n", g_host,
		        gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		        ai->ai_protocol);
		if (fd < 0)
			continue;
		set_sock_timeout(fd, HTTP_DEFAULT_TIMEOUT_MS);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		fprintf(stderr, "client: cannot connect to %s: %s\n",
		        g_authority, strerror(errno));
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->fd = fd;
	c->timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	return c;
}

void
conn_set_timeout(struct http_conn *c, int ms)
{
	c->timeout_ms = ms;
	set_sock_timeout(c->fd, ms);
}

/*
 * Remembers the request lines found in bytes being sent: at the start of
 * the payload or right after an empty line. Good enough for the contract
 * record; raw malformed requests simply go unmatched.
 */
static void
note_requests(struct http_conn *c, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *sp1, *sp2, *eol;
		size_t rest = n - i;

		if (i == 0 ||
		        (i >= 4 && memcmp(p + i - 4, "\r\n\r\n", 4) == 0)) {
			sp1 = memchr(p + i, ' ', rest);
			eol = memmem(p + i, rest, "\r\n", 2);
			sp2 = sp1 != NULL && eol != NULL
			              ? memchr(sp1 + 1, ' ',
			                        (size_t)(eol - sp1 - 1))
			              : NULL;
			if (sp2 != NULL && sp1 > p + i && sp1[1] == '/' &&
			        (size_t)(eol - sp2) >= 9 &&
			        memcmp(sp2 + 1, "HTTP/1.", 7) == 0 &&
			        c->nsent < (int)(sizeof(c->sent) /
			                           sizeof(c->sent[0])))
				c->sent[c->nsent++] = xstrndup(
				        p + i, (size_t)(sp2 - (p + i)));
		}
		i++;
	}
}

/* Appends one exchange as a JSON line to PARTICIPE_TEST_RECORD. */
static void
record(struct http_conn *c, const struct http_resp *r)
{
	const char *file = getenv("PARTICIPE_TEST_RECORD");
	char *line = NULL, *sp;
	json_t *o, *h;
	size_t i;
	int fd;

	if (c->nsent > 0) {
		line = c->sent[0];
		memmove(c->sent, c->sent + 1,
		        sizeof(c->sent[0]) * (size_t)(c->nsent - 1));
		c->nsent--;
	}
	if (file == NULL || *file == '\0' || r == NULL) {
		free(line);
		return;
	}
	sp = line != NULL ? strchr(line, ' ') : NULL;
	if (sp != NULL)
		*sp = '\0';
	h = json_object();
	for (i = 0; i < r->nheaders; i++) {
		char name[128];
		size_t k;

		snprintf(name, sizeof(name), "%s", r->headers[i].name);
		for (k = 0; name[k] != '\0'; k++)
			if (name[k] >= 'A' && name[k] <= 'Z')
				name[k] = (char)(name[k] + 32);
		json_object_set_new(h, name, json_string(r->headers[i].value));
	}
	o = json_pack("{s:s, s:s, s:i, s:s, s:o, s:s%}", "method",
	        sp != NULL ? line : "?", "path", sp != NULL ? sp + 1 : "?",
	        "status", r->status, "content_type",
	        http_resp_header(r, "content-type") != NULL
	                ? http_resp_header(r, "content-type")
	                : "",
	        "headers", h, "body", r->body != NULL ? r->body : "",
	        r->body_len);
	free(line);
	if (o == NULL)
		return; /* a body that is not UTF-8: nothing to validate */
	line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0 && line != NULL) {
		size_t len = strlen(line);

		line[len] = '\n'; /* replaces the NUL: written as one line */
		if (write(fd, line, len + 1) < 0) {
			/* the check will see fewer exchanges */
		}
	}
	if (fd >= 0)
		close(fd);
	free(line);
}

int
conn_send(struct http_conn *c, const void *data, size_t n)
{
	const char *p = data;

	note_requests(c, p, n);

	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			c->sys_errno = errno;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
conn_send_str(struct http_conn *c, const char *s)
{
	return conn_send(c, s, strlen(s));
}

int
conn_send_request(struct http_conn *c, const char *method, const char *path,
        const char *extra, const char *body, size_t body_len)
{
	size_t hl = strlen(method) + strlen(path) +
	            (extra != NULL ? strlen(extra) : 0) + 128;
	char *head;
	int n, rc;

	http_init();
	hl += strlen(g_authority);
	head = malloc(hl);
	if (head == NULL)
		abort();
	if (body != NULL)
		n = snprintf(head, hl,
		        "%s %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: "
		        "%zu\r\n\r\n",
		        method, path, g_authority, extra != NULL ? extra : "",
		        body_len);
	else
		n = snprintf(head, hl, "%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n",
		        method, path, g_authority, extra != NULL ? extra : "");
	if (n < 0 || (size_t)n >= hl)
		abort(); /* cannot be, unless path changed under us */
	rc = conn_send(c, head, (size_t)n);
	free(head);
	if (rc == 0 && body != NULL && body_len > 0)
		rc = conn_send(c, body, body_len);
	return rc;
}

/* Receive more bytes into the buffer: 1 got some, 0 EOF, -1 error or
 * timeout (c->err set). */
static int
fill(struct http_conn *c)
{
	ssize_t r;

	if (c->eof)
		return 0;
	if (c->cap - c->len < 4096) {
		c->cap = c->cap == 0 ? 16384 : c->cap * 2;
		c->buf = realloc(c->buf, c->cap + 1);
		if (c->buf == NULL)
			abort();
	}
	for (;;) {
		r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r > 0) {
			c->len += (size_t)r;
			c->buf[c->len] = '\0';
			return 1;
		}
		if (r == 0) {
			c->eof = 1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET || errno == EPIPE) {
			c->eof = 1;
			return 0;
		}
		c->sys_errno = errno;
		c->err = errno == EAGAIN || errno == EWOULDBLOCK
		                 ? HTTP_ERR_TIMEOUT
		                 : HTTP_ERR_IO;
		return -1;
	}
}

static void
consume(struct http_conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	if (c->buf != NULL)
		c->buf[c->len] = '\0';
}

static char *
xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Parse the head in buf[0..hlen) (hlen includes the final CRLFCRLF). */
static int
parse_head(const char *buf, size_t hlen, struct http_resp *r)
{
	const char *p = buf, *end = buf + hlen - 2, *eol, *sp, *colon;
	char code[4];

	eol = memmem(p, (size_t)(end - p), "\r\n", 2);
	if (eol == NULL || eol - p < 12 || strncmp(p, "HTTP/1.", 7) != 0 ||
	        p[8] != ' ')
		return -1;
	r->version = xstrndup(p, 8);
	memcpy(code, p + 9, 3);
	code[3] = '\0';
	if (code[0] < '1' || code[0] > '5' || code[1] < '0' || code[1] > '9' ||
	        code[2] < '0' || code[2] > '9')
		return -1;
	r->status = atoi(code);
	sp = p + 12;
	if (sp < eol && *sp != ' ')
		return -1;
	r->reason = xstrndup(
	        sp < eol ? sp + 1 : eol, sp < eol ? (size_t)(eol - sp - 1) : 0);
	p = eol + 2;
	while (p < end) {
		const char *vs, *ve;
		struct http_field *h;

		eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
		if (eol == NULL)
			return -1;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL || colon == p)
			return -1;
		vs = colon + 1;
		ve = eol;
		trim(&vs, &ve);
		r->headers = realloc(
		        r->headers, (r->nheaders + 1) * sizeof(*r->headers));
		if (r->headers == NULL)
			abort();
		h = &r->headers[r->nheaders++];
		h->name = xstrndup(p, (size_t)(colon - p));
		h->value = xstrndup(vs, (size_t)(ve - vs));
		p = eol + 2;
	}
	return 0;
}

static void
resp_reset(struct http_resp *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->version);
	free(r->reason);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

struct http_resp *
conn_read_ex(struct http_conn *c, int flags)
{
	struct http_resp *r = calloc(1, sizeof(*r));
	int interim = 0;

	if (r == NULL)
		abort();
	c->err = HTTP_OK;
	for (;;) {
		const char *eoh;
		size_t hlen, blen;
		const char *cl;
		int f;

		/* the head */
		while ((eoh = c->len > 0 ? memmem(c->buf, c->len, "\r\n\r\n", 4)
		                         : NULL) == NULL) {
			if (c->len > 1024 * 1024)
				goto parse_error;
			f = fill(c);
			if (f == 0) {
				c->err = HTTP_ERR_EOF;
				goto fail;
			}
			if (f < 0)
				goto fail;
		}
		hlen = (size_t)(eoh - c->buf) + 4;
		resp_reset(r);
		if (parse_head(c->buf, hlen, r) != 0)
			goto parse_error;
		consume(c, hlen);
		if (r->status < 200 && !(flags & HTTP_READ_INTERIM)) {
			interim++;
			continue;
		}
		r->interim = interim;
		/* the body */
		cl = http_resp_header(r, "content-length");
		if (cl != NULL) {
			char *end;
			unsigned long long n = strtoull(cl, &end, 10);

			if (*cl < '0' || *cl > '9' || *end != '\0')
				goto parse_error;
			r->has_length = 1;
			blen = (size_t)n;
		} else {
			blen = SIZE_MAX; /* until EOF */
		}
		if ((flags & HTTP_READ_NO_BODY) || r->status < 200 ||
		        r->status == 204 || r->status == 304)
			blen = 0;
		while (c->len < blen) {
			f = fill(c);
			if (f == 0) {
				if (blen == SIZE_MAX)
					break;
				c->err = HTTP_ERR_EOF;
				goto fail;
			}
			if (f < 0)
				goto fail;
		}
		if (blen == SIZE_MAX)
			blen = c->len;
		r->body = xstrndup(c->buf != NULL ? c->buf : "", blen);
		r->body_len = blen;
		consume(c, blen);
		/* has the peer already closed? (no waiting) */
		if (!c->eof && c->len == 0) {
			struct pollfd pfd = {c->fd, POLLIN, 0};

			if (poll(&pfd, 1, 0) == 1)
				(void)fill(c);
		}
		r->closed = c->eof;
		if (!(flags & HTTP_READ_INTERIM) || r->status >= 200)
			record(c, r);
		return r;
	}
parse_error:
	c->err = HTTP_ERR_PARSE;
fail:
	http_resp_free(r);
	return NULL;
}

struct http_resp *
conn_read(struct http_conn *c)
{
	return conn_read_ex(c, 0);
}

int
conn_wait_readable(struct http_conn *c, int ms)
{
	struct pollfd pfd = {c->fd, POLLIN, 0};
	int rc;

	if (c->len > 0 || c->eof)
		return 1;
	do
		rc = poll(&pfd, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0;
}

int
conn_wait_closed(struct http_conn *c, int ms)
{
	long long deadline = http_now_ms() + ms;

	for (;;) {
		long long left = deadline - http_now_ms();
		size_t before = c->len;
		int f;

		if (c->len > 0)
			return -1;
		if (c->eof)
			return 1;
		if (left <= 0 || !conn_wait_readable(c, (int)left))
			return c->eof ? 1 : 0;
		f = fill(c);
		if (f == 0)
			return 1;
		if (f > 0 && c->len > before)
			return -1;
		if (f < 0 && c->err != HTTP_ERR_TIMEOUT)
			return 1; /* a hard socket error: the peer is gone */
	}
}

size_t
conn_pending(const struct http_conn *c)
{
	return c->len;
}

void
conn_close(struct http_conn *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c->buf);
	while (c->nsent > 0)
		free(c->sent[--c->nsent]);
	free(c);
}

/* ---- one-shot requests ---- */

struct http_resp *
http_request(const char *method, const char *path, const char *extra,
        const char *body, size_t body_len)
{
	struct http_conn *c = conn_open();
	struct http_resp *r;

	if (c == NULL)
		return NULL;
	if (conn_send_request(c, method, path, extra, body, body_len) != 0) {
		fprintf(stderr, "client: %s %s: send failed: %s\n", method,
		        path, strerror(c->sys_errno));
		/* the server may have answered before the end of the body */
	}
	r = conn_read_ex(
	        c, strcmp(method, "HEAD") == 0 ? HTTP_READ_NO_BODY : 0);
	if (r == NULL)
		fprintf(stderr, "client: %s %s: %s\n", method, path,
		        http_err_name(c->err));
	conn_close(c);
	return r;
}

struct http_resp *
http_get(const char *path)
{
	return http_request("GET", path, NULL, NULL, 0);
}

struct http_resp *
http_post_json(const char *path, const char *token, const char *json)
{
	char extra[256];

	if (token != NULL)
		snprintf(extra, sizeof(extra),
		        "Content-Type: application/json\r\n"
		        "Authorization: Bearer %s\r\n",
		        token);
	else
		snprintf(extra, sizeof(extra),
		        "Content-Type: application/json\r\n");
	return http_request("POST", path, extra, json, strlen(json));
}

/* ---- responses ---- */

const char *
http_resp_header(const struct http_resp *r, const char *name)
{
	size_t i;

	if (r == NULL)
		return NULL;
	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

size_t
http_resp_header_count(const struct http_resp *r, const char *name)
{
	size_t i, n = 0;

	if (r == NULL)
		return 0;
	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			n++;
	return n;
}

json_t *
http_resp_json(const struct http_resp *r)
{
	json_error_t e;

	if (r == NULL || r->body == NULL)
		return NULL;
	return json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
}

void
http_resp_free(struct http_resp *r)
{
	if (r == NULL)
		return;
	resp_reset(r);
	free(r);
}

void
http_resp_dump(const struct http_resp *r)
{
	size_t i;

	if (r == NULL) {
		fprintf(stderr, "  (no response)\n");
		return;
	}
	fprintf(stderr, "  %s %d %s\n", r->version, r->status, r->reason);
	for (i = 0; i < r->nheaders; i++)
		fprintf(stderr, "  %s: %s\n", r->headers[i].name,
		        r->headers[i].value);
	fprintf(stderr, "  [%zu body bytes%s] %.*s\n", r->body_len,
	        r->closed ? ", closed" : "",
	        (int)(r->body_len > 400 ? 400 : r->body_len),
	        r->body != NULL ? r->body : "");
}

int
http_list_has(const char *value, const char *token)
{
	size_t n = strlen(token);
	const char *p = value;

	if (value == NULL)
		return 0;
	while (*p != '\0') {
		const char *s, *e;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		s = p;
		while (*p != '\0' && *p != ',')
			p++;
		e = p;
		trim(&s, &e);
		if ((size_t)(e - s) == n && strncasecmp(s, token, n) == 0)
			return 1;
	}
	return 0;
}

void
http_pct_encode(const char *s, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0' && o + 4 < outsz; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		        ch == '.' || ch == '~') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

void
http_unique_slug(const char *prefix, char *out, size_t outsz)
{
	static unsigned n;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, outsz, "%s-%ld-%lld-%u", prefix, (long)getpid(),
	        (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, ++n);
}

/* ---- metrics ---- */

double
metrics_value(const char *text, const char *series)
{
	size_t n = strlen(series);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, series, n) == 0 && p[n] == ' ') {
			char *end;
			double v = strtod(p + n + 1, &end);

			if (end != p + n + 1)
				return v;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

double
metrics_sum(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;
	double sum = 0;
	int found = 0;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == ' ' || p[n] == '{')) {
			const char *v = strchr(p, ' ');
			const char *eol = strchr(p, '\n');

			/* the value follows the last space of the line */
			if (p[n] == '{') {
				const char *rb = strstr(p, "} ");

				v = rb != NULL && (eol == NULL || rb < eol)
				            ? rb + 1
				            : NULL;
			}
			if (v != NULL) {
				sum += strtod(v + 1, NULL);
				found = 1;
			}
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return found ? sum : -1;
}

char *
metrics_fetch(void)
{
	struct http_resp *r = http_get("/metrics");
	char *s;

	if (r == NULL || r->status != 200) {
		http_resp_dump(r);
		http_resp_free(r);
		return NULL;
	}
	s = r->body;
	r->body = NULL;
	http_resp_free(r);
	return s;
}

/* ---- assertions ---- */

void
check_fail_(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s\n", msg);
	_fail(file, line);
	abort(); /* not reached: _fail jumps out of the test */
}

void
check_status_(const struct http_resp *r, int status, const char *file, int line)
{
	if (r == NULL)
		check_fail_(file, line, "expected HTTP %d, got no response",
		        status);
	if (r->status != status) {
		http_resp_dump(r);
		check_fail_(file, line, "expected HTTP %d, got %d", status,
		        r->status);
	}
}

static int
is_imf_fixdate(const char *v)
{
	struct tm tm;
	const char *end;

	if (v == NULL || strlen(v) != 29)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return end != NULL && *end == '\0' && v[3] == ',' && v[7] == ' ';
}

static int
is_request_id(const char *v)
{
	size_t i, n = v != NULL ? strlen(v) : 0;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = v[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		            (ch >= '0' && ch <= '9') || ch == '.' ||
		            ch == '_' || ch == ':' || ch == '-'))
			return 0;
	}
	return 1;
}

void
check_common_headers_(
        const struct http_resp *r, int head, const char *file, int line)
{
	const char *v;

	if (r == NULL)
		check_fail_(file, line, "no response");
	if (http_resp_header_count(r, "date") != 1 ||
	        !is_imf_fixdate(http_resp_header(r, "date"))) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "expected exactly one Date in IMF-fixdate format");
	}
	if (http_resp_header_count(r, "x-request-id") != 1 ||
	        !is_request_id(http_resp_header(r, "x-request-id"))) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "expected exactly one well-formed X-Request-Id");
	}
	v = http_resp_header(r, "x-content-type-options");
	if (v == NULL || strcasecmp(v, "nosniff") != 0) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "expected X-Content-Type-Options: "
		        "nosniff");
	}
	if (r->status >= 200 && r->status != 204) {
		if (http_resp_header_count(r, "content-length") != 1) {
			http_resp_dump(r);
			check_fail_(file, line,
			        "expected exactly one Content-Length");
		}
		if (http_resp_header(r, "transfer-encoding") != NULL) {
			http_resp_dump(r);
			check_fail_(file, line,
			        "unexpected Transfer-Encoding in a response "
			        "with Content-Length");
		}
		if (!head &&
		        (!r->has_length ||
		                strtoull(http_resp_header(r, "content-length"),
		                        NULL, 10) != r->body_len)) {
			http_resp_dump(r);
			check_fail_(file, line,
			        "Content-Length does not match the body");
		}
	}
}

json_t *
check_problem_(const struct http_resp *r, int status, const char *slug,
        const char *file, int line)
{
	json_t *j = check_problem_body_(r, status, slug, file, line);

	check_common_headers_(r, 0, file, line);
	return j;
}

json_t *
check_problem_body_(const struct http_resp *r, int status, const char *slug,
        const char *file, int line)
{
	const char *ct, *key;
	json_t *j, *v;
	char want[128];

	check_status_(r, status, file, line);
	ct = http_resp_header(r, "content-type");
	if (ct == NULL || strcasecmp(ct, "application/problem+json") != 0) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "expected Content-Type: application/problem+json, "
		        "got %s",
		        ct != NULL ? ct : "(none)");
	}
	j = http_resp_json(r);
	if (!json_is_object(j)) {
		http_resp_dump(r);
		check_fail_(file, line, "problem body is not a JSON object");
	}
	json_object_foreach(j, key, v)
	{
		if (strcmp(key, "type") != 0 && strcmp(key, "title") != 0 &&
		        strcmp(key, "status") != 0 &&
		        strcmp(key, "detail") != 0 &&
		        strcmp(key, "instance") != 0 &&
		        strcmp(key, "errors") != 0) {
			http_resp_dump(r);
			check_fail_(file, line,
			        "problem has an undeclared member \"%s\"", key);
		}
	}
	v = json_object_get(j, "type");
	if (slug != NULL)
		snprintf(want, sizeof(want), "urn:participe:problem:%s", slug);
	if (!json_is_string(v) ||
	        strncmp(json_string_value(v), "urn:participe:problem:", 22) !=
	                0 ||
	        json_string_length(v) <= 22 ||
	        (slug != NULL && strcmp(json_string_value(v), want) != 0)) {
		http_resp_dump(r);
		check_fail_(file, line, "problem type should be %s",
		        slug != NULL ? want : "urn:participe:problem:<slug>");
	}
	v = json_object_get(j, "title");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "problem title must be a non-empty "
		        "string");
	}
	v = json_object_get(j, "status");
	if (!json_is_integer(v) || json_integer_value(v) != r->status) {
		http_resp_dump(r);
		check_fail_(file, line, "problem status must be the integer %d",
		        r->status);
	}
	v = json_object_get(j, "detail");
	if (v != NULL && !json_is_string(v)) {
		http_resp_dump(r);
		check_fail_(file, line, "problem detail must be a string");
	}
	v = json_object_get(j, "instance");
	if (v != NULL && !json_is_string(v)) {
		http_resp_dump(r);
		check_fail_(file, line, "problem instance must be a string");
	}
	v = json_object_get(j, "errors");
	if (v != NULL) {
		size_t i;
		json_t *e;

		if (!json_is_array(v)) {
			http_resp_dump(r);
			check_fail_(file, line,
			        "problem errors must be an "
			        "array");
		}
		json_array_foreach(v, i, e)
		{
			if (!json_is_object(e) || json_object_size(e) != 2 ||
			        !json_is_string(json_object_get(e, "field")) ||
			        !json_is_string(
			                json_object_get(e, "message"))) {
				http_resp_dump(r);
				check_fail_(file, line,
				        "problem errors[%zu] must be {field, "
				        "message} strings",
				        i);
			}
		}
	}
	return j;
}

void
check_problem_field_(json_t *problem, const char *field, const char *message,
        const char *file, int line)
{
	json_t *errs = json_object_get(problem, "errors"), *e;
	size_t i;
	char *dump;

	json_array_foreach(errs, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));
		const char *m =
		        json_string_value(json_object_get(e, "message"));

		if (f != NULL && strcmp(f, field) == 0 &&
		        (message == NULL ||
		                (m != NULL && strcmp(m, message) == 0)))
			return;
	}
	dump = json_dumps(problem, JSON_COMPACT);
	print_error("problem: %s\n", dump != NULL ? dump : "?");
	free(dump);
	check_fail_(file, line, "expected errors to name field \"%s\"%s%s",
	        field, message != NULL ? " with message " : "",
	        message != NULL ? message : "");
}
