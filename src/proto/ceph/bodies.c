/* bodies.c - Ceph message bodies into fields: the monitor's messages
 * (maps, subscriptions, authentication, commands, versions, config,
 * log), the OSD's (maps, boot, operations and their replies with each
 * operation's input and output).  Layouts: docs/ceph.md, "Messages";
 * Ceph's encodings: strings and bufferlists are an le32 length and the
 * bytes, maps and vectors an le32 count and the items, a versioned
 * struct begins u8 version, u8 compat, le32 length.
 *
 * Every read goes through a cursor over the kept bytes: a front cut by
 * the keep bound (or the capture) ends the decoding quietly (the message
 * is marked elided or truncated by the framing); a whole front that ends
 * early is malformed. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/cursor.h"
#include "proto/ceph/ceph.h"
#include "proto/ceph/cephx.h"
#include "proto/ceph/fields.h"

/* Text kept of one string field at most (command output, status JSON). */
#define TEXT_MAX 4096
/* Items of one map or list decoded at most (the rest counted). */
#define ITEMS_MAX 256

struct field *ceph_add_result(struct message *m, const struct field_def *def,
			      int64_t r)
{
	struct field *f = msg_add_errno(m, def, r);
	if (f)
		f->text = r < 0 ? errno_name(-r) : NULL;
	return f;
}

/* ---- encodings ---- */

/* An le32-length string or bufferlist: its bytes (NULL when cut). */
static const uint8_t *take_str(struct cursor *k, uint32_t *len)
{
	*len = cursor_le32(k);
	const uint8_t *p = cursor_take(k, *len);
	if (!p)
		*len = 0;
	return p;
}

static void add_str(struct message *m, const struct field_def *def,
		    const uint8_t *p, uint32_t len)
{
	if (p)
		msg_add_str(m, def, p, len > TEXT_MAX ? TEXT_MAX : len);
}

static const uint8_t *str_field(struct message *m, struct cursor *k,
				const struct field_def *def, uint32_t *len)
{
	const uint8_t *p = take_str(k, len);
	add_str(m, def, p, *len);
	return p;
}

/* A versioned struct's header: a cursor over its body, the outer one
 * moved past it. */
static struct cursor take_struct(struct cursor *k, uint8_t *version)
{
	*version = cursor_u8(k);
	cursor_u8(k);	/* compat */
	uint32_t len = cursor_le32(k);
	const uint8_t *p = cursor_take(k, len);
	struct cursor s = cursor_init(p ? p : (const uint8_t *)"", p ? len : 0);
	if (!p)
		s.status = k->status;
	return s;
}

/* A count read before items: bounded by the bytes left (each item takes
 * at least `min` bytes), else malformed. */
static uint32_t take_count(struct cursor *k, size_t min, const char *what)
{
	uint32_t n = cursor_le32(k);
	if (cursor_ok(k) && min && n > cursor_left(k) / min) {
		if (cursor_left(k) == 0 && n)
			k->status |= CURSOR_TRUNCATED;
		else
			cursor_malformed(k, what);
		return 0;
	}
	return n;
}

/* The paxos header of monitor messages: le64 version, le16 session mon,
 * le64 session tid. */
static void paxos_header(struct message *m, struct cursor *k)
{
	uint64_t ver = cursor_le64(k);
	int16_t mon = (int16_t)cursor_le16(k);
	uint64_t tid = cursor_le64(k);
	if (!cursor_ok(k))
		return;
	msg_add_uint(m, &hf_ceph_paxos_ver, ver);
	msg_add_int(m, &hf_ceph_paxos_mon, mon);
	msg_add_uint(m, &hf_ceph_paxos_tid, tid);
}

static void fsid_field(struct message *m, struct cursor *k,
		       const struct field_def *def)
{
	const uint8_t *p = cursor_take(k, 16);
	if (p)
		msg_add_gfid(m, def, p);
}

static void time_field(struct message *m, struct cursor *k,
		       const struct field_def *def)
{
	uint32_t sec = cursor_le32(k), nsec = cursor_le32(k);
	if (cursor_ok(k))
		msg_add_time(m, def, sec, nsec);
}

/* The value of "key" in a JSON object's text (a string value), for the
 * summary: {"prefix": "osd pool ls", ...} gives osd pool ls. */
static bool json_string(const uint8_t *p, size_t len, const char *key,
			const uint8_t **val, size_t *vlen)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i + klen + 2 < len; i++) {
		if (p[i] != '"' || memcmp(p + i + 1, key, klen) ||
		    p[i + 1 + klen] != '"')
			continue;
		size_t j = i + klen + 2;
		while (j < len && (p[j] == ' ' || p[j] == ':'))
			j++;
		if (j >= len || p[j] != '"')
			return false;
		size_t s = ++j;
		while (j < len && p[j] != '"')
			j++;
		if (j >= len)
			return false;
		*val = p + s;
		*vlen = j - s;
		return true;
	}
	return false;
}

static void info_text(struct message *m, const uint8_t *p, size_t len,
		      size_t max)
{
	msg_info_strn(m, (const char *)p, len > max ? max : len);
	if (len > max)
		msg_info_str(m, "...");
}

/* ---- monitor messages ---- */

static void ping(struct message *m, struct cursor *k)
{
	if (!cursor_left(k))
		return;
	uint32_t len;
	const uint8_t *p = str_field(m, k, &hf_ceph_msg_ping_status, &len);
	if (p) {
		msg_info_str(m, " status ");
		msg_info_uint(m, len);
		msg_info_str(m, " bytes");
	}
}

