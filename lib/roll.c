/*
 * roll.c - identity normalization, canonical form and keyed hash
 */
#include "roll.h"

#include <sodium.h>
#include <string.h>

#include "utf8.h"

static const char ascii_upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/*
 * ASCII folding of U+00C0..U+017F, one letter per code point; '?' marks
 * the code points fold() handles itself: two-letter foldings, and × ÷
 * (not letters).
 */
static const char latin_fold[] =
        /* U+00C0 */ "AAAAAA?CEEEEIIII"
                     /* U+00D0 */ "DNOOOOO?OUUUUY??"
                     /* U+00E0 */ "AAAAAA?CEEEEIIII"
                     /* U+00F0 */ "DNOOOOO?OUUUUY?Y"
                     /* U+0100 */ "AAAAAACCCCCCCCDD"
                     /* U+0110 */ "DDEEEEEEEEEEGGGG"
                     /* U+0120 */ "GGGGHHHHIIIIIIII"
                     /* U+0130 */ "II??JJKKKLLLLLLL"
                     /* U+0140 */ "LLLNNNNNNNNNOOOO"
                     /* U+0150 */ "OO??RRRRRRSSSSSS"
                     /* U+0160 */ "SSTTTTTTUUUUUUUU"
                     /* U+0170 */ "UUUUWWYYYZZZZZZS";

/* What a code point of a name is. */
enum cls { C_BAD, C_LETTER, C_SEP, C_DROP };

/* Classifies cp; a letter's uppercase ASCII folding is f[0..*flen). */
static enum cls
fold(unsigned cp, const char **f, size_t *flen)
{
	*flen = 1;
	if (cp >= 'a' && cp <= 'z')
		cp -= 'a' - 'A';
	if (cp >= 'A' && cp <= 'Z') {
		*f = &ascii_upper[cp - 'A'];
		return C_LETTER;
	}
	switch (cp) {
	case 0xC6: /* Æ æ */
	case 0xE6:
		*f = "AE";
		*flen = 2;
		return C_LETTER;
	case 0xDE: /* Þ þ */
	case 0xFE:
		*f = "TH";
		*flen = 2;
		return C_LETTER;
	case 0xDF: /* ß */
		*f = "SS";
		*flen = 2;
		return C_LETTER;
	case 0x132: /* Ĳ ĳ */
	case 0x133:
		*f = "IJ";
		*flen = 2;
		return C_LETTER;
	case 0x152: /* Œ œ */
	case 0x153:
		*f = "OE";
		*flen = 2;
		return C_LETTER;
	case 0x218: /* Ș ș, Romanian */
	case 0x219:
		*f = "S";
		return C_LETTER;
	case 0x21A: /* Ț ț */
	case 0x21B:
		*f = "T";
		return C_LETTER;
	case 0x0027: /* apostrophes */
	case 0x2018:
	case 0x2019:
	case 0x02BC:
	case 0x002D: /* hyphens, dashes, minus */
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2212:
	case 0x0009: /* white space */
	case 0x000A:
	case 0x000B:
	case 0x000C:
	case 0x000D:
	case 0x0020:
	case 0x00A0:
	case 0x1680:
	case 0x202F:
	case 0x205F:
	case 0x3000:
		return C_SEP;
	case 0x00AD: /* soft hyphen */
	case 0x200B: /* zero-width space, non-joiner, joiner */
	case 0x200C:
	case 0x200D:
	case 0x2060: /* word joiner */
	case 0xFEFF: /* zero-width no-break space */
		return C_DROP;
	}
	if (cp >= 0x2000 && cp <= 0x200A) /* en quad .. hair space */
		return C_SEP;
	if (cp >= 0x0300 && cp <= 0x036F) /* combining diacritical marks */
		return C_DROP;
	if (cp >= 0xC0 && cp <= 0x17F && latin_fold[cp - 0xC0] != '?') {
		*f = &latin_fold[cp - 0xC0];
		return C_LETTER;
	}
	return C_BAD;
}

/* Decodes the valid sequence of n bytes (1..4) at s. */
static unsigned
decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	unsigned cp = s[0] & lead_mask[n];
	size_t k;

	for (k = 1; k < n; k++)
		cp = (cp << 6) | (s[k] & 0x3F);
	return cp;
}

/* Appends c at out[*n] if there is room; counts it anyway. */
static void
put(char *out, size_t *n, char c)
{
	if (*n < ROLL_NAME_MAX)
		out[*n] = c;
	(*n)++;
}

