/*
 * test_config.c - PARTICIPE_* settings: defaults, parsing, validation
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "err.h"

/* A fake environment: name/value pairs, NULL-terminated. */
struct env {
	const char *vars[64][2];
	int n;
	int asked_unknown; /* a name outside the PARTICIPE_ namespace */
};

static const char *
lookup(const char *name, void *ctx)
{
	struct env *e = ctx;
	int i;

	if (strncmp(name, "PARTICIPE_", 10) != 0)
		e->asked_unknown = 1;
	for (i = 0; i < e->n; i++)
		if (strcmp(e->vars[i][0], name) == 0)
			return e->vars[i][1];
	return NULL;
}

static void
env_set(struct env *e, const char *name, const char *value)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->vars[i][0], name) == 0) {
			e->vars[i][1] = value;
			return;
		}
	assert_true(e->n < 64);
	e->vars[e->n][0] = name;
	e->vars[e->n][1] = value;
	e->n++;
}

static void
env_init(struct env *e)
{
	memset(e, 0, sizeof(*e));
	env_set(e, "PARTICIPE_DATABASE_URL", "postgresql:///participe");
}

static struct config cfg;
static char errbuf[512];

static enum err
load(struct env *e)
{
	memset(errbuf, 'E', sizeof(errbuf));
	errbuf[sizeof(errbuf) - 1] = '\0';
	return config_load(&cfg, lookup, e, errbuf, sizeof(errbuf));
}

static void
test_defaults(void **state)
{
	struct env e;

	(void)state;
	env_init(&e);
	assert_int_equal(load(&e), ERR_OK);
	assert_string_equal(errbuf, "");
	assert_false(e.asked_unknown);
	assert_string_equal(cfg.listen_host, "127.0.0.1");
	assert_int_equal(cfg.listen_port, 8080);
	assert_int_equal(cfg.workers, 0);
	assert_string_equal(cfg.database_url, "postgresql:///participe");
	/* Strings point at what the lookup returned. */
	assert_ptr_equal(cfg.database_url, e.vars[0][1]);
	assert_null(cfg.read_database_url);
	assert_int_equal(cfg.db_pool_size, 4);
	assert_int_equal(cfg.db_queue, 1024);
	assert_int_equal(cfg.db_queue_timeout_ms, 5000);
	assert_int_equal(cfg.max_body, 1048576);
	assert_int_equal(cfg.max_header, 16384);
	assert_int_equal(cfg.read_timeout_ms, 10000);
	assert_int_equal(cfg.write_timeout_ms, 10000);
	assert_int_equal(cfg.idle_timeout_ms, 60000);
	assert_int_equal(cfg.shutdown_timeout_ms, 10000);
	assert_int_equal(cfg.max_connections, 10000);
	assert_int_equal(cfg.cpu_threads, 0);
	assert_int_equal(cfg.cpu_queue, 256);
	assert_int_equal(cfg.access_log, 1);
	assert_null(cfg.port_file);
}

