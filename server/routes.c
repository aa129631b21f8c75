/*
 * routes.c - the route table (api-spec order) and dispatch
 */
#include <sodium.h>
#include <string.h>

#include "handlers.h"
#include "req.h"
#include "router.h"

/* clang-format off */
static const struct route routes[] = {
	/* method          pattern                                              handler                          who             body */
	{ {HTTP_GET,    "/healthz"},                                         h_health_get,                    ANYONE,         NULL },
	{ {HTTP_GET,    "/readyz"},                                          h_ready_get,                     ANYONE,         NULL },
	{ {HTTP_GET,    "/metrics"},                                         h_metrics_get,                   ANYONE,         NULL },
	{ {HTTP_GET,    "/v1/openapi.yaml"},                                 h_openapi_get,                   ANYONE,         NULL },
	{ {HTTP_POST,   "/v1/accounts"},                                     h_account_register,              ANYONE,         &account_register_body },
	{ {HTTP_POST,   "/v1/accounts/confirm"},                             h_account_confirm,               ANYONE,         &account_confirm_body },
	{ {HTTP_POST,   "/v1/password-resets"},                              h_password_reset_request,        ANYONE,         &password_reset_request_body },
	{ {HTTP_POST,   "/v1/password-resets/confirm"},                      h_password_reset,                ANYONE,         &password_reset_body },
	{ {HTTP_POST,   "/v1/sessions"},                                     h_session_create,                ANYONE,         &session_create_body },
	{ {HTTP_DELETE, "/v1/sessions"},                                     h_session_delete_all,            SIGNED_IN,      NULL },
	{ {HTTP_DELETE, "/v1/sessions/current"},                             h_session_delete,                SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/me"},                                           h_me_get,                        SIGNED_IN,      NULL },
	{ {HTTP_PATCH,  "/v1/me"},                                           h_me_update,                     SIGNED_IN,      &me_update_body },
	{ {HTTP_DELETE, "/v1/me"},                                           h_me_delete,                     SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/me/export"},                                    h_me_export,                     SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/collectivities"},                               h_collectivity_list,             ANYONE,         NULL },
	{ {HTTP_POST,   "/v1/collectivities"},                               h_collectivity_create,           PLATFORM_ADMIN, &collectivity_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}"},                         h_collectivity_get,              ANYONE,         NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}"},                         h_collectivity_update,           PLATFORM_ADMIN, &collectivity_update_body },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/verification"},            h_verification_settings_update,  COLL_ADMIN,     &verification_settings_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/members"},                 h_member_list,                   COLL_MODERATOR, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/members"},                 h_member_join,                   SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/members/{aid}/verify"},    h_member_verify,                 COLL_MODERATOR, &member_verify_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/verification/code"},       h_verify_code,                   SIGNED_IN,      &verify_code_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/verification/roll"},       h_verify_roll,                   SIGNED_IN,      &verify_roll_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/verification/manual"},     h_verify_manual,                 SIGNED_IN,      &verify_manual_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/verification-codes"},      h_codes_create,                  COLL_ADMIN,     &codes_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/roll/key"},                h_roll_key_get,                  COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/roll"},                    h_roll_upload,                   COLL_ADMIN,     &roll_upload_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/roles"},                   h_role_list,                     COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/roles"},                   h_role_grant,                    COLL_ADMIN,     &role_grant_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/roles/{aid}/{role}"},      h_role_revoke,                   COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/audit"},                   h_audit_list,                    COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/areas"},                   h_area_list,                     ANYONE,         NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/areas"},                   h_area_create,                   COLL_ADMIN,     &area_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes"},               h_process_list,                  ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes"},               h_process_create,                COLL_ADMIN,     &process_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes/{pid}"},         h_process_get,                   ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/processes/{pid}"},         h_process_update,                COLL_ADMIN,     &process_update_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/phases/{phase}/close"}, h_phase_close,       COLL_ADMIN,     &reason_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/consultations"}, h_consultation_create,     COLL_ADMIN,     &consultation_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/consultations/{qid}"},     h_consultation_get,              ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/consultations/{qid}"},     h_consultation_update,           COLL_ADMIN,     &consultation_update_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/consultations/{qid}/response"}, h_response_get,             SIGNED_IN,      NULL },
	{ {HTTP_PUT,    "/v1/collectivities/{cid}/consultations/{qid}/response"}, h_response_put,             SIGNED_IN,      &response_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/consultations/{qid}/results"}, h_results_get,               ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/consultations/{qid}/results/publish"}, h_results_publish,   COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/consultations/{qid}/export"}, h_responses_export,           COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/consultations/{qid}/responses/{rid}/texts/{question}/hidden"}, h_text_hide, COLL_MODERATOR, &reason_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/consultations/{qid}/responses/{rid}/texts/{question}/hidden"}, h_text_restore, COLL_MODERATOR, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes/{pid}/proposals"}, h_proposal_list,           ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/proposals"}, h_proposal_create,         SIGNED_IN,      &proposal_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes/{pid}/comments"}, h_comment_list,             ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/comments"}, h_comment_create,           SIGNED_IN,      &comment_create_body },
	{ {HTTP_PUT,    "/v1/collectivities/{cid}/processes/{pid}/follow"},  h_follow,                    SIGNED_IN,      NULL },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/processes/{pid}/follow"},  h_unfollow,                  SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/proposals/{id}"},          h_proposal_get,              ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/proposals/{id}"},          h_proposal_update,           SIGNED_IN,      &proposal_update_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/proposals/{id}/withdraw"}, h_proposal_withdraw,         SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/proposals/{id}/answer"},   h_proposal_answer,           COLL_MODERATOR, &proposal_answer_body },
	{ {HTTP_PUT,    "/v1/collectivities/{cid}/proposals/{id}/support"},  h_support_add,               SIGNED_IN,      NULL },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/proposals/{id}/support"},  h_support_remove,            SIGNED_IN,      NULL },
	{ {HTTP_PUT,    "/v1/collectivities/{cid}/proposals/{id}/follow"},   h_follow,                    SIGNED_IN,      NULL },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/proposals/{id}/follow"},   h_unfollow,                  SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/proposals/{id}/comments"}, h_comment_list,              ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/proposals/{id}/comments"}, h_comment_create,            SIGNED_IN,      &comment_create_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/proposals/{id}/hidden"},   h_proposal_hide,             COLL_MODERATOR, &reason_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/proposals/{id}/hidden"},   h_proposal_restore,          COLL_MODERATOR, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/comments/{id}"},           h_comment_update,            SIGNED_IN,      &comment_update_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/comments/{id}"},           h_comment_delete,            SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/comments/{id}/vote"},      h_comment_vote,              SIGNED_IN,      &comment_vote_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/comments/{id}/vote"},      h_comment_unvote,            SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/comments/{id}/hidden"},    h_comment_hide,              COLL_MODERATOR, &reason_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/comments/{id}/hidden"},    h_comment_restore,           COLL_MODERATOR, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/reports"},                 h_report_create,             SIGNED_IN,      &report_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/moderation/queue"},        h_moderation_queue,          COLL_MODERATOR, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/moderation"},              h_moderation_settings_update, COLL_ADMIN,    &moderation_settings_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/blocks"},                  h_block_list,                COLL_MODERATOR, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/blocks"},                  h_block_create,              COLL_MODERATOR, &block_create_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/blocks/{aid}"},            h_block_delete,              COLL_MODERATOR, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes/{pid}/elections"}, h_election_list,         ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/elections"}, h_election_create,       COLL_ADMIN,     &election_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}"},         h_election_get,              ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/elections/{eid}"},         h_election_update,           COLL_ADMIN,     &election_update_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/elections/{eid}/open"},    h_election_open,             COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/elections/{eid}/close"},   h_election_close,            COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/credentials"}, h_credentials_list,      ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/elections/{eid}/credentials"}, h_credentials_add,       COLL_ADMIN,     &credentials_add_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/elections/{eid}/credentials"}, h_credentials_clear,     COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/elections/{eid}/keys"},    h_key_register,              SIGNED_IN,      &key_register_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/keys/me"}, h_key_mine,                  SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/elections/{eid}/ballots"}, h_ballot_cast,               ANYONE,         &ballot_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/log"},     h_election_log,              ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/tree-heads"}, h_election_heads,         ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/tree-heads/latest"}, h_election_head_latest, ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/proofs/inclusion"}, h_proof_inclusion,  ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/proofs/consistency"}, h_proof_consistency, ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/result"},  h_election_result,           ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/elections/{eid}/export"},  h_election_export,           ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/processes/{pid}/budget"},  h_budget_of_process,         ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/processes/{pid}/budget"},  h_budget_create,             COLL_ADMIN,     &budget_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}"},           h_budget_get,                ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/budgets/{bid}"},           h_budget_update,             COLL_ADMIN,     &budget_update_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/budgets/{bid}/districts"}, h_district_create,           COLL_ADMIN,     &district_create_body },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/budgets/{bid}/districts/{did}"}, h_district_update,     COLL_ADMIN,     &district_update_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/budgets/{bid}/districts/{did}"}, h_district_delete,     COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}/projects"},  h_project_list,              ANYONE_OR_USER, NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/budgets/{bid}/projects"},  h_project_create,            COLL_ADMIN,     &project_create_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}/projects/{prid}"}, h_project_get,         ANYONE_OR_USER, NULL },
	{ {HTTP_PATCH,  "/v1/collectivities/{cid}/budgets/{bid}/projects/{prid}"}, h_project_update,      COLL_ADMIN,     &project_update_body },
	{ {HTTP_DELETE, "/v1/collectivities/{cid}/budgets/{bid}/projects/{prid}"}, h_project_delete,      COLL_ADMIN,     NULL },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/budgets/{bid}/projects/{prid}/review"}, h_project_review, COLL_MODERATOR, &project_review_body },
	{ {HTTP_POST,   "/v1/collectivities/{cid}/budgets/{bid}/vote"},      h_budget_vote,               COLL_ADMIN,     &budget_vote_body },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}/results"},   h_budget_results,            ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}/results/{tracker}"}, h_budget_receipt,    ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/budgets/{bid}/pabulib"},   h_budget_pabulib,            ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/metrics"},                 h_metrics_collectivity,      COLL_ADMIN,     NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/metrics/public"},          h_metrics_public,            ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/metrics"},                                      h_metrics_national,          SIGNED_IN,      NULL },
	{ {HTTP_GET,    "/v1/collectivities/{cid}/opendata/{dataset}"},      h_opendata,                  ANYONE_OR_USER, NULL },
	{ {HTTP_GET,    "/v1/me/notifications"},                             h_notification_list,         SIGNED_IN,      NULL },
	{ {HTTP_POST,   "/v1/me/notifications/read"},                        h_notification_read,         SIGNED_IN,      &notifications_read_body },
};
/* clang-format on */

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

