/* libreg.h: the public API of libreg, a rule engine that decides portfolios by compiled criteria. */
#pragma once

#include <glib.h>

#include "libreg-version.h"

G_BEGIN_DECLS

#if defined(REG_COMPILATION) && defined(__GNUC__)
#define REG_API __attribute__((visibility("default")))
#else
#define REG_API
#endif

/**
 * RegProgram:
 *
 * A compiled and verified criteria set. Immutable and reference counted:
 * any number of threads may evaluate with one program at once.
 */
typedef struct _RegProgram RegProgram;

/**
 * RegCompiler:
 *
 * Compiles criteria source files (the DSL) into a #RegProgram and collects
 * every diagnostic on the way.
 */
typedef struct _RegCompiler RegCompiler;

/**
 * RegEvaluator:
 *
 * The per-thread state of evaluation (memory, registers, options). Create one
 * per thread from a shared #RegProgram; an evaluator is not thread-safe.
 */
typedef struct _RegEvaluator RegEvaluator;

/**
 * RegBatch:
 *
 * Decides JSON Lines in bulk with one evaluator per job (thread); the output
 * keeps the input's order.
 */
typedef struct _RegBatch RegBatch;

/* ---- Errors ---- */

/**
 * REG_COMPILE_ERROR:
 *
 * Error domain of the compiler. Codes are #RegCompileError.
 */
#define REG_COMPILE_ERROR (reg_compile_error_quark())
REG_API GQuark reg_compile_error_quark(void);

/**
 * RegCompileError:
 * @REG_COMPILE_ERROR_SOURCE: the criteria have errors (see the diagnostics)
 * @REG_COMPILE_ERROR_IO: a criteria file could not be read
 *
 * Append-only.
 */
typedef enum {
  REG_COMPILE_ERROR_SOURCE,
  REG_COMPILE_ERROR_IO,
} RegCompileError;

/**
 * REG_LOAD_ERROR:
 *
 * Error domain of loading compiled criteria. Codes are #RegLoadError.
 */
#define REG_LOAD_ERROR (reg_load_error_quark())
REG_API GQuark reg_load_error_quark(void);

/**
 * RegLoadError:
 * @REG_LOAD_ERROR_IO: the file could not be read
 * @REG_LOAD_ERROR_FORMAT: not a compiled criteria file, or of another format version
 * @REG_LOAD_ERROR_VERIFY: the verifier rejected the program
 *
 * Append-only.
 */
typedef enum {
  REG_LOAD_ERROR_IO,
  REG_LOAD_ERROR_FORMAT,
  REG_LOAD_ERROR_VERIFY,
} RegLoadError;

/**
 * REG_EVAL_ERROR:
 *
 * Error domain of evaluation. Codes are #RegEvalError.
 */
#define REG_EVAL_ERROR (reg_eval_error_quark())
REG_API GQuark reg_eval_error_quark(void);

/**
 * RegEvalError:
 * @REG_EVAL_ERROR_DATA: the portfolio is malformed or breaks the schema or a requirement
 * @REG_EVAL_ERROR_BUDGET: the instruction budget ran out
 * @REG_EVAL_ERROR_MEMORY: the memory limit of one decision was reached
 * @REG_EVAL_ERROR_ARITHMETIC: decimal overflow, division by zero or a date out of range
 * @REG_EVAL_ERROR_RUNTIME: another runtime error named by the criteria (e.g. a rule not in effect)
 * @REG_EVAL_ERROR_USAGE: the evaluator was asked something it cannot do
 *
 * Append-only.
 */
typedef enum {
  REG_EVAL_ERROR_DATA,
  REG_EVAL_ERROR_BUDGET,
  REG_EVAL_ERROR_MEMORY,
  REG_EVAL_ERROR_ARITHMETIC,
  REG_EVAL_ERROR_RUNTIME,
  REG_EVAL_ERROR_USAGE,
} RegEvalError;

/* ---- Version ---- */

/**
 * reg_version_string:
 *
 * Returns: the run-time version of the library, e.g. "0.1.0".
 */
