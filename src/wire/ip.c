/* ip.c - IPv4 (options, fragments noted) and IPv6 (extension headers
 * walked, bounded). */
#include "ip.h"

#include <string.h>

#include "base/cursor.h"

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IPPROTO_DSTOPTS_ 60
#define IPPROTO_MH_ 135
#define MAX_EXT_HEADERS 8

/*  0       4       8              16              24              32
 * +-------+-------+---------------+-------------------------------+
 * |version|  IHL  |     TOS       |          total length         |
 * |      identification           |flags|   fragment offset       |
 * |     TTL       |  protocol     |        header checksum        |
 * |                      source address                           |
 * |                    destination address                        |
 * +---------------------------------------------------------------+ */
static enum ip_verdict ipv4(const uint8_t *data, size_t len,
			    struct ip_packet *ip)
{
	struct cursor c = cursor_init(data, len);
	uint8_t vihl = cursor_u8(&c);
	cursor_skip(&c, 1);
	uint16_t total = cursor_be16(&c);
	cursor_skip(&c, 2);
	uint16_t frag = cursor_be16(&c);
	cursor_skip(&c, 1);
	ip->protocol = cursor_u8(&c);
	cursor_skip(&c, 2);
	const uint8_t *src = cursor_take(&c, 4);
	const uint8_t *dst = cursor_take(&c, 4);
	if (!cursor_ok(&c))
		return IP_TRUNCATED;
	size_t hlen = (size_t)(vihl & 0x0f) * 4;
	/* Total length 0: a segmentation-offload super-packet captured on
	 * the sender (BIG TCP); its length is what was captured. */
	size_t total_len = total ? total : len;
	if (vihl >> 4 != 4 || hlen < 20 || total_len < hlen)
		return IP_MALFORMED;
	if (len < hlen)
		return IP_TRUNCATED;
	ip->family = 4;
	memset(ip->src, 0, sizeof ip->src);
	memset(ip->dst, 0, sizeof ip->dst);
	memcpy(ip->src, src, 4);
	memcpy(ip->dst, dst, 4);
	/* More fragments, or an offset: TCP over fragmented IP is rare
	 * enough that the stream shows it as a gap. */
	if (frag & 0x3fff)
		return IP_FRAGMENT;
	size_t captured = len < total_len ? len : total_len;	/* cut padding */
	ip->payload = data + hlen;
	ip->payload_len = captured - hlen;
	ip->payload_wire_len = total_len - hlen;
	return IP_OK;
}

static enum ip_verdict ipv6(const uint8_t *data, size_t len,
			    struct ip_packet *ip)
{
	struct cursor c = cursor_init(data, len);
	uint32_t vtcfl = cursor_be32(&c);
	uint16_t plen = cursor_be16(&c);
	uint8_t next = cursor_u8(&c);
	cursor_skip(&c, 1);
	const uint8_t *src = cursor_take(&c, 16);
	const uint8_t *dst = cursor_take(&c, 16);
	if (!cursor_ok(&c))
		return IP_TRUNCATED;
	if (vtcfl >> 28 != 6)
		return IP_MALFORMED;
	ip->family = 6;
	memcpy(ip->src, src, 16);
	memcpy(ip->dst, dst, 16);
	/* Payload length 0: a jumbogram or an offload super-packet (BIG
	 * TCP); its length is what was captured. */
	size_t end_wire = plen ? 40 + (size_t)plen : len;
	bool fragment = false;
	for (int n = 0;; n++) {
		if (next != IPPROTO_HOPOPTS_ && next != IPPROTO_ROUTING_ &&
		    next != IPPROTO_FRAGMENT_ && next != IPPROTO_DSTOPTS_ &&
		    next != IPPROTO_AH_ && next != IPPROTO_MH_)
			break;
		if (n == MAX_EXT_HEADERS)
			return IP_UNSUPPORTED;
		uint8_t this = next;
		next = cursor_u8(&c);
		uint8_t hdr_len = cursor_u8(&c);
		size_t rest;
		if (this == IPPROTO_FRAGMENT_) {
			uint16_t off_m = cursor_be16(&c);
			if (off_m & 0xfff9)	/* offset or M bit */
				fragment = true;
			rest = 4;
		} else if (this == IPPROTO_AH_) {
			rest = ((size_t)hdr_len + 2) * 4 - 2;
		} else {
			rest = ((size_t)hdr_len + 1) * 8 - 2;
		}
		cursor_skip(&c, rest);
		if (!cursor_ok(&c))
			return IP_TRUNCATED;
		if (cursor_offset(&c) > end_wire)
			return IP_MALFORMED;
	}
	if (fragment)
		return IP_FRAGMENT;
	ip->protocol = next;
	size_t hlen = cursor_offset(&c);
	size_t captured = len < end_wire ? len : end_wire;
	ip->payload = data + hlen;
	ip->payload_len = captured - hlen;
	ip->payload_wire_len = end_wire - hlen;
	return IP_OK;
}

enum ip_verdict ip_decode(int family, const uint8_t *data, size_t len,
			  struct ip_packet *ip)
{
	if (family == 4)
		return ipv4(data, len, ip);
	if (family == 6)
		return ipv6(data, len, ip);
	return IP_UNSUPPORTED;
}
