/* msgr1.c - msgr v1 banner, addresses, connect, header, footer (msgr1.h). */
#include "proto/ceph/msgr1.h"

#include <string.h>

#include "base/cursor.h"
#include "proto/ceph/crc32c.h"

static const char *const tag_names[MSGR1_TAG_MAX + 1] = {
	[MSGR1_TAG_READY] = "READY",
	[MSGR1_TAG_RESETSESSION] = "RESETSESSION",
	[MSGR1_TAG_WAIT] = "WAIT",
	[MSGR1_TAG_RETRY_SESSION] = "RETRY_SESSION",
	[MSGR1_TAG_RETRY_GLOBAL] = "RETRY_GLOBAL",
	[MSGR1_TAG_CLOSE] = "CLOSE",
	[MSGR1_TAG_MSG] = "MSG",
	[MSGR1_TAG_ACK] = "ACK",
	[MSGR1_TAG_KEEPALIVE] = "KEEPALIVE",
	[MSGR1_TAG_BADPROTOVER] = "BADPROTOVER",
	[MSGR1_TAG_BADAUTHORIZER] = "BADAUTHORIZER",
	[MSGR1_TAG_FEATURES] = "FEATURES",
	[MSGR1_TAG_SEQ] = "SEQ",
	[MSGR1_TAG_KEEPALIVE2] = "KEEPALIVE2",
	[MSGR1_TAG_KEEPALIVE2_ACK] = "KEEPALIVE2_ACK",
	[MSGR1_TAG_CHALLENGE_AUTHORIZER] = "CHALLENGE_AUTHORIZER",
};

const char *msgr1_tag_name(unsigned tag)
{
	return tag <= MSGR1_TAG_MAX ? tag_names[tag] : NULL;
}

bool msgr1_tag_is_connect_reply(unsigned tag)
{
	switch (tag) {
	case MSGR1_TAG_READY: case MSGR1_TAG_RESETSESSION: case MSGR1_TAG_WAIT:
	case MSGR1_TAG_RETRY_SESSION: case MSGR1_TAG_RETRY_GLOBAL:
	case MSGR1_TAG_BADPROTOVER: case MSGR1_TAG_BADAUTHORIZER:
	case MSGR1_TAG_FEATURES: case MSGR1_TAG_SEQ:
	case MSGR1_TAG_CHALLENGE_AUTHORIZER:
		return true;
	default:
		return false;
	}
}

bool msgr1_tag_is_session(unsigned tag)
{
	switch (tag) {
	case MSGR1_TAG_CLOSE: case MSGR1_TAG_MSG: case MSGR1_TAG_ACK:
	case MSGR1_TAG_KEEPALIVE: case MSGR1_TAG_SEQ:
	case MSGR1_TAG_KEEPALIVE2: case MSGR1_TAG_KEEPALIVE2_ACK:
		return true;
	default:
		return false;
	}
}

void msgr1_addr_read(const uint8_t *p, struct ceph_addr *out)
{
	struct cursor c = cursor_init(p, MSGR1_ADDR_LEN);
	memset(out, 0, sizeof *out);
	out->type = cursor_le32(&c);
	out->nonce = cursor_le32(&c);
	/* sockaddr_storage as the sender's kernel holds it, but with the
	 * family converted to network byte order. */
	out->family = cursor_be16(&c);
	out->port = cursor_be16(&c);
	if (out->family == 10) {
		cursor_skip(&c, 4);	/* flow info */
		const uint8_t *ip = cursor_take(&c, 16);
		if (ip)
			memcpy(out->ip, ip, 16);
	} else {
		const uint8_t *ip = cursor_take(&c, 4);
		if (ip)
			memcpy(out->ip, ip, 4);
	}
}

void msgr1_connect_read(const uint8_t *p, struct msgr1_connect *out)
{
	struct cursor c = cursor_init(p, MSGR1_CONNECT_LEN);
	out->features = cursor_le64(&c);
	out->host_type = cursor_le32(&c);
	out->global_seq = cursor_le32(&c);
	out->connect_seq = cursor_le32(&c);
	out->protocol_version = cursor_le32(&c);
	out->authorizer_protocol = cursor_le32(&c);
	out->authorizer_len = cursor_le32(&c);
	out->flags = cursor_u8(&c);
}

void msgr1_connect_reply_read(const uint8_t *p, struct msgr1_connect_reply *out)
{
	struct cursor c = cursor_init(p, MSGR1_CONNECT_REPLY_LEN);
	out->tag = cursor_u8(&c);
	out->features = cursor_le64(&c);
	out->global_seq = cursor_le32(&c);
	out->connect_seq = cursor_le32(&c);
	out->protocol_version = cursor_le32(&c);
	out->authorizer_len = cursor_le32(&c);
	out->flags = cursor_u8(&c);
}

bool msgr1_header_read(const uint8_t *p, struct msgr1_header *out)
{
	struct cursor c = cursor_init(p, MSGR1_HEADER_LEN);
	out->seq = cursor_le64(&c);
	out->tid = cursor_le64(&c);
	out->type = cursor_le16(&c);
	out->priority = cursor_le16(&c);
	out->version = cursor_le16(&c);
	out->front_len = cursor_le32(&c);
	out->middle_len = cursor_le32(&c);
	out->data_len = cursor_le32(&c);
	out->data_off = cursor_le16(&c);
	out->src_type = cursor_u8(&c);
	out->src_num = cursor_le64(&c);
	out->compat_version = cursor_le16(&c);
	out->reserved = cursor_le16(&c);
	out->crc = cursor_le32(&c);
	out->crc_computed = crc32c_update(0, p, MSGR1_HEADER_CRC_LEN);
	return out->crc == out->crc_computed;
}

void msgr1_footer_read(const uint8_t *p, size_t len, struct msgr1_footer *out)
{
	struct cursor c = cursor_init(p, len);
	out->front_crc = cursor_le32(&c);
	out->middle_crc = cursor_le32(&c);
	out->data_crc = cursor_le32(&c);
	out->sig = len >= MSGR1_FOOTER_LEN ? cursor_le64(&c) : 0;
	out->flags = cursor_u8(&c);
}

void msgr1_body_check(const struct msgr1_footer *f,
		      const uint8_t *front, size_t front_len,
		      const uint8_t *middle, size_t middle_len,
		      const uint8_t *data, size_t data_len,
		      struct msgr1_body_check *out)
{
	memset(out, 0, sizeof *out);
	out->front_crc = crc32c_update(0, front, front_len);
	out->middle_crc = crc32c_update(0, middle, middle_len);
	out->front_bad = out->front_crc != f->front_crc;
	out->middle_bad = out->middle_crc != f->middle_crc;
	if (f->flags & MSGR1_FOOTER_NOCRC) {
		out->data_unchecked = true;
	} else {
		out->data_crc = crc32c_update(0, data, data_len);
		out->data_bad = out->data_crc != f->data_crc;
	}
}
