/* main.c - the tapline program: dispatches to one subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* A subcommand is listed here once it works. */
static const struct command commands[] = {
	{ "decode", cmd_decode, "decode GlusterFS, Ceph, CQL and ScyllaDB from pcap captures (tshark-style output)" },
	{ "record", cmd_record, "record libgfapi calls and RPC XIDs with kernel uprobes" },
	{ "correlate", cmd_correlate, "join captures and probe records into one SQLite timeline" },
	{ "diagnose", cmd_diagnose, "say what went wrong in a timeline: hung calls, failed connections and calls" },
	{ "export", cmd_export, "write timelines as NDJSON by host and hour, for DuckDB, Spark, Trino, OpenSearch" },
	{ "sql", cmd_sql, "run SQL on a timeline, with the functions that render message bodies" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tapline COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"tapline joins what a program called (SystemTap or uprobe records)\n"
		"with what went over the wire (pcap captures) for GlusterFS and\n"
		"other distributed storage.\n"
		"\n"
		"Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
		"\n"
		"Run 'tapline COMMAND --help' for a command's options, or see\n"
		"tapline(1) and tapline-COMMAND(1).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
	    !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-v")) {
		printf("tapline %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "tapline: '%s' is not a command; see 'tapline --help'\n",
		name);
	return 2;
}
