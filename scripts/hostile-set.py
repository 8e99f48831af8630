#!/usr/bin/env python3
"""Writes hostile documents into DIR, each within the byte limits but built to cost a
reader time or memory: deep nesting, a million cells, millions of elements, tags, lines
or paragraphs. ROBUSTNESS.md gives what each costs and how it is refused.

    python3 scripts/hostile-set.py /tmp/hostile
    /usr/bin/time -v target/release/nianbao run --corpus /tmp/hostile --out /tmp/hostile-out --no-cache
"""
import os
import sys
import zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head>'
        '<body><div class="TRS_Editor"><p>一、总体情况</p>')
TAIL = "</div></body></html>"
DEEP = 200_000
MILLION = 1_000_000


def page(name, body):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(HEAD + body + TAIL)


def docx(name, body):
    # Stored, not deflated: a repetitive body would deflate past the inflation ratio.
    xml = '<w:document xmlns:w="w"><w:body>' + body + "</w:body></w:document>"
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_STORED) as z:
        z.writestr("word/document.xml", xml)


page("deep-div.html", "<div>" * DEEP + "深处" + "</div>" * DEEP)
page("deep-div-unclosed.html", "<div>" * DEEP + "深处")
page("deep-span.html", "<span>" * DEEP + "深处" + "</span>" * DEEP)
page("deep-b.html", "<b>" * DEEP + "字")
page("deep-table.html", "<table><tr><td>" * DEEP + "深处")
page("deep-template.html", "<template>" * DEEP)
# Formatting elements left open in closed divs are all reopened, nested, by the next text.
page("reopened-fonts.html", "".join(f'<div><font color="{i}"></div>' for i in range(100_000)) + "字")
page("cells-one-table.html", "<table>" + ("<tr>" + "<td>1</td>" * 1000 + "</tr>") * 1000 + "</table>")
page("cells-unclosed.html", "<table><tr>" + "<td>1" * MILLION + "</table>")
page("cells-rows.html", "<table>" + "<tr><td>1" * MILLION + "</table>")
page("cells-small-tables.html", "<table><tr><td>1</td>" * 700_000)
page("many-paragraphs.html", "<p>1" * 3 * MILLION)
page("many-br.html", "<br>" * 4 * MILLION)
page("many-comments.html", "a<!---->" * 2 * MILLION)
# Each start or stray end tag searches the parser's stack of open elements.
page("deep-span-then-divs.html", "<span>" * 500 + "<div></div>" * 190_000)
page("stray-div-end.html", "<span>" * 500 + "</div>" * 2_500_000)
page("stray-x-end.html", "<span>" * 500 + "</x>" * 3_500_000)
page("stray-x-400k.html", "<span>" * 505 + "</x>" * 400_000)

with open(os.path.join(out, "many-lines.txt"), "w") as f:
    f.write("1\n" * 8 * MILLION)

cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
docx("cells-one-table.docx", "<w:tbl>" + ("<w:tr>" + cell * 1000 + "</w:tr>") * 1000 + "</w:tbl>")
docx("cells-bare.docx", "<w:tbl><w:tr>" + "<w:tc/>" * 4 * MILLION + "</w:tr></w:tbl>")
docx("cells-small-tables.docx", ("<w:tbl><w:tr>" + cell + "</w:tr></w:tbl>") * 800_000)
docx("many-paragraphs.docx", "<w:p><w:r><w:t>1</w:t></w:r></w:p>" * MILLION)
docx("empty-paragraphs.docx", "<w:p/>" * 10 * MILLION)
docx("deep.docx", "<w:sdt>" * DEEP)
