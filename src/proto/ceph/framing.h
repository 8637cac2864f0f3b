/* framing.h - one Ceph messenger connection's two byte streams cut into
 * what its peers send: banners, msgr1 handshakes and tags, msgr2 frames,
 * messages of both generations; crcs checked, secure frames decrypted
 * when the keys are known (cephx.h, secure.h), a lost position found
 * again (resync on msgr2 preambles and msgr1 headers by their crc32c).
 *
 * The caller feeds each direction's bytes in order, as they arrive (in
 * capture order across the two directions: the client turns to secure
 * mode after the server's AUTH_DONE), and gets one unit per thing sent.
 * Memory: each direction keeps one unit's bytes up to a bound (the rest
 * is counted and checked, not kept), plus a window while it hunts.
 */
#ifndef TAPLINE_CEPH_FRAMING_H
#define TAPLINE_CEPH_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ceph/cephx.h"
#include "proto/ceph/msgr1.h"
#include "proto/ceph/msgr2.h"
#include "proto/ceph/secure.h"

enum ceph_unit_kind {
	CEPH_UNIT_BANNER = 1,	/* msgr1: banner and addresses; msgr2:
				 * banner and features */
	CEPH_UNIT_CONNECT,	/* msgr1 CONNECT and its authorizer */
	CEPH_UNIT_CONNECT_REPLY,/* msgr1 reply (tag) and its authorizer */
	CEPH_UNIT_SEQ,		/* msgr1: the le64 after a SEQ reply */
	CEPH_UNIT_TAG,		/* msgr1 session tags but MSG: ACK, SEQ,
				 * KEEPALIVE, KEEPALIVE2(_ACK), CLOSE */
	CEPH_UNIT_FRAME,	/* a msgr2 frame (MESSAGE frames too) */
	CEPH_UNIT_MESSAGE,	/* a msgr1 MSG */
	CEPH_UNIT_ENCRYPTED,	/* secure bytes that cannot be read */
	CEPH_UNIT_SKIPPED,	/* bytes passed over to find a frame again */
};

/* Verdict bits of a unit. */
#define CEPH_U_CRC_BAD		0x0001	/* a crc32c does not match */
#define CEPH_U_TRUNCATED	0x0002	/* the stream ended inside it */
#define CEPH_U_MALFORMED	0x0004	/* values that cannot be right */
#define CEPH_U_AFTER_GAP	0x0008	/* first unit after lost bytes */
#define CEPH_U_ELIDED		0x0010	/* longer than kept */
#define CEPH_U_ABORTED		0x0020	/* the sender abandoned it */
#define CEPH_U_AUTH_FAILED	0x0040	/* AES-GCM tag did not verify */
#define CEPH_U_DECRYPTED	0x0080	/* read through secure mode */
#define CEPH_U_COMPRESSED	0x0100	/* msgr2 segments compressed */

/* Why secure bytes cannot be read (CEPH_UNIT_ENCRYPTED). */
enum ceph_secure_why {
	CEPH_SECURE_NO_KEYRING = 1,	/* no keyring was given */
	CEPH_SECURE_NO_ENTITY_KEY,	/* the keyring lacks the entity */
	CEPH_SECURE_NO_TICKET,		/* the monitor session that issued
					 * the service ticket was not captured */
	CEPH_SECURE_NO_START,		/* the connection's authentication
					 * was not captured */
	CEPH_SECURE_WRONG_KEY,		/* the keys do not open it */
	CEPH_SECURE_LOST,		/* a frame failed: position lost */
};
const char *ceph_secure_why_text(enum ceph_secure_why why);

/* A message's generic header, both generations (msgr1 header,
 * ceph_msg_header2). */
struct ceph_msg_head {
	uint64_t seq, tid, ack_seq;
	uint16_t type, priority, version, compat_version;
	uint8_t flags;		/* msgr2 */
	uint8_t src_type;	/* msgr1: the sender's entity */
	uint64_t src_num;
	uint32_t data_off;
	uint32_t crc;		/* msgr1: the header's crc32c (right: a
				 * header whose crc fails is not believed) */
};

struct ceph_unit {
	uint8_t kind;		/* enum ceph_unit_kind */
	uint8_t msgr;		/* 1 or 2 */
	bool from_client;	/* the connecting side sent it */
	uint8_t tag;		/* msgr1 tag, msgr2 frame tag */
	unsigned flags;		/* CEPH_U_* */
	uint64_t first_frame, frame;	/* capture frames it began, ended in */
	uint64_t wire_len;	/* its bytes on the wire */
	const char *why;	/* static: what is wrong, NULL if nothing */

