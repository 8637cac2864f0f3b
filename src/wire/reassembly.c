/* reassembly.c - TCP connections: a flow table hashed by the 4-tuple
 * with LRU eviction (closed connections linger there as small entries
 * until their tuple is reused or evicted), and per-direction reassembly
 * into in-order bytes.
 *
 * Out-of-order data waits in a sorted list of disjoint segments; where
 * bytes overlap, the first copy seen wins.  A hole is given up (a gap,
 * reported once) when the receiver acknowledged past it, when the
 * direction closes, or when the out-of-order buffers reach their caps.
 * Stream offsets are 64-bit counts from the first byte seen, so sequence
 * numbers wrap freely.
 */
#include "reassembly.h"

#include "icmp.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUCKETS (1u << 20)
#define MAX_WINDOW (1 << 30)	/* further ahead than this: not this stream */

/* A 64-bit finalizer (murmur3's fmix64): every input bit moves about
 * half the output bits. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* Word at a time: this runs for every segment. */
static uint64_t endpoint_hash(const uint8_t *addr, int family, uint16_t port)
{
	uint64_t key;
	if (family == 6) {
		uint64_t lo, hi;
		memcpy(&lo, addr, 8);
		memcpy(&hi, addr + 8, 8);
		key = mix64(lo) ^ hi;
	} else {
		uint32_t v4;
		memcpy(&v4, addr, 4);
		key = v4;
	}
	return mix64(key ^ (uint64_t)port << 48);
}

/* The same for both directions of a connection (a sum commutes). */
static uint32_t flow_hash(const uint8_t *a, uint16_t pa, const uint8_t *b,
			  uint16_t pb, int family)
{
	uint64_t h = endpoint_hash(a, family, pa) + endpoint_hash(b, family, pb);
	return (uint32_t)(h ^ h >> 32);
}

bool reassembly_init(struct reassembly *ra, const struct decoder_options *o)
{
	memset(ra, 0, sizeof *ra);
	size_t want = o->max_flows < 16 ? 16 : o->max_flows;
	ra->nbuckets = 16;
	while (ra->nbuckets < want && ra->nbuckets < MAX_BUCKETS)
		ra->nbuckets <<= 1;
	ra->buckets = calloc(ra->nbuckets, sizeof *ra->buckets);
	return ra->buckets != NULL;
}

static size_t flow_cost(const struct flow *f)
{
	return budget_alloc_size(f->retired ? FLOW_RETIRED_SIZE
					    : sizeof(struct flow));
}

static size_t segment_cost(size_t len)
{
	return budget_alloc_size(sizeof(struct ooo_segment) + len);
}

static void lru_unlink(struct reassembly *ra, struct flow *f)
{
	if (f->lru_prev)
		f->lru_prev->lru_next = f->lru_next;
	else
		ra->lru_head = f->lru_next;
	if (f->lru_next)
		f->lru_next->lru_prev = f->lru_prev;
	else
		ra->lru_tail = f->lru_prev;
	f->lru_prev = f->lru_next = NULL;
}

static void lru_push(struct reassembly *ra, struct flow *f)
{
	f->lru_prev = NULL;
	f->lru_next = ra->lru_head;
	if (ra->lru_head)
		ra->lru_head->lru_prev = f;
	ra->lru_head = f;
	if (!ra->lru_tail)
		ra->lru_tail = f;
}

static void listener_add(struct reassembly *ra, int family,
			 const uint8_t addr[16], uint16_t port)
{
	size_t n = ra->nlisteners < 256 ? ra->nlisteners : 256;
	for (size_t i = 0; i < n; i++) {
		struct listener *l = &ra->listeners[i];
		if (l->port == port && l->family == family &&
		    !memcmp(l->addr, addr, 16))
			return;
	}
	struct listener *l = &ra->listeners[ra->nlisteners++ % 256];
	l->family = (uint8_t)family;
	l->port = port;
	memcpy(l->addr, addr, 16);
}

static bool listener_known(const struct reassembly *ra, int family,
			   const uint8_t addr[16], uint16_t port)
{
	size_t n = ra->nlisteners < 256 ? ra->nlisteners : 256;
	for (size_t i = 0; i < n; i++) {
		const struct listener *l = &ra->listeners[i];
		if (l->port == port && l->family == family &&
		    !memcmp(l->addr, addr, 16))
			return true;
	}
	return false;
}

