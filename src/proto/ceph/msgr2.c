/* msgr2.c - msgr2 banner, preamble, frame layout and crc-mode checks
 * (msgr2.h). */
#include "proto/ceph/msgr2.h"

#include <string.h>

#include "base/cursor.h"
#include "proto/ceph/crc32c.h"

static const char *const tag_names[MSGR2_TAG_MAX + 1] = {
	[MSGR2_TAG_HELLO] = "HELLO",
	[MSGR2_TAG_AUTH_REQUEST] = "AUTH_REQUEST",
	[MSGR2_TAG_AUTH_BAD_METHOD] = "AUTH_BAD_METHOD",
	[MSGR2_TAG_AUTH_REPLY_MORE] = "AUTH_REPLY_MORE",
	[MSGR2_TAG_AUTH_REQUEST_MORE] = "AUTH_REQUEST_MORE",
	[MSGR2_TAG_AUTH_DONE] = "AUTH_DONE",
	[MSGR2_TAG_AUTH_SIGNATURE] = "AUTH_SIGNATURE",
	[MSGR2_TAG_CLIENT_IDENT] = "CLIENT_IDENT",
	[MSGR2_TAG_SERVER_IDENT] = "SERVER_IDENT",
	[MSGR2_TAG_IDENT_MISSING_FEATURES] = "IDENT_MISSING_FEATURES",
	[MSGR2_TAG_SESSION_RECONNECT] = "SESSION_RECONNECT",
	[MSGR2_TAG_SESSION_RESET] = "SESSION_RESET",
	[MSGR2_TAG_SESSION_RETRY] = "SESSION_RETRY",
	[MSGR2_TAG_SESSION_RETRY_GLOBAL] = "SESSION_RETRY_GLOBAL",
	[MSGR2_TAG_SESSION_RECONNECT_OK] = "SESSION_RECONNECT_OK",
	[MSGR2_TAG_WAIT] = "WAIT",
	[MSGR2_TAG_MESSAGE] = "MESSAGE",
	[MSGR2_TAG_KEEPALIVE2] = "KEEPALIVE2",
	[MSGR2_TAG_KEEPALIVE2_ACK] = "KEEPALIVE2_ACK",
	[MSGR2_TAG_ACK] = "ACK",
	[MSGR2_TAG_COMPRESSION_REQUEST] = "COMPRESSION_REQUEST",
	[MSGR2_TAG_COMPRESSION_DONE] = "COMPRESSION_DONE",
};

const char *msgr2_tag_name(unsigned tag)
{
	return tag <= MSGR2_TAG_MAX ? tag_names[tag] : NULL;
}

long msgr2_banner_read(const uint8_t *p, size_t len, struct msgr2_banner *out)
{
	size_t cmp = len < MSGR2_BANNER_LEN ? len : MSGR2_BANNER_LEN;
	if (memcmp(p, MSGR2_BANNER, cmp) != 0)
		return -1;
	struct cursor c = cursor_init(p, len);
	cursor_skip(&c, MSGR2_BANNER_LEN);
	uint16_t n = cursor_le16(&c);
	if (!cursor_ok(&c))
		return 0;
	if (n < MSGR2_BANNER_FEATURES_LEN)
		return -1;
	if (cursor_left(&c) < n)
		return 0;
	out->payload_len = n;
	out->supported = cursor_le64(&c);
	out->required = cursor_le64(&c);
	return MSGR2_BANNER_PREFIX_LEN + (long)n;
}

enum msgr2_preamble_verdict msgr2_preamble_read(const uint8_t *p,
						struct msgr2_preamble *out)
{
	struct cursor c = cursor_init(p, MSGR2_PREAMBLE_LEN);
	out->tag = cursor_u8(&c);
	out->num_segments = cursor_u8(&c);
	for (int i = 0; i < MSGR2_MAX_SEGMENTS; i++) {
		out->seg_len[i] = cursor_le32(&c);
		out->seg_align[i] = cursor_le16(&c);
	}
	out->flags = cursor_u8(&c);
	out->reserved = cursor_u8(&c);
	out->crc = cursor_le32(&c);
	out->crc_computed = crc32c_update(0, p, MSGR2_PREAMBLE_CRC_LEN);
	if (out->crc != out->crc_computed)
		return MSGR2_PREAMBLE_BAD_CRC;
	unsigned n = out->num_segments;
	if (n < 1 || n > MSGR2_MAX_SEGMENTS)
		return MSGR2_PREAMBLE_BAD_SEGMENTS;
	if (n > 1 && out->seg_len[n - 1] == 0)
		return MSGR2_PREAMBLE_BAD_SEGMENTS;
	return MSGR2_PREAMBLE_OK;
}

static uint32_t padded(uint32_t n)
{
	/* In 64 bits: a hostile length near 2^32 must not wrap. */
	uint64_t p = ((uint64_t)n + MSGR2_BLOCK_LEN - 1) & ~(uint64_t)(MSGR2_BLOCK_LEN - 1);
	return p > UINT32_MAX ? UINT32_MAX : (uint32_t)p;
}

