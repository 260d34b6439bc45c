/* jsonvalue.c: parsing JSON into a small tree, and subset comparison with exact numbers. */
#include <string.h>

#include "decimal-private.h"
#include "json-private.h"
#include "jsonvalue.h"

#define JV_MAX_DEPTH 200

static JsonValue *
jv_new(JvKind k)
{
  JsonValue *v = g_new0(JsonValue, 1);
  v->kind = k;
  return v;
}

void
jv_free(JsonValue *v)
{
  if (!v)
    return;
  g_free(v->text);
  if (v->items)
    g_ptr_array_unref(v->items);
  if (v->keys)
    g_ptr_array_unref(v->keys);
  g_free(v);
}

static JsonValue *parse_value(const char **pp, const char *end, int depth);

static char *
parse_string(const char **pp, const char *end)
{
  const char *close;
  bool esc;
  if (reg_json_string(*pp, end, &close, &esc) != REG_JSON_OK)
    return NULL;
  const char *raw = *pp + 1;
  size_t n = (size_t) (close - raw - 1);
  char *s = g_malloc(n + 1);
  size_t m = reg_json_unescape(raw, n, s);
  s[m] = '\0';
  *pp = close;
  return s;
}

static JsonValue *
parse_value(const char **pp, const char *end, int depth)
{
  const char *p = reg_json_ws(*pp, end);
  if (p >= end || depth > JV_MAX_DEPTH)
    return NULL;
  JsonValue *v = NULL;
  if (*p == '{' || *p == '[') {
    bool obj = *p == '{';
    v = jv_new(obj ? JV_OBJECT : JV_ARRAY);
    v->items = g_ptr_array_new_with_free_func((GDestroyNotify) jv_free);
    if (obj)
      v->keys = g_ptr_array_new_with_free_func(g_free);
    p = reg_json_ws(p + 1, end);
    if (p < end && *p == (obj ? '}' : ']')) {
      *pp = p + 1;
      return v;
    }
    for (;;) {
      p = reg_json_ws(p, end);
      if (obj) {
        if (p >= end || *p != '"')
          goto bad;
        char *k = parse_string(&p, end);
        if (!k)
          goto bad;
        g_ptr_array_add(v->keys, k);
        p = reg_json_ws(p, end);
        if (p >= end || *p != ':')
          goto bad;
        p++;
      }
      JsonValue *item = parse_value(&p, end, depth + 1);
      if (!item)
        goto bad;
      g_ptr_array_add(v->items, item);
      p = reg_json_ws(p, end);
      if (p < end && *p == ',') {
        p++;
        continue;
      }
      if (p < end && *p == (obj ? '}' : ']')) {
        *pp = p + 1;
        return v;
      }
      goto bad;
    }
  }
  if (*p == '"') {
    char *s = parse_string(&p, end);
    if (!s)
      return NULL;
    v = jv_new(JV_STRING);
    v->text = s;
    *pp = p;
    return v;
  }
  if (*p == '-' || (*p >= '0' && *p <= '9')) {
    const char *q;
    if (reg_json_number(p, end, &q) != REG_JSON_OK)
      return NULL;
    v = jv_new(JV_NUMBER);
    v->text = g_strndup(p, (gsize) (q - p));
    *pp = q;
    return v;
  }
  if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
    v = jv_new(JV_BOOL);
    v->b = TRUE;
    *pp = p + 4;
    return v;
  }
  if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
    v = jv_new(JV_BOOL);
    *pp = p + 5;
    return v;
  }
  if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
    v = jv_new(JV_NULL);
    *pp = p + 4;
    return v;
  }
  return NULL;
bad:
  jv_free(v);
  return NULL;
}

JsonValue *
jv_parse(const char *text, gsize len, GError **error)
{
  const char *p = text, *end = text + len;
  JsonValue *v = parse_value(&p, end, 0);
  if (v && reg_json_ws(p, end) != end) {
    jv_free(v);
    v = NULL;
  }
  if (!v)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not valid JSON");
  return v;
}

JsonValue *
jv_get(const JsonValue *obj, const char *key)
{
  if (!obj || obj->kind != JV_OBJECT)
    return NULL;
  for (guint i = 0; i < obj->keys->len; i++)
    if (strcmp(g_ptr_array_index(obj->keys, i), key) == 0)
      return g_ptr_array_index(obj->items, i);
  return NULL;
}

