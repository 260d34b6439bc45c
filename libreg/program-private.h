/* program-private.h: the in-memory form of a compiled criteria set and of the values it computes on. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "libreg/libreg.h"
#include "opcodes-private.h"

/* ---- Values -------------------------------------------------------------
 * The VM's registers are untyped 64-bit words; the verifier proves each use
 * matches the register's static type. bool, int, decimal (millionths), date
 * (days), duration (months:days) and enum (member index, -1 = unknown) are
 * held in .i; text, list and record in .p.
 */
/* Calls with at most this many arguments can be remembered within a decision (vm.c). */
#define REG_MEMO_ARGS 4

typedef union {
  int64_t i;
  const void *p;
} RegValue;

typedef struct {
  uint32_t len;
  char s[]; /* len bytes, then a NUL */
} RegText;

typedef struct {
  uint32_t len, cap;
  RegValue v[];
} RegList;

/* A record is an array of RegValue, one per field in declaration order;
 * when its type has optional fields, one more word holds the presence bits. */

/* ---- Types --------------------------------------------------------------- */
typedef enum {
  REG_TK_BOOL,
  REG_TK_INT,
  REG_TK_DEC,
  REG_TK_TEXT,
  REG_TK_DATE,
  REG_TK_DUR,
  REG_TK_ENUM,   /* arg: enum index */
  REG_TK_LIST,   /* arg: element type id */
  REG_TK_RECORD, /* arg: record index */
  REG_TK__COUNT
} RegTypeKind;

/* The primitive types have fixed ids at the start of every type table. */
enum {
  REG_TYPE_BOOL = 0,
  REG_TYPE_INT,
  REG_TYPE_DEC,
  REG_TYPE_TEXT,
  REG_TYPE_DATE,
  REG_TYPE_DUR,
  REG_TYPE__PRIMITIVES
};

#define REG_NONE UINT32_MAX

typedef struct {
  uint32_t kind;
  uint32_t arg;
} RegType;

typedef struct {
  uint32_t name;         /* string */
  uint32_t first_member; /* index into enum_members (strings) */
  uint32_t nmembers;     /* <= 64 */
  uint32_t open;         /* values outside the list load as unknown (-1) */
} RegEnum;

enum {
  REG_FIELD_REQUIRED = 1 << 0, /* input: absent is a data error */
  REG_FIELD_OPTIONAL = 1 << 1, /* output: may be absent (presence bit) */
  REG_FIELD_KEY = 1 << 2,      /* input: identifies the record in error lines */
  REG_FIELD_ASOF = 1 << 3,     /* input: sets the evaluation date */
  REG_FIELD_MIN = 1 << 4,      /* input: number must be >= min */
  REG_FIELD_MAXDEC = 1 << 5,   /* input: at most maxdec decimals */
  REG_FIELD_DEFAULT = 1 << 6,  /* input: default given by deflt */
  REG_FIELD__ALL = (1 << 7) - 1,
};

typedef struct {
  uint32_t name;  /* string: JSON key */
  uint32_t type;  /* type id */
  uint32_t flags; /* REG_FIELD_* */
  uint32_t maxdec;
  int64_t deflt; /* scalar default, or string index for text */
  int64_t min;   /* in the field type's representation */
} RegField;

/* How the writer writes a field (derived, value-json.c): where its key is, and its type. */
typedef struct {
  uint32_t key;    /* offset in json_blob of its key after a comma, ,"name": */
  uint32_t keylen; /* of that, comma included */
  uint32_t type;   /* the field's type id */
  uint32_t arg;    /* that type's arg: enum, element type or record */
  uint8_t kind;    /* that type's RegTypeKind */
  uint8_t optional; /* REG_FIELD_OPTIONAL: left out when absent */
} RegWriteField;

typedef struct {
  uint32_t name; /* string */
  uint32_t first_field;
  uint32_t nfields;
  uint32_t noptional; /* fields with REG_FIELD_OPTIONAL; <= 64 */
} RegRecord;

/* ---- Code ---------------------------------------------------------------- */
typedef struct {
  uint32_t file; /* string: path as given to the compiler */
  uint32_t line; /* 1-based */
  uint32_t col;  /* 1-based, in bytes */
} RegLoc;

typedef struct {
  uint32_t name;     /* string */
  uint32_t rule;     /* index into rules, or REG_NONE */
  uint32_t nparams;  /* parameters are registers 0 .. nparams-1 */
  uint32_t nregs;    /* <= 65535 */
  uint32_t ret_type; /* type id */
  uint32_t first_reg_type;
  uint32_t first_insn;
  uint32_t ninsns; /* <= 65535 */
} RegFunction;

typedef enum {
  REG_RULE_PARAMETER,
  REG_RULE_RULE,
  REG_RULE_CHECK,
  REG_RULE_VIEW,
} RegRuleKind;

typedef struct {
  uint32_t name;  /* string */
  uint32_t kind;  /* RegRuleKind */
  uint32_t func;  /* function that computes it */
  uint32_t loc;   /* index into locs */
  uint32_t basis; /* string: legal basis (bron), or REG_NONE */
  uint32_t explain; /* string: text for the teacher when it fails (uitleg), or REG_NONE */
  uint32_t has_from;
  uint32_t params;  /* string: the parameter names, comma separated */
  int64_t from; /* date it takes effect (geldt vanaf) when has_from */
} RegRuleInfo;

typedef struct {
  uint32_t func; /* parameterless function, cached once per evaluation */
} RegGlobal;

typedef struct {
  uint32_t name;   /* string: "besluit", "openbaar", ... */
  uint32_t record; /* record index of the output */
  uint32_t func;   /* function returning it */
} RegView;

