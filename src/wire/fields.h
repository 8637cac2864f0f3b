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

#define IPV4_FIELD (FIELD_DEF_HEADER | FIELD_DEF_IPV4)
#define IPV6_FIELD (FIELD_DEF_HEADER | FIELD_DEF_IPV6)

#define IP_FIELDS(X) \
	X(ip_src, "ip.src", ADDR, IPV4_FIELD, "IPv4 source", \
	  .derive = ip_derive_src) \
	X(ip_dst, "ip.dst", ADDR, IPV4_FIELD, "IPv4 destination", \
	  .derive = ip_derive_dst) \
	X(ip_addr, "ip.addr", ADDR, IPV4_FIELD, \
	  "either IPv4 endpoint (two occurrences: source, destination)", \
	  .derive = ip_derive_addr, .occurrences = 2)

#define IPV6_FIELDS(X) \
	X(ipv6_src, "ipv6.src", ADDR, IPV6_FIELD, "IPv6 source", \
	  .derive = ipv6_derive_src) \
	X(ipv6_dst, "ipv6.dst", ADDR, IPV6_FIELD, "IPv6 destination", \
	  .derive = ipv6_derive_dst) \
	X(ipv6_addr, "ipv6.addr", ADDR, IPV6_FIELD, \
	  "either IPv6 endpoint (two occurrences)", \
	  .derive = ipv6_derive_addr, .occurrences = 2)

#define TCP_PACKET_FIELD (FIELD_DEF_HEADER | FIELD_DEF_PER_PACKET)

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
	  .derive = tcp_derive_stream) \
	/* the segment of the frame (struct packet_info) */ \
	X(tcp_len, "tcp.len", UINT, TCP_PACKET_FIELD, \
	  "TCP payload bytes of the segment", .derive = tcp_derive_len) \
	X(tcp_seq, "tcp.seq", UINT, TCP_PACKET_FIELD, \
	  "sequence number, relative (tshark's: the SYN is 0)", \
	  .derive = tcp_derive_seq) \
	X(tcp_ack, "tcp.ack", UINT, TCP_PACKET_FIELD, \
	  "acknowledgement number, relative", .derive = tcp_derive_ack) \
	X(tcp_window_size_value, "tcp.window_size_value", UINT, \
	  TCP_PACKET_FIELD, "the window as sent (not scaled)", \
	  .derive = tcp_derive_window) \
	X(tcp_flags, "tcp.flags", HEX, TCP_PACKET_FIELD, \
	  "the header's flag bits", .derive = tcp_derive_flags) \
	X(tcp_flags_fin, "tcp.flags.fin", BOOL, TCP_PACKET_FIELD, \
	  "FIN: the sender has no more to send", .derive = tcp_derive_fin) \
	X(tcp_flags_syn, "tcp.flags.syn", BOOL, TCP_PACKET_FIELD, \
	  "SYN: opens a connection", .derive = tcp_derive_syn) \
	X(tcp_flags_reset, "tcp.flags.reset", BOOL, TCP_PACKET_FIELD, \
	  "RST: aborts or refuses a connection", .derive = tcp_derive_reset) \
	X(tcp_flags_push, "tcp.flags.push", BOOL, TCP_PACKET_FIELD, \
	  "PSH", .derive = tcp_derive_push) \
	X(tcp_flags_ack, "tcp.flags.ack", BOOL, TCP_PACKET_FIELD, \
	  "ACK: the acknowledgement number is valid", \
	  .derive = tcp_derive_ackflag) \
	X(tcp_flags_urg, "tcp.flags.urg", BOOL, TCP_PACKET_FIELD, \
	  "URG", .derive = tcp_derive_urg) \
	X(tcp_flags_ecn, "tcp.flags.ecn", BOOL, TCP_PACKET_FIELD, \
	  "ECE: ECN echo", .derive = tcp_derive_ecn) \
	X(tcp_flags_cwr, "tcp.flags.cwr", BOOL, TCP_PACKET_FIELD, \
	  "CWR: congestion window reduced", .derive = tcp_derive_cwr) \
	X(tcp_analysis_retransmission, "tcp.analysis.retransmission", BOOL, \
	  TCP_PACKET_FIELD, "present when the segment's bytes were seen " \
	  "before", .derive = tcp_derive_retransmission) \
	X(tcp_analysis_lost_segment, "tcp.analysis.lost_segment", BOOL, \
	  TCP_PACKET_FIELD, "present when bytes before the segment were " \
	  "never seen", .derive = tcp_derive_lost_segment) \
	X(tcp_analysis_out_of_order, "tcp.analysis.out_of_order", BOOL, \
	  TCP_PACKET_FIELD, "present when the segment came before earlier " \
	  "bytes", .derive = tcp_derive_out_of_order) \
	/* connection events (src/wire/events.c) */ \
	X(tcp_connection_syns, "tcp.connection.syns", UINT, FIELD_DEF_HEADER, \
	  "connection events: SYNs the client sent, retries included") \
	X(tcp_connection_syn_frame, "tcp.connection.syn_frame", UINT, \
	  FIELD_DEF_HEADER, "connection events: frame of the first SYN")

/* ICMP and ICMPv6 destination unreachable, on the connection event it
 * makes (src/wire/events.c, icmp.h). */
#define ICMP_FIELDS(X) \
	X(icmp_type, "icmp.type", UINT, FIELD_DEF_HEADER, \
	  "connection events: the ICMP type that answered (3 destination " \
	  "unreachable; ICMPv6: 1)") \
	X(icmp_code, "icmp.code", UINT, FIELD_DEF_HEADER, \
	  "connection events: its code (ICMP 3, ICMPv6 4: port unreachable; " \
	  "ICMP 1 host, 13 administratively filtered)")

FIELD_TABLE_DECLARE(frame_fields, FRAME_FIELDS)
FIELD_TABLE_DECLARE(ip_fields, IP_FIELDS)
FIELD_TABLE_DECLARE(ipv6_fields, IPV6_FIELDS)
FIELD_TABLE_DECLARE(tcp_fields, TCP_FIELDS)
FIELD_TABLE_DECLARE(icmp_fields, ICMP_FIELDS)

#endif
