/* portfolio-private.h: the schema-directed streaming reader of portfolios (JSON objects). */
#pragma once

#include "arena-private.h"
#include "buf-private.h"
#include "program-private.h"

#define REG_READER_MAX_DEPTH 256 /* JSON nesting of one portfolio */

typedef enum {
  REG_READ_OK = 0,
  REG_READ_DATA,      /* valid JSON that breaks the schema: message in err */
  REG_READ_MALFORMED, /* not JSON: err says "malformed JSON", detail says where */
} RegReadStatus;

typedef struct {
  const char *name; /* field name, or NULL for an array index */
  uint32_t len;
  uint32_t index;
} RegPathSeg;

/* A field as the reader needs it, precomputed from the program once. */
typedef struct {
  const char *name;
  uint32_t len;
  uint32_t kind; /* RegTypeKind of its type */
  uint32_t type;
  uint32_t arg; /* enum, element type or record of the type */
  uint32_t flags;
  uint64_t head; /* the first 8 bytes of the name, zero padded */
  const RegField *f;
  uint8_t pat[32]; /* "name": as compact JSON writes it, then the space of ": " */
  uint32_t patlen;  /* of "name": alone; 0 when the name is too long for the pattern */
  /* which bytes of pat a key must match, without and with the space: of its first 16
   * bytes (with a bit above them when there is no pattern or a longer one, portfolio.c
   * KEY_LONG) and of the next 16 */
  uint32_t want[2], want2[2];
  uint32_t instead; /* 1 + the field whose key came last time this one was expected and absent */
  RegValue dflt;  /* value when absent */
  uint32_t absent; /* 0: dflt; 1: required (an error); 2: build the default record */
  bool unread;     /* a text no untraced run of the view reads: checked, not copied */
} RegReaderField;

#define REG_READER_ENUM_SLOTS 128

typedef struct {
  uint64_t *heads; /* first 8 bytes of each member name, zero padded */
  uint32_t *lens;
  int8_t slot[REG_READER_ENUM_SLOTS]; /* hash of (head, length) -> member, -1 empty */
} RegReaderEnum;

#define REG_READER_SKIP_CACHE 4

typedef struct {
  RegReaderField *fields;
  uint32_t nfields, words;
  RegValue *tmpl;          /* every field at its default: a new record starts as a copy */
  uint64_t required_mask;  /* fields that must be given (records of at most 64 fields) */
  uint64_t build_mask;     /* absent fields whose default record must be built */
  /* keys of this record the schema does not know, as last seen ("id":), to skip fast */
  uint8_t skip_pat[REG_READER_SKIP_CACHE][16];
  uint32_t skip_len[REG_READER_SKIP_CACHE];
  uint32_t skip_next;
} RegReaderRecord;

typedef struct {
  const RegProgram *p;
  RegArena *arena;
  RegReaderRecord *recs; /* per record of the program */
  RegReaderEnum *enums;  /* per enumeration */
  const char *start, *end;

  RegPathSeg path[REG_READER_MAX_DEPTH + 1];
  int depth;

  bool has_error;
  bool too_deep; /* malformed only in nesting deeper than REG_READER_MAX_DEPTH */
  RegBuf err;    /* the first data error, "path: problem" */
  RegBuf detail; /* where a malformed line went wrong */

  const RegText *key; /* the record's key field, once read */
  int64_t asof;
  bool asof_set;

  RegValue *stack; /* list elements under construction */
  size_t sp, scap;

  bool skip_unread; /* leave the texts marked unread uncopied (untraced runs only) */
  /* 1 when the last key read was followed by one space (JSON written with ": " and ", ",
   * as Python's json.dumps and jq write it), else 0: the key patterns tried take it in */
  uint32_t key_space;
} RegReader;

void reg_reader_init(RegReader *r, const RegProgram *p);
void reg_reader_clear(RegReader *r);
/* Marks the text fields that no untraced run of output @view can read (no field load of
 * them outside the other outputs' functions, not in @view's output type, not a key or
 * peildatum): with r->skip_unread they are checked as JSON and as text, not copied. */
void reg_reader_mark_unread(RegReader *r, uint32_t view);

/* Reads one portfolio into @arena according to the program's input record. */
RegReadStatus reg_reader_read(RegReader *r, RegArena *arena, const char *line, size_t len,
                              RegValue *out);
