/*
 * test_arena.c - the per-request bump allocator and its deferred cleanups
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"

#define ALIGNMENT 16u

static int
aligned(const void *p)
{
	return ((uintptr_t)p % ALIGNMENT) == 0;
}

static void
test_new_and_free_empty(void **state)
{
	struct arena *a;

	(void)state;
	a = arena_new(0);
	assert_non_null(a);
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
	arena_free(NULL); /* documented no-op */
}

/* Every allocation, of every size, across block boundaries, is aligned. */
static void
test_alignment_of_every_allocation(void **state)
{
	struct arena *a = arena_new(0);
	size_t size;
	int round;

	(void)state;
	for (round = 0; round < 4; round++) {
		for (size = 0; size <= 300; size++) {
			unsigned char *p = arena_alloc(a, size);

			assert_non_null(p);
			assert_true(aligned(p));
			memset(p, 0xA5, size);
		}
	}
	/* Odd sizes interleaved with strings, printf and calloc. */
	for (size = 1; size < 2000; size += 7) {
		assert_true(aligned(arena_alloc(a, size)));
		assert_true(aligned(arena_strdup(a, "x")));
		assert_true(aligned(arena_strndup(a, "abc", 2)));
		assert_true(aligned(arena_printf(a, "%zu", size)));
		assert_true(aligned(arena_calloc(a, 3, size)));
	}
	arena_free(a);
}

/* Allocations never overlap: fill each with its own byte, then check. */
static void
test_allocations_do_not_overlap(void **state)
{
	enum { N = 400 };
	struct arena *a = arena_new(64);
	unsigned char *ptr[N];
	size_t len[N];
	size_t i, j;

	(void)state;
	for (i = 0; i < N; i++) {
		len[i] = (i * 37) % 700 + 1;
		ptr[i] = arena_alloc(a, len[i]);
		memset(ptr[i], (int)(i & 0xff), len[i]);
	}
	for (i = 0; i < N; i++)
		for (j = 0; j < len[i]; j++)
			assert_int_equal(ptr[i][j], i & 0xff);
	arena_free(a);
}

/* A single allocation far over the block size is usable in full. */
static void
test_big_allocation_over_block_size(void **state)
{
	struct arena *a = arena_new(16);
	unsigned char *small1, *big, *small2;
	const size_t big_size = 3u * 1024u * 1024u + 5u;
	size_t i;

	(void)state;
	small1 = arena_alloc(a, 10);
	memset(small1, 1, 10);
	big = arena_alloc(a, big_size);
	assert_non_null(big);
	assert_true(aligned(big));
	memset(big, 2, big_size); /* ASan catches an undersized block */
	small2 = arena_alloc(a, 10);
	assert_true(aligned(small2));
	memset(small2, 3, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(small1[i], 1);
		assert_int_equal(small2[i], 3);
	}
	assert_int_equal(big[0], 2);
	assert_int_equal(big[big_size - 1], 2);
	assert_int_equal(arena_used(a), 10 + big_size + 10);
	arena_free(a);
}

/* Many successive allocations just over a block's remainder. */
static void
test_growth_sequence(void **state)
{
	struct arena *a = arena_new(1024);
	size_t total = 0, s;

	(void)state;
	for (s = 1000; s < 200000; s = s * 3 / 2) {
		unsigned char *p = arena_alloc(a, s);

		assert_true(aligned(p));
		p[0] = 1;
		p[s - 1] = 1;
		total += s;
	}
	assert_int_equal(arena_used(a), total);
	arena_free(a);
}

static void
test_hint_is_honoured(void **state)
{
	struct arena *a = arena_new(100000);
	unsigned char *p;

	(void)state;
	p = arena_alloc(a, 99000);
	memset(p, 7, 99000);
	assert_true(aligned(p));
	arena_free(a);
}

