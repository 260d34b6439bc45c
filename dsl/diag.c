/* diag.c: source files with line index, and the rendering of diagnostics with a caret. */
#include "diag.h"

#include <string.h>

#include "i18n.h"

RegSource *
reg_source_new(const char *path, const char *text, size_t len)
{
  RegSource *src = g_new0(RegSource, 1);
  src->path = g_strdup(path);
  src->text = g_malloc(len + 1);
  memcpy(src->text, text, len);
  src->text[len] = '\0';
  src->len = len;
  src->line_starts = g_array_new(FALSE, FALSE, sizeof(guint32));
  guint32 zero = 0;
  g_array_append_val(src->line_starts, zero);
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n') {
      guint32 next = (guint32) (i + 1);
      g_array_append_val(src->line_starts, next);
    }
  }
  return src;
}

void
reg_source_free(RegSource *src)
{
  if (!src)
    return;
  g_free(src->path);
  g_free(src->text);
  g_array_unref(src->line_starts);
  g_free(src);
}

void
reg_source_position(const RegSource *src, uint32_t offset, uint32_t *line, uint32_t *col)
{
  const guint32 *ls = (const guint32 *) src->line_starts->data;
  guint lo = 0, hi = src->line_starts->len;
  if (offset > src->len)
    offset = (uint32_t) src->len;
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;
    if (ls[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  *line = lo + 1;
  *col = offset - ls[lo] + 1;
}

void
reg_diag_free(RegDiag *d)
{
  if (!d)
    return;
  g_free(d->message);
  g_free(d);
}

static const char *
severity_name(RegSeverity s)
{
  switch (s) {
  case REG_SEV_ERROR:
    /* TRANSLATORS: the severity in "file:line:col: error: message [REGnnnn]" */
    return _("error");
  case REG_SEV_WARNING:
    return _("warning");
  case REG_SEV_NOTE:
  default:
    return _("note");
  }
}

/* Appends the bytes of a source line for display: tabs kept, control bytes and bytes that
 * are not UTF-8 shown as '?', so that diagnostics are always valid UTF-8 text. */
static void
append_display(GString *out, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char) s[i];
    if (c < 0x80) {
      g_string_append_c(out, (c == '\t' || c >= 0x20) && c != 0x7f ? (char) c : '?');
      i++;
      continue;
    }
    const char *end;
    size_t len = 1;
    while (len < 4 && i + len < n && ((unsigned char) s[i + len] & 0xc0) == 0x80)
      len++;
    if (g_utf8_validate(s + i, (gssize) len, &end) && (size_t) (end - (s + i)) == len) {
      g_string_append_len(out, s + i, (gssize) len);
      i += len;
    } else {
      g_string_append_c(out, '?');
      i++;
    }
  }
}

void
reg_diag_render(const RegDiag *d, GPtrArray *sources, GString *out)
{
  const RegSource *src = d->file < sources->len ? g_ptr_array_index(sources, d->file) : NULL;
  if (!src) {
    g_string_append_printf(out, "%s: %s [REG%04d]\n", severity_name(d->severity), d->message,
                           (int) d->code);
    return;
  }
  uint32_t line, col;
  reg_source_position(src, d->start, &line, &col);
  g_string_append_printf(out, "%s:%u:%u: %s: %s [REG%04d]\n", src->path, line, col,
                         severity_name(d->severity), d->message, (int) d->code);

  /* The source line, then a caret under the span (clipped to the line). */
  const guint32 *ls = (const guint32 *) src->line_starts->data;
  uint32_t bol = ls[line - 1];
  uint32_t eol = bol;
  while (eol < src->len && src->text[eol] != '\n' && src->text[eol] != '\r')
    eol++;
  uint32_t shown = eol - bol;
  if (shown > 400)
    shown = 400; /* a huge line is cut for display */
  if (src->len == 0)
    return; /* nothing to show (an unreadable or oversized file) */
  g_string_append(out, "  ");
  append_display(out, src->text + bol, shown);
  g_string_append_c(out, '\n');
  g_string_append(out, "  ");
  uint32_t start = d->start < bol ? bol : d->start;
  for (uint32_t i = bol; i < start && i < bol + shown; i++) {
    unsigned char c = (unsigned char) src->text[i];
    if (c == '\t')
      g_string_append_c(out, '\t');
    else if ((c & 0xc0) != 0x80) /* one column per UTF-8 character */
      g_string_append_c(out, ' ');
  }
  g_string_append_c(out, '^');
  uint32_t end = d->end > eol ? eol : d->end;
  for (uint32_t i = start + 1; i < end && i < bol + shown; i++) {
    unsigned char c = (unsigned char) src->text[i];
    if ((c & 0xc0) != 0x80)
      g_string_append_c(out, '~');
  }
  g_string_append_c(out, '\n');
}
