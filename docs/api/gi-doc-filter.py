#!/usr/bin/env python3
"""Doxygen input filter: turns the gi-docgen doc comments of libreg.h into Doxygen's.

usage: gi-doc-filter.py HEADER   (prints the filtered header; Doxyfile INPUT_FILTER)

gi-docgen style                      Doxygen
  /** name:                          (dropped: Doxygen documents the next declaration)
   * @arg: text                      @param arg text
   * @MEMBER: text (in an enum)      - `MEMBER`: text
   * Returns: text                   @return text
   %NULL, #RegProgram, @arg          NULL, RegProgram, @p arg
"""
import re
import sys

PARAM = re.compile(r"^(\s*\*\s*)@(\w+):\s*(.*)$")
RETURNS = re.compile(r"^(\s*\*\s*)Returns:\s*(.*)$")
NAME = re.compile(r"^\s*\*\s*[A-Za-z_]\w*:\s*$")


def inline(text):
    text = re.sub(r"%(\w+)", r"\1", text)
    text = re.sub(r"#([A-Z]\w+)", r"\1", text)
    text = re.sub(r"(?<![\w@])@(\w+)", r"@p \1", text)
    return text


def convert(block):
    lines = block.split("\n")
    out = [lines[0]]
    body = lines[1:]
    if body and NAME.match(body[0]):
        body = body[1:]
        if body and re.match(r"^\s*\*\s*$", body[0]):
            body = body[1:]
    for line in body:
        m = PARAM.match(line)
        if m:
            lead, name, text = m.groups()
            if name.isupper():
                out.append("%s- `%s`: %s" % (lead, name, inline(text)))
            else:
                out.append("%s@param %s %s" % (lead, name, inline(text)))
            continue
        m = RETURNS.match(line)
        if m:
            out.append("%s@return %s" % (m.group(1), inline(m.group(2))))
            continue
        out.append(inline(line))
    return "\n".join(out)


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    m = re.match(r"/\*\s*(\S+):\s*(.*?)\s*\*/", first)
    head = "/** @file %s\n * %s\n */\n" % (m.group(1), m.group(2)) if m else ""
    text = re.sub(r"/\*\*(?!<).*?\*/", lambda b: convert(b.group(0)), text, flags=re.S)
    sys.stdout.write(head + text)


if __name__ == "__main__":
    main(sys.argv[1])
