/* compiler.c: the compiler's driver: sources in, passes in order, a verified program out. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler-private.h"
#include "file-private.h"
#include "i18n.h"

RegCompiler *
reg_compiler_new(void)
{
  RegCompiler *c = g_new0(RegCompiler, 1);
  c->sources = g_ptr_array_new_with_free_func((GDestroyNotify) reg_source_free);
  c->diags = g_ptr_array_new_with_free_func((GDestroyNotify) reg_diag_free);
  return c;
}

static void
free_rule_group(RuleGroup *g)
{
  g_ptr_array_unref(g->versions);
  if (g->callees)
    g_ptr_array_unref(g->callees);
  g_free(g->param_types);
  g_free(g->funcs);
  g_free(g->globals);
  g_free(g->rules);
  g_free(g->plain_funcs);
  g_free(g->plain_globals);
  g_free(g);
}

static void
free_record_sym(RecordSym *r)
{
  g_ptr_array_free(r->fields, TRUE);
  g_hash_table_unref(r->by_name);
  g_free(r->name);
  g_free(r);
}

static void
free_enum_sym(EnumSym *e)
{
  g_hash_table_unref(e->members);
  g_free(e);
}

/* Drops everything of the last compilation but the sources and diagnostics. */
static void
reset_compilation(RegCompiler *c)
{
  if (c->files)
    g_ptr_array_unref(c->files);
  c->files = NULL;
  if (c->b)
    reg_builder_free(c->b);
  c->b = NULL;
  if (c->globals)
    g_hash_table_unref(c->globals);
  c->globals = NULL;
  if (c->enums)
    g_ptr_array_unref(c->enums);
  c->enums = NULL;
  if (c->records)
    g_ptr_array_unref(c->records);
  c->records = NULL;
  if (c->rules)
    g_ptr_array_unref(c->rules);
  c->rules = NULL;
  if (c->outputs)
    g_ptr_array_unref(c->outputs);
  c->outputs = NULL;
  if (c->checks)
    g_ptr_array_unref(c->checks);
  c->checks = NULL;
  if (c->rule_order)
    g_ptr_array_unref(c->rule_order);
  c->rule_order = NULL;
  if (c->member_owner)
    g_hash_table_unref(c->member_owner);
  c->member_owner = NULL;
  if (c->scope)
    g_array_unref(c->scope);
  c->scope = NULL;
  c->input = NULL;
  c->criteria = NULL;
  c->current_rule = NULL;
  c->check_depth = 0;
}

void
reg_compiler_free(RegCompiler *c)
{
  if (!c)
    return;
  reset_compilation(c);
  g_ptr_array_unref(c->sources);
  g_ptr_array_unref(c->diags);
  g_free(c);
}

void
reg_compiler_diag(RegCompiler *c, RegDiagCode code, uint32_t file, uint32_t start, uint32_t end,
                  const char *fmt, ...)
{
  /* A runaway file could produce millions: keep the first ones. */
  if (c->diags->len >= 1000)
    return;
  RegDiag *d = g_new0(RegDiag, 1);
  d->code = code;
  d->severity = REG_SEV_ERROR;
  d->file = file;
  d->start = start;
  d->end = end;
  va_list ap;
  va_start(ap, fmt);
  d->message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(c->diags, d);
  c->nerrors++;
}

void
reg_compiler_add_source(RegCompiler *c, const char *name, const char *text, gssize len)
{
  g_return_if_fail(c != NULL && name != NULL && text != NULL);
  size_t n = len < 0 ? strlen(text) : (size_t) len;
  if (c->sources->len >= REG_MAX_SOURCES) {
    c->io_error = TRUE;
    reg_compiler_diag(c, REG_E_TOO_LARGE, REG_NONE, 0, 0, _("%s: more than %d criteria files"),
                      name, REG_MAX_SOURCES);
    return;
  }
  if (n > REG_MAX_SOURCE_SIZE) {
    /* keep it as an empty source so that the error names the file */
    g_ptr_array_add(c->sources, reg_source_new(name, "", 0));
    reg_compiler_diag(c, REG_E_TOO_LARGE, c->sources->len - 1, 0, 0,
                      _("criteria file is %zu bytes; the limit is %u"), n, REG_MAX_SOURCE_SIZE);
    return;
  }
  g_ptr_array_add(c->sources, reg_source_new(name, text, n));
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

static gboolean
add_file(RegCompiler *c, const char *path, GError **error)
{
  char *text = NULL;
  gsize len = 0;
  GError *local = NULL;
  switch (reg_read_file_limited(path, REG_MAX_SOURCE_SIZE, &text, &len, &local)) {
  case REG_READ_FILE_TOO_LARGE:
    /* too large to read whole: say so by its size, as reg_compiler_add_source() would (a
     * FIFO or a device is read no further than one byte past the limit) */
    g_ptr_array_add(c->sources, reg_source_new(path, "", 0));
    reg_compiler_diag(c, REG_E_TOO_LARGE, c->sources->len - 1, 0, 0,
                      _("criteria file is %zu bytes; the limit is %u"), (size_t) len,
                      REG_MAX_SOURCE_SIZE);
    return TRUE;
  case REG_READ_FILE_IO:
    g_set_error(error, REG_COMPILE_ERROR, REG_COMPILE_ERROR_IO, "%s", local->message);
    g_error_free(local);
    c->io_error = TRUE;
    return FALSE;
  case REG_READ_FILE_OK:
  default:
    break;
  }
  reg_compiler_add_source(c, path, text, (gssize) len);
  g_free(text);
  return TRUE;
}

gboolean
reg_compiler_add_path(RegCompiler *c, const char *path, GError **error)
{
  g_return_val_if_fail(c != NULL && path != NULL, FALSE);
  if (!g_file_test(path, G_FILE_TEST_IS_DIR))
    return add_file(c, path, error);
  GError *local = NULL;
  GDir *dir = g_dir_open(path, 0, &local);
  if (!dir) {
    g_set_error(error, REG_COMPILE_ERROR, REG_COMPILE_ERROR_IO, "%s", local->message);
    g_error_free(local);
    c->io_error = TRUE;
    return FALSE;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(dir)) != NULL)
    if (g_str_has_suffix(name, ".regel"))
      g_ptr_array_add(names, g_build_filename(path, name, NULL));
  g_dir_close(dir);
  g_ptr_array_sort(names, cmp_str);
  gboolean ok = TRUE;
  if (names->len == 0) {
    g_set_error(error, REG_COMPILE_ERROR, REG_COMPILE_ERROR_IO, "%s: no *.regel files", path);
    c->io_error = TRUE;
    ok = FALSE;
  }
  for (guint i = 0; ok && i < names->len; i++)
    ok = add_file(c, g_ptr_array_index(names, i), error);
  g_ptr_array_unref(names);
  return ok;
}

