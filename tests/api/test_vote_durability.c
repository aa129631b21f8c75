/*
 * test_vote_durability.c - nothing acknowledged is lost
 *
 * A second server (same database, same log key) is started; eight
 * clients cast pre-signed ballots to it as fast as they can, and once a
 * hundred receipts have arrived it is killed with SIGKILL in the middle
 * of the flow. Then: every ballot that got a receipt is in the log; the
 * server starts again and takes ballots; and after closing, `participe
 * verify` checks every tree head signed before, during and after the
 * kill, and their consistency, and recomputes the published result.
 *
 * Needs PARTICIPE_TEST_BIN and the database and log key variables of
 * tests/run.sh; skipped without them.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "election.h"
#include "identity.h"
#include "wire.h"

#define NBALLOTS 400
#define NCLIENTS 8
#define KILL_AFTER 100

#define SINGLE                                                                 \
	"[{\"id\":\"choix\",\"text\":\"Oui ou non ?\","                        \
	"\"options\":[{\"id\":\"oui\",\"label\":\"Oui\"},"                     \
	"{\"id\":\"non\",\"label\":\"Non\"}],\"rule\":{\"kind\":\"single\"}}]"

static struct {
	char slug[64], pid[40], eid[40];
	struct election e;
	char *body[NBALLOTS]; /* request bodies */
	unsigned char tracker[NBALLOTS][32];
	atomic_int receipted[NBALLOTS];
	atomic_int receipts;
	atomic_int refused;
	atomic_int next;
	int port;
	pid_t server;
	char portfile[64];
} w;

