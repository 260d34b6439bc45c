/* jsondiff.h: reading fields of one JSON line, and naming the fields two JSON lines differ in. */
#pragma once

#include <glib.h>

/*
 * Finds member @key of the object that is the whole of @json (the first one
 * when a key repeats). On success *@val and *@vlen hold the raw value text.
 */
gboolean regel_json_member(const char *json, gsize len, const char *key, const char **val,
                           gsize *vlen);

/*
 * Member @path of @json as a string, where @path is keys separated by dots
 * ("teacher.id"). Returns (transfer full) (nullable): the unescaped string, or
 * %NULL when a key is absent or the value is not a string.
 */
char *regel_json_get_string(const char *json, gsize len, const char *path);

/* Member @key of @json as an unsigned integer; %FALSE when absent or not one. */
gboolean regel_json_get_uint(const char *json, gsize len, const char *key, guint64 *value);

/*
 * Compares a recorded JSON line with a replayed one and appends one string
 * per difference to @diffs (at most @max of them; a last one says how many
 * more there were): "PATH: recorded X, replayed Y", where PATH names the field
 * like "results[0].status" and X, Y are JSON text (or "(absent)"). Text
 * that is not JSON is compared as a whole. Lines that are equal as JSON but
 * not byte for byte (member order, spacing, number spelling) get a
 * difference too. Returns the number of differences found.
 */
guint regel_json_diff(const char *recorded, gsize rlen, const char *replayed, gsize plen,
                      GPtrArray *diffs, guint max);
