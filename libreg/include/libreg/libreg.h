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

G_END_DECLS
