/* icmp.h - ICMP and ICMPv6 "destination unreachable" about a TCP
 * segment: what a firewall's REJECT (its default, not "with tcp reset"),
 * a host without a route or a closed port answers instead of a RST. */
#ifndef TAPLINE_ICMP_H
#define TAPLINE_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#include "ip.h"

#define IPPROTO_ICMP_ 1
#define IPPROTO_ICMPV6_ 58

struct icmp_unreachable {
	uint8_t type, code;		/* as sent */
	/* The segment the error is about, as its sender sent it: the
	 * connection's 4-tuple in that sender's direction. */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

/* True when the IP packet is a destination unreachable that quotes a
 * TCP segment's ports (at least the first 8 bytes of its header, which
 * RFC 792 and RFC 4443 both guarantee). */
bool icmp_unreachable_decode(const struct ip_packet *ip,
			     struct icmp_unreachable *u);

/* The code's name ("Port unreachable"); NULL for codes without one. */
const char *icmp_unreachable_name(int family, uint8_t code);

/* True when the code is "port unreachable": nothing listens, which the
 * client's connect() reports as ECONNREFUSED, as it does a RST. */
bool icmp_port_unreachable(int family, uint8_t code);

#endif
