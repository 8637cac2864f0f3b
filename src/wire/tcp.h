/* tcp.h - the TCP header. */
#ifndef TAPLINE_TCP_H
#define TAPLINE_TCP_H

#include <stddef.h>
#include <stdint.h>

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_SYN_ACK (TCP_SYN | TCP_ACK)

enum tcp_verdict { TCP_OK = 0, TCP_TRUNCATED = 1, TCP_MALFORMED = 2 };

struct tcp_segment {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;	/* as sent, unscaled */
	const uint8_t *payload;
	size_t len;		/* payload bytes captured */
	size_t wire_len;	/* payload bytes sent (>= len) */
};

/* Parses the segment in an IP payload: `len` bytes captured of the
 * `wire_len` the IP header announced. */
enum tcp_verdict tcp_decode(const uint8_t *data, size_t len, size_t wire_len,
			    struct tcp_segment *seg);

#endif
