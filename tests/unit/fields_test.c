/* fields_test.c - the field tables against what the decoders emit: the
 * tables are sound (registry_check_tables), and on every capture given
 * (files or directories), every stored field of every message, decoded
 * whole, has its definition from a registered table and one of its
 * kinds.  And decoded again with no field kept (what the summary lines
 * ask for), every message counts the same fields and arena bytes and
 * has the same verdicts and summary: what is counted without being
 * read ("Fields full") falls where storing it would.  Two TAP lines per
 * capture.
 *
 * usage: fields_test CAPTURE|DIR...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proto/registry.h"
#include "tap.h"
#include "wire/capture.h"
#include "wire/decoder.h"

/* What a message counts, whether its fields are kept or not. */
struct counted {
	uint64_t frame;
	unsigned nfields, verdict;
	size_t arena_used;
	uint64_t info_hash;
};

struct run {
	unsigned messages, fields;
	char why[256];
	bool bad;
	bool counting;		/* decoded with no field kept */
	struct counted *seen;	/* one per message */
	size_t nseen, room;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
	return h;
}

static void remember(struct run *r, const struct message *m)
{
	if (r->nseen == r->room) {
		size_t room = r->room ? 2 * r->room : 1024;
		struct counted *grown = realloc(r->seen, room * sizeof *grown);
		if (!grown) {
			r->bad = true;
			snprintf(r->why, sizeof r->why, "out of memory");
			return;
		}
		r->seen = grown;
		r->room = room;
	}
	r->seen[r->nseen++] = (struct counted){
		m->frame, m->nfields + m->skipped, m->verdict, m->arena_used,
		fnv1a(m->info, m->info_len) };
}

static void on_message(void *user, const struct message *m)
{
	struct run *r = user;
	r->messages++;
	r->fields += m->nfields;
	remember(r, m);
	if (r->counting)
		return;
	if (!r->bad && !registry_check_message(m, r->why, sizeof r->why)) {
		size_t n = strlen(r->why);
		snprintf(r->why + n, sizeof r->why - n, " (frame %llu)",
			 (unsigned long long)m->frame);
		r->bad = true;
	}
}

/* Decodes the capture at path into r; false when it is none (err). */
static bool decode(const char *path, bool no_fields, struct run *r,
		   char *err, size_t errlen)
{
	struct capture *cap = capture_open(&path, 1, err, errlen);
	if (!cap)
		return false;
	struct decoder_options opts;
	registry_decoder_options(&opts);
	opts.no_fields = no_fields;
	struct decoder *d = decoder_new(&opts, on_message, r);
	struct capture_frame f;
	while (d && capture_next(cap, &f) == 1)
		decoder_frame(d, &f);
	if (d)
		decoder_finish(d);
	else
		r->bad = true;
	decoder_free(d);
	capture_close(cap);
	return true;
}

static void check_capture(const char *path)
{
	char err[256];
	struct run r = { 0 }, counted = { .counting = true };
	if (!decode(path, false, &r, err, sizeof err)) {
		/* a hostile corpus entry may be no capture at all */
		ok(1, "%s: not a capture (%s)", path, err);
		ok(1, "%s: nothing to count", path);
		return;
	}
	ok(!r.bad, "%s: %u messages, %u fields, each defined%s%s", path,
	   r.messages, r.fields, r.bad ? ": " : "", r.bad ? r.why : "");
	decode(path, true, &counted, err, sizeof err);
	size_t i = 0;
	while (i < r.nseen && i < counted.nseen &&
	       !memcmp(&r.seen[i], &counted.seen[i], sizeof *r.seen))
		i++;
	bool same = !r.bad && !counted.bad && i == r.nseen &&
		    i == counted.nseen;
	if (same || i >= r.nseen || i >= counted.nseen)
		ok(same, "%s: counted as stored (%zu messages, %zu counted)",
		   path, r.nseen, counted.nseen);
	else
		ok(0, "%s: frame %llu counts %u fields and %zu bytes "
		   "(verdict %u) stored, %u and %zu (verdict %u) counted",
		   path, (unsigned long long)r.seen[i].frame,
		   r.seen[i].nfields, r.seen[i].arena_used, r.seen[i].verdict,
		   counted.seen[i].nfields, counted.seen[i].arena_used,
		   counted.seen[i].verdict);
	free(r.seen);
	free(counted.seen);
}

static void check_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		check_capture(path);
		return;
	}
	DIR *dir = opendir(path);
	if (!dir)
		return;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".md") ||
		    strstr(e->d_name, ".log"))
			continue;
		char **grown = realloc(names, (n + 1) * sizeof *names);
		if (!grown)
			break;
		names = grown;
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(len)))
			break;
		snprintf(names[n++], len, "%s/%s", path, e->d_name);
	}
	closedir(dir);
	for (size_t i = 0; i < n; i++) {
		check_path(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	char why[256];
	bool sound = registry_check_tables(why, sizeof why);
	ok(sound, "field tables are sound%s%s", sound ? "" : ": ",
	   sound ? "" : why);
	for (int i = 1; i < argc; i++)
		check_path(argv[i]);
	return tap_done();
}
