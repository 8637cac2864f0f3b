/* protocol.c - the Ceph messenger's entry in the protocol registry: its
 * header in -V and -T json, and its option, the keyring that opens
 * secure mode (tapline decode --keyring FILE, -o ceph.keyring:FILE). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/view.h"
#include "proto/ceph/ceph.h"
#include "proto/ceph/fields.h"
#include "proto/registry.h"
#include "wire/stream.h"

extern const struct stream_proto ceph_stream_proto;

static const char *kind_name(unsigned kind)
{
	const char *n = field_value_name(&hf_ceph_kind, kind);
	return n ? n : "?";
}

static void ceph_tree_head(const struct message *m, struct view *v)
{
	if (!ceph_message(m))
		return;
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	unsigned msgr = ceph_info_msgr(info), kind = ceph_info_kind(info);
	unsigned tag = ceph_info_tag(info);
	const char *dir = info & CEPH_I_FROM_CLIENT ? "client -> server" :
						      "server -> client";
	if (msgr == 2)
		view_linef(v, "Ceph messenger v2 (msgr2.%u%s%s), %s",
			   info & CEPH_I_REV1 ? 1u : 0u,
			   info & CEPH_I_SECURE ? ", secure mode" : "",
			   info & CEPH_I_DECRYPTED ? ", decrypted" : "", dir);
	else
		view_linef(v, "Ceph messenger v1, %s", dir);
	if (kind == CEPH_UNIT_FRAME) {
		const char *t = msgr2_tag_name(tag);
		view_linef(v, "    Frame: %s (%u)", t ? t : "?", tag);
	} else if (kind == CEPH_UNIT_TAG || kind == CEPH_UNIT_MESSAGE ||
		   kind == CEPH_UNIT_CONNECT_REPLY) {
		const char *t = msgr1_tag_name(tag);
		view_linef(v, "    %s: %s (%u)", kind_name(kind), t ? t : "?", tag);
	} else {
		view_linef(v, "    %s", kind_name(kind));
	}
	if (!(info & CEPH_I_HEAD))
		return;
	unsigned type = ceph_info_type(info);
	const char *tn = ceph_type_name(type);
	uint64_t vers = ceph_word(m, CEPH_H_VERSIONS);
	uint64_t sizes = ceph_word(m, CEPH_H_SIZES);
	view_linef(v, "    Message: %s (%u), version %u, compat %u, tid %" PRIu64
		   ", seq %" PRIu64 ", priority %u", tn ? tn : "?", type,
		   (unsigned)(vers & 0xffff), (unsigned)(vers >> 16 & 0xffff),
		   ceph_word(m, CEPH_H_TID), ceph_word(m, CEPH_H_SEQ),
		   (unsigned)(vers >> 32 & 0xffff));
	view_linef(v, "    Sizes: front %u, middle %u, data %u",
		   (unsigned)(sizes & 0xffffffffu), (unsigned)(sizes >> 32),
		   (unsigned)(ceph_word(m, CEPH_H_DATA) & 0xffffffffu));
	if (msgr == 1) {
		unsigned st = (unsigned)(ceph_word(m, CEPH_H_DATA) >> 32 & 0xff);
		const char *sn = ceph_entity_name(st);
		view_linef(v, "    Source: %s.%" PRIu64, sn ? sn : "?",
			   ceph_word(m, CEPH_H_SOURCE));
	}
	const struct exchange *ex = &m->exchange;
	if (ex->kind != EXCHANGE_RESPONSE)
		return;
	view_response_lines(v, ex->request_frame, ex->latency_ns);
}

static void ceph_json_head(const struct message *m, struct view *v)
{
	if (!ceph_message(m))
		return;
	uint64_t info = ceph_word(m, CEPH_H_INFO);
	unsigned kind = ceph_info_kind(info), tag = ceph_info_tag(info);
	view_json_open(v, "ceph");
	view_json_uint(v, "msgr", ceph_info_msgr(info));
	view_json_cstr(v, "kind", kind_name(kind));
	const char *t = kind == CEPH_UNIT_FRAME ? msgr2_tag_name(tag) :
			msgr1_tag_name(tag);
	if (t && (kind == CEPH_UNIT_FRAME || kind == CEPH_UNIT_TAG ||
		  kind == CEPH_UNIT_MESSAGE || kind == CEPH_UNIT_CONNECT_REPLY))
		view_json_cstr(v, "tag", t);
	view_json_uint(v, "from_client", !!(info & CEPH_I_FROM_CLIENT));
	if (info & CEPH_I_SECURE)
		view_json_uint(v, "decrypted", !!(info & CEPH_I_DECRYPTED));
	if (info & CEPH_I_HEAD) {
		unsigned type = ceph_info_type(info);
		const char *tn = ceph_type_name(type);
		if (tn)
			view_json_cstr(v, "type", tn);
		else
			view_json_uint(v, "type", type);
		view_json_uint(v, "version", ceph_word(m, CEPH_H_VERSIONS) & 0xffff);
		view_json_uint(v, "tid", ceph_word(m, CEPH_H_TID));
		view_json_uint(v, "seq", ceph_word(m, CEPH_H_SEQ));
	}
	v->json_close(v);
}

/* ---- the keyring option ---- */

#define KEYRING_FILE_MAX (256u << 10)

static bool set_keyring(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "keyring %s: %s", path, strerror(errno));
		return false;
	}
	char *text = malloc(KEYRING_FILE_MAX + 1);
	struct cephx_store *store = calloc(1, sizeof *store);
	size_t n = text ? fread(text, 1, KEYRING_FILE_MAX + 1, f) : 0;
	bool read_error = ferror(f);
	fclose(f);
	if (!text || !store) {
		snprintf(err, errlen, "keyring %s: out of memory", path);
		goto fail;
	}
	if (read_error || n > KEYRING_FILE_MAX) {
		snprintf(err, errlen, "keyring %s: %s", path, read_error ?
			 "cannot be read" : "larger than 256 KiB: not a keyring");
		goto fail;
	}
	char why[160];
	if (!cephx_keyring_parse(text, n, &store->keyring, why, sizeof why)) {
		snprintf(err, errlen, "keyring %s: %s", path, why);
		goto fail;
	}
	free(text);
	ceph_set_keys(store);
	return true;
fail:
	free(text);
	free(store);
	return false;
}

static const struct protocol_option ceph_options[] = {
	{ "keyring", "FILE",
	  "a Ceph keyring ([client.admin] key = ...): opens msgr2 secure "
	  "mode on connections whose authentication the capture holds",
	  set_keyring },
	{ NULL, NULL, NULL, NULL },
};

const struct protocol ceph_protocol = {
	.name = "ceph",
	.label = "Ceph",
	.meaning = "the Ceph messenger, msgr v1 and msgr2 (crc and secure "
		   "mode): monitors, OSDs, clients",
	.fields = ceph_fields,
	.stream = &ceph_stream_proto,
	.tree_head = ceph_tree_head,
	.json_head = ceph_json_head,
	.options = ceph_options,
};
