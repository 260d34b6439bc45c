/* jsonvalue.h: a small JSON tree for comparing expected fields with decisions (tests, diffs). */
#pragma once

#include <glib.h>

typedef enum {
  JV_NULL,
  JV_BOOL,
  JV_NUMBER, /* text kept as written; compared as an exact decimal */
  JV_STRING,
  JV_ARRAY,
  JV_OBJECT,
} JvKind;

typedef struct JsonValue JsonValue;
struct JsonValue {
  JvKind kind;
  char *text;         /* NUMBER: as written; STRING: unescaped; OBJECT members: see keys */
  gboolean b;
  GPtrArray *items;   /* ARRAY elements / OBJECT values (JsonValue*) */
  GPtrArray *keys;    /* OBJECT keys (char*), parallel to items */
};

/* Parses one JSON text; NULL (and *error) when it is not JSON. */
JsonValue *jv_parse(const char *text, gsize len, GError **error);
void jv_free(JsonValue *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(JsonValue, jv_free)

/* The member @key of an object, or NULL. */
JsonValue *jv_get(const JsonValue *obj, const char *key);

/*
 * Every field of @expected must be in @actual with the same value (numbers as
 * exact decimals, arrays element by element with the same length); @actual
 * may have more fields. Each difference is appended to @diffs as
 * "path: expected X, got Y". Returns TRUE when there is none.
 */
gboolean jv_subset(const JsonValue *expected, const JsonValue *actual, const char *path,
                   GPtrArray *diffs);

/* Compact JSON text of @v. */
char *jv_to_string(const JsonValue *v);
/* The same with every number written as # (for grouping values that differ only in numbers). */
char *jv_to_string_masked(const JsonValue *v);

/* Whether two values are equal, ignoring every number (the shape and all other values count). */
gboolean jv_equal_but_numbers(const JsonValue *a, const JsonValue *b);
