/*
 * wire.h - the length-prefixed byte strings of docs/protocol.md
 *
 * Every signed or hashed message of the voting protocol is a sequence of
 * fields F(x) = u32(len(x)) || x, integers big-endian. A wbuf builds such
 * messages in a growing malloc'd buffer; a wread takes them apart and
 * refuses anything that does not match exactly. Hex helpers convert the
 * binary values to and from the lowercase hexadecimal the JSON API uses.
 */
#ifndef PARTICIPE_WIRE_H
#define PARTICIPE_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* A growing output buffer; zero-initialise, free p when done. */
struct wbuf {
	unsigned char *p;
	size_t len, cap;
	int oom; /* set when an allocation failed; later writes do nothing */
};

/* Appends raw bytes (no length). */
void wbuf_raw(struct wbuf *b, const void *data, size_t len);

/* Appends u32(v) (no length). */
void wbuf_u32(struct wbuf *b, uint32_t v);

/* Appends the field F(data[0..len)). */
void wbuf_field(struct wbuf *b, const void *data, size_t len);

/* Appends the field F(s) of a NUL-terminated string (a domain tag). */
void wbuf_field_str(struct wbuf *b, const char *s);

/* Appends the field F(u64(v)). */
void wbuf_field_u64(struct wbuf *b, uint64_t v);

/* A reader over bytes that are not copied. */
struct wread {
	const unsigned char *p;
	size_t len, off;
};

/* Starts reading data[0..len). */
void wread_init(struct wread *r, const void *data, size_t len);

/* Reads a field; *out points into the input. 0 on success, -1 if short. */
int wread_field(struct wread *r, const unsigned char **out, size_t *len);

/* Reads a field that must be exactly len bytes into out. 0 or -1. */
int wread_field_fixed(struct wread *r, void *out, size_t len);

/* Reads a field that must equal the string s. 0 or -1. */
int wread_field_tag(struct wread *r, const char *s);

/* Reads an 8-byte field as u64. 0 or -1. */
int wread_field_u64(struct wread *r, uint64_t *v);

/* Reads a raw u32 (no length). 0 or -1. */
int wread_u32(struct wread *r, uint32_t *v);

/* 1 when every byte has been read. */
int wread_done(const struct wread *r);

/*
 * Decodes lowercase hex (even length, [0-9a-f] only) into out (room for
 * max bytes) and sets *len. 0 on success, -1 on any other input.
 */
int hex_decode(const char *hex, unsigned char *out, size_t max, size_t *len);

/* Decodes exactly len bytes of lowercase hex (2*len digits). 0 or -1. */
int hex_decode_fixed(const char *hex, unsigned char *out, size_t len);

/* Writes lowercase hex of data plus a NUL to out (2*len + 1 bytes). */
void hex_encode(const unsigned char *data, size_t len, char *out);

/* A malloc'd lowercase hex string of data, or NULL when out of memory. */
char *hex_dup(const unsigned char *data, size_t len);

/*
 * (Added.) 1 when s is a UUID in canonical lowercase form (8-4-4-4-12
 * digits [0-9a-f]), as election and collectivity ids are written; else 0.
 */
int uuid_canonical(const char *s);

#endif
