/* ceph.h - the Ceph decoder's shared parts: where a message keeps its
 * header facts (proto_header words, read by fields.c's derive functions
 * and protocol.c's views), the names of message types and OSD
 * operations, and the layers' entry points:
 *
 *   stream.c   the stream protocol: detection, a connection's framing
 *              (framing.h) fed from TCP, requests matched to replies
 *   frames.c   a unit of the framing layer into a message: banners,
 *              msgr1 handshakes and tags, msgr2 frames and their cephx
 *              payloads, the message header
 *   bodies.c   message bodies (fronts and data parts) into fields
 *   protocol.c the registry entry, -V and JSON views, the keyring option
 */
#ifndef TAPLINE_CEPH_H
#define TAPLINE_CEPH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/message.h"
#include "proto/ceph/framing.h"

extern const struct protocol ceph_protocol;

/* proto_header words of a Ceph message. */
enum ceph_header_word {
	CEPH_H_INFO,	/* CEPH_I_* bits, the tag, the message type */
	CEPH_H_TID,
	CEPH_H_SEQ,
	CEPH_H_VERSIONS,/* version | compat << 16 | priority << 32 |
			 * data_off << 48 */
	CEPH_H_SIZES,	/* front | middle << 32 */
	CEPH_H_DATA,	/* data | msgr1 source type << 32 */
	CEPH_H_SOURCE,	/* msgr1: source number; msgr2: ack_seq */
};

/* CEPH_H_INFO: bits 0-7 the tag, 8-11 the unit kind, 12-13 msgr, 32-47
 * the message type, and: */
#define CEPH_I_FROM_CLIENT	(1ull << 14)
#define CEPH_I_SECURE		(1ull << 15)
#define CEPH_I_DECRYPTED	(1ull << 16)
#define CEPH_I_REV1		(1ull << 17)
#define CEPH_I_HEAD		(1ull << 18)	/* a message header was read */
#define CEPH_I_PRESENT		(1ull << 19)

static inline uint64_t ceph_word(const struct message *m,
				 enum ceph_header_word w)
{
	return m->proto_header[w];
}

/* Whether m is a Ceph unit (its header words are set). */
bool ceph_message(const struct message *m);

static inline unsigned ceph_info_tag(uint64_t info) { return info & 0xff; }
static inline unsigned ceph_info_kind(uint64_t info) { return info >> 8 & 0xf; }
static inline unsigned ceph_info_msgr(uint64_t info) { return info >> 12 & 3; }
static inline unsigned ceph_info_type(uint64_t info) { return info >> 32 & 0xffff; }

/* Message types (Ceph's CEPH_MSG_* and MSG_*) the decoder reads. */
enum ceph_msg_type {
	CEPH_MSG_PING = 2,
	CEPH_MSG_MON_MAP = 4,
	CEPH_MSG_MON_GET_MAP = 5,
	CEPH_MSG_MON_SUBSCRIBE = 15,
	CEPH_MSG_MON_SUBSCRIBE_ACK = 16,
	CEPH_MSG_AUTH = 17,
	CEPH_MSG_AUTH_REPLY = 18,
	CEPH_MSG_MON_GET_VERSION = 19,
	CEPH_MSG_MON_GET_VERSION_REPLY = 20,
	CEPH_MSG_OSD_MAP = 41,
	CEPH_MSG_OSD_OP = 42,
	CEPH_MSG_OSD_OPREPLY = 43,
	CEPH_MSG_MON_COMMAND = 50,
	CEPH_MSG_MON_COMMAND_ACK = 51,
	CEPH_MSG_LOG = 52,
	CEPH_MSG_LOG_ACK = 53,
	CEPH_MSG_CONFIG = 62,
	CEPH_MSG_OSD_BOOT = 71,
};

/* "OSD_OP", ...; NULL when unknown. */
const char *ceph_type_name(unsigned type);
/* "WRITEFULL", ...; NULL when unknown. */
const char *ceph_osd_op_name(unsigned op);
/* "client", "osd", ... (Ceph's entity type names); NULL when unknown. */
const char *ceph_entity_name(unsigned type);

/* frames.c: the unit's header words, exchange-free facts and fields
 * (everything but a message's body).  The message's proto, frame and
 * endpoints are set. */
void ceph_decode_unit(struct message *m, const struct ceph_unit *u,
		      const struct ceph_conn *c);
/* A message's checks (crcs, footer; msgr2 segments), after its body. */
void ceph_message_checks(struct message *m, const struct ceph_unit *u);

/* One entity_addr_t (new or legacy encoding); false when the bytes
 * cannot be one.  And its fields (ceph.addr, ...). */
struct cursor;
bool ceph_read_addr(struct cursor *k, struct ceph_addr *a);
void ceph_add_addr(struct message *m, const struct ceph_addr *a);

/* What a message body tells the exchange (bodies.c fills it). */
struct ceph_body_facts {
	bool has_result;
	int32_t result;		/* OSD_OPREPLY result, MON_COMMAND_ACK r */
	bool has_handle;	/* MON_GET_VERSION(_REPLY) */
	uint64_t handle;
	uint16_t first_op;	/* OSD_OP(REPLY): its first operation */
};

/* bodies.c: a message's body (front, data) into fields and the summary.
 * Header-only decoding reads only what the exchange needs. */
void ceph_decode_body(struct message *m, const struct ceph_unit *u,
		      struct ceph_body_facts *facts);

/* stream.c: the keyring store that opens secure mode (NULL: none);
 * ceph_set_keys() takes the store (freeing the one before). */
struct cephx_store *ceph_keys(void);
void ceph_set_keys(struct cephx_store *store);

/* Adds a result field (a negative errno) with its errno name. */
struct field *ceph_add_result(struct message *m, const struct field_def *def,
			      int64_t r);

#endif
