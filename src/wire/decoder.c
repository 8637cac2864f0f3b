/* decoder.c - the wire pipeline: frame -> link -> IP -> TCP ->
 * reassembly -> protocol parsers -> the message consumer, with counters
 * for everything that did not make it through. */
#include "decoder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "ip.h"
#include "link.h"
#include "reassembly.h"
#include "tcp.h"

#define IPPROTO_TCP_ 6

void decoder_default_options(struct decoder_options *opts)
{
	*opts = (struct decoder_options){
		.max_memory = DECODER_DEFAULT_MEMORY,
		.max_record = 1u << 20,
	};
}

/* The caps left 0 become their fractions of max_memory. */
static void resolve_options(struct decoder_options *o)
{
	if (!o->max_memory)
		o->max_memory = DECODER_DEFAULT_MEMORY;
	if (!o->max_total_buffer)
		o->max_total_buffer = o->max_memory / 2;
	if (!o->max_flow_buffer)
		o->max_flow_buffer = o->max_memory / 10;
	if (!o->max_flows)
		o->max_flows = o->max_memory / 2560 > 16 ?
			       o->max_memory / 2560 : 16;
}

/* The budget's hook: waiting requests give way first. */
static bool reclaim_waiting(void *ctx, size_t want)
{
	struct decoder *d = ctx;
	return waiting_set_release(d->waiting, want) > 0;
}

static void request_expired(void *ctx, const struct waiting_table *t,
			    const struct waiting_request *r)
{
	struct decoder *d = ctx;
	d->stats.requests_expired++;
	if (d->on_expired) {
		struct decoder_expiry e = {
			.conversation = t->conversation,
			.exchange_id = r->id,
			.frame = r->frame,
			.ts_ns = r->ts_ns,
		};
		d->on_expired(d->user, &e);
	}
}

/* The decoder's own blocks, charged whatever the limit. */
static size_t fixed_cost(const struct decoder *d)
{
	return budget_alloc_size(sizeof *d) +
	       budget_alloc_size(sizeof *d->scratch) +
	       budget_alloc_size(d->ra.nbuckets * sizeof *d->ra.buckets);
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
	resolve_options(&d->opts);
	d->on_message = on_message;
	d->user = user;
	d->protos = d->opts.protocols;
	d->nprotos = d->opts.protocols ? d->opts.nprotocols : 0;
	budget_init(&d->budget, d->opts.max_memory, NULL);
	d->budget.reclaim = reclaim_waiting;
	d->budget.reclaim_ctx = d;
	budget_init(&d->buffers, d->opts.max_total_buffer, &d->budget);
	budget_init(&d->waiting_budget, d->opts.max_memory / 2, &d->budget);
	d->scratch = malloc(sizeof *d->scratch);
	d->waiting = waiting_set_new(&d->waiting_budget, request_expired, d);
	if (!d->scratch || !d->waiting || !reassembly_init(&d->ra, &d->opts)) {
		free(d->ra.buckets);
		waiting_set_free(d->waiting);
		free(d->scratch);
		free(d);
		return NULL;
	}
	budget_force(&d->budget, fixed_cost(d));
	msg_reset(d->scratch);
	return d;
}

void decoder_on_expired(struct decoder *d, decoder_expired_fn fn)
{
	d->on_expired = fn;
}

void decoder_on_segment(struct decoder *d, decoder_segment_fn fn)
{
	d->on_segment = fn;
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
		struct icmp_unreachable u;
		struct frame_ref ref = { frame->number, frame->ts_ns };
		if (icmp_unreachable_decode(&ip, &u) &&
		    reassembly_unreachable(d, family, ip.src, &u, &ref))
			s->icmp_unreachable++;
		else
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
	if (!d->opts.packets) {
		reassembly_segment(d, ip.src, ip.dst, family, &seg, &ref,
				   frame->wirelen);
		d->last = ref;
		return;
	}
	d->frame_shown = false;
	d->seg_conversation = 0;
	reassembly_segment(d, ip.src, ip.dst, family, &seg, &ref,
			   frame->wirelen);
	d->last = ref;
	if (!d->frame_shown && d->seg_conversation)
		event_packet(d, &seg);
}

void decoder_finish(struct decoder *d)
{
	/* what completes now completes in no segment */
	d->packet.valid = false;
	reassembly_finish(d, &d->last);
	d->stats.memory_peak = d->budget.peak;
	d->stats.memory_limit = d->budget.limit;
	d->stats.memory_refusals = d->budget.refused + d->buffers.refused +
				   d->waiting_budget.refused;
}

const struct decoder_stats *decoder_stats(const struct decoder *d)
{
	return &d->stats;
}

void decoder_reset(struct decoder *d)
{
	/* The stream protocols keep their state in the flows (per direction
	 * and per connection: ONC-RPC's waiting calls, detection bytes),
	 * freed with them; the registry's tables never change. */
	reassembly_reset(d);
	/* every table closed with its flow: the set can start again */
	waiting_set_reset(d->waiting);
	d->budget.peak = d->budget.used;
	d->buffers.peak = d->buffers.used;
	d->waiting_budget.peak = d->waiting_budget.used;
	d->budget.refused = d->buffers.refused = d->waiting_budget.refused = 0;
	memset(&d->stats, 0, sizeof d->stats);
	d->packet.valid = false;
	d->conversations = 0;
	d->last = (struct frame_ref){ 0, 0 };
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	reassembly_free(d);
	waiting_set_free(d->waiting);
	free(d->scratch);
	free(d);
}

void decoder_print_stats(const struct decoder_stats *s, FILE *out)
{
#define STAT(name) fprintf(out, "%-22s %" PRIu64 "\n", #name, s->name)
	STAT(frames); STAT(bytes); STAT(non_ip); STAT(non_tcp);
	STAT(icmp_unreachable);
	STAT(ip_fragments); STAT(bad_frames); STAT(truncated_frames);
	STAT(link_types_unknown);
	STAT(tcp_segments); STAT(tcp_retransmits); STAT(tcp_out_of_order);
	STAT(tcp_overlaps); STAT(tcp_gaps); STAT(tcp_gap_bytes);
	STAT(tcp_lost_segments); STAT(tcp_lost_first_frame);
	STAT(resync_skipped_bytes);
	STAT(flows); STAT(flows_evicted); STAT(buffer_drops);
	STAT(messages); STAT(malformed); STAT(truncated);
	STAT(requests); STAT(responses); STAT(unanswered);
	STAT(orphan_responses); STAT(requests_expired);
	STAT(memory_peak); STAT(memory_limit); STAT(memory_refusals);
#undef STAT
}
