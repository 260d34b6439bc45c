"""libreg.py: Python over libreg's C API, with ctypes and nothing else.

    from libreg import Program
    program = Program.compile(["rules"])           # or Program.from_file("x.rbc")
    decision = program.decide(portfolio_dict, as_of="2024-01-01")
    decision["bevoegdheden"][0]["status"]

Numbers in decisions come back as int or decimal.Decimal (exact, never float).
Errors are exceptions carrying the library's message: CompileError (with the
diagnostics), LoadError, DataError (a bad portfolio: "path: problem"),
UsageError and EvalError for the rest.

The library is found through $LIBREG_PATH (a path to libreg.so), else as
"reg" on the system's library path (libreg.so.0 after `meson install`).
A Program may be shared by threads; decide() keeps one evaluator per thread.
"""
import ctypes
import ctypes.util
import decimal
import json
import os
import re
import threading

__all__ = ["Program", "Evaluator", "Input", "Decision", "LibregError", "CompileError",
           "LoadError", "EvalError", "DataError", "UsageError"]


# ---- The C library ----------------------------------------------------------------

def _load():
    path = os.environ.get("LIBREG_PATH") or ctypes.util.find_library("reg") or "libreg.so.0"
    lib = ctypes.CDLL(path)
    glib = ctypes.CDLL(ctypes.util.find_library("glib-2.0") or "libglib-2.0.so.0")
    return lib, glib


class _GError(ctypes.Structure):
    _fields_ = [("domain", ctypes.c_uint32), ("code", ctypes.c_int), ("message", ctypes.c_char_p)]


class _GString(ctypes.Structure):
    _fields_ = [("str", ctypes.c_void_p), ("len", ctypes.c_size_t),
                ("allocated_len", ctypes.c_size_t)]


_lib, _glib = _load()
_P = ctypes.c_void_p
_S = ctypes.c_char_p
_ERR = ctypes.POINTER(ctypes.POINTER(_GError))
_B = ctypes.c_int  # gboolean


