/* fuzz_record_page.c - libFuzzer harness: bytes read from a tracefs
 * per-CPU buffer (trace_pipe_raw) -> the recorder's page walker -> every
 * field of every event read through the event formats, as `tapline
 * record` does.  The input is also parsed as a format file.  Runs without
 * libFuzzer through tests/fuzz/replay.c.
 *
 * The corpus, tests/fuzz/corpus/record_page/utimens-entry-return-page: a page
 * read from this machine's kernel (Linux 6.18) with a gfapi.utimens entry
 * (format IDs 2619) and return (2620) probe, as below.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/recorder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char entry_format[] =
	"name: e\nID: 2619\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 fs;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:u64 times;\toffset:28;\tsize:8;\tsigned:0;\n"
	"\tfield:s64 atime_sec;\toffset:36;\tsize:8;\tsigned:1;\n"
	"\tfield:s64 atime_nsec;\toffset:44;\tsize:8;\tsigned:1;\n"
	"\tfield:s64 mtime_sec;\toffset:52;\tsize:8;\tsigned:1;\n"
	"\tfield:s64 mtime_nsec;\toffset:60;\tsize:8;\tsigned:1;\n";
static const char return_format[] =
	"name: r\nID: 2620\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:s32 ret;\toffset:24;\tsize:4;\tsigned:1;\n";

static struct tf_format formats[2];
static int ready;
static uint64_t sink;

static void on_event(void *ctx, const struct rb_event *ev)
{
	(void)ctx;
	if (ev->len < 2)
		return;
	unsigned type = ev->data[0] | ev->data[1] << 8;
	for (int i = 0; i < 2; i++) {
		if ((unsigned)formats[i].id != type)
			continue;
		for (unsigned f = 0; f < formats[i].nfields; f++) {
			const struct tf_field *fld = &formats[i].fields[f];
			uint64_t v;
			const char *s;
			size_t n;
			if (tf_read_int(fld, ev->data, ev->len, &v) == 0)
				sink += v;
			if (tf_read_str(fld, ev->data, ev->len, &s, &n) == 0) {
				char q[256];
				sink += record_quote(q, sizeof(q), s, n);
			}
		}
	}
	sink += ev->ts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		tf_parse_format(entry_format, &formats[0]);
		tf_parse_format(return_format, &formats[1]);
		ready = 1;
	}
	struct rb_page_info info;
	rb_parse_page(data, size, on_event, NULL, &info);

	/* the same bytes as a format file */
	char *text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		struct tf_format fmt;
		tf_parse_format(text, &fmt);
		free(text);
	}
	return 0;
}