static void
test_every_variable_set(void **state)
{
	struct env e;

	(void)state;
	env_init(&e);
	env_set(&e, "PARTICIPE_LISTEN", "[::1]:0");
	env_set(&e, "PARTICIPE_WORKERS", "3");
	env_set(&e, "PARTICIPE_DATABASE_READ_URL", "postgresql:///replica");
	env_set(&e, "PARTICIPE_DB_POOL", "64");
	env_set(&e, "PARTICIPE_DB_QUEUE", "0");
	env_set(&e, "PARTICIPE_DB_QUEUE_TIMEOUT", "250ms");
	env_set(&e, "PARTICIPE_MAX_BODY", "64k");
	env_set(&e, "PARTICIPE_MAX_HEADER", "1m");
	env_set(&e, "PARTICIPE_READ_TIMEOUT", "10s");
	env_set(&e, "PARTICIPE_WRITE_TIMEOUT", "2m");
	env_set(&e, "PARTICIPE_IDLE_TIMEOUT", "1500");
	env_set(&e, "PARTICIPE_SHUTDOWN_TIMEOUT", "0");
	env_set(&e, "PARTICIPE_MAX_CONNECTIONS", "1");
	env_set(&e, "PARTICIPE_CPU_THREADS", "256");
	env_set(&e, "PARTICIPE_CPU_QUEUE", "1000000");
	env_set(&e, "PARTICIPE_ACCESS_LOG", "off");
	env_set(&e, "PARTICIPE_PORT_FILE", "/tmp/port");
	assert_int_equal(load(&e), ERR_OK);
	assert_string_equal(cfg.listen_host, "::1");
	assert_int_equal(cfg.listen_port, 0);
	assert_int_equal(cfg.workers, 3);
	assert_string_equal(cfg.read_database_url, "postgresql:///replica");
	assert_int_equal(cfg.db_pool_size, 64);
	assert_int_equal(cfg.db_queue, 0);
	assert_int_equal(cfg.db_queue_timeout_ms, 250);
	assert_int_equal(cfg.max_body, 65536);
	assert_int_equal(cfg.max_header, 1048576);
	assert_int_equal(cfg.read_timeout_ms, 10000);
	assert_int_equal(cfg.write_timeout_ms, 120000);
	assert_int_equal(cfg.idle_timeout_ms, 1500);
	assert_int_equal(cfg.shutdown_timeout_ms, 0);
	assert_int_equal(cfg.max_connections, 1);
	assert_int_equal(cfg.cpu_threads, 256);
	assert_int_equal(cfg.cpu_queue, 1000000);
	assert_int_equal(cfg.access_log, 0);
	assert_string_equal(cfg.port_file, "/tmp/port");
}

static void
test_access_log_values(void **state)
{
	static const struct {
		const char *v;
		int on;
	} ok[] = {{"on", 1}, {"1", 1}, {"off", 0}, {"0", 0}};
	struct env e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		env_init(&e);
		env_set(&e, "PARTICIPE_ACCESS_LOG", ok[i].v);
		assert_int_equal(load(&e), ERR_OK);
		assert_int_equal(cfg.access_log, ok[i].on);
	}
}

static void
test_empty_integer_means_default(void **state)
{
	struct env e;

	(void)state;
	env_init(&e);
	env_set(&e, "PARTICIPE_WORKERS", "");
	env_set(&e, "PARTICIPE_READ_TIMEOUT", "");
	env_set(&e, "PARTICIPE_DATABASE_READ_URL", "");
	assert_int_equal(load(&e), ERR_OK);
	assert_int_equal(cfg.workers, 0);
	assert_int_equal(cfg.read_timeout_ms, 10000);
	assert_null(cfg.read_database_url);
}

static void
test_database_url_required(void **state)
{
	struct env e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(load(&e), ERR_INVALID);
	assert_non_null(strstr(errbuf, "PARTICIPE_DATABASE_URL"));
	env_set(&e, "PARTICIPE_DATABASE_URL", "");
	assert_int_equal(load(&e), ERR_INVALID);
	assert_non_null(strstr(errbuf, "PARTICIPE_DATABASE_URL"));
}

