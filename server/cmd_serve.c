/*
 * cmd_serve.c - participe serve: workers, listeners, signals, shutdown
 *
 * Every worker thread has its own event_base, its own SO_REUSEPORT
 * listening socket on the same address (the kernel spreads connections),
 * its own connections and its own database pool. The main thread only
 * waits for SIGTERM/SIGINT and then asks each worker to drain.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "mail.h"
#include "password.h"
#include "token.h"
#include "metrics.h"
#include "router.h"
#include "server.h"
#include "snapshot.h"
#include "vote.h"

struct server g_server;

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *
worker_date(struct worker *w)
{
	time_t t = time(NULL);

	if (t != w->date_sec) {
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(w->date, sizeof(w->date), "%a, %d %b %Y %H:%M:%S GMT",
		        &tm);
		w->date_sec = t;
	}
	return w->date;
}

static const char *
env_lookup(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
        int socklen, void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	conn_accept(arg, fd);
}

static void
on_accept_error(struct evconnlistener *l, void *arg)
{
	struct worker *w = arg;
	int e = EVUTIL_SOCKET_ERROR();

	(void)l;
	/* EMFILE and friends: keep serving the connections we have. */
	log_json("warn", "accept failed",
	        json_pack("{s:i, s:s}", "worker", w->id, "error",
	                evutil_socket_error_to_string(e)));
}

void
worker_drained(struct worker *w)
{
	event_base_loopexit(w->base, NULL);
}

static void
on_drain_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;

	(void)fd;
	(void)what;
	log_json("warn", "shutdown grace period over; closing connections",
	        json_pack("{s:i, s:i}", "worker", w->id, "open", w->nconns));
	conn_close_all(w);
	event_base_loopexit(w->base, NULL);
}

/* Runs on the worker's own loop when the main thread asks it to stop. */
static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	int ms = g_server.cfg.shutdown_timeout_ms;
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	(void)fd;
	(void)what;
	w->draining = 1;
	if (w->listener != NULL) {
		evconnlistener_free(w->listener);
		w->listener = NULL;
	}
	conn_drain_all(w);
	if (w->nconns == 0) {
		event_base_loopexit(w->base, NULL);
		return;
	}
	w->drain_timer = evtimer_new(w->base, on_drain_timeout, w);
	evtimer_add(w->drain_timer, &tv);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	vote_worker_start(w);
	snapshot_worker_start(w);
	event_base_dispatch(w->base);
	/* Drained: the pool goes last, after every request has finished. */
	dbpool_free(w->db);
	dbpool_free(w->db_read);
	w->db = w->db_read = NULL;
	vote_worker_stop(w);
	snapshot_worker_stop(w);
	return NULL;
}

