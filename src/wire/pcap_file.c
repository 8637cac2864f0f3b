/* pcap_file.c - classic pcap records read in place (see pcap_file.h). */
#include "pcap_file.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK (256 * 1024)
#define RECORD_HEADER 16
/* libpcap's limit for the link types read here (MAXIMUM_SNAPLEN). */
#define MAX_CAPLEN 262144u
/* A chunk and one largest record.  Small files never need all of it:
 * the buffer starts at FIRST_BUFFER and doubles up to FULL_BUFFER with
 * each further read, or at once to fit a record. */
#define FULL_BUFFER (READ_CHUNK + RECORD_HEADER + MAX_CAPLEN)
#define FIRST_BUFFER (64 * 1024)

struct pcap_file {
	FILE *in;
	bool swapped;		/* written on a machine of the other order */
	bool nano;		/* timestamps in ns (magic a1b23c4d) */
	bool eof;
	int linktype;
	uint32_t snaplen;
	size_t have, pos;	/* buf[pos..have) not yet handed out */
	uint8_t *buf;		/* FIRST_BUFFER or FULL_BUFFER bytes */
	size_t size;
	unsigned long reads;
	char err[PCAP_ERRBUF_SIZE + 64];
};

static uint32_t u32_at(const uint8_t *p, bool swapped)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

/* The link types the decoder reads (link.c); libpcap's limit on a
 * record is MAX_CAPLEN for each of them. */
static bool linktype_known(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_IPV4:
	case DLT_IPV6:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
		return true;
	}
	return false;
}

/* libpcap reads the header: its verdict on the version, its mapping of
 * LINKTYPE_ to DLT_ values, its default for a zero snapshot length. */
static bool header_by_libpcap(const uint8_t head[24], int *dlt,
			      uint32_t *snaplen)
{
	uint8_t copy[24];
	memcpy(copy, head, sizeof copy);
	FILE *mem = fmemopen(copy, sizeof copy, "rb");
	if (!mem)
		return false;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
		mem, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fclose(mem);
		return false;
	}
	*dlt = pcap_datalink(p);
	int snap = pcap_snapshot(p);
	*snaplen = snap > 0 && (uint32_t)snap < MAX_CAPLEN ? (uint32_t)snap
							   : MAX_CAPLEN;
	pcap_close(p);
	return true;
}

struct pcap_file *pcap_file_open(FILE *in, const uint8_t head[24])
{
	uint32_t magic;
	memcpy(&magic, head, 4);
	bool swapped, nano;
	switch (magic) {
	case 0xa1b2c3d4: swapped = false; nano = false; break;
	case 0xd4c3b2a1: swapped = true; nano = false; break;
	case 0xa1b23c4d: swapped = false; nano = true; break;
	case 0x4d3cb2a1: swapped = true; nano = true; break;
	default:
		return NULL;	/* pcapng, modified pcap, not a capture */
	}
	uint16_t major, minor;
	memcpy(&major, head + 4, 2);
	memcpy(&minor, head + 6, 2);
	if (swapped) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	/* 2.3 and older may have caplen and len swapped: libpcap's. */
	if (major != 2 || minor < 4)
		return NULL;
	int dlt;
	uint32_t snaplen;
	if (!header_by_libpcap(head, &dlt, &snaplen) || !linktype_known(dlt))
		return NULL;
	struct pcap_file *pf = calloc(1, sizeof *pf);
	if (!pf)
		return NULL;
	pf->size = FIRST_BUFFER;
	pf->buf = malloc(pf->size);
	if (!pf->buf) {
		free(pf);
		return NULL;
	}
	pf->in = in;
	pf->swapped = swapped;
	pf->nano = nano;
	pf->linktype = dlt;
	pf->snaplen = snaplen;
	return pf;
}

/* Makes `need` bytes available at buf[pos]; false at the end of the
 * file (or on a read error, then said in err) with fewer. */
static bool fill(struct pcap_file *pf, size_t need)
{
	while (pf->have - pf->pos < need) {
		if (pf->eof)
			return false;
		size_t left = pf->have - pf->pos;
		memmove(pf->buf, pf->buf + pf->pos, left);
		pf->pos = 0;
		pf->have = left;
		if (pf->size < FULL_BUFFER && (pf->reads || need > pf->size)) {
			size_t size = 2 * pf->size;
			while (size < need)
				size *= 2;
			if (size > FULL_BUFFER)
				size = FULL_BUFFER;
			uint8_t *b = realloc(pf->buf, size);
			if (!b) {
				snprintf(pf->err, sizeof pf->err,
					 "out of memory");
				return false;
			}
			pf->buf = b;
			pf->size = size;
		}
		size_t room = pf->size - left;
		size_t got = fread(pf->buf + left, 1, room, pf->in);
		pf->reads++;
		pf->have += got;
		if (got < room) {
			pf->eof = true;
			if (ferror(pf->in)) {
				snprintf(pf->err, sizeof pf->err,
					 "error reading dump file: %s",
					 strerror(errno));
				return false;
			}
		}
	}
	return true;
}

int pcap_file_next(struct pcap_file *pf, struct pcap_file_frame *frame)
{
	if (pf->err[0])
		return -1;
	if (!fill(pf, RECORD_HEADER)) {
		size_t got = pf->have - pf->pos;
		if (pf->err[0])
			return -1;
		if (got == 0)
			return 0;
		snprintf(pf->err, sizeof pf->err, "truncated dump file; tried "
			 "to read %d header bytes, only got %zu",
			 RECORD_HEADER, got);
		return -1;
	}
	const uint8_t *h = pf->buf + pf->pos;
	/* signed, as libpcap reads them (bpf_int32): a hostile 0x8f9aaef1
	 * is a time before 1970 there, and so here */
	int32_t sec = (int32_t)u32_at(h, pf->swapped);
	int32_t frac = (int32_t)u32_at(h + 4, pf->swapped);
	uint32_t caplen = u32_at(h + 8, pf->swapped);
	uint32_t wirelen = u32_at(h + 12, pf->swapped);
	if (caplen > MAX_CAPLEN) {
		snprintf(pf->err, sizeof pf->err, "invalid packet capture "
			 "length %u, bigger than snaplen of %u", caplen,
			 MAX_CAPLEN);
		return -1;
	}
	/* Bytes past the snapshot length are read and dropped, as libpcap
	 * does (Solaris 2.3's bufmod wrote such files). */
	uint32_t keep = caplen > pf->snaplen ? pf->snaplen : caplen;
	if (!fill(pf, RECORD_HEADER + (size_t)caplen)) {
		if (pf->err[0])
			return -1;
		snprintf(pf->err, sizeof pf->err, "truncated dump file; tried "
			 "to read %u captured bytes, only got %zu", caplen,
			 pf->have - pf->pos - RECORD_HEADER);
		return -1;
	}
	frame->ts_ns = (int64_t)sec * 1000000000 +
		       (pf->nano ? (int64_t)frac : (int64_t)frac * 1000);
	frame->data = pf->buf + pf->pos + RECORD_HEADER;
	frame->caplen = keep;
	frame->wirelen = wirelen;
	pf->pos += RECORD_HEADER + (size_t)caplen;
	return 1;
}

const char *pcap_file_error(const struct pcap_file *pf)
{
	return pf->err;
}

int pcap_file_linktype(const struct pcap_file *pf)
{
	return pf->linktype;
}

void pcap_file_close(struct pcap_file *pf)
{
	if (!pf)
		return;
	fclose(pf->in);
	free(pf->buf);
	free(pf);
}