/* Each bad value: ERR_INVALID, and errbuf names the variable and value. */
static void
test_each_bad_variable_named(void **state)
{
	static const char *const bad[][2] = {
	        {"PARTICIPE_LISTEN", "nonsense"},
	        {"PARTICIPE_LISTEN", "localhost:"},
	        {"PARTICIPE_LISTEN", ":8080"},
	        {"PARTICIPE_LISTEN", "localhost:65536"},
	        {"PARTICIPE_LISTEN", "localhost:http"},
	        {"PARTICIPE_LISTEN", "[::1]8080"},
	        {"PARTICIPE_WORKERS", "-1"},
	        {"PARTICIPE_WORKERS", "257"},
	        {"PARTICIPE_WORKERS", "two"},
	        {"PARTICIPE_WORKERS", "4k"},
	        {"PARTICIPE_WORKERS", "1.5"},
	        {"PARTICIPE_WORKERS", " 4"},
	        {"PARTICIPE_WORKERS", "4 "},
	        {"PARTICIPE_WORKERS", "99999999999999999999"},
	        {"PARTICIPE_DB_POOL", "0"},
	        {"PARTICIPE_DB_POOL", "65"},
	        {"PARTICIPE_DB_QUEUE", "x"},
	        {"PARTICIPE_DB_QUEUE", "1000001"},
	        {"PARTICIPE_DB_QUEUE_TIMEOUT", "0"},
	        {"PARTICIPE_DB_QUEUE_TIMEOUT", "11m"},
	        {"PARTICIPE_DB_QUEUE_TIMEOUT", "5 s"},
	        {"PARTICIPE_READ_TIMEOUT", "0ms"},
	        {"PARTICIPE_READ_TIMEOUT", "1h"},
	        {"PARTICIPE_READ_TIMEOUT", "10sec"},
	        {"PARTICIPE_READ_TIMEOUT", "-5s"},
	        {"PARTICIPE_WRITE_TIMEOUT", "fast"},
	        {"PARTICIPE_WRITE_TIMEOUT", "61m"},
	        {"PARTICIPE_IDLE_TIMEOUT", "1.5s"},
	        {"PARTICIPE_IDLE_TIMEOUT", "99999999999999999999m"},
	        {"PARTICIPE_SHUTDOWN_TIMEOUT", "3600001"},
	        {"PARTICIPE_MAX_CONNECTIONS", "0"},
	        {"PARTICIPE_MAX_CONNECTIONS", "1m"},
	        {"PARTICIPE_CPU_THREADS", "300"},
	        {"PARTICIPE_CPU_QUEUE", "0"},
	        {"PARTICIPE_MAX_BODY", "0"},
	        {"PARTICIPE_MAX_BODY", "2g"},
	        {"PARTICIPE_MAX_BODY", "1025m"},
	        {"PARTICIPE_MAX_BODY", "1t"},
	        {"PARTICIPE_MAX_BODY", "64kb"},
	        {"PARTICIPE_MAX_BODY", "-1"},
	        {"PARTICIPE_MAX_HEADER", "255"},
	        {"PARTICIPE_MAX_HEADER", "2m"},
	        {"PARTICIPE_MAX_HEADER", "big"},
	        {"PARTICIPE_ACCESS_LOG", "yes"},
	};
	struct env e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum err r;

		env_init(&e);
		env_set(&e, bad[i][0], bad[i][1]);
		r = load(&e);
		if (r != ERR_INVALID)
			fail_msg("%s=\"%s\": got %d, want ERR_INVALID",
			        bad[i][0], bad[i][1], r);
		if (strstr(errbuf, bad[i][0]) == NULL)
			fail_msg("%s=\"%s\": message \"%s\" does not name it",
			        bad[i][0], bad[i][1], errbuf);
		if (strstr(errbuf, bad[i][1]) == NULL)
			fail_msg("%s=\"%s\": message \"%s\" lacks the value",
			        bad[i][0], bad[i][1], errbuf);
	}
}

/* The first bad variable stops loading; a later good one does not hide it. */
static void
test_error_reports_bad_variable_among_good(void **state)
{
	struct env e;

	(void)state;
	env_init(&e);
	env_set(&e, "PARTICIPE_LISTEN", "0.0.0.0:80");
	env_set(&e, "PARTICIPE_CPU_QUEUE", "lots");
	env_set(&e, "PARTICIPE_MAX_BODY", "2m");
	assert_int_equal(load(&e), ERR_INVALID);
	assert_non_null(strstr(errbuf, "PARTICIPE_CPU_QUEUE"));
	assert_null(strstr(errbuf, "PARTICIPE_MAX_BODY"));
}

