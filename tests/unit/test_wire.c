/*
 * test_wire.c - fields, big-endian integers, lowercase hex, UUIDs
 *
 * The expected bytes are written out by hand from docs/protocol.md's
 * notation: F(x) = u32(len(x)) || x, integers big-endian.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void
test_wbuf_fields(void **state)
{
	static const unsigned char want[] = {/* F("tag") */
	        0, 0, 0, 3, 't', 'a', 'g',
	        /* F(u64(0x0102030405060708)) */
	        0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,
	        /* F(de ad) */
	        0, 0, 0, 2, 0xde, 0xad,
	        /* u32(0xa0b0c0d0) */
	        0xa0, 0xb0, 0xc0, 0xd0,
	        /* F("") */
	        0, 0, 0, 0,
	        /* raw */
	        'x'};
	static const unsigned char dead[] = {0xde, 0xad};
	struct wbuf b = {0};

	(void)state;
	wbuf_field_str(&b, "tag");
	wbuf_field_u64(&b, 0x0102030405060708ULL);
	wbuf_field(&b, dead, 2);
	wbuf_u32(&b, 0xa0b0c0d0U);
	wbuf_field(&b, NULL, 0);
	wbuf_raw(&b, "x", 1);
	assert_int_equal(b.oom, 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.p, want, sizeof(want));
	free(b.p);
}

static void
test_wbuf_grows(void **state)
{
	struct wbuf b = {0};
	unsigned char chunk[1000];
	size_t i;

	(void)state;
	memset(chunk, 0x5a, sizeof(chunk));
	for (i = 0; i < 100; i++)
		wbuf_field(&b, chunk, sizeof(chunk));
	assert_int_equal(b.oom, 0);
	assert_int_equal(b.len, 100 * 1004);
	for (i = 0; i < 100; i++) {
		assert_int_equal(b.p[i * 1004 + 2], 0x03);
		assert_int_equal(b.p[i * 1004 + 3], 0xe8);
		assert_int_equal(b.p[i * 1004 + 1003], 0x5a);
	}
	free(b.p);
	/* once out of memory, nothing more is written */
	memset(&b, 0, sizeof(b));
	b.oom = 1;
	wbuf_field_str(&b, "tag");
	assert_int_equal(b.len, 0);
	assert_null(b.p);
}

static void
test_wread(void **state)
{
	static const unsigned char in[] = {0, 0, 0, 3, 't', 'a', 'g', 0, 0, 0,
	        8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 2, 0xde, 0xad, 0xa0, 0xb0,
	        0xc0, 0xd0};
	const unsigned char *p;
	unsigned char two[2];
	struct wread r;
	uint64_t v;
	uint32_t u;
	size_t n;

	(void)state;
	wread_init(&r, in, sizeof(in));
	assert_int_equal(wread_field_tag(&r, "tab"), -1);
	assert_int_equal(wread_field_tag(&r, "ta"), -1);
	assert_int_equal(wread_field_tag(&r, "tags"), -1);
	assert_int_equal(r.off, 0); /* failures do not move */
	assert_int_equal(wread_field_tag(&r, "tag"), 0);
	assert_int_equal(wread_field_fixed(&r, two, 2), -1); /* it is 8 */
	assert_int_equal(r.off, 7);
	assert_int_equal(wread_field_u64(&r, &v), 0);
	assert_true(v == 0x0102030405060708ULL);
	assert_int_equal(wread_field_u64(&r, &v), -1); /* 2 bytes */
	assert_int_equal(wread_field_fixed(&r, two, 2), 0);
	assert_int_equal(two[0], 0xde);
	assert_int_equal(two[1], 0xad);
	assert_false(wread_done(&r));
	assert_int_equal(wread_u32(&r, &u), 0);
	assert_int_equal(u, 0xa0b0c0d0U);
	assert_true(wread_done(&r));
	assert_int_equal(wread_u32(&r, &u), -1);
	assert_int_equal(wread_field(&r, &p, &n), -1);

	/* every truncation of a field is short */
	for (n = 0; n < 7; n++) {
		size_t got;

		wread_init(&r, in, n);
		assert_int_equal(wread_field(&r, &p, &got), -1);
		wread_init(&r, in, n);
		assert_int_equal(wread_field_tag(&r, "tag"), -1);
	}
	/* a length that runs past the end, even a huge one */
	{
		static const unsigned char big[] = {0xff, 0xff, 0xff, 0xff, 1};
		size_t got;

		wread_init(&r, big, sizeof(big));
		assert_int_equal(wread_field(&r, &p, &got), -1);
		assert_int_equal(wread_u32(&r, &u), 0);
		assert_int_equal(u, 0xffffffffU);
	}
	/* an empty field */
	{
		static const unsigned char empty[] = {0, 0, 0, 0};
		size_t got = 99;

		wread_init(&r, empty, sizeof(empty));
		assert_int_equal(wread_field(&r, &p, &got), 0);
		assert_int_equal(got, 0);
		assert_true(wread_done(&r));
	}
}

