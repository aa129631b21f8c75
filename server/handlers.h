/*
 * handlers.h - every request handler, h_<resource>_<verb>()
 */
#ifndef PARTICIPE_HANDLERS_H
#define PARTICIPE_HANDLERS_H

#include "jsonv.h"

struct req;

/* GET /healthz: the process is alive (no database involved). */
void h_health_get(struct req *r);

/* GET /readyz: 200 only when the database answers. */
void h_ready_get(struct req *r);

/* GET /metrics: Prometheus text exposition. */
void h_metrics_get(struct req *r);

/* GET /v1/openapi.yaml: this server's API contract. */
void h_openapi_get(struct req *r);

/* POST /v1/accounts: register (202 whether or not the address exists). */
void h_account_register(struct req *r);

/* POST /v1/accounts/confirm: use an e-mail confirmation token. */
void h_account_confirm(struct req *r);

/* POST /v1/password-resets: mail a reset link (202 in every case). */
void h_password_reset_request(struct req *r);

/* POST /v1/password-resets/confirm: set a new password with the token. */
void h_password_reset(struct req *r);

/* POST /v1/sessions: log in; 201 with a bearer token. */
void h_session_create(struct req *r);

/* DELETE /v1/sessions/current: log out this session. */
void h_session_delete(struct req *r);

/* DELETE /v1/sessions: log out everywhere. */
void h_session_delete_all(struct req *r);

/* GET /v1/me: the caller's account and memberships. */
void h_me_get(struct req *r);

/* PATCH /v1/me: display name, birth date. */
void h_me_update(struct req *r);

/* GET /v1/me/export: every personal datum held about the caller. */
void h_me_export(struct req *r);

/* DELETE /v1/me: erasure. */
void h_me_delete(struct req *r);

/* GET /v1/collectivities: public list, keyset-paginated. */
void h_collectivity_list(struct req *r);

/* GET /v1/collectivities/{cid}: public fields of one collectivity. */
void h_collectivity_get(struct req *r);

/* POST /v1/collectivities: platform admins create a collectivity. */
void h_collectivity_create(struct req *r);

/* PATCH /v1/collectivities/{cid}: platform admins edit. */
void h_collectivity_update(struct req *r);

/* PATCH /v1/collectivities/{cid}/verification: methods, minimum age. */
void h_verification_settings_update(struct req *r);

/* GET /v1/collectivities/{cid}/members: moderators list members. */
void h_member_list(struct req *r);

/* POST /v1/collectivities/{cid}/members: the caller joins. */
void h_member_join(struct req *r);

/* POST /v1/collectivities/{cid}/members/{aid}/verify: manual approval. */
void h_member_verify(struct req *r);

/* POST /v1/collectivities/{cid}/verification/code: redeem a code. */
void h_verify_code(struct req *r);

/* POST /v1/collectivities/{cid}/verification/roll: match the roll. */
void h_verify_roll(struct req *r);

/* POST /v1/collectivities/{cid}/verification/manual: ask a moderator. */
void h_verify_manual(struct req *r);

/* POST /v1/collectivities/{cid}/verification-codes: admins make codes. */
void h_codes_create(struct req *r);

/* GET /v1/collectivities/{cid}/roll/key: the key to hash the roll with. */
void h_roll_key_get(struct req *r);

/* POST /v1/collectivities/{cid}/roll: upload hashed roll entries. */
void h_roll_upload(struct req *r);

/* GET /v1/collectivities/{cid}/roles: moderator and admin grants. */
void h_role_list(struct req *r);

/* POST /v1/collectivities/{cid}/roles: grant a role to a member. */
void h_role_grant(struct req *r);

/* DELETE /v1/collectivities/{cid}/roles/{aid}/{role}: revoke. */
void h_role_revoke(struct req *r);

/* GET /v1/collectivities/{cid}/audit: the append-only audit log. */
void h_audit_list(struct req *r);

/* GET /v1/collectivities/{cid}/areas: the districts (public). */
void h_area_list(struct req *r);

/* POST /v1/collectivities/{cid}/areas: admins add one. */
void h_area_create(struct req *r);

/* GET /v1/collectivities/{cid}/processes: published (drafts for staff). */
void h_process_list(struct req *r);

