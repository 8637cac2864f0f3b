/* registry.c - the one list of protocols.  A protocol's entry lives in
 * its folder; here it is named once, in the order -G lists them (the
 * layers first, as a frame nests them). */
#include "registry.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/message.h"
#include "base/nearest.h"
#include "wire/decoder.h"

#include "tapline_fields.h"
#include "wire/fields.h"

/* The entries of the layers below the protocols, whose field tables
 * wire and this folder define. */
static const struct protocol tapline_protocol = {
	.name = "tapline", .label = "tapline",
	.meaning = "what every message has: its protocol, place, verdicts",
	.fields = tapline_fields,
	.words = (const char *const[]){ "_ws", NULL },
};
static const struct protocol frame_protocol = {
	.name = "frame", .label = "Frame",
	.meaning = "the frame a message completed in: number, time",
	.fields = frame_fields,
};
static const struct protocol ip_protocol = {
	.name = "ip", .label = "IPv4", .meaning = "Internet Protocol version 4",
	.fields = ip_fields,
};
static const struct protocol ipv6_protocol = {
	.name = "ipv6", .label = "IPv6",
	.meaning = "Internet Protocol version 6", .fields = ipv6_fields,
};
static const struct protocol tcp_protocol = {
	.name = "tcp", .label = "TCP",
	.meaning = "Transmission Control Protocol: ports, connections",
	.fields = tcp_fields,
};

static const struct protocol icmp_protocol = {
	.name = "icmp", .label = "ICMP",
	.meaning = "ICMP and ICMPv6 destination unreachable about a connection",
	.fields = icmp_fields,
};

/* One line per protocol (its entry is NAME_protocol, in its folder). */
#define PROTOCOLS(X) \
	X(rpc)		/* src/proto/oncrpc */ \
	X(glusterfs)	/* src/proto/gluster */ \
	X(ceph)		/* src/proto/ceph */ \
	X(cql)		/* src/proto/cql */ \
	X(scylla)	/* src/proto/scylla */

#define DECLARE_(name) extern const struct protocol name##_protocol;
PROTOCOLS(DECLARE_)
#define ENTRY_(name) &name##_protocol,

const struct protocol *const protocols[] = {
	&tapline_protocol, &frame_protocol, &ip_protocol, &ipv6_protocol,
	&tcp_protocol, &icmp_protocol, PROTOCOLS(ENTRY_) NULL,
};

bool protocol_carries(const struct protocol *p, const struct message *m)
{
	for (const struct protocol *q = m->proto; q; q = q->carrier)
		if (q == p)
			return true;
	return false;
}

/* The stream protocols in registry order, gathered once. */
#define MAX_STREAMS 32
static const struct stream_proto *streams[MAX_STREAMS + 1];
static size_t nstreams;
static pthread_once_t streams_once = PTHREAD_ONCE_INIT;

static void gather_streams(void)
{
	for (const struct protocol *const *p = protocols; *p; p++)
		if ((*p)->stream && nstreams < MAX_STREAMS)
			streams[nstreams++] = (*p)->stream;
}

const struct stream_proto *const *registry_stream_protocols(size_t *n)
{
	pthread_once(&streams_once, gather_streams);
	*n = nstreams;
	return streams;
}

void registry_decoder_options(struct decoder_options *opts)
{
	decoder_default_options(opts);
	opts->protocols = registry_stream_protocols(&opts->nprotocols);
	opts->tcp_protocol = &tcp_protocol;
}

const struct protocol *protocol_find(const char *word)
{
	for (const struct protocol *const *p = protocols; *p; p++) {
		if (!strcasecmp(word, (*p)->name) ||
		    !strcasecmp(word, (*p)->label))
			return *p;
		for (const char *const *w = (*p)->words; w && *w; w++)
			if (!strcasecmp(word, *w))
				return *p;
	}
	return NULL;
}