static struct flow *flow_lookup(struct reassembly *ra, uint32_t hash,
				int family, const uint8_t src[16],
				uint16_t sport, const uint8_t dst[16],
				uint16_t dport, int *dir)
{
	for (struct flow *f = ra->buckets[hash & (ra->nbuckets - 1)]; f;
	     f = f->hash_next) {
		const struct flow_key *k = &f->key;
		if (f->hash != hash || k->family != family)
			continue;
		if (k->port[0] == sport && k->port[1] == dport &&
		    !memcmp(k->addr[0], src, 16) && !memcmp(k->addr[1], dst, 16)) {
			*dir = 0;
			return f;
		}
		if (k->port[0] == dport && k->port[1] == sport &&
		    !memcmp(k->addr[0], dst, 16) && !memcmp(k->addr[1], src, 16)) {
			*dir = 1;
			return f;
		}
	}
	return NULL;
}

/* The frame a direction's next bytes or gap are reported in: `frame`,
 * or the latest whose bytes it delivered when that is later (bytes
 * behind a hole that was given up come in stream order, their frames in
 * any): what completes with them completes no earlier than its bytes
 * came, never before it began. */
static const struct frame_ref *not_before_latest(struct tcp_dir *t,
						  const struct frame_ref *frame)
{
	return frame->number < t->latest.number ? &t->latest : frame;
}

static void gap(struct decoder *d, struct tcp_dir *t, uint64_t missing,
		const struct frame_ref *frame)
{
	frame = not_before_latest(t, frame);
	d->stats.tcp_gaps++;
	d->stats.tcp_gap_bytes += missing;
	t->sd.bytes_seen = t->offset;
	stream_gap(t, missing, frame);
	t->offset += missing;
	t->sd.bytes_seen = t->offset;
}

static void deliver(struct tcp_dir *t, const uint8_t *data, size_t len,
		    const struct frame_ref *frame)
{
	frame = not_before_latest(t, frame);
	t->latest = *frame;
	t->sd.bytes_seen = t->offset;
	stream_data(t, data, len, frame);
	t->offset += len;
	t->sd.bytes_seen = t->offset;
}

static void segment_free(struct decoder *d, struct tcp_dir *t,
			 struct ooo_segment *s)
{
	size_t cost = segment_cost(s->len);
	if (t->ooo_last == s)
		t->ooo_last = NULL;
	t->ooo_bytes -= cost;
	budget_release(&d->buffers, cost);
	free(s);
}

/* Delivers queued segments that the stream has reached: as bytes of
 * `frame`, the segment that filled the hole before them, so that what
 * completes now is reported where it completed (tshark's habit); NULL
 * (the hole was given up): each as bytes of the frame it came in
 * (deliver() keeps them no earlier than the bytes before them). */
static void drain(struct decoder *d, struct tcp_dir *t,
		  const struct frame_ref *frame)
{
	struct ooo_segment *s;
	while ((s = t->ooo) && s->off <= t->offset) {
		t->ooo = s->next;
		if (s->off + s->len > t->offset) {
			size_t skip = (size_t)(t->offset - s->off);
			deliver(t, s->data + skip, s->len - skip,
				frame ? frame : &s->frame);
		}
		segment_free(d, t, s);
	}
}

/* Gives up the hole before the first queued segment. */
static void flush_one(struct decoder *d, struct tcp_dir *t)
{
	struct ooo_segment *s = t->ooo;
	gap(d, t, s->off - t->offset, &s->frame);
	drain(d, t, NULL);
}

/* Queues the uncovered parts of [off, off+len); false when the caps
 * leave no room (for all of it: some parts may be queued).  Each part
 * is charged with its header, so that many small segments cannot hold
 * more than their caps say. */
