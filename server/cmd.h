/*
 * cmd.h - the subcommands of bin/participe
 */
#ifndef PARTICIPE_CMD_H
#define PARTICIPE_CMD_H

/* participe serve: the HTTP API. */
int cmd_serve(int argc, char **argv);

/* participe migrate: apply sql/migrations, then sql/functions. */
int cmd_migrate(int argc, char **argv);

/* participe seed-demo: load the demo data set (idempotent). */
int cmd_seed_demo(int argc, char **argv);

/* participe routes: the route table, for the contract test. */
int cmd_routes(int argc, char **argv);

/* participe admin: platform administration from the shell. */
int cmd_admin(int argc, char **argv);

/* participe roll: hash a collectivity's roll for upload (cmd_roll.c). */
int cmd_roll(int argc, char **argv);

/* participe cred: voter credentials of an election (cmd_vote.c). */
int cmd_cred(int argc, char **argv);

/* participe ballot: build and sign a ballot (cmd_vote.c). */
int cmd_ballot(int argc, char **argv);

/* participe verify: check an exported election (cmd_vote.c). */
int cmd_verify(int argc, char **argv);

/* participe pb: participatory budgets from Pabulib files (cmd_pb.c). */
int cmd_pb(int argc, char **argv);

/* participe metrics publish: closed periods' snapshots (cmd_metrics.c). */
int cmd_metrics(int argc, char **argv);

/* participe pb import: a Pabulib file into a process (cmd_pb_import.c). */
int pb_import(int argc, char **argv);

#endif
