/*
 * utf8.c - RFC 3629 well-formedness
 */
#include "utf8.h"

#include <string.h>

size_t
utf8_seq_len(const unsigned char *p, size_t len)
{
	unsigned c = p[0], cp;
	size_t n, k;

	if (len == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n >= len)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n + 1;
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

void
utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0 && p[i] >= 0xC2 && p[i] <= 0xF4) {
			/* a character cut short by truncation: drop it */
			size_t k = i + 1;

			while (k < len && (p[k] & 0xC0) == 0x80)
				k++;
			if (k == len) {
				p[i] = '\0';
				return;
			}
		}
		if (n == 0) {
			p[i] = '?';
			n = 1;
		}
		i += n;
	}
}
