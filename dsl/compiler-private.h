/* compiler-private.h: symbol tables and state shared by the compiler's passes. */
#pragma once

#include <glib.h>

#include "ast.h"
#include "builder-private.h"
#include "diag.h"
#include "libreg/libreg.h"
#include "parse-private.h"

#define REG_MAX_SOURCE_SIZE (4u << 20) /* per file */
#define REG_MAX_SOURCES 256

typedef struct {
  AstNode *decl; /* AST_ENUM */
  uint32_t index; /* in the builder */
  uint32_t type;
  GHashTable *members; /* name -> member index + 1 */
} EnumSym;

typedef struct {
  char *name;
  AstNode *decl;     /* AST_FIELDDECL or AST_OUTFIELD */
  uint32_t type;     /* REG_NONE until resolved */
  uint32_t flags;    /* REG_FIELD_* */
  int64_t deflt, min;
  uint32_t maxdec;
  bool bad_default;
} FieldSym;

typedef struct {
  AstNode *decl;   /* AST_RECORD or AST_OUTPUT */
  char *name;
  uint32_t index; /* record index in the builder */
  uint32_t type;
  bool is_input, is_output;
  GPtrArray *fields;   /* FieldSym* */
  GHashTable *by_name; /* name -> field index + 1 */
} RecordSym;

typedef struct {
  char *name;
  bool is_param;
  GPtrArray *versions; /* AstNode* AST_RULE, sorted: without 'geldt vanaf' first, then by date */
  uint32_t nparams;
  uint32_t *param_types;
  uint32_t ret_type;
  int state;           /* 0 unchecked, 1 being checked, 2 checked */
  bool ok;
  GPtrArray *callees;  /* RuleGroup* this group's versions refer to */
  uint32_t depth;      /* longest chain of rule calls starting here */
  /* codegen */
  uint32_t *funcs;     /* per version */
  uint32_t *globals;   /* per version, when nparams == 0 */
  uint32_t *rules;     /* rule metadata per version */
  uint32_t dispatch_global; /* parameterless with several versions: at peildatum */
  /* the same for untraced runs: functions with the rules explanations name inlined, and
   * globals computed by them (equal to the above where nothing differs) */
  uint32_t *plain_funcs, *plain_globals;
  uint32_t plain_dispatch_global;
} RuleGroup;

typedef enum {
  GSYM_ENUM,
  GSYM_RECORD,
  GSYM_RULE,
  GSYM_INPUT_FIELD,
  GSYM_OUTPUT,
} GlobalKind;

typedef struct {
  GlobalKind kind;
  uint32_t index;
  AstNode *decl;
} GlobalSym;

/* A local name: a rule parameter or a comprehension variable. */
typedef struct {
  const char *name;
  uint32_t type;
  uint32_t id; /* binding id within the function */
} Local;

struct _RegCompiler {
  GPtrArray *sources; /* RegSource* */
  GPtrArray *diags;   /* RegDiag* */
  guint nerrors;
  gboolean io_error;

  /* per compilation */
  GPtrArray *files;      /* AstNode* AST_FILE per source */
  RegBuilder *b;
  GHashTable *globals;   /* name -> GlobalSym* */
  GPtrArray *enums;      /* EnumSym* */
  GPtrArray *records;    /* RecordSym* */
  GPtrArray *rules;      /* RuleGroup* */
  GPtrArray *outputs;    /* RecordSym* (also in records) */
  GPtrArray *checks;     /* AstNode* AST_CHECK */
  GPtrArray *rule_order; /* RuleGroup* in dependency order (callees first) */
  RecordSym *input;
  AstNode *criteria;
  GHashTable *member_owner; /* member name -> GPtrArray of EnumSym* */

  /* the checker's scope */
  GArray *scope;        /* Local */
  uint32_t next_binding;
  RuleGroup *current_rule;
  guint check_depth;
};

/* Builder type helpers. */
static inline RegTypeKind
comp_kind(RegCompiler *c, uint32_t t)
{
  return (RegTypeKind) g_array_index(c->b->types, RegType, t).kind;
}

static inline uint32_t
comp_arg(RegCompiler *c, uint32_t t)
{
  return g_array_index(c->b->types, RegType, t).arg;
}

static inline uint32_t
comp_list_of(RegCompiler *c, uint32_t elem)
{
  return reg_builder_type(c->b, REG_TK_LIST, elem);
}

/* The declared type of argument @i of builtin @bi. */
uint32_t comp_builtin_arg_type(uint32_t bi, uint32_t i);

char *comp_type_name(RegCompiler *c, uint32_t t);
/* The closest candidate to @name by edit distance, or NULL. */
const char *comp_suggest(const char *name, GPtrArray *candidates);

/* Passes. Each returns FALSE when it reported errors that stop the next pass. */
gboolean reg_resolve(RegCompiler *c);
gboolean reg_check(RegCompiler *c);
gboolean reg_codegen(RegCompiler *c);

void comp_error(RegCompiler *c, RegDiagCode code, const AstNode *at, const char *fmt, ...)
  G_GNUC_PRINTF(4, 5);

/* ---- mutants (mutate.c) ---- */
typedef struct {
  uint32_t file, start, end; /* replace these bytes of this source ... */
  char *replacement;          /* ... with this text */
  const char *kind;           /* number, date, compare, negate, member */
  char *description;
  uint32_t line, col;
} RegMutation;

/* The mutants of the sources of the last compilation (which must have succeeded). */
GPtrArray *reg_compiler_mutations(RegCompiler *c);
void reg_mutation_free(RegMutation *m);
/* A source of the compiler, as given. */
const char *reg_compiler_get_source(RegCompiler *c, guint file, const char **path, gsize *len);
