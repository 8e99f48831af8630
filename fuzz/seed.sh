#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs: the shipped corpus, the real reports in
# ../shared/real and generated reports in every format. The corpora are not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p $c/{read_text,read_html,read_docx,read_pdf,table_builder,extract_document,normalize,discover,robots_manifest}
render() { cargo run -q -p nianbao-testkit --example render -- "$@"; }
for seed in 1 2 3; do
  for t in 2019 2021; do
    render $seed $t text > $c/read_text/gen-$seed-$t.txt
    render $seed $t pipes > $c/read_text/pipes-$seed-$t.txt
    render $seed $t pipes > $c/extract_document/pipes-$seed-$t.txt
    render $seed $t html > $c/read_html/gen-$seed-$t.html
    render $seed $t gbk > $c/read_html/gbk-$seed-$t.html
    render $seed $t html > $c/discover/gen-$seed-$t.html
    render $seed $t docx > $c/read_docx/gen-$seed-$t.docx
  done
done
cp corpus/beigong-2024.txt ../shared/real/*.txt $c/read_text/
cp ../shared/real/*.html corpus/generated/*.html $c/read_html/
cp ../shared/real/*.html $c/discover/
cp corpus/generated/*.docx $c/read_docx/
cp ../shared/real/*.pdf crates/extract/tests/pdf/*.pdf $c/read_pdf/
printf '一、本年新收政府信息公开申请数量\n１,５４９\n（三）不予公开\n4166.241619万元\n-3\n' > $c/normalize/labels.txt
printf 'User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n' > $c/robots_manifest/robots.txt
printf '{"run":1,"url":"http://a.gov.cn/","status":200}\n{"run":1,' > $c/robots_manifest/manifest.jsonl
head -c 300 /dev/urandom > $c/table_builder/random.bin
ls $c/* | head -50 >/dev/null
echo "seeded: $(find $c -type f | wc -l) files"
