/* tcp.c - the TCP header: ports, sequence numbers, flags, payload.
 * Checksums are not verified: captures on the sending host carry
 * offloaded (unfilled) checksums. */
#include "tcp.h"

#include "base/cursor.h"

/*  0              16              32
 * +---------------+---------------+
 * | source port   | dest port     |
 * |        sequence number        |
 * |     acknowledgment number     |
 * |off|res| flags | window        |
 * | checksum      | urgent ptr    |
 * |  options (off*4 - 20 bytes)   |
 * +-------------------------------+ */
enum tcp_verdict tcp_decode(const uint8_t *data, size_t len, size_t wire_len,
			    struct tcp_segment *seg)
{
	struct cursor c = cursor_init(data, len);
	seg->sport = cursor_be16(&c);
	seg->dport = cursor_be16(&c);
	seg->seq = cursor_be32(&c);
	seg->ack = cursor_be32(&c);
	uint8_t off = cursor_u8(&c);
	seg->flags = cursor_u8(&c);
	seg->window = cursor_be16(&c);
	cursor_skip(&c, 4);
	if (!cursor_ok(&c))
		return TCP_TRUNCATED;
	size_t hlen = (size_t)(off >> 4) * 4;
	if (hlen < 20 || hlen > wire_len)
		return TCP_MALFORMED;
	if (hlen > len)
		return TCP_TRUNCATED;
	seg->options = data + 20;
	seg->options_len = hlen - 20;
	seg->payload = data + hlen;
	seg->len = len - hlen;
	seg->wire_len = wire_len - hlen;
	return TCP_OK;
}

/* Each option: kind, length (kind and length bytes included), value;
 * kinds 0 (end) and 1 (no-op) are one byte. */
int tcp_options_parse(const uint8_t *data, size_t len,
		      struct tcp_options *out)
{
	struct cursor c = cursor_init(data, len);
	int shift = -1;
	out->n = 0;
	while (cursor_left(&c) && out->n < TCP_MAX_OPTIONS) {
		uint8_t kind = cursor_u8(&c);
		if (kind == 0)
			break;
		if (kind == 1)
			continue;
		uint8_t olen = cursor_u8(&c);
		if (!cursor_ok(&c) || olen < 2 || olen - 2u > cursor_left(&c))
			break;
		struct cursor v = cursor_init(cursor_take(&c, olen - 2u),
					      olen - 2u);
		unsigned i = out->n;
		out->opt[i].kind = kind;
		out->opt[i].a = out->opt[i].b = 0;
		switch (kind) {
		case TCP_OPT_MSS:
			if (olen != 4)
				continue;
			out->opt[i].a = cursor_be16(&v);
			break;
		case TCP_OPT_WS:
			if (olen != 3)
				continue;
			out->opt[i].a = cursor_u8(&v);
			/* RFC 7323: a shift above 14 is taken as 14 */
			if (out->opt[i].a > 14)
				out->opt[i].a = 14;
			shift = (int)out->opt[i].a;
			break;
		case TCP_OPT_SACK_PERM:
			if (olen != 2)
				continue;
			break;
		case TCP_OPT_SACK:
			/* one entry per block */
			while (cursor_left(&v) >= 8 && out->n < TCP_MAX_OPTIONS) {
				out->opt[out->n].kind = kind;
				out->opt[out->n].a = cursor_be32(&v);
				out->opt[out->n].b = cursor_be32(&v);
				out->n++;
			}
			continue;
		case TCP_OPT_TIMESTAMP:
			if (olen != 10)
				continue;
			out->opt[i].a = cursor_be32(&v);
			out->opt[i].b = cursor_be32(&v);
			break;
		default:
			continue;
		}
		out->n++;
	}
	return shift;
}
