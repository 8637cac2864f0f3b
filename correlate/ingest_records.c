/* ingest_records.c - probe records into probe_events. */
#include "ingest.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "jbuf.h"
#include "records.h"

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void progress_update(struct progress *p, uint64_t done, uint64_t items,
		     const char *unit)
{
	if (!p || !p->out)
		return;
	int64_t t = now_ns();
	if (t - p->last_ns < 250000000)
		return;
	p->last_ns = t;
	if (p->total)
		fprintf(p->out, "\r\033[K%s: %3u%% %" PRIu64 " %s",
			p->label, (unsigned)(done * 100 / p->total), items,
			unit);
	else
		fprintf(p->out, "\r\033[K%s: %" PRIu64 " %s", p->label, items,
			unit);
	fflush(p->out);
}

void progress_end(struct progress *p)
{
	if (p && p->out && p->last_ns) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
}

/* A value as an integer column: decimal, or hex that fits. */
static bool value_int(const struct record_event *ev, const char *key,
		      int64_t *out)
{
	const struct record_value *v = record_find(ev, key);
	if (!v)
		return false;
	if (v->kind == VALUE_INT) {
		*out = v->i;
		return true;
	}
	if (v->kind == VALUE_HEX && v->u <= (uint64_t)INT64_MAX) {
		*out = (int64_t)v->u;
		return true;
	}
	return false;
}

static void bind_value_int(sqlite3_stmt *st, int col,
			   const struct record_event *ev, const char *key)
{
	int64_t v = 0;
	bool have = value_int(ev, key, &v);
	db_bind_opt_int(st, col, have, v);
}

/* The line's key=value pairs as one JSON object, in line order. */
static void render_args(struct jbuf *b, const struct record_event *ev)
{
	jbuf_reset(b);
	jbuf_puts(b, "{");
	for (size_t i = 0; i < ev->nvalues; i++) {
		const struct record_value *v = &ev->values[i];
		if (i)
			jbuf_puts(b, ",");
		jbuf_json_string(b, v->key, strlen(v->key));
		jbuf_puts(b, ":");
		switch (v->kind) {
		case VALUE_INT:
			jbuf_printf(b, "%" PRId64, v->i);
			break;
		case VALUE_HEX:
			/* Numbers where SQLite can hold them; pointers past
			 * INT64_MAX stay text. */
			if (v->u <= (uint64_t)INT64_MAX)
				jbuf_printf(b, "%" PRIu64, v->u);
			else
				jbuf_printf(b, "\"0x%" PRIx64 "\"", v->u);
			break;
		default:
			jbuf_json_string(b, v->s, v->len);
			break;
		}
	}
	jbuf_puts(b, "}");
}

static const char *const phase_names[] = {
	[PHASE_ENTRY] = "entry", [PHASE_RETURN] = "return",
	[PHASE_EVENT] = "event",
};

