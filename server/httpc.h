/*
 * httpc.h - a small blocking HTTP/1.1 client for the command line
 *
 * What `participe pb import` needs to drive a running server through its
 * public API: plain http:// (a local server, or one behind a proxy on the
 * same machine), one connection kept alive and opened again when the
 * server closed it, JSON bodies, responses with Content-Length.
 */
#ifndef PARTICIPE_HTTPC_H
#define PARTICIPE_HTTPC_H

#include <stddef.h>

/* A connection to one server. */
struct httpc {
	char host[256], port[8];
	const char *token; /* bearer token, or NULL */
	int fd;            /* -1 when not connected */
};

/* A response: status and body (malloc'd, NUL-terminated). */
struct httpc_resp {
	int status;
	char *body;
	size_t len;
};

/* Sets c up for url ("http://host[:port]"); 0, or -1 when it is not one. */
int httpc_init(struct httpc *c, const char *url, const char *token);

/*
 * Sends METHOD path with body (JSON text, or NULL) and reads the answer
 * into *out (httpc_resp_free). 0, or -1 when the server cannot be
 * reached or answers something unreadable (with the reason on stderr).
 */
int httpc_call(struct httpc *c, const char *method, const char *path,
        const char *body, struct httpc_resp *out);

/* Frees a response's body. */
void httpc_resp_free(struct httpc_resp *r);

/* Closes the connection. */
void httpc_close(struct httpc *c);

#endif
