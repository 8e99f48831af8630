#!/usr/bin/env bash
# Remakes the PDF fixtures in crates/extract/tests/pdf/ from generated reports.
# Needs LibreOffice (soffice), poppler-utils (pdftoppm) and python3.
# The generated ones are printed by LibreOffice from the generator's DOCX (seed 7, 2021
# template; seed 8, 2019 template), so their truth is `Truth::random(seed, template, ALL)`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=crates/extract/tests/pdf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
render() { cargo run -q -p nianbao-testkit --example render -- "$1" "$2" docx > "$work/gen-$1-$2.docx"; }
render 7 2021
render 8 2019
(cd "$work" && timeout 300 soffice --headless --convert-to pdf gen-7-2021.docx gen-8-2019.docx >/dev/null)
cp "$work/gen-7-2021.pdf" "$work/gen-8-2019.pdf" "$out/"
# Opens only with a password; and one with an owner password only, which opens without.
(cd "$work" && mkdir -p open owner \
  && timeout 300 soffice --headless --convert-to 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' --outdir open gen-7-2021.docx >/dev/null \
  && timeout 300 soffice --headless --convert-to 'pdf:writer_pdf_Export:{"RestrictPermissions":{"type":"boolean","value":"true"},"PermissionPassword":{"type":"string","value":"owner"}}' --outdir owner gen-7-2021.docx >/dev/null)
cp "$work/open/gen-7-2021.pdf" "$out/encrypted-open-password.pdf"
cp "$work/owner/gen-7-2021.pdf" "$out/encrypted-owner-password-only.pdf"
# A scan: the first two pages as JPEG images, no text.
pdftoppm -jpeg -jpegopt quality=40 -r 50 -f 1 -l 2 "$work/gen-7-2021.pdf" "$work/scan"
python3 scripts/jpeg2pdf.py "$out/scanned.pdf" "$work"/scan-*.jpg
ls -l "$out"