typedef struct {
  uint32_t func;    /* returns bool: false makes the record a data error */
  uint32_t message; /* string */
} RegCheck;

typedef struct {
  uint32_t func;
  uint32_t pc;    /* instruction whose destination is the condition's value */
  uint32_t label; /* string: the condition's source text */
  uint32_t rule;  /* rule it belongs to, or REG_NONE */
  uint32_t cmp;   /* RegCondCmp: the comparison as written, for explanations */
  uint32_t lhs, rhs; /* registers of its left and right operand (comparisons only) */
} RegCond;

/* How a condition site compares, in source order (operands b, c of the instruction). */
typedef enum {
  REG_CMP_NONE = 0, /* a boolean value, not a comparison */
  REG_CMP_EQ,
  REG_CMP_NE,
  REG_CMP_LT,
  REG_CMP_LE,
  REG_CMP_GT, /* instruction is LT with operands swapped */
  REG_CMP_GE, /* instruction is LE with operands swapped */
  REG_CMP__LAST = REG_CMP_GE,
  REG_CMP_TEXT = 0x100,    /* flag: the operands are text */
  REG_CMP_NEGATED = 0x200, /* flag: a fused jump; the condition is the negation of its jump */
} RegCondCmp;

/* ---- The program --------------------------------------------------------- */
struct _RegProgram {
  gint refcount;

  /* meta */
  uint32_t name, version; /* strings */
  uint32_t input_record;  /* record index of the input root */

  /* tables, as read from the file */
  uint32_t nstrings;
  const RegText **strings; /* each points into text_blob */
  char *text_blob;
  uint32_t ntypes;
  RegType *types;
  uint32_t nenums;
  RegEnum *enums;
  uint32_t nenum_members;
  uint32_t *enum_members;
  uint32_t *enum_labels; /* per member: display text (string), or REG_NONE */
  uint32_t nrecords;
  RegRecord *records;
  uint32_t nfields;
  RegField *fields;
  uint32_t nconsts;
  int64_t *consts;
  uint32_t nfuncs;
  RegFunction *funcs;
  uint32_t nreg_types;
  uint32_t *reg_types;
  uint32_t ninsns;
  uint64_t *code;
  uint32_t *insn_locs; /* one loc index per instruction */
  uint32_t nlocs;
  RegLoc *locs;
  uint32_t nrules;
  RegRuleInfo *rules;
  uint32_t nglobals;
  RegGlobal *globals;
  uint32_t nviews;
  RegView *views;
  uint32_t nchecks;
  RegCheck *checks;
  uint32_t nconds;
  RegCond *conds;

  /* derived by the loader and verifier */
  RegList **enum_lists;  /* every member of each enum, for ENUMLIST */
  int32_t *cond_at;      /* per instruction: index into conds, or -1 */
  uint64_t *run_code;    /* the code untraced runs execute: code, with run forms where they
                          * apply (opcodes-private.h; written after verification) */
  uint32_t *plain_of;    /* per function: the function untraced runs call instead (itself, or a
                          * body with the rules that explanations name inlined) */
  uint8_t *clear_func;   /* per function: registers cleared on entry (verify.c, RECORD) */
  uint8_t *memo_func;    /* per function: calls of it are remembered within a decision */
  /* JSON text written for every decision, made once: each field's key after a comma
   * (,"name":) and each enum member ("name"), escaped, then REG_BUF_ADD16 zero bytes. Field
   * f's key is where wfields[f] says (without the comma: from one byte on), member m's (an
   * index into enum_members) json_blob[member_json[m] .. member_json[m+1]). */
  char *json_blob;
  uint32_t *member_json;
  RegWriteField *wfields; /* per field, its key and type in one place for the writer */
  uint32_t frame_words;  /* registers of the deepest call chain */
  uint32_t max_depth;    /* deepest call chain, in frames */
  uint32_t default_view; /* index into views */
  uint32_t input_type;   /* type id of the input record */
  const RegText *empty_text;
  RegText *empty_text_storage;

  GBytes *bytes;      /* the serialized program */
  uint8_t sha256[32]; /* of bytes */
  char sha256_hex[65];
};

static inline const char *
reg_str(const RegProgram *p, uint32_t s)
{
  return s < p->nstrings ? p->strings[s]->s : "";
}

static inline const RegField *
reg_record_field(const RegProgram *p, uint32_t rec, uint32_t i)
{
  return &p->fields[p->records[rec].first_field + i];
}

/* Words a record of this type occupies (fields plus the presence word). */
static inline uint32_t
reg_record_words(const RegRecord *r)
{
  return r->nfields + (r->noptional ? 1 : 0);
}

/* Index of field @i among the record's optional fields (its presence bit). */
uint32_t reg_record_optional_bit(const RegProgram *p, uint32_t rec, uint32_t field);

/* Builds a program from serialized bytes and verifies it (program-io.c). */
RegProgram *reg_program_load_bytes(GBytes *bytes, GError **error);

/* The verifier (verify.c): every check that makes a loaded program safe to run. */
gboolean reg_verify(RegProgram *p, GError **error);

/* Disassembly (disasm.c). */
char *reg_disasm(const RegProgram *p);
/* One function's code without source locations or table indices: equal text, same code. */
char *reg_disasm_function(const RegProgram *p, uint32_t fi);

/* Location of an instruction, for traces and runtime errors. */
const RegLoc *reg_insn_loc(const RegProgram *p, uint32_t func, uint32_t pc);

/* Name of an opcode, "?" if none. */
const char *reg_opcode_name(unsigned op);
