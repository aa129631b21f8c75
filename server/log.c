/*
 * log.c - JSON lines on stderr
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void
timestamp(char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;
	char base[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03dZ", base, (int)(tv.tv_usec / 1000));
}

void
log_json(const char *level, const char *msg, json_t *fields)
{
	char ts[48];
	json_t *o = json_object();
	char *s;
	size_t len;

	timestamp(ts, sizeof(ts));
	json_object_set_new(o, "ts", json_string(ts));
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "msg", json_string(msg));
	if (fields != NULL) {
		json_object_update(o, fields);
		json_decref(fields);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return;
	len = strlen(s);
	s = realloc(s, len + 2);
	if (s == NULL)
		abort();
	s[len] = '\n';
	if (write(STDERR_FILENO, s, len + 1) < 0) {
		/* nowhere left to report it */
	}
	free(s);
}

void
log_msg(const char *level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_json(level, buf, NULL);
}
