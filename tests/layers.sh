#!/bin/sh
# layers.sh - the source tree's layering: data flows down only.  Each
# folder of src/ includes headers of its own folder and of the folders
# below it, never above (wire knows no protocol; a protocol knows no
# renderer, recorder or database).  Headers of another folder are named
# with their folder ("base/message.h"), so the rule reads off the
# #include lines; and in the built objects, no symbol a folder uses is
# defined in a folder above it (no extern declared by hand either).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

# allowed FOLDER: the folders FOLDER may include from.
allowed() {
	case $1 in
	src/base) echo "base" ;;
	src/wire) echo "base wire" ;;
	src/proto*) echo "base wire proto" ;;
	src/present) echo "base wire proto present" ;;
	src/record) echo "base record" ;;
	src/cmd) echo "base wire proto present record cmd" ;;
	correlate) echo "base wire proto present record cmd" ;;
	diagnose) echo "base cmd correlate" ;;
	export) echo "base cmd correlate" ;;
	esac
}

for dir in src/base src/wire src/proto src/present src/record src/cmd correlate diagnose export; do
	ok_dirs=$(allowed "$dir")
	bad=""
	for f in $(cd "$top_srcdir" && find "$dir" -name '*.[ch]' | sort); do
		for inc in $(sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' "$top_srcdir/$f"); do
			case " $ok_dirs " in
			*" $inc "*) ;;
			*) bad="$bad $f:$inc" ;;
			esac
		done
	done
	if [ -z "$bad" ]; then
		ok "$dir includes only from: $ok_dirs"
	else
		not_ok "$dir includes from a folder above it:$bad"
	fi
done
# The same rule on the objects: each undefined symbol of a folder's
# objects must be defined in an allowed folder (or outside the tree).
if ! command -v nm >/dev/null || [ ! -f "$top_builddir/src/wire/decoder.o" ]; then
	skip "objects or nm not there: the link-level check"
	done_testing
	exit
fi
(cd "$top_builddir" && for o in $(find src correlate diagnose export -name '*.o' | grep -v 'main\.o$' | sort); do
	dir=$(dirname "$o")
	nm --defined-only -g "$o" | awk -v d="$dir" 'NF == 3 { print $3, d }'
done) | sort -u >"$TMP/defined"
for dir in src/base src/wire src/proto src/present src/record src/cmd correlate diagnose export; do
	ok_dirs=$(allowed "$dir")
	bad=""
	self=${dir#src/}
	# main.o (src/cmd) is the program: it links every command in
	for o in $(cd "$top_builddir" && find "$dir" -name '*.o' | grep -v 'main\.o$' | sort); do
		for sym in $(nm -u "$top_builddir/$o" | awk '{ print $2 }'); do
			where=$(awk -v s="$sym" '$1 == s { print $2; exit }' "$TMP/defined")
			[ -n "$where" ] || continue
			top=${where#src/}; top=${top%%/*}
			case $where in correlate*) top=correlate ;; diagnose*) top=diagnose ;; export*) top=export ;; esac
			case " $ok_dirs $self " in
			*" $top "*) ;;
			*) bad="$bad $o:$sym($where)" ;;
			esac
		done
	done
	if [ -z "$bad" ]; then
		ok "$dir objects use symbols only from: $ok_dirs"
	else
		not_ok "$dir objects use a symbol from a folder above:$bad"
	fi
done
done_testing
