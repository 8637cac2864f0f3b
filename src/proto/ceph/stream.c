/* stream.c - the Ceph messenger over TCP (ceph_stream_proto): found by
 * content (a banner of either generation at a stream's start; after a
 * gap or in a capture begun mid-connection, a msgr2 preamble or a msgr1
 * message header whose crc32c holds), each connection's two directions
 * fed to its framing (framing.h), one message per unit, and requests
 * matched to their replies:
 *
 *   OSD_OP          <-> OSD_OPREPLY            header tid
 *   MON_COMMAND     <-> MON_COMMAND_ACK        header tid
 *   MON_GET_VERSION <-> MON_GET_VERSION_REPLY  the handle in the front
 *
 * within the connection, a reply going the other way than its request.
 * Requests wait in the connection's table of the decoder's set
 * (base/waiting.h): its memory in the decoder's budget, the oldest
 * requests of all connections expiring first when it is full.
 *
 * Secure mode opens with the keyring given to ceph_set_keyring(): one
 * store per process, which learns the tickets monitor sessions hand out
 * so that later OSD sessions open too.  The decoder that reads it runs
 * in one thread.
 */
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "base/waiting.h"
#include "proto/ceph/ceph.h"
#include "proto/ceph/crc32c.h"
#include "wire/decoder.h"	/* struct decoder_stats */
#include "wire/stream.h"

#define DEFAULT_KEEP (1u << 20)

/* What a request waits as.  MON_COMMAND tids and MON_GET_VERSION
 * handles count up on the same monitor session: handles wait in a table
 * of their own, so the two never meet and each waits under the id its
 * messages show (an expiry names it as -z unanswered lists it). */
enum wait_class {
	WAIT_OSD_OP = 1,
	WAIT_MON_COMMAND,
	WAIT_MON_GET_VERSION,
};

/* The payload of a waiting request. */
enum { WAIT_P_CLASS, WAIT_P_FIRST_OP };

struct ceph_stream_conn {
	struct ceph_conn framing;
	bool started;
	const struct stream_dir *client;	/* fed as client -> server */
	struct waiting_table requests;	/* in the decoder's set, by tid */
	struct waiting_table handles;	/* MON_GET_VERSION's, by handle */
	unsigned closed;
};

/* ---- the keyring ---- */

static struct cephx_store *keys;

struct cephx_store *ceph_keys(void)
{
	return keys;
}

void ceph_set_keys(struct cephx_store *store)
{
	free(keys);
	keys = store;
}

/* ---- detection ---- */

static enum detect_verdict ceph_stream_detect(const uint8_t *data, size_t len,
					      bool at_start)
{
	size_t n = len < MSGR1_BANNER_LEN ? len : MSGR1_BANNER_LEN;
	if (!memcmp(data, MSGR1_BANNER, n))
		return n == MSGR1_BANNER_LEN ? DETECT_YES : DETECT_MAYBE;
	n = len < MSGR2_BANNER_LEN ? len : MSGR2_BANNER_LEN;
	if (!memcmp(data, MSGR2_BANNER, n))
		return n == MSGR2_BANNER_LEN ? DETECT_YES : DETECT_MAYBE;
	if (at_start)
		return DETECT_NO;
	/* mid-stream: a frame or message starts here? */
	return (enum detect_verdict)ceph_detect_at(data, len);
}

/* ---- the exchange ---- */

static const char *const service_osd = "OSD", *const service_mon = "MON";