static void
append_json(GString *s, const JsonValue *v, gboolean mask)
{
  switch (v->kind) {
  case JV_NULL:
    g_string_append(s, "null");
    break;
  case JV_BOOL:
    g_string_append(s, v->b ? "true" : "false");
    break;
  case JV_NUMBER:
    g_string_append(s, mask ? "#" : v->text);
    break;
  case JV_STRING: {
    g_string_append_c(s, '"');
    for (const char *c = v->text; *c; c++) {
      if (*c == '"' || *c == '\\')
        g_string_append_c(s, '\\');
      if ((unsigned char) *c < 0x20)
        g_string_append_printf(s, "\\u%04x", (unsigned char) *c);
      else
        g_string_append_c(s, *c);
    }
    g_string_append_c(s, '"');
    break;
  }
  case JV_ARRAY:
  case JV_OBJECT:
    g_string_append_c(s, v->kind == JV_ARRAY ? '[' : '{');
    for (guint i = 0; i < v->items->len; i++) {
      if (i)
        g_string_append_c(s, ',');
      if (v->kind == JV_OBJECT) {
        JsonValue k = { JV_STRING, g_ptr_array_index(v->keys, i), FALSE, NULL, NULL };
        append_json(s, &k, mask);
        g_string_append_c(s, ':');
      }
      append_json(s, g_ptr_array_index(v->items, i), mask);
    }
    g_string_append_c(s, v->kind == JV_ARRAY ? ']' : '}');
    break;
  }
}

static char *
to_string(const JsonValue *v, gboolean masked)
{
  GString *s = g_string_new(NULL);
  if (v)
    append_json(s, v, masked);
  else
    g_string_append(s, "(absent)");
  return g_string_free(s, FALSE);
}

char *
jv_to_string_masked(const JsonValue *v)
{
  return to_string(v, TRUE);
}

char *
jv_to_string(const JsonValue *v)
{
  return to_string(v, FALSE);
}

static gboolean
numbers_equal(const char *a, const char *b)
{
  int64_t x, y;
  if (reg_dec_parse(a, strlen(a), &x, NULL) == REG_DEC_OK &&
      reg_dec_parse(b, strlen(b), &y, NULL) == REG_DEC_OK)
    return x == y;
  return strcmp(a, b) == 0;
}

static void
differ(GPtrArray *diffs, const char *path, const JsonValue *e, const JsonValue *a)
{
  char *es = jv_to_string(e), *as = jv_to_string(a);
  if (strlen(as) > 200)
    strcpy(as + 190, "...");
  g_ptr_array_add(diffs, g_strdup_printf("%s: expected %s, got %s", *path ? path : ".", es, as));
  g_free(es);
  g_free(as);
}

gboolean
jv_subset(const JsonValue *e, const JsonValue *a, const char *path, GPtrArray *diffs)
{
  guint before = diffs->len;
  if (!a || a->kind != e->kind) {
    differ(diffs, path, e, a);
    return FALSE;
  }
  switch (e->kind) {
  case JV_NULL:
    break;
  case JV_BOOL:
    if (e->b != a->b)
      differ(diffs, path, e, a);
    break;
  case JV_NUMBER:
    if (!numbers_equal(e->text, a->text))
      differ(diffs, path, e, a);
    break;
  case JV_STRING:
    if (strcmp(e->text, a->text) != 0)
      differ(diffs, path, e, a);
    break;
  case JV_ARRAY:
    if (e->items->len != a->items->len) {
      differ(diffs, path, e, a);
      break;
    }
    for (guint i = 0; i < e->items->len; i++) {
      char *sub = g_strdup_printf("%s[%u]", path, i);
      jv_subset(g_ptr_array_index(e->items, i), g_ptr_array_index(a->items, i), sub, diffs);
      g_free(sub);
    }
    break;
  case JV_OBJECT:
    for (guint i = 0; i < e->keys->len; i++) {
      const char *k = g_ptr_array_index(e->keys, i);
      char *sub = *path ? g_strdup_printf("%s.%s", path, k) : g_strdup(k);
      jv_subset(g_ptr_array_index(e->items, i), jv_get(a, k), sub, diffs);
      g_free(sub);
    }
    break;
  }
  return diffs->len == before;
}

gboolean
jv_equal_but_numbers(const JsonValue *a, const JsonValue *b)
{
  if (!a || !b)
    return a == b;
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind) {
  case JV_NULL:
  case JV_NUMBER:
    return TRUE;
  case JV_BOOL:
    return a->b == b->b;
  case JV_STRING:
    return strcmp(a->text, b->text) == 0;
  case JV_ARRAY:
    if (a->items->len != b->items->len)
      return FALSE;
    for (guint i = 0; i < a->items->len; i++)
      if (!jv_equal_but_numbers(g_ptr_array_index(a->items, i), g_ptr_array_index(b->items, i)))
        return FALSE;
    return TRUE;
  case JV_OBJECT:
    if (a->keys->len != b->keys->len)
      return FALSE;
    for (guint i = 0; i < a->keys->len; i++) {
      const char *k = g_ptr_array_index(a->keys, i);
      if (!jv_equal_but_numbers(g_ptr_array_index(a->items, i), jv_get(b, k)))
        return FALSE;
    }
    return TRUE;
  }
  return FALSE;
}
