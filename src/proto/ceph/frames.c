/* frames.c - one unit of the framing layer (framing.h) into a message:
 * its header words (ceph.h), verdicts, summary and fields -- banners and
 * addresses, msgr1 handshakes and tags, msgr2 frames with their cephx
 * payloads, a message's header and checks.  Message bodies: bodies.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/cursor.h"
#include "proto/ceph/ceph.h"
#include "proto/ceph/cephx.h"
#include "proto/ceph/fields.h"

/* ---- addresses ---- */

/* The address's IP as text (dotted quad, or IPv6 groups). */
static size_t ip_text(char *buf, size_t len, const struct ceph_addr *a)
{
	int n = 0;
	if (a->family == 2) {
		n = snprintf(buf, len, "%u.%u.%u.%u", a->ip[0], a->ip[1],
			     a->ip[2], a->ip[3]);
	} else if (a->family == 10) {
		size_t o = 0;
		for (int i = 0; i < 16 && o < len; i += 2)
			o += (size_t)snprintf(buf + o, len - o, "%s%x",
					      i ? ":" : "",
					      a->ip[i] << 8 | a->ip[i + 1]);
		n = (int)o;
	} else if (len) {
		buf[0] = '\0';
	}
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* "v2:127.0.0.1:3300/0", as Ceph prints an entity address. */
static size_t addr_text(char *buf, size_t len, const struct ceph_addr *a)
{
	static const char *const prefix[] = { "", "v1:", "v2:", "any:" };
	const char *pre = a->type < 4 ? prefix[a->type] : "?:";
	char ip[48];
	ip_text(ip, sizeof ip, a);
	int n;
	if (a->family == 2)
		n = snprintf(buf, len, "%s%s:%u/%" PRIu32, pre, ip, a->port,
			     a->nonce);
	else if (a->family == 10)
		n = snprintf(buf, len, "%s[%s]:%u/%" PRIu32, pre, ip, a->port,
			     a->nonce);
	else
		n = snprintf(buf, len, "%s-/%" PRIu32, pre, a->nonce);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

void ceph_add_addr(struct message *m, const struct ceph_addr *a)
{
	char text[80];
	size_t n = addr_text(text, sizeof text, a);
	msg_add_str(m, &hf_ceph_addr, text, n);
	msg_add_enum(m, &hf_ceph_addr_type, a->type,
		     field_value_name(&hf_ceph_addr_type, a->type));
	if (a->family == 2 || a->family == 10) {
		char ip[48];
		size_t k = ip_text(ip, sizeof ip, a);
		struct field *f = msg_add_str(m, &hf_ceph_addr_ip, ip, k);
		if (f)
			field_set_address(f, a->family == 2 ? 4 : 6, a->ip);
		msg_add_uint(m, &hf_ceph_addr_port, a->port);
	}
	msg_add_uint(m, &hf_ceph_addr_nonce, a->nonce);
}

/* A sockaddr as Ceph's new address encoding carries it: le16 family,
 * then (as in struct sockaddr) the port and address in network order. */
static void read_sockaddr(const uint8_t *p, size_t len, struct ceph_addr *a)
{
	struct cursor k = cursor_init(p, len);
	a->family = cursor_le16(&k);
	a->port = cursor_be16(&k);
	if (a->family == 2) {
		const uint8_t *ip = cursor_take(&k, 4);
		if (ip)
			memcpy(a->ip, ip, 4);
	} else if (a->family == 10) {
		cursor_skip(&k, 4);	/* flow info */
		const uint8_t *ip = cursor_take(&k, 16);
		if (ip)
			memcpy(a->ip, ip, 16);
	}
	if (!cursor_ok(&k) || (a->family != 2 && a->family != 10))
		a->family = 0;
}

/* One entity_addr_t: marker 1 and the versioned struct, or (marker 0)
 * the legacy 136-byte form.  False when the bytes cannot be one. */
bool ceph_read_addr(struct cursor *k, struct ceph_addr *a)
{
	memset(a, 0, sizeof *a);
	if (cursor_left(k) < 1)
		return false;
	if (k->pos[0] == 0) {
		const uint8_t *p = cursor_take(k, MSGR1_ADDR_LEN);
		if (!p)
			return false;
		msgr1_addr_read(p, a);
		return true;
	}
	if (cursor_u8(k) != 1)
		return false;
	cursor_u8(k);	/* struct version */
	cursor_u8(k);	/* compat */
	uint32_t len = cursor_le32(k);
	const uint8_t *body = cursor_take(k, len);
	if (!body)
		return false;
	struct cursor b = cursor_init(body, len);
	a->type = cursor_le32(&b);
	a->nonce = cursor_le32(&b);
	uint32_t slen = cursor_le32(&b);
	const uint8_t *sa = cursor_take(&b, slen);
	if (!cursor_ok(&b))
		return false;
	if (slen)
		read_sockaddr(sa, slen, a);
	return true;
}

/* An entity_addrvec_t (marker 2, count, addresses) or a single address;
 * each added under tree (ceph.my_addr, ...).  The first in *first. */
static bool add_addrvec(struct message *m, struct cursor *k,
			const struct field_def *tree, struct ceph_addr *first)
{
	struct ceph_addr a;
	memset(first, 0, sizeof *first);
	if (cursor_left(k) && k->pos[0] == 2) {
		cursor_u8(k);
		uint32_t n = cursor_le32(k);
		if (n > 64 || !cursor_ok(k)) {
			cursor_malformed(k, "an address vector of more than 64");
			return false;
		}
		msg_open(m, tree, NULL);
		for (uint32_t i = 0; i < n; i++) {
			if (!ceph_read_addr(k, &a)) {
				cursor_malformed(k, "an address that cannot be read");
				break;
			}
			if (i == 0)
				*first = a;
			ceph_add_addr(m, &a);
		}
		msg_close(m);
		return cursor_ok(k);
	}
	if (!ceph_read_addr(k, &a)) {
		cursor_malformed(k, "an address that cannot be read");
		return false;
	}
	*first = a;
	msg_open(m, tree, NULL);
	ceph_add_addr(m, &a);
	msg_close(m);
	return true;
}

static void info_addr(struct message *m, const struct ceph_addr *a)
{
	char text[80];
	size_t n = addr_text(text, sizeof text, a);
	msg_info_put(m, " ", 1);
	msg_info_put(m, text, n);
}

/* ---- the header words ---- */

static void set_header(struct message *m, const struct ceph_unit *u)
{
	uint64_t info = CEPH_I_PRESENT | u->tag | (uint64_t)(u->kind & 0xf) << 8 |
			(uint64_t)(u->msgr & 3) << 12;
	if (u->from_client)
		info |= CEPH_I_FROM_CLIENT;
	if (u->secure)
		info |= CEPH_I_SECURE;
	if (u->flags & CEPH_U_DECRYPTED)
		info |= CEPH_I_DECRYPTED;
	if (u->rev1)
		info |= CEPH_I_REV1;
	bool message = u->kind == CEPH_UNIT_MESSAGE ||
		       (u->kind == CEPH_UNIT_FRAME && u->tag == MSGR2_TAG_MESSAGE &&
			u->seg_kept[0] >= MSGR2_MSG_HEADER_LEN);
	if (message) {
		const struct ceph_msg_head *h = &u->head;
		info |= CEPH_I_HEAD | (uint64_t)h->type << 32;
		m->proto_header[CEPH_H_TID] = h->tid;
		m->proto_header[CEPH_H_SEQ] = h->seq;
		m->proto_header[CEPH_H_VERSIONS] = h->version |
			(uint64_t)h->compat_version << 16 |
			(uint64_t)h->priority << 32 |
			(uint64_t)(h->data_off & 0xffff) << 48;
		/* msgr1: front, middle, data; msgr2: header, front, middle,
		 * data */
		unsigned f = u->msgr == 1 ? 0 : 1;
		m->proto_header[CEPH_H_SIZES] = u->seg_len[f] |
						(uint64_t)u->seg_len[f + 1] << 32;
		m->proto_header[CEPH_H_DATA] = u->seg_len[f + 2] |
			(uint64_t)(u->msgr == 1 ? h->src_type : 0) << 32;
		m->proto_header[CEPH_H_SOURCE] = u->msgr == 1 ? h->src_num :
							      h->ack_seq;
	}
	m->proto_header[CEPH_H_INFO] = info;
}

/* ---- verdicts ---- */

static void set_verdicts(struct message *m, const struct ceph_unit *u)
{
	if (u->flags & CEPH_U_TRUNCATED)
		msg_mark(m, MSG_TRUNCATED, u->why);
	if (u->flags & (CEPH_U_CRC_BAD | CEPH_U_MALFORMED | CEPH_U_AUTH_FAILED))
		msg_mark(m, MSG_MALFORMED, u->why);
	if (u->flags & CEPH_U_AFTER_GAP)
		msg_mark(m, MSG_AFTER_GAP, NULL);
	if (u->flags & CEPH_U_ELIDED)
		msg_mark(m, MSG_ELIDED, NULL);
	if (u->flags & CEPH_U_ABORTED)
		msg_mark(m, MSG_NOT_DECODED, "abandoned by its sender (aborted)");
	if (u->flags & CEPH_U_COMPRESSED)
		msg_mark(m, MSG_NOT_DECODED, "compressed segments (not decoded)");
}

/* ---- cephx payloads ---- */

static void cephx_authorizer(struct message *m, const uint8_t *p, size_t n)
{
	struct cephx_authorizer a;
	if (cephx_read_authorizer(p, n, &a) != CEPHX_OK)
		return;
	msg_add_uint(m, &hf_ceph_cephx_global_id, a.global_id);
	msg_add_enum(m, &hf_ceph_cephx_service, a.service_id,
		     ceph_entity_name(a.service_id));
	msg_add_uint(m, &hf_ceph_cephx_secret_id, a.secret_id);
	const char *svc = ceph_entity_name(a.service_id);
	msg_info_str(m, " authorizer for ");
	msg_info_str(m, svc ? svc : "?");
}

/* A client's cephx payload (AUTH_REQUEST(_MORE)): who asks (to a
 * monitor) or the authorizer (to a service). */
static void cephx_request(struct message *m, const uint8_t *p, size_t n,
			  bool more)
{
	if (!n)
		return;
	struct cephx_mon_request r;
	if (!more && p[0] == CEPH_AUTH_MODE_MON &&
	    cephx_read_mon_request(p, n, &r) == CEPHX_OK) {
		size_t len = strnlen(r.entity_name, sizeof r.entity_name);
		msg_add_str(m, &hf_ceph_cephx_entity, r.entity_name, len);
		msg_add_uint(m, &hf_ceph_cephx_global_id, r.global_id);
		msg_info_put(m, " ", 1);
		msg_info_put(m, r.entity_name, len);
		return;
	}
	if (more && n >= 2 && (p[0] | p[1] << 8) >= CEPHX_GET_AUTH_SESSION_KEY &&
	    (p[1] == 1 || p[1] == 2 || p[1] == 4) && p[0] == 0) {
		unsigned t = (unsigned)(p[0] | p[1] << 8);
		msg_add_enum(m, &hf_ceph_cephx_request_type, t,
			     field_value_name(&hf_ceph_cephx_request_type, t));
		msg_info_put(m, " ", 1);
		msg_info_str(m, field_value_name(&hf_ceph_cephx_request_type, t));
		return;
	}
	cephx_authorizer(m, p, n);
}

/* A monitor's cephx response (AUTH_DONE, AUTH_REPLY): type and status. */
static void cephx_response(struct message *m, const uint8_t *p, size_t n)
{
	uint16_t type;
	int32_t status;
	if (cephx_read_response_header(p, n, &type, &status) != CEPHX_OK)
		return;
	msg_add_enum(m, &hf_ceph_cephx_request_type, type,
		     field_value_name(&hf_ceph_cephx_request_type, type));
	ceph_add_result(m, &hf_ceph_cephx_status, status);
}

/* ---- msgr2 frames ---- */

static void add_modes(struct message *m, struct cursor *k,
		      const struct field_def *def, bool info)
{
	uint32_t n = cursor_le32(k);
	if (n > 16) {
		cursor_malformed(k, "more than 16 connection modes");
		return;
	}
	for (uint32_t i = 0; i < n && cursor_ok(k); i++) {
		uint32_t v = cursor_le32(k);
		const char *name = field_value_name(def, v);
		msg_add_enum(m, def, v, name);
		if (info) {
			msg_info_str(m, i ? "," : " modes=");
			msg_info_str(m, name ? name : "?");
		}
	}
}

static void time_field(struct message *m, const struct field_def *def,
		       struct cursor *k)
{
	uint32_t sec = cursor_le32(k), nsec = cursor_le32(k);
	if (cursor_ok(k))
		msg_add_time(m, def, sec, nsec);
}

static void frame_payload(struct message *m, const struct ceph_unit *u,
			  const struct ceph_conn *c)
{
	const uint8_t *p = u->seg[0];
	size_t n = u->seg_kept[0];
	struct cursor k = cursor_init(p ? p : (const uint8_t *)"", p ? n : 0);
	struct ceph_addr a;
	uint32_t v;
	const uint8_t *pl;
	switch (u->tag) {
	case MSGR2_TAG_HELLO:
		v = cursor_u8(&k);
		msg_add_enum(m, &hf_ceph_entity_type, v, ceph_entity_name(v));
		msg_info_str(m, " ");
		msg_info_str(m, ceph_entity_name(v) ? ceph_entity_name(v) : "?");
		if (add_addrvec(m, &k, &hf_ceph_peer_addr, &a)) {
			msg_info_str(m, ", sees peer at");
			info_addr(m, &a);
		}
		break;
	case MSGR2_TAG_AUTH_REQUEST:
		v = cursor_le32(&k);
		msg_add_enum(m, &hf_ceph_auth_method, v,
			     field_value_name(&hf_ceph_auth_method, v));
		msg_info_str(m, " ");
		msg_info_str(m, field_value_name(&hf_ceph_auth_method, v) ?
				field_value_name(&hf_ceph_auth_method, v) : "?");
		add_modes(m, &k, &hf_ceph_auth_mode, true);
		v = cursor_le32(&k);
		pl = cursor_take(&k, v);
		msg_add_uint(m, &hf_ceph_auth_payload_size, v);
		if (pl)
			cephx_request(m, pl, v, false);
		break;
	case MSGR2_TAG_AUTH_BAD_METHOD:
		v = cursor_le32(&k);
		msg_add_enum(m, &hf_ceph_auth_method, v,
			     field_value_name(&hf_ceph_auth_method, v));
		ceph_add_result(m, &hf_ceph_auth_result, (int32_t)cursor_le32(&k));
		{
			uint32_t nm = cursor_le32(&k);
			if (nm > 16) {
				cursor_malformed(&k, "more than 16 methods");
				break;
			}
			for (uint32_t i = 0; i < nm && cursor_ok(&k); i++) {
				uint32_t x = cursor_le32(&k);
				msg_add_enum(m, &hf_ceph_auth_allowed_method, x,
					     field_value_name(&hf_ceph_auth_method, x));
			}
		}
		add_modes(m, &k, &hf_ceph_auth_mode, false);
		break;
	case MSGR2_TAG_AUTH_REPLY_MORE:
	case MSGR2_TAG_AUTH_REQUEST_MORE:
		v = cursor_le32(&k);
		pl = cursor_take(&k, v);
		msg_add_uint(m, &hf_ceph_auth_payload_size, v);
		if (!pl)
			break;
		if (u->tag == MSGR2_TAG_AUTH_REQUEST_MORE) {
			cephx_request(m, pl, v, true);
		} else if (c->entity[0] && v == 9 && pl[0] == 1) {
			/* a monitor's challenge: u8 version, le64 */
			struct cursor ch = cursor_init(pl + 1, 8);
			msg_add_hex(m, &hf_ceph_cephx_challenge, cursor_le64(&ch));
			msg_info_str(m, " challenge");
		}
		break;
	case MSGR2_TAG_AUTH_DONE: {
		uint64_t gid = cursor_le64(&k);
		uint32_t mode = cursor_le32(&k);
		v = cursor_le32(&k);
		pl = cursor_take(&k, v);
		msg_add_int(m, &hf_ceph_msgr2_global_id, (int64_t)gid);
		msg_add_enum(m, &hf_ceph_auth_mode, mode,
			     field_value_name(&hf_ceph_auth_mode, mode));
		msg_add_uint(m, &hf_ceph_auth_payload_size, v);
		if (pl && c->entity[0])
			cephx_response(m, pl, v);
		msg_info_str(m, " global_id=");
		msg_info_uint(m, gid);
		msg_info_str(m, " mode=");
		msg_info_str(m, field_value_name(&hf_ceph_auth_mode, mode) ?
				field_value_name(&hf_ceph_auth_mode, mode) : "?");
		break;
	}
	case MSGR2_TAG_AUTH_SIGNATURE:
		pl = cursor_take(&k, 32);
		if (pl)
			msg_add_bytes(m, &hf_ceph_msgr2_signature, pl, 32);
		break;
	case MSGR2_TAG_CLIENT_IDENT:
	case MSGR2_TAG_SERVER_IDENT: {
		bool client = u->tag == MSGR2_TAG_CLIENT_IDENT;
		if (!add_addrvec(m, &k, &hf_ceph_my_addr, &a))
			break;
		info_addr(m, &a);
		if (client) {
			struct ceph_addr t;
			if (!add_addrvec(m, &k, &hf_ceph_target_addr, &t))
				break;
			msg_info_str(m, " ->");
			info_addr(m, &t);
		}
		uint64_t gid = cursor_le64(&k);
		uint64_t gseq = cursor_le64(&k);
		uint64_t sup = cursor_le64(&k), req = cursor_le64(&k);
		uint64_t flags = cursor_le64(&k), cookie = cursor_le64(&k);
		if (!cursor_ok(&k))
			break;
		msg_add_int(m, &hf_ceph_msgr2_global_id, (int64_t)gid);
		msg_add_uint(m, &hf_ceph_msgr2_global_seq, gseq);
		msg_add_hex(m, &hf_ceph_msgr2_supported_features, sup);
		msg_add_hex(m, &hf_ceph_msgr2_required_features, req);
		msg_add_hex(m, &hf_ceph_msgr2_ident_flags, flags);
		msg_add_hex(m, &hf_ceph_msgr2_cookie, cookie);
		msg_info_str(m, " global_id=");
		msg_info_int(m, (int64_t)gid);
		break;
	}
	case MSGR2_TAG_IDENT_MISSING_FEATURES:
		msg_add_hex(m, &hf_ceph_msgr2_required_features, cursor_le64(&k));
		break;
	case MSGR2_TAG_SESSION_RECONNECT:
		if (!add_addrvec(m, &k, &hf_ceph_my_addr, &a))
			break;
		msg_add_hex(m, &hf_ceph_msgr2_cookie, cursor_le64(&k));
		msg_add_hex(m, &hf_ceph_msgr2_server_cookie, cursor_le64(&k));
		msg_add_uint(m, &hf_ceph_msgr2_global_seq, cursor_le64(&k));
		msg_add_uint(m, &hf_ceph_msgr2_connect_seq, cursor_le64(&k));
		msg_add_uint(m, &hf_ceph_msgr2_msg_seq, cursor_le64(&k));
		break;
	case MSGR2_TAG_SESSION_RESET:
		msg_add_bool(m, &hf_ceph_msgr2_full_reset, cursor_u8(&k) != 0);
		break;
	case MSGR2_TAG_SESSION_RETRY:
		msg_add_uint(m, &hf_ceph_msgr2_connect_seq, cursor_le64(&k));
		break;
	case MSGR2_TAG_SESSION_RETRY_GLOBAL:
		msg_add_uint(m, &hf_ceph_msgr2_global_seq, cursor_le64(&k));
		break;
	case MSGR2_TAG_SESSION_RECONNECT_OK:
		msg_add_uint(m, &hf_ceph_msgr2_msg_seq, cursor_le64(&k));
		break;
	case MSGR2_TAG_KEEPALIVE2:
	case MSGR2_TAG_KEEPALIVE2_ACK:
		time_field(m, &hf_ceph_keepalive_time, &k);
		break;
	case MSGR2_TAG_ACK:
		v = 0;
		{
			uint64_t seq = cursor_le64(&k);
			msg_add_uint(m, &hf_ceph_ack, seq);
			msg_info_str(m, " seq=");
			msg_info_uint(m, seq);
		}
		break;
	case MSGR2_TAG_COMPRESSION_REQUEST:
		msg_add_bool(m, &hf_ceph_msgr2_compression, cursor_u8(&k) != 0);
		{
			uint32_t nm = cursor_le32(&k);
			if (nm > 16) {
				cursor_malformed(&k, "more than 16 methods");
				break;
			}
			for (uint32_t i = 0; i < nm && cursor_ok(&k); i++)
				msg_add_uint(m, &hf_ceph_msgr2_compression_method,
					     cursor_le32(&k));
		}
		break;
	case MSGR2_TAG_COMPRESSION_DONE:
		msg_add_bool(m, &hf_ceph_msgr2_compression, cursor_u8(&k) != 0);
		msg_add_uint(m, &hf_ceph_msgr2_compression_method, cursor_le32(&k));
		break;
	default:
		break;
	}
	if ((k.status & CURSOR_MALFORMED) && !(m->verdict & MSG_MALFORMED))
		msg_mark(m, MSG_MALFORMED, k.why);
	else if ((k.status & CURSOR_TRUNCATED) && u->seg_kept[0] == u->seg_len[0] &&
		 !(m->verdict & MSG_MALFORMED))
		msg_mark(m, MSG_MALFORMED, "the frame's payload ends early");
}

static void frame_checks(struct message *m, const struct ceph_unit *u)
{
	const struct msgr2_preamble *p = &u->pre;
	msg_add_uint(m, &hf_ceph_msgr2_segments, p->num_segments);
	for (unsigned i = 0; i < p->num_segments && i < MSGR2_MAX_SEGMENTS; i++) {
		msg_add_uint(m, &hf_ceph_msgr2_segment_length, p->seg_len[i]);
		msg_add_uint(m, &hf_ceph_msgr2_segment_alignment, p->seg_align[i]);
	}
	if (p->flags)
		msg_add_hex(m, &hf_ceph_msgr2_flags, p->flags);
	if (u->flags & CEPH_U_COMPRESSED)
		msg_add_bool(m, &hf_ceph_msgr2_compressed, true);
	msg_add_hex(m, &hf_ceph_msgr2_preamble_crc, p->crc);
	for (unsigned i = 0; i < MSGR2_MAX_SEGMENTS; i++)
		if (u->crc_sent >> i & 1)
			msg_add_hex(m, &hf_ceph_msgr2_segment_crc, u->seg_crc[i]);
	if (u->late)
		msg_add_hex(m, &hf_ceph_msgr2_late_status, u->late);
	if (u->flags & CEPH_U_ABORTED)
		msg_add_bool(m, &hf_ceph_msgr2_aborted, true);
	if (!u->secure && !(u->flags & CEPH_U_TRUNCATED))
		msg_add_bool(m, &hf_ceph_crc_ok, !(u->flags & CEPH_U_CRC_BAD));
}

/* ---- msgr1 ---- */

static void connect_fields(struct message *m, const struct ceph_unit *u)
{
	const struct msgr1_connect *c = &u->connect;
	msg_add_hex(m, &hf_ceph_connect_features, c->features);
	msg_add_enum(m, &hf_ceph_connect_host, c->host_type,
		     ceph_entity_name(c->host_type));
	msg_add_uint(m, &hf_ceph_connect_global_seq, c->global_seq);
	msg_add_uint(m, &hf_ceph_connect_seq, c->connect_seq);
	msg_add_uint(m, &hf_ceph_connect_ver, c->protocol_version);
	msg_add_enum(m, &hf_ceph_connect_auth_proto, c->authorizer_protocol,
		     field_value_name(&hf_ceph_connect_auth_proto,
				      c->authorizer_protocol));
	msg_add_uint(m, &hf_ceph_connect_auth_size, c->authorizer_len);
	msg_add_flags(m, &hf_ceph_connect_flags, c->flags,
		      c->flags & MSGR1_CONNECT_LOSSY ? "LOSSY" : "");
	const char *host = ceph_entity_name(c->host_type);
	msg_info_str(m, " ");
	msg_info_str(m, host ? host : "?");
	msg_info_str(m, " gseq=");
	msg_info_uint(m, c->global_seq);
	msg_info_str(m, " cseq=");
	msg_info_uint(m, c->connect_seq);
	if (c->authorizer_protocol == CEPH_AUTH_CEPHX && u->auth_kept)
		cephx_authorizer(m, u->auth, u->auth_kept);
}

static void reply_fields(struct message *m, const struct ceph_unit *u)
{
	const struct msgr1_connect_reply *r = &u->reply;
	msg_add_hex(m, &hf_ceph_connect_features, r->features);
	msg_add_uint(m, &hf_ceph_connect_global_seq, r->global_seq);
	msg_add_uint(m, &hf_ceph_connect_seq, r->connect_seq);
	msg_add_uint(m, &hf_ceph_connect_ver, r->protocol_version);
	msg_add_uint(m, &hf_ceph_connect_auth_size, r->authorizer_len);
	msg_add_flags(m, &hf_ceph_connect_flags, r->flags,
		      r->flags & MSGR1_CONNECT_LOSSY ? "LOSSY" : "");
	msg_info_str(m, " ");
	msg_info_str(m, msgr1_tag_name(r->tag) ? msgr1_tag_name(r->tag) : "?");
}

static void footer_fields(struct message *m, const struct ceph_unit *u)
{
	const struct msgr1_footer *f = &u->footer;
	msg_add_hex(m, &hf_ceph_crc, u->head.crc);
	msg_add_hex(m, &hf_ceph_foot_front_crc, f->front_crc);
	msg_add_hex(m, &hf_ceph_foot_middle_crc, f->middle_crc);
	msg_add_hex(m, &hf_ceph_foot_data_crc, f->data_crc);
	msg_add_hex(m, &hf_ceph_foot_signature, f->sig);
	char names[40] = "";	/* no flag: none named */
	size_t n = 0;
	static const char *const bit[] = { "COMPLETE", "NOCRC", "SIGNED" };
	for (int i = 0; i < 3; i++)
		if (f->flags >> i & 1)
			n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
					      n ? "," : "", bit[i]);
	msg_add_flags(m, &hf_ceph_foot_flags, f->flags, names);
	if (!(u->flags & CEPH_U_TRUNCATED))
		msg_add_bool(m, &hf_ceph_crc_ok, !(u->flags & CEPH_U_CRC_BAD));
}

/* ---- the unit ---- */

static void info_tag(struct message *m, const char *name, unsigned tag)
{
	if (name) {
		msg_info_str(m, name);
	} else {
		msg_info_str(m, "tag ");
		msg_info_uint(m, tag);
	}
}

void ceph_decode_unit(struct message *m, const struct ceph_unit *u,
		      const struct ceph_conn *c)
{
	set_header(m, u);
	m->length = (uint32_t)(u->wire_len > UINT32_MAX ? UINT32_MAX : u->wire_len);
	set_verdicts(m, u);
	bool body = !m->header_only;
	switch (u->kind) {
	case CEPH_UNIT_BANNER:
		if (u->msgr == 2) {
			msg_info_str(m, "banner ceph v2");
			if (!body)
				break;
			msg_add_str(m, &hf_ceph_ver, "ceph v2", 7);
			msg_add_hex(m, &hf_ceph_msgr2_features_supported,
				    u->banner.supported);
			msg_add_hex(m, &hf_ceph_msgr2_features_required,
				    u->banner.required);
			msg_info_str(m, " supported=0x");
			msg_info_hex(m, u->banner.supported);
			msg_info_str(m, " required=0x");
			msg_info_hex(m, u->banner.required);
			if (!(u->flags & CEPH_U_MALFORMED))
				msg_add_uint(m, &hf_ceph_msgr2_revision, u->rev1);
			break;
		}
		msg_info_str(m, "banner ceph v027");
		if (!body)
			break;
		msg_add_str(m, &hf_ceph_ver, MSGR1_BANNER, MSGR1_BANNER_LEN);
		if (u->naddr >= 1) {
			msg_open(m, &hf_ceph_my_addr, NULL);
			ceph_add_addr(m, &u->addr[0]);
			msg_close(m);
			info_addr(m, &u->addr[0]);
		}
		if (u->naddr >= 2) {
			msg_open(m, &hf_ceph_peer_addr, NULL);
			ceph_add_addr(m, &u->addr[1]);
			msg_close(m);
			msg_info_str(m, ", sees peer at");
			info_addr(m, &u->addr[1]);
		}
		break;
	case CEPH_UNIT_CONNECT:
		msg_info_str(m, "CONNECT");
		if (body)
			connect_fields(m, u);
		break;
	case CEPH_UNIT_CONNECT_REPLY:
		msg_info_str(m, "CONNECT_REPLY");
		if (body)
			reply_fields(m, u);
		break;
	case CEPH_UNIT_SEQ:
		msg_info_str(m, "SEQ ");
		msg_info_uint(m, u->value);
		if (body)
			msg_add_uint(m, &hf_ceph_ack, u->value);
		break;
	case CEPH_UNIT_TAG:
		info_tag(m, msgr1_tag_name(u->tag), u->tag);
		if (!body)
			break;
		if (u->tag == MSGR1_TAG_ACK || u->tag == MSGR1_TAG_SEQ) {
			msg_add_uint(m, &hf_ceph_ack, u->value);
			msg_info_str(m, " seq=");
			msg_info_uint(m, u->value);
		} else if (u->tag == MSGR1_TAG_KEEPALIVE2 ||
			   u->tag == MSGR1_TAG_KEEPALIVE2_ACK) {
			msg_add_time(m, &hf_ceph_keepalive_time,
				     (int64_t)(u->value >> 32),
				     (uint32_t)u->value);
		}
		break;
	case CEPH_UNIT_FRAME:
		if (u->tag == MSGR2_TAG_MESSAGE)
			break;	/* bodies.c writes the summary */
		info_tag(m, msgr2_tag_name(u->tag), u->tag);
		if (body) {
			frame_payload(m, u, c);
			frame_checks(m, u);
		}
		break;
	case CEPH_UNIT_MESSAGE:
		break;
	case CEPH_UNIT_ENCRYPTED:
		msg_info_str(m, "encrypted ");
		msg_info_uint(m, u->wire_len);
		msg_info_str(m, " bytes");
		msg_mark(m, MSG_NOT_DECODED, u->why);
		if (!body)
			break;
		msg_add_uint(m, &hf_ceph_secure_bytes, u->wire_len);
		if (u->why)
			msg_add_str(m, &hf_ceph_secure_why, u->why, strlen(u->why));
		break;
	case CEPH_UNIT_SKIPPED:
		msg_info_str(m, "skipped ");
		msg_info_uint(m, u->wire_len);
		msg_info_str(m, " bytes to find the next frame");
		msg_mark(m, MSG_NOT_DECODED, u->why);
		if (body)
			msg_add_uint(m, &hf_ceph_skipped_bytes, u->wire_len);
		break;
	default:
		break;
	}
}

/* The checks of a message (both generations), after its body's fields. */
void ceph_message_checks(struct message *m, const struct ceph_unit *u)
{
	if (m->header_only)
		return;
	if (u->kind == CEPH_UNIT_MESSAGE)
		footer_fields(m, u);
	else
		frame_checks(m, u);
}
