//! Renders a laid-out report as a government web page: site furniture around the
//! article, a metadata block, tables with the form's `rowspan`/`colspan`, `<p>` and `<br>`
//! inside cells, `&nbsp;` for blank cells, in UTF-8 or GBK with or without a declaration.

use crate::layout::{Grid, Part};
use crate::rng::Rng;
use crate::text::{slots, Slot};
use crate::truth::Truth;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageEncoding {
    /// UTF-8 with `<meta charset="utf-8">`.
    Utf8,
    /// GBK bytes declared as `gb2312` in an `http-equiv` meta, as older sites do.
    Gb2312Declared,
    /// GBK bytes with no declaration at all.
    GbkUndeclared,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A cell's content: lines as `<p>`s or joined by `<br>`, blank as `&nbsp;`.
fn cell_html(text: &str, rng: &mut Rng) -> String {
    if text.is_empty() {
        return if rng.chance(0.5) {
            "&nbsp;".into()
        } else {
            "<p>&nbsp;</p>".into()
        };
    }
    let lines: Vec<String> = text.split('\n').map(escape).collect();
    if rng.chance(0.5) {
        lines
            .iter()
            .map(|l| format!("<p style=\"text-indent: 0em;\">{l}</p>"))
            .collect()
    } else {
        lines.join("<br/>")
    }
}

fn table_html(grid: &Grid, rng: &mut Rng) -> String {
    let mut out = String::from(
        "<table border=\"1\" cellspacing=\"0\" style=\"border-collapse: collapse;\"><tbody>",
    );
    for row in slots(grid) {
        out.push_str("<tr>");
        for slot in row {
            let Slot::Own(cell) = slot else { continue };
            out.push_str("<td");
            if cell.rows > 1 {
                out.push_str(&format!(" rowspan=\"{}\"", cell.rows));
            }
            if cell.cols > 1 {
                out.push_str(&format!(" colspan=\"{}\"", cell.cols));
            }
            out.push_str(" valign=\"center\">");
            out.push_str(&cell_html(&cell.text, rng));
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The report itself as an article's HTML — paragraphs and tables, without the page
/// around it — so other pages (the generated portal's) can wrap it in their own furniture.
pub(crate) fn article_html(parts: &[Part], rng: &mut Rng) -> String {
    let mut article = String::new();
    for part in parts {
        match part {
            Part::Paragraph(p) => article.push_str(&format!(
                "<p style=\"text-indent: 2em;\">{}&nbsp;</p>\n",
                escape(p)
            )),
            Part::Table(grid) => {
                article.push_str(&table_html(grid, rng));
                article.push('\n');
            }
        }
    }
    article
}

/// The page's text (before encoding) and how it is encoded.
pub fn render_html_page(
    truth: &Truth,
    parts: &[Part],
    encoding: PageEncoding,
    seed: u64,
) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let title = format!(
        "{}{}年政府信息公开工作年度报告",
        truth.place.agency_full, truth.year
    );
    let charset = match encoding {
        PageEncoding::Utf8 => "<meta charset=\"utf-8\">".to_string(),
        PageEncoding::Gb2312Declared => {
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />".to_string()
        }
        PageEncoding::GbkUndeclared => String::new(),
    };
    let editor_class = if rng.chance(0.5) {
        "TRS_Editor"
    } else {
        "wenzhang"
    };
    let article = article_html(parts, &mut rng);
    let page = format!(
        r##"<!DOCTYPE html>
<html><head>{charset}
<title>{title}_政府信息公开年报_{agency}</title>
<script type="text/javascript">var countPage = 3; createPageHTML(3, 0, "index", "html");</script>
<style>.nav {{ color: red; }}</style>
</head><body>
<div class="header"><div class="aged_link"><a href="javascript:void(0);">长者模式</a><a href="#">无障碍浏览</a></div>
<ul class="nav-menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="./">政府信息公开年报</a></div>
<div class="main"><div class="xxgk_info"><table class="meta"><tr><td>索引号：</td><td>11110106MB0000000X/2025-00012</td><td>发布机构：</td><td>{agency}</td></tr>
<tr><td>发布日期：</td><td>{published}</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table></div>
<div class="left_list"><h3>相关链接</h3><ul><li><a href="/a.html">关于做好政府信息公开工作年度报告编制工作的通知</a></li><li><a href="/b.html">政府信息公开指南</a></li></ul></div>
<div class="article"><h1 class="article_title">{title}</h1>
<div class="{editor_class}">
{article}</div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div></div></div>
<div class="footer"><p>主办单位：{agency}　网站标识码：1101060001　京ICP备05000000号</p><p><a href="/sitemap">网站地图</a> | <a href="/contact">联系我们</a></p></div>
</body></html>"##,
        agency = truth.place.agency_full,
        published = truth.published,
    );
    match encoding {
        PageEncoding::Utf8 => page.into_bytes(),
        PageEncoding::Gb2312Declared | PageEncoding::GbkUndeclared => {
            encoding_rs::GB18030.encode(&page).0.into_owned()
        }
    }
}