static void mon_map(struct message *m, struct cursor *k)
{
	uint32_t blen = cursor_le32(k);
	(void)blen;
	uint8_t v;
	struct cursor s = take_struct(k, &v);
	fsid_field(m, &s, &hf_ceph_monmap_fsid);
	uint32_t epoch = cursor_le32(&s);
	if (!cursor_ok(&s))
		goto out;
	msg_add_uint(m, &hf_ceph_monmap_epoch, epoch);
	msg_info_str(m, " e");
	msg_info_uint(m, epoch);
	if (v < 7) {
		msg_add_str(m, &hf_ceph_not_decoded,
			    "monitors of a map before encoding 7", 35);
		goto out;
	}
	time_field(m, &s, &hf_ceph_monmap_changed);
	time_field(m, &s, &hf_ceph_monmap_created);
	uint8_t fv;
	take_struct(&s, &fv);	/* persistent features */
	take_struct(&s, &fv);	/* optional features */
	uint32_t n = take_count(&s, 10, "more monitors than bytes");
	for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(&s); i++) {
		uint32_t klen;
		take_str(&s, &klen);
		struct cursor info = take_struct(&s, &fv);
		uint32_t nlen;
		const uint8_t *name = take_str(&info, &nlen);
		msg_open(m, &hf_ceph_monmap_address, NULL);
		add_str(m, &hf_ceph_monmap_address_name, name, nlen);
		msg_info_str(m, i ? "," : " mons ");
		if (name)
			info_text(m, name, nlen, 32);
		/* public addresses: a vector (marker 2) or one address */
		struct ceph_addr a;
		if (cursor_left(&info) && info.pos[0] == 2) {
			cursor_u8(&info);
			uint32_t na = take_count(&info, 1, "more addresses than bytes");
			for (uint32_t j = 0; j < na && j < 16 && cursor_ok(&info); j++)
				if (ceph_read_addr(&info, &a))
					ceph_add_addr(m, &a);
		} else if (ceph_read_addr(&info, &a)) {
			ceph_add_addr(m, &a);
		}
		msg_close(m);
	}
	/* ranks (the names in rank order), then the release */
	uint32_t nr = take_count(&s, 4, "more ranks than bytes");
	for (uint32_t i = 0; i < nr && cursor_ok(&s); i++) {
		uint32_t l;
		take_str(&s, &l);
	}
	if (v >= 8 && cursor_ok(&s)) {
		uint8_t rel = cursor_u8(&s);
		if (cursor_ok(&s))
			msg_add_uint(m, &hf_ceph_monmap_min_release, rel);
	}
out:
	if (!cursor_ok(&s)) {
		k->status |= s.status;
		if (!k->why)
			k->why = s.why;
	}
}

static void mon_subscribe(struct message *m, struct cursor *k, unsigned version)
{
	uint32_t n = take_count(k, 13, "more subscriptions than bytes");
	for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(k); i++) {
		uint32_t len;
		const uint8_t *what = take_str(k, &len);
		uint64_t start = cursor_le64(k);
		uint8_t flags = cursor_u8(k);
		if (!cursor_ok(k))
			break;
		msg_open(m, &hf_ceph_msg_mon_sub_item, NULL);
		add_str(m, &hf_ceph_msg_mon_sub_what, what, len);
		msg_add_uint(m, &hf_ceph_msg_mon_sub_start, start);
		msg_add_hex(m, &hf_ceph_msg_mon_sub_flags, flags);
		msg_close(m);
		msg_info_str(m, i ? "," : " ");
		info_text(m, what, len, 24);
	}
	if (version >= 3 && cursor_ok(k)) {
		uint32_t len;
		str_field(m, k, &hf_ceph_msg_mon_sub_hostname, &len);
	}
}

static void auth(struct message *m, struct cursor *k)
{
	paxos_header(m, k);
	uint32_t proto = cursor_le32(k);
	uint32_t len;
	const uint8_t *pl = take_str(k, &len);
	uint32_t epoch = cursor_le32(k);
	if (!pl)
		return;
	msg_add_enum(m, &hf_ceph_msg_auth_proto, proto,
		     field_value_name(&hf_ceph_msg_auth_proto, proto));
	msg_add_uint(m, &hf_ceph_auth_payload_size, len);
	if (proto == 0) {
		/* negotiation: u8 version, supported methods, entity name
		 * (le32 type, string), le64 global id */
		struct cursor p = cursor_init(pl, len);
		cursor_u8(&p);
		uint32_t n = take_count(&p, 4, "more methods than bytes");
		msg_info_str(m, " negotiate");
		for (uint32_t i = 0; i < n && i < 16 && cursor_ok(&p); i++) {
			uint32_t x = cursor_le32(&p);
			msg_add_enum(m, &hf_ceph_msg_auth_supportedproto_proto, x,
				     field_value_name(&hf_ceph_msg_auth_proto, x));
		}
		uint32_t type = cursor_le32(&p), nlen;
		const uint8_t *name = take_str(&p, &nlen);
		uint64_t gid = cursor_le64(&p);
		if (cursor_ok(&p)) {
			char entity[CEPHX_NAME_MAX];
			const char *tn = ceph_entity_name(type);
			int e = snprintf(entity, sizeof entity, "%s.%.*s",
					 tn ? tn : "?", (int)(nlen > 64 ? 64 : nlen),
					 (const char *)name);
			size_t el = e < 0 ? 0 : (size_t)e < sizeof entity ?
				    (size_t)e : sizeof entity - 1;
			msg_add_str(m, &hf_ceph_cephx_entity, entity, el);
			msg_add_uint(m, &hf_ceph_cephx_global_id, gid);
			msg_info_str(m, " ");
			msg_info_put(m, entity, el);
		}
	} else if (proto == CEPH_AUTH_CEPHX && len >= 2) {
		unsigned t = (unsigned)(pl[0] | pl[1] << 8);
		const char *tn = field_value_name(&hf_ceph_cephx_request_type, t);
		msg_add_enum(m, &hf_ceph_cephx_request_type, t, tn);
		msg_info_str(m, " cephx ");
		msg_info_str(m, tn ? tn : "?");
	}
	if (cursor_ok(k))
		msg_add_uint(m, &hf_ceph_msg_auth_monmap_epoch, epoch);
}