bool ingest_records(struct db *db, struct input_summary *sum,
		    struct progress *prog, FILE *report)
{
	char err[512];
	struct record_reader *r = records_open(sum->path, report, err,
					       sizeof err);
	if (!r) {
		snprintf(sum->error, sizeof sum->error, "%s", err);
		sum->unreadable = true;
		return true;
	}
	struct jbuf args = { 0 };
	bool ok = true, first_header = true;
	int64_t session = 0;
	char host[256] = "";
	bool have_host = false;
	struct record rec;
	int got;
	while ((got = records_next(r, &rec)) == 1) {
		if (rec.kind == RECORD_HEADER) {
			const struct record_session *s = rec.session;
			sqlite3_stmt *st = db_stmt(db, ST_SESSION_INSERT);
			if (!st) {
				ok = false;
				break;
			}
			sqlite3_bind_int64(st, 1, sum->id);
			sqlite3_bind_int64(st, 2, (int64_t)s->line);
			db_bind_text(st, 3, s->host, s->host ? strlen(s->host) : 0);
			db_bind_text(st, 4, s->clock_name, strlen(s->clock_name));
			db_bind_opt_int(st, 5, s->offset_known, s->clock_offset_ns);
			db_bind_text(st, 6, s->boot_id,
				     s->boot_id ? strlen(s->boot_id) : 0);
			db_bind_text(st, 7, s->recorder,
				     s->recorder ? strlen(s->recorder) : 0);
			db_bind_opt_int(st, 8, s->has_start &&
					s->start_ns <= INT64_MAX,
					(int64_t)s->start_ns);
			db_bind_text(st, 9, s->text, strlen(s->text));
			if (!db_done(db, st)) {
				ok = false;
				break;
			}
			session = sqlite3_last_insert_rowid(db->handle);
			have_host = s->host != NULL;
			snprintf(host, sizeof host, "%s", s->host ? s->host : "");
			if (first_header) {
				first_header = false;
				snprintf(sum->host, sizeof sum->host, "%s", host);
				snprintf(sum->clock, sizeof sum->clock, "%s",
					 s->clock_name);
				sum->have_offset = s->offset_known;
				sum->clock_offset_ns = s->clock_offset_ns;
			}
			if (!s->offset_known && report)
				fprintf(report, "%s:%lu: clock offset unknown"
					" (clock=%s clock_offset_ns=?): times of"
					" this session are kept raw and not"
					" joined by time\n", sum->path,
					s->line, s->clock_name);
			continue;
		}
		const struct record_event *ev = &rec.event;
		render_args(&args, ev);
		if (args.failed) {
			ok = false;
			fprintf(stderr, "tapline correlate: out of memory\n");
			break;
		}
		sqlite3_stmt *st = db_stmt(db, ST_EVENT_INSERT);
		if (!st) {
			ok = false;
			break;
		}
		sqlite3_bind_int64(st, 1, sum->id);
		sqlite3_bind_int64(st, 2, session);
		sqlite3_bind_int64(st, 3, (int64_t)ev->line);
		db_bind_opt_int(st, 4, ev->ts_known, ev->ts_ns);
		sqlite3_bind_int64(st, 5, (int64_t)ev->ts_raw);
		db_bind_text(st, 6, have_host ? host : NULL, strlen(host));
		sqlite3_bind_int64(st, 7, ev->pid);
		sqlite3_bind_int64(st, 8, ev->tid);
		db_bind_text(st, 9, ev->comm, ev->comm_len);
		db_bind_text(st, 10, ev->probe, strlen(ev->probe));
		sqlite3_bind_text(st, 11, phase_names[ev->phase], -1,
				  SQLITE_STATIC);
		db_bind_text(st, 12, args.p, args.len);
		bind_value_int(st, 13, ev, "ret");
		bind_value_int(st, 14, ev, "errno");
		bind_value_int(st, 15, ev, "xid");
		bind_value_int(st, 16, ev, "prog");
		bind_value_int(st, 17, ev, "vers");
		bind_value_int(st, 18, ev, "proc");
		const struct record_value *path = record_find(ev, "path");
		if (path && path->kind == VALUE_STR)
			db_bind_text(st, 19, path->s, path->len);
		if (!db_done(db, st)) {
			ok = false;
			break;
		}
		sum->events++;
		if (ev->ts_known)
			input_note_time(sum, ev->ts_ns);
		if ((sum->events & 1023) == 0)
			progress_update(prog, records_bytes(r), sum->events,
					"events");
	}
	if (got < 0)
		snprintf(sum->error, sizeof sum->error, "%s", records_error(r));
	sum->malformed = records_malformed(r);
	progress_end(prog);
	records_close(r);
	jbuf_free(&args);
	return ok;
}

bool ingest_finish(struct db *db, const struct input_summary *sum)
{
	sqlite3_stmt *st = db_stmt(db, ST_INPUT_FINISH);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, sum->id);
	db_bind_text(st, 2, sum->host[0] ? sum->host : NULL, strlen(sum->host));
	db_bind_text(st, 3, sum->clock[0] ? sum->clock : NULL,
		     strlen(sum->clock));
	db_bind_opt_int(st, 4, sum->have_offset, sum->clock_offset_ns);
	db_bind_opt_int(st, 5, sum->have_ts, sum->first_ts_ns);
	db_bind_opt_int(st, 6, sum->have_ts, sum->last_ts_ns);
	sqlite3_bind_int64(st, 7, (int64_t)sum->frames);
	sqlite3_bind_int64(st, 8, (int64_t)sum->messages);
	sqlite3_bind_int64(st, 9, (int64_t)sum->events);
	sqlite3_bind_int64(st, 10, (int64_t)sum->malformed);
	db_bind_text(st, 11, sum->error[0] ? sum->error : NULL,
		     strlen(sum->error));
	return db_done(db, st);
}
