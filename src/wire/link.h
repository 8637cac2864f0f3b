/* link.h - the link layer: where the IP packet starts in a frame. */
#ifndef TAPLINE_LINK_H
#define TAPLINE_LINK_H

#include <stddef.h>
#include <stdint.h>

enum link_verdict {
	LINK_IP = 0,		/* *l3 and *family are set */
	LINK_NOT_IP = 1,	/* ARP, LLDP, unknown link type, ... */
	LINK_TRUNCATED = 2,	/* the link header was not captured */
	LINK_UNSUPPORTED = 3,	/* a link type not decoded */
};

/* Finds the network-layer packet in a frame of link type `linktype`
 * (DLT_*): Ethernet with 802.1Q/802.1ad tags, Linux cooked v1 and v2,
 * raw IP, BSD loopback (DLT_NULL in either byte order, DLT_LOOP).
 * Sets *offset to its start and *family to 4 or 6. */
enum link_verdict link_decode(int linktype, const uint8_t *frame, size_t len,
			      size_t *offset, int *family);

#endif