bool registry_set_option(const char *spec, char *err, size_t errlen)
{
	const char *dot = strchr(spec, '.'), *colon = strchr(spec, ':');
	if (!dot || !colon || colon < dot) {
		snprintf(err, errlen, "-o %s: expected PROTOCOL.OPTION:VALUE "
			 "(e.g. ceph.keyring:FILE)", spec);
		return false;
	}
	for (const struct protocol *const *p = protocols; *p; p++) {
		size_t n = strlen((*p)->name);
		if (n != (size_t)(dot - spec) || strncasecmp(spec, (*p)->name, n))
			continue;
		for (const struct protocol_option *o = (*p)->options;
		     o && o->name; o++)
			if (strlen(o->name) == (size_t)(colon - dot - 1) &&
			    !strncmp(dot + 1, o->name, (size_t)(colon - dot - 1)))
				return o->set(colon + 1, err, errlen);
		break;
	}
	size_t used = (size_t)snprintf(err, errlen, "-o %.*s: no such option; "
				       "options:", (int)(colon - spec), spec);
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct protocol_option *o = (*p)->options;
		     o && o->name && used < errlen; o++)
			used += (size_t)snprintf(err + used, errlen - used,
						 " %s.%s", (*p)->name, o->name);
	return false;
}

bool registry_set_named_option(const char *name, const char *value,
			       char *err, size_t errlen)
{
	bool any = false;
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct protocol_option *o = (*p)->options;
		     o && o->name; o++) {
			if (strcmp(o->name, name))
				continue;
			if (!o->set(value, err, errlen))
				return false;
			any = true;
		}
	if (!any)
		snprintf(err, errlen, "no protocol has a %s option", name);
	return any;
}

void registry_print_options(FILE *out)
{
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct protocol_option *o = (*p)->options;
		     o && o->name; o++)
			fprintf(out, "  -o %s.%s:%s\n      %s\n", (*p)->name,
				o->name, o->arg, o->meaning);
}

const struct field_def *field_find(const char *name)
{
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			if (!strcmp((*f)->name, name))
				return *f;
	return NULL;
}

/* Every definition with its protocol, by address, made once: a
 * message's check looks up each of its fields.  An open-addressed table
 * at most half full: a lookup is a probe or two, where a binary search
 * over the several hundred definitions took ten comparisons, for each
 * field of each message a fuzz harness checks. */
struct def_owner {
	const struct field_def *def;
	const struct protocol *proto;
};
static struct def_owner *def_owners;
static size_t def_owners_mask;
static pthread_once_t def_owners_once = PTHREAD_ONCE_INIT;

static size_t def_slot(const struct field_def *def)
{
	/* Fibonacci hashing of the address; its low bits are alignment. */
	return (size_t)(((uintptr_t)def >> 3) * 0x9e3779b97f4a7c15ull >> 20) &
	       def_owners_mask;
}

static void gather_def_owners(void)
{
	size_t n = 0;
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			n++;
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	def_owners = calloc(cap, sizeof *def_owners);
	if (!def_owners)
		return;		/* field_protocol() searches the tables */
	def_owners_mask = cap - 1;
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++) {
			size_t i = def_slot(*f);
			while (def_owners[i].def && def_owners[i].def != *f)
				i = (i + 1) & def_owners_mask;
			def_owners[i] = (struct def_owner){ *f, *p };
		}
}

const struct protocol *field_protocol(const struct field_def *def)
{
	pthread_once(&def_owners_once, gather_def_owners);
	if (def_owners) {
		for (size_t i = def_slot(def); def_owners[i].def;
		     i = (i + 1) & def_owners_mask)
			if (def_owners[i].def == def)
				return def_owners[i].proto;
		return NULL;
	}
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			if (*f == def)
				return *p;
	return NULL;
}

const char *registry_nearest(const char *word)
{
	struct nearest n;
	nearest_init(&n, word);
	for (const struct protocol *const *p = protocols; *p; p++) {
		nearest_consider(&n, (*p)->name);
		for (const char *const *w = (*p)->words; w && *w; w++)
			nearest_consider(&n, *w);
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			nearest_consider(&n, (*f)->name);
	}
	return n.best;
}

