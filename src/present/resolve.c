/* resolve.c - field names and protocol words through the registry. */
#include "resolve.h"

#include <string.h>
#include <strings.h>

#include "proto/registry.h"

bool field_ref_init(struct field_ref *ref, const char *name)
{
	ref->name = name;
	ref->def = field_find(name);
	ref->ctx.time_base = NULL;
	return ref->def != NULL;
}

unsigned field_ref_visit(const struct message *m, const struct field_ref *ref,
			 field_visit_fn fn, void *user)
{
	const struct field_def *def = ref->def;
	if (!def)
		return 0;
	if (def->derive) {
		unsigned n = 0, count = def->occurrences ? def->occurrences : 1;
		for (unsigned i = 0; i < count; i++) {
			struct field f;
			uint8_t buf[128];
			memset(&f, 0, sizeof f);
			f.def = def;
			if (!def->derive(m, &ref->ctx, i, &f, buf, sizeof buf))
				continue;
			n++;
			if (!fn(user, &f, buf))
				break;
		}
		return n;
	}
	unsigned n = 0;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->def != def)
			continue;
		n++;
		if (!fn(user, f, field_bytes(m, f)))
			break;
	}
	return n;
}

static bool copy_first(void *user, const struct field *f,
		       const uint8_t *bytes)
{
	*(struct field *)user = *f;
	return false;
}

bool field_ref_first(const struct message *m, const struct field_ref *ref,
		     struct field *out)
{
	return field_ref_visit(m, ref, copy_first, out) > 0;
}

static bool has_prefix(const char *name, const char *word, size_t len)
{
	return !strncasecmp(name, word, len) && name[len] == '.';
}

bool word_ref_init(struct word_ref *ref, const char *word)
{
	memset(ref, 0, sizeof *ref);
	ref->word = word;
	ref->len = strlen(word);
	ref->proto = protocol_find(word);
	if (!ref->proto)
		return false;
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++) {
			if (!(*f)->derive ||
			    !has_prefix((*f)->name, word, ref->len))
				continue;
			if ((*f)->flags & FIELD_DEF_HEADER)
				ref->in_header = true;
			if (ref->nderived < WORD_MAX_DERIVED)
				ref->derived[ref->nderived++] = *f;
		}
	return true;
}

static bool any(void *user, const struct field *f, const uint8_t *bytes)
{
	return false;
}

bool word_present(const struct message *m, const struct word_ref *ref)
{
	if (m->proto && !strcasecmp(ref->word, m->proto->label))
		return true;
	for (unsigned i = 0; i < ref->nderived; i++) {
		struct field_ref fr = { .def = ref->derived[i] };
		if (field_ref_visit(m, &fr, any, NULL))
			return true;
	}
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field_def *def = m->fields[i].def;
		if (def && has_prefix(def->name, ref->word, ref->len))
			return true;
	}
	return false;
}

bool name_in_header(const char *name)
{
	if (strchr(name, '.')) {
		const struct field_def *def = field_find(name);
		return def && (def->flags & FIELD_DEF_HEADER);
	}
	struct word_ref w;
	return word_ref_init(&w, name) && w.in_header;
}
