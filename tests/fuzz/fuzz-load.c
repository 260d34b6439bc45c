/* fuzz-load.c: fuzz target: any bytes as a compiled file; what the verifier accepts runs safely. */
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  fuzz_setup();
  return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GBytes *bytes = g_bytes_new(data, size);
  GError *err = NULL;
  RegProgram *p = reg_program_new_from_bytes(bytes, &err);
  if (!p) {
    FUZZ_CHECK(err != NULL && err->domain == REG_LOAD_ERROR &&
                 (err->code == REG_LOAD_ERROR_FORMAT || err->code == REG_LOAD_ERROR_VERIFY),
               "rejected without a load error");
    g_error_free(err);
    g_bytes_unref(bytes);
    return 0;
  }
  /* accepted: it keeps its bytes, names itself and disassembles */
  GBytes *back = reg_program_get_bytes(p);
  FUZZ_CHECK(g_bytes_equal(back, bytes), "reg_program_get_bytes() differs from the input");
  g_bytes_unref(back);
  FUZZ_CHECK(reg_program_get_name(p) != NULL && reg_program_get_version(p) != NULL, "no name");
  FUZZ_CHECK(strlen(reg_program_get_sha256(p)) == 64, "sha256");
  g_free(reg_program_disassemble(p));

  /* and decides without crashing, whatever the portfolio */
  fuzz_decide_fixed(p);
  reg_program_unref(p);
  g_bytes_unref(bytes);
  return 0;
}
