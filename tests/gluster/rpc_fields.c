/* rpc_fields.c - a test driver for the RPC/GlusterFS decoder: prints one
 * line per RPC message with the columns the tshark differential test
 * compares, tab-separated like `tshark -T fields`:
 *	frame.number rpc.xid rpc.msgtyp rpc.program rpc.programversion
 *	rpc.procedure
 * with -n the procedure's name instead of the last three, and with -v the
 * verdict bits, protocol, program and summary.  It exists
 * so the decoder can be checked before and apart from `tapline decode`.
 *
 * usage: rpc_fields [-v|-n] CAPTURE...
 */
#include <stdio.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/stream.h"
#include "proto/oncrpc/rpc_record.h"
#include "proto/oncrpc/rpc.h"
#include "proto/registry.h"

static void print_message(void *user, const struct message *m)
{
	int verbose = *(int *)user;
	if (!rpc_message(m))
		return;
	printf("%llu\t0x%08x\t%u\t", (unsigned long long)m->frame,
	       (uint32_t)rpc_header(m, RPC_H_XID),
	       (unsigned)rpc_header(m, RPC_H_TYPE));
	if (verbose == 2) {
		printf("%u\t%u\t%u\t%s\n", m->exchange.service_code,
		       m->exchange.service_version, m->exchange.op_code,
		       m->exchange.op ? m->exchange.op : "-");
		return;
	}
	/* A reply whose call was not seen has no program: empty columns,
	 * as tshark prints them. */
	if (rpc_header(m, RPC_H_TYPE) == RPC_CALL || m->exchange.request_frame)
		printf("%u\t%u\t%u", m->exchange.service_code,
		       m->exchange.service_version, m->exchange.op_code);
	else
		printf("\t\t");
	if (verbose)
		printf("\t%u\t%s\t%s %.*s", m->verdict, m->why ? m->why : "-",
		       m->proto->label, (int)m->info_len, m->info);
	putchar('\n');
}

int main(int argc, char **argv)
{
	int verbose = 0, first = 1;
	if (argc > 1 && !strcmp(argv[1], "-v"))
		verbose = 1, first = 2;
	else if (argc > 1 && !strcmp(argv[1], "-n"))
		verbose = 2, first = 2;
	if (argc <= first) {
		fprintf(stderr, "usage: rpc_fields [-v|-n] CAPTURE...\n");
		return 2;
	}
	char err[256];
	struct capture *cap = capture_open((const char *const *)argv + first,
					   (size_t)(argc - first), err,
					   sizeof err);
	if (!cap) {
		fprintf(stderr, "rpc_fields: %s\n", err);
		return 1;
	}
	struct decoder_options opts;
	decoder_default_options(&opts);
	struct decoder *d = decoder_new(&opts, print_message, &verbose);
	static const struct stream_proto *const protos[] = { &rpc_stream_proto };
	decoder_set_protocols(d, protos, 1);
	struct capture_frame f;
	int r;
	while ((r = capture_next(cap, &f)) == 1)
		decoder_frame(d, &f);
	decoder_finish(d);
	if (verbose == 1)
		decoder_print_stats(decoder_stats(d), stderr);
	decoder_free(d);
	if (r < 0)
		fprintf(stderr, "rpc_fields: %s\n", capture_error(cap));
	capture_close(cap);
	return r < 0;
}
