/* errno_track.h - which errno a failing call left, from the stores seen.
 *
 * The recorder sees, per thread and in time order, the entries and
 * returns of the traced calls and every errno store of the library
 * (errno_sites.h).  The errno a call leaves is the last value stored by
 * its thread between its entry and its return, including stores made
 * inside calls it made itself (glfs_utimens -> glfs_setattr): a stack of
 * open calls per thread, each with the last value stored since its entry.
 * Memory is bounded: a fixed table of threads, a fixed depth per thread.
 */
#ifndef TAPLINE_ERRNO_TRACK_H
#define TAPLINE_ERRNO_TRACK_H

#include <stdbool.h>

struct errno_track;

struct errno_track *errno_track_new(void);
void errno_track_free(struct errno_track *t);

/* Thread tid entered call (any pointer that names the function). */
void errno_track_entry(struct errno_track *t, int tid, const void *call);

/* Thread tid stored value into errno. */
void errno_track_store(struct errno_track *t, int tid, int value);

/* Thread tid returned from call: true, with the value, when the thread
 * stored errno since that call's entry.  Open calls above it (whose
 * returns were lost) are closed too. */
bool errno_track_return(struct errno_track *t, int tid, const void *call,
			int *value);

#endif
