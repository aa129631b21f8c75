/*
 * queries.h - every statement the server can run, in one place
 *
 * Expanded once into enum query and once into the table each new database
 * connection prepares. Statements call SQL functions of schema api that run
 * a whole request's transaction and return its response body as json text.
 * No SQL is ever built from strings at run time.
 */
/* clang-format off */
/* name                  params  sql */
Q(PING,                  0,      "SELECT 1")
Q(ACCOUNT_REGISTER,      5,      "SELECT body, mail FROM api.account_register($1::text, $2::jsonb, $3::text, $4::text, $5::int)")
Q(ACCOUNT_CONFIRM,       2,      "SELECT api.account_confirm($1::text, $2::text)")
Q(PASSWORD_RESET_REQUEST, 4,     "SELECT body, mail FROM api.password_reset_request($1::text, $2::text, $3::text, $4::int)")
Q(PASSWORD_RESET,        3,      "SELECT body, mail FROM api.password_reset($1::text, $2::text, $3::text)")
Q(LOGIN_BEGIN,           2,      "SELECT account_id, password_hash FROM api.login_begin($1::text, $2::text)")
Q(LOGIN_FINISH,          3,      "SELECT api.login_finish($1::uuid, $2::text, $3::text)")
Q(SESSION_LOGOUT,        2,      "SELECT api.session_logout($1::text, $2::boolean)")
Q(ME_GET,                1,      "SELECT api.me_get($1::text)")
Q(ME_UPDATE,             2,      "SELECT api.me_update($1::text, $2::jsonb)")
Q(ME_EXPORT,             1,      "SELECT api.me_export($1::text)")
Q(ME_DELETE,             1,      "SELECT api.me_delete($1::text)")
Q(COLLECTIVITY_LIST,     2,      "SELECT body, next FROM api.collectivity_list($1::int, $2::text)")
Q(COLLECTIVITY_GET,      1,      "SELECT api.collectivity_get($1::text)")
Q(COLLECTIVITY_CREATE,   2,      "SELECT api.collectivity_create($1::text, $2::jsonb)")
Q(COLLECTIVITY_UPDATE,   3,      "SELECT api.collectivity_update($1::text, $2::text, $3::jsonb)")
Q(VERIFICATION_SETTINGS, 3,      "SELECT api.verification_settings_update($1::text, $2::text, $3::jsonb)")
Q(MEMBER_LIST,           5,      "SELECT body, next FROM api.member_list($1::text, $2::text, $3::text, $4::int, $5::text)")
Q(MEMBER_JOIN,           2,      "SELECT body, created FROM api.member_join($1::text, $2::text)")
Q(MEMBER_VERIFY,         4,      "SELECT api.member_verify($1::text, $2::text, $3::text, $4::jsonb)")
Q(VERIFY_CODE,           3,      "SELECT api.verify_code($1::text, $2::text, $3::text)")
Q(ROLL_KEY_FOR,          2,      "SELECT api.roll_key_for($1::text, $2::text)")
Q(VERIFY_ROLL,           4,      "SELECT api.verify_roll($1::text, $2::text, $3::text, $4::text)")
Q(VERIFY_MANUAL,         3,      "SELECT api.verify_manual_request($1::text, $2::text, $3::jsonb)")
Q(CODES_CREATE,          3,      "SELECT api.codes_create($1::text, $2::text, $3::text[])")
Q(ROLL_KEY_GET,          2,      "SELECT api.roll_key_get($1::text, $2::text)")
Q(ROLL_UPLOAD,           3,      "SELECT api.roll_upload($1::text, $2::text, $3::jsonb)")
Q(ROLE_LIST,             2,      "SELECT api.role_list($1::text, $2::text)")
Q(ROLE_GRANT,            3,      "SELECT body, created FROM api.role_grant($1::text, $2::text, $3::jsonb)")
Q(ROLE_REVOKE,           5,      "SELECT api.role_revoke($1::text, $2::text, $3::text, $4::text, $5::text)")
Q(AREA_LIST,             1,      "SELECT api.area_list($1::text)")
Q(AREA_CREATE,           3,      "SELECT api.area_create($1::text, $2::text, $3::jsonb)")
Q(PROCESS_LIST,          6,      "SELECT body, next FROM api.process_list($1::text, $2::text, $3::text, $4::text, $5::int, $6::text)")
Q(PROCESS_CREATE,        3,      "SELECT api.process_create($1::text, $2::text, $3::jsonb)")
Q(PROCESS_GET,           3,      "SELECT api.process_get($1::text, $2::text, $3::text)")
Q(PROCESS_UPDATE,        4,      "SELECT api.process_update($1::text, $2::text, $3::text, $4::jsonb)")
Q(PHASE_CLOSE,           5,      "SELECT api.phase_close($1::text, $2::text, $3::text, $4::text, $5::jsonb)")
Q(CONSULTATION_CREATE,   4,      "SELECT api.consultation_create($1::text, $2::text, $3::text, $4::jsonb)")
Q(CONSULTATION_GET,      3,      "SELECT api.consultation_get($1::text, $2::text, $3::text)")
Q(CONSULTATION_UPDATE,   4,      "SELECT api.consultation_update($1::text, $2::text, $3::text, $4::jsonb)")
Q(RESPONSE_GET,          3,      "SELECT api.response_get($1::text, $2::text, $3::text)")
Q(RESPONSE_BEGIN,        3,      "SELECT questions, version FROM api.response_begin($1::text, $2::text, $3::text)")
Q(RESPONSE_PUT,          5,      "SELECT body, created FROM api.response_put($1::text, $2::text, $3::text, $4::text, $5::jsonb)")
Q(RESULTS_GET,           3,      "SELECT api.results_get($1::text, $2::text, $3::text)")
Q(RESULTS_PUBLISH,       3,      "SELECT api.results_publish($1::text, $2::text, $3::text)")
Q(RESPONSES_EXPORT,      4,      "SELECT api.responses_export($1::text, $2::text, $3::text, $4::text)")
Q(TEXT_HIDE,             7,      "SELECT api.text_hide($1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::text)")
Q(AUDIT_LIST,            4,      "SELECT body, next FROM api.audit_list($1::text, $2::text, $3::int, $4::text)")
/* clang-format on */
