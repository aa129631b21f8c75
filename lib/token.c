/*
 * token.c - random secrets, their text forms and their stored hashes
 */
#include "token.h"

#include <sodium.h>
#include <string.h>

void
token_new(char out[TOKEN_TEXT_LEN + 1])
{
	unsigned char b[TOKEN_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, TOKEN_TEXT_LEN + 1, b, sizeof(b),
	        sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
}

int
token_well_formed(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < TOKEN_TEXT_LEN; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return s[TOKEN_TEXT_LEN] == '\0';
}

void
token_hash_hex(const char *s, size_t len, char out[65])
{
	unsigned char h[32];

	crypto_generichash(
	        h, sizeof(h), (const unsigned char *)s, len, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Crockford's base32 alphabet: no I, L, O, U. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
code_from_bytes(const unsigned char b[CODE_BYTES], char out[CODE_TEXT_LEN + 1])
{
	size_t i, o = 0;

	for (i = 0; i < CODE_SYMBOLS; i++) {
		size_t bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)b[byte] << 8;

		if (byte + 1 < CODE_BYTES)
			v |= b[byte + 1];
		v = (v >> (11 - shift)) & 0x1F;
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = crockford[v];
	}
	out[o] = '\0';
}

void
code_new(char out[CODE_TEXT_LEN + 1])
{
	unsigned char b[CODE_BYTES];

	randombytes_buf(b, sizeof(b));
	code_from_bytes(b, out);
	sodium_memzero(b, sizeof(b));
}

/* The Crockford symbol c stands for, uppercased and with aliases; 0 when
 * none. */
static char
code_symbol(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	if (c == '\0' || strchr(crockford, c) == NULL)
		return 0;
	return c;
}

int
code_normalize(const char *in, char out[CODE_SYMBOLS + 1])
{
	size_t n = 0;

	out[0] = '\0';
	if (in == NULL)
		return 0;
	for (; *in != '\0'; in++) {
		char c;

		if (*in == ' ' || *in == '-')
			continue;
		c = code_symbol(*in);
		if (c == 0 || n == CODE_SYMBOLS) {
			out[0] = '\0';
			return 0;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	if (n != CODE_SYMBOLS) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

int
code_hash_hex(const char *in, char out[65])
{
	char sym[CODE_SYMBOLS + 1];

	if (!code_normalize(in, sym)) {
		out[0] = '\0';
		return 0;
	}
	token_hash_hex(sym, CODE_SYMBOLS, out);
	return 1;
}
