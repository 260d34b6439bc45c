/* testfile.c: the reader of *.regeltest files. */
#include <stdlib.h>
#include <string.h>

#include "file-private.h"
#include "json-private.h"
#include "testfile.h"

void
test_case_free(TestCase *t)
{
  if (!t)
    return;
  g_free(t->name);
  g_free(t->file);
  g_free(t->as_of);
  g_free(t->view);
  g_free(t->portfolio);
  jv_free(t->expect);
  g_free(t->message);
  g_free(t->snippet);
  g_free(t);
}

typedef struct {
  const char *path;
  const char *text, *p, *end;
  guint line;
  GError **error;
} Reader;

static gboolean
fail(Reader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(Reader *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(r->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: %s", r->path, r->line, msg);
  g_free(msg);
  return FALSE;
}

static void
skip_blank(Reader *r)
{
  for (;;) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n')) {
      if (*r->p == '\n')
        r->line++;
      r->p++;
    }
    if (r->p < r->end && *r->p == '#') {
      while (r->p < r->end && *r->p != '\n')
        r->p++;
      continue;
    }
    return;
  }
}

static char *
read_word(Reader *r)
{
  skip_blank(r);
  const char *s = r->p;
  while (r->p < r->end && (g_ascii_isalnum(*r->p) || *r->p == '_'))
    r->p++;
  return s == r->p ? NULL : g_strndup(s, (gsize) (r->p - s));
}

static gboolean
is_word(const char *w, const char *nl, const char *en)
{
  return w && (strcmp(w, nl) == 0 || strcmp(w, en) == 0);
}

/* "text" with \" and \\ escapes, on one line. */
static char *
read_text(Reader *r)
{
  skip_blank(r);
  if (r->p >= r->end || *r->p != '"')
    return NULL;
  GString *s = g_string_new(NULL);
  r->p++;
  while (r->p < r->end && *r->p != '"' && *r->p != '\n') {
    if (*r->p == '\\' && r->p + 1 < r->end)
      r->p++;
    g_string_append_c(s, *r->p++);
  }
  if (r->p >= r->end || *r->p != '"') {
    g_string_free(s, TRUE);
    return NULL;
  }
  r->p++;
  return g_string_free(s, FALSE);
}

/* A JSON value, as text, validated. */
static char *
read_json(Reader *r)
{
  skip_blank(r);
  const char *q;
  if (reg_json_skip(r->p, r->end, 200, &q) != REG_JSON_OK)
    return NULL;
  for (const char *c = r->p; c < q; c++)
    if (*c == '\n')
      r->line++;
  char *s = g_strndup(r->p, (gsize) (q - r->p));
  r->p = q;
  return s;
}

/* """ ... """ */
static char *
read_block(Reader *r)
{
  skip_blank(r);
  if (r->end - r->p < 3 || memcmp(r->p, "\"\"\"", 3) != 0)
    return NULL;
  const char *s = r->p + 3;
  const char *e = g_strstr_len(s, r->end - s, "\"\"\"");
  if (!e)
    return NULL;
  for (const char *c = r->p; c < e; c++)
    if (*c == '\n')
      r->line++;
  r->p = e + 3;
  return g_strndup(s, (gsize) (e - s));
}

/* Line @n (1-based) of a JSON Lines file. */
static char *
line_of_file(const char *dir, const char *name, guint n, GError **error)
{
  char *path = g_path_is_absolute(name) ? g_strdup(name) : g_build_filename(dir, name, NULL);
  /* mapped, not read: the line may be one of a large corpus */
  GMappedFile *mapped = g_mapped_file_new(path, FALSE, error);
  g_free(path);
  if (!mapped)
    return NULL;
  const char *data = g_mapped_file_get_contents(mapped);
  gsize len = g_mapped_file_get_length(mapped);
  char *result = NULL;
  const char *p = data, *end = data + len;
  for (guint i = 1; p < end; i++) {
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    const char *le = nl ? nl : end;
    if (i == n) {
      result = g_strndup(p, (gsize) (le - p));
      break;
    }
    p = nl ? nl + 1 : end;
  }
  g_mapped_file_unref(mapped);
  if (!result)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s has no line %u", name, n);
  return result;
}

static gboolean
finish(Reader *r, TestCase *t, GPtrArray *cases)
{
  if (!t)
    return TRUE;
  gboolean ok = TRUE;
  if (t->kind == TC_DIAGNOSTIC && !t->snippet)
    ok = fail(r, "test \"%s\": 'verwacht diagnose' needs a 'criteria' snippet", t->name);
  else if (t->kind != TC_DIAGNOSTIC && !t->portfolio)
    ok = fail(r, "test \"%s\" has no portfolio", t->name);
  else if (t->kind == TC_DECISION && !t->expect)
    ok = fail(r, "test \"%s\" has no 'verwacht'", t->name);
  if (!ok) {
    test_case_free(t);
    return FALSE;
  }
  g_ptr_array_add(cases, t);
  return TRUE;
}

