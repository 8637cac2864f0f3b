/* frame.h - CQL frame (v1-v4) and envelope (v5) headers.
 *
 *  v1, v2: version flags stream(s8)  opcode length(u32)    8 bytes
 *  v3-v5:  version flags stream(s16) opcode length(u32)    9 bytes
 *
 * version: protocol version | 0x80 on responses.  Drivers that do not know
 * the server's versions probe first with DSE's numbers 0x41/0x42; a server
 * answers those with an ERROR at its own version.  The header is found by
 * content (docs/cql.md): a known version byte, known flag bits, an opcode
 * that this direction may send, a length under the protocol's 256 MiB.
 */
#ifndef TAPLINE_CQL_FRAME_H
#define TAPLINE_CQL_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CQL_HEADER_MAX 9
#define CQL_MAX_BODY (256u << 20)	/* servers refuse larger frames */

enum cql_opcode {
	CQL_ERROR = 0x00, CQL_STARTUP = 0x01, CQL_READY = 0x02,
	CQL_AUTHENTICATE = 0x03, CQL_CREDENTIALS = 0x04, CQL_OPTIONS = 0x05,
	CQL_SUPPORTED = 0x06, CQL_QUERY = 0x07, CQL_RESULT = 0x08,
	CQL_PREPARE = 0x09, CQL_EXECUTE = 0x0a, CQL_REGISTER = 0x0b,
	CQL_EVENT = 0x0c, CQL_BATCH = 0x0d, CQL_AUTH_CHALLENGE = 0x0e,
	CQL_AUTH_RESPONSE = 0x0f, CQL_AUTH_SUCCESS = 0x10,
};

enum cql_header_flag {
	CQL_FLAG_COMPRESSION = 0x01,
	CQL_FLAG_TRACING = 0x02,
	CQL_FLAG_CUSTOM_PAYLOAD = 0x04,	/* v4+ */
	CQL_FLAG_WARNING = 0x08,	/* v4+ */
	CQL_FLAG_USE_BETA = 0x10,	/* v5 */
};

struct cql_frame_header {
	uint8_t version_byte;	/* as on the wire */
	uint8_t version;	/* 1..5, or 0x41/0x42 for a DSE probe */
	bool response;
	uint8_t flags;
	int16_t stream;
	uint8_t opcode;
	uint32_t length;	/* body bytes */
	uint8_t header_len;	/* 8 or 9 */
};

enum cql_header_verdict {
	CQL_HEADER_OK = 0,
	CQL_HEADER_SHORT,	/* fewer bytes than a header: wait */
	CQL_HEADER_NOT_CQL,	/* these bytes are no CQL header */
};

/* Reads a header at p.  With strict, the checks that detection uses
 * (flags, opcode for the direction, length) must hold too; without, only
 * the version byte must be one this protocol knows, so a stream already
 * known as CQL keeps its framing over an odd header.  why gets a static
 * reason for NOT_CQL. */
enum cql_header_verdict cql_header_parse(const uint8_t *p, size_t n, bool strict,
					 struct cql_frame_header *h, const char **why);

/* The header length a version byte implies (either direction): 8 for
 * v1/v2, 9 for v3-v5 and the DSE probes 0x41/0x42 (v4 layout); 0 if the
 * byte is no version.  A table: a hunt asks it of every byte it passes. */
extern const uint8_t cql_header_lengths[256];

static inline unsigned cql_header_length(uint8_t version_byte)
{
	return cql_header_lengths[version_byte];
}

/* "QUERY", "RESULT", ...; NULL when unknown. */
const char *cql_opcode_name(uint8_t opcode);

/* May a client (request) / a server (response) send this opcode in this
 * version? */
bool cql_opcode_allowed(uint8_t opcode, uint8_t version, bool response);

#endif
