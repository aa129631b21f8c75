/*
 * password.h - account passwords: policy, Argon2id hashing, verification
 *
 * The policy follows NIST SP 800-63B: a length range and nothing else, no
 * composition rules. Hashes are libsodium's Argon2id strings
 * ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carry their own
 * parameters, so that hashes made with older parameters still verify and
 * password_needs_rehash() says when to upgrade one after a login.
 *
 * Hashing and verifying take tens of milliseconds and 'memlimit' bytes:
 * the server runs them on the task pool, never on an event loop.
 * sodium_init() must have been called first.
 */
#ifndef PARTICIPE_PASSWORD_H
#define PARTICIPE_PASSWORD_H

#include <sodium.h>
#include <stddef.h>

#include "err.h"

/* Length limits in Unicode code points. */
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128

/* Length limit in bytes (PASSWORD_MAX_CHARS of 4-byte characters). */
#define PASSWORD_MAX_BYTES 512

/* Argon2id cost: passes over memory, and memory in bytes. */
struct password_params {
	unsigned long long opslimit;
	size_t memlimit;
};

/* libsodium's interactive limits: 2 passes over 64 MiB. */
extern const struct password_params password_default;

/*
 * ERR_OK when pw[0..len) is acceptable as a new password; else
 * ERR_INVALID with *why (when why is not NULL) set to a static message
 * meant to follow the field name: "must be valid UTF-8", "must not contain
 * control characters", "must be at least 12 characters", "must be at most
 * 128 characters".
 */
enum err password_check(const char *pw, size_t len, const char **why);

/*
 * Hashes pw[0..len) with a fresh random salt into out (NUL-terminated).
 * pp NULL means password_default. ERR_INTERNAL when libsodium cannot
 * allocate the memory.
 */
enum err password_hash(char out[crypto_pwhash_STRBYTES], const char *pw,
        size_t len, const struct password_params *pp);

/*
 * 1 when pw[0..len) matches the stored hash, 0 otherwise, including for a
 * NULL or malformed hash. Takes as long as hashing with the hash's own
 * parameters.
 */
int password_verify(const char *hash, const char *pw, size_t len);

/*
 * 1 when the stored hash is not Argon2id with exactly pp's parameters (pp
 * NULL means password_default), or is malformed: hash the password again
 * after a successful login. 0 when it is current.
 */
int password_needs_rehash(const char *hash, const struct password_params *pp);

/*
 * A hash of a random, forgotten password, made with pp's parameters (pp
 * NULL means password_default), for login to verify against when no
 * account has the e-mail given, so that the answer takes as long as for an
 * account that exists. For password_default the hash is computed once per
 * process, thread-safely, and the pointer stays valid; call this at
 * startup so the first login does not pay for it. For any other params a
 * new hash is computed on every call into a per-thread buffer, valid until
 * that thread's next call. NULL only when libsodium could not allocate
 * (for password_default, that then stays so).
 */
const char *password_dummy_hash(const struct password_params *pp);

#endif
