/* msgr2.h - the Ceph messenger protocol version 2 ("ceph v2\n", the
 * default since Nautilus, port 3300): the banner, the 32-byte frame
 * preamble and its crc, where every part of a frame lies on the wire in
 * each revision (msgr2.0, msgr2.1) and mode (crc, secure), and the checks
 * of a crc-mode frame's segments and epilogue.  docs/ceph.md draws the
 * layouts.
 *
 * Pure functions over bytes the caller has in hand: nothing here keeps
 * state or allocates.
 */
#ifndef TAPLINE_CEPH_MSGR2_H
#define TAPLINE_CEPH_MSGR2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSGR2_BANNER "ceph v2\n"
#define MSGR2_BANNER_LEN 8
/* The banner, its le16 payload length and the payload's two le64s. */
#define MSGR2_BANNER_PREFIX_LEN 10
#define MSGR2_BANNER_FEATURES_LEN 16

#define MSGR2_PREAMBLE_LEN 32
#define MSGR2_PREAMBLE_CRC_LEN 28	/* the bytes its crc covers */
#define MSGR2_MAX_SEGMENTS 4
#define MSGR2_CRC_LEN 4
#define MSGR2_BLOCK_LEN 16		/* secure mode pads segments to it */
#define MSGR2_TAG_LEN 16		/* AES-GCM authentication tag */
#define MSGR2_INLINE_LEN 48		/* msgr2.1 secure: the first segment's
					 * bytes encrypted with the preamble */
#define MSGR2_EPILOGUE_CRC_REV0_LEN 17	/* late_flags + 4 crcs */
#define MSGR2_EPILOGUE_CRC_REV1_LEN 13	/* late_status + 3 crcs */
#define MSGR2_EPILOGUE_SECURE_LEN 16	/* late flags/status + padding */

/* Banner features (their own namespace, not the CEPH_FEATURE bits). */
#define MSGR2_FEATURE_REVISION_1 0x1u	/* msgr2.1 */
#define MSGR2_FEATURE_COMPRESSION 0x2u	/* COMPRESSION_REQUEST/DONE */

/* The preamble's flags byte (Quincy and later; 0 before). */
#define MSGR2_FLAG_COMPRESSED 0x1u

/* msgr2.0 epilogue late_flags and msgr2.1 late_status. */
#define MSGR2_LATE_FLAG_ABORTED 0x1u
#define MSGR2_LATE_STATUS_ABORTED 0x1u
#define MSGR2_LATE_STATUS_COMPLETE 0xeu
#define MSGR2_LATE_STATUS_MASK 0xfu

enum msgr2_tag {
	MSGR2_TAG_HELLO = 1,
	MSGR2_TAG_AUTH_REQUEST = 2,
	MSGR2_TAG_AUTH_BAD_METHOD = 3,
	MSGR2_TAG_AUTH_REPLY_MORE = 4,
	MSGR2_TAG_AUTH_REQUEST_MORE = 5,
	MSGR2_TAG_AUTH_DONE = 6,
	MSGR2_TAG_AUTH_SIGNATURE = 7,
	MSGR2_TAG_CLIENT_IDENT = 8,
	MSGR2_TAG_SERVER_IDENT = 9,
	MSGR2_TAG_IDENT_MISSING_FEATURES = 10,
	MSGR2_TAG_SESSION_RECONNECT = 11,
	MSGR2_TAG_SESSION_RESET = 12,
	MSGR2_TAG_SESSION_RETRY = 13,
	MSGR2_TAG_SESSION_RETRY_GLOBAL = 14,
	MSGR2_TAG_SESSION_RECONNECT_OK = 15,
	MSGR2_TAG_WAIT = 16,
	MSGR2_TAG_MESSAGE = 17,
	MSGR2_TAG_KEEPALIVE2 = 18,
	MSGR2_TAG_KEEPALIVE2_ACK = 19,
	MSGR2_TAG_ACK = 20,
	MSGR2_TAG_COMPRESSION_REQUEST = 21,
	MSGR2_TAG_COMPRESSION_DONE = 22,
	MSGR2_TAG_MAX = 22,
};

/* Connection modes (AUTH_REQUEST's preferred modes, AUTH_DONE). */
enum msgr2_con_mode {
	MSGR2_MODE_UNKNOWN = 0,
	MSGR2_MODE_CRC = 1,
	MSGR2_MODE_SECURE = 2,
};