REG_API const char *reg_version_string(void);

/* ---- Programs ---- */

/**
 * reg_program_new_from_bytes:
 * @bytes: a compiled criteria file's contents
 * @error: return location for a #GError
 *
 * Reads and verifies compiled criteria. Any byte string is safe to pass: what
 * the verifier does not prove safe is rejected with %REG_LOAD_ERROR.
 *
 * Returns: (transfer full) (nullable): the program, or %NULL with @error set
 */
REG_API RegProgram *reg_program_new_from_bytes(GBytes *bytes, GError **error);

/**
 * reg_program_new_from_file:
 * @path: path of a file written by reg_program_get_bytes() or `regel compile`
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the verified program, or %NULL with @error set
 */
REG_API RegProgram *reg_program_new_from_file(const char *path, GError **error);

/**
 * reg_program_ref:
 * @program: a program
 *
 * Returns: (transfer full): @program, with one more reference
 */
REG_API RegProgram *reg_program_ref(RegProgram *program);

/**
 * reg_program_unref:
 * @program: (nullable) (transfer full): a program
 *
 * Drops a reference; %NULL is a harmless no-op.
 */
REG_API void reg_program_unref(RegProgram *program);

/**
 * reg_program_get_bytes:
 * @program: a program
 *
 * Returns: (transfer full): the compiled criteria file of @program
 */
REG_API GBytes *reg_program_get_bytes(RegProgram *program);

/**
 * reg_program_get_sha256:
 * @program: a program
 *
 * Returns: (transfer none): the SHA-256 of the compiled bytes, 64 lower-case hex digits
 */
REG_API const char *reg_program_get_sha256(RegProgram *program);

/**
 * reg_program_get_name:
 * @program: a program
 *
 * Returns: (transfer none): the criteria set's name from its `criteria` declaration
 */
REG_API const char *reg_program_get_name(RegProgram *program);

/**
 * reg_program_get_version:
 * @program: a program
 *
 * Returns: (transfer none): the criteria set's version from its `criteria` declaration
 */
REG_API const char *reg_program_get_version(RegProgram *program);

/**
 * reg_program_disassemble:
 * @program: a program
 *
 * Lists the bytecode with the source location of every instruction (EXPLAIN).
 *
 * Returns: (transfer full): the listing; free with g_free()
 */
REG_API char *reg_program_disassemble(RegProgram *program);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegProgram, reg_program_unref)

/* ---- Compiling criteria ---- */

/**
 * reg_compiler_new:
 *
 * Returns: (transfer full): a compiler with no sources yet
 */
REG_API RegCompiler *reg_compiler_new(void);

/**
 * reg_compiler_free:
 * @compiler: (nullable) (transfer full): a compiler
 */
REG_API void reg_compiler_free(RegCompiler *compiler);

/**
 * reg_compiler_add_path:
 * @compiler: a compiler
 * @path: a criteria file, or a directory whose `*.regel` files are all added (sorted by name)
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_COMPILE_ERROR_IO) when @path cannot be read
 */
REG_API gboolean reg_compiler_add_path(RegCompiler *compiler, const char *path, GError **error);

/**
 * reg_compiler_add_source:
 * @compiler: a compiler
 * @name: the file name diagnostics give for this source
 * @text: the criteria source (any bytes)
 * @len: length of @text, or -1 if NUL-terminated
 */
REG_API void reg_compiler_add_source(RegCompiler *compiler, const char *name, const char *text,
                                     gssize len);

/**
 * reg_compiler_compile:
 * @compiler: a compiler with its sources
 * @error: return location for a #GError
 *
 * Compiles every source together. On errors the diagnostics are kept in
 * @compiler (see reg_compiler_format_diagnostics()).
 *
 * Returns: (transfer full) (nullable): the verified program, or %NULL with @error set
 */
REG_API RegProgram *reg_compiler_compile(RegCompiler *compiler, GError **error);

/**
 * reg_compiler_get_n_diagnostics:
 * @compiler: a compiler
 *
 * Returns: the number of diagnostics of the last compilation
 */