static void auth_reply(struct message *m, struct cursor *k)
{
	uint32_t proto = cursor_le32(k);
	int32_t result = (int32_t)cursor_le32(k);
	uint64_t gid = cursor_le64(k);
	uint32_t len, mlen;
	const uint8_t *pl = take_str(k, &len);
	if (!cursor_ok(k))
		return;
	msg_add_enum(m, &hf_ceph_msg_auth_reply_proto, proto,
		     field_value_name(&hf_ceph_msg_auth_reply_proto, proto));
	ceph_add_result(m, &hf_ceph_msg_auth_reply_result, result);
	msg_add_uint(m, &hf_ceph_msg_auth_reply_id, gid);
	msg_add_uint(m, &hf_ceph_auth_payload_size, len);
	if (proto == CEPH_AUTH_CEPHX && pl && len >= 6) {
		uint16_t type;
		int32_t status;
		if (cephx_read_response_header(pl, len, &type, &status) == CEPHX_OK) {
			msg_add_enum(m, &hf_ceph_cephx_request_type, type,
				     field_value_name(&hf_ceph_cephx_request_type, type));
			ceph_add_result(m, &hf_ceph_cephx_status, status);
		}
	}
	str_field(m, k, &hf_ceph_msg_auth_reply_msg, &mlen);
	msg_info_str(m, " result=");
	msg_info_int(m, result);
	msg_info_str(m, " global_id=");
	msg_info_uint(m, gid);
}

static void mon_get_version(struct message *m, struct cursor *k)
{
	uint64_t handle = cursor_le64(k);
	uint32_t len;
	const uint8_t *what = take_str(k, &len);
	if (!cursor_ok(k))
		return;
	msg_add_uint(m, &hf_ceph_msg_mon_getversion_tid, handle);
	add_str(m, &hf_ceph_msg_mon_getversion_what, what, len);
	msg_info_str(m, " handle=");
	msg_info_uint(m, handle);
	msg_info_str(m, " ");
	info_text(m, what, len, 32);
}

static void mon_get_version_reply(struct message *m, struct cursor *k,
				  unsigned version)
{
	uint64_t handle = cursor_le64(k);
	uint64_t ver = cursor_le64(k);
	if (!cursor_ok(k))
		return;
	msg_add_uint(m, &hf_ceph_msg_mon_getversionreply_tid, handle);
	msg_add_uint(m, &hf_ceph_msg_mon_getversionreply_ver, ver);
	msg_info_str(m, " handle=");
	msg_info_uint(m, handle);
	msg_info_str(m, " version=");
	msg_info_uint(m, ver);
	if (version >= 2) {
		uint64_t oldest = cursor_le64(k);
		if (cursor_ok(k))
			msg_add_uint(m, &hf_ceph_msg_mon_getversionreply_veroldest,
				     oldest);
	}
}

/* A command's strings; the first one's "prefix" in the summary. */
static void command_strings(struct message *m, struct cursor *k,
			    const struct field_def *def)
{
	uint32_t n = take_count(k, 4, "more command strings than bytes");
	for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(k); i++) {
		uint32_t len;
		const uint8_t *p = str_field(m, k, def, &len);
		const uint8_t *val;
		size_t vlen;
		if (i == 0 && p && json_string(p, len, "prefix", &val, &vlen)) {
			msg_add_str(m, &hf_ceph_msg_mon_cmd_prefix, val, vlen);
			msg_info_str(m, " ");
			info_text(m, val, vlen, 64);
		}
	}
}

static void mon_command(struct message *m, struct cursor *k)
{
	paxos_header(m, k);
	fsid_field(m, k, &hf_ceph_fsid);
	command_strings(m, k, &hf_ceph_msg_mon_cmd_str);
}

static void mon_command_ack(struct message *m, struct cursor *k,
			    const uint8_t *data, size_t data_kept)
{
	paxos_header(m, k);
	int32_t r = (int32_t)cursor_le32(k);
	uint32_t len;
	const uint8_t *rs = take_str(k, &len);
	if (!cursor_ok(k))
		return;
	ceph_add_result(m, &hf_ceph_msg_mon_cmd_ack_code, r);
	add_str(m, &hf_ceph_msg_mon_cmd_ack_result, rs, len);
	command_strings(m, k, &hf_ceph_msg_mon_cmd_ack_str);
	msg_info_str(m, " = ");
	msg_info_int(m, r);
	if (r < 0 && errno_name(-(int64_t)r)) {
		msg_info_str(m, " (");
		msg_info_str(m, errno_name(-(int64_t)r));
		msg_info_str(m, ")");
	}
	if (len) {
		msg_info_str(m, " \"");
		info_text(m, rs, len, 80);
		msg_info_str(m, "\"");
	}
	if (data_kept)
		msg_add_str(m, &hf_ceph_msg_mon_cmd_ack_data, data,
			    data_kept > TEXT_MAX ? TEXT_MAX : data_kept);
}

/* map<string, string>: CONFIG's options, OSD_BOOT's metadata. */
static void string_map(struct message *m, struct cursor *k,
		       const struct field_def *kdef, const struct field_def *vdef,
		       bool info)
{
	uint32_t n = take_count(k, 8, "more entries than bytes");
	for (uint32_t i = 0; i < n && cursor_ok(k); i++) {
		uint32_t kl, vl;
		const uint8_t *key = take_str(k, &kl);
		const uint8_t *val = take_str(k, &vl);
		if (i >= ITEMS_MAX || !cursor_ok(k))
			continue;
		add_str(m, kdef, key, kl);
		add_str(m, vdef, val, vl);
		if (info && i < 4) {
			msg_info_str(m, i ? ", " : " ");
			info_text(m, key, kl, 32);
			msg_info_str(m, "=");
			info_text(m, val, vl, 32);
		}
	}
	if (info && n > 4) {
		msg_info_str(m, ", ... (");
		msg_info_uint(m, n);
		msg_info_str(m, ")");
	}
}