def _fn(name, restype, *argtypes, lib=None):
    f = getattr(lib or _lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_g_error_free = _fn("g_error_free", None, ctypes.POINTER(_GError), lib=_glib)
_g_free = _fn("g_free", None, _P, lib=_glib)
_g_string_new = _fn("g_string_new", ctypes.POINTER(_GString), _S, lib=_glib)
_g_string_free = _fn("g_string_free", _P, ctypes.POINTER(_GString), _B, lib=_glib)
_g_bytes_new = _fn("g_bytes_new", _P, ctypes.c_char_p, ctypes.c_size_t, lib=_glib)
_g_bytes_get_data = _fn("g_bytes_get_data", _P, _P, ctypes.POINTER(ctypes.c_size_t), lib=_glib)
_g_bytes_unref = _fn("g_bytes_unref", None, _P, lib=_glib)

_compile_quark = _fn("reg_compile_error_quark", ctypes.c_uint32)()
_load_quark = _fn("reg_load_error_quark", ctypes.c_uint32)()
_eval_quark = _fn("reg_eval_error_quark", ctypes.c_uint32)()

_C = {}
for _name, _res, _args in [
    ("reg_version_string", _S, []),
    ("reg_program_new_from_bytes", _P, [_P, _ERR]),
    ("reg_program_new_from_file", _P, [_S, _ERR]),
    ("reg_program_ref", _P, [_P]),
    ("reg_program_unref", None, [_P]),
    ("reg_program_get_bytes", _P, [_P]),
    ("reg_program_get_sha256", _S, [_P]),
    ("reg_program_get_name", _S, [_P]),
    ("reg_program_get_version", _S, [_P]),
    ("reg_compiler_new", _P, []),
    ("reg_compiler_free", None, [_P]),
    ("reg_compiler_add_path", _B, [_P, _S, _ERR]),
    ("reg_compiler_add_source", None, [_P, _S, _S, ctypes.c_ssize_t]),
    ("reg_compiler_compile", _P, [_P, _ERR]),
    ("reg_compiler_format_diagnostics", _P, [_P]),
    ("reg_evaluator_new", _P, [_P]),
    ("reg_evaluator_free", None, [_P]),
    ("reg_evaluator_set_as_of", _B, [_P, _S, _ERR]),
    ("reg_evaluator_set_view", _B, [_P, _S, _ERR]),
    ("reg_evaluator_set_audit_fields", None, [_P, _B]),
    ("reg_evaluator_decide_json", _B, [_P, _S, ctypes.c_ssize_t, ctypes.POINTER(_GString), _ERR]),
    ("reg_evaluator_decide_input", _B, [_P, _P, ctypes.POINTER(_GString), _ERR]),
    ("reg_evaluator_get_decision", _P, [_P]),
    ("reg_evaluator_get_key", _S, [_P]),
    ("reg_input_new", _P, [_P]),
    ("reg_input_free", None, [_P]),
    ("reg_input_clear", None, [_P]),
    ("reg_input_get_kind", ctypes.c_int, [_P, _S, _ERR]),
    ("reg_input_set_text", _B, [_P, _S, _S, _ERR]),
    ("reg_input_set_date", _B, [_P, _S, _S, _ERR]),
    ("reg_input_set_decimal", _B, [_P, _S, _S, _ERR]),
    ("reg_input_set_int", _B, [_P, _S, ctypes.c_int64, _ERR]),
    ("reg_input_set_bool", _B, [_P, _S, _B, _ERR]),
    ("reg_input_set_enum", _B, [_P, _S, _S, _ERR]),
    ("reg_input_set_empty", _B, [_P, _S, _ERR]),
    ("reg_input_append", ctypes.c_int, [_P, _S, _ERR]),
    ("reg_input_get_length", ctypes.c_uint, [_P, _S, _ERR]),
    ("reg_input_has", _B, [_P, _S, _ERR]),
    ("reg_input_to_json", _P, [_P]),
    ("reg_decision_unref", None, [_P]),
    ("reg_decision_to_json", _P, [_P]),
    ("reg_decision_has", _B, [_P, _S, _ERR]),
    ("reg_decision_get_kind", ctypes.c_int, [_P, _S, _ERR]),
    ("reg_decision_get_text", _S, [_P, _S, _ERR]),
    ("reg_decision_get_decimal", _P, [_P, _S, _ERR]),
    ("reg_decision_get_int", ctypes.c_int64, [_P, _S, _ERR]),
    ("reg_decision_get_bool", _B, [_P, _S, _ERR]),
    ("reg_decision_get_date", _P, [_P, _S, _ERR]),
    ("reg_decision_get_length", ctypes.c_uint, [_P, _S, _ERR]),
]:
    _C[_name] = _fn(_name, _res, *_args)

# RegKind
KIND_INVALID, KIND_BOOL, KIND_INT, KIND_DECIMAL, KIND_TEXT, KIND_DATE, KIND_DURATION, \
    KIND_ENUM, KIND_LIST, KIND_RECORD = range(10)

# RegEvalError codes
EVAL_DATA, EVAL_BUDGET, EVAL_MEMORY, EVAL_ARITHMETIC, EVAL_RUNTIME, EVAL_USAGE = range(6)


def version():
    """The run-time version of libreg, e.g. "0.1.0"."""
    return _C["reg_version_string"]().decode()


# ---- Errors -----------------------------------------------------------------------

class LibregError(Exception):
    """An error of libreg: .message is the library's text, .code its number in its domain."""

    def __init__(self, message, code=0):
        super().__init__(message)
        self.message = message
        self.code = code


class CompileError(LibregError):
    """The criteria have errors; .diagnostics holds them, rendered with carets."""

    def __init__(self, message, code=0, diagnostics=""):
        super().__init__(message, code)
        self.diagnostics = diagnostics

    def __str__(self):
        return (self.diagnostics + self.message) if self.diagnostics else self.message


class LoadError(LibregError):
    """Compiled criteria could not be read or did not verify."""


class EvalError(LibregError):
    """A decision failed (budget, memory, arithmetic, a rule not in effect)."""


class DataError(EvalError, ValueError):
    """The portfolio is malformed or breaks the schema or a requirement: "path: problem"."""


class UsageError(EvalError):
    """The library was asked something it cannot do (no such field, wrong kind, ...)."""


def _raise(err, diagnostics=""):
    e = err.contents
    message = e.message.decode("utf-8", "replace")
    domain, code = e.domain, e.code
    _g_error_free(err)
    if domain == _compile_quark:
        raise CompileError(message, code, diagnostics)
    if domain == _load_quark:
        raise LoadError(message, code)
    if domain == _eval_quark:
        if code == EVAL_DATA:
            raise DataError(message, code)
        if code == EVAL_USAGE:
            raise UsageError(message, code)
        raise EvalError(message, code)
    raise LibregError(message, code)


def _call(name, *args):
    """Calls a function whose last argument is GError **; raises on failure."""
    err = ctypes.POINTER(_GError)()
    result = _C[name](*args, ctypes.byref(err))
    if err:
        _raise(err)
    return result


def _b(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _take_string(ptr):
    """A (transfer full) char * as str, freed."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        _g_free(ptr)


def _parse(text):
    return json.loads(text, parse_float=decimal.Decimal)


def _json(value):
    """JSON text of a portfolio; Decimal numbers are written exactly."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number: %s" % value)
        return str(value)
    if isinstance(value, (int, float, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _json(v)
                              for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json(v) for v in value) + "]"
    raise TypeError("cannot write %r as JSON" % (value,))


# ---- Programs ---------------------------------------------------------------------

class Program:
    """Compiled, verified criteria: immutable and safe to share between threads."""

    def __init__(self, handle):
        self._h = handle
        self._local = threading.local()

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and _C:
            _C["reg_program_unref"](h)

    @classmethod
    def from_file(cls, path):
        """Loads a compiled criteria file (`regel compile`)."""
        return cls(_call("reg_program_new_from_file", _b(os.fspath(path))))

    @classmethod
    def from_bytes(cls, data):
        """Loads compiled criteria from bytes; anything the verifier rejects raises LoadError."""
        data = bytes(data)
        gb = _g_bytes_new(data, len(data))
        try:
            return cls(_call("reg_program_new_from_bytes", gb))
        finally:
            _g_bytes_unref(gb)

    @classmethod
    def compile(cls, paths=(), sources=None):
        """Compiles criteria: files or directories of *.regel in `paths` (one path or a
        list), and `sources`, a dict of name -> source text."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        c = _C["reg_compiler_new"]()
        try:
            for p in paths:
                _call("reg_compiler_add_path", c, _b(os.fspath(p)))
            for name, text in (sources or {}).items():
                raw = _b(text)
                _C["reg_compiler_add_source"](c, _b(name), raw, len(raw))
            err = ctypes.POINTER(_GError)()
            h = _C["reg_compiler_compile"](c, ctypes.byref(err))
            if not h:
                _raise(err, _take_string(_C["reg_compiler_format_diagnostics"](c)) or "")
            return cls(h)
        finally:
            _C["reg_compiler_free"](c)

    @property
    def name(self):
        return _C["reg_program_get_name"](self._h).decode()

    @property
    def version(self):
        return _C["reg_program_get_version"](self._h).decode()

    @property
    def sha256(self):
        return _C["reg_program_get_sha256"](self._h).decode()

    def to_bytes(self):
        """The compiled criteria file."""
        gb = _C["reg_program_get_bytes"](self._h)
        try:
            n = ctypes.c_size_t()
            p = _g_bytes_get_data(gb, ctypes.byref(n))
            return ctypes.string_at(p, n.value)
        finally:
            _g_bytes_unref(gb)

    def evaluator(self):
        """A new evaluator (per-thread state) for this program."""
        return Evaluator(self)

    def input(self, portfolio=None):
        """A portfolio to build through the API, optionally filled from a dict."""
        i = Input(self)
        if portfolio is not None:
            i.update(portfolio)
        return i

    def _evaluator(self):
        ev = getattr(self._local, "ev", None)
        if ev is None:
            ev = self._local.ev = Evaluator(self)
        return ev

    def decide(self, portfolio, as_of=None, view=None):
        """Decides one portfolio (a dict, or JSON text) and returns the decision as a dict.
        `as_of` ("YYYY-MM-DD") applies when the portfolio carries no date of its own."""
        ev = self._evaluator()
        ev.set_as_of(as_of)
        ev.set_view(view or "besluit")
        return ev.decide(portfolio)


class Evaluator:
    """Per-thread evaluation state; not to be used by two threads at once."""

    def __init__(self, program):
        self.program = program
        self._h = _C["reg_evaluator_new"](program._h)
        self._view = None

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and _C:
            _C["reg_evaluator_free"](h)

    def set_as_of(self, date):
        _call("reg_evaluator_set_as_of", self._h, _b(date) if date else None)

    def set_view(self, name):
        if name != self._view:
            _call("reg_evaluator_set_view", self._h, _b(name))
            self._view = name

    def set_audit_fields(self, audit):
        _C["reg_evaluator_set_audit_fields"](self._h, 1 if audit else 0)

    def decide_json(self, text):
        """Decides a portfolio given as JSON text; returns the decision line (text)."""
        raw = _b(text)
        out = _g_string_new(None)
        try:
            _call("reg_evaluator_decide_json", self._h, raw, len(raw), out)
            return ctypes.string_at(out.contents.str, out.contents.len).decode("utf-8")
        finally:
            _g_string_free(out, 1)

    def decide(self, portfolio):
        """Decides a portfolio (dict or JSON text); returns the decision as a dict."""
        text = portfolio if isinstance(portfolio, (str, bytes)) else _json(portfolio)
        return _parse(self.decide_json(text))

    def decide_input(self, built):
        """Decides an Input; returns the decision as a dict."""
        out = _g_string_new(None)
        try:
            _call("reg_evaluator_decide_input", self._h, built._h, out)
            return _parse(ctypes.string_at(out.contents.str, out.contents.len).decode("utf-8"))
        finally:
            _g_string_free(out, 1)

    def decision(self):
        """The last decision, readable by path, or None when it failed."""
        h = _C["reg_evaluator_get_decision"](self._h)
        return Decision(h) if h else None

    @property
    def key(self):
        k = _C["reg_evaluator_get_key"](self._h)
        return k.decode("utf-8") if k else None


class Input:
    """A portfolio built by path ("teacher.id", "activities[0].date") without JSON."""

    def __init__(self, program):
        self.program = program
        self._h = _C["reg_input_new"](program._h)

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and _C:
            _C["reg_input_free"](h)

    def kind(self, path):
        return _call("reg_input_get_kind", self._h, _b(path))

    def set(self, path, value):
        """Sets a value with the setter the schema's kind at `path` takes."""
        k = self.kind(path)
        p = _b(path)
        if k == KIND_BOOL:
            if not isinstance(value, bool):
                raise UsageError("%s: expected True or False" % path, EVAL_USAGE)
            _call("reg_input_set_bool", self._h, p, 1 if value else 0)
        elif k in (KIND_INT, KIND_DECIMAL):
            if isinstance(value, bool) or not isinstance(value, (int, decimal.Decimal, str)):
                raise UsageError("%s: expected an int, a Decimal or number text" % path,
                                 EVAL_USAGE)
            _call("reg_input_set_decimal", self._h, p, _b(str(value)))
        elif k == KIND_DATE:
            _call("reg_input_set_date", self._h, p, _b(str(value)))
        elif k == KIND_ENUM:
            _call("reg_input_set_enum", self._h, p, _b(value))
        elif k == KIND_TEXT:
            _call("reg_input_set_text", self._h, p, _b(value))
        elif k in (KIND_LIST, KIND_RECORD):
            _call("reg_input_set_empty", self._h, p)
            if k == KIND_LIST:
                for i, v in enumerate(value):
                    self.set("%s[%d]" % (path, i), v)
            else:
                for key, v in value.items():
                    sub = "%s.%s" % (path, key) if path else key
                    try:
                        self.kind(sub)
                    except UsageError:
                        continue  # unknown fields are ignored, as in JSON
                    self.set(sub, v)
        else:
            raise UsageError("%s: cannot be set" % path, EVAL_USAGE)

    def update(self, portfolio):
        """Sets every field of a dict shaped like the JSON portfolio."""
        self.set("", portfolio)

    def append(self, path):
        return _call("reg_input_append", self._h, _b(path))

    def length(self, path):
        return _call("reg_input_get_length", self._h, _b(path))

    def has(self, path):
        return bool(_call("reg_input_has", self._h, _b(path)))

    def clear(self):
        _C["reg_input_clear"](self._h)

    def to_json(self):
        """The canonical JSON whose SHA-256 a decision of this input records."""
        return _take_string(_C["reg_input_to_json"](self._h))


class Decision:
    """One decision's output, read by path ("bevoegdheden[0].status")."""

    def __init__(self, handle):
        self._h = handle

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and _C:
            _C["reg_decision_unref"](h)

    def has(self, path):
        return bool(_call("reg_decision_has", self._h, _b(path)))

    def length(self, path):
        return _call("reg_decision_get_length", self._h, _b(path))

    def get(self, path):
        """The value at `path`: str, bool, int, Decimal, a date as "YYYY-MM-DD", or for
        records and lists a dict or list."""
        k = _call("reg_decision_get_kind", self._h, _b(path))
        p = _b(path)
        if k in (KIND_TEXT, KIND_ENUM):
            return _call("reg_decision_get_text", self._h, p).decode("utf-8")
        if k == KIND_BOOL:
            return bool(_call("reg_decision_get_bool", self._h, p))
        if k == KIND_INT:
            return _call("reg_decision_get_int", self._h, p)
        if k == KIND_DECIMAL:
            text = _take_string(_call("reg_decision_get_decimal", self._h, p))
            return decimal.Decimal(text) if "." in text else int(text)
        if k == KIND_DATE:
            return _take_string(_call("reg_decision_get_date", self._h, p))
        if k == KIND_LIST:
            return [self.get("%s[%d]" % (path, i)) for i in range(self.length(path))]
        return self.to_dict(path)

    def to_dict(self, path=""):
        """The record at `path` (the whole output by default) as a dict."""
        if path and not self.has(path):
            raise UsageError("%s: absent" % path, EVAL_USAGE)
        value = _parse(self.to_json())
        for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
            value = value[name] if name else value[int(index)]
        return value

    def to_json(self):
        return _take_string(_C["reg_decision_to_json"](self._h))
