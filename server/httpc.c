/*
 * httpc.c - a small blocking HTTP/1.1 client for the command line
 */
#include "httpc.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Largest response head and body read. */
#define HTTPC_MAX_HEAD 16384
#define HTTPC_MAX_BODY (64u * 1024 * 1024)

int
httpc_init(struct httpc *c, const char *url, const char *token)
{
	const char *h, *colon, *end;
	size_t hl;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->token = token;
	if (url == NULL || strncmp(url, "http://", 7) != 0)
		return -1;
	h = url + 7;
	end = h + strcspn(h, "/");
	colon = memchr(h, ':', (size_t)(end - h));
	hl = (size_t)((colon != NULL ? colon : end) - h);
	if (hl == 0 || hl >= sizeof(c->host))
		return -1;
	memcpy(c->host, h, hl);
	if (colon != NULL) {
		size_t pl = (size_t)(end - colon - 1);

		if (pl == 0 || pl >= sizeof(c->port) ||
		        strspn(colon + 1, "0123456789") < pl)
			return -1;
		memcpy(c->port, colon + 1, pl);
	} else
		snprintf(c->port, sizeof(c->port), "80");
	return 0;
}

static int
connect_to(struct httpc *c)
{
	struct addrinfo hints, *res, *ai;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(c->host, c->port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "http: %s:%s: %s\n", c->host, c->port,
		        gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		c->fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (c->fd < 0)
			continue;
		if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	if (c->fd < 0) {
		fprintf(stderr, "http: cannot connect to %s:%s: %s\n", c->host,
		        c->port, strerror(errno));
		return -1;
	}
	return 0;
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads the answer on c->fd; 0, 1 when the server closed before any byte
   (a kept-alive connection it dropped), -1 on error. */
static int
read_resp(struct httpc *c, struct httpc_resp *out)
{
	char head[HTTPC_MAX_HEAD + 1], *eoh = NULL, *cl;
	size_t hl = 0, want, have;
	int keep = 1;

	while (eoh == NULL) {
		ssize_t r;

		if (hl == HTTPC_MAX_HEAD)
			return -1;
		r = recv(c->fd, head + hl, HTTPC_MAX_HEAD - hl, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return hl == 0 ? 1 : -1;
		hl += (size_t)r;
		head[hl] = '\0';
		eoh = strstr(head, "\r\n\r\n");
	}
	if (sscanf(head, "HTTP/1.%*d %d", &out->status) != 1)
		return -1;
	*eoh = '\0';
	cl = strcasestr(head, "\r\ncontent-length:");
	if (cl == NULL)
		return -1;
	want = strtoul(cl + 17, NULL, 10);
	if (want > HTTPC_MAX_BODY)
		return -1;
	if (strcasestr(head, "\r\nconnection: close") != NULL)
		keep = 0;
	out->body = malloc(want + 1);
	if (out->body == NULL)
		return -1;
	have = hl - (size_t)(eoh + 4 - head);
	if (have > want)
		have = want;
	memcpy(out->body, eoh + 4, have);
	while (have < want) {
		ssize_t r = recv(c->fd, out->body + have, want - have, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(out->body);
			out->body = NULL;
			return -1;
		}
		have += (size_t)r;
	}
	out->body[want] = '\0';
	out->len = want;
	if (!keep)
		httpc_close(c);
	return 0;
}

int
httpc_call(struct httpc *c, const char *method, const char *path,
        const char *body, struct httpc_resp *out)
{
	size_t bl = body != NULL ? strlen(body) : 0;
	size_t cap = strlen(path) + strlen(c->host) + 512 + bl;
	char *req = malloc(cap);
	int attempt, n, rc = -1;

	memset(out, 0, sizeof(*out));
	if (req == NULL)
		return -1;
	n = snprintf(req, cap,
	        "%s %s HTTP/1.1\r\nHost: %s:%s\r\n%s%s%s"
	        "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	        method, path, c->host, c->port,
	        c->token != NULL ? "Authorization: Bearer " : "",
	        c->token != NULL ? c->token : "",
	        c->token != NULL ? "\r\n" : "", bl);
	if (n < 0 || (size_t)n + bl >= cap) {
		free(req);
		return -1;
	}
	memcpy(req + n, body != NULL ? body : "", bl);
	/* a kept-alive connection the server has closed: once more */
	for (attempt = 0; attempt < 2; attempt++) {
		if (c->fd < 0 && connect_to(c) != 0)
			break;
		rc = send_all(c->fd, req, (size_t)n + bl) == 0
		             ? read_resp(c, out)
		             : 1;
		if (rc <= 0)
			break;
		httpc_close(c); /* closed before answering: not read */
	}
	if (rc != 0) {
		httpc_close(c);
		fprintf(stderr, "http: %s %s: no readable answer\n", method,
		        path);
	}
	free(req);
	return rc == 0 ? 0 : -1;
}

void
httpc_resp_free(struct httpc_resp *r)
{
	free(r->body);
	r->body = NULL;
}

void
httpc_close(struct httpc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
