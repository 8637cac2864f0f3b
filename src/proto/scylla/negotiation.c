/* negotiation.c - reads negotiation frames and keeps what a connection
 * negotiated (rpc.cc: receive_negotiation_frame, client::negotiate,
 * server::connection::negotiate).
 */
#include <string.h>

#include "compress.h"
#include "negotiation.h"
#include "verbs.h"

const char *scylla_feature_name(uint32_t number)
{
	static const char *const names[SCYLLA_FEAT_KNOWN] = {
		"COMPRESS", "TIMEOUT", "CONNECTION_ID", "STREAM_PARENT",
		"ISOLATION", "HANDLER_DURATION",
	};
	return number < SCYLLA_FEAT_KNOWN ? names[number] : NULL;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

enum scylla_neg_status scylla_negotiation_length(const uint8_t *p,
						 size_t len,
						 size_t *frame_len)
{
	size_t n = len < SCYLLA_MAGIC_LEN ? len : SCYLLA_MAGIC_LEN;
	/* (no bytes may come as NULL: a negotiation whose body is empty) */
	if (n && memcmp(p, SCYLLA_MAGIC, n))
		return SCYLLA_NEG_NOT;
	if (len < SCYLLA_NEG_HEADER)
		return SCYLLA_NEG_MORE;
	uint32_t body = le32(p + SCYLLA_MAGIC_LEN);
	if (body > SCYLLA_NEG_MAX)
		return SCYLLA_NEG_MALFORMED;
	*frame_len = SCYLLA_NEG_HEADER + (size_t)body;
	return SCYLLA_NEG_OK;
}

static void keep_text(char *dst, uint32_t *dst_len, const uint8_t *p,
		      uint32_t n)
{
	*dst_len = n;
	size_t k = n < SCYLLA_TEXT_MAX ? n : SCYLLA_TEXT_MAX;
	memcpy(dst, p, k);
	dst[k] = 0;
}

enum scylla_neg_status scylla_negotiation_parse(const uint8_t *p,
						size_t len,
						struct scylla_features *out,
						const char **why)
{
	size_t frame_len;
	*out = (struct scylla_features){ 0 };
	enum scylla_neg_status s = scylla_negotiation_length(p, len,
							     &frame_len);
	if (s != SCYLLA_NEG_OK) {
		*why = s == SCYLLA_NEG_MALFORMED ? "negotiation frame too long"
						 : NULL;
		return s;
	}
	if (len < frame_len)
		return SCYLLA_NEG_MORE;
	size_t off = SCYLLA_NEG_HEADER;
	while (off < frame_len) {
		if (frame_len - off < 8) {
			*why = "feature record header runs past the frame";
			return SCYLLA_NEG_MALFORMED;
		}
		uint32_t number = le32(p + off);
		uint32_t n = le32(p + off + 4);
		off += 8;
		if (n > frame_len - off) {
			*why = "feature data runs past the frame";
			return SCYLLA_NEG_MALFORMED;
		}
		const uint8_t *d = p + off;
		off += n;
		out->records++;
		if (number >= SCYLLA_FEAT_KNOWN) {
			out->unknown++;
			continue;
		}
		if (out->mask & SCYLLA_FEAT_BIT(number))
			continue;	/* std::map::emplace keeps the first */
		out->mask |= SCYLLA_FEAT_BIT(number);
		switch (number) {
		case SCYLLA_FEAT_COMPRESS:
			keep_text(out->compress, &out->compress_len, d, n);
			break;
		case SCYLLA_FEAT_ISOLATION:
			keep_text(out->cookie, &out->cookie_len, d, n);
			break;
		case SCYLLA_FEAT_CONNECTION_ID:
			/* deserialize_connection_id reads 8 bytes */
			if (n < 8) {
				*why = "CONNECTION_ID shorter than 8 bytes";
				return SCYLLA_NEG_MALFORMED;
			}
			out->connection_id = le64(d);
			break;
		case SCYLLA_FEAT_STREAM_PARENT:
			if (n < 8) {
				*why = "STREAM_PARENT shorter than 8 bytes";
				return SCYLLA_NEG_MALFORMED;
			}
			out->stream_parent = le64(d);
			break;
		default:	/* TIMEOUT, HANDLER_DURATION: no data */
			break;
		}
	}
	return SCYLLA_NEG_OK;
}

void scylla_conn_negotiated(struct scylla_conn *c, bool client_to_server,
			    const struct scylla_features *f)
{
	if (client_to_server) {
		c->offer = *f;
		c->have_offer = true;
	} else {
		c->answer = *f;
		c->have_answer = true;
	}
}

void scylla_conn_layout(const struct scylla_conn *c, bool client_to_server,
			struct scylla_layout *out)
{
	*out = (struct scylla_layout){ .requests = client_to_server };
	if (!c->have_offer && !c->have_answer)
		return;	/* the reader guesses from the headers */
	out->known = true;
	out->stream = c->have_offer &&
		      (c->offer.mask & SCYLLA_FEAT_BIT(SCYLLA_FEAT_STREAM_PARENT));
	/* The answer says what is in force; without it, what Seastar's
	 * servers do with an offer: echo TIMEOUT and HANDLER_DURATION.
	 * Which compressor a server picks cannot be guessed: unknown. */
	const struct scylla_features *f = c->have_answer ? &c->answer
							 : &c->offer;
	out->timeout = !out->stream &&
		       (f->mask & SCYLLA_FEAT_BIT(SCYLLA_FEAT_TIMEOUT));
	out->duration = f->mask &
			SCYLLA_FEAT_BIT(SCYLLA_FEAT_HANDLER_DURATION);
	if (c->have_answer &&
	    (c->answer.mask & SCYLLA_FEAT_BIT(SCYLLA_FEAT_COMPRESS)))
		out->compression = (uint8_t)scylla_compression_named(
			c->answer.compress,
			c->answer.compress_len < SCYLLA_TEXT_MAX
				? c->answer.compress_len
				: SCYLLA_TEXT_MAX);
	else if (!c->have_answer &&
		 (c->offer.mask & SCYLLA_FEAT_BIT(SCYLLA_FEAT_COMPRESS)))
		out->compression = SCYLLA_COMP_UNKNOWN;
}

unsigned scylla_conn_role(const struct scylla_conn *c)
{
	const struct scylla_features *f =
		c->have_offer ? &c->offer : c->have_answer ? &c->answer : NULL;
	if (!f || !(f->mask & SCYLLA_FEAT_BIT(SCYLLA_FEAT_ISOLATION)))
		return SCYLLA_CLASS_NONE;
	size_t n = f->cookie_len < SCYLLA_TEXT_MAX ? f->cookie_len
						   : SCYLLA_TEXT_MAX;
	return scylla_cookie_class(f->cookie, n);
}