/* Starts bin/participe serve on a free port; waits until it is ready. */
static void
server_start(void)
{
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	long long until = http_now_ms() + 15000;
	FILE *f;

	snprintf(w.portfile, sizeof(w.portfile), "/tmp/participe-dur-%d",
	        (int)getpid());
	unlink(w.portfile);
	w.server = fork();
	assert_true(w.server >= 0);
	if (w.server == 0) {
		setenv("PARTICIPE_LISTEN", "127.0.0.1:0", 1);
		setenv("PARTICIPE_PORT_FILE", w.portfile, 1);
		setenv("PARTICIPE_WORKERS", "2", 1);
		setenv("PARTICIPE_ACCESS_LOG", "off", 1);
		if (freopen("/dev/null", "w", stderr) == NULL ||
		        freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl(bin, bin, "serve", (char *)NULL);
		_exit(127);
	}
	for (;;) {
		w.port = 0;
		f = fopen(w.portfile, "r");
		if (f != NULL) {
			if (fscanf(f, "%d", &w.port) != 1)
				w.port = 0;
			fclose(f);
		}
		if (w.port > 0) {
			struct http_conn *c = conn_open_port(w.port);
			struct http_resp *r = NULL;

			if (c != NULL &&
			        conn_send_request(c, "GET", "/readyz", NULL, NULL,
			                0) == 0)
				r = conn_read(c);
			if (r != NULL && r->status == 200) {
				http_resp_free(r);
				conn_close(c);
				return;
			}
			http_resp_free(r);
			if (c != NULL)
				conn_close(c);
		}
		if (http_now_ms() > until)
			fail_msg("the second server did not become ready");
		http_sleep_ms(50);
	}
}

/* One client: takes the next ballot, casts it, notes a 201. */
static void *
client(void *arg)
{
	struct http_conn *c = conn_open_port(w.port);
	char path[256];

	(void)arg;
	/* ct_fmt's buffers are shared by every thread: not here */
	snprintf(path, sizeof(path),
	        "/v1/collectivities/%s/elections/%s/ballots", w.slug, w.eid);
	while (c != NULL) {
		int i = atomic_fetch_add(&w.next, 1);
		struct http_resp *r;

		if (i >= NBALLOTS)
			break;
		if (conn_send_request(c, "POST", path,
		            "Content-Type: application/json\r\n", w.body[i],
		            strlen(w.body[i])) != 0)
			break;
		r = conn_read(c);
		if (r == NULL)
			break; /* killed */
		if (r->status == 201) {
			atomic_store(&w.receipted[i], 1);
			atomic_fetch_add(&w.receipts, 1);
		} else if (atomic_fetch_add(&w.refused, 1) == 0)
			fprintf(stderr, "  first refusal: %d %s\n", r->status,
			        r->body);
		http_resp_free(r);
	}
	if (c != NULL)
		conn_close(c);
	return NULL;
}

static int
group_setup(void **state)
{
	(void)state;
	if (getenv("PARTICIPE_TEST_BIN") == NULL ||
	        getenv("PARTICIPE_DATABASE_URL") == NULL ||
	        getenv("PARTICIPE_LOG_KEY_FILE") == NULL)
		return 0;
	return sodium_init() < 0 ? -1 : 0;
}

static void
test_sigkill_keeps_receipted_ballots(void **state)
{
	static unsigned char pk[NBALLOTS][32], sk[NBALLOTS][64];
	char why[256];
	char *keys = malloc(NBALLOTS * 70 + 16);
	pthread_t th[NCLIENTS];
	json_t *j, *log;
	size_t off = 0, i, n;
	int found, receipts, status;
	struct http_resp *r;

	(void)state;
	if (getenv("PARTICIPE_TEST_BIN") == NULL ||
	        getenv("PARTICIPE_DATABASE_URL") == NULL ||
	        getenv("PARTICIPE_LOG_KEY_FILE") == NULL) {
		print_message("database or log key variables not set: skipped\n");
		free(keys);
		return;
	}
	id_collectivity_new("durable", "commune", NULL, w.slug);
	ct_process_new(w.slug,
	        ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)), NULL,
	        w.pid);
	j = ct_json(id_call("POST",
	                    ct_path(w.slug, "/processes/%s/elections", w.pid),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"title\":\"Durable\",\"questions\":%s,"
	                           "\"credential_mode\":\"authority\"}",
	                            SINGLE)),
	        201);
	snprintf(w.eid, sizeof(w.eid), "%s", id_str(j, "id"));
	json_decref(j);
	off += (size_t)sprintf(keys, "{\"credentials\":[");
	for (i = 0; i < NBALLOTS; i++) {
		char hex[65];

		crypto_sign_keypair(pk[i], sk[i]);
		hex_encode(pk[i], 32, hex);
		off += (size_t)sprintf(keys + off, "%s\"%s\"", i ? "," : "", hex);
	}
	sprintf(keys + off, "]}");
	json_decref(ct_json(id_call("POST",
	                            ct_path(w.slug, "/elections/%s/credentials",
	                                    w.eid),
	                            http_admin_token(), NULL, keys),
	        200));
	free(keys);
	j = ct_json(id_call("POST", ct_path(w.slug, "/elections/%s/open", w.eid),
	                    http_admin_token(), NULL, NULL),
	        200);
	assert_int_equal(election_parse(id_str(j, "descriptor"),
	                         strlen(id_str(j, "descriptor")), &w.e, why,
	                         sizeof(why)),
	        0);
	json_decref(j);
	/* pre-signed ballots, one per credential */
	for (i = 0; i < NBALLOTS; i++) {
		struct ballot b;
		struct choice ch = {(uint32_t)(i % 2), 1};
		unsigned char *bytes, sig[64];
		size_t len;
		char *bh, *sh;

		memset(&b, 0, sizeof(b));
		memcpy(b.fingerprint, w.e.fingerprint, 32);
		memcpy(b.key, pk[i], 32);
		b.seq = 1;
		b.nquestions = 1;
		b.nchoices[0] = 1;
		b.choices[0] = &ch;
		assert_int_equal(ballot_encode(&b, &bytes, &len), 0);
		crypto_sign_detached(sig, NULL, bytes, len, sk[i]);
		ballot_tracker(bytes, len, w.tracker[i]);
		bh = hex_dup(bytes, len);
		sh = hex_dup(sig, 64);
		w.body[i] = malloc(strlen(bh) + 200);
		sprintf(w.body[i], "{\"ballot\":\"%s\",\"signature\":\"%s\"}",
		        bh, sh);
		free(bh);
		free(sh);
		free(bytes);
	}

	/* cast to a second server, kill it in the middle */
	server_start();
	for (i = 0; i < NCLIENTS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, client, NULL), 0);
	{
		long long until = http_now_ms() + 30000;

		while (atomic_load(&w.receipts) < KILL_AFTER &&
		        atomic_load(&w.next) < NBALLOTS) {
			if (http_now_ms() > until)
				fail_msg("only %d receipts in 30 s",
				        atomic_load(&w.receipts));
			usleep(200);
		}
	}
	kill(w.server, SIGKILL);
	waitpid(w.server, &status, 0);
	for (i = 0; i < NCLIENTS; i++)
		pthread_join(th[i], NULL);
	receipts = atomic_load(&w.receipts);
	print_message("  %d receipts before SIGKILL, %d ballots sent\n",
	        receipts, atomic_load(&w.next));
	assert_true(receipts >= KILL_AFTER);

	/* every receipted ballot is in the log */
	log = id_list_all(ct_path(w.slug, "/elections/%s/log?limit=1000", w.eid), NULL,
	        1000);
	n = json_array_size(log);
	found = 0;
	for (i = 0; i < NBALLOTS; i++) {
		char tr[65];
		size_t k;
		int in_log = 0;

		if (!atomic_load(&w.receipted[i]))
			continue;
		hex_encode(w.tracker[i], 32, tr);
		for (k = 0; k < n && !in_log; k++)
			in_log = strcmp(id_str(json_array_get(log, k), "tracker"),
			                 tr) == 0;
		if (!in_log)
			fail_msg("ballot %zu got a receipt but is not in the log",
			        i);
		found++;
	}
	assert_int_equal(found, receipts);
	json_decref(log);

	/* the server starts again and takes the ballots not yet in */
	server_start();
	{
		struct http_conn *c = conn_open_port(w.port);
		int more = 0;

		assert_non_null(c);
		for (i = 0; i < NBALLOTS; i++) {
			if (atomic_load(&w.receipted[i]))
				continue;
			assert_int_equal(
			        conn_send_request(c, "POST",
			                ct_fmt("/v1/collectivities/%s/elections/%s/"
			                       "ballots",
			                        w.slug, w.eid),
			                "Content-Type: application/json\r\n",
			                w.body[i], strlen(w.body[i])),
			        0);
			r = conn_read(c);
			assert_non_null(r);
			/* 409: appended before the kill, receipt lost */
			if (r->status != 201 && r->status != 409)
				fail_msg("ballot %zu after restart: %d %s", i,
				        r->status, r->body);
			more += r->status == 201;
			http_resp_free(r);
		}
		conn_close(c);
		print_message("  %d more after the restart\n", more);
	}
	kill(w.server, SIGTERM);
	waitpid(w.server, &status, 0);
	w.server = 0;
	unlink(w.portfile);

	/* every ballot is in exactly once; the heads stay consistent */
	j = ct_json(id_call("POST", ct_path(w.slug, "/elections/%s/close", w.eid),
	                    http_admin_token(), NULL, NULL),
	        200);
	assert_int_equal(ct_int(j, "ballots"), NBALLOTS);
	json_decref(j);
	{
		char path[] = "/tmp/participe-dur-export-XXXXXX", cmd[512];
		int fd = mkstemp(path), rc;
		FILE *f;

		r = id_call("GET", ct_path(w.slug, "/elections/%s/export", w.eid),
		        NULL, NULL, NULL);
		j = id_json(r, 200);
		assert_true(json_array_size(json_object_get(j, "tree_heads")) >= 2);
		f = fdopen(fd, "w");
		json_dumpf(j, f, JSON_COMPACT);
		fclose(f);
		json_decref(j);
		http_resp_free(r);
		snprintf(cmd, sizeof(cmd), "%s verify %s",
		        getenv("PARTICIPE_TEST_BIN"), path);
		rc = system(cmd);
		unlink(path);
		assert_int_equal(rc, 0);
	}
	for (i = 0; i < NBALLOTS; i++)
		free(w.body[i]);
	election_free(&w.e);
}

/* Whatever happened, the second server does not outlive the test. */
static int
group_teardown(void **state)
{
	(void)state;
	if (w.server > 0 && kill(w.server, SIGKILL) == 0)
		waitpid(w.server, NULL, 0);
	if (w.portfile[0] != '\0')
		unlink(w.portfile);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sigkill_keeps_receipted_ballots),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
