/*
 * insee.c - SIREN/SIRET checksums, COG code shapes, density levels
 */
#include "insee.h"

#include <string.h>

/* 1 when s[0..n) are all ASCII digits and s[n] ends the string. */
static int
digits_exactly(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[n] == '\0';
}

/* 1 when the n digits of s pass the Luhn check. */
static int
luhn_ok(const char *s, size_t n)
{
	unsigned sum = 0;
	size_t i;

	/* From the right: every second digit is doubled. */
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[n - 1 - i] - '0');

		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

int
insee_siren_valid(const char *s)
{
	/*
	 * La Poste's SIREN 356000000 is often cited as the exception to the
	 * Luhn rule; the SIREN itself passes it, only La Poste's SIRETs
	 * (one per post office) do not, see insee_siret_valid(). Checked
	 * here explicitly all the same, so that it stays accepted whatever
	 * the checksum code becomes.
	 */
	if (s == NULL || !digits_exactly(s, 9))
		return 0;
	return luhn_ok(s, 9) || strcmp(s, "356000000") == 0;
}

int
insee_siret_valid(const char *s)
{
	unsigned sum = 0;
	size_t i;

	if (s == NULL || !digits_exactly(s, 14))
		return 0;
	if (luhn_ok(s, 14))
		return 1;
	/* La Poste: its thousands of SIRETs are valid when the digit sum is
	 * a multiple of 5 (INSEE's documented exception). */
	if (strncmp(s, "356000000", 9) != 0)
		return 0;
	for (i = 0; i < 14; i++)
		sum += (unsigned)(s[i] - '0');
	return sum % 5 == 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 1 when d[0..2) is a metropolitan département: 01-19, 21-95, 2A, 2B. */
static int
metro_dept(const char *d)
{
	int n;

	if (d[0] == '2' && (d[1] == 'A' || d[1] == 'B'))
		return 1;
	if (!is_digit(d[0]) || !is_digit(d[1]))
		return 0;
	n = (d[0] - '0') * 10 + (d[1] - '0');
	return n >= 1 && n <= 95 && n != 20;
}

/* 1 when d[0..3) is "97" then a digit in lo..hi. */
static int
overseas_dept(const char *d, char lo, char hi)
{
	return d[0] == '9' && d[1] == '7' && d[2] >= lo && d[2] <= hi;
}

int
insee_cog_valid(const char *kind, const char *code)
{
	size_t len;

	if (kind == NULL || code == NULL)
		return 0;
	len = strlen(code);
	if (strcmp(kind, "commune") == 0) {
		if (len != 5)
			return 0;
		if (overseas_dept(code, '1', '8'))
			return is_digit(code[3]) && is_digit(code[4]);
		return metro_dept(code) && is_digit(code[2]) &&
		       is_digit(code[3]) && is_digit(code[4]);
	}
	if (strcmp(kind, "departement") == 0) {
		if (len == 2)
			return metro_dept(code);
		return len == 3 && overseas_dept(code, '1', '6');
	}
	if (strcmp(kind, "region") == 0)
		return len == 2 && is_digit(code[0]) && is_digit(code[1]);
	return 0; /* "epci", "other" and unknown kinds have no COG code */
}

static const char *const density_labels[INSEE_DENSITY_MAX] = {
        "grands centres urbains",
        "centres urbains intermédiaires",
        "ceintures urbaines",
        "petites villes",
        "bourgs ruraux",
        "rural à habitat dispersé",
        "rural à habitat très dispersé",
};

int
insee_density_valid(int cls)
{
	return cls >= INSEE_DENSITY_MIN && cls <= INSEE_DENSITY_MAX;
}

const char *
insee_density_label(int cls)
{
	return insee_density_valid(cls) ? density_labels[cls - 1] : NULL;
}
