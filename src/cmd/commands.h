/* commands.h - the subcommands of the tapline program.  Each returns the
 * process exit status: 0 success, 1 failure, 2 usage error. */
#ifndef TAPLINE_COMMANDS_H
#define TAPLINE_COMMANDS_H

int cmd_decode(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_correlate(int argc, char **argv);

#endif
