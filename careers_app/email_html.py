"""The HTML part of an email, made from its plain text and the reader's preferences.

Issue 19: a reader who chose larger text, wider spacing, a typeface or a colour scheme
gets it in email too. The HTML is generated from the plain text rather than from a
second set of templates, so both parts always say the same thing; the only markup is
paragraphs, line breaks and links, and everything else is escaped (names, workshop
titles and anything else people type must never become markup).

Styles are inline on every element: many mail clients drop <style> blocks and do not
pass styles from <body> down. Nothing is fetched (no web fonts, images or style
sheets): a remote resource would tell a sender when the email is opened, and most
clients block them anyway. The chosen typeface is therefore named first and used when
the reader's device has it installed, falling back to Arial.

The numbers and colours are those of static/css/reading.css (tests/test_email_reading.py
checks that they still are).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from careers_app.reading.preferences import DEFAULT, ReadingPreferences

BODY_PX = 19  # the NHS.UK body text size (1.1875rem)
SCALES = {"default": 1.0, "large": 1.15, "larger": 1.3, "largest": 1.5}
LINE_HEIGHTS = {"default": 1.5, "wide": 1.8, "widest": 2.2}
# WCAG 1.4.12 spacing, as on the pages.
LETTER_SPACINGS = {"default": "", "wide": "letter-spacing:0.12em;word-spacing:0.16em;"}
FONT_STACKS = {
    "default": "Frutiger, Arial, sans-serif",
    "atkinson": "'Atkinson Hyperlegible', Arial, sans-serif",
    "opendyslexic": "OpenDyslexic, Arial, sans-serif",
}
# (background, text, link) per scheme. Tinted schemes keep the NHS.UK text and link
# colours; each pair is at least 4.5:1 (the dark ones at least 10:1).
COLOURS = {
    "default": ("#ffffff", "#212b32", "#005eb8"),
    "cream": ("#fbf3dc", "#212b32", "#005eb8"),
    "blue": ("#e5f0f9", "#212b32", "#005eb8"),
    "dark": ("#151b20", "#f0f4f5", "#93caff"),
}

# An http(s) address runs to the next space or character that cannot be in one. Then
# punctuation ending a sentence is not part of it, nor is a bracket closing around it.
_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:!?'*"
_CLOSING = {")": "(", "]": "[", "}": "{"}


def wants_html(preferences: ReadingPreferences) -> bool:
    """Whether an email to this reader gets an HTML part. Reduced motion alone does
    not: a still email has nothing to reduce, and plain text is what everyone else gets."""
    return replace(preferences, motion=DEFAULT.motion) != DEFAULT


def render_html(subject: str, text: str, preferences: ReadingPreferences) -> str:
    """A whole HTML document saying exactly ``text``, styled for ``preferences``."""
    background, colour, link = COLOURS[preferences.colours]
    size = round(BODY_PX * SCALES[preferences.text_size], 2)
    style = (f"margin:0 0 1em 0;font-family:{FONT_STACKS[preferences.typeface]};"
             f"font-size:{size:g}px;line-height:{LINE_HEIGHTS[preferences.line_spacing]};"
             f"color:{colour};{LETTER_SPACINGS[preferences.letter_spacing]}")
    link_style = f"color:{link};text-decoration:underline;"
    paragraphs = "\n".join(
        f'<p style="{style}">{_paragraph(lines, link_style)}</p>'
        for lines in _paragraphs(text))
    scheme = "dark" if preferences.colours == "dark" else "light"
    # A presentation table carries the background: clients that drop <body> styles (and
    # Outlook, which ignores a <div>'s) still show it.
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="color-scheme" content="{scheme}">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n"
        f'<body style="margin:0;padding:0;background-color:{background};">\n'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'border="0" bgcolor="{background}" style="background-color:{background};">'
        f'<tr><td style="padding:24px 16px;">\n'
        f'<div style="max-width:40em;margin:0 auto;overflow-wrap:anywhere;">\n'
        f"{paragraphs}\n</div>\n</td></tr></table>\n</body>\n</html>\n")


def _paragraphs(text: str) -> list[list[str]]:
    """Lines grouped into paragraphs at blank (or only-space) lines."""
    groups: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            groups[-1].append(line.rstrip())
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _paragraph(lines: list[str], link_style: str) -> str:
    return "<br>\n".join(_linked(line, link_style) for line in lines)


def _linked(line: str, link_style: str) -> str:
    """``line`` escaped, with each web address a link to exactly that address."""
    out: list[str] = []
    done = 0
    for match in _URL.finditer(line):
        url = _trim(match.group())
        out.append(html.escape(line[done:match.start()]))
        escaped = html.escape(url)
        out.append(f'<a href="{escaped}" style="{link_style}">{escaped}</a>')
        done = match.start() + len(url)
    out.append(html.escape(line[done:]))
    return "".join(out)


def _trim(url: str) -> str:
    """Drop what ends the sentence rather than the address: "see https://x/a)." keeps
    "https://x/a", while a bracket opened inside the address stays ("…/Foo_(bar)")."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _CLOSING and url.count(last) > url.count(_CLOSING[last]):
            url = url[:-1]
        else:
            break
    return url
