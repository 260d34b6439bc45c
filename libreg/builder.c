/* builder.c: interning tables (strings, types, constants, locations) for the code generator. */
#include "builder-private.h"

#include <string.h>

RegBuilder *
reg_builder_new(void)
{
  RegBuilder *b = g_new0(RegBuilder, 1);
  b->str_bytes = g_byte_array_new();
  b->str_lens = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  b->str_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  b->types = g_array_new(FALSE, FALSE, sizeof(RegType));
  b->type_index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  b->enums = g_array_new(FALSE, FALSE, sizeof(RegEnum));
  b->enum_members = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  b->enum_labels = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  b->records = g_array_new(FALSE, FALSE, sizeof(RegRecord));
  b->fields = g_array_new(FALSE, FALSE, sizeof(RegField));
  b->consts = g_array_new(FALSE, FALSE, sizeof(int64_t));
  b->const_index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  b->funcs = g_array_new(FALSE, FALSE, sizeof(RegFunction));
  b->reg_types = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  b->code = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  b->insn_locs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  b->locs = g_array_new(FALSE, FALSE, sizeof(RegLoc));
  b->loc_index = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                       NULL);
  b->rules = g_array_new(FALSE, FALSE, sizeof(RegRuleInfo));
  b->globals = g_array_new(FALSE, FALSE, sizeof(RegGlobal));
  b->views = g_array_new(FALSE, FALSE, sizeof(RegView));
  b->checks = g_array_new(FALSE, FALSE, sizeof(RegCheck));
  b->conds = g_array_new(FALSE, FALSE, sizeof(RegCond));
  b->plain_of = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  /* The primitive types come first, at their fixed ids. */
  for (uint32_t k = REG_TK_BOOL; k <= REG_TK_DUR; k++)
    reg_builder_type(b, (RegTypeKind) k, 0);
  b->input_record = REG_NONE;
  return b;
}

void
reg_builder_free(RegBuilder *b)
{
  if (!b)
    return;
  g_byte_array_unref(b->str_bytes);
  g_array_unref(b->str_lens);
  g_hash_table_unref(b->str_index);
  g_array_unref(b->types);
  g_hash_table_unref(b->type_index);
  g_array_unref(b->enums);
  g_array_unref(b->enum_members);
  g_array_unref(b->enum_labels);
  g_array_unref(b->records);
  g_array_unref(b->fields);
  g_array_unref(b->consts);
  g_hash_table_unref(b->const_index);
  g_array_unref(b->funcs);
  g_array_unref(b->reg_types);
  g_array_unref(b->code);
  g_array_unref(b->insn_locs);
  g_array_unref(b->locs);
  g_hash_table_unref(b->loc_index);
  g_array_unref(b->rules);
  g_array_unref(b->globals);
  g_array_unref(b->views);
  g_array_unref(b->checks);
  g_array_unref(b->conds);
  g_array_unref(b->plain_of);
  g_free(b);
}

uint32_t
reg_builder_string(RegBuilder *b, const char *s)
{
  gpointer v = g_hash_table_lookup(b->str_index, s);
  if (v)
    return GPOINTER_TO_UINT(v) - 1;
  uint32_t idx = b->str_lens->len;
  uint32_t len = (uint32_t) strlen(s);
  g_byte_array_append(b->str_bytes, (const guint8 *) s, len);
  g_array_append_val(b->str_lens, len);
  g_hash_table_insert(b->str_index, g_strdup(s), GUINT_TO_POINTER(idx + 1));
  return idx;
}

uint32_t
reg_builder_type(RegBuilder *b, RegTypeKind kind, uint32_t arg)
{
  gint64 key = ((gint64) kind << 32) | arg;
  gpointer v = g_hash_table_lookup(b->type_index, &key);
  if (v)
    return GPOINTER_TO_UINT(v) - 1;
  RegType t = { kind, arg };
  uint32_t idx = b->types->len;
  g_array_append_val(b->types, t);
  gint64 *k = g_new(gint64, 1);
  *k = key;
  g_hash_table_insert(b->type_index, k, GUINT_TO_POINTER(idx + 1));
  return idx;
}

uint32_t
reg_builder_const(RegBuilder *b, int64_t v)
{
  gint64 key = v;
  gpointer found = g_hash_table_lookup(b->const_index, &key);
  if (found)
    return GPOINTER_TO_UINT(found) - 1;
  uint32_t idx = b->consts->len;
  g_array_append_val(b->consts, v);
  gint64 *k = g_new(gint64, 1);
  *k = key;
  g_hash_table_insert(b->const_index, k, GUINT_TO_POINTER(idx + 1));
  return idx;
}

uint32_t
reg_builder_loc(RegBuilder *b, uint32_t file_string, uint32_t line, uint32_t col)
{
  RegLoc l = { file_string, line, col };
  GBytes *key = g_bytes_new(&l, sizeof l);
  gpointer found = g_hash_table_lookup(b->loc_index, key);
  if (found) {
    g_bytes_unref(key);
    return GPOINTER_TO_UINT(found) - 1;
  }
  uint32_t idx = b->locs->len;
  g_array_append_val(b->locs, l);
  g_hash_table_insert(b->loc_index, key, GUINT_TO_POINTER(idx + 1));
  return idx;
}
