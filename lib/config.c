/*
 * config.c - defaults and validation of PARTICIPE_* settings
 */
#include "config.h"

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t
parse_scaled(const char *s, const char *const *units, const int64_t *mult,
        int nunits)
{
	char *end;
	long long v;
	int i;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	if (*end == '\0')
		return v * mult[0];
	for (i = 1; i < nunits; i++)
		if (strcmp(end, units[i]) == 0) {
			if (v > INT64_MAX / mult[i])
				return -1;
			return v * mult[i];
		}
	return -1;
}

int64_t
config_parse_size(const char *s)
{
	static const char *const u[] = {"", "k", "K", "m", "M", "g", "G"};
	static const int64_t m[] = {
	        1, 1024, 1024, 1048576, 1048576, 1073741824, 1073741824};

	return parse_scaled(s, u, m, 7);
}

int64_t
config_parse_duration_ms(const char *s)
{
	static const char *const u[] = {"", "ms", "s", "m"};
	static const int64_t m[] = {1, 1, 1000, 60000};

	return parse_scaled(s, u, m, 4);
}

enum err
config_parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon, *hs = s, *he;
	char *end;
	long p;

	if (s == NULL || *s == '\0')
		return ERR_INVALID;
	if (*s == '[') {
		he = strchr(s, ']');
		if (he == NULL || he[1] != ':')
			return ERR_INVALID;
		hs = s + 1;
		colon = he + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return ERR_INVALID;
		he = colon;
	}
	if (he == hs || (size_t)(he - hs) >= hostlen)
		return ERR_INVALID;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	        p < 0 || p > 65535)
		return ERR_INVALID;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	*port = (int)p;
	return ERR_OK;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* "127.0.0.1, ::1": up to 8 literal addresses, checked with inet_pton. */
static enum err
load_proxies(struct config *c, const char *v, char *errbuf, size_t errlen)
{
	const char *p = v;

	c->ntrusted_proxies = 0;
	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ',');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char addr[46];
		unsigned char buf[16];

		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(addr) || c->ntrusted_proxies == 8)
			goto bad;
		memcpy(addr, p, n);
		addr[n] = '\0';
		if (inet_pton(AF_INET, addr, buf) != 1 &&
		        inet_pton(AF_INET6, addr, buf) != 1)
			goto bad;
		memcpy(c->trusted_proxies[c->ntrusted_proxies++], addr, n + 1);
		p = e != NULL ? e + 1 : NULL;
	}
	return ERR_OK;
bad:
	snprintf(errbuf, errlen,
	        "invalid PARTICIPE_TRUSTED_PROXIES \"%s\": expected up to 8 "
	        "IP addresses separated by commas",
	        v);
	return ERR_INVALID;
}

/* One integer setting with its bounds. */
struct int_setting {
	const char *name;
	int *dst;
	int def, min, max;
	int duration; /* value is a duration in ms */
};

