/* events.c - connection events: what the TCP layer alone tells about a
 * connection (its SYNs and the SYN-ACK that answered them, a SYN nobody
 * answered, a reset or ICMP error that refused it, a reset that ended
 * it), as messages of the TCP protocol that every consumer
 * reads like any other: kind EVENT, exchange.op the event, the sender of
 * the packet that tells as the source.  In packet view, also the line of
 * a frame in which no message completed (kind NONE). */
#include "reassembly.h"

#include <string.h>

#include "fields.h"
#include "icmp.h"

static struct message *event_begin(struct decoder *d, const struct flow *f,
				   int sender, const struct frame_ref *frame,
				   const char *what)
{
	struct message *m = d->scratch;
	msg_reset(m);
	m->no_info = d->opts.no_summary;
	m->header_only = d->opts.header_only;
	m->no_fields = d->opts.no_fields;
	m->wants = d->opts.wants;
	m->frame = m->first_frame = frame->number;
	m->ts_ns = frame->ts_ns;
	m->src = f->dir[sender].sd.src;
	m->dst = f->dir[sender].sd.dst;
	m->conversation = f->dir[sender].sd.conversation;
	m->proto = d->opts.tcp_protocol;
	m->exchange.kind = EXCHANGE_EVENT;
	m->exchange.op = what;
	return m;
}

static void event_emit(struct decoder *d, struct message *m)
{
	if (d->packet.valid && m->frame == d->packet_frame)
		d->frame_shown = true;
	if (d->on_message)
		d->on_message(d->user, m);
}

static void put_flags(struct message *m, uint8_t flags)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
	};
	msg_info_str(m, "[");
	bool first = true;
	/* tshark's order: SYN, RST before ACK, as the bits go */
	for (unsigned i = 0; i < 8; i++) {
		if (!(flags & 1u << i))
			continue;
		if (!first)
			msg_info_str(m, ", ");
		msg_info_str(m, names[i]);
		first = false;
	}
	msg_info_str(m, "]");
}

/* An event about the opening handshake, when `want` is asked for: the
 * packet that tells, the first SYN's frame, the SYNs so far. */
static struct message *handshake_event(struct decoder *d, const struct flow *f,
				       int sender,
				       const struct frame_ref *frame,
				       unsigned want, const char *what)
{
	if (!(d->opts.events & want) || !d->opts.tcp_protocol)
		return NULL;
	struct message *m = event_begin(d, f, sender, frame, what);
	m->packet = d->packet;
	m->first_frame = f->first_syn.number;
	msg_add_uint(m, &hf_tcp_connection_syns, f->syns);
	msg_add_uint(m, &hf_tcp_connection_syn_frame, f->first_syn.number);
	return m;
}

void event_reset(struct decoder *d, struct flow *f, int sender,
		 const struct frame_ref *frame)
{
	struct message *m;
	if (f->syns && !f->answered && sender != f->syn_dir) {
		m = handshake_event(d, f, sender, frame, EVENT_REFUSED,
				    "connection refused");
		if (!m)
			return;
		msg_info_str(m, "Connection refused: ");
		put_flags(m, d->packet.flags);
		msg_info_str(m, " answers the SYN of frame ");
		msg_info_uint(m, f->last_syn.number);
	} else {
		if (!(d->opts.events & EVENT_RESET) || !d->opts.tcp_protocol)
			return;
		m = event_begin(d, f, sender, frame, "reset");
		m->packet = d->packet;
		msg_info_str(m, "Connection reset: ");
		put_flags(m, d->packet.flags);
	}
	event_emit(d, m);
}

void event_syn(struct decoder *d, struct flow *f, int sender,
	       const struct frame_ref *frame)
{
	struct message *m = handshake_event(d, f, sender, frame, EVENT_SYN,
					    "SYN");
	if (!m)
		return;
	if (f->syns == 1) {
		msg_info_str(m, "SYN: connection attempt");
	} else {
		msg_info_str(m, "SYN: attempt ");
		msg_info_uint(m, f->syns);
		msg_info_str(m, ", the first at frame ");
		msg_info_uint(m, f->first_syn.number);
	}
	event_emit(d, m);
}