static void log_entries(struct message *m, struct cursor *k)
{
	paxos_header(m, k);
	fsid_field(m, k, &hf_ceph_fsid);
	uint32_t n = take_count(k, 6, "more log entries than bytes");
	for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(k); i++) {
		uint8_t v;
		struct cursor e = take_struct(k, &v);
		if (!cursor_ok(k))
			break;
		if (v < 5) {
			msg_add_str(m, &hf_ceph_not_decoded,
				    "log entries before encoding 5", 29);
			continue;
		}
		/* name (le32 type, string), rank (u8, le64), addresses,
		 * stamp, le64 seq, le16 priority, msg, channel */
		uint32_t type = cursor_le32(&e), nlen;
		const uint8_t *name = take_str(&e, &nlen);
		cursor_skip(&e, 9);
		struct ceph_addr a;
		if (cursor_left(&e) && e.pos[0] == 2) {
			cursor_u8(&e);
			uint32_t na = take_count(&e, 1, "more addresses than bytes");
			for (uint32_t j = 0; j < na && cursor_ok(&e); j++)
				if (!ceph_read_addr(&e, &a))
					cursor_malformed(&e, "an address that cannot be read");
		} else {
			ceph_read_addr(&e, &a);
		}
		uint32_t sec = cursor_le32(&e), nsec = cursor_le32(&e);
		uint64_t seq = cursor_le64(&e);
		uint16_t prio = cursor_le16(&e);
		uint32_t mlen, clen;
		const uint8_t *text = take_str(&e, &mlen);
		const uint8_t *chan = take_str(&e, &clen);
		msg_open(m, &hf_ceph_msg_log_entry, NULL);
		if (name) {
			char who[CEPHX_NAME_MAX];
			const char *tn = ceph_entity_name(type);
			int w = snprintf(who, sizeof who, "%s.%.*s", tn ? tn : "?",
					 (int)(nlen > 64 ? 64 : nlen),
					 (const char *)name);
			msg_add_str(m, &hf_ceph_msg_log_name, who,
				    w < 0 ? 0 : (size_t)w < sizeof who ?
				    (size_t)w : sizeof who - 1);
		}
		if (cursor_ok(&e)) {
			msg_add_time(m, &hf_ceph_msg_log_stamp, sec, nsec);
			msg_add_uint(m, &hf_ceph_msg_log_seq, seq);
			msg_add_enum(m, &hf_ceph_msg_log_prio, prio,
				     field_value_name(&hf_ceph_msg_log_prio, prio));
		}
		add_str(m, &hf_ceph_msg_log_msg, text, mlen);
		add_str(m, &hf_ceph_msg_log_channel, chan, clen);
		msg_close(m);
		if (i == 0 && text) {
			msg_info_str(m, " \"");
			info_text(m, text, mlen, 80);
			msg_info_str(m, "\"");
		}
		if (e.status & CURSOR_MALFORMED)
			cursor_malformed(k, e.why);
	}
}

static void log_ack(struct message *m, struct cursor *k)
{
	fsid_field(m, k, &hf_ceph_fsid);
	uint64_t last = cursor_le64(k);
	if (!cursor_ok(k))
		return;
	msg_add_uint(m, &hf_ceph_msg_log_ack_last, last);
	msg_info_str(m, " last=");
	msg_info_uint(m, last);
}

/* ---- OSD messages ---- */

static void osd_map(struct message *m, struct cursor *k, unsigned version)
{
	fsid_field(m, k, &hf_ceph_fsid);
	uint32_t lo = UINT32_MAX, hi = 0;
	for (int full = 0; full < 2; full++) {
		uint32_t n = take_count(k, 8, "more maps than bytes");
		for (uint32_t i = 0; i < n && cursor_ok(k); i++) {
			uint32_t epoch = cursor_le32(k), len;
			take_str(k, &len);
			if (!cursor_ok(k) || i >= ITEMS_MAX)
				continue;
			msg_add_uint(m, &hf_ceph_msg_osd_map_epoch, epoch);
			msg_add_bool(m, &hf_ceph_msg_osd_map_incremental, !full);
			lo = epoch < lo ? epoch : lo;
			hi = epoch > hi ? epoch : hi;
		}
	}
	if (hi) {
		msg_info_str(m, " e");
		msg_info_uint(m, lo);
		if (hi != lo) {
			msg_info_str(m, "-");
			msg_info_uint(m, hi);
		}
	}
	if (version >= 2 && cursor_ok(k)) {
		uint32_t oldest = cursor_le32(k), newest = cursor_le32(k);
		if (cursor_ok(k)) {
			msg_add_uint(m, &hf_ceph_msg_osd_map_oldest, oldest);
			msg_add_uint(m, &hf_ceph_msg_osd_map_newest, newest);
		}
	}
}

static void osd_boot(struct message *m, struct cursor *k)
{
	paxos_header(m, k);
	uint8_t v;
	struct cursor sb = take_struct(k, &v);
	fsid_field(m, &sb, &hf_ceph_fsid);
	uint32_t whoami = cursor_le32(&sb);
	if (cursor_ok(&sb)) {
		msg_add_uint(m, &hf_ceph_msg_osd_boot_osd, whoami);
		msg_info_str(m, " osd.");
		msg_info_uint(m, whoami);
	}
	struct ceph_addr a;
	for (int i = 0; i < 2 && cursor_ok(k); i++) {	/* hb_back, cluster */
		if (cursor_left(k) && k->pos[0] == 2) {
			cursor_u8(k);
			uint32_t na = take_count(k, 1, "more addresses than bytes");
			for (uint32_t j = 0; j < na && cursor_ok(k); j++)
				if (!ceph_read_addr(k, &a))
					cursor_malformed(k, "an address that cannot be read");
		} else if (!ceph_read_addr(k, &a)) {
			cursor_malformed(k, "an address that cannot be read");
		}
	}
	uint32_t epoch = cursor_le32(k);
	if (!cursor_ok(k))
		return;
	msg_add_uint(m, &hf_ceph_msg_osd_boot_epoch, epoch);
	msg_info_str(m, " boot_epoch=");
	msg_info_uint(m, epoch);
	if (cursor_left(k) && k->pos[0] == 2) {	/* hb_front */
		cursor_u8(k);
		uint32_t na = take_count(k, 1, "more addresses than bytes");
		for (uint32_t j = 0; j < na && cursor_ok(k); j++)
			if (!ceph_read_addr(k, &a))
				cursor_malformed(k, "an address that cannot be read");
	} else if (!ceph_read_addr(k, &a)) {
		return;
	}
	string_map(m, k, &hf_ceph_msg_osd_boot_metadata_k,
		   &hf_ceph_msg_osd_boot_metadata_v, false);
	uint64_t features = cursor_le64(k);
	if (cursor_ok(k))
		msg_add_hex(m, &hf_ceph_msg_osd_boot_features, features);
}