struct value_count {
	void (*fn)(void *user, uint64_t value, const char *name);
	void *user;
	unsigned n;
};

static void count_value(void *user, uint64_t value, const char *name)
{
	struct value_count *c = user;
	c->n++;
	c->fn(c->user, value, name);
}

unsigned registry_value_names(const struct field_def *def,
			      void (*fn)(void *user, uint64_t value,
					 const char *name),
			      void *user)
{
	struct value_count c = { fn, user, 0 };
	for (const struct value_name *v = def->values; v && v->name; v++)
		count_value(&c, v->value, v->name);
	for (const struct protocol *const *p = protocols; *p; p++)
		if ((*p)->value_names)
			(*p)->value_names(def, count_value, &c);
	return c.n;
}

bool registry_check_message(const struct message *m, char *why, size_t len)
{
	if (m->first_frame > m->frame) {
		snprintf(why, len, "frame %" PRIu64 ": begins later, in %"
			 PRIu64, m->frame, m->first_frame);
		return false;
	}
	const struct exchange *ex = &m->exchange;
	if (ex->kind == EXCHANGE_RESPONSE && ex->request_frame >= m->frame &&
	    ex->request_frame) {
		snprintf(why, len, "frame %" PRIu64 ": answers a request of "
			 "frame %" PRIu64 ", not before it", m->frame,
			 ex->request_frame);
		return false;
	}
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		const struct field_def *def = f->def;
		if (f->kind == FIELD_TREE_END) {
			if (def) {
				snprintf(why, len, "field %u: a subtree's end "
					 "with a definition (%s)", i, def->name);
				return false;
			}
			continue;
		}
		if (!def || !field_protocol(def)) {
			snprintf(why, len, "field %u (%s): no registered "
				 "definition", i, def ? def->name : "no name");
			return false;
		}
		if (f->kind != def->kind && !(def->also & 1u << f->kind)) {
			snprintf(why, len, "field %u (%s): kind %s, its "
				 "definition says %s", i, def->name,
				 field_kind_name(f->kind),
				 field_kind_name(def->kind));
			return false;
		}
	}
	return true;
}

/* Whether name begins with word and a dot. */
static bool named_with(const char *name, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(name, word, n) && name[n] == '.';
}

bool registry_check_tables(char *why, size_t len)
{
	for (const struct protocol *const *p = protocols; *p; p++) {
		if (!(*p)->name || !(*p)->label || !(*p)->meaning ||
		    !(*p)->fields) {
			snprintf(why, len, "protocol %s: name, label, meaning "
				 "and fields are required", (*p)->name);
			return false;
		}
		for (const struct field_def *const *f = (*p)->fields; *f; f++) {
			const struct field_def *d = *f;
			bool named = named_with(d->name, (*p)->name) ||
				     ((*p)->carrier &&
				      named_with(d->name, (*p)->carrier->name));
			for (const char *const *w = (*p)->words; w && *w; w++)
				named |= named_with(d->name, *w);
			if (!named) {
				snprintf(why, len, "%s: not named with %s, "
					 "its words or its carrier", d->name,
					 (*p)->name);
				return false;
			}
			if (!d->meaning || !*d->meaning) {
				snprintf(why, len, "%s: no meaning", d->name);
				return false;
			}
			if (d->kind >= FIELD_KINDS || d->kind == FIELD_TREE_END) {
				snprintf(why, len, "%s: no such kind", d->name);
				return false;
			}
			if (d->occurrences > 1 && !d->derive) {
				snprintf(why, len, "%s: occurrences without a "
					 "derive function", d->name);
				return false;
			}
			if (field_find(d->name) != d) {
				snprintf(why, len, "%s: defined twice", d->name);
				return false;
			}
		}
	}
	return true;
}
