/* fuzz-compile.c: fuzz target: any bytes as criteria source; what compiles reloads and runs. */
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
  RegCompiler *c = reg_compiler_new();
  reg_compiler_add_source(c, "fuzz.regel", (const char *) data, (gssize) size);
  GError *err = NULL;
  RegProgram *p = reg_compiler_compile(c, &err);

  /* every diagnostic has a place in the source, and renders */
  guint n = reg_compiler_get_n_diagnostics(c);
  for (guint i = 0; i < n; i++) {
    guint code = 0, line = 0, col = 0;
    const char *file = NULL;
    const char *msg = reg_compiler_get_diagnostic(c, i, &code, &file, &line, &col);
    FUZZ_CHECK(msg != NULL && msg[0] != '\0' && code >= 1 && file != NULL,
               "diagnostic %u: code %u", i, code);
    /* (one source: no diagnostic about the files as a whole; and none from the compiler
     * rejecting its own output, which has no place) */
    FUZZ_CHECK(file[0] != '\0' && line >= 1 && col >= 1, "diagnostic %u without a place: %s", i,
               msg);
  }
  char *text = reg_compiler_format_diagnostics(c);
  FUZZ_CHECK((n == 0) == (text[0] == '\0'), "%u diagnostics rendered as %zu bytes", n,
             strlen(text));
  g_free(text);

  if (!p) {
    /* a failed compilation says why */
    FUZZ_CHECK(err != NULL && err->domain == REG_COMPILE_ERROR && n > 0,
               "compilation failed with %u diagnostics", n);
    g_error_free(err);
    reg_compiler_free(c);
    return 0;
  }
  FUZZ_CHECK(n == 0, "compiled, yet %u diagnostics", n);

  /* the compiled bytes load again, as the same program */
  GBytes *bytes = reg_program_get_bytes(p);
  RegProgram *q = reg_program_new_from_bytes(bytes, &err);
  FUZZ_CHECK(q != NULL, "the compiler's own output is rejected: %s", err ? err->message : "");
  FUZZ_CHECK(strcmp(reg_program_get_sha256(p), reg_program_get_sha256(q)) == 0, "sha256 differs");
  char *a = reg_program_disassemble(p), *b = reg_program_disassemble(q);
  FUZZ_CHECK(strcmp(a, b) == 0, "the reloaded program disassembles differently");
  g_free(a);
  g_free(b);
  g_bytes_unref(bytes);
  reg_program_unref(q);

  fuzz_decide_fixed(p);
  reg_program_unref(p);
  reg_compiler_free(c);
  return 0;
}
