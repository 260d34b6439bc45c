/* diag.h: compiler diagnostics with stable codes, rendered as file:line:col with a caret. */
#pragma once

#include <glib.h>
#include <stdint.h>

/*
 * Every diagnostic has a stable code. Codes are never reused or renumbered;
 * docs/diagnostics.md explains each one with an example.
 * X(code number, identifier, short description)
 */
#define REG_DIAGNOSTICS(X)                                                               \
  X(1, SYNTAX, "syntax error")                                                           \
  X(2, BAD_CHAR, "character that cannot start a token")                                  \
  X(3, BAD_STRING, "unterminated or malformed text literal")                             \
  X(4, BAD_DATE, "date literal that is not a calendar date")                             \
  X(5, BAD_NUMBER, "number literal out of range or too precise")                         \
  X(6, TOO_DEEP, "expression nested too deeply")                                         \
  X(7, IO, "criteria file that cannot be read")                                          \
  X(8, TOO_LARGE, "criteria file or set too large")                                      \
  X(9, BAD_UTF8, "bytes that are not UTF-8")                                             \
  X(10, UNKNOWN_NAME, "unknown name")                                                    \
  X(11, DUPLICATE, "name defined twice")                                                 \
  X(12, UNKNOWN_FIELD, "record has no such field")                                       \
  X(13, UNKNOWN_TYPE, "unknown type")                                                    \
  X(14, UNKNOWN_MEMBER, "enumeration has no such member")                                \
  X(15, CYCLE, "rules that depend on themselves")                                        \
  X(16, NO_CRITERIA, "missing or repeated criteria declaration")                         \
  X(17, NO_INPUT, "missing or repeated input declaration")                               \
  X(18, NO_OUTPUT, "missing output declaration")                                         \
  X(19, VERSIONS, "conflicting versions of a rule")                                      \
  X(20, TYPE, "type mismatch")                                                           \
  X(21, ARGS, "wrong number of arguments")                                               \
  X(22, NOT_CALLABLE, "name used as a function that takes no arguments, or vice versa")  \
  X(23, NOT_CONSTANT, "value that must be a constant")                                   \
  X(24, FIELD_OPTION, "field option that does not fit the field")                        \
  X(25, RECORD_LITERAL, "record value with missing, repeated or conditional fields")     \
  X(26, AMBIGUOUS, "enumeration member that belongs to several enumerations")            \
  X(27, NOT_AT, "'op' (at a date) applied to something that is not a rule")              \
  X(28, LIMIT, "a limit of the bytecode format exceeded")                                \
  X(29, OPTIONAL_READ, "reading an optional output field")                               \
  X(30, EMPTY_ENUM, "enumeration without members or with too many")

typedef enum {
#define REG_DIAG_ENUM(num, id, desc) REG_E_##id = num,
  REG_DIAGNOSTICS(REG_DIAG_ENUM)
#undef REG_DIAG_ENUM
} RegDiagCode;

typedef enum {
  REG_SEV_ERROR,
  REG_SEV_WARNING,
  REG_SEV_NOTE,
} RegSeverity;

/* A source file of the criteria set, with its line index. */
typedef struct {
  char *path;
  char *text; /* NUL-terminated copy; may contain other NULs */
  size_t len;
  GArray *line_starts; /* guint32 offsets where lines begin */
} RegSource;

typedef struct {
  RegDiagCode code;
  RegSeverity severity;
  uint32_t file; /* index of the source */
  uint32_t start, end;
  char *message;
} RegDiag;

RegSource *reg_source_new(const char *path, const char *text, size_t len);
void reg_source_free(RegSource *src);
/* 1-based line and column (in bytes) of an offset. */
void reg_source_position(const RegSource *src, uint32_t offset, uint32_t *line, uint32_t *col);

void reg_diag_free(RegDiag *d);

/* Renders "file:line:col: error: message [REG0001]", the source line and a caret line. */
void reg_diag_render(const RegDiag *d, GPtrArray *sources, GString *out);
