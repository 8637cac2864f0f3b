/* join.h - joining probe events with RPC messages, after the inputs are
 * in: entry/return pairing, clock offsets between captures, the links
 * (exact XID, time window with procedure fit, nesting).  Links are
 * recomputed from the whole database on every run, so adding inputs in
 * any order gives the same timeline. */
#ifndef TAPLINE_JOIN_H
#define TAPLINE_JOIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

struct join_stats {
	uint64_t pairs;			/* entry/return pairs made */
	uint64_t offsets;		/* capture pairs with a clock offset */
	uint64_t xid_events, xid_linked, xid_ambiguous;
	uint64_t pid_mapped;		/* connections mapped to a pid by XID */
	uint64_t window_calls, window_linked, window_links;
	uint64_t nesting_links;
};

/* The slack between a probe's clock and a capture's: events and packets
 * this far outside a window still count as inside. */
#define JOIN_CLOCK_SLACK_NS 1000000
/* An RPC's call reaches the wire at most this long after the probe that
 * saw it encoded (ENV.md: 2 us to 3 ms under load). */
#define JOIN_XID_WINDOW_NS 100000000

/* Runs every step; report (may be NULL) receives the clock offsets found
 * between captures.  False on a database error. */
bool join_all(struct db *db, struct join_stats *st, FILE *report);

/* The RPC procedures a glfs_* call may cause ("SETATTR" for
 * gfapi.utimens); NULL-terminated, or NULL when the probe is not a
 * known gfapi call. */
const char *const *join_fitting_procs(const char *probe);

#endif
