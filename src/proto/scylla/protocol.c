/* protocol.c - ScyllaDB's inter-node RPC as a stream protocol: detection
 * by content (the negotiation magic, or a run of plausible headers in a
 * capture begun mid-connection), the frames of framing.c turned into
 * messages, requests and responses matched by msg id per connection, and
 * the registry entry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/view.h"
#include "base/waiting.h"
#include "bodies.h"
#include "compress.h"
#include "fields.h"
#include "framing.h"
#include "negotiation.h"
#include "proto/registry.h"
#include "verbs.h"
#include "wire/decoder.h"	/* struct decoder_stats */
#include "wire/stream.h"

struct scylla_conn_state {
	struct scylla_conn conn;
	/* requests waiting for their response, by msg id: a table of the
	 * decoder's waiting set, charged to its memory budget; the verb
	 * is its payload's u64[0] */
	struct waiting_table requests;
	unsigned closed;
};

struct emit_ctx {
	struct stream_dir *dir;
};

static size_t keep_limit(const struct stream_dir *dir)
{
	size_t k = stream_max_record(dir);
	return k ? k : 1u << 20;
}

static void add_features(struct message *m, const struct scylla_features *f)
{
	for (unsigned n = 0; n < SCYLLA_FEAT_KNOWN; n++) {
		if (!(f->mask & SCYLLA_FEAT_BIT(n)))
			continue;
		msg_add_enum(m, &hf_scylla_feature, n, scylla_feature_name(n));
		switch (n) {
		case SCYLLA_FEAT_COMPRESS:
			msg_add_str(m, &hf_scylla_compress, f->compress,
				    strlen(f->compress));
			break;
		case SCYLLA_FEAT_CONNECTION_ID:
			msg_add_uint(m, &hf_scylla_connection_id,
				     f->connection_id);
			break;
		case SCYLLA_FEAT_STREAM_PARENT:
			msg_add_uint(m, &hf_scylla_stream_parent,
				     f->stream_parent);
			break;
		case SCYLLA_FEAT_ISOLATION:
			msg_add_str(m, &hf_scylla_isolation, f->cookie,
				    strlen(f->cookie));
			break;
		}
	}
}

static void info_features(struct message *m, const struct scylla_features *f)
{
	for (unsigned n = 0; n < SCYLLA_FEAT_KNOWN; n++) {
		if (!(f->mask & SCYLLA_FEAT_BIT(n)))
			continue;
		msg_info_str(m, " ");
		msg_info_str(m, scylla_feature_name(n));
		if (n == SCYLLA_FEAT_COMPRESS) {
			msg_info_str(m, "=");
			msg_info_str(m, f->compress);
		} else if (n == SCYLLA_FEAT_ISOLATION) {
			msg_info_str(m, "=");
			msg_info_str(m, f->cookie);
		}
	}
}

static void info_verb(struct message *m, bool has, uint64_t verb)
{
	const char *name = has ? scylla_verb_name(verb) : NULL;
	if (name) {
		msg_info_str(m, name);
	} else if (has) {
		msg_info_str(m, "UNKNOWN(");
		msg_info_uint(m, verb);
		msg_info_str(m, ")");
	} else {
		msg_info_str(m, "?");
	}
}

static void add_verb(struct message *m, uint64_t verb)
{
	msg_add_enum(m, &hf_scylla_verb, verb, scylla_verb_name(verb));
}

/* The exchange's service: the connection's class (its isolation
 * cookie), or where no cookie says it, the class the verb is sent in;
 * so -z srt,scylla has a row per class and verb. */
static void set_service(struct exchange *ex, unsigned cls,
			const struct scylla_verb_info *vi)
{
	if (!cls && vi)
		cls = vi->conn_class;
	if (!cls)
		return;
	ex->service = scylla_conn_class_name(cls);
	ex->service_code = cls;
}

