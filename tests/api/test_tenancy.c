/*
 * test_tenancy.c - the isolation matrix between two collectivities
 *
 * Collectivities A and B each have an admin, a moderator and a verified
 * resident (B also a member waiting for manual approval, an unused
 * verification code, a roll entry, two areas, a draft process with a
 * consultation, and a published process whose consultation is open and
 * has one response with a free text). Every row of the table below is
 * run as each actor of A (resident, moderator, admin) and must answer the
 * status its row gives for that actor:
 *   (a) B's objects through A's path (verify B's member, grant or revoke
 *       B's people's roles, redeem B's code, match B's roll; read, edit,
 *       close, answer, publish, export or hide B's processes,
 *       consultations, responses and texts) are not found (or refused
 *       before any lookup, for an actor without the role); A's lists,
 *       figures and open data never show B's people, secrets, areas or
 *       processes;
 *   (b) B's role-protected routes, to anyone of A, do not exist (404);
 *       ANCT's national figures are refused to them all (403);
 *   (c) B's public routes (areas, published processes and consultations,
 *       public figures, open data) stay readable, B's drafts do not
 *       exist, and B's results and answering stay refused to outsiders.
 * Afterwards B must be exactly as before: its audit log, members and
 * roles, areas, processes, consultations, results and responses (read by
 * B's admin, the responses through the exports), and its public record.
 *
 * New routes with {cid} get rows here: test_matrix_covers_routes lists
 * the server's routes (bin/participe routes) and fails for any {cid}
 * route that has no row and is not in the exempt list with a reason.
 * One line is printed per row and actor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "identity.h"
#include "election.h"
#include "problem.h"
#include "roll.h"
#include "wire.h"

enum actor { RESIDENT, MODERATOR, ADMIN, NACTORS };

static const char *actor_names[NACTORS] = {"resident", "moderator", "admin"};

/* Not run as that actor. */
#define SKIP 0

/*
 * One row: a request and the status each actor of A must get. In path,
 * body and absent, these are replaced:
 *   {A} {B}                     the two collectivities' slugs
 *   {B.admin} {B.mod} {B.res}   B's people's account ids
 *   {B.pending}                 B's member waiting for manual approval
 *   {B.code}                    an unused verification code of B
 *   {B.key}                     B's roll key
 *   {B.area} {B.area2}          B's areas' slugs
 *   {B.pub} {B.draft}           B's published and draft processes
 *   {B.q} {B.dq}                their consultations (B.q is open)
 *   {B.rid}                     the response to B.q (with a text "comment")
 *   {B.proc}                    B's process (its proposals phase current)
 *   {B.prop} {B.comment}        B's proposal (one support) and comment on
 *                               it (one open report)
 *   {B.blocked}                 a participant of B blocked there
 *   {B.vproc}                   B's process with a vote phase
 *   {B.elec} {B.delec}          its open election (authority mode, one
 *                               credential, one ballot) and a draft one
 *   {B.ckey}                    a valid public key (not on any list)
 *   {B.tracker}                 the tracker of B's ballot
 *   {B.ballot}                  a body POSTing a second valid ballot of
 *                               B's voter (B.elec) (never accepted here)
 *   {B.bproc}                   B's process with a vote phase and a budget
 *   {B.budget}                  that budget (no vote created yet)
 *   {B.district} {B.project}    its district and a project there (pending
 *                               review)
 *   {self}                      the acting person's own account id
 * absent: space-separated texts that must not appear in a 2xx body.
 */
struct row {
	const char *method;
	const char *path;
	const char *body; /* JSON, or NULL for none */
	int expect[NACTORS];
	const char *absent;
};

/* B's resident-to-be on B's roll (the entry is uploaded to B only). */
#define B_ROLL_BODY                                                            \
	"{\"family_name\":\"Tenancy\",\"given_name\":\"Bea\","                 \
	"\"birth_date\":\"1970-10-10\",\"postcode\":\"75001\"}"

#define B_PEOPLE "{B.admin} {B.mod} {B.res} {B.pending}"

/* A valid election definition (checked before any lookup). */
#define ELECTION_Q                                                             \
	"[{\"id\":\"q\",\"text\":\"t\",\"options\":[{\"id\":\"a\","             \
	"\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"}],"                          \
	"\"rule\":{\"kind\":\"single\"}}]"

/* A valid consultation body (the definition is checked before any
   lookup). */
#define Q_BODY                                                                 \
	"{\"phase\":\"proposals\",\"title\":\"Cross\",\"questions\":[{"        \
	"\"id\":\"q\",\"type\":\"short_text\",\"title\":\"Q\"}]}"

/* B's secret free-text answer. */
#define B_TEXT "B's resident wrote this"

