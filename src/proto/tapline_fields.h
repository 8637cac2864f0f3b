/* tapline_fields.h - the fields every message has, whatever its
 * protocol: tapline.* (its protocol, its place in the capture, its
 * exchange, its verdicts) and Wireshark's _ws.malformed.  X(id, name,
 * KIND, flags, meaning[, ...]): src/base/field.h. */
#ifndef TAPLINE_TAPLINE_FIELDS_H
#define TAPLINE_TAPLINE_FIELDS_H

#include "base/field.h"

#define TAPLINE_FIELDS(X) \
	X(tapline_first_frame, "tapline.first_frame", UINT, FIELD_DEF_HEADER, \
	  "frame where the message began", \
	  .derive = tapline_derive_first_frame) \
	X(tapline_length, "tapline.length", UINT, FIELD_DEF_HEADER, \
	  "message length on the wire, bytes", \
	  .derive = tapline_derive_length) \
	X(tapline_protocol, "tapline.protocol", STR, FIELD_DEF_HEADER, \
	  "protocol column: GlusterFS, ONC-RPC, ...", \
	  .derive = tapline_derive_protocol) \
	X(tapline_program, "tapline.program", STR, FIELD_DEF_HEADER, \
	  "RPC program name (GlusterFS, GF-HNDSK, ...)", \
	  .derive = tapline_derive_program) \
	X(tapline_procedure, "tapline.procedure", STR, FIELD_DEF_HEADER, \
	  "RPC procedure name (SETATTR, ...)", \
	  .derive = tapline_derive_procedure) \
	X(tapline_verdict, "tapline.verdict", STR, 0, \
	  "problems: malformed, truncated, not-decoded, after-gap, elided, " \
	  "fields-full (absent when none)", \
	  .derive = tapline_derive_verdict) \
	X(ws_malformed, "_ws.malformed", BOOL, 0, \
	  "present when the message is malformed (Wireshark's name)", \
	  .derive = ws_derive_malformed)

FIELD_TABLE_DECLARE(tapline_fields, TAPLINE_FIELDS)

#endif