static void emit_frame(void *vctx, const struct scylla_frame *f,
		       const struct frame_ref *last)
{
	struct emit_ctx *ctx = vctx;
	struct stream_dir *dir = ctx->dir;
	struct scylla_conn_state *s = dir->conn_state;
	struct message *m = stream_scratch_message(dir);
	stream_message_begin(m, dir, f->first_frame, last);
	m->proto = &scylla_protocol;
	m->exchange.latency_ns = -1;
	m->length = (uint32_t)(f->wire_len > UINT32_MAX ? UINT32_MAX
							: f->wire_len);
	if (f->truncated)
		msg_mark(m, MSG_TRUNCATED, "the connection's bytes end inside "
			 "this frame");
	if (f->elided)
		msg_mark(m, MSG_ELIDED, NULL);
	if (f->after_gap)
		msg_mark(m, MSG_AFTER_GAP, NULL);
	if (f->malformed)
		msg_mark(m, MSG_MALFORMED, f->why);

	unsigned cls = scylla_conn_role(&s->conn);
	if (f->kind != SCYLLA_FRAME_NEGOTIATION && cls)
		msg_add_enum(m, &hf_scylla_connection_class, cls,
			     scylla_conn_class_name(cls));
	if (f->compression) {
		msg_add_enum(m, &hf_scylla_compression, f->compression,
			     scylla_compression_name(f->compression));
		msg_add_uint(m, &hf_scylla_compressed_size, f->wire_len - 4);
	}

	switch (f->kind) {
	case SCYLLA_FRAME_NEGOTIATION:
		msg_info_str(m, dir->client_to_server ? "Negotiation offer"
						      : "Negotiation answer");
		msg_open(m, &hf_scylla_negotiation, NULL);
		msg_add_str(m, &hf_scylla_negotiation_magic, SCYLLA_MAGIC,
			    SCYLLA_MAGIC_LEN);
		msg_add_uint(m, &hf_scylla_negotiation_size, f->wire_len - 12);
		if (f->features && !f->malformed && !f->truncated) {
			add_features(m, f->features);
			if (!m->no_info)
				info_features(m, f->features);
		}
		msg_close(m);
		break;
	case SCYLLA_FRAME_REQUEST: {
		const struct scylla_verb_info *vi = scylla_verb(f->h.verb);
		bool one_way = vi && (vi->flags & SCYLLA_VERB_ONE_WAY);
		struct exchange *ex = &m->exchange;
		/* a one-way verb is answered, if at all, by a verb of its own
		 * (MUTATION by MUTATION_DONE): an event, not a request */
		ex->kind = one_way ? EXCHANGE_EVENT : EXCHANGE_REQUEST;
		ex->has_id = true;
		ex->id = (uint64_t)f->h.msg_id;
		ex->op = vi ? vi->name : NULL;
		ex->op_code = (uint32_t)(f->h.verb > UINT32_MAX ? UINT32_MAX
								: f->h.verb);
		ex->has_op_code = true;
		set_service(ex, cls, vi);
		msg_info_str(m, "Request ");
		info_verb(m, true, f->h.verb);
		msg_info_label(m, "id");
		msg_info_int(m, f->h.msg_id);
		if (f->h.has_timeout)
			msg_add_uint(m, &hf_scylla_timeout, f->h.timeout_ms);
		add_verb(m, f->h.verb);
		msg_add_int(m, &hf_scylla_msg_id, f->h.msg_id);
		msg_add_uint(m, &hf_scylla_len, f->h.body_len);
		if (!one_way && !f->malformed) {
			union waiting_payload p = { .u64 = { f->h.verb } };
			waiting_insert(&s->requests, (uint64_t)f->h.msg_id,
				       stream_direction(dir), last->number,
				       last->ts_ns, &p);
		}
		if (!m->header_only)
			scylla_decode_body(m, SCYLLA_BODY_REQUEST, true,
					   f->h.verb, f->body, f->kept,
					   f->h.body_len);
		/* a request went this way: this side is the client */
		stream_set_client(dir, true);
		break;
	}
	case SCYLLA_FRAME_RESPONSE:
	case SCYLLA_FRAME_EXCEPTION: {
		uint64_t id = scylla_answered_id(f->h.msg_id);
		/* its request went the other way */
		struct waiting_request w = { 0 };
		bool matched = waiting_take(&s->requests, id,
					    !stream_direction(dir), m->frame,
					    &w);
		uint64_t verb = w.payload.u64[0];
		bool exc = f->kind == SCYLLA_FRAME_EXCEPTION;
		struct exchange *ex = &m->exchange;
		ex->kind = EXCHANGE_RESPONSE;
		ex->has_id = true;
		ex->id = id;
		if (matched) {
			const struct scylla_verb_info *vi = scylla_verb(verb);
			ex->op = vi ? vi->name : NULL;
			ex->op_code = (uint32_t)(verb > UINT32_MAX ? UINT32_MAX
								   : verb);
			ex->has_op_code = true;
			set_service(ex, cls, vi);
			ex->request_frame = w.frame;
			ex->latency_ns = last->ts_ns - w.ts_ns;
		}
		if (exc) {
			ex->status = STATUS_FAILED;
			ex->status_code = scylla_exception_type(f->body, f->kept,
								&ex->status_name);
		} else {
			ex->status = STATUS_OK;
		}
		msg_info_str(m, exc ? "Exception " : "Response ");
		info_verb(m, matched, verb);
		msg_info_label(m, "id");
		msg_info_uint(m, id);
		if (matched)
			add_verb(m, verb);
		msg_add_int(m, &hf_scylla_msg_id, f->h.msg_id);
		msg_add_uint(m, &hf_scylla_response_size, f->h.body_len);
		if (f->h.has_duration && f->h.duration_us != SCYLLA_DURATION_NONE)
			msg_add_time(m, &hf_scylla_handler_duration,
				     f->h.duration_us / 1000000,
				     f->h.duration_us % 1000000 * 1000);
		if (matched && f->h.has_duration &&
		    f->h.duration_us != SCYLLA_DURATION_NONE) {
			/* wire and queues: the latency less the handler's */
			int64_t wire = last->ts_ns - w.ts_ns -
				       (int64_t)f->h.duration_us * 1000;
			int64_t sec = wire / 1000000000, nsec = wire % 1000000000;
			if (nsec < 0) {
				sec--;
				nsec += 1000000000;
			}
			msg_add_time(m, &hf_scylla_wire_time, sec,
				     (uint32_t)nsec);
		}
		if (matched && !m->no_info) {
			int64_t ns = last->ts_ns - w.ts_ns;
			msg_info_label(m, "time");
			msg_info_int(m, ns / 1000);
			msg_info_str(m, "us");
			if (f->h.has_duration &&
			    f->h.duration_us != SCYLLA_DURATION_NONE) {
				msg_info_label(m, "handler");
				msg_info_uint(m, f->h.duration_us);
				msg_info_str(m, "us");
			}
		}
		if (exc) {
			const char *word = m->header_only ? NULL :
				scylla_decode_exception(m, f->body, f->kept,
							f->h.body_len);
			if (word) {
				msg_info_str(m, " ");
				msg_info_str(m, word);
			}
		} else if (!m->header_only) {
			scylla_decode_body(m, SCYLLA_BODY_RESPONSE, matched,
					   verb, f->body, f->kept,
					   f->h.body_len);
		}
		break;
	}
	case SCYLLA_FRAME_STREAM:
		msg_info_str(m, "Stream frame");
		msg_info_label(m, "len");
		msg_info_uint(m, f->h.body_len);
		msg_add_uint(m, &hf_scylla_stream_len, f->h.body_len);
		if (!m->header_only)
			scylla_decode_body(m, SCYLLA_BODY_STREAM, false, 0,
					   f->body, f->kept, f->h.body_len);
		break;
	case SCYLLA_FRAME_STREAM_EOS:
		msg_info_str(m, "Stream end");
		msg_add_bool(m, &hf_scylla_stream_eos, true);
		break;
	default: {	/* compressed beyond reading */
		msg_info_str(m, "Compressed frame");
		struct scylla_v3_info v3;
		if (f->compression == SCYLLA_COMP_SCYLLA_V3 &&
		    scylla_v3_describe(f->body, f->kept, &v3))
			msg_add_enum(m, &hf_scylla_v3_algorithm, v3.algorithm,
				     v3.algorithm_name);
		if (!f->malformed)
			msg_mark(m, MSG_NOT_DECODED, f->why);
		break;
	}
	}
	stream_emit(dir, m);
}