static bool queue(struct decoder *d, struct tcp_dir *t, uint64_t off,
		  const uint8_t *data, size_t len,
		  const struct frame_ref *frame)
{
	if (t->ooo_bytes + segment_cost(len) > d->opts.max_flow_buffer)
		return false;
	struct ooo_segment **pp = &t->ooo;
	uint64_t cur = off, end = off + len;
	/* Segments after a hole mostly come in order: start after the one
	 * queued last when it ends before these bytes (all before it do
	 * too), not at the head, so that a long wait costs its segments'
	 * number, not its square. */
	if (t->ooo_last && t->ooo_last->off + t->ooo_last->len <= cur)
		pp = &t->ooo_last->next;
	while (cur < end) {
		while (*pp && (*pp)->off + (*pp)->len <= cur)
			pp = &(*pp)->next;
		struct ooo_segment *next = *pp;
		if (next && next->off <= cur) {
			/* already there: the first copy wins */
			d->stats.tcp_overlaps++;
			cur = next->off + next->len;
			continue;
		}
		uint64_t piece_end = next && next->off < end ? next->off : end;
		size_t n = (size_t)(piece_end - cur);
		size_t cost = segment_cost(n);
		if (!budget_charge(&d->buffers, cost))
			return false;
		struct ooo_segment *s = malloc(sizeof *s + n);
		if (!s) {
			budget_release(&d->buffers, cost);
			d->stats.buffer_drops++;
			return true;
		}
		s->off = cur;
		s->len = (uint32_t)n;
		s->frame = *frame;
		memcpy(s->data, data + (cur - off), n);
		s->next = next;
		*pp = s;
		pp = &s->next;
		t->ooo_last = s;
		t->ooo_bytes += cost;
		cur = piece_end;
	}
	return true;
}

/* Payload of one segment: `len` bytes captured of `wire_len` sent. */
static void dir_data(struct decoder *d, struct tcp_dir *t, uint32_t seq,
		     const uint8_t *data, size_t len, size_t wire_len,
		     const struct frame_ref *frame)
{
	bool counted = false;
	for (;;) {
		uint32_t next_seq = t->base_seq + (uint32_t)t->offset;
		int64_t rel = (int32_t)(seq - next_seq);
		int64_t off = (int64_t)t->offset + rel;
		if (off + (int64_t)wire_len <= (int64_t)t->offset) {
			d->stats.tcp_retransmits++;
			d->packet.analysis |= PACKET_RETRANSMISSION;
			return;
		}
		if (off < (int64_t)t->offset) {
			/* partly seen: keep only what is new */
			size_t skip = (size_t)((int64_t)t->offset - off);
			d->stats.tcp_overlaps++;
			data += skip < len ? skip : len;
			len = skip < len ? len - skip : 0;
			wire_len -= skip;
			seq += (uint32_t)skip;
			off = (int64_t)t->offset;
		}
		if (off == (int64_t)t->offset) {
			size_t n = len, w = wire_len;
			if (t->ooo && t->ooo->off < t->offset + w) {
				/* queued bytes came first: they win */
				size_t limit = (size_t)(t->ooo->off - t->offset);
				d->stats.tcp_overlaps++;
				w = limit;
				n = n < limit ? n : limit;
			}
			if (n)
				deliver(t, data, n, frame);
			if (w > n)	/* not captured (snap length) */
				gap(d, t, w - n, frame);
			drain(d, t, frame);
			return;
		}
		if (rel > MAX_WINDOW) {
			d->stats.bad_frames++;
			return;
		}
		if (len == 0)
			return;	/* nothing captured to keep */
		if (!counted) {
			d->stats.tcp_out_of_order++;
			counted = true;
		}
		if (queue(d, t, (uint64_t)off, data, len, frame))
			return;
		/* No room: give up the oldest hole, then try again. */
		d->stats.buffer_drops++;
		if (t->ooo)
			flush_one(d, t);
		else
			gap(d, t, (uint64_t)off - t->offset, frame);
	}
}

static void close_dir(struct decoder *d, struct tcp_dir *t,
		      const struct frame_ref *frame)
{
	if (t->closed)
		return;
	while (t->ooo)
		flush_one(d, t);
	if (t->fin_seen && t->fin_off > t->offset)
		gap(d, t, t->fin_off - t->offset, frame);
	t->closed = true;
	stream_close(t, frame);
}

