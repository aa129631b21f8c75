/*
 * client.h - a tiny blocking HTTP/1.1 client for the black-box API tests
 *
 * The server under test is named by PARTICIPE_TEST_URL (http://host:port,
 * default http://127.0.0.1:8080). Every socket has receive and send
 * timeouts (SO_RCVTIMEO/SO_SNDTIMEO, 5 s unless changed), so no test can
 * hang on a silent server. Responses are framed by Content-Length (the
 * server always sends it); a response without one is read until EOF.
 *
 * The assertion helpers (check_*) call cmocka's fail() with a message that
 * shows the response, so include <cmocka.h> in test files as usual.
 */
#ifndef PARTICIPE_TEST_CLIENT_H
#define PARTICIPE_TEST_CLIENT_H

#include <jansson.h>
#include <stddef.h>

/* Default receive/send timeout of a connection, in milliseconds. */
#define HTTP_DEFAULT_TIMEOUT_MS 5000

/* One response header field, as received (name case preserved). */
struct http_field {
	char *name;
	char *value; /* leading and trailing whitespace removed */
};

/* A parsed response. Free it with http_resp_free(). */
struct http_resp {
	int status;                 /* e.g. 200 */
	char *version;              /* "HTTP/1.1" */
	char *reason;               /* reason phrase, maybe "" */
	struct http_field *headers; /* in order of arrival */
	size_t nheaders;
	char *body; /* NUL-terminated copy of the body ("" if none) */
	size_t body_len;
	int interim;    /* number of 1xx responses skipped before this one */
	int has_length; /* a Content-Length header framed the body */
	int closed;     /* the peer's EOF (or reset) had already been seen
	                   when this response was complete */
};

/* Why conn_read() returned NULL (conn->err). */
enum http_err {
	HTTP_OK = 0,
	HTTP_ERR_EOF,     /* the peer closed before a complete response */
	HTTP_ERR_TIMEOUT, /* nothing complete within the receive timeout */
	HTTP_ERR_PARSE,   /* the bytes are not an HTTP/1.x response */
	HTTP_ERR_IO,      /* another socket error (errno in conn->sys_errno) */
};

/* A client connection with its receive buffer. */
struct http_conn {
	int fd;
	char *buf; /* bytes received but not yet consumed */
	size_t len, cap;
	int eof;           /* recv() returned 0 or ECONNRESET */
	int timeout_ms;    /* current SO_RCVTIMEO/SO_SNDTIMEO */
	enum http_err err; /* reason of the last failed conn_read() */
	int sys_errno;
	/* "METHOD target" of requests sent and not yet answered, for the
	   contract check's record (PARTICIPE_TEST_RECORD) */
	char *sent[32];
	int nsent;
};

/* Flags of conn_read_ex(). */
#define HTTP_READ_NO_BODY 1 /* answer to HEAD: no body whatever the length */
#define HTTP_READ_INTERIM 2 /* return a 1xx response instead of skipping it */

/* Host, port and "host:port" of PARTICIPE_TEST_URL (parsed once). */
const char *http_host(void);
int http_port(void);
const char *http_authority(void);

/* The platform administrator's token (PARTICIPE_TEST_ADMIN_TOKEN) or "". */
const char *http_admin_token(void);

/* An integer from the environment, or def when unset or not a number. */
long http_env_long(const char *name, long def);

/* Monotonic clock in milliseconds. */
long long http_now_ms(void);

/* Sleep for ms milliseconds. */
void http_sleep_ms(int ms);

/* Connect to the server under test; NULL (and a message) on failure. */
struct http_conn *conn_open(void);

/* conn_open() to another port of the same host (a second server). */
struct http_conn *conn_open_port(int port);

/* Change the receive/send timeout of a connection. */
void conn_set_timeout(struct http_conn *c, int ms);

/* Send n raw bytes; 0 on success, -1 if the peer is gone or timed out. */
int conn_send(struct http_conn *c, const void *data, size_t n);

/* Send a NUL-terminated string as is. */
int conn_send_str(struct http_conn *c, const char *s);

/* Send "METHOD PATH HTTP/1.1", Host, the extra header lines (each ending
 * in CRLF, may be NULL), Content-Length when body is not NULL, then body. */
int conn_send_request(struct http_conn *c, const char *method, const char *path,
        const char *extra, const char *body, size_t body_len);

/* Read one response (skipping 1xx ones); NULL on failure, see c->err. */
struct http_resp *conn_read(struct http_conn *c);

/* conn_read() with HTTP_READ_* flags. */
struct http_resp *conn_read_ex(struct http_conn *c, int flags);

/* Wait up to ms for the peer to close. Returns 1 when it closed, 0 when
 * it is still open at the deadline, -1 when bytes arrived instead (they
 * stay in the buffer, see conn_pending). */