/* The request or reply a message is, with its match. */
static void exchange(struct ceph_stream_conn *c, struct stream_dir *dir,
		     struct message *m, const struct ceph_unit *u,
		     const struct ceph_body_facts *facts)
{
	struct exchange *ex = &m->exchange;
	uint8_t direction = stream_direction(dir);
	unsigned type = u->head.type;
	uint8_t class = 0;
	bool request = false;
	uint64_t id = u->head.tid;
	ex->latency_ns = -1;
	switch (type) {
	case CEPH_MSG_OSD_OP:
		request = true;
		/* fall through */
	case CEPH_MSG_OSD_OPREPLY:
		class = WAIT_OSD_OP;
		ex->service = service_osd;
		ex->service_code = 4;	/* the entity type of OSDs */
		break;
	case CEPH_MSG_MON_COMMAND:
		request = true;
		/* fall through */
	case CEPH_MSG_MON_COMMAND_ACK:
		class = WAIT_MON_COMMAND;
		ex->service = service_mon;
		ex->service_code = 1;
		ex->op = "MON_COMMAND";
		ex->op_code = CEPH_MSG_MON_COMMAND;
		ex->has_op_code = true;
		break;
	case CEPH_MSG_MON_GET_VERSION:
		request = true;
		/* fall through */
	case CEPH_MSG_MON_GET_VERSION_REPLY:
		if (!facts->has_handle)
			break;
		class = WAIT_MON_GET_VERSION;
		id = facts->handle;
		ex->service = service_mon;
		ex->service_code = 1;
		ex->op = "MON_GET_VERSION";
		ex->op_code = CEPH_MSG_MON_GET_VERSION;
		ex->has_op_code = true;
		break;
	default:
		break;
	}
	if (!class) {
		ex->kind = EXCHANGE_EVENT;
		return;
	}
	ex->has_id = true;
	ex->id = id;
	struct waiting_table *t = class == WAIT_MON_GET_VERSION ? &c->handles :
				  &c->requests;
	if (request) {
		ex->kind = EXCHANGE_REQUEST;
		if (class == WAIT_OSD_OP) {
			ex->op = ceph_osd_op_name(facts->first_op);
			ex->op_code = facts->first_op;
			ex->has_op_code = true;
		}
		union waiting_payload p = { .u32 = {
			[WAIT_P_CLASS] = class,
			[WAIT_P_FIRST_OP] = facts->first_op } };
		waiting_insert(t, id, direction, m->frame,
			       m->ts_ns, &p);
		/* a request names the client (a capture begun mid-connection
		 * only guessed it) */
		stream_set_client(dir, true);
		return;
	}
	ex->kind = EXCHANGE_RESPONSE;
	uint16_t op = facts->first_op;
	/* its request went the other way, and is of its class (an OSD_OP
	 * tid is no MON_COMMAND's) */
	const struct waiting_request *w =
		waiting_find(t, id, !direction);
	struct waiting_request r;
	if (w && w->payload.u32[WAIT_P_CLASS] == class &&
	    waiting_take(t, id, !direction, m->frame, &r)) {
		ex->request_frame = r.frame;
		ex->latency_ns = m->ts_ns - r.ts_ns;
		op = (uint16_t)r.payload.u32[WAIT_P_FIRST_OP];
	}
	if (class == WAIT_OSD_OP) {
		ex->op = ceph_osd_op_name(op);
		ex->op_code = op;
		ex->has_op_code = true;
	}
	if (facts->has_result && facts->result < 0) {
		ex->status = STATUS_FAILED;
		ex->status_code = facts->result;
		ex->status_name = errno_name(-(int64_t)facts->result);
	} else {
		ex->status = STATUS_OK;
	}
}

/* ---- units to messages ---- */

struct unit_ctx {
	struct stream_dir *dir;
	const struct frame_ref *frame;
	struct ceph_stream_conn *c;
	bool to_server;
};

