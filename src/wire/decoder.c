/* decoder.c - the wire pipeline: frame -> link -> IP -> TCP ->
 * reassembly -> protocol parsers -> the message consumer, with counters
 * for everything that did not make it through. */
#include "decoder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "link.h"
#include "reassembly.h"
#include "tcp.h"

#define IPPROTO_TCP_ 6

/* The protocols found by content, in the order they are tried. */
static const struct stream_proto *const default_protos[] = {
	&rpc_stream_proto,
	NULL,
};

void decoder_default_options(struct decoder_options *opts)
{
	opts->max_record = 1u << 20;
	opts->max_flow_buffer = 4u << 20;
	opts->max_total_buffer = 24u << 20;
	opts->max_flows = 16384;
	opts->no_summary = false;
	opts->header_only = false;
}

struct decoder *decoder_new(const struct decoder_options *opts,
			    decoder_message_fn on_message, void *user)
{
	struct decoder *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	if (opts)
		d->opts = *opts;
	else
		decoder_default_options(&d->opts);
	d->on_message = on_message;
	d->user = user;
	d->protos = default_protos;
	d->nprotos = 0;
	while (default_protos[d->nprotos])
		d->nprotos++;
	d->scratch = malloc(sizeof *d->scratch);
	if (!d->scratch || !reassembly_init(&d->ra, &d->opts)) {
		free(d->scratch);
		free(d);
		return NULL;
	}
	msg_reset(d->scratch);
	return d;
}

void decoder_set_protocols(struct decoder *d,
			   const struct stream_proto *const *protos, size_t n)
{
	d->protos = protos;
	d->nprotos = n;
}

void decoder_frame(struct decoder *d, const struct capture_frame *frame)
{
	struct decoder_stats *s = &d->stats;
	s->frames++;
	s->bytes += frame->caplen;

	size_t l3 = 0;
	int family = 0;
	switch (link_decode(frame->linktype, frame->data, frame->caplen, &l3,
			    &family)) {
	case LINK_IP:
		break;
	case LINK_TRUNCATED:
		s->truncated_frames++;
		return;
	case LINK_UNSUPPORTED:
		s->link_types_unknown++;
		return;
	default:
		s->non_ip++;
		return;
	}

	struct ip_packet ip;
	switch (ip_decode(family, frame->data + l3, frame->caplen - l3, &ip)) {
	case IP_OK:
		break;
	case IP_TRUNCATED:
		s->truncated_frames++;
		return;
	case IP_FRAGMENT:
		s->ip_fragments++;
		return;
	case IP_UNSUPPORTED:
		s->non_tcp++;
		return;
	default:
		s->bad_frames++;
		return;
	}
	if (ip.protocol != IPPROTO_TCP_) {
		s->non_tcp++;
		return;
	}

	struct tcp_segment seg;
	switch (tcp_decode(ip.payload, ip.payload_len, ip.payload_wire_len,
			   &seg)) {
	case TCP_OK:
		break;
	case TCP_TRUNCATED:
		s->truncated_frames++;
		return;
	default:
		s->bad_frames++;
		return;
	}
	s->tcp_segments++;
	if (seg.wire_len > seg.len)
		s->truncated_frames++;
	struct frame_ref ref = { frame->number, frame->ts_ns };
	reassembly_segment(d, ip.src, ip.dst, family, &seg, &ref);
	d->last = ref;
}

void decoder_finish(struct decoder *d)
{
	reassembly_finish(d, &d->last);
}

const struct decoder_stats *decoder_stats(const struct decoder *d)
{
	return &d->stats;
}

void decoder_reset(struct decoder *d)
{
	reassembly_reset(d);
	memset(&d->stats, 0, sizeof d->stats);
	d->conversations = 0;
	d->last = (struct frame_ref){ 0, 0 };
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	reassembly_free(d);
	free(d->scratch);
	free(d);
}

void decoder_print_stats(const struct decoder_stats *s, FILE *out)
{
#define STAT(name) fprintf(out, "%-22s %" PRIu64 "\n", #name, s->name)
	STAT(frames); STAT(bytes); STAT(non_ip); STAT(non_tcp);
	STAT(ip_fragments); STAT(bad_frames); STAT(truncated_frames);
	STAT(link_types_unknown);
	STAT(tcp_segments); STAT(tcp_retransmits); STAT(tcp_out_of_order);
	STAT(tcp_overlaps); STAT(tcp_gaps); STAT(tcp_gap_bytes);
	STAT(resync_skipped_bytes);
	STAT(flows); STAT(flows_evicted); STAT(buffer_drops);
	STAT(messages); STAT(malformed); STAT(truncated);
	STAT(rpc_calls); STAT(rpc_replies); STAT(rpc_unanswered);
	STAT(rpc_orphan_replies);
#undef STAT
}