/* A short errbuf is truncated, terminated and never overrun. */
static void
test_small_errbuf(void **state)
{
	struct env e;
	char small[24];
	size_t k;

	(void)state;
	env_init(&e);
	env_set(&e, "PARTICIPE_WORKERS", "nope");
	memset(small, '#', sizeof(small));
	assert_int_equal(config_load(&cfg, lookup, &e, small, 16), ERR_INVALID);
	assert_true(strnlen(small, 16) == 15);
	for (k = 16; k < sizeof(small); k++)
		assert_int_equal(small[k], '#');
}

static void
test_parse_size(void **state)
{
	(void)state;
	assert_int_equal(config_parse_size("0"), 0);
	assert_int_equal(config_parse_size("1"), 1);
	assert_int_equal(config_parse_size("1048576"), 1048576);
	assert_int_equal(config_parse_size("64k"), 65536);
	assert_int_equal(config_parse_size("64K"), 65536);
	assert_int_equal(config_parse_size("1m"), 1048576);
	assert_int_equal(config_parse_size("1M"), 1048576);
	assert_int_equal(config_parse_size("3g"), 3221225472LL);
	assert_int_equal(config_parse_size("1G"), 1073741824LL);
	assert_int_equal(config_parse_size("0k"), 0);
	assert_int_equal(config_parse_size("007"), 7);
	assert_int_equal(config_parse_size("9223372036854775807"), INT64_MAX);
	assert_int_equal(config_parse_size("9007199254740991k"),
	        9007199254740991LL * 1024);
}

static void
test_parse_size_errors(void **state)
{
	static const char *const bad[] = {
	        "",
	        "k",
	        "-1",
	        "-1k",
	        "+1",
	        " 1",
	        "1 ",
	        "1 k",
	        "1kb",
	        "1.5m",
	        "1e3",
	        "0x10",
	        "1t",
	        "1kk",
	        "12a",
	        "9223372036854775808",
	        "9007199254740992k",
	        "8589934592g",
	        "99999999999999999999",
	};
	size_t i;

	(void)state;
	assert_int_equal(config_parse_size(NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_parse_size(bad[i]) != -1)
			fail_msg("size \"%s\" gave %lld, want -1", bad[i],
			        (long long)config_parse_size(bad[i]));
}

static void
test_parse_duration(void **state)
{
	(void)state;
	assert_int_equal(config_parse_duration_ms("10s"), 10000);
	assert_int_equal(config_parse_duration_ms("500ms"), 500);
	assert_int_equal(config_parse_duration_ms("2m"), 120000);
	assert_int_equal(config_parse_duration_ms("1500"), 1500);
	assert_int_equal(config_parse_duration_ms("0"), 0);
	assert_int_equal(config_parse_duration_ms("0s"), 0);
	assert_int_equal(config_parse_duration_ms("0ms"), 0);
	assert_int_equal(config_parse_duration_ms("60m"), 3600000);
}

static void
test_parse_duration_errors(void **state)
{
	static const char *const bad[] = {
	        "",
	        "s",
	        "ms",
	        "m",
	        "-1",
	        "-1s",
	        "+1s",
	        " 1s",
	        "1s ",
	        "1 s",
	        "1.5s",
	        "1h",
	        "1d",
	        "1sm",
	        "1mss",
	        "1msec",
	        "10ss",
	        "99999999999999999999",
	        "153722867280912931m",
	};
	size_t i;

	(void)state;
	assert_int_equal(config_parse_duration_ms(NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_parse_duration_ms(bad[i]) != -1)
			fail_msg("duration \"%s\" gave %lld, want -1", bad[i],
			        (long long)config_parse_duration_ms(bad[i]));
}

static void
test_parse_listen(void **state)
{
	static const struct {
		const char *in;
		const char *host;
		int port;
	} ok[] = {
	        {"127.0.0.1:8080", "127.0.0.1", 8080},
	        {"0.0.0.0:0", "0.0.0.0", 0},
	        {"localhost:65535", "localhost", 65535},
	        {"[::1]:8080", "::1", 8080},
	        {"[::]:80", "::", 80},
	        {"[fe80::1%lo]:1", "fe80::1%lo", 1},
	        {"example.com:443", "example.com", 443},
	};
	char host[64];
	int port;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		port = -7;
		memset(host, 'Z', sizeof(host));
		if (config_parse_listen(ok[i].in, host, sizeof(host), &port) !=
		        ERR_OK)
			fail_msg("listen \"%s\" refused", ok[i].in);
		assert_string_equal(host, ok[i].host);
		assert_int_equal(port, ok[i].port);
	}
}

static void
test_parse_listen_errors(void **state)
{
	static const char *const bad[] = {
	        "",
	        "8080",
	        "localhost",
	        "localhost:",
	        ":8080",
	        "[::1]",
	        "[::1]:",
	        "[::1:80",
	        "[]:80",
	        "[::1]x:80",
	        "host:65536",
	        "host:-1",
	        "host:8x",
	        "host:0x50",
	        "host:99999999999999999999",
	        "host:1.5",
	};
	char host[64];
	int port;
	size_t i;

	(void)state;
	assert_int_equal(config_parse_listen(NULL, host, sizeof(host), &port),
	        ERR_INVALID);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		port = -7;
		if (config_parse_listen(bad[i], host, sizeof(host), &port) !=
		        ERR_INVALID)
			fail_msg(
			        "listen \"%s\" accepted (host \"%s\", port %d)",
			        bad[i], host, port);
	}
}