/* The OSD request flags' names (include/rados.h). */
static void osd_flags_field(struct message *m, uint64_t flags)
{
	static const char *const names[] = {
		"ACK", "ONNVRAM", "ONDISK", "RETRY", "READ", "WRITE",
		"ORDERSNAP", "PEERSTAT_OLD", "BALANCE_READS", "PARALLELEXEC",
		"PGOP", "EXEC", "EXEC_PUBLIC", "LOCALIZE_READS", "RWORDERED",
		"IGNORE_CACHE", "SKIPRWLOCKS", "IGNORE_OVERLAY", "FLUSH",
		"MAP_SNAP_CLONE", "ENFORCE_SNAPC", "REDIRECTED", "KNOWN_REDIR",
		"FULL_TRY", "FULL_FORCE", "IGNORE_REDIRECT", "RETURNVEC",
	};
	char text[400] = "";	/* no flag: none named */
	size_t n = 0;
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags >> i & 1)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
					      n ? "," : "", names[i]);
	msg_add_flags(m, &hf_ceph_osd_flags, flags, text);
}

/* One ceph_osd_op (38 bytes). */
struct osd_op {
	uint16_t op;
	uint32_t flags;
	const uint8_t *u;	/* the 28-byte union */
	uint32_t payload;
};

#define OSD_OP_LEN 38

static bool read_op(struct cursor *k, struct osd_op *o)
{
	o->op = cursor_le16(k);
	o->flags = cursor_le32(k);
	o->u = cursor_take(k, 28);
	o->payload = cursor_le32(k);
	return cursor_ok(k);
}

static uint64_t le64_at(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool op_uses_extent(uint16_t op)
{
	switch (op) {
	case 0x1201: case 0x1203: case 0x1204: case 0x1205: case 0x120b:
	case 0x1220: case 0x2201: case 0x2202: case 0x2203: case 0x2204:
	case 0x2206: case 0x2209:
		return true;
	default:
		return false;
	}
}

static bool op_is_xattr(uint16_t op)
{
	return (op & 0x0f00) == 0x0300;
}

/* set<string> or the keys of map<string, bufferlist> */
static void omap_entries(struct message *m, struct cursor *in, bool values)
{
	uint32_t n = take_count(in, values ? 8 : 4, "more omap entries than bytes");
	for (uint32_t i = 0; i < n && cursor_ok(in); i++) {
		uint32_t kl, vl = 0;
		const uint8_t *key = take_str(in, &kl);
		const uint8_t *val = values ? take_str(in, &vl) : NULL;
		if (i >= ITEMS_MAX || !cursor_ok(in))
			continue;
		add_str(m, &hf_ceph_osd_op_omap_key, key, kl);
		if (values && val)
			msg_add_bytes(m, &hf_ceph_osd_op_omap_value, val,
				      vl > TEXT_MAX ? TEXT_MAX : vl);
	}
}

/* An operation's input (request) or output (reply) in the data part. */
static void op_data(struct message *m, const struct osd_op *o,
		    const uint8_t *p, uint32_t len, bool reply, int32_t rval)
{
	struct cursor in = cursor_init(p, len);
	if (!reply) {
		if (op_is_xattr(o->op) && o->op != 0x1302) {
			uint32_t nl = le32_at(o->u), vl = le32_at(o->u + 4);
			const uint8_t *name = cursor_take(&in, nl);
			add_str(m, &hf_ceph_osd_op_xattr_name, name, nl);
			const uint8_t *val = cursor_take(&in, vl);
			if (val && vl)
				msg_add_bytes(m, &hf_ceph_osd_op_xattr_value, val,
					      vl > TEXT_MAX ? TEXT_MAX : vl);
			if (name) {
				msg_info_str(m, " ");
				info_text(m, name, nl, 32);
			}
			return;
		}
		switch (o->op) {
		case 0x2215:	/* OMAPSETVALS */
			omap_entries(m, &in, true);
			break;
		case 0x1214:	/* OMAPGETVALSBYKEYS */
		case 0x2218:	/* OMAPRMKEYS */
			omap_entries(m, &in, false);
			break;
		case 0x1401: {	/* CALL: class, method, input */
			const uint8_t *cls = cursor_take(&in, o->u[0]);
			const uint8_t *method = cursor_take(&in, o->u[1]);
			add_str(m, &hf_ceph_osd_op_cls_class, cls, o->u[0]);
			add_str(m, &hf_ceph_osd_op_cls_method, method, o->u[1]);
			if (cls && method) {
				msg_info_str(m, " ");
				info_text(m, cls, o->u[0], 32);
				msg_info_str(m, ".");
				info_text(m, method, o->u[1], 32);
			}
			break;
		}
		default:
			break;
		}
		return;
	}
	if (rval < 0)
		return;
	switch (o->op) {
	case 0x1202: {	/* STAT: le64 size, utime mtime */
		uint64_t size = cursor_le64(&in);
		uint32_t sec = cursor_le32(&in), nsec = cursor_le32(&in);
		if (!cursor_ok(&in))
			break;
		msg_add_uint(m, &hf_ceph_osd_op_object_size, size);
		msg_add_time(m, &hf_ceph_osd_op_object_mtime, sec, nsec);
		msg_info_str(m, " size=");
		msg_info_uint(m, size);
		break;
	}
	case 0x1301:	/* GETXATTR: the value */
		if (len)
			msg_add_bytes(m, &hf_ceph_osd_op_xattr_value, p,
				      len > TEXT_MAX ? TEXT_MAX : len);
		break;
	case 0x1302: {	/* GETXATTRS: map<string, bufferlist> */
		uint32_t n = take_count(&in, 8, "more attributes than bytes");
		for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(&in); i++) {
			uint32_t kl, vl;
			const uint8_t *key = take_str(&in, &kl);
			const uint8_t *val = take_str(&in, &vl);
			add_str(m, &hf_ceph_osd_op_xattr_name, key, kl);
			if (val && vl)
				msg_add_bytes(m, &hf_ceph_osd_op_xattr_value, val,
					      vl > TEXT_MAX ? TEXT_MAX : vl);
		}
		break;
	}
	case 0x1211:	/* OMAPGETKEYS: set<string>, bool more */
		omap_entries(m, &in, false);
		break;
	case 0x1212:	/* OMAPGETVALS */
	case 0x1214:	/* OMAPGETVALSBYKEYS */
		omap_entries(m, &in, true);
		break;
	case 0x1505: {	/* PGNLS: handle (hobject), list of (nspace, oid,
			 * locator) */
		uint8_t v;
		struct cursor r = take_struct(&in, &v);
		uint8_t hv;
		take_struct(&r, &hv);	/* the handle: where to go on */
		uint32_t n = take_count(&r, 12, "more objects than bytes");
		for (uint32_t i = 0; i < n && i < ITEMS_MAX && cursor_ok(&r); i++) {
			uint32_t nl, ol, ll;
			take_str(&r, &nl);
			const uint8_t *oid = take_str(&r, &ol);
			take_str(&r, &ll);
			add_str(m, &hf_ceph_osd_op_listed, oid, ol);
		}
		break;
	}
	default:
		break;
	}
}

