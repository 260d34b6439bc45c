/* format.h: the canonical layout of criteria files (`regel fmt`). */
#pragma once

#include <glib.h>

/* The width the formatter fills lines to (in characters); longer lines only where a single
 * name, text or comment does not fit. */
#define REG_FORMAT_WIDTH 100

#define REG_FORMAT_ERROR (reg_format_error_quark())
GQuark reg_format_error_quark(void);

typedef enum {
  REG_FORMAT_ERROR_SYNTAX,   /* the file does not parse: the message holds its diagnostics */
  REG_FORMAT_ERROR_INTERNAL, /* too deeply nested, or the layout would change the tokens (a bug) */
} RegFormatError;

/*
 * Formats the criteria source @text (@len bytes; @path names it in diagnostics) in the
 * canonical layout: one declaration per line group, fields indented two spaces, metadata on
 * lines of their own, canonical spacing, long expressions broken at en/of/anders, comments
 * kept. The words are kept as written (Dutch or English). Returns the new text (a
 * NUL-terminated string ending in a newline, or empty), or NULL with @error set when the file
 * does not parse (the message is the rendered diagnostics). The result has exactly the tokens
 * and comments of the input: this is checked before it is returned.
 */
char *reg_format_source(const char *path, const char *text, gsize len, GError **error);
