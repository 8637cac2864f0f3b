/* errno_track.c - the errno of each call, per thread (see errno_track.h). */
#include <stdlib.h>

#include "errno_track.h"

#define TRACK_THREADS 1024
#define TRACK_PROBES 8		/* slots tried per thread */
#define TRACK_DEPTH 16

struct frame {
	const void *call;
	bool stored;
	int value;
	unsigned long long seq;	/* of the store: the latest wins */
};

struct thread {
	int tid;		/* 0: free */
	unsigned depth;		/* open calls, may exceed TRACK_DEPTH */
	struct frame frames[TRACK_DEPTH];
};

struct errno_track {
	struct thread threads[TRACK_THREADS];
	unsigned long long seq;
};

struct errno_track *errno_track_new(void)
{
	return calloc(1, sizeof(struct errno_track));
}

void errno_track_free(struct errno_track *t)
{
	free(t);
}

/* The thread's slot; with create, a free one (or one without open calls,
 * or else the first tried: its calls are forgotten). */
static struct thread *thread_of(struct errno_track *t, int tid, bool create)
{
	unsigned h = (unsigned)tid * 2654435761u % TRACK_THREADS;
	struct thread *idle = NULL;
	for (unsigned i = 0; i < TRACK_PROBES; i++) {
		struct thread *th = &t->threads[(h + i) % TRACK_THREADS];
		if (th->tid == tid)
			return th;
		if (!idle && (th->tid == 0 || th->depth == 0))
			idle = th;
	}
	if (!create)
		return NULL;
	if (!idle)
		idle = &t->threads[h];
	idle->tid = tid;
	idle->depth = 0;
	return idle;
}

void errno_track_entry(struct errno_track *t, int tid, const void *call)
{
	struct thread *th = thread_of(t, tid, true);
	if (th->depth < TRACK_DEPTH)
		th->frames[th->depth] = (struct frame){ call, false, 0, 0 };
	th->depth++;
}

void errno_track_store(struct errno_track *t, int tid, int value)
{
	struct thread *th = thread_of(t, tid, false);
	if (!th || !th->depth || th->depth > TRACK_DEPTH)
		return;		/* outside any traced call, or too deep */
	struct frame *f = &th->frames[th->depth - 1];
	f->stored = true;
	f->value = value;
	f->seq = ++t->seq;
}

bool errno_track_return(struct errno_track *t, int tid, const void *call,
			int *value)
{
	struct thread *th = thread_of(t, tid, false);
	if (!th || !th->depth)
		return false;	/* its entry was before the recording */
	if (th->depth > TRACK_DEPTH) {
		th->depth--;	/* a frame that was never kept */
		return false;
	}
	unsigned d = th->depth;
	while (d && th->frames[d - 1].call != call)
		d--;
	if (!d)
		return false;	/* no open entry of this call */
	/* the frames above it lost their returns: their stores still
	 * happened inside this call */
	const struct frame *last = NULL;
	for (unsigned k = d - 1; k < th->depth; k++)
		if (th->frames[k].stored &&
		    (!last || th->frames[k].seq > last->seq))
			last = &th->frames[k];
	bool stored = last != NULL;
	int v = last ? last->value : 0;
	unsigned long long seq = last ? last->seq : 0;
	th->depth = d - 1;
	if (stored && th->depth) {
		/* a store inside this call is a store inside its caller */
		struct frame *up = &th->frames[th->depth - 1];
		if (!up->stored || up->seq < seq)
			*up = (struct frame){ up->call, true, v, seq };
	}
	if (stored)
		*value = v;
	return stored;
}
