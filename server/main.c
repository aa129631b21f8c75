/*
 * main.c - bin/participe: one binary, several subcommands
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
        {"serve", cmd_serve, "run the HTTP API (PARTICIPE_* variables)"},
        {"migrate", cmd_migrate, "apply database migrations and functions"},
        {"seed-demo", cmd_seed_demo, "load the demo data set"},
        {"routes", cmd_routes, "print the route table (METHOD PATTERN)"},
        {"admin", cmd_admin, "platform administration (admin help)"},
        {"roll", cmd_roll, "hash a collectivity's roll (roll help)"},
        {"cred", cmd_cred, "voter credentials of an election (cred help)"},
        {"ballot", cmd_ballot, "sign a ballot (ballot help)"},
        {"verify", cmd_verify, "verify an exported election (verify help)"},
        {"pb", cmd_pb, "participatory-budget outcomes (pb help)"},
        {"metrics", cmd_metrics, "publish closed periods' metrics"},
};

static int
usage(FILE *f)
{
	size_t i;

	fputs("usage: participe <command> [args]\n\ncommands:\n", f);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	return f == stdout ? 0 : 2;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	        strcmp(argv[1], "-h") == 0)
		return usage(stdout);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "participe: unknown command \"%s\"\n", argv[1]);
	return usage(stderr);
}