static void scylla_feed(struct stream_dir *dir, const uint8_t *data,
			size_t len, const struct frame_ref *frame)
{
	struct scylla_reader *r = dir->proto_state;
	struct scylla_conn_state *s = dir->conn_state;
	struct emit_ctx ctx = { dir };
	if (!r->budget)	/* frame bodies share the bound on buffered bytes */
		r->budget = stream_buffer_budget(dir);
	/* the first negotiation of a connection is the client's (when no
	 * SYN said who the client is) */
	if (r->state == SCYLLA_START && !s->conn.have_offer &&
	    !s->conn.have_answer && len && data[0] == 'S')
		stream_set_client(dir, true);
	uint64_t skipped = r->skipped_total;
	scylla_reader_feed(r, &s->conn, dir->client_to_server, keep_limit(dir),
			   data, len, frame, emit_frame, &ctx);
	if (r->skipped_total != skipped)
		stream_stats(dir)->resync_skipped_bytes +=
			r->skipped_total - skipped;
}

static void scylla_gap(struct stream_dir *dir, uint64_t missing,
		       const struct frame_ref *frame)
{
	struct scylla_conn_state *s = dir->conn_state;
	struct emit_ctx ctx = { dir };
	scylla_reader_break(dir->proto_state, &s->conn, dir->client_to_server,
			    keep_limit(dir), frame, true, missing, emit_frame,
			    &ctx);
}

