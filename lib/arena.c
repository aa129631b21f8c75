/*
 * arena.c - bump allocator: a chain of blocks, each at least twice the size
 * of the previous one, plus a LIFO list of cleanups.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16u
#define MIN_BLOCK 1024u

struct block {
	struct block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	arena_cleanup_fn fn;
	void *arg;
};

struct arena {
	struct block *head;
	struct cleanup *cleanups;
	size_t total;
};

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fputs("participe: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (n != 0 && size > SIZE_MAX / n)
		abort();
	p = realloc(p, n * size != 0 ? n * size : 1);
	if (p == NULL) {
		fputs("participe: out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct block *
block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(size_t hint)
{
	struct arena *a = xmalloc(sizeof(*a));

	a->head = block_new(hint < MIN_BLOCK ? MIN_BLOCK : hint);
	a->cleanups = NULL;
	a->total = 0;
	return a;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct block *b = a->head;
	size_t off = (b->used + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);

	if (size > SIZE_MAX / 2) {
		fputs("participe: allocation too large\n", stderr);
		abort();
	}
	if (off + size > b->size) {
		size_t want = b->size * 2;

		if (want < size)
			want = size;
		b = block_new(want);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	b->used = off + size;
	a->total += size;
	return b->data + off;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / 4 / size) {
		fputs("participe: allocation too large\n", stderr);
		abort();
	}
	p = arena_alloc(a, n * size);
	memset(p, 0, n * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, arena_cleanup_fn fn, void *arg)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

void
arena_free(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	/* Cleanups live in the arena's own blocks: run them all first. */
	while (a->cleanups != NULL) {
		struct cleanup *c = a->cleanups;

		a->cleanups = c->next;
		c->fn(c->arg);
	}
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}
