/* jsondiff.c: reading fields of one JSON line, and naming the fields two JSON lines differ in. */
#include <string.h>

#include "json-private.h"
#include "jsondiff.h"

#define MAX_DEPTH 64 /* deeper values are compared as a whole */
#define SHOW_MAX 160 /* longest value text quoted in a difference */

typedef struct {
  const char *p; /* raw value text */
  gsize len;
  const char *key; /* raw key text with its quotes (members only) */
  gsize key_len;
  char *name; /* unescaped key (members only) */
} Item;

static void
items_clear(GArray *items)
{
  for (guint i = 0; i < items->len; i++)
    g_free(g_array_index(items, Item, i).name);
  g_array_set_size(items, 0);
}

static void
trim(const char **p, gsize *len)
{
  const char *s = *p, *e = *p + *len;
  s = reg_json_ws(s, e);
  while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t'))
    e--;
  *p = s;
  *len = (gsize) (e - s);
}

static char *
unescape(const char *raw, gsize raw_len)
{
  char *s = g_malloc(raw_len + 1);
  gsize n = reg_json_unescape(raw, raw_len, s);
  s[n] = '\0';
  return s;
}

/*
 * Splits the object (@open '{') or array (@open '[') that is the whole of
 * [p, p+len) into its members or elements. FALSE when it is not one (or not
 * valid JSON).
 */
static gboolean
split(const char *p, gsize len, char open, GArray *items)
{
  const char *end = p + len;
  char close = open == '{' ? '}' : ']';
  items_clear(items);
  if (len < 2 || p[0] != open)
    return FALSE;
  const char *q = reg_json_ws(p + 1, end);
  if (q < end && *q == close)
    return reg_json_ws(q + 1, end) == end;
  while (q < end) {
    Item it = { 0 };
    if (open == '{') {
      const char *ke;
      if (*q != '"' || reg_json_string(q, end, &ke, NULL) != REG_JSON_OK)
        return FALSE;
      it.key = q;
      it.key_len = (gsize) (ke - q);
      it.name = unescape(q + 1, it.key_len - 2);
      g_array_append_val(items, it);
      q = reg_json_ws(ke, end);
      if (q >= end || *q != ':')
        return FALSE;
      q = reg_json_ws(q + 1, end);
    } else {
      g_array_append_val(items, it);
    }
    const char *ve;
    if (q >= end || reg_json_skip(q, end, REG_JSON_MAX_DEPTH, &ve) != REG_JSON_OK)
      return FALSE;
    Item *last = &g_array_index(items, Item, items->len - 1);
    last->p = q;
    last->len = (gsize) (ve - q);
    q = reg_json_ws(ve, end);
    if (q < end && *q == ',') {
      q = reg_json_ws(q + 1, end);
      continue;
    }
    if (q < end && *q == close)
      return reg_json_ws(q + 1, end) == end;
    return FALSE;
  }
  return FALSE;
}

gboolean
regel_json_member(const char *json, gsize len, const char *key, const char **val, gsize *vlen)
{
  const char *p = json;
  trim(&p, &len);
  GArray *items = g_array_new(FALSE, FALSE, sizeof(Item));
  gboolean found = FALSE;
  if (split(p, len, '{', items)) {
    for (guint i = 0; i < items->len && !found; i++) {
      Item *it = &g_array_index(items, Item, i);
      if (strcmp(it->name, key) == 0) {
        *val = it->p;
        *vlen = it->len;
        found = TRUE;
      }
    }
  }
  items_clear(items);
  g_array_free(items, TRUE);
  return found;
}

char *
regel_json_get_string(const char *json, gsize len, const char *path)
{
  g_auto(GStrv) keys = g_strsplit(path, ".", -1);
  const char *p = json;
  gsize n = len;
  for (guint i = 0; keys[i]; i++)
    if (!regel_json_member(p, n, keys[i], &p, &n))
      return NULL;
  const char *e;
  if (n < 2 || p[0] != '"' || reg_json_string(p, p + n, &e, NULL) != REG_JSON_OK || e != p + n)
    return NULL;
  return unescape(p + 1, n - 2);
}

gboolean
regel_json_get_uint(const char *json, gsize len, const char *key, guint64 *value)
{
  const char *p;
  gsize n;
  if (!regel_json_member(json, len, key, &p, &n) || n == 0 || n > 19)
    return FALSE;
  guint64 v = 0;
  for (gsize i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9')
      return FALSE;
    v = v * 10 + (guint64) (p[i] - '0');
  }
  *value = v;
  return TRUE;
}

/* ---- Differences ---- */

typedef struct {
  GPtrArray *diffs;
  guint max;
  guint found;
  GString *path;
} Diff;

/* Appends @p as a reader sees it in a report: JSON text, cut short when long. */
static void
show(GString *s, const char *p, gsize len)
{
  if (!p) {
    g_string_append(s, "(absent)");
    return;
  }
  if (len <= SHOW_MAX) {
    g_string_append_len(s, p, (gssize) len);
    return;
  }
  gsize cut = SHOW_MAX;
  while (cut > 0 && ((unsigned char) p[cut] & 0xC0) == 0x80)
    cut--; /* not inside a UTF-8 sequence */
  g_string_append_len(s, p, (gssize) cut);
  g_string_append_printf(s, "... (%" G_GSIZE_FORMAT " bytes)", len);
}

