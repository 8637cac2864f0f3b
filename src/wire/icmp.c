/* icmp.c - destination unreachable about a TCP segment (icmp.h).
 * Layouts from RFC 792 (type 3) and RFC 4443 (type 1): type, code,
 * checksum, 4 unused bytes, then as much of the offending packet as
 * fits, its IP header first. */
#include "icmp.h"

#include <string.h>

#include "base/cursor.h"

#define ICMP_DEST_UNREACHABLE 3
#define ICMPV6_DEST_UNREACHABLE 1
#define IPPROTO_TCP_ 6

bool icmp_unreachable_decode(const struct ip_packet *ip,
			     struct icmp_unreachable *u)
{
	bool v4 = ip->family == 4 && ip->protocol == IPPROTO_ICMP_;
	bool v6 = ip->family == 6 && ip->protocol == IPPROTO_ICMPV6_;
	if (!v4 && !v6)
		return false;
	struct cursor c = cursor_init(ip->payload, ip->payload_len);
	u->type = cursor_u8(&c);
	u->code = cursor_u8(&c);
	cursor_skip(&c, 6);
	if (!cursor_ok(&c) ||
	    u->type != (v4 ? ICMP_DEST_UNREACHABLE : ICMPV6_DEST_UNREACHABLE))
		return false;

	/* The quoted packet is cut short by design: its header's lengths
	 * say more than is there, which ip_decode allows. */
	struct ip_packet quoted;
	if (ip_decode(ip->family, ip->payload + cursor_offset(&c),
		      cursor_left(&c), &quoted) != IP_OK ||
	    quoted.protocol != IPPROTO_TCP_)
		return false;
	struct cursor t = cursor_init(quoted.payload, quoted.payload_len);
	u->sport = cursor_be16(&t);
	u->dport = cursor_be16(&t);
	if (!cursor_ok(&t))
		return false;
	memcpy(u->src, quoted.src, sizeof u->src);
	memcpy(u->dst, quoted.dst, sizeof u->dst);
	return true;
}

const char *icmp_unreachable_name(int family, uint8_t code)
{
	static const char *const v4[] = {
		"Network unreachable", "Host unreachable",
		"Protocol unreachable", "Port unreachable",
		"Fragmentation needed", "Source route failed",
		"Destination network unknown", "Destination host unknown",
		"Source host isolated", "Network administratively prohibited",
		"Host administratively prohibited",
		"Network unreachable for TOS", "Host unreachable for TOS",
		"Communication administratively filtered",
		"Host precedence violation", "Precedence cutoff in effect",
	};
	static const char *const v6[] = {
		"No route to destination",
		"Communication administratively prohibited",
		"Beyond scope of source address", "Address unreachable",
		"Port unreachable", "Source address failed policy",
		"Reject route to destination", "Error in source routing header",
	};
	if (family == 4)
		return code < sizeof v4 / sizeof v4[0] ? v4[code] : NULL;
	return code < sizeof v6 / sizeof v6[0] ? v6[code] : NULL;
}

bool icmp_port_unreachable(int family, uint8_t code)
{
	return code == (family == 4 ? 3 : 4);
}
