/*
 * election.c - descriptors, ballots, log entries, tree heads and counting
 *
 * Every byte layout here is the one of docs/protocol.md; the hashes are
 * streamed field by field, F(x) = u32(len(x)) || x, so nothing is copied
 * to be hashed.
 */
#include "election.h"

#include "budgetq.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/* The fewest options of a question (RULE_MAX_OPTIONS is the most). */
#define MIN_OPTIONS 2

/* Hashes the field F(data[0..len)) into st. */
static void
sha_field(crypto_hash_sha256_state *st, const void *data, size_t len)
{
	unsigned char be[4];

	be[0] = (unsigned char)(len >> 24);
	be[1] = (unsigned char)(len >> 16);
	be[2] = (unsigned char)(len >> 8);
	be[3] = (unsigned char)len;
	crypto_hash_sha256_update(st, be, 4);
	if (len > 0)
		crypto_hash_sha256_update(st, data, len);
}

/* Hashes F(tag) into a fresh st. */
static void
sha_start(crypto_hash_sha256_state *st, const char *tag)
{
	crypto_hash_sha256_init(st);
	sha_field(st, tag, strlen(tag));
}

void
election_fingerprint(const char *descriptor, size_t len,
        unsigned char out[ELECTION_HASH_BYTES])
{
	crypto_hash_sha256_state st;

	sha_start(&st, TAG_ELECTION);
	sha_field(&st, descriptor, len);
	crypto_hash_sha256_final(&st, out);
}

void
credentials_hash(const unsigned char (*keys)[ELECTION_KEY_BYTES], size_t n,
        unsigned char out[ELECTION_HASH_BYTES])
{
	crypto_hash_sha256_state st;
	unsigned char be[8];
	uint64_t v = n;
	size_t i;

	for (i = 8; i-- > 0;) {
		be[i] = (unsigned char)v;
		v >>= 8;
	}
	sha_start(&st, TAG_CREDENTIALS);
	sha_field(&st, be, 8);
	sha_field(&st, n > 0 ? keys[0] : NULL, n * ELECTION_KEY_BYTES);
	crypto_hash_sha256_final(&st, out);
}

void
ballot_tracker(const unsigned char *bytes, size_t len,
        unsigned char out[ELECTION_HASH_BYTES])
{
	crypto_hash_sha256_state st;

	sha_start(&st, TAG_TRACKER);
	sha_field(&st, bytes, len);
	crypto_hash_sha256_final(&st, out);
}

/* 1 when s is a question or option id: [a-z0-9_-]{1,40}. */
static int
valid_id(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= ELECTION_ID_MAX ||
		        !((s[i] >= 'a' && s[i] <= 'z') ||
		                (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		                s[i] == '-'))
			return 0;
	return i > 0;
}

/* Frees the option ids of questions q[0..n). */
static void
questions_free(struct question *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(q[i].option_ids);
		free(q[i].costs);
		q[i].option_ids = NULL;
		q[i].costs = NULL;
	}
}

/*
 * 0 when o (an object) has no member but those of names (NULL-ended);
 * else -1 with the unknown key in *bad.
 */
static int
only_members(const json_t *o, const char *const *names, const char **bad)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)o, key, val)
	{
		size_t i;

		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL) {
			*bad = key;
			return -1;
		}
	}
	(void)val;
	return 0;
}

/* Checks the string member name of o, non-empty. NULL, or the reason. */
static const char *
nonempty_string(const json_t *o, const char *name)
{
	const json_t *v = json_object_get(o, name);

	if (v == NULL)
		return "is required";
	if (!json_is_string(v))
		return "must be a string";
	if (json_string_length(v) == 0)
		return "must not be empty";
	return NULL;
}

static int json_amount(
        const json_t *v, uint64_t lo, uint64_t *out, char *why, size_t whylen);

/* Checks and copies the options of question qi into q (with their costs
   when budget). */
static int
parse_options(const json_t *opts, size_t qi, int budget, struct question *q,
        char *field, size_t fieldlen, char *why, size_t whylen)
{
	static const char *const plain[] = {"id", "label", NULL};
	static const char *const costed[] = {"cost", "id", "label", NULL};
	const char *const *members = budget ? costed : plain;
	size_t n, i, j;

	if (!json_is_array(opts)) {
		vote_why(field, fieldlen, "questions/%zu/options", qi);
		vote_why(why, whylen,
		        opts == NULL ? "is required" : "must be an array");
		return -1;
	}
	n = json_array_size(opts);
	if (n < MIN_OPTIONS || n > RULE_MAX_OPTIONS) {
		vote_why(field, fieldlen, "questions/%zu/options", qi);
		vote_why(why, whylen,
		        "must have between %d and %d options, not %zu",
		        MIN_OPTIONS, RULE_MAX_OPTIONS, n);
		return -1;
	}
	q->option_ids = calloc(n, sizeof(*q->option_ids));
	if (budget)
		q->costs = calloc(n, sizeof(*q->costs));
	if (q->option_ids == NULL || (budget && q->costs == NULL)) {
		vote_why(field, fieldlen, "questions/%zu/options", qi);
		vote_why(why, whylen, "out of memory");
		return -1;
	}
	q->noptions = (uint32_t)n;
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(opts, i);
		const char *bad = NULL, *id, *r;

		if (!json_is_object(o)) {
			vote_why(field, fieldlen, "questions/%zu/options/%zu",
			        qi, i);
			vote_why(why, whylen, "must be an object");
			return -1;
		}
		if (only_members(o, members, &bad) != 0) {
			vote_why(field, fieldlen,
			        "questions/%zu/options/%zu/%s", qi, i, bad);
			vote_why(why, whylen, "unknown member");
			return -1;
		}
		id = json_string_value(json_object_get(o, "id"));
		if (!valid_id(id)) {
			vote_why(field, fieldlen,
			        "questions/%zu/options/%zu/id", qi, i);
			vote_why(why, whylen,
			        json_object_get(o, "id") == NULL
			                ? "is required"
			                : "must match [a-z0-9_-]{1,40}");
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(q->option_ids[j], id) == 0) {
				vote_why(field, fieldlen,
				        "questions/%zu/options/%zu/id", qi, i);
				vote_why(why, whylen,
				        "\"%s\" is also the id of option %zu",
				        id, j);
				return -1;
			}
		memcpy(q->option_ids[i], id, strlen(id) + 1);
		if ((r = nonempty_string(o, "label")) != NULL) {
			vote_why(field, fieldlen,
			        "questions/%zu/options/%zu/label", qi, i);
			vote_why(why, whylen, "%s", r);
			return -1;
		}
		if (budget && json_amount(json_object_get(o, "cost"), 1,
		                      &q->costs[i], why, whylen) != 0) {
			vote_why(field, fieldlen,
			        "questions/%zu/options/%zu/cost", qi, i);
			return -1;
		}
	}
	return 0;
}