void event_established(struct decoder *d, struct flow *f, int sender,
		       const struct frame_ref *frame)
{
	struct message *m = handshake_event(d, f, sender, frame,
					    EVENT_ESTABLISHED, "established");
	if (!m)
		return;
	msg_info_str(m, "Established: [SYN, ACK] answers the SYN of frame ");
	msg_info_uint(m, f->last_syn.number);
	event_emit(d, m);
}

/* " SYNs (frames 1 to 3)": the retries of the opening handshake. */
static void put_syn_frames(struct message *m, const struct flow *f)
{
	msg_info_str(m, " SYNs (frames ");
	msg_info_uint(m, f->first_syn.number);
	msg_info_str(m, " to ");
	msg_info_uint(m, f->last_syn.number);
	msg_info_str(m, ")");
}

/* "ICMP Port unreachable (code 3) from 10.0.0.1": the error in words. */
static void put_unreachable(struct message *m, int family, uint8_t code,
			    const uint8_t from[16], const struct endpoint *peer)
{
	const char *name = icmp_unreachable_name(family, code);
	msg_info_str(m, family == 4 ? "ICMP " : "ICMPv6 ");
	msg_info_str(m, name ? name : "destination unreachable");
	msg_info_str(m, " (code ");
	msg_info_uint(m, code);
	msg_info_str(m, ")");
	/* A router or firewall on the way, not the server, may say it. */
	struct endpoint sender = { .family = (uint8_t)family };
	memcpy(sender.addr, from, 16);
	if (memcmp(sender.addr, peer->addr, 16)) {
		char text[64];
		endpoint_address_text(text, sizeof text, &sender);
		msg_info_str(m, " from ");
		msg_info_str(m, text);
	}
}

/* The SYNs of a connection were answered by ICMP errors only: "port
 * unreachable" refuses it as a RST would (connect() fails with
 * ECONNREFUSED); other codes say the host or path is unreachable. */
static void event_syn_unreachable(struct decoder *d, struct flow *f)
{
	int family = f->key.family;
	bool refused = icmp_port_unreachable(family, f->unreachable_code);
	if (!(d->opts.events & (refused ? EVENT_REFUSED : EVENT_UNREACHABLE)))
		return;
	struct message *m = event_begin(d, f, !f->syn_dir, &f->last_unreachable,
					refused ? "connection refused" :
					"unreachable");
	m->first_frame = f->first_syn.number;
	msg_add_uint(m, &hf_tcp_connection_syns, f->syns);
	msg_add_uint(m, &hf_tcp_connection_syn_frame, f->first_syn.number);
	msg_add_uint(m, &hf_icmp_type, f->unreachable_type);
	msg_add_uint(m, &hf_icmp_code, f->unreachable_code);
	msg_info_str(m, refused ? "Connection refused: " : "Unreachable: ");
	put_unreachable(m, family, f->unreachable_code, f->unreachable_from,
			&f->dir[!f->syn_dir].sd.src);
	msg_info_str(m, " answered ");
	msg_info_uint(m, f->syns);
	if (f->syns == 1) {
		msg_info_str(m, " SYN (frame ");
		msg_info_uint(m, f->first_syn.number);
		msg_info_str(m, ")");
	} else {
		put_syn_frames(m, f);
	}
	event_emit(d, m);
}

void event_unreachable(struct decoder *d, struct flow *f, int sender,
		       const struct icmp_unreachable *u, int family,
		       const uint8_t from[16], const struct frame_ref *frame)
{
	if (!(d->opts.events & EVENT_UNREACHABLE) || !d->opts.tcp_protocol)
		return;
	struct message *m = event_begin(d, f, !sender, frame, "unreachable");
	msg_add_uint(m, &hf_icmp_type, u->type);
	msg_add_uint(m, &hf_icmp_code, u->code);
	msg_info_str(m, "Unreachable: ");
	put_unreachable(m, family, u->code, from, &f->dir[!sender].sd.src);
	msg_info_str(m, " about a segment of the open connection");
	event_emit(d, m);
}

