/*
 * log.h - structured logging: one JSON object per line on stderr
 *
 * Lines are written with a single write(2) so that lines from different
 * workers never interleave. Nothing personal is logged: no IP addresses,
 * no e-mail addresses, no tokens; at most a pseudonymous account id.
 */
#ifndef PARTICIPE_LOG_H
#define PARTICIPE_LOG_H

#include <jansson.h>

/* Logs 'msg' at 'level' ("info", "warn", "error") with extra fields
   (stolen: the caller's reference is consumed; NULL for none). */
void log_json(const char *level, const char *msg, json_t *fields);

/* printf-style convenience: the formatted text becomes "msg". */
void log_msg(const char *level, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

#endif
