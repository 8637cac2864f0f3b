/* ip.h - IPv4 and IPv6 headers, down to the transport payload. */
#ifndef TAPLINE_IP_H
#define TAPLINE_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ip_verdict {
	IP_OK = 0,
	IP_TRUNCATED = 1,	/* the IP header(s) were not captured */
	IP_MALFORMED = 2,	/* impossible header values */
	IP_FRAGMENT = 3,	/* a fragment: noted, not reassembled */
	IP_UNSUPPORTED = 4,	/* e.g. ESP, jumbograms */
};

struct ip_packet {
	uint8_t family;		/* 4 or 6 */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	uint8_t protocol;	/* transport: 6 = TCP */
	const uint8_t *payload;
	size_t payload_len;	/* bytes captured, Ethernet padding cut */
	size_t payload_wire_len;/* bytes the header says there are */
};

/* Parses the IP packet at data[0..len) of the given family. */
enum ip_verdict ip_decode(int family, const uint8_t *data, size_t len,
			  struct ip_packet *ip);

#endif