const char *
roll_normalize_name(const char *in, char *out, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len, i = 0, n = 0, k;
	int space = 0, bad = 0;

	out[0] = '\0';
	*outlen = 0;
	if (in == NULL)
		return "is required";
	len = strlen(in);
	if (!utf8_valid(in, len))
		return "must be valid UTF-8";
	while (i < len) {
		size_t sl = utf8_seq_len(s + i, len - i), flen = 0;
		const char *f = NULL;

		switch (fold(decode(s + i, sl), &f, &flen)) {
		case C_BAD:
			bad = 1;
			break;
		case C_SEP:
			space = n > 0; /* none at the start */
			break;
		case C_DROP:
			break;
		case C_LETTER:
			if (space)
				put(out, &n, ' ');
			space = 0;
			for (k = 0; k < flen; k++)
				put(out, &n, f[k]);
			break;
		}
		i += sl;
	}
	if (bad || n == 0 || n > ROLL_NAME_MAX) {
		out[0] = '\0';
		if (bad)
			return "must contain only letters, spaces, hyphens "
			       "and apostrophes";
		return n == 0 ? "must contain at least one letter"
		              : "must be at most 100 characters long";
	}
	out[n] = '\0';
	*outlen = n;
	return NULL;
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* NULL when d is a valid birth date, else the problem. */
static const char *
check_date(const char *d)
{
	static const int mdays[12] = {
	        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, day, max;

	if (d == NULL)
		return "is required";
	if (strlen(d) != 10 || !digits(d, 4) || d[4] != '-' ||
	        !digits(d + 5, 2) || d[7] != '-' || !digits(d + 8, 2))
		return "must be a date written YYYY-MM-DD";
	y = num(d, 4);
	m = num(d + 5, 2);
	day = num(d + 8, 2);
	if (y < 1900 || y > 2100)
		return "must have a year between 1900 and 2100";
	if (m < 1 || m > 12)
		return "must be a real calendar date";
	max = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		max = 29;
	if (day < 1 || day > max)
		return "must be a real calendar date";
	return NULL;
}

/* NULL when pc is a postcode, else the problem. */
static const char *
check_postcode(const char *pc)
{
	if (pc == NULL)
		return "is required";
	if (strlen(pc) != 5 || !digits(pc, 5))
		return "must be exactly 5 digits";
	return NULL;
}

/* Appends a 4-byte big-endian length and the bytes. */
static size_t
put_field(char *out, size_t o, const char *s, size_t len)
{
	out[o++] = (char)((len >> 24) & 0xFF);
	out[o++] = (char)((len >> 16) & 0xFF);
	out[o++] = (char)((len >> 8) & 0xFF);
	out[o++] = (char)(len & 0xFF);
	memcpy(out + o, s, len);
	return o + len;
}

enum err
roll_canonical(const char *family_name, const char *given_name,
        const char *birth_date, const char *postcode, char *out, size_t outsz,
        size_t *outlen, struct problem *p)
{
	char fam[ROLL_NAME_MAX + 1], giv[ROLL_NAME_MAX + 1];
	size_t flen, glen, need, o;
	const char *why;
	size_t nbad = 0;

	*outlen = 0;
	if ((why = roll_normalize_name(family_name, fam, &flen)) != NULL) {
		problem_add_field(p, "family_name", "%s", why);
		nbad++;
	}
	if ((why = roll_normalize_name(given_name, giv, &glen)) != NULL) {
		problem_add_field(p, "given_name", "%s", why);
		nbad++;
	}
	if ((why = check_date(birth_date)) != NULL) {
		problem_add_field(p, "birth_date", "%s", why);
		nbad++;
	}
	if ((why = check_postcode(postcode)) != NULL) {
		problem_add_field(p, "postcode", "%s", why);
		nbad++;
	}
	if (nbad > 0) {
		if (p->detail[0] == '\0')
			problem_set(p, ERR_INVALID,
			        "the identity has %zu invalid field%s", nbad,
			        nbad > 1 ? "s" : "");
		return ERR_INVALID;
	}
	need = sizeof(ROLL_TAG) - 1 + 16 + flen + glen + 10 + 5;
	if (out == NULL || outsz < need) {
		problem_set(p, ERR_INTERNAL,
		        "roll canonical form needs %zu bytes, got %zu", need,
		        outsz);
		return ERR_INTERNAL;
	}
	memcpy(out, ROLL_TAG, sizeof(ROLL_TAG) - 1);
	o = sizeof(ROLL_TAG) - 1;
	o = put_field(out, o, fam, flen);
	o = put_field(out, o, giv, glen);
	o = put_field(out, o, birth_date, 10);
	o = put_field(out, o, postcode, 5);
	*outlen = o;
	return ERR_OK;
}

void
roll_hash_hex(const unsigned char key[ROLL_KEY_BYTES], const char *canon,
        size_t len, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)canon, len, key,
	        ROLL_KEY_BYTES);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void
roll_key_new(unsigned char key[ROLL_KEY_BYTES])
{
	randombytes_buf(key, ROLL_KEY_BYTES);
}

int
roll_key_from_hex(const char *hex, unsigned char key[ROLL_KEY_BYTES])
{
	size_t got = 0;
	const char *end = NULL;

	if (hex == NULL || strlen(hex) != 2 * ROLL_KEY_BYTES)
		return 0;
	if (sodium_hex2bin(key, ROLL_KEY_BYTES, hex, 2 * ROLL_KEY_BYTES, NULL,
	            &got, &end) != 0 ||
	        got != ROLL_KEY_BYTES || *end != '\0') {
		sodium_memzero(key, ROLL_KEY_BYTES);
		return 0;
	}
	return 1;
}
