/* fuzz_ceph_stream.c - libFuzzer harness: the two byte streams of one Ceph
 * messenger connection -> framing (banners, msgr1 handshakes and
 * messages, msgr2 frames, crc checks, resync, secure-mode decryption).
 *
 * Input: a knob byte, then records [H][LEN][bytes]: H bit 7 says the
 * direction (set: server -> client), bit 6 the connection (two, sharing
 * what the keys store learns: a monitor session's tickets open the OSD
 * session after it), bits 0-5 the length, 63 meaning an le16 length
 * follows.  Knob bit 0: no keyring; bit 1: a keyring whose
 * client.admin key is wrong; bit 2: a gap before every fourth record;
 * bits 4-7: keep at most 64 << (bits) bytes of a unit.  The keyring is the
 * Ceph lab's (tests/captures/ceph/lab.keyring), so corpus entries cut from
 * the secure capture reach decryption.
 *
 * Corpus, tests/fuzz/corpus/ceph_stream/CAPTURE-cN: connection N of a lab
 * capture as `tests/ceph/ceph_frames -w DIR CAPTURE` writes it (an OSD
 * connection with the monitor session before it as connection 0).  Runs
 * without libFuzzer through tests/fuzz/replay.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ceph/framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char lab_keyring[] =
	"[client.admin]\n\tkey = AQBavRRroWjdJxAADPAoaqtppfeLXOOePzvkSQ==\n"
	"[mon.]\n\tkey = AQBavRRrEnqjHRAAVZ6tbfll9xuzcMGSi9UmwQ==\n"
	"[osd.0]\n\tkey = AQBdvRRrwy50LBAAePt7Myb/YgnIoqC6YeMiTA==\n";
static const char wrong_keyring[] =
	"[client.admin]\n\tkey = AQBdvRRrwy50LBAAePt7Myb/YgnIoqC6YeMiTA==\n";

static void on_unit(void *ctx, const struct ceph_unit *u)
{
	unsigned *n = ctx;
	(*n)++;
	/* Touch what a decoder reads, so ASan sees any bad pointer. */
	for (int i = 0; i < 4; i++)
		if (u->seg_kept[i]) {
			if (!u->seg[i] || u->seg_kept[i] > u->seg_len[i])
				abort();
			volatile uint8_t sink = u->seg[i][0] ^ u->seg[i][u->seg_kept[i] - 1];
			(void)sink;
		}
	if (u->auth_kept) {
		volatile uint8_t sink = u->auth[u->auth_kept - 1];
		(void)sink;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cephx_store *keys, *wrong;
	if (!keys) {
		char err[128];
		keys = calloc(1, sizeof *keys);
		wrong = calloc(1, sizeof *wrong);
		if (!cephx_keyring_parse(lab_keyring, sizeof lab_keyring - 1,
					 &keys->keyring, err, sizeof err) ||
		    !cephx_keyring_parse(wrong_keyring, sizeof wrong_keyring - 1,
					 &wrong->keyring, err, sizeof err))
			abort();
	}
	if (size < 1)
		return 0;
	uint8_t knobs = data[0];
	data++;
	size--;
	struct cephx_store *k = knobs & 1 ? NULL : knobs & 2 ? wrong : keys;
	if (k)
		k->n = k->next = 0;	/* tickets of earlier inputs forgotten */
	struct ceph_conn c[2];
	ceph_conn_init(&c[0], k);
	ceph_conn_init(&c[1], k);
	size_t keep = (size_t)64 << (knobs >> 4);
	unsigned units = 0, rec = 0;
	uint64_t frame = 1;
	while (size) {
		uint8_t h = data[0];
		size_t len = h & 0x3f, hl = 1;
		if (len == 0x3f) {
			if (size < 3)
				break;
			len = (size_t)data[1] | (size_t)data[2] << 8;
			hl = 3;
		}
		data += hl;
		size -= hl;
		if (len > size)
			len = size;
		bool to_server = !(h & 0x80);
		struct ceph_conn *cc = &c[h >> 6 & 1];
		if ((knobs & 4) && ++rec % 4 == 0)
			ceph_gap(cc, to_server, frame, on_unit, &units);
		ceph_feed(cc, to_server, data, len, frame++, keep, on_unit, &units);
		data += len;
		size -= len;
	}
	for (int i = 0; i < 2; i++) {
		ceph_close(&c[i], true, frame, on_unit, &units);
		ceph_close(&c[i], false, frame, on_unit, &units);
		ceph_conn_free(&c[i]);
	}
	return 0;
}
