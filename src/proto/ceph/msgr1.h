/* msgr1.h - the Ceph messenger protocol version 1 ("ceph v027", port
 * 6789 and the OSDs' legacy ports): banner and addresses, connect and
 * connect reply (every tag, CHALLENGE_AUTHORIZER included), the 53-byte
 * message header and the footer, with their crc32c checks.  docs/ceph.md
 * draws the layouts.
 *
 * A connection, as both sides send it:
 *   client: banner, its address; CONNECT (+ authorizer), repeated after a
 *           CHALLENGE_AUTHORIZER, RETRY_* or RESETSESSION reply; after a
 *           SEQ reply its own le64 acknowledged sequence; then tags.
 *   server: banner, its address, the client's address as seen; a CONNECT
 *           REPLY (+ authorizer) per CONNECT; after SEQ an le64; then tags.
 *   tags:   MSG + header + front + middle + data + footer, ACK + le64,
 *           KEEPALIVE, KEEPALIVE2(_ACK) + ceph_timespec, SEQ + le64, CLOSE.
 */
#ifndef TAPLINE_CEPH_MSGR1_H
#define TAPLINE_CEPH_MSGR1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSGR1_BANNER "ceph v027"
#define MSGR1_BANNER_LEN 9
#define MSGR1_ADDR_LEN 136		/* legacy entity_addr_t */
#define MSGR1_CONNECT_LEN 33
#define MSGR1_CONNECT_REPLY_LEN 26
#define MSGR1_HEADER_LEN 53
#define MSGR1_HEADER_CRC_LEN 49		/* the bytes its crc covers */
#define MSGR1_FOOTER_LEN 21		/* with the signature (MSG_AUTH) */
#define MSGR1_FOOTER_OLD_LEN 13		/* peers without MSG_AUTH */
#define MSGR1_TIMESPEC_LEN 8

/* The feature bit that gives messages the 21-byte footer. */
#define CEPH_FEATURE_MSG_AUTH (1ull << 59)

enum msgr1_tag {
	MSGR1_TAG_READY = 1,
	MSGR1_TAG_RESETSESSION = 2,
	MSGR1_TAG_WAIT = 3,
	MSGR1_TAG_RETRY_SESSION = 4,
	MSGR1_TAG_RETRY_GLOBAL = 5,
	MSGR1_TAG_CLOSE = 6,
	MSGR1_TAG_MSG = 7,
	MSGR1_TAG_ACK = 8,
	MSGR1_TAG_KEEPALIVE = 9,
	MSGR1_TAG_BADPROTOVER = 10,
	MSGR1_TAG_BADAUTHORIZER = 11,
	MSGR1_TAG_FEATURES = 12,
	MSGR1_TAG_SEQ = 13,
	MSGR1_TAG_KEEPALIVE2 = 14,
	MSGR1_TAG_KEEPALIVE2_ACK = 15,
	MSGR1_TAG_CHALLENGE_AUTHORIZER = 16,
	MSGR1_TAG_MAX = 16,
};

#define MSGR1_FOOTER_COMPLETE 0x1u
#define MSGR1_FOOTER_NOCRC 0x2u
#define MSGR1_FOOTER_SIGNED 0x4u

#define MSGR1_CONNECT_LOSSY 0x1u

/* "READY", ...; NULL outside 1-16. */
const char *msgr1_tag_name(unsigned tag);
/* Tags a server answers a CONNECT with. */
bool msgr1_tag_is_connect_reply(unsigned tag);
/* Tags of the session phase (either side, after the handshake). */
bool msgr1_tag_is_session(unsigned tag);

/* An entity address: IPv4 or IPv6 (family 2 or 10), port, the sender's
 * nonce and the address type (legacy 1, msgr2 2, any 3; 0 in the
 * legacy encoding). */
struct ceph_addr {
	uint32_t type;
	uint32_t nonce;
	uint16_t family;	/* AF_INET 2, AF_INET6 10, 0 = none */
	uint16_t port;
	uint8_t ip[16];		/* IPv4 in the first 4 bytes */
};

/* The legacy 136-byte form (banner, v1 connect): le32 type, le32 nonce,
 * sockaddr_storage with the family in network byte order. */
void msgr1_addr_read(const uint8_t *p, struct ceph_addr *out);

struct msgr1_connect {
	uint64_t features;
	uint32_t host_type;	/* CEPH_ENTITY_TYPE_* */
	uint32_t global_seq;
	uint32_t connect_seq;
	uint32_t protocol_version;
	uint32_t authorizer_protocol;	/* CEPH_AUTH_*: 2 cephx */
	uint32_t authorizer_len;
	uint8_t flags;			/* MSGR1_CONNECT_LOSSY */
};
void msgr1_connect_read(const uint8_t *p, struct msgr1_connect *out);

struct msgr1_connect_reply {
	uint8_t tag;
	uint64_t features;
	uint32_t global_seq;
	uint32_t connect_seq;
	uint32_t protocol_version;
	uint32_t authorizer_len;
	uint8_t flags;
};
void msgr1_connect_reply_read(const uint8_t *p, struct msgr1_connect_reply *out);

struct msgr1_header {
	uint64_t seq;
	uint64_t tid;
	uint16_t type;
	uint16_t priority;
	uint16_t version;
	uint32_t front_len;
	uint32_t middle_len;
	uint32_t data_len;
	uint16_t data_off;
	uint8_t src_type;	/* CEPH_ENTITY_TYPE_* */
	uint64_t src_num;
	uint16_t compat_version;
	uint16_t reserved;
	uint32_t crc;		/* as sent */
	uint32_t crc_computed;
};
/* Reads the 53 header bytes at p; true when its crc matches. */
bool msgr1_header_read(const uint8_t *p, struct msgr1_header *out);

struct msgr1_footer {
	uint32_t front_crc, middle_crc, data_crc;
	uint64_t sig;		/* 0 in the old footer */
	uint8_t flags;		/* MSGR1_FOOTER_* */
};
/* Reads a footer of len bytes (21, or 13 without MSG_AUTH). */
void msgr1_footer_read(const uint8_t *p, size_t len, struct msgr1_footer *out);

/* The payload crcs of a message, checked against its footer. */
struct msgr1_body_check {
	uint32_t front_crc, middle_crc, data_crc;	/* computed */
	bool front_bad, middle_bad, data_bad;
	bool data_unchecked;	/* footer says NOCRC */
};
void msgr1_body_check(const struct msgr1_footer *f,
		      const uint8_t *front, size_t front_len,
		      const uint8_t *middle, size_t middle_len,
		      const uint8_t *data, size_t data_len,
		      struct msgr1_body_check *out);

#endif
