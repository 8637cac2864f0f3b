/* events.c - connection events: what the TCP layer alone tells about a
 * connection (a SYN nobody answered, a reset that refused it, a reset
 * that ended it), as messages of the TCP protocol that every consumer
 * reads like any other: kind EVENT, exchange.op the event, the sender of
 * the packet that tells as the source. */
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