REG_API guint reg_compiler_get_n_diagnostics(RegCompiler *compiler);

/**
 * reg_compiler_get_diagnostic:
 * @compiler: a compiler
 * @index: below reg_compiler_get_n_diagnostics()
 * @code: (out) (optional): the stable code number (REG0001 is 1)
 * @file: (out) (optional) (transfer none): the source's name
 * @line: (out) (optional): 1-based line
 * @column: (out) (optional): 1-based column in bytes
 *
 * Returns: (transfer none): the message of diagnostic @index
 */
REG_API const char *reg_compiler_get_diagnostic(RegCompiler *compiler, guint index, guint *code,
                                                const char **file, guint *line, guint *column);

/**
 * reg_compiler_format_diagnostics:
 * @compiler: a compiler
 *
 * Renders every diagnostic as `file:line:col: error: message [REGnnnn]`, the
 * source line and a caret under the span.
 *
 * Returns: (transfer full): the text; free with g_free()
 */
REG_API char *reg_compiler_format_diagnostics(RegCompiler *compiler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegCompiler, reg_compiler_free)

/* ---- Deciding portfolios ---- */

/**
 * reg_evaluator_new:
 * @program: the compiled criteria (a reference is taken)
 *
 * Returns: (transfer full): per-thread evaluation state for @program
 */
REG_API RegEvaluator *reg_evaluator_new(RegProgram *program);

/**
 * reg_evaluator_free:
 * @evaluator: (nullable) (transfer full): an evaluator
 */
REG_API void reg_evaluator_free(RegEvaluator *evaluator);

/**
 * reg_evaluator_set_as_of:
 * @evaluator: an evaluator
 * @date: (nullable): "YYYY-MM-DD", the evaluation date for portfolios that carry none
 * @error: return location for a #GError
 *
 * The library never reads the clock: the caller supplies the date.
 *
 * Returns: %FALSE with @error set when @date is not a date
 */
REG_API gboolean reg_evaluator_set_as_of(RegEvaluator *evaluator, const char *date, GError **error);

/**
 * reg_evaluator_set_view:
 * @evaluator: an evaluator
 * @name: an output declared by the criteria (e.g. "besluit", "openbaar")
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the criteria declare no such output
 */
REG_API gboolean reg_evaluator_set_view(RegEvaluator *evaluator, const char *name, GError **error);

/**
 * reg_evaluator_set_audit_fields:
 * @evaluator: an evaluator
 * @audit: whether decisions carry "ruleset", "input_sha256" and "engine" (default %TRUE)
 */
REG_API void reg_evaluator_set_audit_fields(RegEvaluator *evaluator, gboolean audit);

/**
 * reg_evaluator_set_explain:
 * @evaluator: an evaluator
 * @explain: whether decisions carry an "explain" trace: every rule call that
 *   decided, with its file:line, legal basis, arguments, value and the
 *   conditions it evaluated
 */
REG_API void reg_evaluator_set_explain(RegEvaluator *evaluator, gboolean explain);

/**
 * RegExplainStyle:
 * @REG_EXPLAIN_NONE: no explanation
 * @REG_EXPLAIN_TRACE: an "explain" trace of rule calls, values and conditions (for engineers)
 * @REG_EXPLAIN_TEXTS: "uitleg": the criteria's own texts ('uitleg' of a rule) for every rule
 *   that held false, with the gap to the goal filled in (for the person decided about)
 *
 * Append-only.
 */
typedef enum {
  REG_EXPLAIN_NONE,
  REG_EXPLAIN_TRACE,
  REG_EXPLAIN_TEXTS,
} RegExplainStyle;

/**
 * reg_evaluator_set_explain_style:
 * @evaluator: an evaluator
 * @style: what decisions explain
 */
REG_API void reg_evaluator_set_explain_style(RegEvaluator *evaluator, RegExplainStyle style);

/**
 * reg_evaluator_set_budget:
 * @evaluator: an evaluator
 * @instructions: most VM instructions one decision may run
 */
REG_API void reg_evaluator_set_budget(RegEvaluator *evaluator, guint64 instructions);