/*
 * Reads an amount of money (an integer from lo to RULE_MAX_COST) from v
 * into *out; -1 with why.
 */
static int
json_amount(
        const json_t *v, uint64_t lo, uint64_t *out, char *why, size_t whylen)
{
	if (v == NULL)
		return vote_why(why, whylen, "is required");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	        (uint64_t)json_integer_value(v) < lo ||
	        (uint64_t)json_integer_value(v) > RULE_MAX_COST)
		return vote_why(why, whylen,
		        "must be an integer from %llu to %llu",
		        (unsigned long long)lo,
		        (unsigned long long)RULE_MAX_COST);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* The outcome rules a budget question may name. */
static const char *const outcome_rules[] = {
        "greedy", "greedy-no-skip", "greedy-score", "mes", "mes-add1", NULL};
static const char *const utilities[] = {"cost", "card", NULL};
static const char *const tie_orders[] = {"id", "cost,votes,id", NULL};

/* Copies the string member name of o into out when it is one of words. */
static int
json_word(const json_t *o, const char *name, const char *const *words,
        char *out, size_t outlen, char *why, size_t whylen)
{
	const char *s = json_string_value(json_object_get(o, name));
	size_t i;

	for (i = 0; s != NULL && words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0 && strlen(s) < outlen) {
			memcpy(out, s, strlen(s) + 1);
			return 0;
		}
	vote_why(why, whylen, "must be one of");
	for (i = 0; words[i] != NULL; i++)
		vote_why(why + strlen(why), whylen - strlen(why), "%s \"%s\"",
		        i == 0 ? "" : ",", words[i]);
	return -1;
}

