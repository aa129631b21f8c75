/*
 * email.c - the practical address check
 */
#include "email.h"

#include <string.h>

/* RFC 5322 atext. */
static int
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	        (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_ldh(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '-';
}

/* A dot-atom: atext runs separated by single dots. */
static int
local_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 64 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.') /* i + 1 < len: s[len-1] != '.' */
				return 0;
		} else if (!is_atext((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* The top-level label: letters only, or an "xn--" A-label. */
static int
tld_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 2)
		return 0;
	if (len > 4 && (s[0] == 'x' || s[0] == 'X') &&
	        (s[1] == 'n' || s[1] == 'N') && s[2] == '-' && s[3] == '-')
		return 1; /* the label itself was checked by the caller */
	for (i = 0; i < len; i++)
		if (!is_alpha((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
domain_ok(const char *s, size_t len)
{
	size_t i, start = 0, labels = 0;

	if (len < 1 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		size_t n;

		if (i < len && s[i] != '.') {
			if (!is_ldh((unsigned char)s[i]))
				return 0;
			continue;
		}
		n = i - start;
		if (n < 1 || n > 63 || s[start] == '-' || s[i - 1] == '-')
			return 0;
		labels++;
		if (i == len && !tld_ok(s + start, n))
			return 0;
		start = i + 1;
	}
	return labels >= 2;
}

int
email_valid(const char *s, size_t len)
{
	const char *at = NULL;
	size_t i;

	if (s == NULL || len < 3 || len > EMAIL_MAX_LEN)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7E)
			return 0;
		if (c == '@') {
			if (at != NULL)
				return 0;
			at = s + i;
		}
	}
	if (at == NULL)
		return 0;
	return local_ok(s, (size_t)(at - s)) &&
	       domain_ok(at + 1, len - (size_t)(at - s) - 1);
}

void
email_normalize(char *s)
{
	char *at = strrchr(s, '@');

	if (at == NULL)
		return;
	for (at++; *at != '\0'; at++)
		if (*at >= 'A' && *at <= 'Z')
			*at = (char)(*at - 'A' + 'a');
}