void msgr2_layout(const struct msgr2_preamble *pre, bool rev1, bool secure,
		  struct msgr2_layout *out)
{
	memset(out, 0, sizeof *out);
	unsigned n = pre->num_segments;
	if (n > MSGR2_MAX_SEGMENTS)
		n = MSGR2_MAX_SEGMENTS;
	uint64_t total;
	if (!secure) {
		out->preamble = MSGR2_PREAMBLE_LEN;
		for (unsigned i = 0; i < n; i++)
			out->segment[i] = pre->seg_len[i];
		if (rev1) {
			/* The first segment carries its own crc. */
			if (n > 0 && pre->seg_len[0] > 0)
				out->segment[0] += MSGR2_CRC_LEN;
			if (n > 1)
				out->epilogue = MSGR2_EPILOGUE_CRC_REV1_LEN;
		} else {
			out->epilogue = MSGR2_EPILOGUE_CRC_REV0_LEN;
		}
	} else if (rev1) {
		/* Preamble and up to 48 bytes of the first segment, then the
		 * rest of the first segment, then segments 2-4 with the
		 * epilogue: three AES-GCM messages, each with its tag. */
		out->preamble = MSGR2_PREAMBLE_LEN + MSGR2_INLINE_LEN + MSGR2_TAG_LEN;
		if (n > 0 && padded(pre->seg_len[0]) > MSGR2_INLINE_LEN)
			out->segment[0] = padded(pre->seg_len[0]) -
					  MSGR2_INLINE_LEN + MSGR2_TAG_LEN;
		for (unsigned i = 1; i < n; i++)
			out->segment[i] = padded(pre->seg_len[i]);
		if (n > 1)
			out->epilogue = MSGR2_EPILOGUE_SECURE_LEN + MSGR2_TAG_LEN;
	} else {
		/* One AES-GCM message: preamble, padded segments, epilogue. */
		out->preamble = MSGR2_PREAMBLE_LEN;
		for (unsigned i = 0; i < n; i++)
			out->segment[i] = padded(pre->seg_len[i]);
		out->epilogue = MSGR2_EPILOGUE_SECURE_LEN + MSGR2_TAG_LEN;
	}
	total = out->preamble + (uint64_t)out->epilogue;
	for (unsigned i = 0; i < MSGR2_MAX_SEGMENTS; i++)
		total += out->segment[i];
	out->total = total;
}

void msgr2_epilogue_read(const uint8_t *p, bool rev1, unsigned nseg,
			 uint8_t *late, uint32_t crc[MSGR2_MAX_SEGMENTS],
			 uint8_t *present)
{
	struct cursor c = cursor_init(p, rev1 ? MSGR2_EPILOGUE_CRC_REV1_LEN :
					       MSGR2_EPILOGUE_CRC_REV0_LEN);
	*late = cursor_u8(&c);
	*present = 0;
	for (unsigned i = rev1 ? 1 : 0; i < MSGR2_MAX_SEGMENTS; i++) {
		crc[i] = cursor_le32(&c);
		if (i < nseg)
			*present |= (uint8_t)(1u << i);
	}
}

bool msgr2_secure_late_aborted(uint8_t late, bool rev1, bool *invalid)
{
	if (!rev1) {
		*invalid = false;
		return late & MSGR2_LATE_FLAG_ABORTED;
	}
	unsigned s = late & MSGR2_LATE_STATUS_MASK;
	*invalid = s != MSGR2_LATE_STATUS_ABORTED && s != MSGR2_LATE_STATUS_COMPLETE;
	return s == MSGR2_LATE_STATUS_ABORTED;
}

bool msgr2_crc_frame_check(const struct msgr2_preamble *pre, bool rev1,
			   const uint8_t *frame, size_t len,
			   struct msgr2_crc_frame *out)
{
	memset(out, 0, sizeof *out);
	unsigned n = pre->num_segments;
	if (n < 1 || n > MSGR2_MAX_SEGMENTS)
		return false;
	struct msgr2_layout l;
	msgr2_layout(pre, rev1, false, &l);
	if (l.total - MSGR2_PREAMBLE_LEN != len)
		return false;
	struct cursor c = cursor_init(frame, len);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *seg = cursor_take(&c, pre->seg_len[i]);
		out->segment[i] = seg;
		out->crc_computed[i] = seg ? crc32c_update(0xffffffffu, seg, pre->seg_len[i]) : 0;
		if (rev1 && i == 0 && pre->seg_len[0] > 0) {
			out->crc[0] = cursor_le32(&c);
			out->crc_present |= 1;
		}
	}
	if (rev1 && n <= 1) {
		out->has_epilogue = false;
	} else {
		out->has_epilogue = true;
		size_t elen = rev1 ? MSGR2_EPILOGUE_CRC_REV1_LEN : MSGR2_EPILOGUE_CRC_REV0_LEN;
		const uint8_t *ep = cursor_take(&c, elen);
		if (!ep)
			return false;
		uint32_t crc[MSGR2_MAX_SEGMENTS];
		uint8_t present;
		msgr2_epilogue_read(ep, rev1, n, &out->late, crc, &present);
		for (unsigned i = 0; i < n; i++)
			if (present >> i & 1)
				out->crc[i] = crc[i];
		out->crc_present |= present;
		out->aborted = msgr2_secure_late_aborted(out->late, rev1,
							 &out->late_invalid);
	}
	if (!cursor_ok(&c) || cursor_left(&c) != 0)
		return false;	/* cannot happen: the layout said len */
	for (unsigned i = 0; i < n; i++)
		if ((out->crc_present >> i & 1) && out->crc[i] != out->crc_computed[i])
			out->crc_bad |= (uint8_t)(1u << i);
	return true;
}

void msgr2_msg_head_read(const uint8_t *p, struct msgr2_msg_head *h)
{
	struct cursor c = cursor_init(p, MSGR2_MSG_HEADER_LEN);
	h->seq = cursor_le64(&c);
	h->tid = cursor_le64(&c);
	h->type = cursor_le16(&c);
	h->priority = cursor_le16(&c);
	h->version = cursor_le16(&c);
	h->data_pre_padding_len = cursor_le32(&c);
	h->data_off = cursor_le16(&c);
	h->ack_seq = cursor_le64(&c);
	h->flags = cursor_u8(&c);
	h->compat_version = cursor_le16(&c);
	h->reserved = cursor_le16(&c);
}
