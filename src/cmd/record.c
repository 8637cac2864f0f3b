/* cmd_record.c - `tapline record`: options and help (the work is in
 * recorder.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "record/recorder.h"

static void usage(FILE *out)
{
	fputs(
"usage: tapline record [OPTIONS] -p PID\n"
"       tapline record [OPTIONS] -- COMMAND [ARGS...]\n"
"       tapline record --list [-P PATTERN]\n"
"\n"
"Records what a program asks of GlusterFS - every libgfapi call with its\n"
"arguments and result, the XID of every RPC it sends and receives, the\n"
"handshake's verdict - with the kernel's uprobes, in tapline's probe\n"
"record format (docs/record-format.md).  Needs no SystemTap, no kernel\n"
"module and no debug info: probes sit on exported symbols (every version)\n"
"and read arguments by their x86-64 ABI position, or by name from the\n"
"library's DWARF where it has some (a -g build given with --lib).\n"
"\n"
"Probes live in a private tracefs instance (instances/tapline-PID), so\n"
"the global trace buffer and other tracers are left alone, and are\n"
"removed on exit, Ctrl-C and SIGTERM; leftovers of a crashed run are\n"
"removed by the next one.  Timestamps are read at full (ns) resolution\n"
"from the kernel's per-CPU binary buffers and written as realtime; the\n"
"header names the trace clock and the offset used.\n"
"\n"
"Target (one of):\n"
"  -p, --pid PID         record process PID: all its threads, also the\n"
"                        ones it creates later, and the children it forks\n"
"                        from now on (an smbd serving a client already is\n"
"                        a child: give that child's pid)\n"
"  -- COMMAND [ARGS...]  run COMMAND and record it from its first\n"
"                        instruction; exits with COMMAND's status\n"
"\n"
"Options:\n"
"  -o, --output FILE     write records to FILE (default: standard output)\n"
"  -P, --probes PATTERN  which probes, as shell globs, comma-separated or\n"
"                        repeated (default: gfapi.*,rpc.*,gluster.*);\n"
"                        an exact name that cannot be placed is an error\n"
"  -l, --list            list the probes, their fields and where they go\n"
"      --lib [NAME=]PATH use this library file instead of the one found,\n"
"                        e.g. --lib /opt/gluster/lib/libgfapi.so.0; NAME\n"
"                        is a prefix such as libgfapi or libtirpc.  With\n"
"                        -p the target's own mapped libraries are used\n"
"  -b, --buffer-size KB  per-CPU ring buffer size (default 4096)\n"
"      --tracefs DIR     tracefs mount point (default: /sys/kernel/tracing,\n"
"                        mounted there when missing)\n"
"      --cleanup         only remove probes left by dead runs, and exit\n"
"  -q, --quiet           no progress messages on standard error\n"
"  -h, --help            this help\n"
"\n"
"Output: a header line, '# probe' comments naming where each probe was\n"
"placed, then one line per event:\n"
"  TS_NS PID TID \"COMM\" PROBE PHASE KEY=VALUE...\n"
"  1763762400200000123 4242 4242 \"gfapi-client\" gfapi.utimens entry "
"path=\"/f\" atime_sec=-1 ...\n"
"\n"
"errno: a failed gfapi.* return (ret negative, or 0x0 for a pointer)\n"
"carries errno=N, the value libgfapi stored into errno during the call:\n"
"its `errno = x` stores are found in its machine code and probed (the\n"
"header's 'gfapi.errno_store' line says how many; they fire on failure\n"
"paths only).  errno set by libc itself is not seen: then errno is left\n"
"out, and the rpc.reply/gluster.* events nearby usually say why.\n"
"TAPLINE_RECORD_ERRNO=0 in the environment leaves those probes out.\n"
"\n"
"Pid filter: a uprobe traps in every process that runs the probed\n"
"function, target or not.  The recorder writes the target's events only:\n"
"it follows the target's new threads and children through the kernel's\n"
"fork and exit events, and drops the events of other processes, counted\n"
"in the output's last lines ('N event(s) of other processes dropped').\n"
"TAPLINE_RECORD_KERNEL_PID_FILTER=1 has the kernel drop them instead\n"
"(set_event_pid with event-fork): each probe hit in the target then\n"
"costs ~0.07 us more, but busy other processes calling the same\n"
"functions cannot fill the ring buffer; use it when they do (lost events).\n"
"\n"
"Limits: a field whose memory could not be read (e.g. a NULL path) is\n"
"left out of the line.  Needs root (CAP_SYS_ADMIN) and a kernel with\n"
"CONFIG_UPROBE_EVENTS.\n"
"\n"
"Exit status: 0 done (or stopped with Ctrl-C), 1 failure, 2 usage error;\n"
"with COMMAND, COMMAND's exit status.\n"
"\n"
"See tapline-record(1), docs/probes.md and docs/record-format.md.\n",
	      out);
}

int cmd_record(int argc, char **argv)
{
	enum { OPT_LIB = 256, OPT_TRACEFS, OPT_CLEANUP };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "probes", required_argument, NULL, 'P' },
		{ "list", no_argument, NULL, 'l' },
		{ "lib", required_argument, NULL, OPT_LIB },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "tracefs", required_argument, NULL, OPT_TRACEFS },
		{ "cleanup", no_argument, NULL, OPT_CLEANUP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder_options opt;
	memset(&opt, 0, sizeof(opt));
	bool list = false, cleanup = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:o:P:lb:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			char *end;
			long pid = strtol(optarg, &end, 10);
			if (*end || pid <= 0 || pid > 0x7fffffff) {
				fprintf(stderr, "tapline record: -p: '%s' is "
					"not a process id\n", optarg);
				return 2;
			}
			opt.pid = (pid_t)pid;
			break;
		}
		case 'o':
			opt.output = optarg;
			break;
		case 'P':
			if (opt.npatterns == RECORDER_MAX_LIST) {
				fprintf(stderr, "tapline record: too many -P\n");
				return 2;
			}
			opt.patterns[opt.npatterns++] = optarg;
			break;
		case 'l':
			list = true;
			break;
		case OPT_LIB:
			if (opt.nlibs == RECORDER_MAX_LIST) {
				fprintf(stderr, "tapline record: too many --lib\n");
				return 2;
			}
			opt.libs[opt.nlibs++] = optarg;
			break;
		case 'b': {
			char *end;
			long kb = strtol(optarg, &end, 10);
			if (*end || kb < 4 || kb > 1 << 22) {
				fprintf(stderr, "tapline record: -b: '%s' is "
					"not a size in KB (4..4194304)\n", optarg);
				return 2;
			}
			opt.buffer_kb = (unsigned)kb;
			break;
		}
		case OPT_TRACEFS:
			opt.tracefs = optarg;
			break;
		case OPT_CLEANUP:
			cleanup = true;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'tapline record --help'.\n");
			return 2;
		}
	}
	if (list)
		return recorder_list(&opt, stdout) ? 1 : 0;
	if (cleanup)
		return recorder_cleanup_stale(opt.tracefs, opt.quiet) < 0 ? 1 : 0;
	if (optind < argc)
		opt.command = argv + optind;
	if (!opt.command == !opt.pid) {
		fprintf(stderr, "tapline record: give either -p PID or -- "
			"COMMAND\nTry 'tapline record --help'.\n");
		return 2;
	}
	return recorder_run(&opt);
}