/* Opens the SO_REUSEPORT socket of one worker; port 0 picks one. */
static int
listen_socket(const char *host, int port, int *bound_port)
{
	struct addrinfo hints, *ai = NULL;
	char ports[16];
	int fd = -1, one = 1, rc;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(ports, sizeof(ports), "%d", port);
	if ((rc = getaddrinfo(host, ports, &hints, &ai)) != 0) {
		log_msg("error", "cannot resolve listen address \"%s\": %s",
		        host, gai_strerror(rc));
		return -1;
	}
	fd = socket(
	        ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	        listen(fd, 4096) != 0) {
		log_msg("error", "cannot listen on %s:%d: %s", host, port,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*bound_port = ntohs(ss.ss_family == AF_INET6
	                            ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                            : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int
cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (int)n;
}

int
cmd_serve(int argc, char **argv)
{
	struct config *cfg = &g_server.cfg;
	char errbuf[256];
	sigset_t set;
	int i, sig, port = 0, rc = 0;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0) {
		fputs("participe: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (config_load(cfg, env_lookup, NULL, errbuf, sizeof(errbuf)) !=
	        ERR_OK) {
		log_msg("error", "%s", errbuf);
		return 2;
	}
	if (cfg->workers == 0)
		cfg->workers = cpu_count();
	if (cfg->cpu_threads == 0)
		cfg->cpu_threads = cpu_count();
	evthread_use_pthreads();
	signal(SIGPIPE, SIG_IGN);
	/* Block the stop signals in every thread; main waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	{
		char path[4096];
		const char *f = getenv("PARTICIPE_OPENAPI_FILE");

		if (f == NULL || *f == '\0')
			f = cli_install_path(
			        "api-spec/openapi.yaml", path, sizeof(path));
		g_server.openapi = cli_read_file(f, &g_server.openapi_len);
		if (g_server.openapi == NULL)
			log_msg("warn", "cannot read the api contract \"%s\"",
			        f);
	}
	if (mail_open(cfg->mailbox) != 0)
		return 2;
	if (vote_init(cfg) != 0)
		return 2;
	{
		/* The dummy hash costs what a real one does (no enumeration
		   by login timing). */
		char pw[TOKEN_TEXT_LEN + 1];
		struct password_params pp = {
		        cfg->pwhash_opslimit, cfg->pwhash_memlimit};

		token_new(pw);
		if (password_hash(g_server.dummy_hash, pw, strlen(pw), &pp) !=
		        ERR_OK) {
			log_msg("error", "cannot hash a password with "
			                 "PARTICIPE_PWHASH_MEMLIMIT");
			return 2;
		}
	}
	metrics_init(router_count());
	g_server.started_ns = now_ns();
	g_server.tasks = taskpool_new(cfg->cpu_threads, cfg->cpu_queue);
	g_server.nworkers = cfg->workers;
	g_server.workers = calloc((size_t)cfg->workers, sizeof(struct worker));
	if (g_server.workers == NULL)
		abort();
	for (i = 0; i < cfg->workers; i++) {
		struct worker *w = &g_server.workers[i];
		int bound;

		w->id = i;
		w->base = event_base_new();
		if (w->base == NULL)
			abort();
		w->listen_fd = listen_socket(cfg->listen_host,
		        i == 0 ? cfg->listen_port : port, &bound);
		if (w->listen_fd < 0)
			return 1;
		if (i == 0)
			port = bound;
		w->listener = evconnlistener_new(w->base, on_accept, w,
		        LEV_OPT_CLOSE_ON_FREE, -1, w->listen_fd);
		evconnlistener_set_error_cb(w->listener, on_accept_error);
		w->stop_ev = event_new(w->base, -1, 0, on_stop, w);
		w->db = dbpool_new(w, DBPOOL_PRIMARY, cfg->database_url,
		        cfg->db_pool_size, cfg->db_queue,
		        cfg->db_queue_timeout_ms);
		if (cfg->read_database_url != NULL)
			w->db_read = dbpool_new(w, DBPOOL_READ,
			        cfg->read_database_url, cfg->db_pool_size,
			        cfg->db_queue, cfg->db_queue_timeout_ms);
	}
	for (i = 0; i < cfg->workers; i++)
		if (pthread_create(&g_server.workers[i].thread, NULL,
		            worker_main, &g_server.workers[i]) != 0)
			abort();
	log_json("info", "listening",
	        json_pack("{s:s, s:i, s:i, s:i, s:b}", "host", cfg->listen_host,
	                "port", port, "workers", cfg->workers, "db_pool",
	                cfg->db_pool_size, "read_pool",
	                cfg->read_database_url != NULL));
	if (cfg->port_file != NULL) {
		FILE *f = fopen(cfg->port_file, "w");

		if (f != NULL) {
			fprintf(f, "%d\n", port);
			fclose(f);
		}
	}
	if (sigwait(&set, &sig) != 0)
		sig = SIGTERM;
	log_json("info", "shutting down",
	        json_pack("{s:s}", "signal",
	                sig == SIGINT ? "SIGINT" : "SIGTERM"));
	for (i = 0; i < cfg->workers; i++)
		event_active(g_server.workers[i].stop_ev, EV_TIMEOUT, 0);
	for (i = 0; i < cfg->workers; i++)
		pthread_join(g_server.workers[i].thread, NULL);
	/* Tasks still running post to their worker's base: free bases last. */
	taskpool_free(g_server.tasks);
	for (i = 0; i < cfg->workers; i++) {
		struct worker *w = &g_server.workers[i];

		if (w->listener != NULL)
			evconnlistener_free(w->listener);
		if (w->drain_timer != NULL)
			event_free(w->drain_timer);
		event_free(w->stop_ev);
		conn_close_all(w);
		event_base_free(w->base);
	}
	free(g_server.workers);
	free(g_server.openapi);
	mail_close();
	metrics_free();
	log_json("info", "stopped", NULL);
	libevent_global_shutdown();
	return rc;
}