/* The ops of a request or reply with their return values, inputs or
 * outputs (the data part holds these one after the other). */
static void osd_ops_fields(struct message *m, const struct osd_op *ops,
			   unsigned n, const int32_t *rvals, unsigned nrvals,
			   bool reply, const uint8_t *data, size_t data_kept)
{
	size_t off = 0;
	msg_info_str(m, " [");
	for (unsigned i = 0; i < n; i++) {
		const struct osd_op *o = &ops[i];
		const char *name = ceph_osd_op_name(o->op);
		msg_open(m, &hf_ceph_msg_osd_op_op, NULL);
		msg_add_enum(m, &hf_ceph_osd_op_op, o->op, name);
		if (o->flags)
			msg_add_hex(m, &hf_ceph_osd_op_flags, o->flags);
		if (i)
			msg_info_str(m, ", ");
		if (name) {
			msg_info_str(m, name);
		} else {
			msg_info_str(m, "op 0x");
			msg_info_hex(m, o->op);
		}
		if (op_uses_extent(o->op)) {
			uint64_t off64 = le64_at(o->u), len = le64_at(o->u + 8);
			msg_add_uint(m, &hf_ceph_osd_op_extent_offset, off64);
			msg_add_uint(m, &hf_ceph_osd_op_extent_size, len);
			msg_add_uint(m, &hf_ceph_osd_op_extent_trunc_size,
				     le64_at(o->u + 16));
			msg_add_uint(m, &hf_ceph_osd_op_extent_trunc_seq,
				     le32_at(o->u + 24));
			msg_info_str(m, " ");
			msg_info_uint(m, off64);
			msg_info_str(m, "~");
			msg_info_uint(m, len);
		}
		msg_add_uint(m, &hf_ceph_osd_op_payload_size, o->payload);
		int32_t rval = i < nrvals ? rvals[i] : 0;
		if (reply && i < nrvals) {
			ceph_add_result(m, &hf_ceph_osd_op_rval, rval);
			if (rval) {
				msg_info_str(m, " = ");
				msg_info_int(m, rval);
			}
		}
		if (off + o->payload <= data_kept && data)
			op_data(m, o, data + off, o->payload, reply, rval);
		off += o->payload;
		msg_close(m);
	}
	msg_info_str(m, "]");
}

/* pg_t: u8 version, le64 pool, le32 seed, le32 preferred */
static void pg_fields(struct message *m, struct cursor *k, int64_t *pool)
{
	cursor_u8(k);
	*pool = (int64_t)cursor_le64(k);
	uint32_t seed = cursor_le32(k);
	cursor_le32(k);
	if (!cursor_ok(k))
		return;
	msg_add_int(m, &hf_ceph_pool, *pool);
	msg_add_hex(m, &hf_ceph_pg_seed, seed);
}

