/* opcodes-private.h: the one list of VM opcodes, expanded into enum, names, disassembler and verifier. */
#pragma once

/*
 * Encoding: every instruction is one little-endian 64-bit word.
 *
 *    63          48 47          32 31          16 15      8 7       0
 *   +--------------+--------------+--------------+---------+---------+
 *   |      c       |      b       |      a       |  zero   | opcode  |
 *   +--------------+--------------+--------------+---------+---------+
 *
 * Operand kinds (the second column below), checked by the verifier:
 *   R  register of the current frame (< nregs)
 *   K  constant pool index          S  string index
 *   G  cached-global index          F  field index of the record in operand b
 *   J  jump target: a later instruction of the same function (forward only)
 *   B  loop body target: the instruction after the matching LOOP (backward)
 *   N  function index, lower than the calling function's (no recursion)
 *   X  builtin function number      U  duration unit: 0 days, 1 weeks, 2 months, 3 years
 *   I  small unsigned immediate     -  unused, must be zero
 *   P  presence-mask register, or 0xffff for none
 * Registers are typed per function (the frame's type table); the verifier
 * checks each instruction's register types and that every register is
 * written before it is read on every path.
 *
 * X(name, a, b, c, meaning)
 */
#define REG_OPCODES(X)                                                                      \
  X(NOP, '-', '-', '-', "do nothing")                                                       \
  X(MOVE, 'R', 'R', '-', "a = b (same type)")                                               \
  X(LOADK, 'R', 'K', '-', "a = constant b (bool, int, decimal, date, duration, enum)")      \
  X(LOADS, 'R', 'S', '-', "a = text string b")                                              \
  X(LOADEMPTY, 'R', '-', '-', "a = the empty list")                                         \
  X(LOADINPUT, 'R', '-', '-', "a = the input record")                                       \
  X(LOADDATE, 'R', '-', '-', "a = the evaluation date (peildatum)")                         \
  X(GLOBAL, 'R', 'G', '-', "a = cached rule b, computed on first use")                      \
  X(GETF, 'R', 'R', 'F', "a = field c of record b")                                         \
  X(NOT, 'R', 'R', '-', "a = not b")                                                        \
  X(EQ, 'R', 'R', 'R', "a = (b == c): bool, int, decimal, date, duration or enum")          \
  X(NE, 'R', 'R', 'R', "a = (b != c): bool, int, decimal, date, duration or enum")          \
  X(LT, 'R', 'R', 'R', "a = (b < c): int, decimal or date")                                 \
  X(LE, 'R', 'R', 'R', "a = (b <= c): int, decimal or date")                                \
  X(TEQ, 'R', 'R', 'R', "a = (text b == text c)")                                           \
  X(TNE, 'R', 'R', 'R', "a = (text b != text c)")                                           \
  X(TLT, 'R', 'R', 'R', "a = (text b < text c), bytewise")                                  \
  X(TLE, 'R', 'R', 'R', "a = (text b <= text c), bytewise")                                 \
  X(ADD, 'R', 'R', 'R', "a = b + c: int or decimal; fails on overflow")                     \
  X(SUB, 'R', 'R', 'R', "a = b - c: int or decimal; fails on overflow")                     \
  X(MULI, 'R', 'R', 'R', "a = b * c: int; fails on overflow")                               \
  X(MULD, 'R', 'R', 'R', "a = b * c: decimal, rounded half even; fails on overflow")        \
  X(DIVD, 'R', 'R', 'R', "a = b / c: decimal, rounded half even; fails on zero, overflow")  \
  X(NEG, 'R', 'R', '-', "a = -b: int or decimal")                                           \
  X(I2D, 'R', 'R', '-', "a = int b as a decimal")                                           \
  X(MIN, 'R', 'R', 'R', "a = the smaller of b and c: int, decimal or date")                 \
  X(MAX, 'R', 'R', 'R', "a = the larger of b and c: int, decimal or date")                  \
  X(DADD, 'R', 'R', 'R', "a = date b + duration c, month ends clamped")                     \
  X(DSUB, 'R', 'R', 'R', "a = date b - duration c, month ends clamped")                     \
  X(DDIFF, 'R', 'R', 'R', "a = days from date c to date b (int)")                           \
  X(DUR, 'R', 'R', 'U', "a = duration of int b units of kind c")                            \
  X(DURMUL, 'R', 'R', 'R', "a = duration b * int c")                                        \
  X(DURADD, 'R', 'R', 'R', "a = duration b + duration c")                                   \
  X(JMP, 'J', '-', '-', "jump forward to a")                                                \
  X(JF, 'R', 'J', '-', "if a is false, jump forward to b")                                  \
  X(JT, 'R', 'J', '-', "if a is true, jump forward to b")                                   \
  X(JEQ, 'R', 'R', 'J', "if a == b, jump forward to c: bool, int, decimal, date, enum, ...")\
  X(JNE, 'R', 'R', 'J', "if a != b, jump forward to c")                                     \
  X(JLT, 'R', 'R', 'J', "if a < b, jump forward to c: int, decimal or date")                \
  X(JLE, 'R', 'R', 'J', "if a <= b, jump forward to c: int, decimal or date")               \
  X(JTEQ, 'R', 'R', 'J', "if text a == text b, jump forward to c")                          \
  X(JTNE, 'R', 'R', 'J', "if text a != text b, jump forward to c")                          \
  X(JFF, 'R', 'I', 'J', "if bool field b of record a is false, jump forward to c")          \
  X(JTF, 'R', 'I', 'J', "if bool field b of record a is true, jump forward to c")           \
  X(JEMPTY, 'R', '-', 'J', "if list a is empty, jump forward to c")                         \
  X(JNEMPTY, 'R', '-', 'J', "if list a is not empty, jump forward to c")                    \
  X(JTIN, 'R', 'R', 'J', "if text a is an element of list b, jump forward to c")            \
  X(JNTIN, 'R', 'R', 'J', "if text a is not an element of list b, jump forward to c")       \
  X(JINSET, 'R', 'K', 'J', "if enum a is in bit mask constant b, jump forward to c")        \
  X(JNINSET, 'R', 'K', 'J', "if enum a is not in bit mask constant b, jump forward to c")   \
  X(ADDF, 'R', 'R', 'F', "a = a + field c of record b: int or decimal; fails on overflow")  \
  X(INSET, 'R', 'R', 'K', "a = (enum b is one of the members in bit mask constant c)")      \
  X(TIN, 'R', 'R', 'R', "a = (text b is an element of list c)")                             \
  X(VIN, 'R', 'R', 'R', "a = (b is an element of list c): int, date, enum, ...")            \
  X(LEN, 'R', 'R', '-', "a = number of elements of list b")                                 \
  X(LOOP, 'R', 'R', 'J', "a = first element of list b, a+1 = 0; jump to c if b is empty")  \
  X(NEXT, 'R', 'R', 'B', "a+1 += 1; if more elements: a = next of list b, jump back to c")  \
  X(LNEW, 'R', 'R', '-', "a = new empty list with room for int b elements")                 \
  X(LPUSH, 'R', 'R', '-', "append b to list a (within its room)")                           \
  X(LCAT, 'R', 'R', 'R', "a = list b followed by list c")                                   \
  X(ENUMLIST, 'R', '-', '-', "a = every member of a's enumeration, in order")               \
  X(RECORD, 'R', 'R', 'P', "a = new record of a's type, fields from b, b+1, ...; mask c")   \
  X(CALL, 'R', 'N', 'R', "a = function b applied to arguments c, c+1, ...")                 \
  X(BUILTIN, 'R', 'X', 'R', "a = builtin b applied to arguments c, c+1, ...")               \
  X(RET, 'R', '-', '-', "return a")                                                         \
  X(FAIL, 'S', '-', '-', "stop this evaluation with runtime error message a")