static void flow_free(struct decoder *d, struct flow *f)
{
	struct reassembly *ra = &d->ra;
	struct flow **pp = &ra->buckets[f->hash & (ra->nbuckets - 1)];
	while (*pp && *pp != f)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = f->hash_next;
	lru_unlink(ra, f);
	ra->nflows--;
	if (!f->retired) {
		ra->nlive--;
		stream_destroy_flow(f);
		for (int i = 0; i < 2; i++)
			while (f->dir[i].ooo) {
				struct ooo_segment *s = f->dir[i].ooo;
				f->dir[i].ooo = s->next;
				segment_free(d, &f->dir[i], s);
			}
	}
	budget_release(&d->budget, flow_cost(f));
	free(f);
}

/* Both directions are closed: protocol state and buffers go now, and
 * the entry shrinks to its 4-tuple.  It stays (until a new SYN on the
 * tuple, or eviction) so that late ACKs and retransmissions after
 * FIN/RST are recognised and conversations are numbered like tshark's
 * tcp.stream.  f is invalid afterwards (it may move). */
static void flow_retire(struct decoder *d, struct flow *f)
{
	struct reassembly *ra = &d->ra;
	stream_destroy_flow(f);
	budget_release(&d->budget, flow_cost(f));
	f->retired = true;
	budget_force(&d->budget, flow_cost(f));
	ra->nlive--;
	/* The pointers to f, to redirect should realloc move it. */
	struct flow **before = f->lru_prev ? &f->lru_prev->lru_next
					   : &ra->lru_head;
	struct flow **after = f->lru_next ? &f->lru_next->lru_prev
					  : &ra->lru_tail;
	struct flow **chain = &ra->buckets[f->hash & (ra->nbuckets - 1)];
	while (*chain && *chain != f)
		chain = &(*chain)->hash_next;
	struct flow *g = realloc(f, FLOW_RETIRED_SIZE);
	if (!g || g == f)
		return;
	*before = g;
	*after = g;
	if (*chain)
		*chain = g;
}

static void flow_close(struct decoder *d, struct flow *f,
		       const struct frame_ref *frame)
{
	close_dir(d, &f->dir[0], frame);
	close_dir(d, &f->dir[1], frame);
}

/* Ends a flow for good: closes it if still live, and frees it. */
static void flow_drop(struct decoder *d, struct flow *f,
		      const struct frame_ref *frame)
{
	if (!f->retired) {
		flow_close(d, f, frame);
		event_flow_end(d, f);
	}
	flow_free(d, f);
}

static void endpoint_set(struct endpoint *e, int family, const uint8_t a[16],
			 uint16_t port)
{
	e->family = (uint8_t)family;
	memcpy(e->addr, a, 16);
	e->port = port;
}

/* The least recently active flow goes. */
static void evict(struct decoder *d, const struct frame_ref *frame)
{
	struct flow *old = d->ra.lru_tail;
	if (!old->retired)
		d->stats.flows_evicted++;
	flow_drop(d, old, frame);
}

