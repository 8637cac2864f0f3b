/* events.c - connection events: what the TCP layer alone tells about a
 * connection (a SYN nobody answered, a reset that refused it, a reset
 * that ended it), as messages of the TCP protocol that every consumer
 * reads like any other: kind EVENT, exchange.op the event, the sender of
 * the packet that tells as the source.  In packet view, also the line of
 * a frame in which no message completed (kind NONE). */
#include "reassembly.h"

#include "fields.h"

static struct message *event_begin(struct decoder *d, const struct flow *f,
				   int sender, const struct frame_ref *frame,
				   const char *what)
{
	struct message *m = d->scratch;
	msg_reset(m);
	m->no_info = d->opts.no_summary;
	m->header_only = d->opts.header_only;
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

void event_reset(struct decoder *d, struct flow *f, int sender,
		 const struct frame_ref *frame)
{
	bool refused = f->syns && !f->answered && sender != f->syn_dir;
	unsigned want = refused ? EVENT_REFUSED : EVENT_RESET;
	if (!(d->opts.events & want) || !d->opts.tcp_protocol)
		return;
	struct message *m = event_begin(d, f, sender, frame, refused ?
					"connection refused" : "reset");
	m->packet = d->packet;
	if (refused) {
		m->first_frame = f->first_syn.number;
		msg_add_uint(m, &hf_tcp_connection_syns, f->syns);
		msg_add_uint(m, &hf_tcp_connection_syn_frame,
			     f->first_syn.number);
		msg_info_str(m, "Connection refused: ");
		put_flags(m, d->packet.flags);
		msg_info_str(m, " answers the SYN of frame ");
		msg_info_uint(m, f->last_syn.number);
	} else {
		msg_info_str(m, "Connection reset: ");
		put_flags(m, d->packet.flags);
	}
	event_emit(d, m);
}

void event_flow_end(struct decoder *d, struct flow *f)
{
	if (f->retired || !f->syns || f->answered ||
	    !(d->opts.events & EVENT_SYN_UNANSWERED) || !d->opts.tcp_protocol)
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
		msg_info_str(m, " SYNs (frames ");
		msg_info_uint(m, f->first_syn.number);
		msg_info_str(m, " to ");
		msg_info_uint(m, f->last_syn.number);
		msg_info_str(m, "), no SYN-ACK nor RST came back");
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