/* "HELLO", ...; NULL for a tag no Ceph release sends. */
const char *msgr2_tag_name(unsigned tag);

struct msgr2_banner {
	uint16_t payload_len;	/* 16 today; more is allowed */
	uint64_t supported;	/* MSGR2_FEATURE_* */
	uint64_t required;
};

/* The banner at p[0..len): its length on the wire (10 + payload) once
 * complete, 0 while more bytes are needed, -1 if p holds no msgr2 banner
 * (also when the payload is too short for the two feature words). */
long msgr2_banner_read(const uint8_t *p, size_t len, struct msgr2_banner *out);

struct msgr2_preamble {
	uint8_t tag;
	uint8_t num_segments;
	uint32_t seg_len[MSGR2_MAX_SEGMENTS];
	uint16_t seg_align[MSGR2_MAX_SEGMENTS];
	uint8_t flags;		/* MSGR2_FLAG_COMPRESSED */
	uint8_t reserved;
	uint32_t crc;		/* as sent */
	uint32_t crc_computed;
};

enum msgr2_preamble_verdict {
	MSGR2_PREAMBLE_OK = 0,
	MSGR2_PREAMBLE_BAD_CRC,		/* not a preamble, or damaged */
	MSGR2_PREAMBLE_BAD_SEGMENTS,	/* crc right, but 0 or more than 4
					 * segments, or the last one empty */
};

/* Reads the 32 preamble bytes at p (plaintext: in secure mode, after
 * decryption) and checks them as the receiver does. */
enum msgr2_preamble_verdict msgr2_preamble_read(const uint8_t *p,
						struct msgr2_preamble *out);

/* Where a frame's parts lie, from its preamble: the preamble block (in
 * secure msgr2.1 with the inline bytes and a tag), each segment as sent
 * (with its crc, padding or tag), the epilogue (with its tag). */
struct msgr2_layout {
	uint32_t preamble;
	uint32_t segment[MSGR2_MAX_SEGMENTS];
	uint32_t epilogue;
	uint64_t total;		/* the frame's bytes on the wire */
};

void msgr2_layout(const struct msgr2_preamble *pre, bool rev1, bool secure,
		  struct msgr2_layout *out);

/* A crc-mode frame's segments and epilogue, checked. */
struct msgr2_crc_frame {
	const uint8_t *segment[MSGR2_MAX_SEGMENTS];	/* into the frame */
	uint32_t crc[MSGR2_MAX_SEGMENTS];		/* as sent */
	uint32_t crc_computed[MSGR2_MAX_SEGMENTS];
	uint8_t crc_present;	/* bit i: segment i's crc is on the wire */
	uint8_t crc_bad;	/* bit i: and it does not match */
	bool has_epilogue;
	uint8_t late;		/* late_flags (2.0) or late_status (2.1) */
	bool late_invalid;	/* 2.1: neither complete nor aborted */
	bool aborted;		/* the sender abandoned the frame */
};

/* frame: the frame's bytes after its 32-byte preamble; false (and
 * nothing read) unless len is what the preamble says (msgr2_layout's
 * total - 32 in crc mode). */
bool msgr2_crc_frame_check(const struct msgr2_preamble *pre, bool rev1,
			   const uint8_t *frame, size_t len,
			   struct msgr2_crc_frame *out);

/* A crc-mode epilogue (13 bytes in msgr2.1, 17 in 2.0) of a frame of
 * nseg segments: late flags/status, crc[i] of each segment it covers
 * (bit i of present: 2.0 all of them, 2.1 the second to fourth). */
void msgr2_epilogue_read(const uint8_t *p, bool rev1, unsigned nseg,
			 uint8_t *late, uint32_t crc[MSGR2_MAX_SEGMENTS],
			 uint8_t *present);

/* The message header of a MESSAGE frame (ceph_msg_header2, its first
 * segment: 41 bytes). */
#define MSGR2_MSG_HEADER_LEN 41
struct msgr2_msg_head {
	uint64_t seq, tid;
	uint16_t type, priority, version;
	uint32_t data_pre_padding_len;
	uint16_t data_off;
	uint64_t ack_seq;
	uint8_t flags;
	uint16_t compat_version, reserved;
};
void msgr2_msg_head_read(const uint8_t *p, struct msgr2_msg_head *h);

/* A secure frame's epilogue, decrypted: late flags (2.0) or status (2.1). */
bool msgr2_secure_late_aborted(uint8_t late, bool rev1, bool *invalid);

#endif
