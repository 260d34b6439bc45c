/* replay.c: deciding recorded decisions again, for `regel replay` and `regel audit`. */
#include <string.h>

#include "jsondiff.h"
#include "replay.h"
#include "sha256-private.h"

#define HASH_GROUP 128

/* ---- Deciding one line again ---- */

struct _RegelRedecider {
  RegBatch *batch;
  RegEvaluator *ev;
  GString *in;
  GString *out;
};

RegelRedecider *
regel_redecider_new(RegProgram *program, const char *view, gboolean public_view,
                    RegExplainStyle explain, GError **error)
{
  RegelRedecider *r = g_new0(RegelRedecider, 1);
  r->batch = reg_batch_new(program, 1);
  r->ev = reg_batch_get_evaluator(r->batch, 0);
  r->in = g_string_new(NULL);
  r->out = g_string_new(NULL);
  /* the same settings as `regel eval` makes for these options */
  if ((view && !reg_evaluator_set_view(r->ev, view, error)) ||
      (public_view && !reg_evaluator_set_view(r->ev, "openbaar", NULL) &&
       !reg_evaluator_set_view(r->ev, "public", error))) {
    regel_redecider_free(r);
    return NULL;
  }
  if (public_view)
    reg_evaluator_set_audit_fields(r->ev, FALSE);
  if (explain)
    reg_evaluator_set_explain_style(r->ev, explain);
  return r;
}

void
regel_redecider_free(RegelRedecider *r)
{
  if (!r)
    return;
  reg_batch_free(r->batch);
  g_string_free(r->in, TRUE);
  g_string_free(r->out, TRUE);
  g_free(r);
}

guint
regel_redecide(RegelRedecider *r, const char *input, gsize len, const char *as_of, guint64 line,
               const char *recorded, gsize recorded_len, GPtrArray *diffs)
{
  g_autoptr(GError) error = NULL;
  if (!reg_evaluator_set_as_of(r->ev, as_of, &error)) {
    g_ptr_array_add(diffs, g_strdup_printf("as_of: recorded \"%s\" is not a date", as_of));
    return 1;
  }
  /* with its newline, so that an empty line is a line too */
  g_string_truncate(r->in, 0);
  g_string_append_len(r->in, input, (gssize) len);
  g_string_append_c(r->in, '\n');
  g_string_truncate(r->out, 0);
  reg_batch_decide(r->batch, r->in->str, r->in->len, line, r->out, NULL);
  if (r->out->len > 0 && r->out->str[r->out->len - 1] == '\n')
    g_string_truncate(r->out, r->out->len - 1);
  return regel_json_diff(recorded, recorded_len, r->out->str, r->out->len, diffs, 20);
}

/* ---- Input lines ---- */

typedef struct {
  const char *p;
  gsize len;
} Line;

typedef struct {
  char *name;
  guint64 first_line;
} File;

struct _RegelInputs {
  GPtrArray *maps;     /* GMappedFile */
  GArray *files;       /* File */
  GArray *lines;       /* Line; line N is index N - 1 */
  GByteArray *digests; /* 32 bytes per line */
  GArray *next_same;   /* guint64: the next line with the same digest, or 0 */
  GHashTable *by_digest;
  GByteArray *used;
  GHashTable *by_teacher; /* made when first asked */
  GArray *next_teacher;
  char hex[65];
};

static guint
digest_hash(gconstpointer k)
{
  guint h;
  memcpy(&h, k, sizeof h);
  return h;
}

static gboolean
digest_equal(gconstpointer a, gconstpointer b)
{
  return memcmp(a, b, REG_SHA256_LEN) == 0;
}

RegelInputs *
regel_inputs_new(void)
{
  RegelInputs *in = g_new0(RegelInputs, 1);
  in->maps = g_ptr_array_new_with_free_func((GDestroyNotify) g_mapped_file_unref);
  in->files = g_array_new(FALSE, FALSE, sizeof(File));
  in->lines = g_array_new(FALSE, FALSE, sizeof(Line));
  in->digests = g_byte_array_new();
  in->next_same = g_array_new(FALSE, TRUE, sizeof(guint64));
  in->used = g_byte_array_new();
  return in;
}