static void
report(Diff *d, const char *what, const char *a, gsize alen, const char *b, gsize blen)
{
  d->found++;
  if (d->diffs->len > d->max)
    return;
  if (d->diffs->len == d->max) {
    g_ptr_array_add(d->diffs, g_strdup("(more differences not shown)"));
    return;
  }
  GString *s = g_string_new(d->path->len ? d->path->str : "(whole line)");
  g_string_append(s, ": ");
  if (what)
    g_string_append_printf(s, "%s: ", what);
  g_string_append(s, "recorded ");
  show(s, a, alen);
  g_string_append(s, ", replayed ");
  show(s, b, blen);
  g_ptr_array_add(d->diffs, g_string_free(s, FALSE));
}

static gboolean
is_identifier(const char *s)
{
  if (!*s || g_ascii_isdigit(*s))
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum(*s) && *s != '_')
      return FALSE;
  return TRUE;
}

static void diff_values(Diff *d, const char *a, gsize alen, const char *b, gsize blen, int depth);

static void
diff_objects(Diff *d, GArray *ma, GArray *mb, int depth)
{
  gsize mark = d->path->len;
  for (guint i = 0; i < ma->len; i++) {
    Item *x = &g_array_index(ma, Item, i);
    Item *y = NULL;
    for (guint j = 0; j < mb->len && !y; j++)
      if (strcmp(g_array_index(mb, Item, j).name, x->name) == 0)
        y = &g_array_index(mb, Item, j);
    if (is_identifier(x->name))
      g_string_append_printf(d->path, "%s%s", mark ? "." : "", x->name);
    else
      g_string_append_printf(d->path, "[%.*s]", (int) x->key_len, x->key);
    if (y)
      diff_values(d, x->p, x->len, y->p, y->len, depth + 1);
    else
      report(d, NULL, x->p, x->len, NULL, 0);
    g_string_truncate(d->path, mark);
  }
  for (guint j = 0; j < mb->len; j++) {
    Item *y = &g_array_index(mb, Item, j);
    gboolean in_a = FALSE;
    for (guint i = 0; i < ma->len && !in_a; i++)
      in_a = strcmp(g_array_index(ma, Item, i).name, y->name) == 0;
    if (in_a)
      continue;
    if (is_identifier(y->name))
      g_string_append_printf(d->path, "%s%s", mark ? "." : "", y->name);
    else
      g_string_append_printf(d->path, "[%.*s]", (int) y->key_len, y->key);
    report(d, NULL, NULL, 0, y->p, y->len);
    g_string_truncate(d->path, mark);
  }
}

static void
diff_arrays(Diff *d, GArray *ea, GArray *eb, int depth)
{
  gsize mark = d->path->len;
  guint n = MAX(ea->len, eb->len);
  for (guint i = 0; i < n; i++) {
    Item *x = i < ea->len ? &g_array_index(ea, Item, i) : NULL;
    Item *y = i < eb->len ? &g_array_index(eb, Item, i) : NULL;
    g_string_append_printf(d->path, "[%u]", i);
    if (x && y)
      diff_values(d, x->p, x->len, y->p, y->len, depth + 1);
    else
      report(d, NULL, x ? x->p : NULL, x ? x->len : 0, y ? y->p : NULL, y ? y->len : 0);
    g_string_truncate(d->path, mark);
  }
}

static void
diff_values(Diff *d, const char *a, gsize alen, const char *b, gsize blen, int depth)
{
  trim(&a, &alen);
  trim(&b, &blen);
  if (alen == blen && memcmp(a, b, alen) == 0)
    return;
  guint before = d->found;
  if (depth < MAX_DEPTH && alen > 0 && blen > 0 && a[0] == b[0] && (a[0] == '{' || a[0] == '[')) {
    GArray *xa = g_array_new(FALSE, FALSE, sizeof(Item));
    GArray *xb = g_array_new(FALSE, FALSE, sizeof(Item));
    if (split(a, alen, a[0], xa) && split(b, blen, b[0], xb)) {
      if (a[0] == '{')
        diff_objects(d, xa, xb, depth);
      else
        diff_arrays(d, xa, xb, depth);
      if (d->found == before && a[0] == '{') {
        gboolean order = xa->len == xb->len;
        for (guint i = 0; order && i < xa->len; i++)
          order = strcmp(g_array_index(xa, Item, i).name, g_array_index(xb, Item, i).name) == 0;
        if (!order)
          report(d, "members in another order", a, alen, b, blen);
      }
    }
    items_clear(xa);
    items_clear(xb);
    g_array_free(xa, TRUE);
    g_array_free(xb, TRUE);
  }
  if (d->found == before)
    report(d, NULL, a, alen, b, blen);
}

guint
regel_json_diff(const char *recorded, gsize rlen, const char *replayed, gsize plen,
                GPtrArray *diffs, guint max)
{
  Diff d = { diffs, max, 0, g_string_new(NULL) };
  if (rlen == plen && memcmp(recorded, replayed, rlen) == 0) {
    g_string_free(d.path, TRUE);
    return 0;
  }
  diff_values(&d, recorded, rlen, replayed, plen, 0);
  if (d.found == 0) /* equal once trimmed: the bytes around the value differ */
    report(&d, "spacing", recorded, rlen, replayed, plen);
  g_string_free(d.path, TRUE);
  return d.found;
}
