/* parse-private.h: state shared by the lexer and the parser of one criteria file. */
#pragma once

#include <stdint.h>

#include "ast.h"
#include "diag.h"

typedef struct _RegCompiler RegCompiler;

typedef struct {
  RegCompiler *comp;
  uint32_t file;
  const char *text; /* the whole source */
  uint32_t offset; /* byte offset of the next token, kept by the lexer */
  AstNode *root;   /* AST_FILE, filled by the parser */
  bool too_deep_reported;
  int lex_errors;
  int syntax_errors; /* reported by the parser */
} RegParseCtx;

/* Adds a diagnostic to the compiler (compiler.c). */
void reg_compiler_diag(RegCompiler *comp, RegDiagCode code, uint32_t file, uint32_t start,
                       uint32_t end, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Parses one source file into ctx->root (parser.y). Returns the number of syntax errors. */
int reg_parse_file(RegParseCtx *ctx, const char *text, size_t len);

/* Keyword lookup shared by the lexer and the formatter: token number or 0, and its value. */
int reg_keyword_lookup(const char *s, size_t len, int *value);

/* The i-th keyword (NULL past the end) and its token. */
const char *reg_keyword_at(size_t i, int *token);
