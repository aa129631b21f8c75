/*
 * h_proposals.c - proposals, supports, comments, moderation, follows and
 * notifications (docs/proposals.md)
 *
 * Every rule is in SQL (sql/functions/60_proposals.sql, 70_comments.sql);
 * these handlers check bodies and query strings and make one call.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"

static const struct jsonv_field proposal_create_fields[] = {
        {"title", JV_STRING, 1, 0, 1, 200},
        {"body", JV_STRING, 1, 0, 1, 20000},
        {"category", JV_STRING, 0, 1, 1, 63},
        {"area", JV_STRING, 0, 1, 1, 63},
        {"latitude", JV_NUMBER, 0, 1, 0, 0},
        {"longitude", JV_NUMBER, 0, 1, 0, 0},
        {"estimated_cost", JV_INTEGER, 0, 1, 0, 100000000000},
        {"attachments", JV_ARRAY, 0, 0, 0, 10},
        {"status", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec proposal_create_body = {proposal_create_fields,
        sizeof(proposal_create_fields) / sizeof(proposal_create_fields[0])};

static const struct jsonv_field proposal_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"body", JV_STRING, 0, 0, 1, 20000},
        {"category", JV_STRING, 0, 1, 1, 63},
        {"area", JV_STRING, 0, 1, 1, 63},
        {"latitude", JV_NUMBER, 0, 1, 0, 0},
        {"longitude", JV_NUMBER, 0, 1, 0, 0},
        {"estimated_cost", JV_INTEGER, 0, 1, 0, 100000000000},
        {"attachments", JV_ARRAY, 0, 0, 0, 10},
        {"status", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec proposal_update_body = {proposal_update_fields,
        sizeof(proposal_update_fields) / sizeof(proposal_update_fields[0])};

static const struct jsonv_field answer_fields[] = {
        {"state", JV_STRING, 1, 0, 1, 20},
        {"answer", JV_STRING, 0, 0, 1, 20000},
        {"cost", JV_INTEGER, 0, 0, 0, 100000000000},
};
const struct jsonv_spec proposal_answer_body = {
        answer_fields, sizeof(answer_fields) / sizeof(answer_fields[0])};

static const struct jsonv_field comment_create_fields[] = {
        {"body", JV_STRING, 1, 0, 1, 5000},
        {"stance", JV_STRING, 0, 0, 1, 10},
        {"parent_id", JV_STRING, 0, 1, 1, 64},
};
const struct jsonv_spec comment_create_body = {comment_create_fields,
        sizeof(comment_create_fields) / sizeof(comment_create_fields[0])};

static const struct jsonv_field comment_update_fields[] = {
        {"body", JV_STRING, 1, 0, 1, 5000},
};
const struct jsonv_spec comment_update_body = {comment_update_fields,
        sizeof(comment_update_fields) / sizeof(comment_update_fields[0])};

static const struct jsonv_field vote_fields[] = {
        {"value", JV_INTEGER, 1, 0, -1, 1},
};
const struct jsonv_spec comment_vote_body = {
        vote_fields, sizeof(vote_fields) / sizeof(vote_fields[0])};

static const struct jsonv_field report_fields[] = {
        {"target_type", JV_STRING, 1, 0, 1, 20},
        {"target_id", JV_STRING, 1, 0, 1, 64},
        {"reason", JV_STRING, 1, 0, 1, 20},
        {"note", JV_STRING, 0, 1, 0, 1000},
};
const struct jsonv_spec report_create_body = {
        report_fields, sizeof(report_fields) / sizeof(report_fields[0])};

static const struct jsonv_field block_fields[] = {
        {"account_id", JV_STRING, 1, 0, 1, 64},
        {"reason", JV_STRING, 1, 0, 1, 1000},
};
const struct jsonv_spec block_create_body = {
        block_fields, sizeof(block_fields) / sizeof(block_fields[0])};

static const struct jsonv_field moderation_fields[] = {
        {"report_threshold", JV_INTEGER, 1, 0, 1, 1000},
};
const struct jsonv_spec moderation_settings_body = {moderation_fields,
        sizeof(moderation_fields) / sizeof(moderation_fields[0])};

static const struct jsonv_field read_fields[] = {
        {"ids", JV_ARRAY, 0, 0, 1, 500},
        {"all", JV_BOOLEAN, 0, 0, 0, 0},
};
const struct jsonv_spec notifications_read_body = {
        read_fields, sizeof(read_fields) / sizeof(read_fields[0])};

/* The query parameters of a proposal list as a JSON object for SQL, and
 * the same again for the next link. */
