/* size_option.c - sizes on the command line ("48M", "1G", "65536"). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "commands.h"

bool parse_size(const char *s, size_t *v)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return false;
	}
	if (*end == 'i' && shift)	/* "MiB" and "MB" read alike */
		end++;
	if (*end == 'B' && shift)
		end++;
	if (*end || x > (SIZE_MAX >> shift))
		return false;
	*v = (size_t)x << shift;
	return true;
}