enum err
config_load(struct config *c, config_lookup_fn get, void *ctx, char *errbuf,
        size_t errlen)
{
	const char *v;
	int64_t n;
	size_t i;
	struct int_setting ints[] = {
	        {"PARTICIPE_WORKERS", &c->workers, 0, 0, 256, 0},
	        {"PARTICIPE_DB_POOL", &c->db_pool_size, 4, 1, 64, 0},
	        {"PARTICIPE_DB_QUEUE", &c->db_queue, 1024, 0, 1000000, 0},
	        {"PARTICIPE_DB_QUEUE_TIMEOUT", &c->db_queue_timeout_ms, 5000, 1,
	                600000, 1},
	        {"PARTICIPE_READ_TIMEOUT", &c->read_timeout_ms, 10000, 1,
	                3600000, 1},
	        {"PARTICIPE_WRITE_TIMEOUT", &c->write_timeout_ms, 10000, 1,
	                3600000, 1},
	        {"PARTICIPE_IDLE_TIMEOUT", &c->idle_timeout_ms, 60000, 1,
	                3600000, 1},
	        {"PARTICIPE_SHUTDOWN_TIMEOUT", &c->shutdown_timeout_ms, 10000,
	                0, 3600000, 1},
	        {"PARTICIPE_MAX_CONNECTIONS", &c->max_connections, 10000, 1,
	                1000000, 0},
	        {"PARTICIPE_CPU_THREADS", &c->cpu_threads, 0, 0, 256, 0},
	        {"PARTICIPE_CPU_QUEUE", &c->cpu_queue, 256, 1, 1000000, 0},
	        {"PARTICIPE_CONFIRM_TTL", &c->confirm_ttl_ms, 172800000, 1000,
	                1728000000, 1},
	        {"PARTICIPE_RESET_TTL", &c->reset_ttl_ms, 3600000, 1000,
	                86400000, 1},
	        {"PARTICIPE_TREE_HEAD_INTERVAL", &c->tree_head_interval_ms,
	                1000, 100, 60000, 1},
	        {"PARTICIPE_METRICS_SNAPSHOT_INTERVAL",
	                &c->metrics_snapshot_interval_ms, 60000, 0, 86400000,
	                1},
	        {"PARTICIPE_BALLOT_BATCH", &c->ballot_batch, 256, 1, 4096, 0},
	};

	memset(c, 0, sizeof(*c));
	errbuf[0] = '\0';
	v = get("PARTICIPE_LISTEN", ctx);
	if (config_parse_listen(v != NULL ? v : "127.0.0.1:8080",
	            c->listen_host, sizeof(c->listen_host),
	            &c->listen_port) != ERR_OK) {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_LISTEN \"%s\": expected host:port",
		        v);
		return ERR_INVALID;
	}
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		v = get(ints[i].name, ctx);
		if (v == NULL || *v == '\0') {
			*ints[i].dst = ints[i].def;
			continue;
		}
		n = ints[i].duration ? config_parse_duration_ms(v)
		                     : config_parse_size(v);
		if (ints[i].duration == 0 && n >= 0) {
			/* counts take no unit suffix */
			char *end;

			n = strtoll(v, &end, 10);
			if (*end != '\0')
				n = -1;
		}
		if (n < ints[i].min || n > ints[i].max) {
			snprintf(errbuf, errlen,
			        "invalid %s \"%s\": expected %s between %d and "
			        "%d",
			        ints[i].name, v,
			        ints[i].duration ? "a duration (ms)"
			                         : "an integer",
			        ints[i].min, ints[i].max);
			return ERR_INVALID;
		}
		*ints[i].dst = (int)n;
	}
	v = get("PARTICIPE_MAX_BODY", ctx);
	n = v != NULL ? config_parse_size(v) : 1048576;
	if (n < 1 || n > 1073741824) {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_MAX_BODY \"%s\": expected a size "
		        "between 1 and 1g",
		        v);
		return ERR_INVALID;
	}
	c->max_body = (size_t)n;
	v = get("PARTICIPE_MAX_HEADER", ctx);
	n = v != NULL ? config_parse_size(v) : 16384;
	if (n < 256 || n > 1048576) {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_MAX_HEADER \"%s\": expected a size "
		        "between 256 and 1m",
		        v);
		return ERR_INVALID;
	}
	c->max_header = (size_t)n;
	v = get("PARTICIPE_ACCESS_LOG", ctx);
	if (v == NULL || strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		c->access_log = 1;
	else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		c->access_log = 0;
	else {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_ACCESS_LOG \"%s\": expected on or "
		        "off",
		        v);
		return ERR_INVALID;
	}
	c->database_url = get("PARTICIPE_DATABASE_URL", ctx);
	if (c->database_url == NULL || *c->database_url == '\0') {
		snprintf(errbuf, errlen,
		        "PARTICIPE_DATABASE_URL is not set (make run sets it "
		        "for the private cluster)");
		return ERR_INVALID;
	}
	c->read_database_url = get("PARTICIPE_DATABASE_READ_URL", ctx);
	if (c->read_database_url != NULL && *c->read_database_url == '\0')
		c->read_database_url = NULL;
	c->port_file = get("PARTICIPE_PORT_FILE", ctx);
	c->mailbox = get("PARTICIPE_MAILBOX", ctx);
	c->log_key_file = get("PARTICIPE_LOG_KEY_FILE", ctx);
	if (c->log_key_file == NULL || *c->log_key_file == '\0')
		c->log_key_file = "var/log-key";
	c->public_url = get("PARTICIPE_PUBLIC_URL", ctx);
	if (c->public_url == NULL || *c->public_url == '\0')
		c->public_url = "http://127.0.0.1:8080";
	else if ((strncmp(c->public_url, "http://", 7) != 0 &&
	                 strncmp(c->public_url, "https://", 8) != 0) ||
	         strlen(c->public_url) > 200 ||
	         c->public_url[strlen(c->public_url) - 1] == '/') {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_PUBLIC_URL \"%s\": expected an "
		        "http(s) "
		        "URL without a final slash",
		        c->public_url);
		return ERR_INVALID;
	}
	if (load_proxies(c, get("PARTICIPE_TRUSTED_PROXIES", ctx), errbuf,
	            errlen) != ERR_OK)
		return ERR_INVALID;
	v = get("PARTICIPE_PWHASH_OPSLIMIT", ctx);
	n = v != NULL ? strtoll(v, NULL, 10) : 2;
	if (v != NULL && (!all_digits(v) || n < 1 || n > 16)) {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_PWHASH_OPSLIMIT \"%s\": expected an "
		        "integer between 1 and 16",
		        v);
		return ERR_INVALID;
	}
	c->pwhash_opslimit = (unsigned long long)n;
	v = get("PARTICIPE_PWHASH_MEMLIMIT", ctx);
	n = v != NULL ? config_parse_size(v) : 67108864;
	if (n < 8192 * 1024 || n > 1073741824) {
		snprintf(errbuf, errlen,
		        "invalid PARTICIPE_PWHASH_MEMLIMIT \"%s\": expected a "
		        "size "
		        "between 8m and 1g",
		        v);
		return ERR_INVALID;
	}
	c->pwhash_memlimit = (size_t)n;
	return ERR_OK;
}
