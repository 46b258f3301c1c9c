"""The Lua this reader understands: a small tokenizer and a parser of table constructors.

Nothing is evaluated. ``tokenize`` knows strings, long brackets, comments, numbers, names and symbols;
``TableParser`` reads ``{ key = value, ... }`` tables whose values are numbers, strings, booleans, nil,
nested tables, string concatenations and references such as ``m.gov`` (kept as their path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------------------
_TOKEN_RE = re.compile(
    r"""
    [ \t\r\f\v\n\x00\u00a0\u200e\u200f\u200b\ufeff]*
    (?:(?P<comment>--(?:\[(?P<ceq>=*)\[.*?\](?P=ceq)\]|[^\n]*))
    |(?P<long>\[(?P<leq>=*)\[.*?\](?P=leq)\])
    |(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<num>0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<name>[A-Za-z_][A-Za-z_0-9]*)
    |(?P<op>\.\.\.|\.\.|==|~=|<=|>=|[{}\[\]();,=.+\-*/%^#<>:])
    |(?P<badstr>["'][^\n]*)
    |(?P<bad>.))
    """,
    re.S | re.X,
)
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "\n": "\n",
    "[": "[",
    "]": "]",
}
_ESC_RE = re.compile(r"\\(\d{1,3}|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|z\s*|.)", re.S)


def _unescape_lua(body: str) -> str:
    if "\\" not in body:
        return body

    def sub(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.isdigit():
            return chr(int(e))
        if e[0] == "x" and len(e) == 3:
            return chr(int(e[1:], 16))
        if e.startswith("u{"):  # Lua 5.3 \u{XXX}; beyond Unicode's range it is no character
            code = int(e[2:-1], 16)
            return chr(code) if code <= 0x10FFFF else "\ufffd"
        if e[0] == "z":
            return ""
        return _ESCAPES.get(e, "\\" + e)

    return _ESC_RE.sub(sub, body)


class Tokens:
    """Tokens as three parallel lists (kind, text, offset): cheaper than one object per token."""

    __slots__ = ("kind", "pos", "text")

    def __init__(self) -> None:
        self.kind: list[str] = []  # str, num, name, op, bad, badstr, eof
        self.text: list[str] = []
        self.pos: list[int] = []

    def __len__(self) -> int:
        return len(self.kind)

    def is_op(self, i: int, text: str) -> bool:
        return self.kind[i] == "op" and self.text[i] == text


def tokenize(text: str) -> tuple[Tokens, list[tuple[int, str]]]:
    """Tokens (no whitespace) and the comments (offset, text)."""
    toks = Tokens()
    kinds, texts, poss = toks.kind, toks.text, toks.pos
    comments: list[tuple[int, str]] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind is None:  # trailing whitespace
            continue
        tok = m.group(kind)
        start = m.start(kind)
        if kind == "comment":
            comments.append((start, tok))
            continue
        if kind == "str":
            tok = _unescape_lua(tok[1:-1]) if "\\" in tok else tok[1:-1]
        elif kind == "long":
            eq = len(m.group("leq"))
            tok = tok[2 + eq : -2 - eq]
            tok = tok[1:] if tok.startswith("\n") else tok
            kind = "str"
        kinds.append(kind)
        texts.append(tok)
        poss.append(start)
    kinds.append("eof")
    texts.append("")
    poss.append(len(text))
    return toks, comments


# ---------------------------------------------------------------------------------------------------------
# Parser (table constructors only; no evaluation)
# ---------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class LuaNumber:
    value: float
    raw: str


@dataclass(slots=True)
class LuaRef:
    """A name or field path such as ``m.gov`` or ``m["gov"]``."""

    path: str


@dataclass
class LuaTable:
    pos: int
    fields: list[tuple[str | None, Any, int]] = field(default_factory=list)  # (key, value, token pos)

    def get(self, key: str) -> Any:
        return next((v for k, v, _ in reversed(self.fields) if k == key), None)


class LuaSyntaxError(Exception):
    def __init__(self, pos: int, problem: str) -> None:
        super().__init__(problem)
        self.pos = pos
        self.problem = problem


UNCLOSED_ENTRY = "entry is not closed with '}' before the next entry starts"


class TableParser:
    def __init__(self, toks: Tokens, starts_line: Any = None) -> None:
        self.kind = toks.kind
        self.text = toks.text
        self.pos = toks.pos
        self.i = 0
        self.depth = 0
        #: pos -> True when the token begins its line; a '{' there inside an entry is the next entry.
        self.starts_line = starts_line

    def describe(self, i: int) -> str:
        kind, text = self.kind[i], self.text[i]
        if kind == "eof":
            return "end of file"
        if kind == "badstr":
            return "an unterminated string"
        if kind == "bad":
            return f"unexpected character {text!r}"
        return repr(text if len(text) < 40 else text[:37] + "...")

    def expect(self, text: str) -> int:
        i = self.i
        if self.kind[i] != "op" or self.text[i] != text:
            raise LuaSyntaxError(self.pos[i], f"expected {text!r}, found {self.describe(i)}")
        self.i += 1
        return i

    def table(self) -> LuaTable:
        kind, text, pos = self.kind, self.text, self.pos
        i = self.i
        if (
            self.depth
            and self.starts_line is not None
            and kind[i] == "op"
            and text[i] == "{"
            and self.starts_line(pos[i])
        ):
            raise LuaSyntaxError(pos[i], UNCLOSED_ENTRY)
        start = self.expect("{")
        tab = LuaTable(pos[start])
        self.depth += 1
        while True:
            i = self.i
            k, t = kind[i], text[i]
            if k == "op" and t == "}":
                self.i += 1
                self.depth -= 1
                return tab
            key: str | None = None
            if k == "name" and kind[i + 1] == "op" and text[i + 1] == "=":
                key = t
                self.i += 2
            elif k == "op" and t == "[":
                self.i += 1
                kv = self.expr()
                self.expect("]")
                self.expect("=")
                key = kv.raw if isinstance(kv, LuaNumber) else str(kv.path if isinstance(kv, LuaRef) else kv)
            value = self.expr()
            tab.fields.append((key, value, pos[i]))
            j = self.i
            if kind[j] == "op" and text[j] in ",;":
                self.i += 1
            elif not (kind[j] == "op" and text[j] == "}"):
                raise LuaSyntaxError(pos[j], f"expected ',' or '}}' after a field, found {self.describe(j)}")

    def expr(self) -> Any:
        value = self.primary()
        while self.kind[self.i] == "op" and self.text[self.i] == "..":
            self.i += 1
            value = _concat(value, self.primary())
        return value

    def primary(self) -> Any:
        kind, text, pos = self.kind, self.text, self.pos
        i = self.i
        k, t = kind[i], text[i]
        if k == "num":
            self.i += 1
            return LuaNumber(_lua_number(t), t)
        if k == "str":
            self.i += 1
            return t
        if k == "op":
            if t == "{":
                return self.table()
            if t == "-" and kind[i + 1] == "num":
                self.i += 2
                return LuaNumber(-_lua_number(text[i + 1]), "-" + text[i + 1])
            if t == "(":
                self.i += 1
                v = self.expr()
                self.expect(")")
                return v
        if k == "name":
            self.i += 1
            if t in ("true", "false"):
                return t == "true"
            if t == "nil":
                return None
            path = t
            while kind[self.i] == "op" and text[self.i] in (".", "["):
                if text[self.i] == ".":
                    self.i += 1
                    if kind[self.i] != "name":
                        raise LuaSyntaxError(pos[self.i], f"expected a name after '.', found {self.describe(self.i)}")
                    path += "." + text[self.i]
                    self.i += 1
                else:
                    self.i += 1
                    kv = self.expr()
                    self.expect("]")
                    path += "." + (kv if isinstance(kv, str) else str(getattr(kv, "raw", kv)))
            if kind[self.i] == "op" and text[self.i] == "(":
                raise LuaSyntaxError(pos[self.i], f"function call {path}(...) is not a marker value")
            return LuaRef(path)
        raise LuaSyntaxError(pos[i], f"expected a value, found {self.describe(i)}")


def _lua_number(text: str) -> float:
    return float(int(text, 16)) if text[:2].lower() == "0x" else float(text)


def _concat(a: Any, b: Any) -> str:
    def s(v: Any) -> str:
        if isinstance(v, LuaNumber):
            return v.raw
        if isinstance(v, str):
            return v
        raise LuaSyntaxError(-1, "'..' applied to something other than strings and numbers")

    return s(a) + s(b)