static void osd_op(struct message *m, struct cursor *k, unsigned version,
		   const uint8_t *data, size_t data_kept)
{
	int64_t pool = -1;
	uint32_t hash = 0, epoch, flags;
	if (version == 8) {
		uint8_t v;
		struct cursor spg = take_struct(k, &v);
		pg_fields(m, &spg, &pool);
		hash = cursor_le32(k);
		epoch = cursor_le32(k);
		flags = cursor_le32(k);
		take_struct(k, &v);	/* reqid */
		cursor_skip(k, 24);	/* trace: trace id, span id, parent */
	} else if (version == 7) {
		pg_fields(m, k, &pool);
		epoch = cursor_le32(k);
		flags = cursor_le32(k);
		cursor_skip(k, 12);	/* reassert version */
		uint8_t v;
		take_struct(k, &v);	/* reqid */
	} else {
		msg_add_str(m, &hf_ceph_not_decoded,
			    "OSD_OP before encoding 7", 24);
		return;
	}
	uint32_t inc = cursor_le32(k);
	uint32_t msec = cursor_le32(k), mnsec = cursor_le32(k);
	uint8_t v;
	struct cursor oloc = take_struct(k, &v);
	uint32_t olen;
	const uint8_t *oid = take_str(k, &olen);
	uint16_t nops = cursor_le16(k);
	if (!cursor_ok(k))
		return;
	if (version == 8)
		msg_add_hex(m, &hf_ceph_hash, hash);
	msg_add_uint(m, &hf_ceph_msg_osd_op_osdmap_epoch, epoch);
	osd_flags_field(m, flags);
	msg_add_uint(m, &hf_ceph_msg_osd_op_client_inc, inc);
	msg_add_time(m, &hf_ceph_msg_osd_op_mtime, msec, mnsec);
	/* object locator: le64 pool, le32 preferred, key, namespace */
	cursor_le64(&oloc);
	cursor_le32(&oloc);
	uint32_t keylen, nslen;
	const uint8_t *key = take_str(&oloc, &keylen);
	const uint8_t *ns = take_str(&oloc, &nslen);
	if (key && keylen)
		add_str(m, &hf_ceph_key, key, keylen);
	if (ns && nslen)
		add_str(m, &hf_ceph_namespace, ns, nslen);
	add_str(m, &hf_ceph_msg_osd_op_oid, oid, olen);
	msg_add_uint(m, &hf_ceph_msg_osd_op_ops_len, nops);
	msg_info_str(m, " pool ");
	msg_info_int(m, pool);
	msg_info_str(m, " ");
	if (ns && nslen) {
		info_text(m, ns, nslen, 32);
		msg_info_str(m, "/");
	}
	if (olen)
		info_text(m, oid, olen, 64);
	else
		msg_info_str(m, "(no object)");
	struct osd_op ops[16];
	unsigned n = 0;
	if (nops > cursor_left(k) / OSD_OP_LEN) {
		cursor_malformed(k, "more operations than bytes");
		return;
	}
	for (unsigned i = 0; i < nops; i++) {
		struct osd_op o;
		if (!read_op(k, &o))
			return;
		if (n < 16)
			ops[n++] = o;
	}
	uint64_t snap = cursor_le64(k), snap_seq = cursor_le64(k);
	uint32_t nsnaps = take_count(k, 8, "more snapshots than bytes");
	cursor_skip(k, 8 * (size_t)nsnaps);
	int32_t retry = (int32_t)cursor_le32(k);
	uint64_t features = cursor_le64(k);
	osd_ops_fields(m, ops, n, NULL, 0, false, data, data_kept);
	if (!cursor_ok(k))
		return;
	msg_add_hex(m, &hf_ceph_msg_osd_op_snap_id, snap);
	msg_add_uint(m, &hf_ceph_msg_osd_op_snap_seq, snap_seq);
	msg_add_int(m, &hf_ceph_msg_osd_op_retry, retry);
	msg_add_hex(m, &hf_ceph_msg_osd_op_features, features);
}

static void osd_opreply(struct message *m, struct cursor *k, unsigned version,
			const uint8_t *data, size_t data_kept)
{
	if (version < 2) {
		msg_add_str(m, &hf_ceph_not_decoded,
			    "OSD_OPREPLY before encoding 2", 29);
		return;
	}
	uint32_t olen;
	const uint8_t *oid = take_str(k, &olen);
	int64_t pool = -1;
	struct cursor pg = *k;
	cursor_skip(k, 17);	/* pg_t, read after the result */
	uint64_t flags = cursor_le64(k);
	int32_t result = (int32_t)cursor_le32(k);
	cursor_skip(k, 12);	/* bad replay version */
	uint32_t epoch = cursor_le32(k);
	uint32_t nops = cursor_le32(k);
	if (!cursor_ok(k))
		return;
	add_str(m, &hf_ceph_msg_osd_opreply_oid, oid, olen);
	pg_fields(m, &pg, &pool);
	osd_flags_field(m, flags);
	ceph_add_result(m, &hf_ceph_msg_osd_opreply_result, result);
	msg_add_uint(m, &hf_ceph_msg_osd_opreply_osdmap_epoch, epoch);
	msg_add_uint(m, &hf_ceph_msg_osd_op_ops_len, nops);
	msg_info_str(m, " ");
	if (olen)
		info_text(m, oid, olen, 64);
	else
		msg_info_str(m, "(no object)");
	if (nops > cursor_left(k) / OSD_OP_LEN) {
		cursor_malformed(k, "more operations than bytes");
		return;
	}
	struct osd_op ops[16];
	unsigned n = 0;
	for (uint32_t i = 0; i < nops; i++) {
		struct osd_op o;
		if (!read_op(k, &o))
			return;
		if (n < 16)
			ops[n++] = o;
	}
	int32_t retry = version >= 3 ? (int32_t)cursor_le32(k) : -1;
	int32_t rvals[16];
	unsigned nrvals = 0;
	if (version >= 4)
		for (uint32_t i = 0; i < nops && cursor_ok(k); i++) {
			int32_t r = (int32_t)cursor_le32(k);
			if (nrvals < 16)
				rvals[nrvals++] = r;
		}
	if (!cursor_ok(k))
		nrvals = 0;
	osd_ops_fields(m, ops, n, rvals, nrvals, true, data, data_kept);
	msg_info_str(m, " = ");
	msg_info_int(m, result);
	if (result < 0 && errno_name(-(int64_t)result)) {
		msg_info_str(m, " (");
		msg_info_str(m, errno_name(-(int64_t)result));
		msg_info_str(m, ")");
	}
	if (!cursor_ok(k))
		return;
	msg_add_int(m, &hf_ceph_msg_osd_op_retry, retry);
	if (version >= 5) {
		cursor_skip(k, 12);	/* replay version */
		uint64_t uv = cursor_le64(k);
		if (cursor_ok(k))
			msg_add_uint(m, &hf_ceph_msg_osd_opreply_user_ver, uv);
	}
	if (version >= 7) {
		/* since 7 a byte says whether a redirect follows (tshark
		 * reads a redirect whatever it says: docs/ceph.md) */
		uint8_t redirect = cursor_u8(k);
		if (cursor_ok(k))
			msg_add_bool(m, &hf_ceph_msg_osd_opreply_redirect, redirect);
	}
}

/* ---- the body ---- */

/* An operation list's first operation, when the whole list's bytes are
 * there (as the decoder of the list takes it). */
static void first_op(struct cursor *k, uint32_t nops,
		     struct ceph_body_facts *facts)
{
	if (cursor_ok(k) && nops && nops <= cursor_left(k) / OSD_OP_LEN)
		facts->first_op = cursor_le16(k);
}

/* What the exchange needs of a front (the result, the handle, the first
 * operation), read by the rules of the decoders above, so that
 * header-only decoding finds what whole decoding finds. */