/**
 * reg_evaluator_set_memory_limit:
 * @evaluator: an evaluator
 * @bytes: most memory one decision may use (portfolio and computed values); 0 for the default
 */
REG_API void reg_evaluator_set_memory_limit(RegEvaluator *evaluator, gsize bytes);

/**
 * reg_evaluator_decide_json:
 * @evaluator: an evaluator
 * @json: one portfolio as a JSON object
 * @len: length of @json, or -1 if NUL-terminated
 * @out: the decision line (JSON, no newline) is appended here
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA for a bad portfolio)
 */
REG_API gboolean reg_evaluator_decide_json(RegEvaluator *evaluator, const char *json, gssize len,
                                           GString *out, GError **error);

/**
 * reg_evaluator_get_key:
 * @evaluator: an evaluator
 *
 * Returns: (transfer none) (nullable): the key (e.g. a person's id) of the last portfolio, if it could be read
 */
REG_API const char *reg_evaluator_get_key(RegEvaluator *evaluator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegEvaluator, reg_evaluator_free)

/* ---- Deciding JSON Lines in bulk ---- */

/**
 * reg_batch_new:
 * @program: the compiled criteria (a reference is taken)
 * @jobs: threads to decide with; 0 or 1 for the calling thread only. With more, the
 *   batch starts that many threads when it first decides and keeps them until it is
 *   freed; the calling thread waits for them. A batch is used by one thread at a time.
 *
 * Returns: (transfer full): a batch decider
 */
REG_API RegBatch *reg_batch_new(RegProgram *program, guint jobs);

/**
 * reg_batch_free:
 * @batch: (nullable) (transfer full): a batch decider
 */
REG_API void reg_batch_free(RegBatch *batch);

/**
 * reg_batch_get_jobs:
 * @batch: a batch decider
 *
 * Returns: the number of evaluators (one per job)
 */
REG_API guint reg_batch_get_jobs(RegBatch *batch);

/**
 * reg_batch_get_evaluator:
 * @batch: a batch decider
 * @index: below reg_batch_get_jobs()
 *
 * Options (as_of, view, budget, ...) are set on each evaluator.
 *
 * Returns: (transfer none): evaluator @index of the batch
 */
REG_API RegEvaluator *reg_batch_get_evaluator(RegBatch *batch, guint index);

/**
 * reg_batch_decide:
 * @batch: a batch decider
 * @data: JSON Lines: one portfolio per line (the last line may lack its newline)
 * @len: length of @data
 * @first_line: the line number of the first line, for error lines
 * @out: one line per input line is appended here, in input order
 * @n_errors: (out) (optional): incremented by the number of error lines
 *
 * Returns: the number of lines decided
 */
REG_API gsize reg_batch_decide(RegBatch *batch, const char *data, gsize len, guint64 first_line,
                               GString *out, guint64 *n_errors);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegBatch, reg_batch_free)

/* ---- Hosts: portfolios built without JSON, decisions read without JSON ---- */

/**
 * RegKind:
 * @REG_KIND_INVALID: no value: the path does not fit the type
 * @REG_KIND_BOOL: true or false (reg_input_set_bool(), reg_decision_get_bool())
 * @REG_KIND_INT: a whole number (reg_input_set_int(), reg_decision_get_int())
 * @REG_KIND_DECIMAL: an exact decimal number (reg_input_set_decimal(), reg_decision_get_decimal())
 * @REG_KIND_TEXT: UTF-8 text (reg_input_set_text(), reg_decision_get_text())
 * @REG_KIND_DATE: a calendar date, "YYYY-MM-DD" (reg_input_set_date(), reg_decision_get_date())
 * @REG_KIND_DURATION: a period of months and days (written as ISO 8601 in JSON; no accessor)
 * @REG_KIND_ENUM: a member of an enumeration, by name (reg_input_set_enum(), reg_decision_get_text())
 * @REG_KIND_LIST: a list (reg_input_append(), reg_decision_get_length())
 * @REG_KIND_RECORD: a record with named fields
 *
 * The kind of value at a path of a portfolio or a decision, as the criteria
 * declare it. Append-only.
 */