/*
 * Run forms: opcodes that only the loader writes, after verification, into the copy of the
 * code that untraced runs execute (RegProgram.run_code, verify.c). Each does exactly what
 * its base instruction does (the same operands, the same effect), only faster. They are
 * never in a file: the verifier rejects every opcode from REG_OP__COUNT on.
 *
 * X(name, base, meaning)
 */
#define REG_RUN_OPCODES(X)                                                                  \
  X(LOADKS, LOADK, "LOADK followed by more: all of them in one handler")                    \
  X(LOOPP, LOOP, "LOOP over a list of records or texts: asks the cache for the next elements") \
  X(NEXTP, NEXT, "NEXT over a list of records or texts: asks the cache for an element ahead")

/* Pairs X_Y: "X, and the next instruction is Y", for the Y that most often follow a field
 * load or a cached rule. The VM goes from X's work straight to Y's handler (Y keeps its own
 * word and opcode) instead of through the dispatch table, whose jump after a GETF is the
 * hardest to predict. Written only where the VM dispatches by labels (REG_VM_THREADED). */
#define REG_RUN_PAIRS(X)                                                                    \
  X(GETF, GETF) X(GETF, GLOBAL) X(GETF, LOADK) X(GETF, ADD) X(GETF, JEQ) X(GETF, JNE)       \
  X(GETF, JLT) X(GETF, JLE) X(GETF, JTEQ) X(GETF, JTNE) X(GETF, JEMPTY) X(GETF, JNEMPTY)    \
  X(GETF, JTIN) X(GETF, JNTIN) X(GETF, JINSET) X(GETF, JNINSET)                             \
  X(GLOBAL, GETF) X(GLOBAL, JEQ) X(GLOBAL, JNE) X(GLOBAL, JLT) X(GLOBAL, JLE)

