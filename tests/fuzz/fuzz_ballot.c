/*
 * fuzz_ballot.c - libFuzzer driver for the byte parsers of the voting
 * protocol: ballot_decode, log_entry_parse and election_parse.
 *
 * Invariants: the encodings are canonical, so whatever ballot_decode or
 * log_entry_parse accepts re-encodes to exactly the input; an accepted
 * ballot obeys every rule of the fixture election; a descriptor that
 * election_parse accepts has the fingerprint election_fingerprint gives.
 * The first input byte picks the parser, the rest is its input; a ballot
 * input gets the fixture's fingerprint spliced in at the right place when
 * its fingerprint field has the right length, so fuzzing reaches the
 * choices.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "election.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static const char DESC[] =
        "{\"closes_at\":\"2027-01-31T18:00:00Z\",\"collectivity\":"
        "\"11111111-2222-4333-8444-555555555555\",\"collectivity_slug\":"
        "\"x\",\"credentials\":\"authority\",\"election\":"
        "\"0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5\",\"log_key\":"
        "\"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
        "\",\"opens_at\":\"2027-01-10T08:00:00Z\",\"process\":"
        "\"66666666-7777-4888-9999-aaaaaaaaaaaa\",\"questions\":["
        "{\"id\":\"s\",\"options\":[{\"id\":\"a\",\"label\":\"A\"},"
        "{\"id\":\"b\",\"label\":\"B\"},{\"id\":\"c\",\"label\":\"C\"}],"
        "\"rule\":{\"kind\":\"single\"},\"text\":\"t\"},"
        "{\"id\":\"p\",\"options\":[{\"id\":\"a\",\"label\":\"A\"},"
        "{\"id\":\"b\",\"label\":\"B\"},{\"id\":\"c\",\"label\":\"C\"}],"
        "\"rule\":{\"kind\":\"approval\",\"max\":2,\"min\":0},\"text\":\"t\"},"
        "{\"id\":\"r\",\"options\":[{\"id\":\"a\",\"label\":\"A\"},"
        "{\"id\":\"b\",\"label\":\"B\"},{\"id\":\"c\",\"label\":\"C\"}],"
        "\"rule\":{\"kind\":\"ranking\",\"max\":3,\"min\":1},\"text\":\"t\"},"
        "{\"id\":\"k\",\"options\":[{\"id\":\"a\",\"label\":\"A\"},"
        "{\"id\":\"b\",\"label\":\"B\"}],\"rule\":{\"kind\":\"cumulative\","
        "\"max_per_option\":3,\"total\":4},\"text\":\"t\"}],"
        "\"revote\":true,\"title\":\"T\",\"version\":1}";

static struct election E;
static int ready;

static void
fuzz_ballot(const uint8_t *data, size_t size)
{
	unsigned char *b = malloc(size + 1), *again = NULL;
	struct ballot d;
	char why[256];
	size_t len, q;

	CHECK(b != NULL);
	memcpy(b, data, size);
	/* F(tag) is 23 bytes; F(fingerprint) then starts with u32(32) */
	if (size >= 59 && b[23] == 0 && b[24] == 0 && b[25] == 0 && b[26] == 32)
		memcpy(b + 27, E.fingerprint, 32);
	if (ballot_decode(&E, b, size, &d, why, sizeof(why)) == BALLOT_OK) {
		CHECK(d.seq >= 1);
		CHECK(d.nquestions == E.nquestions);
		for (q = 0; q < d.nquestions; q++)
			CHECK(rule_check(&E.questions[q].rule, d.choices[q],
			              d.nchoices[q], why, sizeof(why)) == 0);
		CHECK(ballot_encode(&d, &again, &len) == 0);
		CHECK(len == size && memcmp(again, b, size) == 0);
		free(again);
		ballot_free(&d);
	} else {
		CHECK(d.all == NULL);
		CHECK(why[0] != '\0');
	}
	free(b);
}

static void
fuzz_entry(const uint8_t *data, size_t size)
{
	struct log_entry e;
	unsigned char *again;
	size_t len;

	if (log_entry_parse(data, size, &e) != 0)
		return;
	CHECK(log_entry_encode(&e, &again, &len) == 0);
	CHECK(len == size && memcmp(again, data, size) == 0);
	free(again);
}

static void
fuzz_descriptor(const uint8_t *data, size_t size)
{
	unsigned char fp[ELECTION_HASH_BYTES];
	struct election e;
	char why[256];

	if (election_parse((const char *)data, size, &e, why, sizeof(why)) !=
	        0) {
		CHECK(e.descriptor == NULL && e.nquestions == 0);
		return;
	}
	election_fingerprint((const char *)data, size, fp);
	CHECK(memcmp(fp, e.fingerprint, sizeof(fp)) == 0);
	CHECK(e.nquestions >= 1 && e.nquestions <= ELECTION_MAX_QUESTIONS);
	election_free(&e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256];

	if (!ready) {
		CHECK(sodium_init() >= 0);
		CHECK(election_parse(
		              DESC, strlen(DESC), &E, why, sizeof(why)) == 0);
		ready = 1;
	}
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_ballot(data + 1, size - 1);
		break;
	case 1:
		fuzz_entry(data + 1, size - 1);
		break;
	default:
		fuzz_descriptor(data + 1, size - 1);
		break;
	}
	return 0;
}
