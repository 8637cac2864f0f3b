#!/bin/sh
# layers.sh - the source tree's layering: data flows down only.  Each
# folder of src/ includes headers of its own folder and of the folders
# below it, never above (wire knows no protocol; a protocol knows no
# renderer, recorder or database).  Headers of another folder are named
# with their folder ("base/message.h"), so the rule reads off the
# #include lines.
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
	esac
}

for dir in src/base src/wire src/proto src/present src/record src/cmd correlate; do
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
done_testing
