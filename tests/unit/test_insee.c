/*
 * test_insee.c - SIREN/SIRET checksums, COG code shapes, density levels
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "insee.h"

static void
test_siren_valid(void **state)
{
	static const char *const ok[] = {
	        "217500016", /* Ville de Paris */
	        "732829320", /* a company */
	        "552100554", /* a company */
	        "542107651", /* a company */
	        "200054781", /* Métropole du Grand Paris, an EPCI */
	        "356000000", /* La Poste */
	        "100000009",
	        "000000000", /* passes Luhn: a shape check, not a registry */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!insee_siren_valid(ok[i]))
			fail_msg("\"%s\" should be a valid SIREN", ok[i]);
}

static void
test_siren_invalid(void **state)
{
	static const char *const bad[] = {
	        "123456789", /* checksum */
	        "217500017", "732829321", "999999999", "356000001", "",
	        "21750001", "2175000160", /* length */
	        "21750001a", " 217500016", "217500016 ", "217 500 016",
	        "-21750001", "+21750001", "２17500016", /* fullwidth 2 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (insee_siren_valid(bad[i]))
			fail_msg("\"%s\" should not be a valid SIREN", bad[i]);
	assert_int_equal(insee_siren_valid(NULL), 0);
}

/* Each single-digit change of a valid SIREN breaks the checksum. */
static void
test_siren_single_digit_errors(void **state)
{
	char s[10];
	size_t i;
	char d;

	(void)state;
	for (i = 0; i < 9; i++)
		for (d = '0'; d <= '9'; d++) {
			strcpy(s, "732829320");
			if (s[i] == d)
				continue;
			s[i] = d;
			if (insee_siren_valid(s))
				fail_msg("\"%s\" passes", s);
		}
}

static void
test_siret(void **state)
{
	(void)state;
	assert_int_equal(insee_siret_valid("73282932000074"), 1);
	assert_int_equal(insee_siret_valid("21750001600019"), 1);
	assert_int_equal(insee_siret_valid("55210055400013"), 1);
	assert_int_equal(insee_siret_valid("73282932000075"), 0);
	assert_int_equal(insee_siret_valid("11111111111111"), 0);
	/* La Poste: digit sum a multiple of 5 instead of Luhn */
	assert_int_equal(insee_siret_valid("35600000049837"), 1);
	assert_int_equal(insee_siret_valid("35600000000001"), 1);
	assert_int_equal(insee_siret_valid("35600000000048"), 1); /* Luhn */
	assert_int_equal(insee_siret_valid("35600000000002"), 0);
	/* the exception is La Poste's alone: same digit sum, other SIREN */
	assert_int_equal(insee_siret_valid("73282932000001"), 0);
	assert_int_equal(insee_siret_valid("7328293200007"), 0);
	assert_int_equal(insee_siret_valid("732829320000740"), 0);
	assert_int_equal(insee_siret_valid("7328293200007x"), 0);
	assert_int_equal(insee_siret_valid(""), 0);
	assert_int_equal(insee_siret_valid(NULL), 0);
}

static void
test_cog_commune(void **state)
{
	static const char *const ok[] = {
	        "75056", /* Paris */
	        "01001",
	        "13055",
	        "19999",
	        "21231",
	        "95690",
	        "2A004",
	        "2B033",
	        "97411",
	        "97101",
	        "97209",
	        "97302",
	        "97608",
	        "97502",
	        "97701",
	        "97801",
	        "97500",
	};
	static const char *const bad[] = {
	        "20004", /* no département 20 since 1976 */
	        "00001",
	        "96001",
	        "98735",
	        "99999", /* no such département */
	        "97901",
	        "97001", /* 979, 970 */
	        "2a004",
	        "2b033",
	        "2C004",
	        "2A04",
	        "2A0045", /* Corsica */
	        "7505",
	        "750560",
	        "",
	        "7505a",
	        "75 56",
	        " 7505",
	        "A7505",
	        "9741",
	        "974111",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!insee_cog_valid("commune", ok[i]))
			fail_msg("commune \"%s\" should be valid", ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (insee_cog_valid("commune", bad[i]))
			fail_msg("commune \"%s\" should be invalid", bad[i]);
}

static void
test_cog_departement(void **state)
{
	static const char *const ok[] = {
	        "01",
	        "09",
	        "19",
	        "21",
	        "75",
	        "95",
	        "2A",
	        "2B",
	        "971",
	        "972",
	        "973",
	        "974",
	        "975",
	        "976",
	};
	static const char *const bad[] = {
	        "00",
	        "20",
	        "96",
	        "97",
	        "98",
	        "99",
	        "2a",
	        "2C",
	        "1",
	        "001",
	        "970",
	        "977",
	        "978",
	        "9711",
	        "",
	        "A1",
	        "7 5",
	        "75 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!insee_cog_valid("departement", ok[i]))
			fail_msg("département \"%s\" should be valid", ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (insee_cog_valid("departement", bad[i]))
			fail_msg(
			        "département \"%s\" should be invalid", bad[i]);
}

static void
test_cog_region_and_others(void **state)
{
	(void)state;
	assert_int_equal(insee_cog_valid("region", "11"), 1);
	assert_int_equal(insee_cog_valid("region", "84"), 1);
	assert_int_equal(insee_cog_valid("region", "01"), 1);
	assert_int_equal(insee_cog_valid("region", "1"), 0);
	assert_int_equal(insee_cog_valid("region", "111"), 0);
	assert_int_equal(insee_cog_valid("region", "2A"), 0);
	assert_int_equal(insee_cog_valid("region", ""), 0);
	/* no COG code for these kinds, whatever the code */
	assert_int_equal(insee_cog_valid("epci", "200054781"), 0);
	assert_int_equal(insee_cog_valid("epci", "75056"), 0);
	assert_int_equal(insee_cog_valid("other", "75056"), 0);
	/* kinds are exact */
	assert_int_equal(insee_cog_valid("Commune", "75056"), 0);
	assert_int_equal(insee_cog_valid("département", "75"), 0);
	assert_int_equal(insee_cog_valid("", "75056"), 0);
	assert_int_equal(insee_cog_valid("city", "75056"), 0);
	assert_int_equal(insee_cog_valid(NULL, "75056"), 0);
	assert_int_equal(insee_cog_valid("commune", NULL), 0);
}

static void
test_density(void **state)
{
	static const char *const want[] = {
	        "grands centres urbains",
	        "centres urbains intermédiaires",
	        "ceintures urbaines",
	        "petites villes",
	        "bourgs ruraux",
	        "rural à habitat dispersé",
	        "rural à habitat très dispersé",
	};
	int i;

	(void)state;
	for (i = 1; i <= 7; i++) {
		assert_int_equal(insee_density_valid(i), 1);
		assert_string_equal(insee_density_label(i), want[i - 1]);
	}
	for (i = -2; i <= 9; i++) {
		if (i >= 1 && i <= 7)
			continue;
		assert_int_equal(insee_density_valid(i), 0);
		assert_null(insee_density_label(i));
	}
	assert_int_equal(insee_density_valid(INT32_MIN), 0);
	assert_int_equal(insee_density_valid(INT32_MAX), 0);
	assert_int_equal(INSEE_DENSITY_MIN, 1);
	assert_int_equal(INSEE_DENSITY_MAX, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_siren_valid),
	        cmocka_unit_test(test_siren_invalid),
	        cmocka_unit_test(test_siren_single_digit_errors),
	        cmocka_unit_test(test_siret),
	        cmocka_unit_test(test_cog_commune),
	        cmocka_unit_test(test_cog_departement),
	        cmocka_unit_test(test_cog_region_and_others),
	        cmocka_unit_test(test_density),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