static const char *
list_filters(struct req *r, char **keep)
{
	static const char *names[] = {
	        "state", "category", "area", "author", "q", "sort", "seed"};
	json_t *f = json_object();
	char *text;
	size_t i;
	int bad;

	*keep = arena_strdup(r->arena, "");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = req_query(r, names[i], &bad);

		if (bad) {
			json_decref(f);
			req_fail(r, ERR_BAD_REQUEST, "malformed query string");
			return NULL;
		}
		if (v == NULL)
			continue;
		if (strlen(v) > 200) {
			json_decref(f);
			problem_add_field(&r->problem, names[i],
			        "must be at most 200 characters");
			req_fail(r, ERR_INVALID,
			        "invalid query parameter \"%s\"", names[i]);
			return NULL;
		}
		json_object_set_new(f, names[i], json_string(v));
		{
			char enc[640];

			reply_pct_encode(v, enc, sizeof(enc));
			*keep = arena_printf(
			        r->arena, "%s%s=%s&", *keep, names[i], enc);
		}
	}
	text = json_dumps(f, JSON_COMPACT);
	json_decref(f);
	arena_defer(r->arena, free, text);
	return text;
}

void
h_proposal_list(struct req *r)
{
	const char **p = call_params(r, 4);
	const char *state, *sort, *filters;
	char *keep;

	if (!query_word(r, "state",
	            "draft, published, evaluating, accepted, rejected, "
	            "withdrawn",
	            &state) ||
	        !query_word(
	                r, "sort", "recent, supports, comments, random", &sort))
		return;
	/* Not p[3] = list_filters(): on failure it has answered, and the
	   reply freed the arena p lives in. */
	if ((filters = list_filters(r, &keep)) == NULL)
		return;
	p[3] = filters;
	p[2] = req_param(r, "pid");
	if (!page_params(r, &p[4], &p[5], keep))
		return;
	db_call(r, Q_PROPOSAL_LIST, reply_page, p);
}

void
h_proposal_create(struct req *r)
{
	reply_call(r, Q_PROPOSAL_CREATE, reply_201, "token", ":cid", ":pid",
	        "body");
}

void
h_proposal_get(struct req *r)
{
	reply_call(r, Q_PROPOSAL_GET, reply_200, "token", ":cid", ":id");
}

void
h_proposal_update(struct req *r)
{
	reply_call(r, Q_PROPOSAL_UPDATE, reply_200, "token", ":cid", ":id",
	        "body");
}

void
h_proposal_withdraw(struct req *r)
{
	reply_call(r, Q_PROPOSAL_WITHDRAW, reply_200, "token", ":cid", ":id");
}

void
h_proposal_answer(struct req *r)
{
	reply_call(r, Q_PROPOSAL_ANSWER, reply_200, "token", ":cid", ":id",
	        "body");
}

void
h_support_add(struct req *r)
{
	reply_call(
	        r, Q_SUPPORT_ADD, reply_created_or_200, "token", ":cid", ":id");
}

void
h_support_remove(struct req *r)
{
	reply_call(r, Q_SUPPORT_REMOVE, reply_204, "token", ":cid", ":id");
}

/* Comments of a proposal ("id") or of a process ("pid"). */
static void
comments(struct req *r, int create)
{
	const char *id = req_param(r, "id");
	const char **p = call_params(r, 4);

	p[2] = id != NULL ? "proposal" : "process";
	p[3] = id != NULL ? id : req_param(r, "pid");
	if (create) {
		const char *stance =
		        json_string_value(json_object_get(r->json, "stance"));

		if (stance != NULL && strcmp(stance, "for") != 0 &&
		        strcmp(stance, "against") != 0 &&
		        strcmp(stance, "neutral") != 0) {
			problem_add_field(&r->problem, "stance",
			        "must be for, against or neutral");
			req_fail(r, ERR_INVALID,
			        "request body has invalid fields");
			return;
		}
		p[4] = r->body;
		db_call(r, Q_COMMENT_CREATE, reply_201, p);
		return;
	}
	if (!page_params(r, &p[4], &p[5], ""))
		return;
	db_call(r, Q_COMMENT_LIST, reply_page, p);
}

void
h_comment_list(struct req *r)
{
	comments(r, 0);
}

void
h_comment_create(struct req *r)
{
	comments(r, 1);
}