static gint
cmp_diag(gconstpointer pa, gconstpointer pb)
{
  const RegDiag *a = *(RegDiag *const *) pa, *b = *(RegDiag *const *) pb;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return 0;
}

RegProgram *
reg_compiler_compile(RegCompiler *c, GError **error)
{
  g_return_val_if_fail(c != NULL, NULL);
  reset_compilation(c);
  /* Diagnostics of earlier add_* calls (unreadable, too large) are kept. */
  c->files = g_ptr_array_new_with_free_func((GDestroyNotify) ast_free);
  c->b = reg_builder_new();
  c->globals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  c->enums = g_ptr_array_new_with_free_func((GDestroyNotify) free_enum_sym);
  c->records = g_ptr_array_new_with_free_func((GDestroyNotify) free_record_sym);
  c->rules = g_ptr_array_new_with_free_func((GDestroyNotify) free_rule_group);
  c->outputs = g_ptr_array_new();
  c->checks = g_ptr_array_new();
  c->rule_order = g_ptr_array_new();
  c->member_owner = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) g_ptr_array_unref);
  c->scope = g_array_new(FALSE, FALSE, sizeof(Local));

  RegProgram *p = NULL;
  if (c->sources->len == 0)
    reg_compiler_diag(c, REG_E_NO_CRITERIA, REG_NONE, 0, 0, _("no criteria files given"));

  for (guint i = 0; i < c->sources->len; i++) {
    RegSource *src = g_ptr_array_index(c->sources, i);
    RegParseCtx ctx = { 0 };
    ctx.comp = c;
    ctx.file = i;
    reg_parse_file(&ctx, src->text, src->len);
    g_ptr_array_add(c->files, ctx.root);
  }
  if (c->nerrors == 0 && reg_resolve(c) && reg_check(c) && reg_codegen(c)) {
    GBytes *bytes = reg_builder_serialize(c->b);
    GError *verr = NULL;
    p = reg_program_load_bytes(bytes, &verr);
    g_bytes_unref(bytes);
    if (!p) {
      reg_compiler_diag(c, REG_E_LIMIT, REG_NONE, 0, 0,
                        _("internal error: the compiled program was rejected: %s"), verr->message);
      g_error_free(verr);
    }
  }
  g_ptr_array_sort(c->diags, cmp_diag);
  if (!p) {
    g_set_error(error, REG_COMPILE_ERROR, REG_COMPILE_ERROR_SOURCE,
                reg_ngettext("the criteria have %u error", "the criteria have %u errors",
                             c->nerrors),
                c->nerrors);
  }
  return p;
}

guint
reg_compiler_get_n_diagnostics(RegCompiler *c)
{
  g_return_val_if_fail(c != NULL, 0);
  return c->diags->len;
}

const char *
reg_compiler_get_diagnostic(RegCompiler *c, guint index, guint *code, const char **file,
                            guint *line, guint *column)
{
  g_return_val_if_fail(c != NULL && index < c->diags->len, NULL);
  const RegDiag *d = g_ptr_array_index(c->diags, index);
  const RegSource *src = d->file < c->sources->len ? g_ptr_array_index(c->sources, d->file) : NULL;
  uint32_t l = 0, col = 0;
  if (src)
    reg_source_position(src, d->start, &l, &col);
  if (code)
    *code = d->code;
  if (file)
    *file = src ? src->path : "";
  if (line)
    *line = l;
  if (column)
    *column = col;
  return d->message;
}

char *
reg_compiler_format_diagnostics(RegCompiler *c)
{
  g_return_val_if_fail(c != NULL, NULL);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < c->diags->len; i++)
    reg_diag_render(g_ptr_array_index(c->diags, i), c->sources, s);
  return g_string_free(s, FALSE);
}
