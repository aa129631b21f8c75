/*
 * arena.h - per-request bump allocator with deferred cleanups
 *
 * Everything a request allocates lives in its arena and is freed at once.
 * Resources that are not arena memory (jansson values, libpq results) are
 * registered with arena_defer() and released, last in first out, when the
 * arena is freed. Allocation failure aborts, as palloc does, so callers
 * never check for NULL.
 */
#ifndef PARTICIPE_ARENA_H
#define PARTICIPE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A cleanup run by arena_free(); arg is what was given to arena_defer(). */
typedef void (*arena_cleanup_fn)(void *arg);

/* Creates an empty arena whose first block holds at least 'hint' bytes. */
struct arena *arena_new(size_t hint);

/* Returns 'size' bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t size);

/* Like arena_alloc() but zero-filled. */
void *arena_calloc(struct arena *a, size_t n, size_t size);

/* Copies a NUL-terminated string; NULL stays NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* Copies 'len' bytes and adds a terminating NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* vprintf into arena memory. */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/* Registers fn(arg) to run when the arena is freed (LIFO order). */
void arena_defer(struct arena *a, arena_cleanup_fn fn, void *arg);

/*
 * realloc of an array of n elements of size bytes, aborting on overflow
 * or failure as arena allocations do: for arrays that grow as they are
 * read (lib/pbfile.c, lib/outcome.c) and are freed on their own.
 */
void *xreallocarray(void *p, size_t n, size_t size);

/* Bytes handed out so far (for tests and metrics). */
size_t arena_used(const struct arena *a);

/* Runs the deferred cleanups, then releases all memory; NULL is a no-op. */
void arena_free(struct arena *a);

#endif
