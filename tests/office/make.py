#!/usr/bin/env python3
"""Make the office fixtures of tests/office/ from Markdown twins.

Each twin (a sample's rules.md under agency-rules/) is written as a flat
OpenDocument source (sources/NAME.fodt) in which every clause number
(一、 （一） (一) 1. (1) and bullets) is a real list of the office program,
never typed text; LibreOffice then saves it as NAME.docx and NAME.odt, so
the numbering in the binaries is the office program's own.

Run from this folder:  python3 make.py   (needs soffice on PATH)
"""

import html
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# name → (twin, formats made)
TWINS = {
    "taipei-city-police": ("agency-rules/taipei-city-police/rules.md", ["docx", "odt"]),
    "coast-guard-district": ("agency-rules/coast-guard-district/rules.md", ["docx", "odt"]),
    "chiayi-county-tax-bureau": ("agency-rules/chiayi-county-tax-bureau/rules.md", ["docx", "odt"]),
    "hsinchu-social-affairs": ("agency-rules/hsinchu-social-affairs/rules.md", ["docx"]),
}

CN = "一二三四五六七八九"


def chinese(n):
    if n < 10:
        return CN[n - 1]
    tens, ones = divmod(n, 10)
    out = ("" if tens == 1 else CN[tens - 1]) + "十"
    return out + (CN[ones - 1] if ones else "")


CN_VALUES = {chinese(n): n for n in range(1, 100)}

# list style → (format, prefix, suffix); the pattern finds the number.
KINDS = [
    ("LHead", r"^(?P<n>[一二三四五六七八九十]+)、(?P<rest>.*)$", "一, 二, 三, ...", "", "、"),
    ("LParen", r"^（(?P<n>[一二三四五六七八九十]+)）(?P<rest>.*)$", "一, 二, 三, ...", "（", "）"),
    ("LHalf", r"^\((?P<n>[一二三四五六七八九十]+)\) (?P<rest>.*)$", "一, 二, 三, ...", "(", ") "),
    ("LChinese", r"^(?P<n>[一二三四五六七八九十]+)、(?P<rest>.*)$", "一, 二, 三, ...", "", "、"),
    ("LDot", r"^(?P<n>[0-9]+)\.(?P<rest>\S.*)$", "1", "", "."),
    ("LDotSp", r"^(?P<n>[0-9]+)\. (?P<rest>.*)$", "1", "", ". "),
    ("LArabic", r"^\((?P<n>[0-9]+)\)(?P<rest>.*)$", "1", "(", ")"),
]


def number(text):
    return int(text) if text.isdigit() else CN_VALUES.get(text, 0)


def inline(text):
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = text.replace("`", "")
    parts = text.split("<br>")
    return "<text:line-break/>".join(html.escape(p, quote=False) for p in parts)


def list_styles():
    out = []
    for name, _, fmt, prefix, suffix in KINDS:
        out.append(
            f'<text:list-style style:name="{name}">'
            f'<text:list-level-style-number text:level="1" style:num-prefix="{html.escape(prefix)}" '
            f'style:num-suffix="{html.escape(suffix)}" style:num-format="{fmt}">'
            '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
            '<style:list-level-label-alignment text:label-followed-by="nothing"/>'
            "</style:list-level-properties></text:list-level-style-number></text:list-style>"
        )
    out.append(
        '<text:list-style style:name="LBullet"><text:list-level-style-bullet text:level="1" '
        'text:bullet-char="-"><style:list-level-properties '
        'text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="space"/>'
        "</style:list-level-properties></text:list-level-style-bullet></text:list-style>"
    )
    return "".join(out)


def convert(md):
    lines = md.splitlines()
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1 :]
    body = []
    # The list being written: (style, next number) and whether it is open.
    current = None

    def close():
        nonlocal current
        if current:
            body.append("</text:list>")
        current = None

    def item(style, n, element):
        nonlocal current
        if current and current[0] == style and current[1] == n:
            current = (style, n + 1)
        else:
            close()
            start = f' text:start-value="{n}"' if n != 1 else ""
            body.append(f'<text:list text:style-name="{style}">')
            current = (style, n + 1)
            body.append(f"<text:list-item{start}>{element}</text:list-item>")
            return
        body.append(f"<text:list-item>{element}</text:list-item>")

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line:
            continue
        if line.startswith("|"):
            rows = [line]
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i].rstrip())
                i += 1
            close()
            cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows if not re.match(r"^\|[-| :]+\|$", r)]
            width = max(len(r) for r in cells)
            body.append(f'<table:table table:name="T{i}"><table:table-column table:number-columns-repeated="{width}"/>')
            for r in cells:
                body.append("<table:table-row>")
                for c in r:
                    body.append(f'<table:table-cell office:value-type="string"><text:p>{inline(c)}</text:p></table:table-cell>')
                body.append("</table:table-row>")
            body.append("</table:table>")
            continue
        heading = re.match(r"^(#{1,6}) (.*)$", line)
        if heading:
            level, text = len(heading.group(1)), heading.group(2)
            m = re.match(KINDS[0][1], text)
            element = f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
            if m and level > 1:
                item("LHead", number(m.group("n")), element + inline(m.group("rest")) + "</text:h>")
            else:
                close()
                body.append(element + inline(text) + "</text:h>")
            continue
        if line.startswith("> "):
            line = line[2:]
        bullet = re.match(r"^- (.*)$", line)
        if bullet:
            close()
            body.append(f'<text:list text:style-name="LBullet"><text:list-item><text:p>{inline(bullet.group(1))}</text:p></text:list-item></text:list>')
            continue
        stripped = line.strip()
        for style, pattern, *_ in KINDS[1:]:
            m = re.match(pattern, stripped)
            if m and number(m.group("n")):
                item(style, number(m.group("n")), f"<text:p>{inline(m.group('rest'))}</text:p>")
                break
        else:
            close()
            body.append(f"<text:p>{inline(line)}</text:p>")
    close()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">\n'
        "<office:styles>"
        '<style:style style:name="Standard" style:family="paragraph"/>'
        + "".join(
            f'<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}" '
            f'style:family="paragraph" style:parent-style-name="Standard" '
            f'style:default-outline-level="{n}"/>'
            for n in range(1, 4)
        )
        + list_styles()
        + "</office:styles>\n<office:body><office:text>\n"
        + "\n".join(body)
        + "\n</office:text></office:body></office:document>\n"
    )


def main():
    for name, (twin, formats) in TWINS.items():
        source = HERE / "sources" / f"{name}.fodt"
        source.write_text(convert((ROOT / twin).read_text(encoding="utf-8")), encoding="utf-8")
        for fmt in formats:
            subprocess.run(
                ["soffice", "--headless", "--convert-to", fmt, "--outdir", str(HERE), str(source)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"{name}.{fmt}", file=sys.stderr)


if __name__ == "__main__":
    main()
