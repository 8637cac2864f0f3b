/* fields.h - the fields of the frame, IP and TCP layers (Wireshark's
 * names), derived from the message's header: where and when it
 * completed, its endpoints, its connection.  X(id, name, KIND, flags,
 * meaning[, ...]): src/base/field.h. */
#ifndef TAPLINE_WIRE_FIELDS_H
#define TAPLINE_WIRE_FIELDS_H

#include "base/field.h"

#define FRAME_FIELDS(X) \
	X(frame_number, "frame.number", UINT, FIELD_DEF_HEADER, \
	  "frame where the message completed (1-based, across all inputs)", \
	  .derive = frame_derive_number) \
	X(frame_time_epoch, "frame.time_epoch", TIME, FIELD_DEF_HEADER, \
	  "that frame's timestamp, seconds.nanoseconds since the epoch", \
	  .derive = frame_derive_time_epoch) \
	X(frame_time_relative, "frame.time_relative", TIME, FIELD_DEF_HEADER, \
	  "seconds.nanoseconds since the first frame read", \
	  .derive = frame_derive_time_relative)

#define IP_FIELDS(X) \
	X(ip_src, "ip.src", ADDR, FIELD_DEF_HEADER, "IPv4 source", \
	  .derive = ip_derive_src) \
	X(ip_dst, "ip.dst", ADDR, FIELD_DEF_HEADER, "IPv4 destination", \
	  .derive = ip_derive_dst) \
	X(ip_addr, "ip.addr", ADDR, FIELD_DEF_HEADER, \
	  "either IPv4 endpoint (two occurrences: source, destination)", \
	  .derive = ip_derive_addr, .occurrences = 2)

#define IPV6_FIELDS(X) \
	X(ipv6_src, "ipv6.src", ADDR, FIELD_DEF_HEADER, "IPv6 source", \
	  .derive = ipv6_derive_src) \
	X(ipv6_dst, "ipv6.dst", ADDR, FIELD_DEF_HEADER, "IPv6 destination", \
	  .derive = ipv6_derive_dst) \
	X(ipv6_addr, "ipv6.addr", ADDR, FIELD_DEF_HEADER, \
	  "either IPv6 endpoint (two occurrences)", \
	  .derive = ipv6_derive_addr, .occurrences = 2)

#define TCP_FIELDS(X) \
	X(tcp_srcport, "tcp.srcport", UINT, FIELD_DEF_HEADER, "source port", \
	  .derive = tcp_derive_srcport) \
	X(tcp_dstport, "tcp.dstport", UINT, FIELD_DEF_HEADER, \
	  "destination port", .derive = tcp_derive_dstport) \
	X(tcp_port, "tcp.port", UINT, FIELD_DEF_HEADER, \
	  "either port (two occurrences: source, destination)", \
	  .derive = tcp_derive_port, .occurrences = 2) \
	X(tcp_stream, "tcp.stream", UINT, FIELD_DEF_HEADER, \
	  "0-based connection index (tshark's numbering)", \
	  .derive = tcp_derive_stream)

FIELD_TABLE_DECLARE(frame_fields, FRAME_FIELDS)
FIELD_TABLE_DECLARE(ip_fields, IP_FIELDS)
FIELD_TABLE_DECLARE(ipv6_fields, IPV6_FIELDS)
FIELD_TABLE_DECLARE(tcp_fields, TCP_FIELDS)

#endif
