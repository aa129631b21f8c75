/*
 * route.c - segment-by-segment matching of paths against patterns
 */
#include "route.h"

#include "utf8.h"

#include <string.h>

static const struct {
	unsigned bit;
	const char *name;
} methods[] = {
        {HTTP_GET, "GET"},
        {HTTP_HEAD, "HEAD"},
        {HTTP_POST, "POST"},
        {HTTP_PUT, "PUT"},
        {HTTP_PATCH, "PATCH"},
        {HTTP_DELETE, "DELETE"},
        {HTTP_OPTIONS, "OPTIONS"},
};

#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

unsigned
route_method_parse(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (strlen(methods[i].name) == len &&
		        memcmp(methods[i].name, s, len) == 0)
			return methods[i].bit;
	return 0;
}

const char *
route_method_name(unsigned m)
{
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (methods[i].bit == m)
			return methods[i].name;
	return "?";
}

char *
route_allow_header(unsigned set, char *buf, size_t size)
{
	size_t i, off = 0;

	if (set & HTTP_GET)
		set |= HTTP_HEAD;
	buf[0] = '\0';
	for (i = 0; i < NMETHODS; i++) {
		size_t l;

		if (!(set & methods[i].bit))
			continue;
		l = strlen(methods[i].name);
		if (off + l + 3 > size)
			break;
		if (off > 0) {
			memcpy(buf + off, ", ", 2);
			off += 2;
		}
		memcpy(buf + off, methods[i].name, l);
		off += l;
		buf[off] = '\0';
	}
	return buf;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
route_pct_decode(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= len)
				return NULL;
			h = hexval((unsigned char)s[i + 1]);
			l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			c = h * 16 + l;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return NULL;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return utf8_valid(out, o) ? out : NULL;
}

/* Splits the next segment of *p (after a '/'); returns its length. */
static size_t
next_segment(const char **p, const char **seg)
{
	const char *s = *p, *e;

	if (*s == '/')
		s++;
	e = strchr(s, '/');
	if (e == NULL)
		e = s + strlen(s);
	*seg = s;
	*p = e;
	return (size_t)(e - s);
}

/* Matches one pattern; fills params on success. */
static int
match(const char *pattern, const char *path, struct arena *a,
        struct route_params *params, int *bad)
{
	const char *pp = pattern, *ph = path;

	params->n = 0;
	for (;;) {
		const char *ps, *hs;
		size_t pl, hl;
		int pend = (*pp == '\0'), hend = (*ph == '\0');

		if (pend || hend)
			return pend && hend;
		pl = next_segment(&pp, &ps);
		hl = next_segment(&ph, &hs);
		if (pl >= 2 && ps[0] == '{' && ps[pl - 1] == '}') {
			char *v;

			if (hl == 0 || params->n >= ROUTE_MAX_PARAMS)
				return 0;
			v = route_pct_decode(a, hs, hl);
			if (v == NULL || v[0] == '\0' ||
			        strchr(v, '/') != NULL) {
				*bad = 1;
				return 0;
			}
			params->name[params->n] = ps + 1;
			params->name_len[params->n] = pl - 2;
			params->value[params->n] = v;
			params->n++;
		} else if (pl != hl || memcmp(ps, hs, pl) != 0) {
			return 0;
		}
	}
}

int
route_lookup(const void *table, size_t n, size_t stride, const char *path,
        unsigned method, struct arena *a, struct route_params *params,
        unsigned *allowed)
{
	const char *base = table;
	const char *s;
	size_t i;
	int bad = 0;
	int found = -1;

	*allowed = 0;
	params->n = 0;
	if (path[0] != '/')
		return -2;
	/* Reject dot segments and empty inner segments outright. */
	for (s = path; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		if (s[1] == '/' ||
		        (s[1] == '.' && (s[2] == '/' || s[2] == '\0')) ||
		        (s[1] == '.' && s[2] == '.' &&
		                (s[3] == '/' || s[3] == '\0')))
			return -2;
	}
	/* Every segment must decode, and not to a dot segment (%2e%2e). */
	for (s = path; *s != '\0';) {
		const char *seg;
		size_t l = next_segment(&s, &seg);
		const char *d = route_pct_decode(a, seg, l);

		if (d == NULL || strcmp(d, ".") == 0 || strcmp(d, "..") == 0)
			return -2;
	}
	for (i = 0; i < n; i++) {
		const struct route_key *k =
		        (const struct route_key *)(const void *)(base +
		                                                 i * stride);
		struct route_params tmp;

		if (!match(k->pattern, path, a, &tmp, &bad))
			continue;
		*allowed |= k->method;
		if (found < 0 && (k->method == method ||
		                         (method == HTTP_HEAD &&
		                                 k->method == HTTP_GET))) {
			found = (int)i;
			*params = tmp;
		}
	}
	if (found < 0 && *allowed == 0 && bad)
		return -2;
	return found;
}

const char *
route_param(const struct route_params *p, const char *name)
{
	size_t l = strlen(name);
	int i;

	for (i = 0; i < p->n; i++)
		if (p->name_len[i] == l && memcmp(p->name[i], name, l) == 0)
			return p->value[i];
	return NULL;
}
