/* ast.c: construction and destruction of syntax tree nodes. */
#include "ast.h"

#include "program-private.h"

AstNode *
ast_new(AstKind kind, uint32_t file, RegSpan span)
{
  AstNode *n = g_new0(AstNode, 1);
  n->kind = kind;
  n->file = file;
  n->span = span;
  n->depth = 1;
  n->type = REG_NONE;
  return n;
}

AstNode *
ast_new_str(AstKind kind, uint32_t file, RegSpan span, char *str)
{
  AstNode *n = ast_new(kind, file, span);
  n->str = str;
  return n;
}

AstNode *
ast_add(AstNode *n, AstNode *kid)
{
  if (n->nkids == n->cap) {
    n->cap = n->cap ? n->cap * 2 : 4;
    n->kids = g_renew(AstNode *, n->kids, n->cap);
  }
  n->kids[n->nkids++] = kid;
  if (kid) {
    if (kid->depth + 1 > n->depth)
      n->depth = kid->depth + 1;
    if (kid->span.start < n->span.start)
      n->span.start = kid->span.start;
    if (kid->span.end > n->span.end)
      n->span.end = kid->span.end;
  }
  return n;
}

AstNode *
ast_with(AstKind kind, uint32_t file, RegSpan span, int op, AstNode *a, AstNode *b, AstNode *c)
{
  AstNode *n = ast_new(kind, file, span);
  n->op = op;
  if (a || b || c)
    ast_add(n, a);
  if (b || c)
    ast_add(n, b);
  if (c)
    ast_add(n, c);
  return n;
}

void
ast_free(AstNode *n)
{
  if (!n)
    return;
  /* Sequences can be long (a file's declarations): free them without deep recursion. */
  for (uint32_t i = 0; i < n->nkids; i++)
    ast_free(n->kids[i]);
  g_free(n->kids);
  g_free(n->str);
  g_free(n->str2);
  g_free(n);
}

const char *
ast_kind_name(AstKind k)
{
  static const char *names[AST__COUNT] = {
    "int", "decimal", "text", "date", "bool", "peildatum", "name", "field", "call", "at",
    "unary", "binary", "is", "unit", "if", "list", "record", "recfield", "comprehension",
    "minmax", "type", "type", "type", "file", "criteria", "enum", "member", "record",
    "field", "option", "output", "outfield", "rule", "param", "check", "meta", "seq",
  };
  return k < AST__COUNT ? names[k] : "?";
}
