/*
 * handlers.h - every request handler, h_<resource>_<verb>()
 */
#ifndef PARTICIPE_HANDLERS_H
#define PARTICIPE_HANDLERS_H

#include "jsonv.h"

struct req;

/* GET /healthz: the process is alive (no database involved). */
void h_health_get(struct req *r);

/* GET /readyz: 200 only when the database answers. */
void h_ready_get(struct req *r);

/* GET /metrics: Prometheus text exposition. */
void h_metrics_get(struct req *r);

/* GET /v1/openapi.yaml: this server's API contract. */
void h_openapi_get(struct req *r);

/* GET /v1/collectivities: public list, keyset-paginated. */
void h_collectivity_list(struct req *r);

/* GET /v1/collectivities/{cid}: public fields of one collectivity. */
void h_collectivity_get(struct req *r);

/* POST /v1/collectivities: platform admins create a collectivity. */
void h_collectivity_create(struct req *r);

/* Declared body of POST /v1/collectivities. */
extern const struct jsonv_spec collectivity_create_body;

#endif