/* clang-format off */
static const struct row rows[] = {
	/* (a) B's objects through A's path --------------------------------- */
	/* method   path                                                    body                                                    resident moderator admin   absent */
	{"POST",   "/v1/collectivities/{A}/members/{B.pending}/verify",    "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/members/{B.res}/verify",        "{}",                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/roles",                         "{\"account_id\":\"{B.pending}\",\"role\":\"moderator\"}", {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/roles",                         "{\"account_id\":\"{B.admin}\",\"role\":\"admin\"}",    {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/roles/{B.admin}/admin",         NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/roles/{B.mod}/moderator",       NULL,                                                   {404, 404, 404}, NULL},
	/* A's resident is verified in A already (409); the others find no
	   such code or roll entry in A (422) */
	{"POST",   "/v1/collectivities/{A}/verification/code",             "{\"code\":\"{B.code}\"}",                              {409, 422, 422}, NULL},
	{"POST",   "/v1/collectivities/{A}/verification/roll",             B_ROLL_BODY,                                            {409, 422, 422}, NULL},
	/* A's lists and secrets show nothing of B */
	{"GET",    "/v1/collectivities/{A}/members?limit=100",             NULL,                                                   {403, 200, 200}, B_PEOPLE},
	{"GET",    "/v1/collectivities/{A}/members?status=pending&limit=100", NULL,                                                {403, 200, 200}, B_PEOPLE},
	{"GET",    "/v1/collectivities/{A}/roles",                         NULL,                                                   {403, 403, 200}, B_PEOPLE},
	{"GET",    "/v1/collectivities/{A}/audit?limit=100",               NULL,                                                   {403, 403, 200}, B_PEOPLE " {B}"},
	{"GET",    "/v1/collectivities/{A}/roll/key",                      NULL,                                                   {403, 403, 200}, "{B.key}"},
	{"GET",    "/v1/me",                                               NULL,                                                   {200, 200, 200}, "{B}"},
	/* B's areas, processes, consultations, responses and texts */
	{"GET",    "/v1/collectivities/{A}/areas",                         NULL,                                                   {200, 200, 200}, "{B.area} {B.area2}"},
	{"GET",    "/v1/collectivities/{A}/processes?limit=100",           NULL,                                                   {200, 200, 200}, "{B.pub} {B.draft} {B.q} {B.dq}"},
	{"GET",    "/v1/collectivities/{A}/processes?area={B.area}",       NULL,                                                   {422, 422, 422}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes",                     "{\"title\":\"Cross\",\"area\":\"{B.area}\"}",            {403, 403, 422}, NULL},
	{"GET",    "/v1/collectivities/{A}/processes/{B.pub}",             NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/processes/{B.draft}",           NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/processes/{B.pub}",             "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/processes/{B.draft}",           "{\"status\":\"published\"}",                           {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.pub}/phases/proposals/close", "{}",                                        {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.pub}/consultations", Q_BODY,                                               {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.draft}/consultations", Q_BODY,                                             {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.q}",           NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.dq}",          NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/consultations/{B.q}",           "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/consultations/{B.dq}",          "{\"questions\":[{\"id\":\"x\",\"type\":\"long_text\",\"title\":\"X\"}]}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.q}/response",  NULL,                                                   {404, 404, 404}, NULL},
	{"PUT",    "/v1/collectivities/{A}/consultations/{B.q}/response",  "{\"answers\":{\"comment\":\"cross\"}}",                  {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.q}/results",   NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/consultations/{B.q}/results/publish", NULL,                                             {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.q}/export?format=csv", NULL,                                           {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/consultations/{B.q}/export?format=json", NULL,                                          {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/consultations/{B.q}/responses/{B.rid}/texts/comment/hidden", "{\"reason\":\"cross\"}", {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/consultations/{B.q}/responses/{B.rid}/texts/comment/hidden", NULL,                      {404, 404, 404}, NULL},
	/* area slugs are per collectivity: A's admin may take one of B's
	   (after the area list row above, which must not show it) */
	{"POST",   "/v1/collectivities/{A}/areas",                         "{\"slug\":\"{B.area2}\",\"name\":\"Mine\"}",             {403, 403, 201}, NULL},

	/* (b) B's role-protected routes, as someone of A -------------------- */
	{"GET",    "/v1/collectivities/{B}/members",                       NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/members?status=pending",        NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/members/{B.pending}/verify",    "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/members/{self}/verify",         "{}",                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/verification",                  "{\"minimum_age\":99}",                                 {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/verification",                  "{\"methods\":[\"manual\"]}",                           {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/verification-codes",            "{\"count\":1}",                                        {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/roll/key",                      NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/roll",                          "{\"entries\":[\"0000000000000000000000000000000000000000000000000000000000000000\"]}", {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/roll",                          "{\"entries\":[\"1111111111111111111111111111111111111111111111111111111111111111\"],\"replace\":true}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/roles",                         NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/roles",                         "{\"account_id\":\"{self}\",\"role\":\"admin\"}",       {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/roles",                         "{\"account_id\":\"{B.pending}\",\"role\":\"moderator\"}", {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/roles/{B.admin}/admin",         NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/roles/{B.mod}/moderator",       NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/roles/{self}/admin",            NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/audit",                         NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/audit?limit=1&after=999999999", NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/areas",                         "{\"slug\":\"intruder\",\"name\":\"Intruder\"}",          {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/processes",                     "{\"title\":\"Intruder\"}",                             {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/processes/{B.pub}",             "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/processes/{B.draft}",           "{\"status\":\"published\"}",                           {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/processes/{B.pub}/phases/proposals/close", "{\"reason\":\"cross\"}",                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/processes/{B.pub}/consultations", Q_BODY,                                               {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/consultations/{B.q}",           "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/consultations/{B.dq}",          "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/consultations/{B.q}/results/publish", NULL,                                             {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.q}/export?format=csv", NULL,                                           {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.q}/export?format=json", NULL,                                          {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/consultations/{B.q}/responses/{B.rid}/texts/comment/hidden", "{\"reason\":\"cross\"}", {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/consultations/{B.q}/responses/{B.rid}/texts/comment/hidden", NULL,                      {404, 404, 404}, NULL},
	/* platform admins only, whoever asks */
	{"PATCH",  "/v1/collectivities/{B}",                               "{\"name\":\"Hijacked\"}",                              {403, 403, 403}, NULL},

	/* (c) B's public routes, as someone of A --------------------------- */
	{"GET",    "/v1/collectivities/{B}/areas",                         NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/processes?limit=100",           NULL,                                                   {200, 200, 200}, "{B.draft} {B.dq}"},
	{"GET",    "/v1/collectivities/{B}/processes?area={B.area}",       NULL,                                                   {200, 200, 200}, "{B.draft}"},
	{"GET",    "/v1/collectivities/{B}/processes/{B.pub}",             NULL,                                                   {200, 200, 200}, "{B.rid}"},
	{"GET",    "/v1/collectivities/{B}/processes/{B.draft}",           NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.q}",           NULL,                                                   {200, 200, 200}, "{B.rid} {B.res}"},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.dq}",          NULL,                                                   {404, 404, 404}, NULL},
	/* results are B's staff's until published */
	{"GET",    "/v1/collectivities/{B}/consultations/{B.q}/results",   NULL,                                                   {403, 403, 403}, NULL},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.dq}/results",  NULL,                                                   {404, 404, 404}, NULL},
	/* none of A's people answered, nor may they: B's rule is verified
	   residents of B */
	{"GET",    "/v1/collectivities/{B}/consultations/{B.q}/response",  NULL,                                                   {404, 404, 404}, NULL},
	{"PUT",    "/v1/collectivities/{B}/consultations/{B.q}/response",  "{\"answers\":{\"comment\":\"cross\"}}",                  {403, 403, 403}, NULL},
	{"PUT",    "/v1/collectivities/{B}/consultations/{B.dq}/response", "{\"answers\":{\"comment\":\"cross\"}}",                  {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/consultations/{B.dq}/response", NULL,                                                   {404, 404, 404}, NULL},
	/* issue 6: proposals, comments, moderation */
	/* (a) B's process, proposal, comment and people through A's path */
	{"GET",    "/v1/collectivities/{A}/processes/{B.proc}/proposals",  NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.proc}/proposals",  "{\"title\":\"Cross\",\"body\":\"b\",\"status\":\"published\"}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/processes/{B.proc}/comments",   NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.proc}/comments",   "{\"body\":\"cross\"}",                                 {404, 404, 404}, NULL},
	{"PUT",    "/v1/collectivities/{A}/processes/{B.proc}/follow",     NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/processes/{B.proc}/follow",     NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/proposals/{B.prop}",            NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/proposals/{B.prop}",            "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/proposals/{B.prop}/withdraw",   NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/proposals/{B.prop}/answer",     "{\"state\":\"rejected\",\"answer\":\"cross\"}",        {404, 404, 404}, NULL},
	{"PUT",    "/v1/collectivities/{A}/proposals/{B.prop}/support",    NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/proposals/{B.prop}/support",    NULL,                                                   {404, 404, 404}, NULL},
	{"PUT",    "/v1/collectivities/{A}/proposals/{B.prop}/follow",     NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/proposals/{B.prop}/follow",     NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/proposals/{B.prop}/comments",   NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/proposals/{B.prop}/comments",   "{\"body\":\"cross\"}",                                 {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/proposals/{B.prop}/comments",   "{\"body\":\"cross\",\"parent_id\":\"{B.comment}\"}",    {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/proposals/{B.prop}/hidden",     "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/proposals/{B.prop}/hidden",     NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/comments/{B.comment}",          "{\"body\":\"Hijacked\"}",                              {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/comments/{B.comment}",          NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/comments/{B.comment}/vote",     "{\"value\":-1}",                                       {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/comments/{B.comment}/vote",     NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/comments/{B.comment}/hidden",   "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/comments/{B.comment}/hidden",   NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/reports",                       "{\"target_type\":\"proposal\",\"target_id\":\"{B.prop}\",\"reason\":\"spam\"}", {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/reports",                       "{\"target_type\":\"comment\",\"target_id\":\"{B.comment}\",\"reason\":\"spam\"}", {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/blocks",                        "{\"account_id\":\"{B.res}\",\"reason\":\"cross\"}",     {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/blocks",                        "{\"account_id\":\"{B.blocked}\",\"reason\":\"cross\"}", {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/blocks/{B.blocked}",            NULL,                                                   {404, 404, 404}, NULL},
	/* A's lists show nothing of B */
	{"GET",    "/v1/collectivities/{A}/blocks",                        NULL,                                                   {403, 200, 200}, "{B.blocked} {B.res}"},
	{"GET",    "/v1/collectivities/{A}/moderation/queue?limit=100",    NULL,                                                   {403, 200, 200}, "{B.prop} {B.comment}"},
	{"GET",    "/v1/me/notifications?limit=100",                       NULL,                                                   {200, 200, 200}, "{B} {B.prop} {B.comment}"},
	/* (b) B's role-protected routes, as someone of A */
	{"GET",    "/v1/collectivities/{B}/moderation/queue",              NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/moderation/queue?limit=1&after=x", NULL,                                                {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/moderation",                    "{\"report_threshold\":1}",                             {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/blocks",                        NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/blocks",                        "{\"account_id\":\"{B.res}\",\"reason\":\"cross\"}",     {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/blocks",                        "{\"account_id\":\"{B.mod}\",\"reason\":\"cross\"}",     {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/blocks/{B.blocked}",            NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/proposals/{B.prop}/answer",     "{\"state\":\"rejected\",\"answer\":\"cross\"}",        {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/proposals/{B.prop}/answer",     "{\"state\":\"evaluating\"}",                         {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/proposals/{B.prop}/hidden",     "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/proposals/{B.prop}/hidden",     NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/comments/{B.comment}/hidden",   "{\"reason\":\"cross\"}",                               {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/comments/{B.comment}/hidden",   NULL,                                                   {404, 404, 404}, NULL},
	/* B's authors' own acts: refused to anyone else */
	{"PATCH",  "/v1/collectivities/{B}/proposals/{B.prop}",            "{\"title\":\"Hijacked\"}",                             {403, 403, 403}, NULL},
	{"POST",   "/v1/collectivities/{B}/proposals/{B.prop}/withdraw",   NULL,                                                   {403, 403, 403}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/comments/{B.comment}",          "{\"body\":\"Hijacked\"}",                              {403, 403, 403}, NULL},
	{"DELETE", "/v1/collectivities/{B}/comments/{B.comment}",          NULL,                                                   {403, 403, 403}, NULL},
	/* B's participants' acts: A's people are not B's verified residents */
	{"POST",   "/v1/collectivities/{B}/processes/{B.proc}/proposals",  "{\"title\":\"Cross\",\"body\":\"b\",\"status\":\"published\"}", {403, 403, 403}, NULL},
	{"PUT",    "/v1/collectivities/{B}/proposals/{B.prop}/support",    NULL,                                                   {403, 403, 403}, NULL},
	{"POST",   "/v1/collectivities/{B}/proposals/{B.prop}/comments",   "{\"body\":\"cross\",\"parent_id\":\"{B.comment}\"}",    {403, 403, 403}, NULL},
	{"POST",   "/v1/collectivities/{B}/processes/{B.proc}/comments",   "{\"body\":\"cross\"}",                                 {403, 403, 403}, NULL},
	{"POST",   "/v1/collectivities/{B}/comments/{B.comment}/vote",     "{\"value\":-1}",                                       {403, 403, 403}, NULL},
	{"DELETE", "/v1/collectivities/{B}/proposals/{B.prop}/support",    NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/comments/{B.comment}/vote",     NULL,                                                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/proposals/{B.prop}/follow",     NULL,                                                   {404, 404, 404}, NULL},
	/* issue 7: B's elections through A's path */
	{"GET",    "/v1/collectivities/{A}/processes/{B.vproc}/elections", NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.vproc}/elections", "{\"title\":\"Cross\",\"questions\":" ELECTION_Q "}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}",            NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/elections/{B.delec}",           "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/elections/{B.delec}/open",      NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/elections/{B.elec}/close",      NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/credentials", NULL,                                                  {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/elections/{B.delec}/credentials", "{\"credentials\":[\"{B.ckey}\"]}",                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/elections/{B.delec}/credentials", NULL,                                                 {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/elections/{B.elec}/keys",       "{\"public_key\":\"{B.ckey}\"}",                        {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/keys/me",    NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/elections/{B.elec}/ballots",    "{B.ballot}",                                           {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/log",        NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/tree-heads", NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/tree-heads/latest", NULL,                                            {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/proofs/inclusion?tracker={B.tracker}", NULL,                         {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/proofs/consistency?first=1&second=2", NULL,                          {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/result",     NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/elections/{B.elec}/export",     NULL,                                                   {404, 404, 404}, NULL},
	/* B's elections' admin routes, and B's draft, to A's people */
	{"POST",   "/v1/collectivities/{B}/processes/{B.vproc}/elections", "{\"title\":\"Cross\",\"questions\":" ELECTION_Q "}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.delec}",           NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/elections/{B.delec}",           "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/elections/{B.delec}/open",      NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/elections/{B.delec}/credentials", "{\"credentials\":[\"{B.ckey}\"]}",                   {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/elections/{B.delec}/credentials", NULL,                                                 {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/elections/{B.elec}/close",      NULL,                                                   {404, 404, 404}, NULL},
	/* B's open election is public; its result waits for the closing */
	{"GET",    "/v1/collectivities/{B}/processes/{B.vproc}/elections", NULL,                                                   {200, 200, 200}, "{B.delec}"},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}",            NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}/credentials", NULL,                                                  {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}/log",        NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}/export",     NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}/result",     NULL,                                                   {409, 409, 409}, NULL},
	{"POST",   "/v1/collectivities/{B}/elections/{B.elec}/keys",       "{\"public_key\":\"{B.ckey}\"}",                        {409, 409, 409}, NULL},
	{"GET",    "/v1/collectivities/{B}/elections/{B.elec}/keys/me",    NULL,                                                   {404, 404, 404}, NULL},
	/* B's public routes stay readable */
	{"GET",    "/v1/collectivities/{B}/processes/{B.proc}/proposals",  NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/proposals/{B.prop}",            NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/proposals/{B.prop}/comments",   NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/processes/{B.proc}/comments",   NULL,                                                   {200, 200, 200}, NULL},
	/* issue 8: B's budget, district and project through A's path */
	{"GET",    "/v1/collectivities/{A}/processes/{B.bproc}/budget",    NULL,                                                   {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/processes/{B.bproc}/budget",    "{\"title\":\"Cross\",\"amount\":100}",                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}",            NULL,                                                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/budgets/{B.budget}",            "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/budgets/{B.budget}/districts",  "{\"name\":\"Cross\",\"amount\":5}",                      {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/budgets/{B.budget}/districts/{B.district}", "{\"name\":\"Hijacked\"}",                  {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/budgets/{B.budget}/districts/{B.district}", NULL,                                       {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/projects",   NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/projects?district={B.district}", NULL,                               {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/budgets/{B.budget}/projects",   "{\"title\":\"Cross\",\"cost\":5,\"district_id\":\"{B.district}\"}", {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/projects/{B.project}", NULL,                                         {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{A}/budgets/{B.budget}/projects/{B.project}", "{\"cost\":1}",                             {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{A}/budgets/{B.budget}/projects/{B.project}", NULL,                                         {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/budgets/{B.budget}/projects/{B.project}/review", "{\"feasibility\":\"feasible\"}",    {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{A}/budgets/{B.budget}/vote",       "{}",                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/results",    NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/results/{B.tracker}", NULL,                                          {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/budgets/{B.budget}/pabulib",    NULL,                                                   {404, 404, 404}, NULL},
	/* B's budget's staff routes, to A's people */
	{"POST",   "/v1/collectivities/{B}/processes/{B.bproc}/budget",    "{\"title\":\"Cross\",\"amount\":100}",                   {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/budgets/{B.budget}",            "{\"title\":\"Hijacked\"}",                             {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/budgets/{B.budget}/districts",  "{\"name\":\"Cross\",\"amount\":5}",                      {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/budgets/{B.budget}/districts/{B.district}", "{\"name\":\"Hijacked\"}",                  {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/budgets/{B.budget}/districts/{B.district}", NULL,                                       {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/budgets/{B.budget}/projects",   "{\"title\":\"Cross\",\"cost\":5,\"district_id\":\"{B.district}\"}", {404, 404, 404}, NULL},
	{"PATCH",  "/v1/collectivities/{B}/budgets/{B.budget}/projects/{B.project}", "{\"cost\":1}",                             {404, 404, 404}, NULL},
	{"DELETE", "/v1/collectivities/{B}/budgets/{B.budget}/projects/{B.project}", NULL,                                         {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/budgets/{B.budget}/projects/{B.project}/review", "{\"feasibility\":\"feasible\"}",    {404, 404, 404}, NULL},
	{"POST",   "/v1/collectivities/{B}/budgets/{B.budget}/vote",       "{}",                                                   {404, 404, 404}, NULL},
	/* B's budget of a published process is public; no results before
	   its vote is counted */
	{"GET",    "/v1/collectivities/{B}/processes/{B.bproc}/budget",    NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}",            NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}/projects",   NULL,                                                   {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}/projects/{B.project}", NULL,                                         {200, 200, 200}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}/results",    NULL,                                                   {409, 409, 409}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}/results/{B.tracker}", NULL,                                          {409, 409, 409}, NULL},
	{"GET",    "/v1/collectivities/{B}/budgets/{B.budget}/pabulib?question=all", NULL,                                        {409, 409, 409}, NULL},
	/* metrics and open data: (a) B's process through A's figures (refused
	   before any lookup without the admin role); A's figures and open
	   data show nothing of B */
	{"GET",    "/v1/collectivities/{A}/metrics?process={B.proc}",      NULL,                                                   {403, 403, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/metrics?process={B.pub}&format=csv", NULL,                                              {403, 403, 404}, NULL},
	{"GET",    "/v1/collectivities/{A}/metrics",                       NULL,                                                   {403, 403, 200}, "{B}"},
	{"GET",    "/v1/collectivities/{A}/metrics?format=csv&period=week", NULL,                                                  {403, 403, 200}, "{B}"},
	{"GET",    "/v1/collectivities/{A}/metrics/public",                NULL,                                                   {200, 200, 200}, "{B}"},
	{"GET",    "/v1/collectivities/{A}/opendata/processes?format=json", NULL,                                                  {200, 200, 200}, "{B.pub} {B.draft} {B.proc} {B.vproc} {B.bproc}"},
	{"GET",    "/v1/collectivities/{A}/opendata/proposals",            NULL,                                                   {200, 200, 200}, "{B.prop} {B.proc}"},
	{"GET",    "/v1/collectivities/{A}/opendata/answers?format=json",  NULL,                                                   {200, 200, 200}, "{B.prop} {B.proc}"},
	{"GET",    "/v1/collectivities/{A}/opendata/consultations?format=json", NULL,                                              {200, 200, 200}, "{B.q} {B.dq} {B.pub} {B.draft}"},
	{"GET",    "/v1/collectivities/{A}/opendata/elections",            NULL,                                                   {200, 200, 200}, "{B.elec} {B.delec} {B.vproc}"},
	/* (b) B's admins' figures, to anyone of A */
	{"GET",    "/v1/collectivities/{B}/metrics",                       NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/metrics?format=csv",            NULL,                                                   {404, 404, 404}, NULL},
	{"GET",    "/v1/collectivities/{B}/metrics?process={B.proc}",      NULL,                                                   {404, 404, 404}, NULL},
	/* ANCT's roll-ups across collectivities (no {cid}): never to a
	   collectivity's people, admins included */
	{"GET",    "/v1/metrics",                                          NULL,                                                   {403, 403, 403}, NULL},
	{"GET",    "/v1/metrics?by=collectivity&format=csv",               NULL,                                                   {403, 403, 403}, NULL},
	/* (c) B's public figures and open data stay readable: no people, no
	   drafts, no unpublished results, no uncounted election */
	{"GET",    "/v1/collectivities/{B}/metrics/public",                NULL,                                                   {200, 200, 200}, B_PEOPLE},
	{"GET",    "/v1/collectivities/{B}/metrics/public?format=csv",     NULL,                                                   {200, 200, 200}, B_PEOPLE},
	{"GET",    "/v1/collectivities/{B}/opendata/processes?format=json", NULL,                                                  {200, 200, 200}, "{B.draft} {B.dq}"},
	{"GET",    "/v1/collectivities/{B}/opendata/proposals",            NULL,                                                   {200, 200, 200}, B_PEOPLE " {B.blocked} {B.comment}"},
	{"GET",    "/v1/collectivities/{B}/opendata/proposals?format=json", NULL,                                                  {200, 200, 200}, B_PEOPLE " {B.blocked} {B.comment}"},
	{"GET",    "/v1/collectivities/{B}/opendata/answers?format=json",  NULL,                                                   {200, 200, 200}, "{B.prop}"},
	{"GET",    "/v1/collectivities/{B}/opendata/consultations?format=json", NULL,                                              {200, 200, 200}, "{B.q} {B.dq} {B.rid}"},
	{"GET",    "/v1/collectivities/{B}/opendata/consultations",        NULL,                                                   {200, 200, 200}, "{B.q} {B.dq} {B.rid}"},
	{"GET",    "/v1/collectivities/{B}/opendata/elections?format=json", NULL,                                                  {200, 200, 200}, "{B.elec} {B.delec} {B.tracker}"},
	{"GET",    "/v1/collectivities/{B}/opendata/members",              NULL,                                                   {404, 404, 404}, NULL},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Routes with {cid} that need no row, and why. */
static const char *exempt[][2] = {
        {"GET /v1/collectivities/{cid}", "public record, no tenant data"},
        {"POST /v1/collectivities/{cid}/members",
                "anyone signed in may join any collectivity"},
        {"POST /v1/collectivities/{cid}/verification/manual",
                "a request about oneself, names no other object"},
};

/* ---- the world ---- */

/* What B's admin reads of B, before and after the matrix. */
enum snap {
	S_EXPORT_CSV, /* the exports come first or last: see snapshot_b */
	S_EXPORT_JSON,
	S_AUDIT,
	S_MEMBERS,
	S_ROLES,
	S_PUBLIC,
	S_AREAS,
	S_PROCESSES,
	S_PUB,
	S_DRAFT,
	S_Q,
	S_DQ,
	S_RESULTS,
	S_BUDGET,
	S_PROJECTS,
	NSNAP
};

static const char *snap_names[NSNAP] = {"CSV export", "JSON export",
        "audit log", "members", "roles", "public record", "areas", "processes",
        "published process", "draft process", "consultation",
        "draft's consultation", "results", "budget", "budget's projects"};

static struct world {
	char a[64], b[64];
	struct id_user people[2][NACTORS]; /* [0] = A, [1] = B */
	struct id_user b_pending;
	char b_code[32];
	char b_key[80];
	char b_area[64], b_area2[64];
	char b_pub[40], b_draft[40], b_q[40], b_dq[40], b_rid[40];
	json_t *before[NSNAP];
	/* issue 6: B's process, proposal, comment, blocked participant, and
	   what B's admin sees of them before the matrix */
	char b_proc[40], b_prop[40], b_comment[40];
	struct id_user b_blocked;
	/* issue 7: B's vote process, open and draft elections, a spare key,
	   the tracker of B's one ballot, a body with another valid ballot */
	char b_vproc[40], b_elec[40], b_delec[40], b_ckey[65], b_tracker[65];
	char b_ballot[1024];
	/* issue 8: B's budget process, its budget, a district, a project */
	char b_bproc[40], b_budget[40], b_district[40], b_project[40];
	json_t *b6_prop, *b6_thread, *b6_pthread, *b6_list, *b6_queue,
	        *b6_blocks;
} w;

/* GET path as token: the JSON body (200). */
static json_t *
get_json(const char *path, const char *token)
{
	struct http_resp *r = id_call("GET", path, token, NULL, NULL);
	json_t *j = id_json(r, 200);

	http_resp_free(r);
	return j;
}

/* B's consultation's exports, as B's admin (each adds to B's audit log). */
static void
snapshot_exports(json_t *s[NSNAP])
{
	const char *t = w.people[1][ADMIN].token;
	char rest[128];
	struct http_resp *r;

	snprintf(rest, sizeof(rest), "/consultations/%s/export?format=csv",
	        w.b_q);
	r = id_call("GET", ct_path(w.b, "%s", rest), t, NULL, NULL);
	check_status(r, 200);
	s[S_EXPORT_CSV] = json_string(r->body);
	http_resp_free(r);
	snprintf(rest, sizeof(rest), "/consultations/%s/export?format=json",
	        w.b_q);
	s[S_EXPORT_JSON] = get_json(ct_path(w.b, "%s", rest), t);
}

/*
 * B as its admin sees it. Reading an export is itself audited, so the
 * snapshot before the matrix reads the exports first and the audit log
 * after them, and the one after the matrix the audit log first: both
 * audit logs then hold exactly the first snapshot's exports.
 */
static void
snapshot_b(json_t *s[NSNAP], int exports_first)
{
	const char *t = w.people[1][ADMIN].token;
	char rest[128];

	if (exports_first)
		snapshot_exports(s);
	s[S_AUDIT] = id_list_all(ct_path(w.b, "/audit?limit=100"), t, 100);
	s[S_MEMBERS] = id_list_all(ct_path(w.b, "/members?limit=100"), t, 100);
	s[S_ROLES] = get_json(ct_path(w.b, "/roles"), t);
	s[S_PUBLIC] = get_json(ct_path(w.b, "%s", ""), NULL);
	s[S_AREAS] = get_json(ct_path(w.b, "/areas"), NULL);
	s[S_PROCESSES] =
	        id_list_all(ct_path(w.b, "/processes?limit=100"), t, 100);
	snprintf(rest, sizeof(rest), "/processes/%s", w.b_pub);
	s[S_PUB] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/processes/%s", w.b_draft);
	s[S_DRAFT] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/consultations/%s", w.b_q);
	s[S_Q] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/consultations/%s", w.b_dq);
	s[S_DQ] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/consultations/%s/results", w.b_q);
	s[S_RESULTS] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/budgets/%s", w.b_budget);
	s[S_BUDGET] = get_json(ct_path(w.b, "%s", rest), t);
	snprintf(rest, sizeof(rest), "/budgets/%s/projects?limit=200",
	        w.b_budget);
	s[S_PROJECTS] = get_json(ct_path(w.b, "%s", rest), t);
	if (!exports_first)
		snapshot_exports(s);
}

/* POST body to B's path rest as B's admin (201): the new object's id. */
static void
b_create(const char *rest, const char *body, char id[40])
{
	struct http_resp *r = id_call(
	        "POST", ct_path(w.b, "%s", rest), w.people[1][ADMIN].token, NULL, body);
	json_t *j = id_json(r, 201);

	snprintf(id, 40, "%s", id_str(j, "id"));
	json_decref(j);
	http_resp_free(r);
}

/* B's areas, a draft and a published process with a consultation each,
 * and one response with a free text to the published one. */
static void
make_b_processes(void)
{
	static const char *questions =
	        "[{\"id\":\"comment\",\"type\":\"long_text\",\"title\":"
	        "\"Comment\",\"required\":true}]";
	char body[1024], rest[128];
	struct http_resp *r;
	json_t *j;

	snprintf(w.b_area, sizeof(w.b_area), "b-north-%u", id_random(100000));
	snprintf(w.b_area2, sizeof(w.b_area2), "b-south-%u", id_random(100000));
	snprintf(body, sizeof(body), "{\"slug\":\"%s\",\"name\":\"North\"}",
	        w.b_area);
	b_create("/areas", body, rest);
	snprintf(body, sizeof(body), "{\"slug\":\"%s\",\"name\":\"South\"}",
	        w.b_area2);
	b_create("/areas", body, rest);
	snprintf(body, sizeof(body),
	        "{\"title\":\"B draft\",\"area\":\"%s\",\"phases\":[{"
	        "\"kind\":\"proposals\",\"starts_at\":\"%s\",\"ends_at\":"
	        "\"%s\"}]}",
	        w.b_area, ct_at(-86400), ct_at(86400));
	b_create("/processes", body, w.b_draft);
	snprintf(body, sizeof(body),
	        "{\"title\":\"B published\",\"status\":\"published\","
	        "\"area\":\"%s\",\"phases\":[{\"kind\":\"proposals\","
	        "\"starts_at\":\"%s\",\"ends_at\":\"%s\"}]}",
	        w.b_area, ct_at(-86400), ct_at(86400));
	b_create("/processes", body, w.b_pub);
	snprintf(body, sizeof(body),
	        "{\"phase\":\"proposals\",\"title\":\"B asks\","
	        "\"questions\":%s}",
	        questions);
	snprintf(rest, sizeof(rest), "/processes/%s/consultations", w.b_draft);
	b_create(rest, body, w.b_dq);
	snprintf(rest, sizeof(rest), "/processes/%s/consultations", w.b_pub);
	b_create(rest, body, w.b_q);
	/* B's resident answers */
	snprintf(rest, sizeof(rest), "/consultations/%s/response", w.b_q);
	r = id_call("PUT", ct_path(w.b, "%s", rest), w.people[1][RESIDENT].token, NULL,
	        "{\"answers\":{\"comment\":\"" B_TEXT "\"}}");
	j = id_json(r, 201);
	snprintf(w.b_rid, sizeof(w.b_rid), "%s", id_str(j, "id"));
	json_decref(j);
	http_resp_free(r);
}

/* issue 6: B's proposals, comments and moderation, as B's admin sees
 * them (proposal with supports, comments count and state; threads; the
 * queue; blocks). */
static void
snapshot_b6(json_t **prop, json_t **thread, json_t **pthread, json_t **list,
        json_t **queue, json_t **blocks)
{
	const char *t = w.people[1][ADMIN].token;
	struct http_resp *r;

	r = id_call("GET", ct_path(w.b, "%s", ct_fmt("/proposals/%s", w.b_prop)), t,
	        NULL, NULL);
	*prop = id_json(r, 200);
	http_resp_free(r);
	*thread = id_list_all(
	        ct_path(w.b, "%s",
	                ct_fmt("/proposals/%s/comments?limit=100", w.b_prop)),
	        t, 100);
	*pthread = id_list_all(
	        ct_path(w.b, "%s",
	                ct_fmt("/processes/%s/comments?limit=100", w.b_proc)),
	        t, 100);
	*list = id_list_all(ct_path(w.b, "%s", ct_fmt("/processes/%s/proposals?"
	                                      "limit=100",
	                                       w.b_proc)),
	        t, 100);
	*queue = id_list_all(ct_path(w.b, "/moderation/queue?limit=100"), t, 100);
	r = id_call("GET", ct_path(w.b, "/blocks"), t, NULL, NULL);
	*blocks = id_json(r, 200);
	http_resp_free(r);
}

/* issue 6: B's process with a proposal (supported once, by its author)
 * and a comment on it (reported once), and a blocked participant. */
static void
make_world_b6(void)
{
	const struct id_user *res = &w.people[1][RESIDENT];

	ct_process_new(w.b, NULL, NULL, w.b_proc);
	json_decref(ct_proposal_new(w.b, w.b_proc, res, "B's proposal",
	        "Only B's", NULL, w.b_prop));
	ct_support(w.b, w.b_prop, res->token, 201);
	json_decref(ct_comment_new(w.b, ct_fmt("proposals/%s", w.b_prop),
	        res->token, "B's comment", NULL, w.b_comment));
	json_decref(ct_comment_new(w.b, ct_fmt("processes/%s", w.b_proc),
	        res->token, "B's process comment", NULL, NULL));
	json_decref(ct_report(w.b, w.people[1][ADMIN].token, "comment",
	        w.b_comment, "other", 201));
	id_member_new(&w.b_blocked, "tenant-b-blocked", w.b, "member");
	ct_block(w.b, w.people[1][MODERATOR].token, w.b_blocked.id);
}

/* A signed ballot for e by (pk, sk) choosing option opt, as a body. */
static void
b7_ballot(const struct election *e, const unsigned char *pk,
        const unsigned char *sk, uint64_t seq, uint32_t opt, char *body,
        size_t bodysz, char tracker[65])
{
	struct ballot b;
	struct choice ch = {opt, 1};
	unsigned char *bytes, sig[64], tr[32];
	size_t len;
	char *bh, *sh;

	memset(&b, 0, sizeof(b));
	memcpy(b.fingerprint, e->fingerprint, 32);
	memcpy(b.key, pk, 32);
	b.seq = seq;
	b.nquestions = 1;
	b.nchoices[0] = 1;
	b.choices[0] = &ch;
	assert_int_equal(ballot_encode(&b, &bytes, &len), 0);
	crypto_sign_detached(sig, NULL, bytes, len, sk);
	ballot_tracker(bytes, len, tr);
	hex_encode(tr, 32, tracker);
	bh = hex_dup(bytes, len);
	sh = hex_dup(sig, 64);
	snprintf(body, bodysz, "{\"ballot\":\"%s\",\"signature\":\"%s\"}", bh,
	        sh);
	free(bh);
	free(sh);
	free(bytes);
}

/* issue 7: B's vote process, an open election with one voter who has
 * voted once, and a draft election. */
static void
make_world_b7(void)
{
	unsigned char pk[32], sk[64], spare[32], spare_sk[64];
	char hex[65], why[256], tracker[65], body[1024];
	struct election e;
	struct http_resp *r;
	json_t *j;

	ct_process_new(w.b, ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)),
	        NULL, w.b_vproc);
	j = ct_json(id_call("POST",
	                    ct_path(w.b, "/processes/%s/elections", w.b_vproc),
	                    w.people[1][ADMIN].token, NULL,
	                    "{\"title\":\"B draft\",\"questions\":" ELECTION_Q
	                    "}"),
	        201);
	snprintf(w.b_delec, sizeof(w.b_delec), "%s", id_str(j, "id"));
	json_decref(j);
	j = ct_json(id_call("POST",
	                    ct_path(w.b, "/processes/%s/elections", w.b_vproc),
	                    w.people[1][ADMIN].token, NULL,
	                    "{\"title\":\"B vote\",\"questions\":" ELECTION_Q
	                    ",\"credential_mode\":\"authority\"}"),
	        201);
	snprintf(w.b_elec, sizeof(w.b_elec), "%s", id_str(j, "id"));
	json_decref(j);
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(spare, spare_sk);
	hex_encode(pk, 32, hex);
	hex_encode(spare, 32, w.b_ckey);
	json_decref(ct_json(id_call("POST",
	                            ct_path(w.b, "/elections/%s/credentials",
	                                    w.b_elec),
	                            w.people[1][ADMIN].token, NULL,
	                            ct_fmt("{\"credentials\":[\"%s\"]}", hex)),
	        200));
	r = id_call("POST", ct_path(w.b, "/elections/%s/open", w.b_elec),
	        w.people[1][ADMIN].token, NULL, NULL);
	j = id_json(r, 200);
	http_resp_free(r);
	memset(&e, 0, sizeof(e));
	assert_int_equal(election_parse(id_str(j, "descriptor"),
	                         strlen(id_str(j, "descriptor")), &e, why,
	                         sizeof(why)),
	        0);
	json_decref(j);
	b7_ballot(&e, pk, sk, 1, 0, body, sizeof(body), w.b_tracker);
	json_decref(ct_json(id_call("POST",
	                            ct_path(w.b, "/elections/%s/ballots",
	                                    w.b_elec),
	                            NULL, NULL, body),
	        201));
	b7_ballot(&e, pk, sk, 2, 1, w.b_ballot, sizeof(w.b_ballot), tracker);
	election_free(&e);
}

/* issue 8: B's process with a vote phase and its budget, with one
 * district and one project in it (pending review); no vote yet. */
static void
make_world_b8(void)
{
	char rest[128];

	ct_process_new(w.b, ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)),
	        NULL, w.b_bproc);
	snprintf(rest, sizeof(rest), "/processes/%s/budget", w.b_bproc);
	b_create(rest, "{\"title\":\"B budget\",\"amount\":100000}",
	        w.b_budget);
	snprintf(rest, sizeof(rest), "/budgets/%s/districts", w.b_budget);
	b_create(rest, "{\"name\":\"B centre\",\"amount\":50000}",
	        w.b_district);
	snprintf(rest, sizeof(rest), "/budgets/%s/projects", w.b_budget);
	b_create(rest,
	        ct_fmt("{\"title\":\"B project\",\"cost\":20000,"
	               "\"district_id\":\"%s\"}",
	                w.b_district),
	        w.b_project);
}

static void
make_world(void)
{
	static const char *roles[NACTORS] = {"resident", "moderator", "admin"};
	const char *settings = "{\"methods\":[\"code\",\"roll\",\"manual\"],"
	                       "\"minimum_age\":16}";
	struct http_resp *r;
	json_t *j;
	char body[256], entry[65], canon[ROLL_CANON_MAX];
	unsigned char key[ROLL_KEY_BYTES];
	struct problem p;
	size_t len;
	int c, k;

	id_collectivity_new("tenant-a", "commune", NULL, w.a);
	id_collectivity_new("tenant-b", "commune", NULL, w.b);
	id_settings(w.a, settings);
	id_settings(w.b, settings);
	for (c = 0; c < 2; c++)
		for (k = 0; k < NACTORS; k++)
			id_member_new(&w.people[c][k],
			        c == 0 ? "tenant-a" : "tenant-b",
			        c == 0 ? w.a : w.b, roles[k]);
	id_member_new(&w.b_pending, "tenant-b-pending", w.b, "member");
	r = id_call("POST", ct_path(w.b, "/verification/manual"),
	        w.b_pending.token, NULL, "{\"note\":\"please\"}");
	json_decref(id_json(r, 200));
	http_resp_free(r);
	/* B's admin: a code and a roll entry */
	r = id_call("POST", ct_path(w.b, "/verification-codes"),
	        w.people[1][ADMIN].token, NULL, "{\"count\":1}");
	j = id_json(r, 201);
	snprintf(w.b_code, sizeof(w.b_code), "%s",
	        json_string_value(
	                json_array_get(json_object_get(j, "codes"), 0)));
	json_decref(j);
	http_resp_free(r);
	r = id_call("GET", ct_path(w.b, "/roll/key"), w.people[1][ADMIN].token,
	        NULL, NULL);
	j = id_json(r, 200);
	snprintf(w.b_key, sizeof(w.b_key), "%s", id_str(j, "key"));
	json_decref(j);
	http_resp_free(r);
	memset(&p, 0, sizeof(p));
	assert_true(roll_key_from_hex(w.b_key, key));
	assert_int_equal(roll_canonical("Tenancy", "Bea", "1970-10-10", "75001",
	                         canon, sizeof(canon), &len, &p),
	        ERR_OK);
	roll_hash_hex(key, canon, len, entry);
	problem_clear(&p);
	snprintf(body, sizeof(body), "{\"entries\":[\"%s\"]}", entry);
	r = id_call("POST", ct_path(w.b, "/roll"), w.people[1][ADMIN].token, NULL,
	        body);
	json_decref(id_json(r, 200));
	http_resp_free(r);
	make_b_processes();
	make_world_b6();
	make_world_b7();
	make_world_b8();
	snapshot_b(w.before, 1);
	check(strstr(json_string_value(w.before[S_EXPORT_CSV]), B_TEXT) != NULL,
	        "B's export lacks its response: %s",
	        json_string_value(w.before[S_EXPORT_CSV]));
	snapshot_b6(&w.b6_prop, &w.b6_thread, &w.b6_pthread, &w.b6_list,
	        &w.b6_queue, &w.b6_blocks);
}

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	make_world();
	return 0;
}

static int
group_teardown(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < NSNAP; k++)
		json_decref(w.before[k]);
	json_decref(w.b6_prop);
	json_decref(w.b6_thread);
	json_decref(w.b6_pthread);
	json_decref(w.b6_list);
	json_decref(w.b6_queue);
	json_decref(w.b6_blocks);
	return 0;
}

/* ---- templates ---- */

static const char *
lookup(const char *name, size_t n, enum actor a)
{
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
	if (IS("A"))
		return w.a;
	if (IS("B"))
		return w.b;
	if (IS("B.admin"))
		return w.people[1][ADMIN].id;
	if (IS("B.mod"))
		return w.people[1][MODERATOR].id;
	if (IS("B.res"))
		return w.people[1][RESIDENT].id;
	if (IS("B.pending"))
		return w.b_pending.id;
	if (IS("B.code"))
		return w.b_code;
	if (IS("B.key"))
		return w.b_key;
	if (IS("B.area"))
		return w.b_area;
	if (IS("B.area2"))
		return w.b_area2;
	if (IS("B.pub"))
		return w.b_pub;
	if (IS("B.draft"))
		return w.b_draft;
	if (IS("B.q"))
		return w.b_q;
	if (IS("B.dq"))
		return w.b_dq;
	if (IS("B.rid"))
		return w.b_rid;
	if (IS("B.proc"))
		return w.b_proc;
	if (IS("B.prop"))
		return w.b_prop;
	if (IS("B.comment"))
		return w.b_comment;
	if (IS("B.blocked"))
		return w.b_blocked.id;
	if (IS("B.vproc"))
		return w.b_vproc;
	if (IS("B.elec"))
		return w.b_elec;
	if (IS("B.delec"))
		return w.b_delec;
	if (IS("B.ckey"))
		return w.b_ckey;
	if (IS("B.tracker"))
		return w.b_tracker;
	if (IS("B.ballot"))
		return w.b_ballot;
	if (IS("B.bproc"))
		return w.b_bproc;
	if (IS("B.budget"))
		return w.b_budget;
	if (IS("B.district"))
		return w.b_district;
	if (IS("B.project"))
		return w.b_project;
	if (IS("self"))
		return w.people[0][a].id;
#undef IS
	return NULL;
}

/* Replaces the {placeholders} of tpl. */
static void
expand(const char *tpl, enum actor a, char *out, size_t outsz)
{
	size_t o = 0;

	while (*tpl != '\0' && o + 1 < outsz) {
		const char *end = *tpl == '{' ? strchr(tpl, '}') : NULL;
		const char *v =
		        end != NULL
		                ? lookup(tpl + 1, (size_t)(end - tpl - 1), a)
		                : NULL;

		if (v != NULL) {
			size_t n = strlen(v);

			if (o + n >= outsz)
				break;
			memcpy(out + o, v, n);
			o += n;
			tpl = end + 1;
		} else {
			out[o++] = *tpl++;
		}
	}
	out[o] = '\0';
}

/* ---- the matrix ---- */

/* Runs one row as one actor; prints its line; returns 1 when it held. */
static int
run_row(size_t i, enum actor a)
{
	const struct row *rw = &rows[i];
	char path[1024], body[1024], absent[1024], why[256] = "";
	struct http_resp *r;
	int want = rw->expect[a], ok;

	expand(rw->path, a, path, sizeof(path));
	if (rw->body != NULL)
		expand(rw->body, a, body, sizeof(body));
	r = id_call(rw->method, path, w.people[0][a].token, NULL,
	        rw->body != NULL ? body : NULL);
	ok = r != NULL && r->status == want;
	if (ok && want >= 400) {
		json_t *pb = http_resp_json(r);
		const char *ct = http_resp_header(r, "content-type");

		if (ct == NULL ||
		        strcasecmp(ct, "application/problem+json") != 0 ||
		        json_integer_value(json_object_get(pb, "status")) !=
		                want) {
			ok = 0;
			snprintf(why, sizeof(why), " (not a problem+json %d)",
			        want);
		}
		json_decref(pb);
	}
	if (ok && want < 300 && rw->absent != NULL) {
		char *tok, *save = NULL;

		expand(rw->absent, a, absent, sizeof(absent));
		for (tok = strtok_r(absent, " ", &save); tok != NULL;
		        tok = strtok_r(NULL, " ", &save))
			if (strstr(r->body, tok) != NULL) {
				ok = 0;
				snprintf(why, sizeof(why),
				        " (the body shows %.80s)", tok);
				break;
			}
	}
	printf("%s row %2zu as A's %-9s %-6s %s -> %d\n", ok ? "ok  " : "FAIL",
	        i, actor_names[a], rw->method, rw->path,
	        r != NULL ? r->status : 0);
	if (!ok) {
		printf("     want %d%s; sent %s %s%s%s\n", want, why,
		        rw->method, path, rw->body != NULL ? " " : "",
		        rw->body != NULL ? body : "");
		if (r != NULL)
			printf("     got: %.300s\n", r->body);
	}
	fflush(stdout);
	http_resp_free(r);
	return ok;
}

static void
test_matrix(void **state)
{
	size_t i;
	int a, bad = 0, n = 0;

	(void)state;
	for (i = 0; i < NROWS; i++)
		for (a = 0; a < NACTORS; a++) {
			if (rows[i].expect[a] == SKIP)
				continue;
			n++;
			bad += !run_row(i, (enum actor)a);
		}
	printf("isolation matrix: %d of %d checks held\n", n - bad, n);
	check(bad == 0, "%d of %d isolation checks failed (FAIL lines above)",
	        bad, n);
}

/* Whether the route "METHOD PATTERN" has a row: same method, literal
 * segments equal, {param} segments match anything. */
static int
route_has_row(const char *method, const char *pattern)
{
	size_t i;

	for (i = 0; i < NROWS; i++) {
		const char *p = pattern, *q = rows[i].path;

		if (strcmp(rows[i].method, method) != 0)
			continue;
		for (;;) {
			size_t pn = strcspn(p, "/"), qn = strcspn(q, "/?");

			if (!(p[0] == '{' ||
			            (pn == qn && strncmp(p, q, pn) == 0)))
				break;
			p += pn;
			q += qn;
			if (*p == '\0' && (*q == '\0' || *q == '?'))
				return 1;
			if (*p != '/' || *q != '/')
				break;
			p++;
			q++;
		}
	}
	return 0;
}

static void
test_matrix_covers_routes(void **state)
{
	const char *cmd = getenv("PARTICIPE_TEST_ROUTES_CMD");
	FILE *f;
	char line[512];
	int missing = 0, seen = 0;

	(void)state;
	if (cmd == NULL || *cmd == '\0')
		cmd = "bin/participe routes";
	f = access("bin/participe", X_OK) == 0 ||
	                    getenv("PARTICIPE_TEST_ROUTES_CMD") != NULL
	            ? popen(cmd, "r")
	            : NULL;
	if (f == NULL) {
		printf("note: cannot run \"%s\" from here; route coverage "
		       "not checked\n",
		        cmd);
		skip();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char method[16], pattern[400];
		size_t k;
		int ex = 0;

		if (sscanf(line, "%15s %399s", method, pattern) != 2 ||
		        strstr(pattern, "{cid}") == NULL)
			continue;
		seen++;
		for (k = 0; k < sizeof(exempt) / sizeof(exempt[0]); k++) {
			char want[420];

			snprintf(want, sizeof(want), "%s %s", method, pattern);
			if (strcmp(exempt[k][0], want) == 0)
				ex = 1;
		}
		if (ex)
			continue;
		if (!route_has_row(method, pattern)) {
			printf("FAIL route %s %s has no row in the isolation "
			       "matrix (tests/api/test_tenancy.c)\n",
			        method, pattern);
			missing++;
		}
	}
	pclose(f);
	check(seen > 0, "\"%s\" listed no route with {cid}", cmd);
	check(missing == 0, "%d {cid} routes are not in the isolation matrix",
	        missing);
}

static void
test_b_unchanged(void **state)
{
	json_t *after[NSNAP];
	int k, bad = 0;

	(void)state;
	snapshot_b(after, 0);
	printf("B after the matrix: %zu audit entries (before %zu), %zu "
	       "members "
	       "(before %zu), %zu roles (before %zu), %zu processes (before "
	       "%zu)\n",
	        json_array_size(after[S_AUDIT]),
	        json_array_size(w.before[S_AUDIT]),
	        json_array_size(after[S_MEMBERS]),
	        json_array_size(w.before[S_MEMBERS]),
	        json_array_size(after[S_ROLES]),
	        json_array_size(w.before[S_ROLES]),
	        json_array_size(after[S_PROCESSES]),
	        json_array_size(w.before[S_PROCESSES]));
	for (k = 0; k < NSNAP; k++) {
		if (!json_equal(after[k], w.before[k])) {
			char *x = json_dumps(w.before[k], JSON_COMPACT);
			char *y = json_dumps(after[k], JSON_COMPACT);

			printf("FAIL B's %s changed\n  before: %.600s\n  "
			       "after:  "
			       "%.600s\n",
			        snap_names[k], x != NULL ? x : "?",
			        y != NULL ? y : "?");
			free(x);
			free(y);
			bad++;
		}
		json_decref(after[k]);
	}
	check(bad == 0, "%d of B's records changed (FAIL lines above)", bad);
	/* issue 6: B's proposal (supports, comments count, state), its
	   comments, the queue and the blocks */
	{
		json_t *prop, *thread, *pthread, *list, *queue, *blocks;

		snapshot_b6(&prop, &thread, &pthread, &list, &queue, &blocks);
		printf("B's proposal after the matrix: state %s, %lld supports "
		       "(before %lld), %lld comments (before %lld); %zu "
		       "queued, %zu blocked\n",
		        id_str(prop, "state"), ct_int(prop, "supports"),
		        ct_int(w.b6_prop, "supports"), ct_int(prop, "comments"),
		        ct_int(w.b6_prop, "comments"), json_array_size(queue),
		        json_array_size(blocks));
		check(strcmp(id_str(prop, "state"), "published") == 0 &&
		                ct_int(prop, "supports") == 1 &&
		                ct_int(prop, "comments") == 1 &&
		                json_is_false(json_object_get(prop, "hidden")),
		        "B's proposal is not as made");
		check(json_equal(prop, w.b6_prop), "B's proposal changed");
		check(json_equal(thread, w.b6_thread),
		        "B's proposal's comments changed");
		check(json_equal(pthread, w.b6_pthread),
		        "B's process's comments changed");
		check(json_equal(list, w.b6_list), "B's proposals changed");
		check(json_equal(queue, w.b6_queue),
		        "B's moderation queue changed");
		check(json_equal(blocks, w.b6_blocks), "B's blocks changed");
		json_decref(prop);
		json_decref(thread);
		json_decref(pthread);
		json_decref(list);
		json_decref(queue);
		json_decref(blocks);
	}
	/* B's code and roll entry are still unused: B's pending member can
	   still use them (this does change B, so it comes last) */
	{
		struct http_resp *r;
		json_t *j;
		char body[64];

		snprintf(body, sizeof(body), "{\"code\":\"%s\"}", w.b_code);
		r = id_call("POST", ct_path(w.b, "/verification/code"),
		        w.b_pending.token, NULL, body);
		j = id_json(r, 200);
		check(json_is_true(json_object_get(j, "verified")),
		        "B's code was used up through A");
		json_decref(j);
		http_resp_free(r);
		r = id_call("POST", ct_path(w.b, "/verification/roll"),
		        w.people[1][ADMIN].token, NULL, B_ROLL_BODY);
		j = id_json(r, 200);
		check(json_is_true(json_object_get(j, "verified")),
		        "B's roll entry was used up through A");
		json_decref(j);
		http_resp_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_matrix),
	        cmocka_unit_test(test_matrix_covers_routes),
	        cmocka_unit_test(test_b_unchanged),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