/* POST /v1/collectivities/{cid}/processes: admins create one. */
void h_process_create(struct req *r);

/* GET /v1/collectivities/{cid}/processes/{pid} */
void h_process_get(struct req *r);

/* PATCH /v1/collectivities/{cid}/processes/{pid}: edit, publish. */
void h_process_update(struct req *r);

/* POST .../processes/{pid}/phases/{phase}/close: end a phase early. */
void h_phase_close(struct req *r);

/* POST .../processes/{pid}/consultations: admins add a consultation. */
void h_consultation_create(struct req *r);

/* GET /v1/collectivities/{cid}/consultations/{qid} */
void h_consultation_get(struct req *r);

/* PATCH /v1/collectivities/{cid}/consultations/{qid} */
void h_consultation_update(struct req *r);

/* GET .../consultations/{qid}/response: the caller's own response. */
void h_response_get(struct req *r);

/* PUT .../consultations/{qid}/response: answer, or change the answer. */
void h_response_put(struct req *r);

/* GET .../consultations/{qid}/results: staff always, all once published. */
void h_results_get(struct req *r);

/* POST .../consultations/{qid}/results/publish */
void h_results_publish(struct req *r);

/* GET .../consultations/{qid}/export?format=csv|json: admins. */
void h_responses_export(struct req *r);

/* POST .../responses/{rid}/texts/{question}/hidden: hide a free text. */
void h_text_hide(struct req *r);

/* DELETE .../responses/{rid}/texts/{question}/hidden: restore it. */
void h_text_restore(struct req *r);

/* Proposals, supports, comments, moderation, follows, notifications
 * (server/h_proposals.c; each route is documented in api-spec). */
void h_proposal_list(struct req *r);
void h_proposal_create(struct req *r);
void h_proposal_get(struct req *r);
void h_proposal_update(struct req *r);
void h_proposal_withdraw(struct req *r);
void h_proposal_answer(struct req *r);
void h_support_add(struct req *r);
void h_support_remove(struct req *r);
void h_comment_list(struct req *r);
void h_comment_create(struct req *r);
void h_comment_update(struct req *r);
void h_comment_delete(struct req *r);
void h_comment_vote(struct req *r);
void h_comment_unvote(struct req *r);
void h_report_create(struct req *r);
void h_moderation_queue(struct req *r);
void h_proposal_hide(struct req *r);
void h_proposal_restore(struct req *r);
void h_comment_hide(struct req *r);
void h_comment_restore(struct req *r);
void h_block_list(struct req *r);
void h_block_create(struct req *r);
void h_block_delete(struct req *r);
void h_moderation_settings_update(struct req *r);
void h_follow(struct req *r);
void h_unfollow(struct req *r);
void h_notification_list(struct req *r);
void h_notification_read(struct req *r);

/* Declared bodies, next to their handlers. */
extern const struct jsonv_spec account_register_body;
extern const struct jsonv_spec account_confirm_body;
extern const struct jsonv_spec password_reset_request_body;
extern const struct jsonv_spec password_reset_body;
extern const struct jsonv_spec session_create_body;
/* GET/POST /v1/collectivities/{cid}/processes/{pid}/elections */
void h_election_list(struct req *r);
void h_election_create(struct req *r);

/* GET/PATCH /v1/collectivities/{cid}/elections/{eid} (PATCH: drafts) */
void h_election_get(struct req *r);
void h_election_update(struct req *r);

/* POST .../elections/{eid}/open: fix the descriptor, start the log. */
void h_election_open(struct req *r);

/* POST .../elections/{eid}/close: close now, count, answer the result. */
void h_election_close(struct req *r);

/* GET/POST/DELETE .../elections/{eid}/credentials: the public key list. */
void h_credentials_list(struct req *r);
void h_credentials_add(struct req *r);
void h_credentials_clear(struct req *r);

/* POST .../elections/{eid}/keys, GET .../keys/me: registered keys. */
void h_key_register(struct req *r);
void h_key_mine(struct req *r);

/* POST .../elections/{eid}/ballots: cast a signed ballot (vote.c). */
void h_ballot_cast(struct req *r);

/* GET .../elections/{eid}/log, tree-heads, tree-heads/latest */
void h_election_log(struct req *r);
void h_election_heads(struct req *r);
void h_election_head_latest(struct req *r);

