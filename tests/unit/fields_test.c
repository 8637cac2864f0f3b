/* fields_test.c - the field tables against what the decoders emit: the
 * tables are sound (registry_check_tables), and on every capture given
 * (files or directories), every stored field of every message, decoded
 * whole, has its definition from a registered table and one of its
 * kinds.  One TAP line per capture.
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

struct run {
	unsigned messages, fields;
	char why[256];
	bool bad;
};

static void on_message(void *user, const struct message *m)
{
	struct run *r = user;
	r->messages++;
	r->fields += m->nfields;
	if (!r->bad && !registry_check_message(m, r->why, sizeof r->why)) {
		size_t n = strlen(r->why);
		snprintf(r->why + n, sizeof r->why - n, " (frame %llu)",
			 (unsigned long long)m->frame);
		r->bad = true;
	}
}

static void check_capture(const char *path)
{
	char err[256];
	struct capture *cap = capture_open(&path, 1, err, sizeof err);
	if (!cap) {
		/* a hostile corpus entry may be no capture at all */
		ok(1, "%s: not a capture (%s)", path, err);
		return;
	}
	struct decoder_options opts;
	registry_decoder_options(&opts);
	struct run r = { 0 };
	struct decoder *d = decoder_new(&opts, on_message, &r);
	struct capture_frame f;
	while (d && capture_next(cap, &f) == 1)
		decoder_frame(d, &f);
	if (d)
		decoder_finish(d);
	decoder_free(d);
	capture_close(cap);
	ok(d && !r.bad, "%s: %u messages, %u fields, each defined%s%s", path,
	   r.messages, r.fields, r.bad ? ": " : "", r.bad ? r.why : "");
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