/* Jump pairs X_Y: a compare-and-jump X whose next instruction has the run form (or opcode)
 * Y, most often a field load that is itself a pair: when X does not jump, the VM goes
 * straight to Y's handler. */
#define REG_RUN_JUMP_PAIRS_TO(y, X) X(JFF, y) X(JTF, y) X(JEQ, y) X(JNE, y) X(JLT, y) X(JLE, y)
#define REG_RUN_JUMP_PAIRS(X)                                                               \
  REG_RUN_JUMP_PAIRS_TO(GETF, X) REG_RUN_JUMP_PAIRS_TO(GETF_GETF, X)                        \
  REG_RUN_JUMP_PAIRS_TO(GETF_JEQ, X) REG_RUN_JUMP_PAIRS_TO(GETF_JNE, X)                     \
  REG_RUN_JUMP_PAIRS_TO(GETF_JLT, X) REG_RUN_JUMP_PAIRS_TO(GETF_JLE, X)                     \
  REG_RUN_JUMP_PAIRS_TO(GETF_GLOBAL, X) REG_RUN_JUMP_PAIRS_TO(JFF, X)                      \
  REG_RUN_JUMP_PAIRS_TO(GETF_JEQ_GETF_JEQ, X)

/* Triples X_Y_Z: a field load and the two compare-and-jumps after it, as in a date tested
 * against both ends of a term (d >= t.start en d < t.end): one handler does all three. */
#define REG_RUN_TRIPLES(X) X(GETF, JLT, JLE)

/* Quads: two field loads each tested for equality (a.type is onbekend, a.domain is
 * onbekend), in one handler; compare-and-jumps before one go straight to it (jump pairs). */
#define REG_RUN_QUADS(X) X(GETF, JEQ, GETF, JEQ)

/* Loop edges: NEXTP_Y, a NEXTP whose loop body starts with the run form Y, goes on to Y's
 * handler directly. GETF_JLT_JLE_NEXT starts a loop body whose two jumps skip to the
 * loop's NEXTP (an element dropped at the loop's first test), and jumps to that NEXTP's
 * handler (NEXTP_GETF_JLT_JLE_NEXT) directly. GETF_JLT_JLE_JLT_NEXT is the same with a
 * third compare-and-jump to the NEXTP (a date in a term and not after the peildatum): the
 * three comparisons are made together and give one branch, not three, each as hard to
 * predict as the dates are varied. In the loops over a term's activities and work, no
 * dispatch through the table is left between one element's first test and the next's. */
#define REG_RUN_NEXTS(X)                                                                    \
  X(GETF_JLT_JLE) X(GETF_GLOBAL) X(GETF_JLT_JLE_NEXT) X(GETF_JLT_JLE_JLT_NEXT)