static void
test_used_counts_requested_bytes(void **state)
{
	struct arena *a = arena_new(0);

	(void)state;
	arena_alloc(a, 1);
	assert_int_equal(arena_used(a), 1);
	arena_alloc(a, 0);
	assert_int_equal(arena_used(a), 1);
	arena_alloc(a, 100);
	assert_int_equal(arena_used(a), 101);
	arena_strdup(a, "abc"); /* 4 bytes with its NUL */
	assert_int_equal(arena_used(a), 105);
	arena_free(a);
}

static void
test_zero_size_allocation(void **state)
{
	struct arena *a = arena_new(0);
	void *p, *q;

	(void)state;
	p = arena_alloc(a, 0);
	q = arena_calloc(a, 0, 16);
	assert_non_null(p);
	assert_non_null(q);
	assert_true(aligned(p));
	arena_free(a);
}

static void
test_calloc_zero_fills(void **state)
{
	struct arena *a = arena_new(0);
	unsigned char *p;
	size_t i;
	int round;

	(void)state;
	/* Dirty the block first so that zeroes do not come from malloc. */
	for (round = 0; round < 3; round++) {
		p = arena_alloc(a, 500);
		memset(p, 0xff, 500);
		p = arena_calloc(a, 125, 4);
		for (i = 0; i < 500; i++)
			assert_int_equal(p[i], 0);
		p = arena_calloc(a, 1, 70000); /* in a new block */
		for (i = 0; i < 70000; i++)
			assert_int_equal(p[i], 0);
	}
	arena_free(a);
}

