/* commands.h - the subcommands of the tapline program.  Each returns the
 * process exit status: 0 success, 1 failure, 2 usage error. */
#ifndef TAPLINE_COMMANDS_H
#define TAPLINE_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

int cmd_decode(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_correlate(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sql(int argc, char **argv);

/* A size option's value: bytes, or K, M, G (KiB, MiB, GiB; "MiB" and
 * "MB" are read the same) after a whole number; false if it is not one
 * or does not fit. */
bool parse_size(const char *s, size_t *v);

#endif