typedef enum {
  REG_KIND_INVALID,
  REG_KIND_BOOL,
  REG_KIND_INT,
  REG_KIND_DECIMAL,
  REG_KIND_TEXT,
  REG_KIND_DATE,
  REG_KIND_DURATION,
  REG_KIND_ENUM,
  REG_KIND_LIST,
  REG_KIND_RECORD,
} RegKind;

/**
 * RegInput:
 *
 * A portfolio built value by value through the API instead of given as JSON.
 *
 * The library knows no field of the register: a #RegInput follows the input
 * schema of the #RegProgram it was made for (the criteria's `invoer`
 * declaration), and values are set by *path*: field names joined by `.` and
 * list indexes in brackets, as in `"person.id"`,
 * `"items[2].hours"` or `"items[0].tags[1]"`. The
 * empty path is the portfolio itself.
 *
 * Setting a value below a record or list makes that record or list present.
 * A list index equal to the list's current length appends an element, so a
 * portfolio can be filled in order with literal indexes; a larger index is
 * an error. Values are checked when they are set, with the rules (and
 * messages) of the JSON reader: dates must exist, numbers must fit the
 * field's declared decimals and minimum, enumeration members must be known
 * (an open enumeration takes any name as an unknown value). What cannot be
 * checked before deciding, fields declared required (`verplicht`) but never
 * set, is reported by reg_evaluator_decide_input() as "path: missing", as for
 * JSON. Fields not set get the schema's defaults.
 *
 * Errors of the setters are %REG_EVAL_ERROR_USAGE when the path does not fit
 * the schema (bad syntax, no such field, index out of range, a setter for
 * another kind of value) and %REG_EVAL_ERROR_DATA when the value does not
 * (not a date, a negative number for a field `>= 0`, too many decimals, not a
 * member); the message starts with the path. A failed setter changes nothing.
 *
 * An input holds a reference to its program and is independent of any
 * evaluator: it can be decided any number of times, changed in between, by
 * any evaluator of the same program. Deciding only reads it, so one input
 * may be decided by several threads at once as long as none changes it;
 * changing it needs the one thread.
 */
typedef struct _RegInput RegInput;

/**
 * RegDecision:
 *
 * The output of one decision, readable by path without parsing JSON: for
 * example `reg_decision_get_text(d, "results[0].status", &error)`.
 * Paths follow the record fields and list indexes of the output's type (the
 * evaluator's view, e.g. `besluit`).
 *
 * A #RegDecision is an immutable snapshot (a copy of the evaluator's output
 * values): it stays valid after the evaluator decides again or is freed, for
 * as long as the caller holds a reference, and may be read from any number of
 * threads at once. Strings returned as (transfer none) live as long as the
 * decision.
 */
typedef struct _RegDecision RegDecision;

/**
 * reg_input_new:
 * @program: the criteria whose input schema the portfolio follows (a reference is taken)
 *
 * Returns: (transfer full): an empty portfolio; free with reg_input_free()
 */
REG_API RegInput *reg_input_new(RegProgram *program);

/**
 * reg_input_free:
 * @input: (nullable) (transfer full): a portfolio
 */
REG_API void reg_input_free(RegInput *input);

/**
 * reg_input_clear:
 * @input: a portfolio
 *
 * Forgets every value, so the same #RegInput can be filled again for the
 * next portfolio.
 */
REG_API void reg_input_clear(RegInput *input);

/**
 * reg_input_get_program:
 * @input: a portfolio
 *
 * Returns: (transfer none): the program @input was made for
 */
REG_API RegProgram *reg_input_get_program(RegInput *input);

/**
 * reg_input_get_kind:
 * @input: a portfolio
 * @path: a path in the input schema, e.g. "activities[0].date"
 * @error: return location for a #GError
 *
 * Tells which setter a place takes, by the schema alone: list indexes are
 * not checked against the values set so far. Generic hosts (for example a
 * binding that fills a portfolio from a dictionary) use it to pick the setter.
 *
 * Returns: the kind of value at @path, or %REG_KIND_INVALID with @error set
 *   (%REG_EVAL_ERROR_USAGE) when the schema has no such place
 */