void event_flow_end(struct decoder *d, struct flow *f)
{
	if (f->retired || !f->syns || f->answered || !d->opts.tcp_protocol)
		return;
	if (f->unreachables) {
		event_syn_unreachable(d, f);
		return;
	}
	if (!(d->opts.events & EVENT_SYN_UNANSWERED))
		return;
	struct message *m = event_begin(d, f, f->syn_dir, &f->last_syn,
					"SYN unanswered");
	m->first_frame = f->first_syn.number;
	m->packet = f->last_syn_packet;
	msg_add_uint(m, &hf_tcp_connection_syns, f->syns);
	msg_add_uint(m, &hf_tcp_connection_syn_frame, f->first_syn.number);
	msg_info_str(m, "SYN unanswered: ");
	msg_info_uint(m, f->syns);
	if (f->syns == 1) {
		msg_info_str(m, " SYN, no SYN-ACK nor RST came back");
	} else {
		put_syn_frames(m, f);
		msg_info_str(m, ", no SYN-ACK nor RST came back");
	}
	event_emit(d, m);
}

/* tshark's info column for a TCP segment: the analysis, ports, flags,
 * relative numbers, the window (scaled once the handshake said how),
 * the payload length, then the options it names. */
static void packet_summary(struct decoder *d, struct message *m,
			   const struct tcp_segment *seg)
{
	const struct packet_info *p = &d->packet;
	if (p->analysis & PACKET_RETRANSMISSION)
		msg_info_str(m, "[TCP Retransmission] ");
	else if (p->analysis & PACKET_LOST_SEGMENT)
		msg_info_str(m, "[TCP Previous segment not captured] ");
	msg_info_uint(m, seg->sport);
	msg_info_str(m, " \u2192 ");
	msg_info_uint(m, seg->dport);
	msg_info_str(m, " ");
	put_flags(m, seg->flags);
	msg_info_str(m, " Seq=");
	msg_info_uint(m, p->seq);
	if (seg->flags & TCP_ACK) {
		msg_info_str(m, " Ack=");
		msg_info_uint(m, p->ack);
	}
	msg_info_str(m, " Win=");
	uint64_t win = seg->window;
	if (!(seg->flags & TCP_SYN) && d->seg_shift > 0)
		win <<= d->seg_shift;
	msg_info_uint(m, win);
	msg_info_str(m, " Len=");
	msg_info_uint(m, seg->wire_len);
	struct tcp_options o;
	tcp_options_parse(seg->options, seg->options_len, &o);
	for (unsigned i = 0; i < o.n; i++) {
		switch (o.opt[i].kind) {
		case TCP_OPT_MSS:
			msg_info_str(m, " MSS=");
			msg_info_uint(m, o.opt[i].a);
			break;
		case TCP_OPT_WS:
			msg_info_str(m, " WS=");
			msg_info_uint(m, 1u << o.opt[i].a);
			break;
		case TCP_OPT_SACK_PERM:
			msg_info_str(m, " SACK_PERM");
			break;
		case TCP_OPT_SACK:
			/* edges relative to the acknowledgement's base */
			msg_info_str(m, " SLE=");
			msg_info_uint(m, (uint32_t)(o.opt[i].a - seg->ack +
						    p->ack));
			msg_info_str(m, " SRE=");
			msg_info_uint(m, (uint32_t)(o.opt[i].b - seg->ack +
						    p->ack));
			break;
		case TCP_OPT_TIMESTAMP:
			msg_info_str(m, " TSval=");
			msg_info_uint(m, o.opt[i].a);
			msg_info_str(m, " TSecr=");
			msg_info_uint(m, o.opt[i].b);
			break;
		}
	}
	/* bytes of a message that completes later (or never) */
	if (seg->wire_len && d->seg_decoded &&
	    !(p->analysis & PACKET_RETRANSMISSION))
		msg_info_str(m, " [TCP segment of a reassembled PDU]");
}

void event_packet(struct decoder *d, const struct tcp_segment *seg)
{
	if (!d->opts.tcp_protocol)
		return;
	struct message *m = d->scratch;
	msg_reset(m);
	m->no_info = d->opts.no_summary;
	m->header_only = d->opts.header_only;
	m->no_fields = d->opts.no_fields;
	m->wants = d->opts.wants;
	m->frame = m->first_frame = d->packet_frame;
	m->ts_ns = d->last.ts_ns;
	m->src = d->seg_src;
	m->dst = d->seg_dst;
	m->conversation = d->seg_conversation;
	m->proto = d->opts.tcp_protocol;
	m->length = (uint32_t)seg->wire_len;
	m->packet = d->packet;
	if (!m->no_info)
		packet_summary(d, m, seg);
	if (d->on_message)
		d->on_message(d->user, m);
}
