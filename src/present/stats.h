/* stats.h - -z statistics over the messages shown, printed at the end.
 *
 *	srt[,PROTOCOL]                per protocol, service and operation:
 *	                              requests, responses, response times
 *	srt,PROTOCOL,FIELD            the same per value of FIELD too
 *	rpc,srt[,PROGRAM[,VERSION]]   per procedure: calls, replies, service
 *	                              response time min/p50/p90/p99/max/avg
 *	rpc,programs                  per program and version: the same
 *	rpc,unanswered                calls without a reply, one per line
 *	gluster,errors                GlusterFS replies with op_ret < 0, by
 *	                              errno name and procedure
 *	expert                        malformed/truncated/not-decoded... counts
 *	                              (and -Y matches stopped at a limit)
 *	conv,tcp                      per TCP connection: frames and bytes
 *	                              each way, start, duration (tshark's
 *	                              table; every segment, -Y or not)
 *
 * Memory is bounded whatever the input: percentiles come from a
 * log-linear histogram (exact below 64 ns, within 1/64 = 1.6% above),
 * tables have a fixed number of rows (the rest is counted as "other"),
 * and at most STATS_MAX_PENDING unanswered requests are remembered per
 * report: at worst 6 MiB per SRT report (12 KiB a row) and 10.8 MiB per
 * unanswered report (84 bytes a request); conv,tcp tables the first
 * STATS_MAX_CONVS connections (at most 8 MiB) and counts the segments
 * of later ones; stats_max_memory() says how much for the reports asked
 * for.
 */
#ifndef TAPLINE_STATS_H
#define TAPLINE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "wire/decoder.h"
#include "base/message.h"
#include "filter.h"

#define STATS_MAX_ROWS 512
#define STATS_MAX_PENDING (1u << 17)
#define STATS_MAX_CONVS (1u << 16)
/* srt,PROTO,FIELD: a value's text kept per row, at most */
#define STATS_KEY_MAX 200

struct stats;

struct stats *stats_new(void);
/* Adds one -z SPEC; false with a message in err when unknown. */
bool stats_add(struct stats *s, const char *spec, char *err, size_t errlen);
bool stats_enabled(const struct stats *s);
/* True when a requested report reads message bodies (op_ret, verdicts):
 * then the decoder must not decode header-only. */
bool stats_need_body(const struct stats *s);
/* The -Y text printed as "Filter:" in the reports (may be NULL). */
void stats_set_filter_text(struct stats *s, const char *filter);
void stats_message(struct stats *s, const struct message *m);
/* The values the -Y filter's "matches" stopped at a limit, for expert. */
void stats_set_regex_stops(struct stats *s,
			   const struct filter_regex_stops *stops);
/* The decoder gave up waiting for the response to the request of that
 * frame (its memory budget): unanswered and rpc,unanswered mark it
 * "[expired]".  It may come just before the request's own message (the
 * decoder had no room for it at all), which is then marked as it
 * comes. */
void stats_expired(struct stats *s, uint64_t conversation, uint64_t id,
		   uint64_t frame);
/* conv,tcp: every TCP segment (decoder_on_segment), -Y or not. */
bool stats_want_segments(const struct stats *s);
void stats_segment(struct stats *s, const struct decoder_segment *seg);
/* Relative start times count from *base (owned by the caller). */
void stats_set_time_base(struct stats *s, const int64_t *base);
/* The most memory the requested reports may hold, for the budget. */
size_t stats_max_memory(const struct stats *s);
/* Prints every requested report; ds (may be NULL) adds the decoder's own
 * counters where they apply. */
void stats_print(struct stats *s, FILE *out, const struct decoder_stats *ds);
void stats_free(struct stats *s);
/* Forgets every message counted; the reports asked for and the filter
 * text stay, and so does the memory (only what was used is cleared). */
void stats_reset(struct stats *s);

/* The list printed by -z help. */
void stats_help(FILE *out);

/* The histogram, exposed for tests: nearest-rank percentile (0..100) of
 * the values added, within 1.6%. */
struct histogram;
struct histogram *histogram_new(void);
void histogram_add(struct histogram *h, int64_t ns);
int64_t histogram_percentile(const struct histogram *h, double pct);
void histogram_free(struct histogram *h);

#endif
