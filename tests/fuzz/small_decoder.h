/* small_decoder.h - the decoder the capture harnesses share: tables so
 * small that eviction, buffer limits, elided records, forced gaps and
 * expired requests are reached by inputs of a few KiB; made once (its
 * message and flow table cost more than most inputs) and reset after
 * each input. */
#ifndef TAPLINE_FUZZ_SMALL_DECODER_H
#define TAPLINE_FUZZ_SMALL_DECODER_H

#include <stdlib.h>

#include "proto/registry.h"
#include "wire/decoder.h"

static inline void small_decoder_options(struct decoder_options *opts,
					 bool packets)
{
	struct decoder_options o;
	registry_decoder_options(&o);
	o.max_flows = 8;
	o.max_flow_buffer = 64 * 1024;
	o.max_total_buffer = 256 * 1024;
	o.max_record = 64 * 1024;
	/* Beyond the decoder's fixed blocks (the scratch message, ~230
	 * KiB) room for a few flows and a thousand waiting requests: the
	 * oldest expire and flows go for lack of memory on inputs of a few
	 * KiB. */
	o.max_memory = 320 * 1024;
	/* the connection-event path too; outside packet view the
	 * handshake's events as well, as the correlator asks for them */
	o.events = EVENT_PROBLEMS | (packets ? 0 : EVENT_HANDSHAKE);
	o.packets = packets;		/* packet view: every TCP frame */
	*opts = o;
}

static inline struct decoder *small_decoder_from(const struct decoder_options *o,
						 decoder_message_fn fn,
						 void *user)
{
	struct decoder *d = decoder_new(o, fn, user);
	if (!d)
		abort();
	return d;
}

static inline struct decoder *small_decoder_new(decoder_message_fn fn,
						void *user, bool packets)
{
	struct decoder_options o;
	small_decoder_options(&o, packets);
	return small_decoder_from(&o, fn, user);
}

#endif
