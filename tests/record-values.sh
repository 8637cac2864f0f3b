#!/bin/sh
# record-values.sh - the values `tapline record` writes for the struct
# fields it fetches as arrays (gfapi.utimens's times, gfapi.setattr's
# struct glfs_stat) are the ones the program passed, key by key, and a NULL
# pointer leaves them out.  The program says what it passed (its own log is
# the oracle); the library is a stand-in with libgfapi's prototypes and
# glfs_stat layout (glfs.h), so no lab is needed and the sanitizer build
# runs it too.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_uprobes
command -v cc >/dev/null || skip_all "no C compiler"

cat >"$TMP/glfs.h" <<'C'
#include <stdint.h>
#include <time.h>
/* struct glfs_stat of glfs.h (GlusterFS >= 6) */
struct glfs_stat {
	uint64_t glfs_st_mask, glfs_st_attributes, glfs_st_attributes_mask;
	struct timespec glfs_st_atime, glfs_st_btime, glfs_st_ctime,
		glfs_st_mtime;
	uint64_t glfs_st_ino, glfs_st_dev, glfs_st_rdev, glfs_st_size,
		glfs_st_nlink, glfs_st_blksize, glfs_st_blocks;
	uint32_t glfs_st_uid, glfs_st_gid, glfs_st_mode;
};
int glfs_utimens(void *fs, const char *path, const struct timespec t[2]);
int glfs_setattr(void *fs, const char *path, struct glfs_stat *st, int follow);
C
cat >"$TMP/lib.c" <<'C'
#include "glfs.h"
int glfs_utimens(void *fs, const char *path, const struct timespec t[2])
{
	__asm__ volatile("" : : "r"(fs), "r"(path), "r"(t) : "memory");
	return t ? 0 : -1;
}
int glfs_setattr(void *fs, const char *path, struct glfs_stat *st, int follow)
{
	__asm__ volatile("" : : "r"(fs), "r"(path), "r"(st) : "memory");
	return st ? 0 : -1 - follow;
}
C
cat >"$TMP/prog.c" <<'C'
#include <stddef.h>
#include <stdio.h>
#include "glfs.h"
_Static_assert(offsetof(struct glfs_stat, glfs_st_atime) == 24 &&
	       offsetof(struct glfs_stat, glfs_st_mtime) == 72 &&
	       offsetof(struct glfs_stat, glfs_st_uid) == 144 &&
	       offsetof(struct glfs_stat, glfs_st_mode) == 152, "glfs.h");
int main(void)
{
	struct timespec t[2] = { { -1, 123456789 }, { 1700000000, 999999999 } };
	printf("utimens path=\"/t\" atime_sec=%lld atime_nsec=%ld "
	       "mtime_sec=%lld mtime_nsec=%ld ret=%d\n", (long long)t[0].tv_sec,
	       t[0].tv_nsec, (long long)t[1].tv_sec, t[1].tv_nsec,
	       glfs_utimens(&t, "/t", t));
	printf("utimens path=\"/now\" ret=%d\n", glfs_utimens(&t, "/now", NULL));
	struct glfs_stat st = { .glfs_st_mask = 0x30,
		.glfs_st_atime = { -5, 7 }, .glfs_st_mtime = { 42, 43 },
		.glfs_st_uid = 1001, .glfs_st_gid = 4294967295u,
		.glfs_st_mode = 0100644 };
	printf("setattr path=\"/s\" mask=0x%llx atime_sec=%lld atime_nsec=%ld "
	       "mtime_sec=%lld mtime_nsec=%ld mode=0x%x uid=%u gid=%u follow=1 "
	       "ret=%d\n", (unsigned long long)st.glfs_st_mask,
	       (long long)st.glfs_st_atime.tv_sec, st.glfs_st_atime.tv_nsec,
	       (long long)st.glfs_st_mtime.tv_sec, st.glfs_st_mtime.tv_nsec,
	       st.glfs_st_mode, st.glfs_st_uid, st.glfs_st_gid,
	       glfs_setattr(&st, "/s", &st, 1));
	printf("setattr path=\"/n\" follow=0 ret=%d\n",
	       glfs_setattr(&st, "/n", NULL, 0));
	return 0;
}
C
cc -O2 -shared -fPIC -o "$TMP/libgfapi.so.0" "$TMP/lib.c" &&
	cc -O2 -o "$TMP/prog" "$TMP/prog.c" -L"$TMP" -l:libgfapi.so.0 \
		-Wl,-rpath,"$TMP" || skip_all "the stand-in does not build"

check "recorded" sh -c "'$TAPLINE' record -q --lib 'libgfapi=$TMP/libgfapi.so.0' \
	-P gfapi.utimens,gfapi.setattr -o '$TMP/rec' -- '$TMP/prog' >'$TMP/log'"
check "the program ran its four calls" test "$(wc -l <"$TMP/log")" = 4

# Each logged call against its entry and return records, in order: the
# entry's keys after the pointers, then the return's ret.
grep -v '^#' "$TMP/rec" | grep ' gfapi\.' | awk '
	$6 == "entry" { e = $0
			for (k = 0; k < 6; k++)	# ts pid tid comm probe phase
				sub(/^[^ ]* /, "", e)
			gsub(/ (fs|times|stat)=0x[0-9a-f]*/, "", e)
			sub(/^(fs|times|stat)=0x[0-9a-f]* ?/, "", e); next }
	$6 == "return" { n = $5; sub(/^gfapi\./, "", n); print n " " e " " $7 }
' >"$TMP/got"
check "records: four calls, entry and return each" \
	test "$(wc -l <"$TMP/got")" = 4
i=0
while IFS= read -r want; do
	i=$((i + 1))
	got=$(sed -n "${i}p" "$TMP/got")
	check "call $i as the program logged it: $want" test "$got" = "$want"
done <"$TMP/log"
check "a NULL times or stat leaves their values out" \
	sh -c "grep -q 'path=\"/now\" times=0x0\$' '$TMP/rec' &&
	       grep -q 'path=\"/n\" stat=0x0 follow=0\$' '$TMP/rec'"
check "nothing left in tracefs" \
	sh -c "! grep -q '$TMP/libgfapi' '$T/uprobe_events'"
done_testing
