/* field.c - what every field table shares: kind names, value names. */
#include "field.h"

const char *field_kind_name(unsigned kind)
{
	static const char *const names[FIELD_KINDS] = {
		[FIELD_UINT] = "uint", [FIELD_HEX] = "hex", [FIELD_INT] = "int",
		[FIELD_BOOL] = "bool", [FIELD_STR] = "string",
		[FIELD_BYTES] = "bytes", [FIELD_GFID] = "gfid",
		[FIELD_TIME] = "time", [FIELD_ENUM] = "enum",
		[FIELD_ERRNO] = "errno", [FIELD_FLAGS] = "flags",
		[FIELD_TREE] = "tree", [FIELD_TREE_END] = "tree-end",
		[FIELD_ADDR] = "address",
	};
	return kind < FIELD_KINDS ? names[kind] : "?";
}

const char *field_value_name(const struct field_def *def, uint64_t v)
{
	if (!def->values)
		return NULL;
	for (const struct value_name *n = def->values; n->name; n++)
		if (n->value == v)
			return n->name;
	return NULL;
}