size_t
router_count(void)
{
	return NROUTES;
}

const char *
router_pattern(int i)
{
	return i >= 0 && (size_t)i < NROUTES ? routes[i].key.pattern : "-";
}

unsigned
router_method(int i)
{
	return i >= 0 && (size_t)i < NROUTES ? routes[i].key.method : 0;
}

/* Content-Type must be application/json, optionally with charset=utf-8. */
static int
is_json_type(const char *v)
{
	size_t n = strlen("application/json");

	if (v == NULL || strncasecmp(v, "application/json", n) != 0)
		return 0;
	v += n;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\0')
		return 1;
	if (*v++ != ';')
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	return strcasecmp(v, "charset=utf-8") == 0 ||
	       strcasecmp(v, "charset=\"utf-8\"") == 0;
}

static int
check_body(struct req *r, const struct jsonv_spec *spec)
{
	const char *ct = req_header(r, "content-type");

	if (!is_json_type(ct)) {
		req_fail(r, ERR_MEDIA_TYPE,
		        "request body must be sent as application/json");
		return 0;
	}
	if (r->body_len == 0) {
		req_fail(r, ERR_BAD_REQUEST, "request body is required");
		return 0;
	}
	if (jsonv_parse(r->body, r->body_len, &r->json, &r->problem) !=
	        ERR_OK) {
		req_reply_problem(r);
		return 0;
	}
	arena_defer(r->arena, (arena_cleanup_fn)json_decref, r->json);
	if (jsonv_check(r->json, spec, &r->problem) != ERR_OK) {
		req_reply_problem(r);
		return 0;
	}
	return 1;
}