static void scylla_close(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct scylla_conn_state *s = dir->conn_state;
	struct emit_ctx ctx = { dir };
	scylla_reader_break(dir->proto_state, &s->conn, dir->client_to_server,
			    keep_limit(dir), frame, false, 0, emit_frame, &ctx);
	if (++s->closed == 2) {
		/* the connection is over: what still waits never will be
		 * answered (what expired was counted as it went) */
		stream_stats(dir)->unanswered +=
			waiting_table_close(&s->requests);
	}
}

static void scylla_destroy(struct stream_dir *dir)
{
	scylla_reader_free(dir->proto_state);
}

static void scylla_conn_init(struct stream_dir *dir, void *conn_state)
{
	struct scylla_conn_state *s = conn_state;
	waiting_table_init(&s->requests, stream_waiting(dir),
			   dir->conversation);
}

static void scylla_conn_destroy(void *conn_state)
{
	struct scylla_conn_state *s = conn_state;
	waiting_table_close(&s->requests);	/* counted at close */
}

static enum detect_verdict scylla_detect(const uint8_t *data, size_t len,
					 bool at_start)
{
	size_t flen;
	enum scylla_neg_status n = scylla_negotiation_length(data, len, &flen);
	if (n == SCYLLA_NEG_OK || n == SCYLLA_NEG_MORE)
		return n == SCYLLA_NEG_OK ? DETECT_YES : DETECT_MAYBE;
	bool requests = false, timeout = false, duration = false;
	switch (scylla_guess_layout(data, len, true, &requests, &timeout,
				    &duration)) {
	case SCYLLA_SYNC_YES:
		return DETECT_YES;
	case SCYLLA_SYNC_MORE:
		return len < SCYLLA_HUNT_WINDOW ? DETECT_MAYBE : DETECT_NO;
	default:
		return DETECT_NO;
	}
}

const struct stream_proto scylla_stream_proto = {
	.name = "scylla",
	.detect = scylla_detect,
	.state_size = sizeof(struct scylla_reader),
	.conn_state_size = sizeof(struct scylla_conn_state),
	.conn_init = scylla_conn_init,
	.feed = scylla_feed,
	.gap = scylla_gap,
	.close = scylla_close,
	.destroy = scylla_destroy,
	.conn_destroy = scylla_conn_destroy,
};

/* -V: where a response's request is, and how long it took, as tshark
 * shows an RPC reply's; a one-way verb's note that nothing answers it. */
static void tree_lead(const struct message *m, struct view *v)
{
	const struct exchange *ex = &m->exchange;
	if (ex->kind == EXCHANGE_EVENT) {
		view_linef(v, "    [One-way: no response expected]");
		return;
	}
	if (ex->kind != EXCHANGE_RESPONSE)
		return;
	if (!ex->request_frame) {
		view_linef(v, "    [The request was not seen]");
		return;
	}
	view_linef(v, "    [This is a response to a request in frame %" PRIu64
		   "]", ex->request_frame);
	int64_t ns = ex->latency_ns < 0 ? 0 : ex->latency_ns;
	view_linef(v, "    [Time from request: %" PRId64 ".%09" PRId64
		   " seconds]", ns / 1000000000, ns % 1000000000);
}

const struct protocol scylla_protocol = {
	.name = "scylla",
	.label = "Scylla",
	.meaning = "ScyllaDB's inter-node RPC (Seastar RPC): negotiation, "
		   "verbs, responses, exceptions, streams, LZ4",
	.fields = scylla_fields,
	.stream = &scylla_stream_proto,
	.tree_lead = tree_lead,
};