void
regel_inputs_free(RegelInputs *in)
{
  if (!in)
    return;
  for (guint i = 0; i < in->files->len; i++)
    g_free(g_array_index(in->files, File, i).name);
  g_array_free(in->files, TRUE);
  g_array_free(in->lines, TRUE);
  g_byte_array_free(in->digests, TRUE);
  g_array_free(in->next_same, TRUE);
  g_byte_array_free(in->used, TRUE);
  if (in->by_digest)
    g_hash_table_destroy(in->by_digest);
  if (in->by_teacher)
    g_hash_table_destroy(in->by_teacher);
  if (in->next_teacher)
    g_array_free(in->next_teacher, TRUE);
  g_ptr_array_unref(in->maps);
  g_free(in);
}

/* (Re)builds the digest index; the digests array may have moved since the last file. */
static void
index_digests(RegelInputs *in)
{
  if (in->by_digest)
    g_hash_table_destroy(in->by_digest);
  in->by_digest = g_hash_table_new(digest_hash, digest_equal);
  g_array_set_size(in->next_same, in->lines->len);
  guint64 *last = g_new0(guint64, in->lines->len + 1); /* last line seen of each first line */
  for (guint i = 0; i < in->lines->len; i++) {
    guint8 *d = in->digests->data + (gsize) i * REG_SHA256_LEN;
    gpointer first;
    g_array_index(in->next_same, guint64, i) = 0;
    if (g_hash_table_lookup_extended(in->by_digest, d, NULL, &first)) {
      guint64 f = GPOINTER_TO_SIZE(first);
      g_array_index(in->next_same, guint64, last[f] - 1) = i + 1;
      last[f] = i + 1;
    } else {
      g_hash_table_insert(in->by_digest, d, GSIZE_TO_POINTER((gsize) i + 1));
      last[i + 1] = i + 1;
    }
  }
  g_free(last);
}

gboolean
regel_inputs_add_file(RegelInputs *in, const char *path, GError **error)
{
  GMappedFile *map = g_mapped_file_new(path, FALSE, error);
  if (!map)
    return FALSE;
  g_ptr_array_add(in->maps, map);
  File f = { g_strdup(path), in->lines->len + 1 };
  g_array_append_val(in->files, f);
  const char *p = g_mapped_file_get_contents(map);
  const char *end = p + g_mapped_file_get_length(map);
  while (p && p < end) {
    const char *nl = memchr(p, '\n', (gsize) (end - p));
    Line l = { p, nl ? (gsize) (nl - p) : (gsize) (end - p) };
    g_array_append_val(in->lines, l);
    p = nl ? nl + 1 : end;
  }
  gsize from = in->digests->len / REG_SHA256_LEN;
  g_byte_array_set_size(in->digests, in->lines->len * REG_SHA256_LEN);
  g_byte_array_set_size(in->used, in->lines->len);
  memset(in->used->data + from, 0, in->lines->len - from);
  for (gsize i = from; i < in->lines->len; i += HASH_GROUP) {
    gsize n = MIN(HASH_GROUP, in->lines->len - i);
    const uint8_t *ptrs[HASH_GROUP];
    size_t lens[HASH_GROUP];
    for (gsize j = 0; j < n; j++) {
      Line *l = &g_array_index(in->lines, Line, i + j);
      ptrs[j] = (const uint8_t *) l->p;
      lens[j] = l->len;
    }
    uint8_t(*out)[REG_SHA256_LEN] = (void *) (in->digests->data + i * REG_SHA256_LEN);
    reg_sha256_many(n, ptrs, lens, out);
  }
  index_digests(in);
  return TRUE;
}

guint64
regel_inputs_get_n_lines(RegelInputs *in)
{
  return in->lines->len;
}