static void
test_hex(void **state)
{
	static const unsigned char bin[] = {0x00, 0x01, 0xab, 0xff, 0x7e};
	unsigned char out[8];
	char text[11], *dup;
	size_t len = 99;

	(void)state;
	hex_encode(bin, sizeof(bin), text);
	assert_string_equal(text, "0001abff7e");
	dup = hex_dup(bin, sizeof(bin));
	assert_string_equal(dup, "0001abff7e");
	free(dup);
	dup = hex_dup(bin, 0);
	assert_string_equal(dup, "");
	free(dup);

	assert_int_equal(hex_decode("0001abff7e", out, sizeof(out), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, bin, 5);
	assert_int_equal(hex_decode("", out, sizeof(out), &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(hex_decode("0001ABFF7E", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode("0001aBff7e", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode("000", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode("0g", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode(" 00", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode("00 ", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode("0x00", out, sizeof(out), &len), -1);
	assert_int_equal(hex_decode(NULL, out, sizeof(out), &len), -1);
	/* more than max bytes */
	assert_int_equal(hex_decode("000102", out, 2, &len), -1);
	assert_int_equal(hex_decode("0001", out, 2, &len), 0);

	assert_int_equal(hex_decode_fixed("0001abff7e", out, 5), 0);
	assert_memory_equal(out, bin, 5);
	assert_int_equal(hex_decode_fixed("0001abff", out, 5), -1);
	assert_int_equal(hex_decode_fixed("0001abff7e00", out, 5), -1);
	assert_int_equal(hex_decode_fixed("0001abff7E", out, 5), -1);
	assert_int_equal(hex_decode_fixed(NULL, out, 5), -1);
}

static void
test_uuid(void **state)
{
	(void)state;
	assert_true(uuid_canonical("0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5"));
	assert_true(uuid_canonical("00000000-0000-0000-0000-000000000000"));
	assert_false(uuid_canonical("0B1E2D3C-4A5B-4C6D-8E7F-90A1B2C3D4E5"));
	assert_false(uuid_canonical("0b1e2d3c4a5b4c6d8e7f90a1b2c3d4e5"));
	assert_false(uuid_canonical("0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e"));
	assert_false(uuid_canonical("0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e55"));
	assert_false(uuid_canonical("0b1e2d3c-4a5b-4c6d-8e7f_90a1b2c3d4e5"));
	assert_false(uuid_canonical("{b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5"));
	assert_false(uuid_canonical("0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4eg"));
	assert_false(uuid_canonical(""));
	assert_false(uuid_canonical(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wbuf_fields),
	        cmocka_unit_test(test_wbuf_grows),
	        cmocka_unit_test(test_wread),
	        cmocka_unit_test(test_hex),
	        cmocka_unit_test(test_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
