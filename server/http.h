/*
 * http.h - HTTP/1.1 connections on libevent bufferevents
 *
 * The connection layer reads a request head up to the header-size limit,
 * then its body (Content-Length or chunked, up to the body limit), hands
 * the request to the router, and writes the response. Errors found while
 * reading (400, 408, 413, 431, 501, 505) are answered as problem+json like
 * any other error, which is why this layer is ours rather than evhttp's.
 * Requests on one connection are handled one at a time (pipelined requests
 * wait in the input buffer); a whole request must arrive within the read
 * timeout, which closes slowloris-style connections with 408.
 */
#ifndef PARTICIPE_HTTP_H
#define PARTICIPE_HTTP_H

#include <event2/util.h>
#include <stddef.h>

struct worker;
struct conn;
struct req;

/* Takes ownership of an accepted socket. */
void conn_accept(struct worker *w, evutil_socket_t fd);

/* Queues the response of the connection's current request for writing. */
void conn_respond(struct conn *c, struct req *r, const char *head,
        size_t headlen, const char *body, size_t bodylen);

/* The peer's numeric IP address ("" when unknown). */
const char *conn_peer(const struct conn *c);

/* Whether the response being built should say Connection: close. */
int conn_will_close(const struct conn *c, const struct req *r);

/* Closes idle connections; busy ones close after their current response. */
void conn_drain_all(struct worker *w);

/* Closes every connection at once (end of the shutdown grace period). */
void conn_close_all(struct worker *w);

#endif
