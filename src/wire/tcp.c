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
	seg->payload = data + hlen;
	seg->len = len - hlen;
	seg->wire_len = wire_len - hlen;
	return TCP_OK;
}
