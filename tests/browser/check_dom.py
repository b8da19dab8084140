#!/usr/bin/env python3
"""Checks a report's DOM as rendered by headless Chromium.

usage: check_dom.py DOM.html CONSOLE.log [DOM2.html CONSOLE2.log ...]

Fails (exit 1) when a section or chart is missing or empty, when the page
logged an error, or when any hostile fixture reached the DOM as markup
(script/img/iframe elements, on* attributes, javascript: links) or ran (the
title changed).
"""
import re
import sys
from html.parser import HTMLParser

SECTIONS = ["summary", "funnel", "distributions", "duplicates", "boilerplate",
            "samples", "cleaning", "run"]
# Sections that must hold at least this many charts with drawn bars.
MIN_CHARTS = {"funnel": 2, "distributions": 3, "duplicates": 1, "run": 1}
FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "textarea", "a", "form",
                  "input", "link", "base", "meta-refresh"}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open section ids
        self.section_text = {s: [] for s in SECTIONS}
        self.section_charts = {s: 0 for s in SECTIONS}
        self.chart_marks = 0     # bars in the current chart
        self.in_svg = False
        self.in_title = False
        self.title = ""
        self.errors = []
        self.current_section = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.errors.append(f"event handler attribute {k}= on <{tag}>")
            if v and k.lower() in ("href", "src", "action", "xlink:href") and \
                    v.strip().lower().startswith("javascript:"):
                self.errors.append(f"javascript: URL in <{tag} {k}>")
        if tag in FORBIDDEN_TAGS and not (tag == "a" and a.get("href", "").startswith("#")):
            self.errors.append(f"unexpected <{tag}> element: {attrs}")
        if tag == "section" and a.get("id") in self.section_text:
            self.current_section = a["id"]
        if tag == "svg":
            self.in_svg = True
            self.chart_marks = 0
        if self.in_svg and tag == "rect" and a.get("class") in ("bar", "hbar"):
            self.chart_marks += 1
        if tag == "title" and not self.in_svg:
            self.in_title = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = False
            if self.chart_marks > 0 and self.current_section:
                self.section_charts[self.current_section] += 1
        if tag == "section":
            self.current_section = None
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.current_section:
            self.section_text[self.current_section].append(data)
        self.text.append(data)


def check(dom_path, console_path):
    problems = []
    with open(dom_path, encoding="utf-8") as f:
        html = f.read()
    d = Dom()
    d.feed(html)
    problems += d.errors
    if d.title.strip() != "winnow report":
        problems.append(f"title is {d.title!r}: hostile content ran")
    for s in SECTIONS:
        text = "".join(d.section_text[s]).strip()
        if len(text) < 40:
            problems.append(f"section {s} missing or empty ({len(text)} chars)")
    for s, n in MIN_CHARTS.items():
        if d.section_charts[s] < n:
            problems.append(f"section {s}: {d.section_charts[s]} charts with bars, want >= {n}")
    all_text = "".join(d.text)
    for needle in ["<script>document.title='PWNED-script'", "onerror=",
                   "</textarea>", "javascript:"]:
        if needle not in all_text:
            problems.append(f"hostile text {needle!r} is not shown as text")
    with open(console_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if re.search(r"CONSOLE|Uncaught|Refused to|ERROR:.*(page|render|frame)", line):
                problems.append("console: " + line.strip())
    return problems


def main(argv):
    args = argv[1:]
    if len(args) < 2 or len(args) % 2:
        print(__doc__)
        return 2
    problems = []
    for i in range(0, len(args), 2):
        for p in check(args[i], args[i + 1]):
            problems.append(f"{args[i]}: {p}")
    for p in problems:
        print("FAIL", p)
    if not problems:
        print("report DOM checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
