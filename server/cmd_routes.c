/*
 * cmd_routes.c - participe routes: print the route table, one
 * "METHOD PATTERN" line per route, in table (= api-spec) order. The
 * contract test compares this with api-spec/openapi.yaml.
 */
#include <stdio.h>

#include "cmd.h"
#include "route.h"
#include "router.h"

int
cmd_routes(int argc, char **argv)
{
	size_t i;

	(void)argv;
	if (argc > 1) {
		fputs("usage: participe routes\n", stderr);
		return 2;
	}
	for (i = 0; i < router_count(); i++)
		printf("%s %s\n", route_method_name(router_method((int)i)),
		        router_pattern((int)i));
	return 0;
}