int conn_wait_closed(struct http_conn *c, int ms);

/* Wait up to ms for the first byte; 1 readable (data or EOF), 0 not. */
int conn_wait_readable(struct http_conn *c, int ms);

/* Bytes received and not consumed by conn_read(). */
size_t conn_pending(const struct http_conn *c);

/* Close and free (NULL is fine). */
void conn_close(struct http_conn *c);

/* Printable name of c->err. */
const char *http_err_name(enum http_err e);

/* One request on a fresh connection, then close it. extra: header lines
 * ending in CRLF or NULL; body NULL means no body and no Content-Length.
 * For HEAD the body is not read. NULL (with a message) on failure. */
struct http_resp *http_request(const char *method, const char *path,
        const char *extra, const char *body, size_t body_len);

/* GET path on a fresh connection. */
struct http_resp *http_get(const char *path);

/* POST a JSON text with Content-Type: application/json; token NULL means
 * no Authorization header. */
struct http_resp *http_post_json(
        const char *path, const char *token, const char *json);

/* First header named name (case-insensitive), or NULL. */
const char *http_resp_header(const struct http_resp *r, const char *name);

/* How many header fields are named name (case-insensitive). */
size_t http_resp_header_count(const struct http_resp *r, const char *name);

/* The body parsed as JSON (new reference), or NULL. */
json_t *http_resp_json(const struct http_resp *r);

/* Free a response (NULL is fine). */
void http_resp_free(struct http_resp *r);

/* Print a response (status line, headers, up to 400 body bytes) to stderr. */
void http_resp_dump(const struct http_resp *r);

/* Whether a comma-separated header value lists token (case-insensitive). */
int http_list_has(const char *value, const char *token);

/* Percent-encode s for a path segment into out (size outsz). */
void http_pct_encode(const char *s, char *out, size_t outsz);

/* A fresh slug "<prefix>-<pid>-<ms>-<n>" that no other test run uses. */
void http_unique_slug(const char *prefix, char *out, size_t outsz);

/* Value of the metrics sample whose name-and-labels is exactly series
 * (e.g. "participe_db_pool_connected" or
 * "participe_http_requests_total{route=\"GET /healthz\",status=\"200\"}"),
 * or -1 when absent. */
double metrics_value(const char *text, const char *series);

/* Sum of every sample of metric name (any labels); -1 when none. */
double metrics_sum(const char *text, const char *name);

/* Fetch /metrics and return its body (malloc'd) or NULL. */
char *metrics_fetch(void);

/*
 * Assertions. Each fails the current cmocka test, after printing the
 * response, when the condition does not hold.
 */

/* r is not NULL and has this status. */
#define check_status(r, st) check_status_((r), (st), __FILE__, __LINE__)
void check_status_(
        const struct http_resp *r, int status, const char *file, int line);

/* Date (IMF-fixdate), X-Request-Id, X-Content-Type-Options: nosniff, and
 * exactly one Content-Length equal to the body length (not for 1xx, and
 * for HEAD pass head=1 so the length is not compared). */
#define check_common_headers(r, head)                                          \
	check_common_headers_((r), (head), __FILE__, __LINE__)
void check_common_headers_(
        const struct http_resp *r, int head, const char *file, int line);

/* A problem+json response: this status, Content-Type
 * application/problem+json, body an object with only the RFC 9457 members
 * used here, type "urn:participe:problem:<slug>" (slug NULL: any), title a
 * non-empty string, status equal to the HTTP status, detail and instance
 * strings when present, errors an array of {field, message} strings;
 * and check_common_headers(). Returns the parsed body (new reference; json_decref it). */
#define check_problem(r, st, slug)                                             \
	check_problem_((r), (st), (slug), __FILE__, __LINE__)
json_t *check_problem_(const struct http_resp *r, int status, const char *slug,
        const char *file, int line);

/* check_problem() without the check_common_headers() part, for tests that
 * check those headers last, after what they are about. */
#define check_problem_body(r, st, slug)                                        \
	check_problem_body_((r), (st), (slug), __FILE__, __LINE__)
json_t *check_problem_body_(const struct http_resp *r, int status,
        const char *slug, const char *file, int line);

/* The problem's errors array has an entry for field (and, when message is
 * not NULL, with exactly that message). */
#define check_problem_field(p, field, message)                                 \
	check_problem_field_((p), (field), (message), __FILE__, __LINE__)
void check_problem_field_(json_t *problem, const char *field,
        const char *message, const char *file, int line);

/* Fail the current test with a printf-style message. */
#define check_fail(...) check_fail_(__FILE__, __LINE__, __VA_ARGS__)
void check_fail_(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4), noreturn));

/* Fail with the message unless cond holds. */
#define check(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			check_fail_(__FILE__, __LINE__, __VA_ARGS__);          \
	} while (0)

#endif
