/*
 * config.h - the server's settings, read from PARTICIPE_* variables
 *
 * Parsing is pure: config_load() asks a lookup function for each variable
 * (getenv in production, a table in tests) and validates every value, so a
 * typo stops the server at start-up with a message naming the variable.
 */
#ifndef PARTICIPE_CONFIG_H
#define PARTICIPE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Every setting of `participe serve`, with defaults applied. */
struct config {
	char listen_host[256];    /* PARTICIPE_LISTEN host part */
	int listen_port;          /* PARTICIPE_LISTEN port part; 0 = any free */
	int workers;              /* PARTICIPE_WORKERS; 0 = one per core */
	const char *database_url; /* PARTICIPE_DATABASE_URL */
	const char *read_database_url; /* PARTICIPE_DATABASE_READ_URL */
	int db_pool_size; /* PARTICIPE_DB_POOL: connections per worker */
	int db_queue;     /* PARTICIPE_DB_QUEUE: waiting requests/worker */
	int db_queue_timeout_ms; /* PARTICIPE_DB_QUEUE_TIMEOUT */
	size_t max_body;         /* PARTICIPE_MAX_BODY */
	size_t max_header;       /* PARTICIPE_MAX_HEADER */
	int read_timeout_ms;     /* PARTICIPE_READ_TIMEOUT: whole request */
	int write_timeout_ms;    /* PARTICIPE_WRITE_TIMEOUT */
	int idle_timeout_ms;     /* PARTICIPE_IDLE_TIMEOUT: keep-alive idle */
	int shutdown_timeout_ms; /* PARTICIPE_SHUTDOWN_TIMEOUT */
	int max_connections;     /* PARTICIPE_MAX_CONNECTIONS per worker */
	int cpu_threads;         /* PARTICIPE_CPU_THREADS; 0 = one per core */
	int cpu_queue;           /* PARTICIPE_CPU_QUEUE */
	int access_log;          /* PARTICIPE_ACCESS_LOG: on/off */
	const char *port_file;   /* PARTICIPE_PORT_FILE: write bound port */
	const char *public_url; /* PARTICIPE_PUBLIC_URL: base of mailed links */
	const char *mailbox;    /* PARTICIPE_MAILBOX: log transport's file */
	/* PARTICIPE_TRUSTED_PROXIES: peers whose X-Forwarded-For is believed */
	char trusted_proxies[8][46];
	int ntrusted_proxies;
	int confirm_ttl_ms; /* PARTICIPE_CONFIRM_TTL: e-mail confirmation link */
	int reset_ttl_ms;   /* PARTICIPE_RESET_TTL: password reset link */
	/* PARTICIPE_LOG_KEY_FILE: the Ed25519 seed (hex) that signs ballot
	   logs; made on first start when missing */
	const char *log_key_file;
	/* PARTICIPE_TREE_HEAD_INTERVAL: how often tree heads are signed */
	int tree_head_interval_ms;
	/* PARTICIPE_METRICS_SNAPSHOT_INTERVAL: how often closed periods
	   are looked for to publish (docs/suppression.md); 0: never */
	int metrics_snapshot_interval_ms;
	int ballot_batch; /* PARTICIPE_BALLOT_BATCH: most ballots per append */
	/* PARTICIPE_PWHASH_OPSLIMIT / _MEMLIMIT: Argon2id cost of new hashes */
	unsigned long long pwhash_opslimit;
	size_t pwhash_memlimit;
};

/* Looks a variable up; returns NULL when it is not set. */
typedef const char *(*config_lookup_fn)(const char *name, void *ctx);

/*
 * Fills 'c' from the lookup. On ERR_INVALID, 'errbuf' names the variable
 * and what is wrong with it. Strings point at what the lookup returned.
 */
enum err config_load(struct config *c, config_lookup_fn get, void *ctx,
        char *errbuf, size_t errlen);

/* Parses "64k", "1m", "1048576" (bytes); -1 on error. */
int64_t config_parse_size(const char *s);

/* Parses "10s", "500ms", "2m", "1500" (ms); -1 on error. */
int64_t config_parse_duration_ms(const char *s);

/* Splits "host:port" or "[v6]:port"; ERR_INVALID on error. */
enum err config_parse_listen(
        const char *s, char *host, size_t hostlen, int *port);

#endif
