/* ast.h: the syntax tree of criteria files, built by the parser and annotated by the passes. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A span of bytes in one source file. */
typedef struct {
  uint32_t start, end;
} RegSpan;

typedef enum {
  /* expressions */
  AST_INT,       /* num */
  AST_DEC,       /* num (millionths) */
  AST_TEXT,      /* str */
  AST_DATE,      /* num (day number) */
  AST_BOOL,      /* num 0/1 */
  AST_ASOF,      /* peildatum */
  AST_NAME,      /* str: a bare name */
  AST_FIELD,     /* kids[0] . str */
  AST_CALL,      /* str ( kids... ) */
  AST_AT,        /* kids[0] op kids[1]: a rule at a date */
  AST_UNARY,     /* op kids[0] */
  AST_BINARY,    /* kids[0] op kids[1] */
  AST_IS,        /* kids[0] is [niet] empty/unknown: op = AST_IS_EMPTY/UNKNOWN, flag = negated */
  AST_UNIT,      /* kids[0] unit (op) */
  AST_IF,        /* if kids[0] then kids[1] else kids[2] */
  AST_LIST,      /* [kids...] */
  AST_RECLIT,    /* str (type name or NULL) { kids: AST_RECFIELD } */
  AST_RECFIELD,  /* str : kids[0] [als kids[1]] */
  AST_COMPR,     /* op = AstCompr; str = variable; kids: body, source, filter, default (any NULL) */
  AST_MINMAX2,   /* op '<' min / '>' max; kids[0], kids[1] */

  /* types */
  AST_TYPE_PRIM, /* op = primitive type id */
  AST_TYPE_NAME, /* str */
  AST_TYPE_LIST, /* kids[0] */

  /* declarations */
  AST_FILE,      /* kids: declarations */
  AST_CRITERIA,  /* str = name, str2 = version */
  AST_ENUM,      /* str; kids: AST_MEMBER; flag = open */
  AST_MEMBER,    /* str */
  AST_RECORD,    /* str; kids: AST_FIELDDECL; flag = is input */
  AST_FIELDDECL, /* str; kids[0] type, then AST_OPTION */
  AST_OPTION,    /* op = AstOption; kids[0] value (DEFAULT, MIN) or num (DECIMALS) */
  AST_OUTPUT,    /* str; kids: AST_OUTFIELD */
  AST_OUTFIELD,  /* str; kids[0] type, kids[1] value, kids[2] condition or NULL */
  AST_RULE,      /* str; flag = is parameter; kids[0] params (AST_SEQ), kids[1] type or NULL,
                    kids[2] body, kids[3] meta (AST_SEQ of AST_META) */
  AST_PARAMDECL, /* str; kids[0] type */
  AST_CHECK,     /* kids[0] condition, str = message, kids[1] meta */
  AST_META,      /* op = AST_META_FROM (num = date) or AST_META_BASIS (str) */
  AST_SEQ,       /* a list of kids */
  AST__COUNT
} AstKind;

typedef enum {
  AST_COMPR_LIST,
  AST_COMPR_SUM,
  AST_COMPR_COUNT,
  AST_COMPR_MIN,
  AST_COMPR_MAX,
  AST_COMPR_ALL,
  AST_COMPR_ANY,
  AST_COMPR_FIRST,
} AstCompr;

typedef enum {
  AST_OPT_REQUIRED,
  AST_OPT_DEFAULT,
  AST_OPT_KEY,
  AST_OPT_ASOF,
  AST_OPT_MIN,
  AST_OPT_DECIMALS,
  AST_OPT_OPTIONAL,
} AstOption;

enum { AST_IS_EMPTY, AST_IS_UNKNOWN };
enum { AST_META_FROM, AST_META_BASIS, AST_META_EXPLAIN };

/* Binary and unary operators (op of AST_BINARY / AST_UNARY). */
typedef enum {
  OP_ADD = 1,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_AND,
  OP_OR,
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
  OP_IN,
  OP_NOTIN,
  OP_NEG,
  OP_NOT,
} AstOp;

/* Units of AST_UNIT. */
enum { UNIT_DAY, UNIT_WEEK, UNIT_MONTH, UNIT_YEAR };

/* How a name was resolved (sym_kind), set by resolve.c. */
typedef enum {
  SYM_NONE = 0,
  SYM_LOCAL,      /* sym = binding index in its function */
  SYM_RULE,       /* sym = rule group index */
  SYM_INPUT,      /* sym = field index of the input record */
  SYM_ENUM_TYPE,  /* sym = enum index: the list of all members */
  SYM_MEMBER,     /* sym = enum index, sym2 = member index */
  SYM_UNKNOWN_MEMBER, /* 'onbekend' of an open enum */
} AstSymKind;

typedef struct AstNode AstNode;
struct AstNode {
  AstKind kind;
  int op;
  bool flag;
  RegSpan span;
  uint32_t file;
  uint32_t depth; /* height of the subtree, bounded by the parser */
  char *str, *str2;
  int64_t num;
  AstNode **kids;
  uint32_t nkids, cap;

  /* annotations of the passes */
  uint32_t type; /* type id, REG_NONE if unknown or erroneous */
  AstSymKind sym_kind;
  uint32_t sym, sym2;
};

AstNode *ast_new(AstKind kind, uint32_t file, RegSpan span);
AstNode *ast_new_str(AstKind kind, uint32_t file, RegSpan span, char *str /* owned */);
/* Appends @kid (may be NULL: kept as a hole) and extends the span; returns @n. */
AstNode *ast_add(AstNode *n, AstNode *kid);
AstNode *ast_with(AstKind kind, uint32_t file, RegSpan span, int op, AstNode *a, AstNode *b,
                  AstNode *c);
void ast_free(AstNode *n);

/* Maximum height of an expression tree; deeper source is rejected (REG0006). */
#define AST_MAX_DEPTH 200

const char *ast_kind_name(AstKind k);

/* The tree under @n (may be NULL) as one line of S-expressions, for tests and debugging:
 * `(+ a (* b 2))`, `(regel f ((v getal)) getal (* v 2) (bron "wet"))`. Decimals always
 * have a point (`2.0`), integers never; an absent kid is `_`. Spans are not shown.
 * Returns: (transfer full): the text; free with g_free() */
char *ast_dump(const AstNode *n);