/* Checks the "budget" member b of question qi into q->budget. */
static int
parse_budget(const json_t *b, size_t qi, struct question *q, char *field,
        size_t fieldlen, char *why, size_t whylen)
{
	static const char *const members[] = {"amount", "compare", "min_votes",
	        "outcome", "tie", "utility", NULL};
	struct budget_spec *s = &q->budget;
	const char *bad = NULL, *m;
	size_t i;

	vote_why(field, fieldlen, "questions/%zu/budget", qi);
	if (!json_is_object(b))
		return vote_why(why, whylen, "must be an object");
	if (only_members(b, members, &bad) != 0) {
		vote_why(field, fieldlen, "questions/%zu/budget/%s", qi, bad);
		return vote_why(why, whylen, "unknown member");
	}
	for (i = 0; (m = members[i]) != NULL; i++) {
		int rc;

		vote_why(field, fieldlen, "questions/%zu/budget/%s", qi, m);
		if (json_object_get(b, m) == NULL)
			return vote_why(why, whylen, "is required");
		if (strcmp(m, "amount") == 0)
			rc = json_amount(json_object_get(b, m), 1, &s->amount,
			        why, whylen);
		else if (strcmp(m, "min_votes") == 0)
			rc = json_amount(json_object_get(b, m), 0,
			        &s->min_votes, why, whylen);
		else if (strcmp(m, "outcome") == 0)
			rc = json_word(b, m, outcome_rules, s->outcome,
			        sizeof(s->outcome), why, whylen);
		else if (strcmp(m, "compare") == 0)
			rc = json_word(b, m, outcome_rules, s->compare,
			        sizeof(s->compare), why, whylen);
		else if (strcmp(m, "utility") == 0)
			rc = json_word(b, m, utilities, s->utility,
			        sizeof(s->utility), why, whylen);
		else
			rc = json_word(b, m, tie_orders, s->tie, sizeof(s->tie),
			        why, whylen);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Checks that budget question q's rule suits a budget; -1 with why. */
static int
budget_rule_check(const struct question *q, size_t qi, char *field,
        size_t fieldlen, char *why, size_t whylen)
{
	vote_why(field, fieldlen, "questions/%zu/rule/kind", qi);
	if (q->costs == NULL && q->rule.kind == RULE_KNAPSACK)
		return vote_why(why, whylen,
		        "knapsack needs the options' costs: only a budget "
		        "question has them");
	if (q->costs == NULL)
		return 0;
	if (q->rule.kind == RULE_SINGLE)
		return vote_why(why, whylen,
		        "a budget question's rule is approval, knapsack, "
		        "cumulative or ranking");
	if (q->rule.kind != RULE_CUMULATIVE &&
	        (strcmp(q->budget.outcome, "greedy-score") == 0 ||
	                strcmp(q->budget.compare, "greedy-score") == 0))
		return vote_why(why, whylen,
		        "greedy-score orders projects by points: it needs a "
		        "cumulative rule");
	return 0;
}

/*
 * Checks the questions array and fills q[0..*nq) (option ids malloc'd;
 * freed again on failure). Budget questions are allowed when budget is
 * set; then either every question is one (*budgets = 1) or none is.
 */
static int
parse_questions(const json_t *qs, int budget, struct question *q, size_t *nq,
        int *budgets, char *field, size_t fieldlen, char *why, size_t whylen)
{
	static const char *const plain[] = {
	        "id", "options", "rule", "text", NULL};
	static const char *const costed[] = {
	        "budget", "id", "options", "rule", "text", NULL};
	const char *const *members = budget ? costed : plain;
	size_t n, i, j;

	*budgets = 0;
	*nq = 0;
	memset(q, 0, ELECTION_MAX_QUESTIONS * sizeof(*q));
	vote_why(field, fieldlen, "questions");
	if (!json_is_array(qs)) {
		vote_why(why, whylen,
		        qs == NULL ? "is required" : "must be an array");
		return -1;
	}
	n = json_array_size(qs);
	if (n < 1 || n > ELECTION_MAX_QUESTIONS) {
		vote_why(why, whylen,
		        "must have between 1 and %d questions, not %zu",
		        ELECTION_MAX_QUESTIONS, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(qs, i);
		const char *bad = NULL, *id, *r, *member = NULL;
		char rwhy[200];

		if (!json_is_object(o)) {
			vote_why(field, fieldlen, "questions/%zu", i);
			vote_why(why, whylen, "must be an object");
			goto fail;
		}
		if (only_members(o, members, &bad) != 0) {
			vote_why(field, fieldlen, "questions/%zu/%s", i, bad);
			vote_why(why, whylen, "unknown member");
			goto fail;
		}
		id = json_string_value(json_object_get(o, "id"));
		if (!valid_id(id)) {
			vote_why(field, fieldlen, "questions/%zu/id", i);
			vote_why(why, whylen,
			        json_object_get(o, "id") == NULL
			                ? "is required"
			                : "must match [a-z0-9_-]{1,40}");
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcmp(q[j].id, id) == 0) {
				vote_why(
				        field, fieldlen, "questions/%zu/id", i);
				vote_why(why, whylen,
				        "\"%s\" is also the id of question %zu",
				        id, j);
				goto fail;
			}
		memcpy(q[i].id, id, strlen(id) + 1);
		*nq = i + 1; /* from here q[i] may own option ids */
		if (i > 0 &&
		        (json_object_get(o, "budget") != NULL) != *budgets) {
			vote_why(field, fieldlen, "questions/%zu/budget", i);
			vote_why(why, whylen,
			        "budget questions and other questions cannot "
			        "be mixed");
			goto fail;
		}
		*budgets = json_object_get(o, "budget") != NULL;
		if (*budgets &&
		        parse_budget(json_object_get(o, "budget"), i, &q[i],
		                field, fieldlen, why, whylen) != 0)
			goto fail;
		if (parse_options(json_object_get(o, "options"), i, *budgets,
		            &q[i], field, fieldlen, why, whylen) != 0)
			goto fail;
		if (json_object_get(o, "rule") == NULL) {
			vote_why(field, fieldlen, "questions/%zu/rule", i);
			vote_why(why, whylen, "is required");
			goto fail;
		}
		if (rule_parse(json_object_get(o, "rule"), q[i].noptions,
		            &q[i].rule, &member, rwhy, sizeof(rwhy)) != 0) {
			if (member != NULL)
				vote_why(field, fieldlen,
				        "questions/%zu/rule/%s", i, member);
			else
				vote_why(field, fieldlen, "questions/%zu/rule",
				        i);
			vote_why(why, whylen, "%s", rwhy);
			goto fail;
		}
		q[i].rule.costs = q[i].costs;
		if (budget_rule_check(&q[i], i, field, fieldlen, why, whylen) !=
		        0)
			goto fail;
		if ((r = nonempty_string(o, "text")) != NULL) {
			vote_why(field, fieldlen, "questions/%zu/text", i);
			vote_why(why, whylen, "%s", r);
			goto fail;
		}
	}
	*nq = n;
	return 0;
fail:
	questions_free(q, *nq);
	memset(q, 0, ELECTION_MAX_QUESTIONS * sizeof(*q));
	*nq = 0;
	return -1;
}

int
election_questions_check(const json_t *questions, char *field, size_t fieldlen,
        char *why, size_t whylen)
{
	struct question q[ELECTION_MAX_QUESTIONS];
	size_t n;
	int budgets;

	if (parse_questions(questions, 0, q, &n, &budgets, field, fieldlen, why,
	            whylen) != 0)
		return -1;
	questions_free(q, n);
	vote_why(field, fieldlen, "%s", "");
	vote_why(why, whylen, "%s", "");
	return 0;
}

void
election_free(struct election *e)
{
	if (e == NULL)
		return;
	questions_free(e->questions, e->nquestions);
	free(e->descriptor);
	memset(e, 0, sizeof(*e));
}

/* The members of a descriptor. */
static const char *const descriptor_members[] = {"closes_at", "collectivity",
        "collectivity_slug", "credentials", "districts_per_voter", "election",
        "log_key", "opens_at", "process", "questions", "revote", "title",
        "version", NULL};

/* Checks the descriptor object d (all but the questions) into e. */
static int
parse_top(const json_t *d, struct election *e, char *why, size_t whylen)
{
	static const char *const strings[] = {
	        "closes_at", "collectivity_slug", "opens_at", "title"};
	static const char *const uuids[] = {
	        "collectivity", "election", "process"};
	const char *bad = NULL, *s, *r;
	const json_t *v;
	size_t i;

	if (only_members(d, descriptor_members, &bad) != 0) {
		vote_why(why, whylen, "descriptor: unknown member \"%s\"", bad);
		return -1;
	}
	for (i = 0; descriptor_members[i] != NULL; i++)
		if (json_object_get(d, descriptor_members[i]) == NULL &&
		        strcmp(descriptor_members[i], "districts_per_voter") !=
		                0) {
			vote_why(why, whylen, "descriptor: %s is required",
			        descriptor_members[i]);
			return -1;
		}
	v = json_object_get(d, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		vote_why(why, whylen, "descriptor: version must be 1");
		return -1;
	}
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if ((r = nonempty_string(d, strings[i])) != NULL) {
			vote_why(why, whylen, "descriptor: %s %s", strings[i],
			        r);
			return -1;
		}
	for (i = 0; i < sizeof(uuids) / sizeof(uuids[0]); i++)
		if (!uuid_canonical(
		            json_string_value(json_object_get(d, uuids[i])))) {
			vote_why(why, whylen,
			        "descriptor: %s must be a lowercase canonical "
			        "UUID",
			        uuids[i]);
			return -1;
		}
	memcpy(e->id, json_string_value(json_object_get(d, "election")), 37);
	memcpy(e->collectivity,
	        json_string_value(json_object_get(d, "collectivity")), 37);
	s = json_string_value(json_object_get(d, "credentials"));
	if (s != NULL && strcmp(s, "authority") == 0) {
		e->registered = 0;
	} else if (s != NULL && strcmp(s, "registered") == 0) {
		e->registered = 1;
	} else {
		vote_why(why, whylen,
		        "descriptor: credentials must be \"authority\" or "
		        "\"registered\"");
		return -1;
	}
	if (hex_decode_fixed(json_string_value(json_object_get(d, "log_key")),
	            e->log_key, ELECTION_KEY_BYTES) != 0) {
		vote_why(why, whylen,
		        "descriptor: log_key must be 64 lowercase hexadecimal "
		        "digits");
		return -1;
	}
	if (!crypto_core_ed25519_is_valid_point(e->log_key)) {
		vote_why(why, whylen,
		        "descriptor: log_key is not a valid Ed25519 public "
		        "key");
		return -1;
	}
	v = json_object_get(d, "revote");
	if (!json_is_boolean(v)) {
		vote_why(why, whylen,
		        "descriptor: revote must be true or false");
		return -1;
	}
	e->revote = json_is_true(v);
	return 0;
}

int
election_parse(const char *descriptor, size_t len, struct election *e,
        char *why, size_t whylen)
{
	char field[96], qwhy[200];
	json_error_t jerr;
	const json_t *v;
	json_t *d;
	int budgets;

	memset(e, 0, sizeof(*e));
	d = json_loadb(descriptor, len, JSON_REJECT_DUPLICATES, &jerr);
	if (d == NULL) {
		vote_why(why, whylen, "descriptor is not valid JSON: %s",
		        jerr.text);
		return -1;
	}
	if (!json_is_object(d)) {
		vote_why(why, whylen, "descriptor is not a JSON object");
		json_decref(d);
		return -1;
	}
	if (parse_top(d, e, why, whylen) != 0)
		goto fail;
	if (parse_questions(json_object_get(d, "questions"), 1, e->questions,
	            &e->nquestions, &budgets, field, sizeof(field), qwhy,
	            sizeof(qwhy)) != 0) {
		vote_why(why, whylen, "descriptor: %s: %s", field, qwhy);
		goto fail;
	}
	v = json_object_get(d, "districts_per_voter");
	if ((v != NULL) != budgets) {
		vote_why(why, whylen,
		        budgets ? "descriptor: districts_per_voter is required "
		                  "with budget questions"
		                : "descriptor: districts_per_voter is only for "
		                  "budget questions");
		goto fail;
	}
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		        json_integer_value(v) > (json_int_t)e->nquestions) {
			vote_why(why, whylen,
			        "descriptor: districts_per_voter must be an "
			        "integer from 1 to the number of questions");
			goto fail;
		}
		e->districts_per_voter = (uint32_t)json_integer_value(v);
	}
	e->descriptor = malloc(len + 1);
	if (e->descriptor == NULL) {
		vote_why(why, whylen, "out of memory");
		goto fail;
	}
	memcpy(e->descriptor, descriptor, len);
	e->descriptor[len] = '\0';
	e->descriptor_len = len;
	election_fingerprint(descriptor, len, e->fingerprint);
	json_decref(d);
	return 0;
fail:
	json_decref(d);
	election_free(e);
	return -1;
}

/* "q2", or "3" when the ballot has more questions than e. */
static const char *
qname(const struct election *e, size_t q, char *buf, size_t len)
{
	if (q < e->nquestions)
		return e->questions[q].id;
	snprintf(buf, len, "%zu", q);
	return buf;
}

void
ballot_free(struct ballot *b)
{
	if (b == NULL)
		return;
	free(b->all);
	memset(b, 0, sizeof(*b));
}

/* Parses the choices field of a ballot into out. */
static enum ballot_err
decode_choices(const struct election *e, const unsigned char *p, size_t len,
        struct ballot *out, char *why, size_t whylen)
{
	struct wread r;
	uint32_t nq, k, i;
	size_t q, used = 0;
	char nb[24];

	wread_init(&r, p, len);
	if (wread_u32(&r, &nq) != 0) {
		vote_why(why, whylen, "ballot choices are truncated");
		return BALLOT_MALFORMED;
	}
	if (nq > ELECTION_MAX_QUESTIONS) {
		vote_why(why, whylen,
		        "ballot has %u questions, at most %d allowed", nq,
		        ELECTION_MAX_QUESTIONS);
		return BALLOT_MALFORMED;
	}
	out->all = malloc(len / 8 > 0 ? len / 8 * sizeof(struct choice)
	                              : sizeof(struct choice));
	if (out->all == NULL) {
		vote_why(why, whylen, "out of memory");
		return BALLOT_MALFORMED;
	}
	out->nquestions = nq;
	for (q = 0; q < nq; q++) {
		struct choice *c = out->all + used;

		if (wread_u32(&r, &k) != 0 || k > (r.len - r.off) / 8) {
			vote_why(why, whylen,
			        "question %s: choices are truncated",
			        qname(e, q, nb, sizeof(nb)));
			return BALLOT_MALFORMED;
		}
		for (i = 0; i < k; i++) {
			wread_u32(&r, &c[i].option);
			wread_u32(&r, &c[i].value);
			if (i > 0 && c[i].option <= c[i - 1].option) {
				vote_why(why, whylen,
				        "question %s: option indices are not "
				        "strictly increasing",
				        qname(e, q, nb, sizeof(nb)));
				return BALLOT_MALFORMED;
			}
			if (c[i].value == 0) {
				vote_why(why, whylen,
				        "question %s: option index %u has "
				        "value 0",
				        qname(e, q, nb, sizeof(nb)),
				        c[i].option);
				return BALLOT_MALFORMED;
			}
		}
		out->choices[q] = c;
		out->nchoices[q] = k;
		used += k;
	}
	if (!wread_done(&r)) {
		vote_why(why, whylen,
		        "ballot choices have %zu bytes after the last question",
		        r.len - r.off);
		return BALLOT_MALFORMED;
	}
	return BALLOT_OK;
}

/*
 * Checks b's choices (one per question of e) against the rules. In a
 * budget's vote an empty choice is a district not voted in, and a ballot
 * votes in 1 to districts_per_voter districts. 0, or -1 with why.
 */
static int
choices_check(const struct election *e, const struct ballot *b, char *why,
        size_t whylen)
{
	size_t q, voted = 0;
	char rwhy[200];

	for (q = 0; q < e->nquestions; q++) {
		if (e->districts_per_voter > 0 && b->nchoices[q] == 0)
			continue;
		voted++;
		if (rule_check(&e->questions[q].rule, b->choices[q],
		            b->nchoices[q], rwhy, sizeof(rwhy)) != 0)
			return vote_why(why, whylen, "question %s: %s",
			        e->questions[q].id, rwhy);
	}
	if (e->districts_per_voter > 0 && voted == 0)
		return vote_why(why, whylen,
		        "the ballot chooses no project in any district");
	if (e->districts_per_voter > 0 && voted > e->districts_per_voter)
		return vote_why(why, whylen,
		        "the ballot votes in %zu districts, at most %u allowed",
		        voted, e->districts_per_voter);
	return 0;
}

enum ballot_err
ballot_decode(const struct election *e, const unsigned char *bytes, size_t len,
        struct ballot *out, char *why, size_t whylen)
{
	const unsigned char *cp;
	enum ballot_err err;
	struct wread r;
	size_t clen;

	memset(out, 0, sizeof(*out));
	if (len > BALLOT_MAX_BYTES) {
		vote_why(why, whylen, "ballot is %zu bytes, at most %d allowed",
		        len, BALLOT_MAX_BYTES);
		return BALLOT_TOO_LARGE;
	}
	wread_init(&r, bytes, len);
	if (wread_field_tag(&r, TAG_BALLOT) != 0) {
		vote_why(why, whylen,
		        "ballot does not start with the field \"%s\"",
		        TAG_BALLOT);
		return BALLOT_MALFORMED;
	}
	if (wread_field_fixed(&r, out->fingerprint, ELECTION_HASH_BYTES) != 0) {
		vote_why(why, whylen,
		        "ballot fingerprint is not a 32-byte field");
		return BALLOT_MALFORMED;
	}
	if (wread_field_fixed(&r, out->key, ELECTION_KEY_BYTES) != 0) {
		vote_why(why, whylen,
		        "ballot public key is not a 32-byte field");
		goto malformed;
	}
	if (wread_field_u64(&r, &out->seq) != 0) {
		vote_why(why, whylen,
		        "ballot sequence number is not an 8-byte field");
		goto malformed;
	}
	if (wread_field(&r, &cp, &clen) != 0) {
		vote_why(why, whylen, "ballot choices field is truncated");
		goto malformed;
	}
	if (!wread_done(&r)) {
		vote_why(why, whylen,
		        "ballot has %zu bytes after its last field",
		        r.len - r.off);
		goto malformed;
	}
	if (out->seq == 0) {
		vote_why(why, whylen,
		        "ballot sequence number is 0, it starts at 1");
		goto malformed;
	}
	err = decode_choices(e, cp, clen, out, why, whylen);
	if (err != BALLOT_OK) {
		ballot_free(out);
		return err;
	}
	if (sodium_memcmp(out->fingerprint, e->fingerprint,
	            ELECTION_HASH_BYTES) != 0) {
		vote_why(why, whylen,
		        "ballot is for another election (its fingerprint is "
		        "not this election's)");
		ballot_free(out);
		return BALLOT_WRONG_ELECTION;
	}
	if (out->nquestions != e->nquestions) {
		vote_why(why, whylen,
		        "ballot has %zu questions, the election %zu",
		        out->nquestions, e->nquestions);
		goto malformed;
	}
	if (choices_check(e, out, why, whylen) != 0) {
		ballot_free(out);
		return BALLOT_RULE;
	}
	return BALLOT_OK;
malformed:
	ballot_free(out);
	return BALLOT_MALFORMED;
}

enum ballot_err
ballot_check(const struct election *e, const unsigned char *bytes, size_t len,
        const unsigned char sig[ELECTION_SIG_BYTES], struct ballot *out,
        char *why, size_t whylen)
{
	enum ballot_err err = ballot_decode(e, bytes, len, out, why, whylen);

	if (err != BALLOT_OK)
		return err;
	if (crypto_sign_verify_detached(sig, bytes, len, out->key) != 0) {
		vote_why(why, whylen, "ballot signature does not verify");
		ballot_free(out);
		return BALLOT_BAD_SIGNATURE;
	}
	return BALLOT_OK;
}

static int
cmp_choice(const void *a, const void *b)
{
	const struct choice *x = a, *y = b;

	return x->option < y->option ? -1 : x->option > y->option;
}

/* The index of option id in q, or -1. */
static int
option_index(const struct question *q, const char *id)
{
	uint32_t i;

	for (i = 0; i < q->noptions; i++)
		if (strcmp(q->option_ids[i], id) == 0)
			return (int)i;
	return -1;
}

/*
 * Adds option id with value v to c[0..*k) of question q, refusing unknown
 * and repeated options (seen marks the options given).
 */
static int
add_option(const struct question *q, const char *id, uint32_t v,
        unsigned char *seen, struct choice *c, size_t *k, char *why,
        size_t whylen)
{
	int i;

	if (id == NULL) {
		vote_why(why, whylen,
		        "question %s: options are given by their id", q->id);
		return -1;
	}
	if ((i = option_index(q, id)) < 0) {
		vote_why(why, whylen, "question %s: unknown option \"%s\"",
		        q->id, id);
		return -1;
	}
	if (seen[i]) {
		vote_why(why, whylen,
		        "question %s: option \"%s\" is given twice", q->id, id);
		return -1;
	}
	seen[i] = 1;
	c[*k].option = (uint32_t)i;
	c[*k].value = v;
	(*k)++;
	return 0;
}

/* Reads the JSON choice el of question q into c[0..*k). */
static int
choice_of_question(const struct question *q, const json_t *el, struct choice *c,
        size_t *k, char *why, size_t whylen)
{
	unsigned char seen[RULE_MAX_OPTIONS];
	const char *key;
	json_t *v;
	size_t i;

	memset(seen, 0, sizeof(seen));
	*k = 0;
	switch (q->rule.kind) {
	case RULE_SINGLE:
		if (json_is_string(el))
			return add_option(q, json_string_value(el), 1, seen, c,
			        k, why, whylen);
		/* fall through */
	case RULE_APPROVAL:
	case RULE_RANKING:
	case RULE_KNAPSACK:
		if (!json_is_array(el)) {
			vote_why(why, whylen,
			        "question %s: must be an array of option ids%s",
			        q->id,
			        q->rule.kind == RULE_SINGLE
			                ? " or one option id"
			                : "");
			return -1;
		}
		json_array_foreach(el, i, v)
		{
			uint32_t val = q->rule.kind == RULE_RANKING
			                       ? (uint32_t)(i + 1)
			                       : 1;

			if (add_option(q, json_string_value(v), val, seen, c, k,
			            why, whylen) != 0)
				return -1;
		}
		return 0;
	case RULE_CUMULATIVE:
		if (!json_is_object(el)) {
			vote_why(why, whylen,
			        "question %s: must be an object of option ids "
			        "and points",
			        q->id);
			return -1;
		}
		json_object_foreach((json_t *)el, key, v)
		{
			json_int_t p = json_integer_value(v);

			if (!json_is_integer(v) || p < 1 || p > UINT32_MAX) {
				vote_why(why, whylen,
				        "question %s: the points of option "
				        "\"%s\" must be an integer of at least "
				        "1",
				        q->id, key);
				return -1;
			}
			if (add_option(q, key, (uint32_t)p, seen, c, k, why,
			            whylen) != 0)
				return -1;
			if (p > q->rule.per_option) {
				vote_why(why, whylen,
				        "question %s: option \"%s\" has %lld "
				        "points, at most %u allowed on one "
				        "option",
				        q->id, key, (long long)p,
				        q->rule.per_option);
				return -1;
			}
		}
		return 0;
	}
	vote_why(why, whylen, "question %s: unknown rule", q->id);
	return -1;
}

int
ballot_choice_from_json(const struct election *e, const json_t *choice,
        struct ballot *b, char *why, size_t whylen)
{
	size_t q, total = 0, used = 0, k;

	free(b->all);
	b->all = NULL;
	b->nquestions = 0;
	memset(b->nchoices, 0, sizeof(b->nchoices));
	memset(b->choices, 0, sizeof(b->choices));
	if (!json_is_array(choice)) {
		vote_why(why, whylen,
		        "the choice must be a JSON array, one element per "
		        "question");
		return -1;
	}
	if (json_array_size(choice) != e->nquestions) {
		vote_why(why, whylen,
		        "the choice has %zu elements, the election %zu "
		        "question%s",
		        json_array_size(choice), e->nquestions,
		        e->nquestions == 1 ? "" : "s");
		return -1;
	}
	for (q = 0; q < e->nquestions; q++)
		total += e->questions[q].noptions;
	b->all = malloc((total > 0 ? total : 1) * sizeof(struct choice));
	if (b->all == NULL) {
		vote_why(why, whylen, "out of memory");
		return -1;
	}
	for (q = 0; q < e->nquestions; q++) {
		const struct question *qu = &e->questions[q];
		struct choice *c = b->all + used;

		if (choice_of_question(qu, json_array_get(choice, q), c, &k,
		            why, whylen) != 0)
			goto fail;
		if (k > 1)
			qsort(c, k, sizeof(*c), cmp_choice);
		b->choices[q] = c;
		b->nchoices[q] = k;
		used += k;
	}
	b->nquestions = e->nquestions;
	if (choices_check(e, b, why, whylen) != 0)
		goto fail;
	return 0;
fail:
	free(b->all);
	b->all = NULL;
	memset(b->nchoices, 0, sizeof(b->nchoices));
	memset(b->choices, 0, sizeof(b->choices));
	return -1;
}

/* Hands the finished buffer to the caller; -1 (and frees) on OOM. */
static int
wbuf_take(struct wbuf *w, unsigned char **out, size_t *len)
{
	if (w->oom || w->p == NULL) {
		free(w->p);
		*out = NULL;
		*len = 0;
		return -1;
	}
	*out = w->p;
	*len = w->len;
	return 0;
}

int
ballot_encode(const struct ballot *b, unsigned char **out, size_t *len)
{
	struct wbuf c = {0}, w = {0};
	size_t q, i;

	*out = NULL;
	*len = 0;
	if (b->nquestions > ELECTION_MAX_QUESTIONS)
		return -1;
	wbuf_u32(&c, (uint32_t)b->nquestions);
	for (q = 0; q < b->nquestions; q++) {
		wbuf_u32(&c, (uint32_t)b->nchoices[q]);
		for (i = 0; i < b->nchoices[q]; i++) {
			wbuf_u32(&c, b->choices[q][i].option);
			wbuf_u32(&c, b->choices[q][i].value);
		}
	}
	wbuf_field_str(&w, TAG_BALLOT);
	wbuf_field(&w, b->fingerprint, ELECTION_HASH_BYTES);
	wbuf_field(&w, b->key, ELECTION_KEY_BYTES);
	wbuf_field_u64(&w, b->seq);
	if (c.oom)
		w.oom = 1;
	else
		wbuf_field(&w, c.p, c.len);
	free(c.p);
	return wbuf_take(&w, out, len);
}

int
log_entry_parse(const unsigned char *entry, size_t len, struct log_entry *out)
{
	static const char *const tags[] = {[ENTRY_OPEN] = TAG_LOG_OPEN,
	        [ENTRY_CREDENTIAL] = TAG_LOG_CREDENTIAL,
	        [ENTRY_BALLOT] = TAG_LOG_BALLOT,
	        [ENTRY_CLOSE] = TAG_LOG_CLOSE};
	const unsigned char *tag;
	struct wread r;
	size_t tlen, k;
	int bad = 0;

	memset(out, 0, sizeof(*out));
	wread_init(&r, entry, len);
	if (wread_field(&r, &tag, &tlen) != 0)
		return -1;
	for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
		if (tlen == strlen(tags[k]) && memcmp(tag, tags[k], tlen) == 0)
			break;
	if (k == sizeof(tags) / sizeof(tags[0]))
		return -1;
	out->kind = (enum entry_kind)k;
	switch (out->kind) {
	case ENTRY_OPEN:
		bad = wread_field_fixed(
		              &r, out->fingerprint, ELECTION_HASH_BYTES) != 0 ||
		      wread_field_fixed(
		              &r, out->list_hash, ELECTION_HASH_BYTES) != 0 ||
		      wread_field_u64(&r, &out->count) != 0;
		break;
	case ENTRY_CREDENTIAL:
		bad = wread_field_fixed(
		              &r, out->fingerprint, ELECTION_HASH_BYTES) != 0 ||
		      wread_field_fixed(&r, out->key, ELECTION_KEY_BYTES) != 0;
		break;
	case ENTRY_BALLOT:
		bad = wread_field(&r, &out->ballot, &out->ballot_len) != 0 ||
		      wread_field_fixed(&r, out->sig, ELECTION_SIG_BYTES) != 0;
		break;
	case ENTRY_CLOSE:
		bad = wread_field_fixed(
		              &r, out->fingerprint, ELECTION_HASH_BYTES) != 0 ||
		      wread_field_u64(&r, &out->count) != 0;
		break;
	}
	if (bad || wread_field_u64(&r, &out->time_ms) != 0 || !wread_done(&r)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

int
log_entry_encode(const struct log_entry *e, unsigned char **out, size_t *len)
{
	struct wbuf w = {0};

	switch (e->kind) {
	case ENTRY_OPEN:
		wbuf_field_str(&w, TAG_LOG_OPEN);
		wbuf_field(&w, e->fingerprint, ELECTION_HASH_BYTES);
		wbuf_field(&w, e->list_hash, ELECTION_HASH_BYTES);
		wbuf_field_u64(&w, e->count);
		break;
	case ENTRY_CREDENTIAL:
		wbuf_field_str(&w, TAG_LOG_CREDENTIAL);
		wbuf_field(&w, e->fingerprint, ELECTION_HASH_BYTES);
		wbuf_field(&w, e->key, ELECTION_KEY_BYTES);
		break;
	case ENTRY_BALLOT:
		wbuf_field_str(&w, TAG_LOG_BALLOT);
		wbuf_field(&w, e->ballot, e->ballot_len);
		wbuf_field(&w, e->sig, ELECTION_SIG_BYTES);
		break;
	case ENTRY_CLOSE:
		wbuf_field_str(&w, TAG_LOG_CLOSE);
		wbuf_field(&w, e->fingerprint, ELECTION_HASH_BYTES);
		wbuf_field_u64(&w, e->count);
		break;
	default:
		*out = NULL;
		*len = 0;
		return -1;
	}
	wbuf_field_u64(&w, e->time_ms);
	return wbuf_take(&w, out, len);
}

int
tree_head_message(const unsigned char fingerprint[ELECTION_HASH_BYTES],
        uint64_t size, const unsigned char root[ELECTION_HASH_BYTES],
        uint64_t time_ms, unsigned char **out, size_t *len)
{
	struct wbuf w = {0};

	wbuf_field_str(&w, TAG_TREE_HEAD);
	wbuf_field(&w, fingerprint, ELECTION_HASH_BYTES);
	wbuf_field_u64(&w, size);
	wbuf_field(&w, root, ELECTION_HASH_BYTES);
	wbuf_field_u64(&w, time_ms);
	return wbuf_take(&w, out, len);
}

int
receipt_message(const unsigned char fingerprint[ELECTION_HASH_BYTES],
        const unsigned char tracker[ELECTION_HASH_BYTES], uint64_t index,
        uint64_t time_ms, unsigned char **out, size_t *len)
{
	struct wbuf w = {0};

	wbuf_field_str(&w, TAG_RECEIPT);
	wbuf_field(&w, fingerprint, ELECTION_HASH_BYTES);
	wbuf_field(&w, tracker, ELECTION_HASH_BYTES);
	wbuf_field_u64(&w, index);
	wbuf_field_u64(&w, time_ms);
	return wbuf_take(&w, out, len);
}

/* One ballot kept for counting: its key, sequence and choices. */
struct tally_ballot {
	unsigned char key[ELECTION_KEY_BYTES];
	uint64_t seq;
	size_t order; /* when it was added: equal sequences keep the last */
	size_t nchoices[ELECTION_MAX_QUESTIONS];
	struct choice *all; /* the questions' choices one after the other */
};

struct tally {
	const struct election *e;
	struct tally_ballot *b;
	size_t n, cap;
};

struct tally *
tally_new(const struct election *e)
{
	struct tally *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->e = e;
	return t;
}

int
tally_add(struct tally *t, const struct ballot *b)
{
	struct tally_ballot *tb;
	size_t q, total = 0, used = 0;

	if (b->nquestions != t->e->nquestions)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct tally_ballot *nb = realloc(t->b, cap * sizeof(*nb));

		if (nb == NULL)
			return -1;
		t->b = nb;
		t->cap = cap;
	}
	tb = &t->b[t->n];
	memset(tb, 0, sizeof(*tb));
	memcpy(tb->key, b->key, ELECTION_KEY_BYTES);
	tb->seq = b->seq;
	tb->order = t->n;
	for (q = 0; q < b->nquestions; q++)
		total += b->nchoices[q];
	tb->all = malloc((total > 0 ? total : 1) * sizeof(struct choice));
	if (tb->all == NULL)
		return -1;
	for (q = 0; q < b->nquestions; q++) {
		if (b->nchoices[q] > 0)
			memcpy(tb->all + used, b->choices[q],
			        b->nchoices[q] * sizeof(struct choice));
		tb->nchoices[q] = b->nchoices[q];
		used += b->nchoices[q];
	}
	t->n++;
	return 0;
}

static int
cmp_tally_ballot(const void *a, const void *b)
{
	const struct tally_ballot *x = a, *y = b;
	int c = memcmp(x->key, y->key, ELECTION_KEY_BYTES);

	if (c != 0)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts t's ballots by key, then sequence number, then arrival. */
static void
tally_sort(struct tally *t)
{
	if (t->n > 1)
		qsort(t->b, t->n, sizeof(*t->b), cmp_tally_ballot);
}

/* Whether sorted ballot i counts: its key's last one. */
static int
tally_counts(const struct tally *t, size_t i)
{
	return i + 1 == t->n ||
	       memcmp(t->b[i].key, t->b[i + 1].key, ELECTION_KEY_BYTES) != 0;
}

/* Sets o[k] = v (stolen); -1 when v is NULL or on OOM. */
static int
put(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

/* The array of n counts (stolen into a new array), or NULL. */
static json_t *
counts_json(const uint64_t *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, json_integer((json_int_t)v[i])) !=
		        0) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

/* The result object of question q from its totals and first counts. */
static json_t *
question_json(
        const struct question *q, const uint64_t *totals, const uint64_t *first)
{
	json_t *o = json_object(), *w = json_array();
	uint64_t max = 0;
	uint32_t i;

	if (o == NULL || w == NULL)
		goto fail;
	for (i = 0; i < q->noptions; i++)
		if (totals[i] > max)
			max = totals[i];
	for (i = 0; max > 0 && i < q->noptions; i++)
		if (totals[i] == max &&
		        json_array_append_new(
		                w, json_string(q->option_ids[i])) != 0)
			goto fail;
	if (put(o, "winners", w) != 0)
		goto fail_o; /* w is gone with it */
	if (put(o, "id", json_string(q->id)) != 0 ||
	        put(o, "kind", json_string(rule_kind_name(q->rule.kind))) !=
	                0 ||
	        put(o, "totals", counts_json(totals, q->noptions)) != 0)
		goto fail_o;
	if (q->rule.kind == RULE_RANKING &&
	        put(o, "first", counts_json(first, q->noptions)) != 0)
		goto fail_o;
	return o;
fail:
	json_decref(w);
fail_o:
	json_decref(o);
	return NULL;
}

/*
 * Adds the outcome members of budget question q to its result object qj,
 * from the counted ballots t->b[live[0..n)].
 */
static int
budget_result(const struct tally *t, size_t q, const size_t *live, size_t n,
        json_t *qj)
{
	const struct choice **c = malloc((n + 1) * sizeof(*c));
	size_t *k = malloc((n + 1) * sizeof(*k)), i, j;
	int rc = -1;

	if (c != NULL && k != NULL) {
		for (i = 0; i < n; i++) {
			const struct tally_ballot *b = &t->b[live[i]];
			size_t used = 0;

			for (j = 0; j < q; j++)
				used += b->nchoices[j];
			c[i] = b->all + used;
			k[i] = b->nchoices[q];
		}
		rc = budgetq_result(qj, &t->e->questions[q], c, k, n);
	}
	free(c);
	free(k);
	return rc;
}

char *
tally_result(struct tally *t)
{
	const struct election *e = t->e;
	uint64_t *totals = NULL, *first = NULL;
	json_t *root = NULL, *qs = NULL;
	size_t q, i, counted = 0, off[ELECTION_MAX_QUESTIONS + 1], *live = NULL;
	char *s = NULL;

	off[0] = 0;
	for (q = 0; q < e->nquestions; q++)
		off[q + 1] = off[q] + e->questions[q].noptions;
	totals = calloc(off[e->nquestions] + 1, sizeof(*totals));
	first = calloc(off[e->nquestions] + 1, sizeof(*first));
	live = malloc((t->n + 1) * sizeof(*live));
	if (totals == NULL || first == NULL || live == NULL)
		goto out;
	tally_sort(t);
	for (i = 0; i < t->n; i++) {
		const struct tally_ballot *b = &t->b[i];
		size_t used = 0;

		if (!tally_counts(t, i))
			continue;
		live[counted++] = i;
		for (q = 0; q < e->nquestions; q++) {
			rule_count(&e->questions[q].rule, b->all + used,
			        b->nchoices[q], totals + off[q],
			        first + off[q]);
			used += b->nchoices[q];
		}
	}
	root = json_object();
	qs = json_array();
	if (root == NULL || qs == NULL)
		goto out;
	for (q = 0; q < e->nquestions; q++) {
		json_t *qj = question_json(
		        &e->questions[q], totals + off[q], first + off[q]);

		if (json_array_append_new(qs, qj) != 0 ||
		        (e->questions[q].costs != NULL &&
		                budget_result(t, q, live, counted, qj) != 0))
			goto out;
	}
	if (put(root, "ballots", json_integer((json_int_t)counted)) != 0 ||
	        put(root, "cast", json_integer((json_int_t)t->n)) != 0)
		goto out;
	if (put(root, "questions", qs) != 0) {
		qs = NULL;
		goto out;
	}
	qs = NULL;
	s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
out:
	json_decref(qs);
	json_decref(root);
	free(totals);
	free(first);
	free(live);
	return s;
}

int
tally_each(struct tally *t, int (*fn)(void *arg, const struct ballot *b),
        void *arg)
{
	size_t i, q;
	int rc;

	tally_sort(t);
	for (i = 0; i < t->n; i++) {
		const struct tally_ballot *tb = &t->b[i];
		struct ballot b;
		size_t used = 0;

		if (!tally_counts(t, i))
			continue;
		memset(&b, 0, sizeof(b));
		memcpy(b.fingerprint, t->e->fingerprint, ELECTION_HASH_BYTES);
		memcpy(b.key, tb->key, ELECTION_KEY_BYTES);
		b.seq = tb->seq;
		b.nquestions = t->e->nquestions;
		for (q = 0; q < b.nquestions; q++) {
			b.choices[q] = tb->all + used;
			b.nchoices[q] = tb->nchoices[q];
			used += tb->nchoices[q];
		}
		if ((rc = fn(arg, &b)) != 0)
			return rc;
	}
	return 0;
}

void
tally_free(struct tally *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->b[i].all);
	free(t->b);
	free(t);
}