REG_API RegKind reg_input_get_kind(RegInput *input, const char *path, GError **error);

/**
 * reg_input_set_text:
 * @input: a portfolio
 * @path: a text field or list element, e.g. "person.id"
 * @text: the value, UTF-8, NUL-terminated
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA when @text
 *   is not valid UTF-8)
 */
REG_API gboolean reg_input_set_text(RegInput *input, const char *path, const char *text,
                                    GError **error);

/**
 * reg_input_set_date:
 * @input: a portfolio
 * @path: a date field or list element, e.g. "registration.start"
 * @date: "YYYY-MM-DD"
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set ("path: not a date",
 *   %REG_EVAL_ERROR_DATA, for text that is not an existing date)
 */
REG_API gboolean reg_input_set_date(RegInput *input, const char *path, const char *date,
                                    GError **error);

/**
 * reg_input_set_decimal:
 * @input: a portfolio
 * @path: a number field or list element, e.g. "activities[2].contact_hours"
 * @number: the value in JSON number syntax, e.g. "12.5", "-3", "1e2"; read exactly
 *   (no binary floating point)
 * @error: return location for a #GError
 *
 * Sets a decimal (`getal`) or, when @number is whole, a whole-number field.
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA when @number
 *   is not a number, is out of range, has more decimals than the field allows,
 *   or is below its minimum; the messages are the JSON reader's, e.g.
 *   "activities[0].contact_hours: negative")
 */
REG_API gboolean reg_input_set_decimal(RegInput *input, const char *path, const char *number,
                                       GError **error);

/**
 * reg_input_set_decimal_units:
 * @input: a portfolio
 * @path: a number field or list element
 * @units: the value times 10^@scale, e.g. 1250 with @scale 2 for 12.50
 * @scale: decimals in @units, at most 18
 * @error: return location for a #GError
 *
 * reg_input_set_decimal() for hosts that keep amounts as scaled integers.
 *
 * Returns: %TRUE, or %FALSE with @error set, as reg_input_set_decimal()
 */
REG_API gboolean reg_input_set_decimal_units(RegInput *input, const char *path, gint64 units,
                                             guint scale, GError **error);

/**
 * reg_input_set_int:
 * @input: a portfolio
 * @path: a whole-number or decimal field or list element
 * @value: the value; at most 9223372036854 in magnitude, the range of a decimal
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA when out of
 *   range or below the field's minimum)
 */
REG_API gboolean reg_input_set_int(RegInput *input, const char *path, gint64 value,
                                   GError **error);

/**
 * reg_input_set_bool:
 * @input: a portfolio
 * @path: a true/false (`waarheid`) field or list element
 * @value: the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set when @path is not such a place
 */
REG_API gboolean reg_input_set_bool(RegInput *input, const char *path, gboolean value,
                                    GError **error);

/**
 * reg_input_set_enum:
 * @input: a portfolio
 * @path: a field or list element whose type is an enumeration (`keuzelijst`)
 * @member: the member's name, e.g. "cursus"
 * @error: return location for a #GError
 *
 * For an open enumeration an unknown name is accepted as an unknown value,
 * as in JSON.
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA,
 *   "path: \"x\" is not one of a, b, c", for an unknown name of a closed one)
 */
REG_API gboolean reg_input_set_enum(RegInput *input, const char *path, const char *member,
                                    GError **error);

/**
 * reg_input_set_empty:
 * @input: a portfolio
 * @path: a list or record field, or "" for the whole portfolio
 * @error: return location for a #GError
 *
 * Makes a list present and empty (JSON `[]`), or a record present with no
 * fields set (JSON `{}`), dropping what was set below it. A required list
 * that is empty is given; one never set is missing.
 *
 * Returns: %TRUE, or %FALSE with @error set when @path is not a list or record
 */
REG_API gboolean reg_input_set_empty(RegInput *input, const char *path, GError **error);