static struct flow *flow_new(struct decoder *d, uint32_t hash, int family,
			     const uint8_t src[16], const uint8_t dst[16],
			     const struct tcp_segment *seg,
			     const struct frame_ref *frame)
{
	struct reassembly *ra = &d->ra;
	size_t max = d->opts.max_flows ? d->opts.max_flows : 1;
	while (ra->nflows >= max && ra->lru_tail)
		evict(d, frame);
	/* Room in the budget: the oldest waiting requests expire first
	 * (its hook), then the least recently active flows go. */
	size_t cost = budget_alloc_size(sizeof(struct flow));
	while (!budget_charge(&d->budget, cost + FLOW_HEADROOM)) {
		if (!ra->lru_tail) {
			budget_force(&d->budget, cost + FLOW_HEADROOM);
			break;
		}
		evict(d, frame);
	}
	budget_release(&d->budget, FLOW_HEADROOM);
	struct flow *f = calloc(1, sizeof *f);
	if (!f) {
		budget_release(&d->budget, cost);
		d->stats.buffer_drops++;
		return NULL;
	}
	f->hash = hash;
	f->key.family = (uint8_t)family;
	f->key.port[0] = seg->sport;
	f->key.port[1] = seg->dport;
	memcpy(f->key.addr[0], src, 16);
	memcpy(f->key.addr[1], dst, 16);

	/* Who is the client: the SYN says; mid-stream, a listener seen
	 * before, else the lower port serves (a protocol may correct this
	 * with stream_set_client). */
	bool src_client;
	uint8_t syn_ack = seg->flags & (TCP_SYN | TCP_ACK);
	if (syn_ack == TCP_SYN) {
		src_client = true;
	} else if (syn_ack == (TCP_SYN | TCP_ACK)) {
		src_client = false;
	} else {
		f->roles_guessed = true;
		if (listener_known(ra, family, dst, seg->dport))
			src_client = true;
		else if (listener_known(ra, family, src, seg->sport))
			src_client = false;
		else
			src_client = seg->sport > seg->dport ||
				     (seg->sport == seg->dport &&
				      memcmp(src, dst, 16) > 0);
	}
	uint64_t conv = ++d->conversations;
	f->conversation = conv;
	f->syn_shift[0] = f->syn_shift[1] = -2;
	for (int i = 0; i < 2; i++) {
		struct tcp_dir *t = &f->dir[i];
		t->flow = f;
		t->sd.decoder = d;
		t->sd.conversation = conv;
		endpoint_set(&t->sd.src, family, f->key.addr[i], f->key.port[i]);
		endpoint_set(&t->sd.dst, family, f->key.addr[!i],
			     f->key.port[!i]);
		t->sd.client_to_server = i == 0 ? src_client : !src_client;
		t->sd.peer = &f->dir[!i].sd;
	}
	struct flow **bucket = &ra->buckets[hash & (ra->nbuckets - 1)];
	f->hash_next = *bucket;
	*bucket = f;
	lru_push(ra, f);
	ra->nflows++;
	ra->nlive++;
	d->stats.flows++;
	return f;
}

/* The peer acknowledged up to `ack`: holes before it will never be
 * filled (the receiver has the bytes, the capture lost them). */
static void acked(struct decoder *d, struct tcp_dir *p, uint32_t ack,
		  const struct frame_ref *frame)
{
	if (!p->have_seq || p->closed)
		return;
	uint32_t next_seq = p->base_seq + (uint32_t)p->offset;
	int64_t rel = (int32_t)(ack - next_seq);
	if (rel <= 0)
		return;
	uint64_t ack_off = p->offset + (uint64_t)rel;
	while (p->ooo && p->ooo->off <= ack_off)
		flush_one(d, p);
	if (p->fin_seen && ack_off > p->fin_off)
		close_dir(d, p, frame);
}

/* Sequence numbers relative to each direction's first, as tshark shows
 * them: the SYN is 0, the first byte after it 1; a direction whose
 * start was not seen counts from one before the first number seen of
 * it, in its own segment or in an acknowledgement of the peer. */
static inline void packet_relative(struct decoder *d, struct flow *f,
				   int i, const struct tcp_segment *seg)
{
	if (!f->isn_known[i]) {
		f->isn[i] = seg->seq - !(seg->flags & TCP_SYN);
		f->isn_known[i] = true;
	}
	d->packet.seq = seg->seq - f->isn[i];
	if (seg->flags & TCP_ACK) {
		if (!f->isn_known[!i]) {
			f->isn[!i] = seg->ack - 1;
			f->isn_known[!i] = true;
		}
		d->packet.ack = seg->ack - f->isn[!i];
	}
}

/* The segment's connection, for packet view and -z conv,tcp (only
 * then: this runs for every segment); the
 * window scale applies once both SYNs were seen (RFC 7323: only when
 * both offered it). */
static void segment_seen(struct decoder *d, const struct flow *f, int i,
			 const struct frame_ref *frame, uint32_t frame_len)
{
	d->seg_conversation = f->conversation;
	/* a known protocol, or bytes still held to find one */
	d->seg_decoded = !f->retired &&
			 (f->proto || f->dir[i].detect == DETECTING);
	d->seg_shift = -1;
	if (f->syn_shift[0] != -2 && f->syn_shift[1] != -2)
		d->seg_shift = f->syn_shift[0] >= 0 && f->syn_shift[1] >= 0 ?
			       f->syn_shift[i] : 0;
	endpoint_set(&d->seg_src, f->key.family, f->key.addr[i],
		     f->key.port[i]);
	endpoint_set(&d->seg_dst, f->key.family, f->key.addr[!i],
		     f->key.port[!i]);
	if (d->on_segment) {
		struct decoder_segment s = {
			.conversation = f->conversation,
			.frame = frame->number, .ts_ns = frame->ts_ns,
			.frame_len = frame_len,
			.src = &d->seg_src, .dst = &d->seg_dst,
		};
		d->on_segment(d->user, &s);
	}
}