/* GET .../elections/{eid}/proofs/inclusion and proofs/consistency */
void h_proof_inclusion(struct req *r);
void h_proof_consistency(struct req *r);

/* GET .../elections/{eid}/result and export */
void h_election_result(struct req *r);
void h_election_export(struct req *r);

/* GET/POST /v1/collectivities/{cid}/processes/{pid}/budget (h_budgets.c) */
void h_budget_of_process(struct req *r);
void h_budget_create(struct req *r);

/* GET/PATCH /v1/collectivities/{cid}/budgets/{bid} */
void h_budget_get(struct req *r);
void h_budget_update(struct req *r);

/* POST .../budgets/{bid}/districts, PATCH/DELETE .../districts/{did} */
void h_district_create(struct req *r);
void h_district_update(struct req *r);
void h_district_delete(struct req *r);

/* GET/POST .../budgets/{bid}/projects, GET/PATCH/DELETE .../{prid} */
void h_project_list(struct req *r);
void h_project_create(struct req *r);
void h_project_get(struct req *r);
void h_project_update(struct req *r);
void h_project_delete(struct req *r);

/* POST .../projects/{prid}/review: feasibility, by staff. */
void h_project_review(struct req *r);

/* POST .../budgets/{bid}/vote: create or refresh the budget's vote. */
void h_budget_vote(struct req *r);

/* GET .../budgets/{bid}/results and results/{tracker} (one voter's). */
void h_budget_results(struct req *r);
void h_budget_receipt(struct req *r);

/* GET .../budgets/{bid}/pabulib?question=: the counted votes as .pb. */
void h_budget_pabulib(struct req *r);

/* GET /v1/collectivities/{cid}/metrics: the admins' figures (h_metrics.c). */
void h_metrics_collectivity(struct req *r);

/* GET .../metrics/public: anyone; GET /v1/metrics: ANCT's roll-ups. */
void h_metrics_public(struct req *r);
void h_metrics_national(struct req *r);

/* GET /v1/collectivities/{cid}/opendata/{dataset}?format=csv|json */
void h_opendata(struct req *r);

extern const struct jsonv_spec me_update_body;
extern const struct jsonv_spec budget_create_body;
extern const struct jsonv_spec budget_update_body;
extern const struct jsonv_spec district_create_body;
extern const struct jsonv_spec district_update_body;
extern const struct jsonv_spec project_create_body;
extern const struct jsonv_spec project_update_body;
extern const struct jsonv_spec project_review_body;
extern const struct jsonv_spec budget_vote_body;
extern const struct jsonv_spec collectivity_create_body;
extern const struct jsonv_spec collectivity_update_body;
extern const struct jsonv_spec verification_settings_body;
extern const struct jsonv_spec member_verify_body;
extern const struct jsonv_spec verify_code_body;
extern const struct jsonv_spec verify_roll_body;
extern const struct jsonv_spec verify_manual_body;
extern const struct jsonv_spec codes_create_body;
extern const struct jsonv_spec roll_upload_body;
extern const struct jsonv_spec role_grant_body;
extern const struct jsonv_spec area_create_body;
extern const struct jsonv_spec process_create_body;
extern const struct jsonv_spec process_update_body;
extern const struct jsonv_spec reason_body;
extern const struct jsonv_spec consultation_create_body;
extern const struct jsonv_spec consultation_update_body;
extern const struct jsonv_spec response_body;
extern const struct jsonv_spec proposal_create_body;
extern const struct jsonv_spec proposal_update_body;
extern const struct jsonv_spec proposal_answer_body;
extern const struct jsonv_spec comment_create_body;
extern const struct jsonv_spec comment_update_body;
extern const struct jsonv_spec comment_vote_body;
extern const struct jsonv_spec report_create_body;
extern const struct jsonv_spec block_create_body;
extern const struct jsonv_spec moderation_settings_body;
extern const struct jsonv_spec notifications_read_body;
extern const struct jsonv_spec election_create_body;
extern const struct jsonv_spec election_update_body;
extern const struct jsonv_spec credentials_add_body;
extern const struct jsonv_spec key_register_body;
extern const struct jsonv_spec ballot_body;

#endif
