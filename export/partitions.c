/* partitions.c - an export's files, written aside and put in place at
 * the end (partitions.h). */
#define _XOPEN_SOURCE 700
#include "partitions.h"

#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPEN_FILES 16
#define PARTIAL ".partial"

struct open_file {
	char *path;		/* the .partial name; NULL when the slot is free */
	FILE *f;
	uint64_t used;		/* when last asked for: the least recent goes */
};

struct partitions {
	char *dir;
	char *timeline;
	struct open_file open[OPEN_FILES];
	uint64_t clock;
	char **written;		/* every .partial file made, to put in place */
	size_t nwritten, cap;
	bool failed;
};

static char *join_path(const char *a, const char *b, const char *c,
		       const char *d, const char *e)
{
	const char *parts[] = { a, b, c, d, e };
	size_t len = 1;
	for (size_t i = 0; i < 5; i++)
		if (parts[i])
			len += strlen(parts[i]) + 1;
	char *path = malloc(len);
	if (!path)
		return NULL;
	path[0] = '\0';
	for (size_t i = 0; i < 5; i++) {
		if (!parts[i])
			continue;
		if (path[0])
			strcat(path, "/");
		strcat(path, parts[i]);
	}
	return path;
}

/* mkdir -p of the directory part of `path`. */
static bool make_parents(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		bool ok = mkdir(path, 0777) == 0 || errno == EEXIST;
		if (!ok)
			fprintf(stderr, "tapline export: %s: %s\n", path,
				strerror(errno));
		*s = '/';
		if (!ok)
			return false;
	}
	return true;
}

struct partitions *partitions_new(const char *dir, const char *timeline)
{
	struct partitions *p = calloc(1, sizeof *p);
	if (!p || !(p->dir = strdup(dir)) || !(p->timeline = strdup(timeline))) {
		fprintf(stderr, "tapline export: out of memory\n");
		if (p)
			free(p->dir);
		free(p);
		return NULL;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "tapline export: %s: %s\n", dir, strerror(errno));
		free(p->dir);
		free(p->timeline);
		free(p);
		return NULL;
	}
	return p;
}

static bool close_slot(struct partitions *p, struct open_file *o)
{
	bool ok = true;
	if (o->f && fclose(o->f) != 0) {
		fprintf(stderr, "tapline export: %s: %s\n", o->path, strerror(errno));
		ok = false;
	}
	o->f = NULL;
	o->path = NULL;		/* owned by p->written */
	if (!ok)
		p->failed = true;
	return ok;
}

static bool remember(struct partitions *p, char *path)
{
	if (p->nwritten == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		char **w = realloc(p->written, cap * sizeof *w);
		if (!w)
			return false;
		p->written = w;
		p->cap = cap;
	}
	p->written[p->nwritten++] = path;
	return true;
}

FILE *partitions_file(struct partitions *p, const char *table,
		      const char *host, const char *hour)
{
	char host_dir[1024], hour_dir[1024], name[1024];
	snprintf(name, sizeof name, "%s.ndjson" PARTIAL, p->timeline);
	char *path;
	if (host) {
		char value[sizeof host_dir - 5];
		partition_escape(value, sizeof value, host);
		snprintf(host_dir, sizeof host_dir, "host=%s", value);
		partition_escape(value, sizeof value, hour);
		snprintf(hour_dir, sizeof hour_dir, "hour=%s", value);
		path = join_path(p->dir, table, host_dir, hour_dir, name);
	} else {
		path = join_path(p->dir, table, name, NULL, NULL);
	}
	if (!path) {
		fprintf(stderr, "tapline export: out of memory\n");
		return NULL;
	}

	struct open_file *lru = &p->open[0];
	for (size_t i = 0; i < OPEN_FILES; i++) {
		struct open_file *o = &p->open[i];
		if (o->path && strcmp(o->path, path) == 0) {
			free(path);
			o->used = ++p->clock;
			return o->f;
		}
		if (!o->path || o->used < lru->used)
			lru = o;
		if (!o->path)
			break;
	}
	if (lru->path && !close_slot(p, lru)) {
		free(path);
		return NULL;
	}

	/* Made before by this export: add to it; else start it afresh (a
	 * .partial an interrupted export left is not ours to keep). */
	char *known = NULL;
	for (size_t i = 0; i < p->nwritten && !known; i++)
		if (strcmp(p->written[i], path) == 0)
			known = p->written[i];
	if (!known && !make_parents(path)) {
		free(path);
		p->failed = true;
		return NULL;
	}
	FILE *f = fopen(path, known ? "a" : "w");
	if (!f) {
		fprintf(stderr, "tapline export: %s: %s\n", path, strerror(errno));
		free(path);
		p->failed = true;
		return NULL;
	}
	if (known) {
		free(path);
		path = known;
	} else if (!remember(p, path)) {
		fprintf(stderr, "tapline export: out of memory\n");
		fclose(f);
		unlink(path);
		free(path);
		p->failed = true;
		return NULL;
	}
	lru->path = path;
	lru->f = f;
	lru->used = ++p->clock;
	return f;
}

/* nftw has no user pointer: the file name an earlier export of this
 * timeline left, for remove_old(). */
static const char *old_name;

static int remove_old(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	if (type == FTW_F && strcmp(path + ftw->base, old_name) == 0 &&
	    unlink(path) != 0) {
		fprintf(stderr, "tapline export: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

bool partitions_finish(struct partitions *p, bool success)
{
	for (size_t i = 0; i < OPEN_FILES; i++)
		if (p->open[i].path)
			close_slot(p, &p->open[i]);
	success = success && !p->failed;

	char name[1024];
	snprintf(name, sizeof name, "%s.ndjson", p->timeline);
	old_name = name;
	if (success && nftw(p->dir, remove_old, 16, FTW_PHYS) != 0)
		success = false;
	for (size_t i = 0; i < p->nwritten; i++) {
		char *partial = p->written[i];
		if (success) {
			size_t len = strlen(partial) - strlen(PARTIAL);
			char final[len + 1];
			memcpy(final, partial, len);
			final[len] = '\0';
			if (rename(partial, final) != 0) {
				fprintf(stderr, "tapline export: %s: %s\n", final,
					strerror(errno));
				success = false;
			}
		} else {
			unlink(partial);
		}
		free(partial);
	}
	free(p->written);
	free(p->dir);
	free(p->timeline);
	free(p);
	return success;
}

void partition_escape(char *out, size_t size, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
		bool plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
			(*s == '.' && n > 0);	/* no ".", "..", hidden names */
		if (n + (plain ? 1 : 3) >= size)
			break;
		if (plain) {
			out[n++] = (char)*s;
		} else {
			out[n++] = '%';
			out[n++] = hex[*s >> 4];
			out[n++] = hex[*s & 15];
		}
	}
	if (n == 0 && size > 3) {	/* an empty value */
		memcpy(out, "%00", 3);
		n = 3;
	}
	out[size ? n : 0] = '\0';
}