/* A bearer token: 32 random bytes in unpadded base64url = 43 chars. */
static int
check_bearer(struct req *r)
{
	const char *v = req_header(r, "authorization");
	size_t i;

	if (v == NULL) {
		req_fail(r, ERR_UNAUTHORIZED,
		        "this request needs an authorization header with a "
		        "bearer token");
		return 0;
	}
	if (strncasecmp(v, "bearer ", 7) != 0) {
		req_fail(r, ERR_UNAUTHORIZED,
		        "authorization must use the bearer scheme");
		return 0;
	}
	v += 7;
	for (i = 0; v[i] != '\0'; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		            (v[i] >= 'A' && v[i] <= 'Z') ||
		            (v[i] >= '0' && v[i] <= '9') || v[i] == '-' ||
		            v[i] == '_'))
			break;
	if (v[i] != '\0' || i != 43) {
		req_fail(r, ERR_UNAUTHORIZED, "malformed bearer token");
		return 0;
	}
	r->bearer = v;
	return 1;
}

void
router_dispatch(struct req *r)
{
	const struct route *rt;
	unsigned allowed;
	int i;

	if (r->method == 0) {
		req_fail(r, ERR_NOT_IMPLEMENTED,
		        "method \"%.*s\" is not implemented",
		        (int)(r->head.method_len > 20 ? 20
		                                      : r->head.method_len),
		        r->head.method_str);
		return;
	}
	i = route_lookup(routes, NROUTES, sizeof(routes[0]), r->path, r->method,
	        r->arena, &r->params, &allowed);
	if (i == -2) {
		req_fail(r, ERR_BAD_REQUEST, "malformed request path");
		return;
	}
	if (i < 0) {
		char allow[96];

		if (allowed == 0) {
			req_fail(r, ERR_NOT_FOUND, "no resource at this path");
			return;
		}
		route_allow_header(allowed, allow, sizeof(allow));
		req_add_header(r, "Allow", allow);
		if (r->method == HTTP_OPTIONS) {
			req_reply(r, 204, NULL, NULL, 0);
			return;
		}
		req_fail(r, ERR_METHOD,
		        "method %s is not allowed here; allowed: %s",
		        route_method_name(r->method), allow);
		return;
	}
	rt = &routes[i];
	r->route = rt;
	r->route_index = i;
	if (rt->body != NULL && !check_body(r, rt->body))
		return;
	if (rt->who == ANYONE_OR_USER && req_header(r, "authorization") == NULL)
		; /* anonymous */
	else if (rt->who != ANYONE && !check_bearer(r))
		return;
	rt->handler(r);
}