static void on_unit(void *ctx, const struct ceph_unit *u)
{
	struct unit_ctx *x = ctx;
	struct message *m = stream_scratch_message(x->dir);
	stream_message_begin(m, x->dir, u->first_frame, x->frame);
	m->proto = &ceph_protocol;
	ceph_decode_unit(m, u, &x->c->framing);
	bool message = u->kind == CEPH_UNIT_MESSAGE ||
		       (u->kind == CEPH_UNIT_FRAME && u->tag == MSGR2_TAG_MESSAGE);
	if (message) {
		unsigned f0 = u->msgr == 1 ? 0 : 1;
		if (u->msgr == 2 && u->seg_kept[0] < MSGR2_MSG_HEADER_LEN) {
			msg_info_str(m, "MESSAGE");
			if (!(m->verdict & (MSG_TRUNCATED | MSG_MALFORMED)))
				msg_mark(m, MSG_MALFORMED,
					 "a message header shorter than 41 bytes");
		} else {
			struct ceph_body_facts facts;
			ceph_decode_body(m, u, &facts);
			exchange(x->c, x->dir, m, u, &facts);
		}
		ceph_message_checks(m, u);
		m->pdu = u->seg[f0] ? u->seg[f0] : u->seg[0];
		m->pdu_len = u->seg_kept[f0];
	}
	stream_emit(x->dir, m);
}

static struct ceph_stream_conn *conn_of(struct stream_dir *dir)
{
	struct ceph_stream_conn *c = dir->conn_state;
	if (!c->started) {
		ceph_conn_init(&c->framing, keys);
		c->framing.budget = stream_buffer_budget(dir);
		c->started = true;
		c->client = dir->client_to_server ? dir : dir->peer;
	}
	return c;
}

static size_t max_keep(const struct stream_dir *dir)
{
	size_t k = stream_max_record(dir);
	return k ? k : DEFAULT_KEEP;
}

static void ceph_stream_feed(struct stream_dir *dir, const uint8_t *data,
			     size_t len, const struct frame_ref *frame)
{
	struct ceph_stream_conn *c = conn_of(dir);
	struct unit_ctx x = { dir, frame, c, dir == c->client };
	if (!ceph_feed(&c->framing, x.to_server, data, len, frame->number,
		       max_keep(dir), on_unit, &x))
		stream_stats(dir)->buffer_drops++;
}

static void ceph_stream_gap(struct stream_dir *dir, uint64_t missing,
			    const struct frame_ref *frame)
{
	(void)missing;
	struct ceph_stream_conn *c = conn_of(dir);
	struct unit_ctx x = { dir, frame, c, dir == c->client };
	ceph_gap(&c->framing, x.to_server, frame->number, on_unit, &x);
}

static void ceph_stream_close(struct stream_dir *dir,
			      const struct frame_ref *frame)
{
	struct ceph_stream_conn *c = conn_of(dir);
	struct unit_ctx x = { dir, frame, c, dir == c->client };
	ceph_close(&c->framing, x.to_server, frame->number, on_unit, &x);
	/* unanswered requests are known once both directions are done */
	if (++c->closed == 2)
		stream_stats(dir)->unanswered +=
			waiting_table_close(&c->requests) +
			waiting_table_close(&c->handles);
}

static void ceph_stream_conn_init(struct stream_dir *dir, void *state)
{
	struct ceph_stream_conn *c = state;
	waiting_table_init(&c->requests, stream_waiting(dir),
			   dir->conversation);
	waiting_table_init(&c->handles, stream_waiting(dir),
			   dir->conversation);
}

static void ceph_stream_conn_destroy(void *state)
{
	struct ceph_stream_conn *c = state;
	waiting_table_close(&c->requests);	/* counted at close */
	waiting_table_close(&c->handles);
	if (!c->started)
		return;
	ceph_conn_free(&c->framing);
}

const struct stream_proto ceph_stream_proto = {
	.name = "ceph",
	.detect = ceph_stream_detect,
	.state_size = 0,
	.conn_state_size = sizeof(struct ceph_stream_conn),
	.conn_init = ceph_stream_conn_init,
	.feed = ceph_stream_feed,
	.gap = ceph_stream_gap,
	.close = ceph_stream_close,
	.conn_destroy = ceph_stream_conn_destroy,
};
