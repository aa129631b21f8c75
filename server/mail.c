/*
 * mail.c - the log transport of outgoing mail
 */
#include "mail.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "req.h"
#include "server.h"

static int mailbox_fd = -1;

int
mail_open(const char *path)
{
	if (path == NULL || *path == '\0')
		return 0;
	mailbox_fd =
	        open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (mailbox_fd < 0) {
		perror(path);
		return -1;
	}
	return 0;
}

void
mail_close(void)
{
	if (mailbox_fd >= 0)
		close(mailbox_fd);
	mailbox_fd = -1;
}

static const char *
subject(const char *template)
{
	if (strcmp(template, "confirm_email") == 0)
		return "Confirmez votre adresse e-mail";
	if (strcmp(template, "already_registered") == 0)
		return "Vous avez déjà un compte";
	if (strcmp(template, "reset_password") == 0)
		return "Réinitialisation de votre mot de passe";
	if (strcmp(template, "password_changed") == 0)
		return "Votre mot de passe a été changé";
	return "Participe";
}

void
mail_send(struct req *r, const char *mail, const char *token)
{
	json_t *m, *line;
	const char *to, *tpl, *path;
	char *link = NULL, *text;

	if (mail == NULL || *mail == '\0')
		return;
	m = json_loads(mail, 0, NULL);
	to = json_string_value(json_object_get(m, "to"));
	tpl = json_string_value(json_object_get(m, "template"));
	path = json_string_value(json_object_get(m, "link_path"));
	if (to == NULL || tpl == NULL) {
		log_msg("error", "malformed mail from the database");
		json_decref(m);
		return;
	}
	if (!json_is_true(json_object_get(m, "with_token")))
		token = NULL;
	if (path != NULL)
		link = arena_printf(r->arena, "%s%s%s%s",
		        g_server.cfg.public_url, path,
		        token != NULL ? "?token=" : "",
		        token != NULL ? token : "");
	line = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "msg", "mail", "to", to,
	        "template", tpl, "subject", subject(tpl), "link", link);
	if (mailbox_fd < 0) {
		log_json("info", "mail",
		        json_pack("{s:s, s:s, s:s?}", "to", to, "template", tpl,
		                "link", link));
	} else {
		char *dump = json_dumps(line, JSON_COMPACT);
		size_t n;

		/* One write(2) per line: lines of workers never interleave. */
		text = arena_printf(r->arena, "%s\n", dump);
		free(dump);
		n = strlen(text);
		if (write(mailbox_fd, text, n) != (ssize_t)n)
			log_msg("error", "could not write to the mailbox");
	}
	json_decref(line);
	json_decref(m);
}