static void body_facts(unsigned type, unsigned version, struct cursor k,
		       struct ceph_body_facts *facts)
{
	uint8_t v;
	uint32_t len;
	switch (type) {
	case CEPH_MSG_OSD_OP:
		if (version == 8) {
			take_struct(&k, &v);		/* spg */
			cursor_skip(&k, 12);		/* hash, epoch, flags */
			take_struct(&k, &v);		/* reqid */
			cursor_skip(&k, 24);		/* trace */
		} else if (version == 7) {
			cursor_skip(&k, 17 + 8 + 12);	/* pg, epoch, flags,
							 * reassert version */
			take_struct(&k, &v);		/* reqid */
		} else {
			return;
		}
		cursor_skip(&k, 12);			/* client inc, mtime */
		take_struct(&k, &v);			/* object locator */
		take_str(&k, &len);			/* object name */
		first_op(&k, cursor_le16(&k), facts);
		break;
	case CEPH_MSG_OSD_OPREPLY: {
		if (version < 2)
			return;
		take_str(&k, &len);			/* object name */
		cursor_skip(&k, 17 + 8);		/* pg, flags */
		int32_t r = (int32_t)cursor_le32(&k);
		cursor_skip(&k, 12 + 4);		/* replay version, epoch */
		uint32_t nops = cursor_le32(&k);
		if (!cursor_ok(&k))
			return;
		facts->has_result = true;
		facts->result = r;
		first_op(&k, nops, facts);
		break;
	}
	case CEPH_MSG_MON_COMMAND_ACK: {
		cursor_skip(&k, 18);			/* paxos header */
		int32_t r = (int32_t)cursor_le32(&k);
		take_str(&k, &len);			/* its text */
		facts->has_result = cursor_ok(&k);
		facts->result = r;
		break;
	}
	case CEPH_MSG_MON_GET_VERSION:
	case CEPH_MSG_MON_GET_VERSION_REPLY:
		facts->handle = cursor_le64(&k);
		if (type == CEPH_MSG_MON_GET_VERSION)
			take_str(&k, &len);		/* what */
		else
			cursor_le64(&k);		/* version */
		facts->has_handle = cursor_ok(&k);
		break;
	default:
		break;
	}
}

void ceph_decode_body(struct message *m, const struct ceph_unit *u,
		      struct ceph_body_facts *facts)
{
	memset(facts, 0, sizeof *facts);
	unsigned f0 = u->msgr == 1 ? 0 : 1;	/* the front's segment */
	const uint8_t *front = u->seg[f0];
	size_t front_kept = u->seg_kept[f0];
	size_t front_len = u->seg_len[f0];
	const uint8_t *data = u->seg[f0 + 2];
	size_t data_kept = u->seg_kept[f0 + 2];
	unsigned type = u->head.type, version = u->head.version;
	const char *name = ceph_type_name(type);
	if (name) {
		msg_info_str(m, name);
	} else {
		msg_info_str(m, "type ");
		msg_info_uint(m, type);
	}
	if (u->head.tid) {
		msg_info_str(m, " tid=");
		msg_info_uint(m, u->head.tid);
	}
	struct cursor k = cursor_init(front ? front : (const uint8_t *)"",
				      front ? front_kept : 0);
	body_facts(type, version, k, facts);
	if (m->header_only)
		return;		/* what the exchange needs, nothing else */
	switch (type) {
	case CEPH_MSG_PING:
		ping(m, &k);
		break;
	case CEPH_MSG_MON_MAP:
		mon_map(m, &k);
		break;
	case CEPH_MSG_MON_GET_MAP:
		break;
	case CEPH_MSG_MON_SUBSCRIBE:
		mon_subscribe(m, &k, version);
		break;
	case CEPH_MSG_MON_SUBSCRIBE_ACK: {
		uint32_t interval = cursor_le32(&k);
		if (cursor_ok(&k))
			msg_add_uint(m, &hf_ceph_msg_mon_sub_ack_interval, interval);
		fsid_field(m, &k, &hf_ceph_fsid);
		break;
	}
	case CEPH_MSG_AUTH:
		auth(m, &k);
		break;
	case CEPH_MSG_AUTH_REPLY:
		auth_reply(m, &k);
		break;
	case CEPH_MSG_MON_GET_VERSION:
		mon_get_version(m, &k);
		break;
	case CEPH_MSG_MON_GET_VERSION_REPLY:
		mon_get_version_reply(m, &k, version);
		break;
	case CEPH_MSG_OSD_MAP:
		osd_map(m, &k, version);
		break;
	case CEPH_MSG_OSD_OP:
		osd_op(m, &k, version, data, data_kept);
		break;
	case CEPH_MSG_OSD_OPREPLY:
		osd_opreply(m, &k, version, data, data_kept);
		break;
	case CEPH_MSG_MON_COMMAND:
		mon_command(m, &k);
		break;
	case CEPH_MSG_MON_COMMAND_ACK:
		mon_command_ack(m, &k, data, data_kept);
		break;
	case CEPH_MSG_LOG:
		log_entries(m, &k);
		break;
	case CEPH_MSG_LOG_ACK:
		log_ack(m, &k);
		break;
	case CEPH_MSG_CONFIG:
		string_map(m, &k, &hf_ceph_msg_config_name,
			   &hf_ceph_msg_config_value, true);
		break;
	case CEPH_MSG_OSD_BOOT:
		osd_boot(m, &k);
		break;
	default:
		msg_info_str(m, " v");
		msg_info_uint(m, version);
		if (front_len || u->seg_len[f0 + 1] || u->seg_len[f0 + 2])
			msg_mark(m, MSG_NOT_DECODED,
				 "a message type whose body tapline does not decode");
		return;
	}
	if (k.status & CURSOR_MALFORMED)
		msg_mark(m, MSG_MALFORMED, k.why);
	else if ((k.status & CURSOR_TRUNCATED) && front_kept == front_len)
		msg_mark(m, MSG_MALFORMED, "the message's front ends early");
}
