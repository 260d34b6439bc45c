/* builder-private.h: accumulates the tables of a program while the code generator works. */
#pragma once

#include <glib.h>

#include "program-private.h"

typedef struct {
  uint32_t name, version, input_record, default_view;

  GByteArray *str_bytes; /* concatenated strings */
  GArray *str_lens;      /* uint32_t */
  GHashTable *str_index; /* owned char* -> index+1 */

  GArray *types; /* RegType */
  GHashTable *type_index;
  GArray *enums;        /* RegEnum */
  GArray *enum_members; /* uint32_t string */
  GArray *enum_labels;  /* uint32_t string or REG_NONE, parallel to enum_members */
  GArray *records;      /* RegRecord */
  GArray *fields;       /* RegField */
  GArray *consts;       /* int64_t */
  GHashTable *const_index;
  GArray *funcs;     /* RegFunction */
  GArray *reg_types; /* uint32_t */
  GArray *code;      /* uint64_t */
  GArray *insn_locs; /* uint32_t */
  GArray *locs;      /* RegLoc */
  GHashTable *loc_index;
  GArray *rules;   /* RegRuleInfo */
  GArray *globals; /* RegGlobal */
  GArray *views;   /* RegView */
  GArray *checks;  /* RegCheck */
  GArray *conds;   /* RegCond */
  GArray *plain_of; /* uint32_t per function: the body untraced runs use (absent: itself) */
} RegBuilder;

RegBuilder *reg_builder_new(void);
void reg_builder_free(RegBuilder *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegBuilder, reg_builder_free)

uint32_t reg_builder_string(RegBuilder *b, const char *s);
uint32_t reg_builder_type(RegBuilder *b, RegTypeKind kind, uint32_t arg);
uint32_t reg_builder_const(RegBuilder *b, int64_t v);
uint32_t reg_builder_loc(RegBuilder *b, uint32_t file_string, uint32_t line, uint32_t col);

/* Writes the program file: the bytes reg_program_load_bytes() reads back. */
GBytes *reg_builder_serialize(const RegBuilder *b);

/* ---- the file format (program-io.c) ---- */
#define REG_FILE_MAGIC "LREGBC\r\n"
#define REG_FILE_MAGIC_LEN 8
#define REG_FILE_VERSION 1
#define REG_FILE_MAX_SECTIONS 32
#define REG_FILE_MAX_SIZE (64u << 20)

typedef enum {
  REG_SEC_META = 1,
  REG_SEC_STRINGS,
  REG_SEC_TYPES,
  REG_SEC_ENUMS,
  REG_SEC_ENUM_MEMBERS,
  REG_SEC_RECORDS,
  REG_SEC_FIELDS,
  REG_SEC_CONSTS,
  REG_SEC_FUNCS,
  REG_SEC_REG_TYPES,
  REG_SEC_CODE,
  REG_SEC_INSN_LOCS,
  REG_SEC_LOCS,
  REG_SEC_RULES,
  REG_SEC_GLOBALS,
  REG_SEC_VIEWS,
  REG_SEC_CHECKS,
  REG_SEC_CONDS,
  REG_SEC_PLAIN, /* optional (files without it: every function is its own) */
  REG_SEC__LAST = REG_SEC_PLAIN,
} RegSection;
