/*
 * mail.h - handing mail to the transport
 *
 * The SQL functions record each message in app.outbox and return it as
 * {to, template, link_path}; the server appends the clear single-use token
 * (which the database never sees) to the link and hands the message to
 * the transport. The only transport so far is the log transport: one JSON
 * line per message in the file PARTICIPE_MAILBOX (make run and the tests
 * read links there), or on stderr when that is unset. It carries personal
 * data (the address, a secret link), which is why it is not the access
 * log; a production mailer relays app.outbox instead (docs/identity.md).
 */
#ifndef PARTICIPE_MAIL_H
#define PARTICIPE_MAIL_H

struct req;

/* Opens PARTICIPE_MAILBOX when set; -1 (and a message) on failure. */
int mail_open(const char *path);

/* Sends the message 'mail' (JSON text from SQL; NULL: nothing to send),
 * with 'token' appended to its link_path when both are set. */
void mail_send(struct req *r, const char *mail, const char *token);

/* Closes the mailbox. */
void mail_close(void);

#endif
