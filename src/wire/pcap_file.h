/* pcap_file.h - classic pcap files (not pcapng) read in place.
 *
 * libpcap's pcap_next_ex reads every frame with two freads through a
 * 4 KiB stdio buffer; this reader takes 256 KiB per read() and hands out
 * frames where they lie in its buffer, which halves the cost of reading
 * a capture (bench/decode-bench.sh).  libpcap stays the authority on the
 * file header (pcap_file_open asks it for the link type and snapshot
 * length) and reads everything this reader declines: pcapng, pcap
 * versions before 2.4, the modified-pcap variants and link types the
 * decoder does not know.  Records are checked as libpcap checks them
 * (tests/unit/pcap_file_test.c compares the two on the lab captures and
 * on broken files).
 */
#ifndef TAPLINE_PCAP_FILE_H
#define TAPLINE_PCAP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcap_file;

/* The file header is in head[0..24); `in` is positioned after it.  NULL
 * when this reader declines the file (then nothing is taken over and
 * `in` is as it was); otherwise the reader owns `in`. */
struct pcap_file *pcap_file_open(FILE *in, const uint8_t head[24]);

struct pcap_file_frame {
	int64_t ts_ns;
	const uint8_t *data;	/* valid until the next pcap_file_next */
	uint32_t caplen, wirelen;
};

/* 1: a frame; 0: end of file; -1: error (pcap_file_error says what, in
 * libpcap's words). */
int pcap_file_next(struct pcap_file *pf, struct pcap_file_frame *frame);
const char *pcap_file_error(const struct pcap_file *pf);
int pcap_file_linktype(const struct pcap_file *pf);	/* DLT_* */
void pcap_file_close(struct pcap_file *pf);

#endif
