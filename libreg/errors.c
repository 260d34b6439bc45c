/* errors.c: error domains and the run-time version. */
#include "libreg/libreg.h"

G_DEFINE_QUARK(reg-compile-error-quark, reg_compile_error)
G_DEFINE_QUARK(reg-load-error-quark, reg_load_error)
G_DEFINE_QUARK(reg-eval-error-quark, reg_eval_error)

const char *
reg_version_string(void)
{
  return REG_VERSION_STRING;
}