void
h_comment_update(struct req *r)
{
	reply_call(
	        r, Q_COMMENT_UPDATE, reply_200, "token", ":cid", ":id", "body");
}

void
h_comment_delete(struct req *r)
{
	reply_call(r, Q_COMMENT_DELETE, reply_204, "token", ":cid", ":id");
}

void
h_comment_vote(struct req *r)
{
	const char **p = call_params(r, 2);
	json_int_t v = json_integer_value(json_object_get(r->json, "value"));

	if (v == 0) {
		problem_add_field(&r->problem, "value", "must be 1 or -1");
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return;
	}
	p[2] = req_param(r, "id");
	p[3] = v > 0 ? "1" : "-1";
	db_call(r, Q_COMMENT_VOTE, reply_201, p);
}

void
h_comment_unvote(struct req *r)
{
	reply_call(r, Q_COMMENT_UNVOTE, reply_204, "token", ":cid", ":id");
}

void
h_report_create(struct req *r)
{
	reply_call(r, Q_REPORT_CREATE, reply_201, "token", ":cid", "body");
}

void
h_moderation_queue(struct req *r)
{
	const char **p = call_params(r, 2);

	if (!page_params(r, &p[2], &p[3], ""))
		return;
	db_call(r, Q_MODERATION_QUEUE, reply_page, p);
}

/* Hide (POST, reason required) or restore (DELETE) a proposal or a
 * comment: the route's last-but-one segment tells which. */
static void
hidden(struct req *r, const char *type, const char *hide)
{
	const char **p = call_params(r, 4);

	p[2] = type;
	p[3] = req_param(r, "id");
	p[4] = hide;
	p[5] = r->json != NULL
	               ? json_string_value(json_object_get(r->json, "reason"))
	               : NULL;
	db_call(r, Q_ITEM_HIDE, reply_204, p);
}

void
h_proposal_hide(struct req *r)
{
	hidden(r, "proposal", "true");
}

void
h_proposal_restore(struct req *r)
{
	hidden(r, "proposal", "false");
}

void
h_comment_hide(struct req *r)
{
	hidden(r, "comment", "true");
}

void
h_comment_restore(struct req *r)
{
	hidden(r, "comment", "false");
}

void
h_block_list(struct req *r)
{
	reply_call(r, Q_BLOCK_LIST, reply_200, "token", ":cid");
}

void
h_block_create(struct req *r)
{
	reply_call(r, Q_BLOCK_CREATE, reply_created_or_200, "token", ":cid",
	        "body");
}

void
h_block_delete(struct req *r)
{
	const char **p = call_params(r, 2);
	int bad;

	p[2] = req_param(r, "aid");
	p[3] = req_query(r, "reason", &bad);
	if (bad || (p[3] != NULL && strlen(p[3]) > 1000)) {
		problem_add_field(&r->problem, "reason",
		        "must be at most 1000 characters, percent-encoded");
		req_fail(r, ERR_INVALID, "invalid query parameter \"reason\"");
		return;
	}
	db_call(r, Q_BLOCK_DELETE, reply_204, p);
}

void
h_moderation_settings_update(struct req *r)
{
	reply_call(
	        r, Q_MODERATION_SETTINGS, reply_200, "token", ":cid", "body");
}

static void
follow(struct req *r, const char *follow)
{
	const char *id = req_param(r, "id");
	const char **p = call_params(r, 3);

	p[2] = id != NULL ? "proposal" : "process";
	p[3] = id != NULL ? id : req_param(r, "pid");
	p[4] = follow;
	db_call(r, Q_FOLLOW_SET,
	        strcmp(follow, "true") == 0 ? reply_created_or_200 : reply_204,
	        p);
}

void
h_follow(struct req *r)
{
	follow(r, "true");
}

void
h_unfollow(struct req *r)
{
	follow(r, "false");
}

void
h_notification_list(struct req *r)
{
	const char **p = arena_calloc(r->arena, 4, sizeof(*p));
	const char *unread;

	if (!query_word(r, "unread", "true, false", &unread))
		return;
	p[0] = req_token_hash(r);
	p[1] = unread != NULL ? unread : "false";
	if (!page_params(r, &p[2], &p[3],
	            arena_printf(r->arena, "unread=%s&", p[1])))
		return;
	db_call(r, Q_NOTIFICATION_LIST, reply_page, p);
}

void
h_notification_read(struct req *r)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	p[0] = req_token_hash(r);
	p[1] = r->body;
	db_call(r, Q_NOTIFICATION_READ, reply_200, p);
}