/* A test file holds test cases and inline portfolios, not corpora (those are read by line). */
#define TEST_FILE_MAX_SIZE (64u << 20)

gboolean
test_file_read(const char *path, GPtrArray *cases, GError **error)
{
  char *text = NULL;
  gsize len = 0;
  switch (reg_read_file_limited(path, TEST_FILE_MAX_SIZE, &text, &len, error)) {
  case REG_READ_FILE_TOO_LARGE:
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: a test file is at most %u bytes",
                path, TEST_FILE_MAX_SIZE);
    return FALSE;
  case REG_READ_FILE_IO:
    return FALSE;
  case REG_READ_FILE_OK:
  default:
    break;
  }
  Reader r = { path, text, text, text + len, 1, error };
  char *dir = g_path_get_dirname(path);
  TestCase *t = NULL;
  gboolean ok = TRUE;
  while (ok) {
    skip_blank(&r);
    if (r.p >= r.end)
      break;
    guint line = r.line;
    char *w = read_word(&r);
    if (!w) {
      ok = fail(&r, "expected a keyword (test, peildatum, portfolio, verwacht, criteria)");
      break;
    }
    if (is_word(w, "test", "test")) {
      ok = finish(&r, t, cases);
      t = g_new0(TestCase, 1);
      t->file = g_strdup(path);
      t->line = line;
      t->name = read_text(&r);
      if (!t->name)
        ok = fail(&r, "'test' needs a \"name\"");
    } else if (!t) {
      ok = fail(&r, "'%s' before the first 'test'", w);
    } else if (is_word(w, "peildatum", "as_of")) {
      skip_blank(&r);
      const char *s = r.p;
      while (r.p < r.end && (g_ascii_isdigit(*r.p) || *r.p == '-'))
        r.p++;
      if (r.p == s)
        ok = fail(&r, "'peildatum' needs a date YYYY-MM-DD");
      else
        t->as_of = g_strndup(s, (gsize) (r.p - s));
    } else if (is_word(w, "portfolio", "portfolio")) {
      skip_blank(&r);
      if (r.p < r.end && !g_ascii_isalpha(*r.p)) {
        t->portfolio = read_json(&r);
        if (!t->portfolio)
          ok = fail(&r, "the portfolio is not valid JSON");
      } else {
        char *from = read_word(&r);
        char *file = is_word(from, "uit", "from") ? read_text(&r) : NULL;
        char *kw = file ? read_word(&r) : NULL;
        char *num = is_word(kw, "regel", "line") ? read_word(&r) : NULL;
        if (!num)
          ok = fail(&r, "write: portfolio uit \"file.jsonl\" regel N");
        else {
          GError *local = NULL;
          t->portfolio = line_of_file(dir, file, (guint) atoi(num), &local);
          if (!t->portfolio) {
            ok = fail(&r, "%s", local->message);
            g_error_free(local);
          }
        }
        g_free(from);
        g_free(file);
        g_free(kw);
        g_free(num);
      }
    } else if (is_word(w, "uitvoer", "output")) {
      t->view = read_word(&r);
      if (!t->view)
        ok = fail(&r, "'uitvoer' needs the name of an output");
    } else if (is_word(w, "criteria", "criteria")) {
      t->snippet = read_block(&r);
      if (!t->snippet)
        ok = fail(&r, "'criteria' needs a \"\"\" ... \"\"\" block");
    } else if (is_word(w, "verwacht", "expect")) {
      skip_blank(&r);
      if (r.p < r.end && *r.p == '{') {
        char *json = read_json(&r);
        t->expect = json ? jv_parse(json, strlen(json), NULL) : NULL;
        g_free(json);
        t->kind = TC_DECISION;
        if (!t->expect)
          ok = fail(&r, "'verwacht' is not valid JSON");
      } else {
        char *kw = read_word(&r);
        if (is_word(kw, "fout", "error")) {
          t->kind = TC_DATA_ERROR;
          t->message = read_text(&r);
          if (!t->message)
            ok = fail(&r, "'verwacht fout' needs the \"message\"");
        } else if (is_word(kw, "diagnose", "diagnostic")) {
          t->kind = TC_DIAGNOSTIC;
          char *code = read_word(&r);
          if (!code || g_ascii_strncasecmp(code, "REG", 3) != 0)
            ok = fail(&r, "'verwacht diagnose' needs a code like REG0010");
          else
            t->code = (guint) atoi(code + 3);
          g_free(code);
          t->message = read_text(&r);
          if (ok && !t->message)
            t->message = g_strdup("");
        } else {
          ok = fail(&r, "'verwacht' takes {...}, fout \"...\" or diagnose REGnnnn \"...\"");
        }
        g_free(kw);
      }
    } else {
      ok = fail(&r, "unknown keyword '%s'", w);
    }
    g_free(w);
  }
  if (ok)
    ok = finish(&r, t, cases);
  else
    test_case_free(t);
  g_free(dir);
  g_free(text);
  return ok;
}
