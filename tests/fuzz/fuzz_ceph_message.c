/* fuzz_ceph_message.c - libFuzzer harness: the Ceph decoder's entry
 * points past the framing, with any bytes where the framing would have
 * checked crcs first: ceph_decode_unit (msgr2 frame payloads: HELLO,
 * AUTH_*, IDENT, SESSION_*, ...; msgr1 handshakes and tags),
 * ceph_decode_body (every message body: MON_MAP, MON_COMMAND(_ACK),
 * OSD_OP, OSD_OPREPLY, OSD_MAP, AUTH, LOG, ...) and ceph_message_checks,
 * then every field checked against the registered tables and the
 * message rendered by each output of tapline decode (to /dev/null).
 *
 * Input: byte 0 chooses what is decoded (bits 0-1: 0 a msgr2 MESSAGE, 1
 * a msgr1 MESSAGE, 2 a msgr2 frame, 3 another msgr1 unit; bit 2: header
 * only; bit 3: secure and decrypted), bytes 1-2 the message type (le16)
 * or byte 1 the tag / unit kind, byte 3 the body's version, byte 4 its
 * compat version, bytes 5-10 three le16 segment lengths; the rest are
 * the segments (front, middle, data; a frame's payload), the last taking
 * what remains.  Corpus, tests/fuzz/corpus/ceph_message/: bodies of the
 * lab captures' messages of each type (their lengths as sent).  Runs
 * without libFuzzer through tests/fuzz/replay.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/message.h"
#include "present/output.h"
#include "proto/ceph/ceph.h"
#include "proto/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned le16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct message *m;
	static struct output text, tree, json, fields;
	static struct ceph_conn conn;
	static FILE *null_out;
	if (!m) {
		m = calloc(1, sizeof *m);
		null_out = fopen("/dev/null", "w");
		if (!m || !null_out)
			abort();
		output_init(&text, null_out);
		output_init(&tree, null_out);
		tree.verbose = true;
		output_init(&json, null_out);
		json.format = OUTPUT_JSON;
		output_init(&fields, null_out);
		fields.format = OUTPUT_FIELDS;
		fields.quote = '"';
		static const char *const cols[] = {
			"ceph.type", "ceph.tid", "ceph.msg.osd_op.oid",
			"ceph.osd_op.op", "ceph.msg.mon_cmd.str",
			"tapline.status_name", "tapline.verdict",
		};
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
			if (!output_add_field(&fields, cols[i]))
				abort();
		ceph_conn_init(&conn, NULL);
		strcpy(conn.entity, "client.admin");
	}
	if (size < 11)
		return 0;
	unsigned what = data[0];
	struct ceph_unit u;
	memset(&u, 0, sizeof u);
	u.first_frame = u.frame = 1;
	u.from_client = data[1] & 1;
	unsigned type = le16(data + 1);
	size_t len[3] = { le16(data + 5), le16(data + 7), le16(data + 9) };
	data += 11;
	size -= 11;
	unsigned nseg = 3;
	switch (what & 3) {
	case 0:
	case 1:
		u.kind = CEPH_UNIT_MESSAGE;
		u.msgr = 1;
		if (!(what & 1)) {
			u.kind = CEPH_UNIT_FRAME;
			u.msgr = 2;
			u.tag = MSGR2_TAG_MESSAGE;
			u.rev1 = true;
		}
		u.head.type = (uint16_t)type;
		u.head.version = data[-8];
		u.head.compat_version = data[-7];
		u.head.tid = type * 7u;
		break;
	case 2:
		u.kind = CEPH_UNIT_FRAME;
		u.msgr = 2;
		u.tag = (uint8_t)type;
		u.rev1 = true;
		nseg = 1;
		len[0] = size;
		break;
	default:
		u.kind = (uint8_t)(type % (CEPH_UNIT_SKIPPED + 1));
		u.msgr = 1;
		u.tag = (uint8_t)(type >> 8);
		nseg = 0;
		break;
	}
	if (what & 8 && u.msgr == 2) {
		u.secure = true;
		u.flags |= CEPH_U_DECRYPTED;
	}
	/* msgr2 MESSAGE: segment 0 is the 41-byte header, then front,
	 * middle, data; msgr1: front, middle, data. */
	unsigned first = u.kind == CEPH_UNIT_FRAME && u.tag == MSGR2_TAG_MESSAGE;
	static uint8_t header2[MSGR2_MSG_HEADER_LEN];
	if (first) {
		u.seg[0] = header2;
		u.seg_len[0] = u.seg_kept[0] = sizeof header2;
	}
	for (unsigned i = 0; i < nseg; i++) {
		size_t n = i + 1 == nseg || len[i] > size ? size : len[i];
		/* a copy of just the bytes, so ASan sees any read past them */
		uint8_t *copy = n ? malloc(n) : NULL;
		if (n && !copy)
			abort();
		if (n)
			memcpy(copy, data, n);
		u.seg[first + i] = copy;
		u.seg_len[first + i] = u.seg_kept[first + i] = (uint32_t)n;
		data += n;
		size -= n;
	}
	u.wire_len = 0;
	for (unsigned i = 0; i < 4; i++)
		u.wire_len += u.seg_len[i];
	if (u.msgr == 2)
		u.pre.num_segments = (uint8_t)(first + nseg);

	msg_reset(m);
	m->proto = &ceph_protocol;
	m->frame = m->first_frame = 1;
	m->header_only = what & 4;
	ceph_decode_unit(m, &u, &conn);
	bool message = u.kind == CEPH_UNIT_MESSAGE ||
		       (u.kind == CEPH_UNIT_FRAME && u.tag == MSGR2_TAG_MESSAGE);
	if (message) {
		struct ceph_body_facts facts;
		ceph_decode_body(m, &u, &facts);
		ceph_message_checks(m, &u);
	}
	char why[256];
	if (!registry_check_message(m, why, sizeof why)) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
	output_message(&text, m);
	output_message(&tree, m);
	output_message(&json, m);
	output_message(&fields, m);
	for (unsigned i = first; i < 4; i++)
		free((void *)u.seg[i]);
	return 0;
}
