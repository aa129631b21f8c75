/*
 * router.h - the route table and request dispatch
 *
 * routes.c holds the one table listing every endpoint in api-spec order:
 * method, pattern, handler, who may call it, and the declared JSON body.
 * Dispatch answers 404/405/501 itself, checks the body (415, 400, 422) and
 * the credentials (401) before a handler runs.
 */
#ifndef PARTICIPE_ROUTER_H
#define PARTICIPE_ROUTER_H

#include <stddef.h>

#include "jsonv.h"
#include "route.h"

struct req;

/*
 * Who may call a route. The router checks that a bearer token is present
 * and well-formed; SQL checks the session and the role (api.require_role),
 * in the request's one round trip. Platform admins pass every role check.
 */
enum who {
	ANYONE,         /* no credentials needed */
	ANYONE_OR_USER, /* no credentials needed; a token, if sent, is
	                   checked and may show more (drafts to staff) */
	SIGNED_IN,      /* any valid session */
	COLL_MODERATOR, /* a moderator or admin of the {cid} collectivity */
	COLL_ADMIN,     /* an admin of the {cid} collectivity */
	PLATFORM_ADMIN, /* a platform administrator's session */
};

/* One row of the route table. */
struct route {
	struct route_key key; /* method and pattern; must come first */
	void (*handler)(struct req *r);
	enum who who;
	const struct jsonv_spec *body; /* NULL: the route takes no body */
};

/* Finds the route, checks body and credentials, runs the handler. */
void router_dispatch(struct req *r);

/* The pattern of route 'i', or "-" for -1 (no route matched). */
const char *router_pattern(int i);

/* The method bit of route 'i'. */
unsigned router_method(int i);

/* Number of routes. */
size_t router_count(void);

#endif
