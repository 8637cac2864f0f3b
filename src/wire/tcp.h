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
#define TCP_URG 0x20
#define TCP_SYN_ACK (TCP_SYN | TCP_ACK)

enum tcp_verdict { TCP_OK = 0, TCP_TRUNCATED = 1, TCP_MALFORMED = 2 };

struct tcp_segment {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;	/* as sent, unscaled */
	const uint8_t *options;	/* the header's options, options_len bytes */
	size_t options_len;
	const uint8_t *payload;
	size_t len;		/* payload bytes captured */
	size_t wire_len;	/* payload bytes sent (>= len) */
};

/* Parses the segment in an IP payload: `len` bytes captured of the
 * `wire_len` the IP header announced. */
enum tcp_verdict tcp_decode(const uint8_t *data, size_t len, size_t wire_len,
			    struct tcp_segment *seg);

/* The options a packet line shows, in the order they came (tshark's
 * info column names these). */
enum tcp_option_kind {
	TCP_OPT_MSS = 2, TCP_OPT_WS = 3, TCP_OPT_SACK_PERM = 4,
	TCP_OPT_SACK = 5, TCP_OPT_TIMESTAMP = 8,
};
#define TCP_MAX_OPTIONS 8
struct tcp_options {
	unsigned n;
	struct {
		uint8_t kind;	/* enum tcp_option_kind */
		uint32_t a, b;	/* MSS; shift; -; SACK left, right edge;
				 * TSval, TSecr */
	} opt[TCP_MAX_OPTIONS];
};

/* Parses the options it knows, skipping the others; stops at the end
 * of the list, at a length that runs past it, or when `out` is full.
 * Returns the window scale shift a SYN offers (0..14), or -1 if none. */
int tcp_options_parse(const uint8_t *data, size_t len,
		      struct tcp_options *out);

#endif