#if defined(__GNUC__)
#define REG_VM_THREADED 1
#else
#define REG_VM_THREADED 0
#endif

typedef enum {
#define REG_OP_ENUM(name, a, b, c, meaning) REG_OP_##name,
  REG_OPCODES(REG_OP_ENUM)
#undef REG_OP_ENUM
  REG_OP__COUNT,
  REG_OP__RUN_FIRST = REG_OP__COUNT - 1, /* (so that the first run form is REG_OP__COUNT) */
#define REG_RUN_OP_ENUM(name, base, meaning) REG_OP_##name,
  REG_RUN_OPCODES(REG_RUN_OP_ENUM)
#undef REG_RUN_OP_ENUM
#define REG_RUN_PAIR_ENUM(x, y) REG_OP_##x##_##y,
  REG_RUN_PAIRS(REG_RUN_PAIR_ENUM)
  REG_RUN_JUMP_PAIRS(REG_RUN_PAIR_ENUM)
#undef REG_RUN_PAIR_ENUM
#define REG_RUN_TRIPLE_ENUM(x, y, z) REG_OP_##x##_##y##_##z,
  REG_RUN_TRIPLES(REG_RUN_TRIPLE_ENUM)
#undef REG_RUN_TRIPLE_ENUM
#define REG_RUN_QUAD_ENUM(x, y, z, u) REG_OP_##x##_##y##_##z##_##u,
  REG_RUN_QUADS(REG_RUN_QUAD_ENUM)
#undef REG_RUN_QUAD_ENUM
  REG_OP_GETF_JLT_JLE_NEXT,
  REG_OP_GETF_JLT_JLE_JLT_NEXT,
#define REG_RUN_NEXT_ENUM(y) REG_OP_NEXTP_##y,
  REG_RUN_NEXTS(REG_RUN_NEXT_ENUM)
#undef REG_RUN_NEXT_ENUM
  REG_OP__RUN_END
} RegOpcode;

#define REG_INSN(op, a, b, c)                                                              \
  ((uint64_t) (op) | ((uint64_t) (a) << 16) | ((uint64_t) (b) << 32) | ((uint64_t) (c) << 48))
#define REG_INSN_OP(w) ((unsigned) ((w) & 0xff))
#define REG_INSN_WITH_OP(w, op) (((w) & ~(uint64_t) 0xff) | (uint64_t) (op))
#define REG_INSN_PAD(w) ((unsigned) (((w) >> 8) & 0xff))
#define REG_INSN_A(w) ((unsigned) (((w) >> 16) & 0xffff))
#define REG_INSN_B(w) ((unsigned) (((w) >> 32) & 0xffff))
#define REG_INSN_C(w) ((unsigned) (((w) >> 48) & 0xffff))
#define REG_NO_MASK 0xffffu

/* Conditional jumps whose target is operand c. */
#define REG_OP_IS_CJUMP(op) ((op) >= REG_OP_JEQ && (op) <= REG_OP_JNINSET)

/* Builtin functions called through BUILTIN: X(name, nargs, result type, arg types, meaning). */
#define REG_BUILTINS(X)                                                                     \
  X(PERIODS, 3, REG_TYPE_INT, REG_TYPE_DATE, REG_TYPE_DATE, REG_TYPE_DUR,                   \
    "whole periods c from date a to date b (-1 when b < a)")                                \
  X(ROUND, 2, REG_TYPE_DEC, REG_TYPE_DEC, REG_TYPE_INT, 0, "decimal a rounded half even to b decimals") \
  X(ABS, 1, REG_TYPE_DEC, REG_TYPE_DEC, 0, 0, "absolute value of decimal a")                \
  X(TEXTLEN, 1, REG_TYPE_INT, REG_TYPE_TEXT, 0, 0, "length of text a in characters")

typedef enum {
#define REG_BI_ENUM(name, n, r, t1, t2, t3, meaning) REG_BI_##name,
  REG_BUILTINS(REG_BI_ENUM)
#undef REG_BI_ENUM
  REG_BI__COUNT
} RegBuiltin;