/**
 * reg_input_append:
 * @input: a portfolio
 * @path: a list field, e.g. "items" or "groups[0].members"
 * @error: return location for a #GError
 *
 * Appends an element to a list (making the list present): a record with no
 * fields set yet, or a value that must then be set (an element never set is
 * "path[i]: missing" when deciding). Setting `path[N]` where N is the list's
 * length appends too.
 *
 * Returns: the index of the new element, or -1 with @error set
 */
REG_API gint reg_input_append(RegInput *input, const char *path, GError **error);

/**
 * reg_input_get_length:
 * @input: a portfolio
 * @path: a list field
 * @error: return location for a #GError
 *
 * Returns: the number of elements set so far (0 for a list not set), or 0
 *   with @error set when @path is not a list
 */
REG_API guint reg_input_get_length(RegInput *input, const char *path, GError **error);

/**
 * reg_input_has:
 * @input: a portfolio
 * @path: a path in the input schema
 * @error: return location for a #GError
 *
 * Returns: whether a value is set at @path (a record or list counts once
 *   anything below it is set, or it was set empty); %FALSE with @error set
 *   when the schema has no such place
 */
REG_API gboolean reg_input_has(RegInput *input, const char *path, GError **error);

/**
 * reg_input_to_json:
 * @input: a portfolio
 *
 * Writes the portfolio as its canonical JSON: one object, fields in schema
 * order, every field not set written with its default (so the defaults are
 * part of what is hashed), except fields never set that are required (left
 * out: they are missing) and the evaluation-date field (`is peildatum`; left
 * out when not set, as the evaluator's date then applies). Values are
 * written by the writer of decisions: numbers in shortest exact form
 * ("12.5"), dates as "YYYY-MM-DD", text with JSON escapes, no whitespace.
 *
 * reg_evaluator_decide_input() records the SHA-256 of exactly this text as
 * the decision's "input_sha256", so deciding this text with
 * reg_evaluator_decide_json() gives a byte-identical decision.
 *
 * Returns: (transfer full): the JSON text; free with g_free()
 */
REG_API char *reg_input_to_json(RegInput *input);

/**
 * reg_evaluator_decide_input:
 * @evaluator: an evaluator of the program @input was made for (or of one
 *   with the same compiled bytes)
 * @input: the portfolio
 * @out: (nullable): the decision line (JSON, no newline) is appended here
 * @error: return location for a #GError
 *
 * Decides a portfolio built with the reg_input_set_*() functions: checks that
 * every required field is set (the first that is not gives "path: missing",
 * as for JSON), applies the defaults, and decides as
 * reg_evaluator_decide_json() does. The portfolio and the same portfolio
 * given as JSON get the same decision; only "input_sha256" may differ, which
 * for a built portfolio is the SHA-256 of its canonical JSON
 * (reg_input_to_json()) rather than of the bytes a host happened to send.
 *
 * Afterwards reg_evaluator_get_decision() returns the decision for reading by
 * path; @out may be %NULL when the JSON line is not wanted.
 *
 * Returns: %TRUE, or %FALSE with @error set (%REG_EVAL_ERROR_DATA for a
 *   missing field or a failed requirement, the other #RegEvalError codes as
 *   for JSON; %REG_EVAL_ERROR_USAGE when @input is for other criteria)
 */
REG_API gboolean reg_evaluator_decide_input(RegEvaluator *evaluator, RegInput *input,
                                            GString *out, GError **error);

/**
 * reg_evaluator_get_decision:
 * @evaluator: an evaluator
 *
 * The output of the last decision @evaluator made, with
 * reg_evaluator_decide_input() or reg_evaluator_decide_json(), as a snapshot
 * that does not depend on @evaluator: it stays valid when @evaluator decides
 * again or is freed. It holds the output fields only, not the audit fields
 * ("ruleset", "input_sha256", "engine") nor "explain".
 *
 * Returns: (transfer full) (nullable): the decision (release with
 *   reg_decision_unref()), or %NULL when the last decision failed or there
 *   was none
 */
REG_API RegDecision *reg_evaluator_get_decision(RegEvaluator *evaluator);