static void
test_strdup_and_strndup(void **state)
{
	struct arena *a = arena_new(0);
	char src[] = "hello, world";
	char *s;

	(void)state;
	assert_null(arena_strdup(a, NULL));
	s = arena_strdup(a, src);
	assert_string_equal(s, "hello, world");
	assert_ptr_not_equal(s, src);
	src[0] = 'J'; /* a copy, not an alias */
	assert_string_equal(s, "hello, world");

	s = arena_strdup(a, "");
	assert_string_equal(s, "");

	s = arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = arena_strndup(a, "abcdef", 0);
	assert_string_equal(s, "");
	/* Embedded NUL bytes are copied, and a NUL is added after len. */
	s = arena_strndup(a, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	arena_free(a);
}

/* strndup must not read past len (source without a terminator). */
static void
test_strndup_unterminated_source(void **state)
{
	struct arena *a = arena_new(0);
	char *src = malloc(5);
	char *s;

	(void)state;
	assert_non_null(src);
	memcpy(src, "xyzzy", 5);
	s = arena_strndup(a, src, 5);
	assert_string_equal(s, "xyzzy");
	free(src);
	arena_free(a);
}

static char *vprintf_wrapper(struct arena *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static char *
vprintf_wrapper(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static void
test_printf(void **state)
{
	struct arena *a = arena_new(0);
	char *s, *big;
	size_t i;

	(void)state;
	s = arena_printf(a, "%s-%d-%05.1f-%c", "abc", -42, 3.14159, 'z');
	assert_string_equal(s, "abc--42-003.1-z");
	s = arena_printf(a, "%s", "");
	assert_string_equal(s, "");
	s = vprintf_wrapper(a, "%d+%d=%d", 2, 2, 4);
	assert_string_equal(s, "2+2=4");

	/* Output much longer than a block. */
	big = arena_printf(a, "<%*s>", 5000, "x");
	assert_int_equal(strlen(big), 5002);
	assert_int_equal(big[0], '<');
	for (i = 1; i < 5000; i++)
		assert_int_equal(big[i], ' ');
	assert_int_equal(big[5000], 'x');
	assert_int_equal(big[5001], '>');
	assert_true(aligned(big));
	/* Earlier strings are untouched by later growth. */
	assert_string_equal(s, "2+2=4");
	arena_free(a);
}

/* Cleanups: each runs exactly once, last registered first. */
static int order[256];
static int norder;

static void
record(void *arg)
{
	assert_true(norder < 256);
	order[norder++] = (int)(intptr_t)arg;
}

static void
test_cleanups_lifo_exactly_once(void **state)
{
	struct arena *a = arena_new(0);
	int i;

	(void)state;
	norder = 0;
	for (i = 0; i < 200; i++) {
		arena_defer(a, record, (void *)(intptr_t)i);
		/* interleave allocations so cleanups span several blocks */
		arena_alloc(a, (size_t)(i * 13 % 97));
	}
	assert_int_equal(norder, 0); /* nothing runs before arena_free */
	arena_free(a);
	assert_int_equal(norder, 200);
	for (i = 0; i < 200; i++)
		assert_int_equal(order[i], 199 - i);
}

static void
test_cleanup_null_arg(void **state)
{
	struct arena *a = arena_new(0);

	(void)state;
	norder = 0;
	arena_defer(a, record, NULL);
	arena_free(a);
	assert_int_equal(norder, 1);
	assert_int_equal(order[0], 0);
}

/* Cleanups run while the arena's memory is still valid. */
struct probe {
	char text[32];
	int *seen;
};

static void
read_arena_memory(void *arg)
{
	struct probe *p = arg;

	assert_string_equal(p->text, "still here");
	(*p->seen)++;
}

static void
test_cleanup_sees_arena_memory(void **state)
{
	struct arena *a = arena_new(0);
	struct probe *p;
	int seen = 0;
	int i;

	(void)state;
	p = arena_alloc(a, sizeof(*p));
	strcpy(p->text, "still here");
	p->seen = &seen;
	arena_defer(a, read_arena_memory, p);
	for (i = 0; i < 50; i++)
		arena_alloc(a, 4096); /* push the probe's block down */
	arena_free(a);
	assert_int_equal(seen, 1);
}

/* Real resources: a malloc'd buffer released by the arena (LSan checks). */
static void
test_cleanup_frees_resource(void **state)
{
	struct arena *a = arena_new(0);
	char *buf = malloc(100);

	(void)state;
	assert_non_null(buf);
	arena_defer(a, free, buf);
	arena_free(a);
}

/* Allocation failure aborts (never NULL): run it in a child process. */
static void
expect_abort(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 2);
		fn();
		_exit(0); /* not reached if fn aborts */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void
alloc_huge(void)
{
	struct arena *a = arena_new(0);

	arena_alloc(a, SIZE_MAX - 8);
}

static void
calloc_overflow(void)
{
	struct arena *a = arena_new(0);

	/* n * size wraps around to a small number. */
	arena_calloc(a, SIZE_MAX / 8 + 2, 16);
}

static void
test_oversized_requests_abort(void **state)
{
	(void)state;
	expect_abort(alloc_huge);
	expect_abort(calloc_overflow);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_new_and_free_empty),
	        cmocka_unit_test(test_alignment_of_every_allocation),
	        cmocka_unit_test(test_allocations_do_not_overlap),
	        cmocka_unit_test(test_big_allocation_over_block_size),
	        cmocka_unit_test(test_growth_sequence),
	        cmocka_unit_test(test_hint_is_honoured),
	        cmocka_unit_test(test_used_counts_requested_bytes),
	        cmocka_unit_test(test_zero_size_allocation),
	        cmocka_unit_test(test_calloc_zero_fills),
	        cmocka_unit_test(test_strdup_and_strndup),
	        cmocka_unit_test(test_strndup_unterminated_source),
	        cmocka_unit_test(test_printf),
	        cmocka_unit_test(test_cleanups_lifo_exactly_once),
	        cmocka_unit_test(test_cleanup_null_arg),
	        cmocka_unit_test(test_cleanup_sees_arena_memory),
	        cmocka_unit_test(test_cleanup_frees_resource),
	        cmocka_unit_test(test_oversized_requests_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