/* The host must fit with its NUL; never written past hostlen. */
static void
test_parse_listen_host_length(void **state)
{
	char in[64], host[16];
	int port;

	(void)state;
	memset(host, '#', sizeof(host));
	snprintf(in, sizeof(in), "%s:1", "abcdefghijklmno"); /* 15 chars */
	assert_int_equal(config_parse_listen(in, host, 16, &port), ERR_OK);
	assert_string_equal(host, "abcdefghijklmno");
	memset(host, '#', sizeof(host));
	snprintf(in, sizeof(in), "%s:1", "abcdefghijklmnop"); /* 16 chars */
	assert_int_equal(config_parse_listen(in, host, 16, &port), ERR_INVALID);
	memset(host, '#', sizeof(host));
	assert_int_equal(
	        config_parse_listen("[abcdefghijklmnop]:1", host, 16, &port),
	        ERR_INVALID);
	assert_int_equal(host[0], '#');
}

/* A 255-character host fits struct config; 256 does not. */
static void
test_listen_host_length_in_config(void **state)
{
	static char v[300];
	struct env e;

	(void)state;
	memset(v, 'h', 255);
	strcpy(v + 255, ":1");
	env_init(&e);
	env_set(&e, "PARTICIPE_LISTEN", v);
	assert_int_equal(load(&e), ERR_OK);
	assert_int_equal(strlen(cfg.listen_host), 255);
	memset(v, 'h', 256);
	strcpy(v + 256, ":1");
	assert_int_equal(load(&e), ERR_INVALID);
	assert_non_null(strstr(errbuf, "PARTICIPE_LISTEN"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults),
	        cmocka_unit_test(test_every_variable_set),
	        cmocka_unit_test(test_access_log_values),
	        cmocka_unit_test(test_empty_integer_means_default),
	        cmocka_unit_test(test_database_url_required),
	        cmocka_unit_test(test_each_bad_variable_named),
	        cmocka_unit_test(test_error_reports_bad_variable_among_good),
	        cmocka_unit_test(test_small_errbuf),
	        cmocka_unit_test(test_parse_size),
	        cmocka_unit_test(test_parse_size_errors),
	        cmocka_unit_test(test_parse_duration),
	        cmocka_unit_test(test_parse_duration_errors),
	        cmocka_unit_test(test_parse_listen),
	        cmocka_unit_test(test_parse_listen_errors),
	        cmocka_unit_test(test_parse_listen_host_length),
	        cmocka_unit_test(test_listen_host_length_in_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