gboolean
regel_inputs_get(RegelInputs *in, guint64 line, const char **text, gsize *len)
{
  if (line == 0 || line > in->lines->len)
    return FALSE;
  Line *l = &g_array_index(in->lines, Line, line - 1);
  *text = l->p;
  *len = l->len;
  return TRUE;
}

const char *
regel_inputs_locate(RegelInputs *in, guint64 line, guint64 *file_line)
{
  for (guint i = in->files->len; i-- > 0;) {
    File *f = &g_array_index(in->files, File, i);
    if (line >= f->first_line) {
      *file_line = line - f->first_line + 1;
      return f->name;
    }
  }
  *file_line = line;
  return "-";
}

const char *
regel_inputs_get_sha256(RegelInputs *in, guint64 line)
{
  g_return_val_if_fail(line >= 1 && line <= in->lines->len, NULL);
  reg_sha256_hex(in->digests->data + (line - 1) * REG_SHA256_LEN, in->hex);
  return in->hex;
}

/* The first unused line of the chain from @first, else @first. */
static guint64
prefer_unused(RegelInputs *in, guint64 first, GArray *next)
{
  for (guint64 l = first; l; l = g_array_index(next, guint64, l - 1))
    if (!in->used->data[l - 1])
      return l;
  return first;
}

guint64
regel_inputs_find(RegelInputs *in, const char *hex)
{
  guint8 d[REG_SHA256_LEN];
  if (!hex || strlen(hex) != 64 || !in->by_digest)
    return 0;
  for (int i = 0; i < REG_SHA256_LEN; i++) {
    int hi = g_ascii_xdigit_value(hex[2 * i]), lo = g_ascii_xdigit_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return 0;
    d[i] = (guint8) (hi << 4 | lo);
  }
  gpointer first;
  if (!g_hash_table_lookup_extended(in->by_digest, d, NULL, &first))
    return 0;
  return prefer_unused(in, GPOINTER_TO_SIZE(first), in->next_same);
}

guint64
regel_inputs_find_teacher(RegelInputs *in, const char *teacher)
{
  if (!in->by_teacher) {
    in->by_teacher = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    in->next_teacher = g_array_new(FALSE, TRUE, sizeof(guint64));
    g_array_set_size(in->next_teacher, in->lines->len);
    GHashTable *last = g_hash_table_new(g_str_hash, g_str_equal); /* id -> its last line */
    for (guint i = 0; i < in->lines->len; i++) {
      Line *l = &g_array_index(in->lines, Line, i);
      char *id = regel_json_get_string(l->p, l->len, "teacher.id");
      if (!id)
        continue;
      gpointer key;
      if (g_hash_table_lookup_extended(in->by_teacher, id, &key, NULL)) {
        guint64 prev = GPOINTER_TO_SIZE(g_hash_table_lookup(last, key));
        g_array_index(in->next_teacher, guint64, prev - 1) = i + 1;
        g_hash_table_insert(last, key, GSIZE_TO_POINTER((gsize) i + 1));
        g_free(id);
      } else {
        g_hash_table_insert(in->by_teacher, id, GSIZE_TO_POINTER((gsize) i + 1));
        g_hash_table_insert(last, id, GSIZE_TO_POINTER((gsize) i + 1));
      }
    }
    g_hash_table_destroy(last);
  }
  gpointer first;
  if (!teacher || !g_hash_table_lookup_extended(in->by_teacher, teacher, NULL, &first))
    return 0;
  return prefer_unused(in, GPOINTER_TO_SIZE(first), in->next_teacher);
}

void
regel_inputs_mark_used(RegelInputs *in, guint64 line)
{
  if (line >= 1 && line <= in->lines->len)
    in->used->data[line - 1] = 1;
}

gboolean
regel_inputs_is_used(RegelInputs *in, guint64 line)
{
  return line >= 1 && line <= in->lines->len && in->used->data[line - 1];
}
