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
 * Returns: (transfer none) (nullable): the key (e.g. the teacher's id) of the last portfolio, if it could be read
 */
REG_API const char *reg_evaluator_get_key(RegEvaluator *evaluator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegEvaluator, reg_evaluator_free)

/* ---- Deciding JSON Lines in bulk ---- */

/**
 * reg_batch_new:
 * @program: the compiled criteria (a reference is taken)
 * @jobs: threads to decide with; 0 or 1 for the calling thread only
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

G_END_DECLS
