/* json-private.h: validating JSON scanning primitives (RFC 8259) for the schema-directed reader. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Every function works on a complete buffer [p, end) and never reads outside
 * it: no NUL terminator is assumed, and NUL bytes are ordinary (invalid) input.
 * Nothing allocates, prints or keeps state; all of it is safe from any thread.
 *
 * What "valid" means here, beyond the RFC 8259 grammar:
 *  - text must be valid UTF-8 everywhere: no overlong forms, no UTF-8-encoded
 *    surrogates, nothing above U+10FFFF, no truncated sequences;
 *  - a \uXXXX escape of a surrogate must be a high one followed directly by
 *    an escaped low one; a lone high or low surrogate escape is rejected;
 *  - a UTF-8 byte order mark is not whitespace, so a text starting with one
 *    is rejected;
 *  - duplicate object keys are allowed (the reader decides what they mean).
 */

typedef enum {
  REG_JSON_OK = 0,
  REG_JSON_SYNTAX, /* not valid JSON (grammar, escapes, UTF-8, truncation) */
  REG_JSON_DEPTH,  /* arrays/objects nested deeper than allowed */
} RegJsonStatus;

/*
 * reg_json_skip() tracks nesting in a fixed bit stack on the C stack, so a
 * max_depth above this is treated as this.
 */
#define REG_JSON_MAX_DEPTH 4096

/* Skips JSON whitespace (space, tab, CR, LF; not form feed, not a BOM). */
static inline const char *
reg_json_ws(const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/*
 * @p points at '"'. Validates the whole string: escapes (\" \\ \/ \b \f \n
 * \r \t \uXXXX with surrogates paired), no raw control characters below 0x20
 * and valid UTF-8. On success *@out_end points just after the closing quote
 * and *@has_escape (may be NULL) tells whether any backslash occurred; the
 * raw content is [p + 1, *out_end - 1). On failure *@out_end is @p.
 */
RegJsonStatus reg_json_string(const char *p, const char *end, const char **out_end, bool *has_escape);

/*
 * Unescapes the raw content of a string that reg_json_string() accepted into
 * @out and returns the number of bytes written (UTF-8, not NUL-terminated;
 * \u0000 becomes a NUL byte). The output is never longer than @raw_len, so a
 * buffer of @raw_len bytes is always enough, and @out may equal @raw
 * (in place). Unvalidated input cannot make it read or write out of bounds:
 * a malformed escape is copied as is and a lone surrogate becomes U+FFFD.
 */
size_t reg_json_unescape(const char *raw, size_t raw_len, char *out);

/*
 * @p points at the first character of a number ('-' or a digit). Validates
 * the RFC 8259 number grammar (no leading zeros, no '+', no bare '.', the
 * fraction and exponent need digits) and sets *@out_end just after it
 * (on failure, to @p). Does not convert.
 */
RegJsonStatus reg_json_number(const char *p, const char *end, const char **out_end);

/*
 * @p points at the first character of a value (no leading whitespace).
 * Validates and skips it, with arrays and objects nested at most @max_depth
 * deep ("[]" has depth 1; with @max_depth 0 only scalars pass). Deeper is
 * REG_JSON_DEPTH. Iterative: no recursion, no allocation. On success
 * *@out_end points just after the value; on failure at the start of the
 * token where the error was found.
 */
RegJsonStatus reg_json_skip(const char *p, const char *end, int max_depth, const char **out_end);

/* A whole JSON text of @len bytes: optional whitespace, one value, optional whitespace, nothing else. */
RegJsonStatus reg_json_validate(const char *p, size_t len, int max_depth);
