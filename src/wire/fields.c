/* fields.c - the frame, IP and TCP fields, derived from the message's
 * header. */
#include "fields.h"

#include "base/message.h"

FIELD_DERIVE(frame_derive_number)
{
	f->kind = FIELD_UINT;
	f->v.u = m->frame;
	return true;
}

FIELD_DERIVE(frame_derive_time_epoch)
{
	int64_t sec = m->ts_ns / 1000000000, ns = m->ts_ns % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	f->kind = FIELD_TIME;
	f->v.t.sec = sec;
	f->v.t.nsec = (uint32_t)ns;
	return true;
}

FIELD_DERIVE(frame_derive_time_relative)
{
	if (!ctx || !ctx->time_base)
		return false;
	int64_t d = m->ts_ns - *ctx->time_base;
	f->kind = FIELD_TIME;
	/* sec.nsec of a signed difference, as tshark prints it */
	f->v.t.sec = d / 1000000000;
	f->v.t.nsec = (uint32_t)((d < 0 ? -d : d) % 1000000000);
	return true;
}

/* The address of e as text, when it is of the family. */
static bool address(const struct endpoint *e, uint8_t family,
		    struct field *f, uint8_t *buf, size_t buflen)
{
	if (e->family != family)
		return false;
	f->len = (uint32_t)endpoint_address_text((char *)buf, buflen, e);
	field_set_address(f, family, e->addr);
	return true;
}

FIELD_DERIVE(ip_derive_src)
{
	return address(&m->src, 4, f, buf, buflen);
}

FIELD_DERIVE(ip_derive_dst)
{
	return address(&m->dst, 4, f, buf, buflen);
}

FIELD_DERIVE(ip_derive_addr)
{
	return address(index ? &m->dst : &m->src, 4, f, buf, buflen);
}

FIELD_DERIVE(ipv6_derive_src)
{
	return address(&m->src, 6, f, buf, buflen);
}

FIELD_DERIVE(ipv6_derive_dst)
{
	return address(&m->dst, 6, f, buf, buflen);
}

FIELD_DERIVE(ipv6_derive_addr)
{
	return address(index ? &m->dst : &m->src, 6, f, buf, buflen);
}

static bool port(const struct endpoint *e, struct field *f)
{
	f->kind = FIELD_UINT;
	f->v.u = e->port;
	return e->family != 0;
}

FIELD_DERIVE(tcp_derive_srcport)
{
	return port(&m->src, f);
}

FIELD_DERIVE(tcp_derive_dstport)
{
	return port(&m->dst, f);
}

FIELD_DERIVE(tcp_derive_port)
{
	return port(index ? &m->dst : &m->src, f);
}

FIELD_DERIVE(tcp_derive_stream)
{
	f->kind = FIELD_UINT;
	f->v.u = m->conversation - 1;
	return m->conversation != 0;
}

/* ---- the segment: absent until the TCP layer fills m->packet */

static bool packet_uint(const struct message *m, uint64_t v, struct field *f)
{
	f->kind = FIELD_UINT;
	f->v.u = v;
	return m->packet.valid;
}

FIELD_DERIVE(tcp_derive_len)
{
	return packet_uint(m, m->packet.len, f);
}

FIELD_DERIVE(tcp_derive_seq)
{
	return packet_uint(m, m->packet.seq, f);
}

FIELD_DERIVE(tcp_derive_ack)
{
	return packet_uint(m, m->packet.ack, f);
}

FIELD_DERIVE(tcp_derive_window)
{
	return packet_uint(m, m->packet.window, f);
}

FIELD_DERIVE(tcp_derive_flags)
{
	f->kind = FIELD_HEX;
	f->v.u = m->packet.flags;
	return m->packet.valid;
}

/* a flag bit as Wireshark shows it: 0 or 1, present on every segment */
static bool flag(const struct message *m, unsigned bit, struct field *f)
{
	f->kind = FIELD_BOOL;
	f->v.u = (m->packet.flags & bit) != 0;
	return m->packet.valid;
}

FIELD_DERIVE(tcp_derive_fin) { return flag(m, 0x01, f); }
FIELD_DERIVE(tcp_derive_syn) { return flag(m, 0x02, f); }
FIELD_DERIVE(tcp_derive_reset) { return flag(m, 0x04, f); }
FIELD_DERIVE(tcp_derive_push) { return flag(m, 0x08, f); }
FIELD_DERIVE(tcp_derive_ackflag) { return flag(m, 0x10, f); }
FIELD_DERIVE(tcp_derive_urg) { return flag(m, 0x20, f); }
FIELD_DERIVE(tcp_derive_ecn) { return flag(m, 0x40, f); }
FIELD_DERIVE(tcp_derive_cwr) { return flag(m, 0x80, f); }

/* an analysis finding: present only when it holds, as in Wireshark */
static bool analysis(const struct message *m, unsigned bit, struct field *f)
{
	f->kind = FIELD_BOOL;
	f->v.u = 1;
	return m->packet.valid && (m->packet.analysis & bit);
}

FIELD_DERIVE(tcp_derive_retransmission)
{
	return analysis(m, PACKET_RETRANSMISSION, f);
}

FIELD_DERIVE(tcp_derive_lost_segment)
{
	return analysis(m, PACKET_LOST_SEGMENT, f);
}

FIELD_DERIVE(tcp_derive_out_of_order)
{
	return analysis(m, PACKET_OUT_OF_ORDER, f);
}

FIELD_TABLE_DEFINE(frame_fields, FRAME_FIELDS)
FIELD_TABLE_DEFINE(ip_fields, IP_FIELDS)
FIELD_TABLE_DEFINE(ipv6_fields, IPV6_FIELDS)
FIELD_TABLE_DEFINE(tcp_fields, TCP_FIELDS)
FIELD_TABLE_DEFINE(icmp_fields, ICMP_FIELDS)