/* tcp.analysis.lost_segment: the segment starts beyond the sequence
 * number after the furthest one its sender was seen to use, so the
 * capture missed what lies between (as tshark, pure ACKs included). */
static inline void lost_check(struct decoder *d, struct tcp_dir *t,
			      const struct tcp_segment *seg)
{
	if (seg->flags & TCP_RST)
		return;
	if (t->have_next_seq && (int32_t)(seg->seq - t->next_seq) > 0) {
		if (!d->stats.tcp_lost_segments++)
			d->stats.tcp_lost_first_frame = d->packet_frame;
		d->packet.analysis |= PACKET_LOST_SEGMENT;
	}
	uint32_t end = seg->seq + (uint32_t)seg->wire_len +
		       !!(seg->flags & TCP_SYN) + !!(seg->flags & TCP_FIN);
	if (!t->have_next_seq || (int32_t)(end - t->next_seq) > 0) {
		t->next_seq = end;
		t->have_next_seq = true;
	}
}

void reassembly_segment(struct decoder *d, const uint8_t src[16],
			const uint8_t dst[16], int family,
			const struct tcp_segment *seg,
			const struct frame_ref *frame, uint32_t frame_len)
{
	struct reassembly *ra = &d->ra;
	uint8_t flags = seg->flags;
	d->packet = (struct packet_info){
		.valid = true, .flags = flags, .window = seg->window,
		.len = (uint32_t)seg->wire_len, .seq = seg->seq,
	};
	d->packet_frame = frame->number;
	uint32_t hash = flow_hash(src, seg->sport, dst, seg->dport, family);
	int i = 0;
	struct flow *f = flow_lookup(ra, hash, family, src, seg->sport, dst,
				     seg->dport, &i);

	if (f && (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    (f->retired || (f->dir[i].have_seq &&
			    seg->seq + 1 != f->dir[i].base_seq))) {
		/* The 4-tuple is used again by a new connection. */
		flow_drop(d, f, frame);
		f = NULL;
	}
	if (f && f->retired) {
		/* after FIN/RST: late ACKs, retransmissions (of data or
		 * of the FIN) */
		if (d->opts.packets || d->on_segment)
			segment_seen(d, f, i, frame, frame_len);
		packet_relative(d, f, i, seg);
		if (seg->wire_len || (flags & TCP_FIN)) {
			d->stats.tcp_retransmits++;
			d->packet.analysis |= PACKET_RETRANSMISSION;
		}
		if (ra->lru_head != f) {
			lru_unlink(ra, f);
			lru_push(ra, f);
		}
		return;
	}
	if (!f) {
		/* Every new 4-tuple is a conversation, even one that only
		 * shows ACKs or a RST (tshark numbers them too).  A SYN
		 * marks its destination as a listener before the guess. */
		if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			listener_add(ra, family, dst, seg->dport);
		f = flow_new(d, hash, family, src, dst, seg, frame);
		if (!f)
			return;
		i = 0;
	} else if (ra->lru_head != f) {
		lru_unlink(ra, f);
		lru_push(ra, f);
		if ((flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			listener_add(ra, family, dst, seg->dport);
	}

	struct tcp_dir *t = &f->dir[i], *peer = &f->dir[!i];
	if ((flags & TCP_SYN) && f->syn_shift[i] == -2) {
		struct tcp_options opts;
		f->syn_shift[i] = (int8_t)tcp_options_parse(seg->options,
							    seg->options_len,
							    &opts);
	}
	if (d->opts.packets || d->on_segment)
		segment_seen(d, f, i, frame, frame_len);
	packet_relative(d, f, i, seg);
	lost_check(d, t, seg);
	if (flags & TCP_RST) {
		flow_close(d, f, frame);
		event_reset(d, f, i, frame);
		flow_retire(d, f);
		return;
	}
	bool first_answer = f->syns && i != f->syn_dir && !f->answered;
	if (f->syns && i != f->syn_dir)
		f->answered = true;
	uint32_t data_seq = seg->seq;
	if (flags & TCP_SYN) {
		data_seq++;	/* the SYN takes one sequence number */
		if (!t->have_seq) {
			t->have_seq = true;
			t->base_seq = data_seq;
			t->at_start = true;
		} else if (data_seq == t->base_seq) {
			/* the same SYN (or SYN-ACK) again */
			d->stats.tcp_retransmits++;
			d->packet.analysis |= PACKET_RETRANSMISSION;
		}
		if ((flags & TCP_SYN_ACK) == TCP_SYN &&
		    (!f->syns || f->syn_dir == i)) {
			if (!f->syns++) {
				f->syn_dir = (uint8_t)i;
				f->first_syn = *frame;
			}
			f->last_syn = *frame;
			f->last_syn_packet = d->packet;
			event_syn(d, f, i, frame);
		} else if ((flags & TCP_SYN_ACK) == TCP_SYN_ACK &&
			   first_answer) {
			event_established(d, f, i, frame);
		}
	}
	if (!t->have_seq && (seg->wire_len || (flags & TCP_FIN))) {
		/* The capture began inside the connection. */
		t->have_seq = true;
		t->base_seq = data_seq;
		t->at_start = false;
	}
	/* The ACK first: the sender had the peer's bytes up to it before
	 * it sent this segment, so holes it settles are given up before
	 * this data is handed on (a reply never overtakes its call). */
	if (flags & TCP_ACK)
		acked(d, peer, seg->ack, frame);
	if (t->closed) {
		if (seg->wire_len || (flags & TCP_FIN)) {
			d->stats.tcp_retransmits++;
			d->packet.analysis |= PACKET_RETRANSMISSION;
		}
	} else if (t->have_seq) {
		if (seg->wire_len)
			dir_data(d, t, data_seq, seg->payload, seg->len,
				 seg->wire_len, frame);
		if ((flags & TCP_FIN) && !t->fin_seen) {
			uint32_t fin_seq = data_seq + (uint32_t)seg->wire_len;
			int64_t rel = (int32_t)(fin_seq -
				(t->base_seq + (uint32_t)t->offset));
			if (rel >= 0) {
				t->fin_seen = true;
				t->fin_off = t->offset + (uint64_t)rel;
			}
		}
		if (t->fin_seen && !t->ooo && t->offset >= t->fin_off)
			close_dir(d, t, frame);
	}
	if (t->closed && peer->closed)
		flow_retire(d, f);
}

bool reassembly_unreachable(struct decoder *d, int family,
			    const uint8_t from[16],
			    const struct icmp_unreachable *u,
			    const struct frame_ref *frame)
{
	int i = 0;
	struct flow *f = flow_lookup(&d->ra, flow_hash(u->src, u->sport, u->dst,
						       u->dport, family),
				     family, u->src, u->sport, u->dst, u->dport,
				     &i);
	if (!f || f->retired)
		return false;
	if (f->syns && !f->answered && i == f->syn_dir) {
		f->unreachables++;
		f->unreachable_type = u->type;
		f->unreachable_code = u->code;
		memcpy(f->unreachable_from, from, 16);
		f->last_unreachable = *frame;
	} else {
		event_unreachable(d, f, i, u, family, from, frame);
	}
	return true;
}

void reassembly_finish(struct decoder *d, const struct frame_ref *last)
{
	/* The least recently active first: what the flows still have to
	 * tell comes out in about the order it happened. */
	while (d->ra.lru_tail)
		flow_drop(d, d->ra.lru_tail, last);
}

void reassembly_reset(struct decoder *d)
{
	/* flow_free gives back every buffered byte: total_buffer is 0 after
	 * (tests/unit/wire_reassembly_test.c checks it). */
	while (d->ra.lru_head)
		flow_free(d, d->ra.lru_head);
	d->ra.nlisteners = 0;
}

void reassembly_free(struct decoder *d)
{
	/* Without closing: the consumer may be gone. */
	while (d->ra.lru_head)
		flow_free(d, d->ra.lru_head);
	free(d->ra.buckets);
	d->ra.buckets = NULL;
}
