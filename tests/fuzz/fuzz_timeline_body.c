/* fuzz_timeline_body.c - libFuzzer harness: what tapline_body() reads
 * from a timeline (correlate/bodies.h), which a database edited by hand
 * makes hostile: the wire column of a message and of its request, its
 * verdict, endpoints and length, rendered to JSON.
 *
 * Input: a knob byte (bits 0-2: the verdict text, 3-4: the endpoints'
 * text, 5: a request, 6: a negative length, 7: the message's wire column
 * packed, against a dictionary of the request's bytes), two bytes of the
 * request's wire length N (big-endian), N bytes of the request's wire
 * column, the rest the message's.  Runs without libFuzzer through
 * tests/fuzz/replay.c.
 *
 * Corpus entries, tests/fuzz/corpus/timeline_body/: replies and calls of
 * the bundled session (examples/gfapi-utimens.pcap) as a timeline stores
 * them, in that layout (tests/fuzz/timeline-body-corpus.sh made them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/bodies.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const verdicts[] = {
		NULL, "truncated", "elided", "after-gap",
		"elided,after-gap", "malformed,truncated", "", ",elided,",
	};
	static const char *const endpoints[][2] = {
		{ "127.0.0.1:49152", "127.0.0.2:24007" },
		{ "[::1]:1", "[fe80::1]:65535" },
		{ "127.0.0.1", "[::1:2" },
		{ "1.2.3.4:99999", ":" },
	};
	static struct body_renderer *r;
	if (!r && !(r = body_renderer_new()))
		abort();
	if (size < 3)
		return 0;
	uint8_t knobs = data[0];
	size_t n = (size_t)data[1] << 8 | data[2];
	data += 3;
	size -= 3;
	if (n > size)
		n = size;
	const char *const *ep = endpoints[(knobs >> 3) & 3];
	struct body_row request = {
		.wire = data, .wire_len = n, .frame = 1, .first_frame = 1,
		.ts_ns = 1000, .src = ep[0], .dst = ep[1], .length = (int64_t)n,
		.verdict = verdicts[knobs & 7],
	};
	struct body_row row = {
		.wire = data + n, .wire_len = size - n, .frame = 2,
		.first_frame = 0, .ts_ns = 2000, .src = ep[1], .dst = ep[0],
		.length = knobs & 0x40 ? -1 : (int64_t)(size - n + knobs),
		.verdict = verdicts[(knobs >> 1) & 7],
		.packed = knobs & 0x80,
		.dict = data, .dict_len = n,
	};
	const char *json = NULL;
	size_t len = body_render(r, &row, knobs & 0x20 ? &request : NULL,
				 &json);
	/* One JSON object: what the views hand to json_tree(). */
	if (!len || json[0] != '{' || json[len - 1] != '}' ||
	    memchr(json, '\n', len))
		abort();
	return 0;
}
