/* link.c - link layers seen in storage captures, down to the IP header. */
#include "link.h"

#include <pcap/dlt.h>

#include "base/cursor.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100	/* 802.1Q */
#define ETHERTYPE_QINQ 0x88a8	/* 802.1ad */
#define ETHERTYPE_QINQ_OLD 0x9100
#define MAX_VLAN_TAGS 4

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static enum link_verdict by_ethertype(uint16_t type, int *family)
{
	if (type == ETHERTYPE_IPV4)
		*family = 4;
	else if (type == ETHERTYPE_IPV6)
		*family = 6;
	else
		return LINK_NOT_IP;
	return LINK_IP;
}

/* Raw IP: the version nibble says which. */
static enum link_verdict by_version(const uint8_t *p, size_t len, int *family)
{
	if (len < 1)
		return LINK_TRUNCATED;
	switch (p[0] >> 4) {
	case 4: *family = 4; return LINK_IP;
	case 6: *family = 6; return LINK_IP;
	default: return LINK_NOT_IP;
	}
}

/*  0               6              12      14
 * +---------------+---------------+-------+----------
 * | destination   | source        | type  | payload     type 8100/88a8:
 * +---------------+---------------+-------+----------   2 bytes TCI, type */
static enum link_verdict ethernet(const uint8_t *frame, size_t len,
				  size_t *offset, int *family)
{
	struct cursor c = cursor_init(frame, len);
	cursor_skip(&c, 12);
	uint16_t type = cursor_be16(&c);
	for (int tags = 0; tags < MAX_VLAN_TAGS &&
	     (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	      type == ETHERTYPE_QINQ_OLD); tags++) {
		cursor_skip(&c, 2);
		type = cursor_be16(&c);
	}
	if (!cursor_ok(&c))
		return LINK_TRUNCATED;
	*offset = cursor_offset(&c);
	return by_ethertype(type, family);
}

/* BSD loopback: a 4-byte address family, host order for DLT_NULL (of the
 * machine that captured, so either), network order for DLT_LOOP.  AF_INET
 * is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28
 * (FreeBSD), 30 (macOS). */
static enum link_verdict bsd_loopback(const uint8_t *frame, size_t len,
				      bool network_order, size_t *offset,
				      int *family)
{
	struct cursor c = cursor_init(frame, len);
	uint32_t af = network_order ? cursor_be32(&c) : cursor_le32(&c);
	if (!cursor_ok(&c))
		return LINK_TRUNCATED;
	if (!network_order && af > 0xffff)
		af = __builtin_bswap32(af);
	*offset = 4;
	switch (af) {
	case 2: *family = 4; return LINK_IP;
	case 10: case 24: case 28: case 30: *family = 6; return LINK_IP;
	default: return LINK_NOT_IP;
	}
}

enum link_verdict link_decode(int linktype, const uint8_t *frame, size_t len,
			      size_t *offset, int *family)
{
	struct cursor c = cursor_init(frame, len);
	uint16_t type;

	switch (linktype) {
	case DLT_EN10MB:
		return ethernet(frame, len, offset, family);
	case DLT_LINUX_SLL:
		/* packet type, ARPHRD, address length, 8 address bytes,
		 * protocol: 16 bytes. */
		cursor_skip(&c, 14);
		type = cursor_be16(&c);
		if (!cursor_ok(&c))
			return LINK_TRUNCATED;
		*offset = 16;
		return by_ethertype(type, family);
	case DLT_LINUX_SLL2:
		/* protocol, reserved, interface index, ARPHRD, packet
		 * type, address length, 8 address bytes: 20 bytes. */
		type = cursor_be16(&c);
		cursor_skip(&c, 18);
		if (!cursor_ok(&c))
			return LINK_TRUNCATED;
		*offset = 20;
		return by_ethertype(type, family);
	case DLT_RAW:
	case 14:	/* DLT_RAW on OpenBSD */
	case 101:	/* LINKTYPE_RAW, should libpcap not map it */
		*offset = 0;
		return by_version(frame, len, family);
	case DLT_IPV4:
		*offset = 0;
		*family = 4;
		return LINK_IP;
	case DLT_IPV6:
		*offset = 0;
		*family = 6;
		return LINK_IP;
	case DLT_NULL:
		return bsd_loopback(frame, len, false, offset, family);
	case DLT_LOOP:
		return bsd_loopback(frame, len, true, offset, family);
	default:
		return LINK_UNSUPPORTED;
	}
}
