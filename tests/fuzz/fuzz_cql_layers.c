/* fuzz_cql_layers.c - libFuzzer harness for the CQL layers that stand on
 * their own: the first byte chooses
 *   0: type spec + cells   [version][spec length u16][spec][cells as [bytes]...]
 *   1: body decompression  [algorithm][body]      (lz4 / snappy, two buffer sizes)
 *   2: v5 lz4 block        [uncompressed length u24][block]
 *   3: v5 segments         [lz4?][segment bytes...] walked as a reader would
 *   4: frame headers       [strict?][bytes...] walked header by header
 * Decompression is bounded by the buffers (1 MiB and 64 KiB): a bomb costs
 * nothing.  Runs without libFuzzer through tests/fuzz/replay.c.
 *
 * Corpus, tests/fuzz/corpus/cql_layers/: cells and bodies from the lab's
 * captures (tests/captures/cql) and the unit test's vectors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/cql/compress.h"
#include "proto/cql/frame.h"
#include "proto/cql/notation.h"
#include "proto/cql/segment.h"
#include "proto/cql/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cql_type_tree tree;
static uint8_t out[1 << 20];
static char text[4096];

static void cells(const uint8_t *p, size_t n)
{
	if (n < 3)
		return;
	unsigned version = p[0] % 6;
	size_t spec_len = (size_t)p[1] << 8 | p[2];
	p += 3;
	n -= 3;
	if (spec_len > n)
		spec_len = n;
	struct cursor c = cursor_init(p, spec_len);
	cql_type_tree_reset(&tree);
	uint16_t root = cql_type_parse(&c, &tree);
	cql_type_name(&tree, root, text, sizeof text);
	struct cursor v = cursor_init(p + spec_len, n - spec_len);
	while (cursor_left(&v)) {
		struct cql_span cell = cql_bytes(&v);
		if (!cursor_ok(&v))
			break;
		const char *why;
		cql_format_cell(&tree, root, cell.ptr, cell.len, version, text, sizeof text, &why);
		cql_format_cell(&tree, root, cell.ptr, cell.len, version, text, 17, &why);
	}
}

static void bodies(const uint8_t *p, size_t n)
{
	if (n < 1)
		return;
	enum cql_compression algo = p[0] & 1 ? CQL_COMPRESSION_SNAPPY : CQL_COMPRESSION_LZ4;
	size_t got;
	uint64_t claimed;
	cql_decompress_body(algo, p + 1, n - 1, out, sizeof out, &got, &claimed);
	cql_decompress_body(algo, p + 1, n - 1, out, 65536, &got, &claimed);
}

static void lz4_block(const uint8_t *p, size_t n)
{
	if (n < 3)
		return;
	size_t want = ((size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2]) & 0x1ffff;
	cql_decompress_lz4_block(p + 3, n - 3, out, want);
}

static void segments(const uint8_t *p, size_t n)
{
	if (n < 1)
		return;
	bool lz4 = p[0] & 1;
	p++;
	n--;
	while (n) {
		struct cql_segment_header h;
		if (cql_segment_header_parse(p, n, lz4, &h) != CQL_SEGMENT_OK)
			return;
		size_t size = cql_segment_size(&h);
		if (size > n)
			return;
		const uint8_t *payload = p + h.header_len;
		bool good = cql_segment_payload_ok(payload, h.payload_length,
						   payload + h.payload_length);
		if (good && lz4 && h.uncompressed_length)
			cql_decompress_lz4_block(payload, h.payload_length, out, h.uncompressed_length);
		p += size;
		n -= size;
	}
}

static void headers(const uint8_t *p, size_t n)
{
	if (n < 1)
		return;
	bool strict = p[0] & 1;
	p++;
	n--;
	while (n) {
		struct cql_frame_header h;
		const char *why;
		if (cql_header_parse(p, n, strict, &h, &why) != CQL_HEADER_OK)
			return;
		cql_opcode_name(h.opcode);
		size_t size = h.header_len + (size_t)h.length;
		if (size > n)
			return;
		p += size;
		n -= size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 5) {
	case 0: cells(data + 1, size - 1); break;
	case 1: bodies(data + 1, size - 1); break;
	case 2: lz4_block(data + 1, size - 1); break;
	case 3: segments(data + 1, size - 1); break;
	default: headers(data + 1, size - 1); break;
	}
	return 0;
}
