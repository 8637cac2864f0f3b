/* frame.c - CQL frame headers and detection (see frame.h). */
#include "proto/cql/frame.h"

static const char *const opcode_names[] = {
	[CQL_ERROR] = "ERROR", [CQL_STARTUP] = "STARTUP", [CQL_READY] = "READY",
	[CQL_AUTHENTICATE] = "AUTHENTICATE", [CQL_CREDENTIALS] = "CREDENTIALS",
	[CQL_OPTIONS] = "OPTIONS", [CQL_SUPPORTED] = "SUPPORTED",
	[CQL_QUERY] = "QUERY", [CQL_RESULT] = "RESULT", [CQL_PREPARE] = "PREPARE",
	[CQL_EXECUTE] = "EXECUTE", [CQL_REGISTER] = "REGISTER", [CQL_EVENT] = "EVENT",
	[CQL_BATCH] = "BATCH", [CQL_AUTH_CHALLENGE] = "AUTH_CHALLENGE",
	[CQL_AUTH_RESPONSE] = "AUTH_RESPONSE", [CQL_AUTH_SUCCESS] = "AUTH_SUCCESS",
};

const char *cql_opcode_name(uint8_t opcode)
{
	return opcode < sizeof opcode_names / sizeof opcode_names[0] ?
	       opcode_names[opcode] : NULL;
}

/* The DSE probes speak v4's layout. */
static uint8_t base_version(uint8_t v)
{
	return v == 0x41 || v == 0x42 ? 4 : v;
}

const uint8_t cql_header_lengths[256] = {
	[0x01] = 8, [0x02] = 8, [0x81] = 8, [0x82] = 8,
	[0x03] = 9, [0x04] = 9, [0x05] = 9, [0x41] = 9, [0x42] = 9,
	[0x83] = 9, [0x84] = 9, [0x85] = 9, [0xc1] = 9, [0xc2] = 9,
};

bool cql_opcode_allowed(uint8_t opcode, uint8_t version, bool response)
{
	uint8_t v = base_version(version);
	if (response) {
		switch (opcode) {
		case CQL_ERROR: case CQL_READY: case CQL_AUTHENTICATE:
		case CQL_SUPPORTED: case CQL_RESULT: case CQL_EVENT:
			return true;
		case CQL_AUTH_CHALLENGE: case CQL_AUTH_SUCCESS:
			return v >= 2;
		default:
			return false;
		}
	}
	switch (opcode) {
	case CQL_STARTUP: case CQL_OPTIONS: case CQL_QUERY: case CQL_PREPARE:
	case CQL_EXECUTE: case CQL_REGISTER:
		return true;
	case CQL_CREDENTIALS:
		return v == 1;
	case CQL_BATCH: case CQL_AUTH_RESPONSE:
		return v >= 2;
	default:
		return false;
	}
}

static uint8_t known_flags(uint8_t v)
{
	switch (base_version(v)) {
	case 1: case 2: case 3:
		return CQL_FLAG_COMPRESSION | CQL_FLAG_TRACING;
	case 4:
		return 0x0f;
	default:
		return 0x1f;
	}
}

enum cql_header_verdict cql_header_parse(const uint8_t *p, size_t n, bool strict,
					 struct cql_frame_header *h, const char **why)
{
	*why = NULL;
	if (n < 1)
		return CQL_HEADER_SHORT;
	unsigned hl = cql_header_length(p[0]);
	if (!hl) {
		*why = "unknown version byte";
		return CQL_HEADER_NOT_CQL;
	}
	if (n < hl)
		return CQL_HEADER_SHORT;
	h->version_byte = p[0];
	h->version = p[0] & 0x7f;
	h->response = (p[0] & 0x80) != 0;
	h->flags = p[1];
	if (hl == 8) {
		h->stream = (int8_t)p[2];
		h->opcode = p[3];
	} else {
		h->stream = (int16_t)(p[2] << 8 | p[3]);
		h->opcode = p[4];
	}
	h->length = (uint32_t)p[hl - 4] << 24 | (uint32_t)p[hl - 3] << 16 |
		    (uint32_t)p[hl - 2] << 8 | p[hl - 1];
	h->header_len = (uint8_t)hl;
	if (!strict)
		return CQL_HEADER_OK;
	if (h->flags & ~known_flags(h->version)) {
		*why = "unknown flag bits";
		return CQL_HEADER_NOT_CQL;
	}
	if (!cql_opcode_allowed(h->opcode, h->version, h->response)) {
		*why = "opcode not sent in this direction and version";
		return CQL_HEADER_NOT_CQL;
	}
	if (h->length > CQL_MAX_BODY) {
		*why = "body longer than 256 MiB";
		return CQL_HEADER_NOT_CQL;
	}
	if (!h->response && h->stream < 0) {
		*why = "request with a negative stream id";
		return CQL_HEADER_NOT_CQL;
	}
	if (h->opcode == CQL_EVENT && h->stream != -1) {
		*why = "EVENT not on stream -1";
		return CQL_HEADER_NOT_CQL;
	}
	/* Bodies that are empty unless compressed. */
	if ((h->opcode == CQL_OPTIONS || h->opcode == CQL_READY) && h->length &&
	    !(h->flags & CQL_FLAG_COMPRESSION)) {
		*why = "OPTIONS or READY with a body";
		return CQL_HEADER_NOT_CQL;
	}
	return CQL_HEADER_OK;
}