	/* msgr2 frames */
	bool rev1, secure;
	struct msgr2_preamble pre;
	uint8_t crc_bad;	/* bit i: segment i's crc */
	uint8_t crc_sent;	/* bit i: segment i's crc is on the wire */
	uint32_t seg_crc[4];	/* crc mode: the segments' crcs as sent */
	uint8_t late;		/* epilogue late flags/status */
	/* Segments as sent (plaintext), seg[i] its first seg_kept[i] bytes
	 * of pre.seg_len[i] (msgr1 MESSAGE: 0 = front, 1 = middle, 2 = data). */
	const uint8_t *seg[4];
	uint32_t seg_len[4], seg_kept[4];

	/* MESSAGE (both generations) */
	struct ceph_msg_head head;

	/* msgr1 */
	struct ceph_addr addr[2];	/* banner: own address, peer's as seen */
	unsigned naddr;
	struct msgr1_connect connect;
	struct msgr1_connect_reply reply;
	const uint8_t *auth;		/* authorizer bytes kept */
	uint32_t auth_len, auth_kept;
	struct msgr1_footer footer;
	uint64_t value;			/* ACK/SEQ le64; KEEPALIVE2 sec<<32|nsec */

	/* msgr2 banner */
	struct msgr2_banner banner;

	/* ENCRYPTED */
	uint8_t secure_why;		/* enum ceph_secure_why */
};

typedef void (*ceph_unit_fn)(void *ctx, const struct ceph_unit *u);

struct ceph_dir;

/* Both directions and what they share. */
struct ceph_conn {
	uint8_t msgr;		/* 0 not known yet, 1, 2 */
	bool rev1;		/* msgr2.1: both banners offer it (or
				 * assumed when the banners were missed) */
	bool have_banner[2];
	uint64_t features[2];	/* msgr2 banner features, per direction */
	/* msgr2 authentication, from what the frames said */
	uint32_t con_mode;		/* AUTH_DONE's */
	bool secure_next[2];		/* the direction encrypts from its
					 * next frame */
	bool have_secret;
	uint8_t secret[CEPHX_SECRET_MAX];
	uint32_t secret_len;
	uint8_t secure_why;		/* when !have_secret */
	char entity[CEPHX_NAME_MAX];	/* monitor sessions: who */
	bool have_authorizer;
	uint8_t ticket_key[CEPHX_KEY_LEN];	/* service sessions */
	bool have_ticket_key;
	/* msgr1 handshake */
	uint8_t v1_last_reply;		/* tag of the last connect reply */
	bool v1_session;		/* both sides past the handshake */
	uint64_t v1_features;		/* the reply's: negotiated */
	struct cephx_store *keys;	/* NULL: no keyring */
	/* The bound the kept bytes and the directions' state share with
	 * the rest of the decoder (base/budget.h; NULL: none). */
	struct memory_budget *budget;
	struct ceph_dir *dir[2];	/* [0] client -> server */
};

/* A connection's state, zeroed; keys may be NULL. */
void ceph_conn_init(struct ceph_conn *c, struct cephx_store *keys);
void ceph_conn_free(struct ceph_conn *c);

/* Each direction keeps at most max_keep bytes of one unit. */
#define CEPH_DEFAULT_KEEP (1u << 20)

/* Bytes of direction `to_server` (true: client -> server), in order.
 * False when the direction's state found no room (budget or memory):
 * the bytes were not read. */
bool ceph_feed(struct ceph_conn *c, bool to_server, const uint8_t *data,
	       size_t len, uint64_t frame, size_t max_keep, ceph_unit_fn fn,
	       void *ctx);
/* Bytes of the direction are lost before the next feed: a unit begun is
 * handed over as truncated, and the direction looks for the next frame. */
void ceph_gap(struct ceph_conn *c, bool to_server, uint64_t frame,
	      ceph_unit_fn fn, void *ctx);
/* The direction ended: a unit begun is handed over as truncated. */
void ceph_close(struct ceph_conn *c, bool to_server, uint64_t frame,
		ceph_unit_fn fn, void *ctx);

/* Whether a frame or message starts at p (a stream seen from its middle:
 * a msgr2 preamble or a msgr1 MSG header whose crc32c holds): 2 yes, 1
 * more bytes needed, 0 no.  Reads only p[0..len). */
int ceph_detect_at(const uint8_t *p, size_t len);

#endif