/**
 * reg_decision_ref:
 * @decision: a decision
 *
 * Returns: (transfer full): @decision, with one more reference
 */
REG_API RegDecision *reg_decision_ref(RegDecision *decision);

/**
 * reg_decision_unref:
 * @decision: (nullable) (transfer full): a decision
 *
 * Drops a reference; %NULL is a harmless no-op.
 */
REG_API void reg_decision_unref(RegDecision *decision);

/**
 * reg_decision_get_program:
 * @decision: a decision
 *
 * Returns: (transfer none): the program that decided
 */
REG_API RegProgram *reg_decision_get_program(RegDecision *decision);

/**
 * reg_decision_to_json:
 * @decision: a decision
 *
 * Returns: (transfer full): the output fields as one JSON object, exactly as
 *   they begin the decision line (without the audit fields); free with g_free()
 */
REG_API char *reg_decision_to_json(RegDecision *decision);

/**
 * reg_decision_has:
 * @decision: a decision
 * @path: a path in the output's type, e.g. "results[0].previous"
 * @error: (nullable): return location for a #GError, set only when the
 *   output's type has no such place (%REG_EVAL_ERROR_USAGE)
 *
 * Returns: whether @decision has a value at @path: %FALSE for an optional
 *   field (`optioneel`) left out and for a list index past the end
 */
REG_API gboolean reg_decision_has(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_kind:
 * @decision: a decision
 * @path: a path in the output's type
 * @error: return location for a #GError
 *
 * Returns: the kind of value at @path by the output's type alone (list
 *   indexes are not checked), or %REG_KIND_INVALID with @error set
 */
REG_API RegKind reg_decision_get_kind(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_text:
 * @decision: a decision
 * @path: a text or enumeration value, e.g. "results[0].status"
 * @error: return location for a #GError
 *
 * Errors of the reg_decision_get_*() functions are %REG_EVAL_ERROR_USAGE,
 * with a message that starts with the path: no such place, a getter for
 * another kind of value, or no value there (see reg_decision_has()).
 *
 * Returns: (transfer none) (nullable): the text, or the enumeration member's
 *   name, valid as long as @decision; %NULL with @error set
 */
REG_API const char *reg_decision_get_text(RegDecision *decision, const char *path,
                                          GError **error);

/**
 * reg_decision_get_decimal:
 * @decision: a decision
 * @path: a number, e.g. "results[0].progress.total"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the exact value in shortest form, as
 *   in JSON ("16.5", "700"); free with g_free(); %NULL with @error set
 */
REG_API char *reg_decision_get_decimal(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_decimal_units:
 * @decision: a decision
 * @path: a number
 * @scale: decimals wanted, at most 18
 * @units: (out): the value times 10^@scale
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with @error set, also when the value has more
 *   than @scale decimals or does not fit in 64 bits at that scale
 */
REG_API gboolean reg_decision_get_decimal_units(RegDecision *decision, const char *path,
                                                guint scale, gint64 *units, GError **error);

/**
 * reg_decision_get_int:
 * @decision: a decision
 * @path: a whole number, or a decimal number that is whole
 * @error: return location for a #GError
 *
 * Returns: the value, or 0 with @error set
 */
REG_API gint64 reg_decision_get_int(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_bool:
 * @decision: a decision
 * @path: a true/false value, e.g. "results[0].active"
 * @error: return location for a #GError
 *
 * Returns: the value, or %FALSE with @error set
 */
REG_API gboolean reg_decision_get_bool(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_date:
 * @decision: a decision
 * @path: a date, e.g. "results[0].period.end"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD"; free with g_free();
 *   %NULL with @error set
 */
REG_API char *reg_decision_get_date(RegDecision *decision, const char *path, GError **error);

/**
 * reg_decision_get_length:
 * @decision: a decision
 * @path: a list, e.g. "messages"
 * @error: return location for a #GError
 *
 * Returns: the number of elements, or 0 with @error set
 */
REG_API guint reg_decision_get_length(RegDecision *decision, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegInput, reg_input_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegDecision, reg_decision_unref)

G_END_DECLS
