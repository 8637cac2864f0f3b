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
	X(tapline_kind, "tapline.kind", ENUM, FIELD_DEF_HEADER, \
	  "exchange: request, response or event", \
	  .derive = tapline_derive_kind, .values = tapline_kind_names) \
	X(tapline_id, "tapline.id", UINT, FIELD_DEF_HEADER, \
	  "exchange id: RPC XID, CQL stream id, Scylla message id, Ceph tid", \
	  .derive = tapline_derive_id) \
	X(tapline_service, "tapline.service", STR, FIELD_DEF_HEADER, \
	  "exchange: the service or RPC program addressed", \
	  .derive = tapline_derive_service) \
	X(tapline_op, "tapline.op", STR, FIELD_DEF_HEADER, \
	  "exchange: the operation's name (SETATTR, QUERY, ...)", \
	  .derive = tapline_derive_op) \
	X(tapline_status, "tapline.status", ENUM, 0, \
	  "response: ok or failed", \
	  .derive = tapline_derive_status, .values = tapline_status_names) \
	X(tapline_status_code, "tapline.status_code", INT, 0, \
	  "failed response: the protocol's code (errno, accept state, ...)", \
	  .derive = tapline_derive_status_code) \
	X(tapline_status_name, "tapline.status_name", STR, 0, \
	  "failed response: its code's name (EACCES, PROG_UNAVAIL, ...)", \
	  .derive = tapline_derive_status_name) \
	X(tapline_request_frame, "tapline.request_frame", UINT, \
	  FIELD_DEF_HEADER, "response: frame of its request", \
	  .derive = tapline_derive_request_frame) \
	X(tapline_latency, "tapline.latency", TIME, FIELD_DEF_HEADER, \
	  "response: seconds since its request", \
	  .derive = tapline_derive_latency) \
	X(tapline_verdict, "tapline.verdict", STR, 0, \
	  "problems: malformed, truncated, not-decoded, after-gap, elided, " \
	  "fields-full (absent when none)", \
	  .derive = tapline_derive_verdict) \
	X(ws_malformed, "_ws.malformed", BOOL, 0, \
	  "present when the message is malformed (Wireshark's name)", \
	  .derive = ws_derive_malformed)

FIELD_TABLE_DECLARE(tapline_fields, TAPLINE_FIELDS)

#endif
