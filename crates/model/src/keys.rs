//! The label dictionary: every canonical key of the output contract next to the Chinese
//! label the official templates print, and the keywords by which a printed (normalised)
//! label is recognised. Keywords are matched against labels after `normalize_label` and
//! `strip_numbering`, so they are written in half-width form without spaces or quotes.

/// Defines an enum whose variants carry a key, a Chinese and an English label and match
/// keywords.
macro_rules! dictionary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($key:literal, $zh:literal, $en:literal, [$($kw:literal),*])),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in the order the template prints them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key written to the CSV files.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The label as the official template prints it.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The label in English, for codebooks and plots.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Keywords, any one of which identifies this key in a normalised label.
            pub fn keywords(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($kw),*]),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

dictionary! {
    /// Applicant columns of table 三, in printed order.
    Applicant {
        NaturalPerson => ("natural_person", "自然人", "Natural persons", ["自然人"]),
        CommercialEnterprise => ("commercial_enterprise", "商业企业", "Commercial enterprises", ["商业企业"]),
        ResearchInstitution => ("research_institution", "科研机构", "Research institutions", ["科研机构"]),
        SocialWelfareOrg => ("social_welfare_org", "社会公益组织", "Social welfare organisations", ["公益组织"]),
        LegalServiceOrg => ("legal_service_org", "法律服务机构", "Legal service organisations", ["法律服务"]),
        OtherOrg => ("other_org", "其他", "Other organisations", ["其他"]),
        Total => ("total", "总计", "Total", ["总计", "合计"]),
    }
}

dictionary! {
    /// Data rows of table 三 (收到和处理政府信息公开申请情况), in printed order.
    /// `Other` is the single （六）其他处理 row of the 2019 template.
    ApplicationRow {
        NewReceived => ("new_received", "一、本年新收政府信息公开申请数量", "1. New applications received this year", ["本年新收", "新收政府信息"]),
        CarriedOver => ("carried_over", "二、上年结转政府信息公开申请数量", "2. Applications carried over from last year", ["上年结转"]),
        Granted => ("granted", "（一）予以公开", "(1) Disclosed", ["予以公开"]),
        PartiallyGranted => ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(2) Partly disclosed", ["部分公开"]),
        DeniedStateSecret => ("denied_state_secret", "（三）不予公开 1.属于国家秘密", "(3) Not disclosed: 1. state secret", ["国家秘密"]),
        DeniedProhibitedByLaw => ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", "(3) Not disclosed: 2. other laws and regulations forbid disclosure", ["禁止公开", "其他法律行政"]),
        DeniedThreeSafeties => ("denied_three_safeties", "3.危及“三安全一稳定”", "(3) Not disclosed: 3. endangers the \"three securities and one stability\"", ["三安全"]),
        DeniedThirdParty => ("denied_third_party", "4.保护第三方合法权益", "(3) Not disclosed: 4. protects a third party's lawful rights", ["第三方"]),
        DeniedInternalAffairs => ("denied_internal_affairs", "5.属于三类内部事务信息", "(3) Not disclosed: 5. internal affairs", ["内部事务"]),
        DeniedProcessInfo => ("denied_process_info", "6.属于四类过程性信息", "(3) Not disclosed: 6. process information", ["过程性信息"]),
        DeniedEnforcementFile => ("denied_enforcement_file", "7.属于行政执法案卷", "(3) Not disclosed: 7. administrative enforcement file", ["执法案卷"]),
        DeniedAdministrativeQuery => ("denied_administrative_query", "8.属于行政查询事项", "(3) Not disclosed: 8. administrative query matter", ["行政查询"]),
        UnavailableNotHeld => ("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "(4) Cannot be provided: 1. not held by this body", ["不掌握"]),
        UnavailableNeedsCreation => ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "(4) Cannot be provided: 2. would have to be newly created", ["另行制作", "没有现成"]),
        UnavailableUnclear => ("unavailable_unclear", "3.补正后申请内容仍不明确", "(4) Cannot be provided: 3. still unclear after correction", ["仍不明确", "补正后申请"]),
        RejectedPetition => ("rejected_petition", "（五）不予处理 1.信访举报投诉类申请", "(5) Not handled: 1. petition, report or complaint", ["信访"]),
        RejectedDuplicate => ("rejected_duplicate", "2.重复申请", "(5) Not handled: 2. repeated application", ["重复申请"]),
        RejectedPublication => ("rejected_publication", "3.要求提供公开出版物", "(5) Not handled: 3. asks for a publication", ["出版物"]),
        RejectedExcessive => ("rejected_excessive", "4.无正当理由大量反复申请", "(5) Not handled: 4. mass repeated applications without good reason", ["大量反复"]),
        RejectedConfirmation => ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", "(5) Not handled: 5. asks to confirm or reissue information already obtained", ["重新出具", "已获取信息"]),
        OtherNoCorrection => ("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "(6) Otherwise handled: 1. applicant did not correct the application in time", ["逾期不补正"]),
        OtherUnpaidFee => ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "(6) Otherwise handled: 2. applicant did not pay the fee in time", ["缴纳费用", "收费通知"]),
        OtherOther => ("other_other", "3.其他", "(6) Otherwise handled: 3. other", []),
        Other => ("other", "（六）其他处理", "(6) Otherwise handled (one row)", ["其他处理"]),
        TotalProcessed => ("total_processed", "（七）总计", "(7) Total processed", ["总计", "合计"]),
        CarriedForward => ("carried_forward", "四、结转下年度继续办理", "4. Carried forward to next year", ["结转下年", "下年度继续办理"]),
    }
}

/// The parent labels （三）…（六） that group result rows; they carry no figures of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowGroup {
    Denied,
    Unavailable,
    Rejected,
    OtherHandling,
}

impl RowGroup {
    pub const ALL: &'static [RowGroup] = &[
        RowGroup::Denied,
        RowGroup::Unavailable,
        RowGroup::Rejected,
        RowGroup::OtherHandling,
    ];

    /// The keyword of the printed parent label (不予公开, 无法提供, 不予处理, 其他处理).
    pub fn keyword(self) -> &'static str {
        self.keywords()[0]
    }

    /// [`RowGroup::keyword`] as the slice the label matchers take.
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            RowGroup::Denied => &["不予公开"],
            RowGroup::Unavailable => &["无法提供"],
            RowGroup::Rejected => &["不予处理"],
            RowGroup::OtherHandling => &["其他处理"],
        }
    }

    pub fn members(self) -> &'static [ApplicationRow] {
        use ApplicationRow::*;
        match self {
            RowGroup::Denied => &[
                DeniedStateSecret,
                DeniedProhibitedByLaw,
                DeniedThreeSafeties,
                DeniedThirdParty,
                DeniedInternalAffairs,
                DeniedProcessInfo,
                DeniedEnforcementFile,
                DeniedAdministrativeQuery,
            ],
            RowGroup::Unavailable => &[
                UnavailableNotHeld,
                UnavailableNeedsCreation,
                UnavailableUnclear,
            ],
            RowGroup::Rejected => &[
                RejectedPetition,
                RejectedDuplicate,
                RejectedPublication,
                RejectedExcessive,
                RejectedConfirmation,
            ],
            RowGroup::OtherHandling => &[OtherNoCorrection, OtherUnpaidFee, OtherOther, Other],
        }
    }
}

impl ApplicationRow {
    /// The result rows whose sum is （七）总计 (relation A3).
    pub fn is_result(self) -> bool {
        use ApplicationRow::*;
        !matches!(
            self,
            NewReceived | CarriedOver | TotalProcessed | CarriedForward
        )
    }

    pub fn group(self) -> Option<RowGroup> {
        RowGroup::ALL
            .iter()
            .copied()
            .find(|g| g.members().contains(&self))
    }
}

dictionary! {
    /// Proceedings of table 四, in printed order.
    Proceeding {
        Review => ("review", "行政复议", "Administrative review", ["行政复议"]),
        LitigationDirect => ("litigation_direct", "行政诉讼 未经复议直接起诉", "Litigation without prior review", ["未经复议"]),
        LitigationAfterReview => ("litigation_after_review", "行政诉讼 复议后起诉", "Litigation after review", ["复议后起诉"]),
    }
}

dictionary! {
    /// Outcome columns within each proceeding of table 四, in printed order.
    Outcome {
        Upheld => ("upheld", "结果维持", "Upheld", ["维持"]),
        Corrected => ("corrected", "结果纠正", "Corrected", ["纠正"]),
        Other => ("other", "其他结果", "Other result", ["其他结果"]),
        Pending => ("pending", "尚未审结", "Pending", ["尚未审结"]),
        Total => ("total", "总计", "Total", ["总计"]),
    }
}

dictionary! {
    /// Sub-tables of table 二, named by the article item they report (第二十条第（N）项).
    ActiveItem {
        Item1 => ("20.1", "第二十条第（一）项", "Art. 20 (1)", ["第二十条第(一)项"]),
        Item5 => ("20.5", "第二十条第（五）项", "Art. 20 (5)", ["第二十条第(五)项"]),
        Item6 => ("20.6", "第二十条第（六）项", "Art. 20 (6)", ["第二十条第(六)项"]),
        Item8 => ("20.8", "第二十条第（八）项", "Art. 20 (8)", ["第二十条第(八)项"]),
        Item9 => ("20.9", "第二十条第（九）项", "Art. 20 (9)", ["第二十条第(九)项"]),
    }
}

dictionary! {
    /// Row categories of table 二. Order matters for matching: the longer label first.
    ActiveCategory {
        Regulations => ("regulations", "规章", "Rules", ["规章"]),
        NormativeDocuments => ("normative_documents", "行政规范性文件", "Normative documents", ["规范性文件"]),
        AdministrativeLicense => ("administrative_license", "行政许可", "Administrative licences", ["行政许可"]),
        OtherExternalServices => ("other_external_services", "其他对外管理服务事项", "Other external administrative services", ["对外管理服务"]),
        AdministrativePenalty => ("administrative_penalty", "行政处罚", "Administrative penalties", ["行政处罚"]),
        AdministrativeCoercion => ("administrative_coercion", "行政强制", "Administrative coercion", ["行政强制"]),
        AdministrativeFees => ("administrative_fees", "行政事业性收费", "Administrative fees", ["事业性收费"]),
        CentralizedProcurement => ("centralized_procurement", "政府集中采购", "Centralised government procurement", ["集中采购"]),
    }
}

dictionary! {
    /// Column metrics of table 二 (2021 template first, then the 2019 template's).
    ActiveMetric {
        Issued => ("issued", "本年制发件数", "Issued this year", ["制发件数"]),
        Repealed => ("repealed", "本年废止件数", "Repealed this year", ["废止件数"]),
        InForce => ("in_force", "现行有效件数", "In force", ["现行有效"]),
        FeeAmount => ("fee_amount", "本年收费金额（单位：万元）", "Fees collected this year", ["收费金额"]),
        NewlyMade => ("newly_made", "本年新制作数量", "Newly made this year", ["新制作"]),
        NewlyPublished => ("newly_published", "本年新公开数量", "Newly published this year", ["新公开"]),
        TotalPublished => ("total_published", "对外公开总数量", "Published in total", ["对外公开总"]),
        PriorYearCount => ("prior_year_count", "上一年项目数量", "Count last year", ["上一年项目"]),
        Change => ("change", "本年增/减", "Change this year", ["增/减", "增减"]),
        ProcurementCount => ("procurement_count", "采购项目数量", "Procurement projects", ["采购项目"]),
        ProcurementAmount => ("procurement_amount", "采购总金额", "Procurement amount", ["采购总金额"]),
        Decisions => ("decisions", "本年处理决定数量", "Decisions this year", ["处理决定"]),
    }
}

impl ActiveMetric {
    /// Whether the metric is money (a unit applies) rather than a count.
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            ActiveMetric::FeeAmount | ActiveMetric::ProcurementAmount
        )
    }

    /// The unit the template implies when neither header nor cell states one.
    pub fn default_unit(self) -> &'static str {
        match self {
            ActiveMetric::FeeAmount => "万元",
            _ => "",
        }
    }
}

/// Finds the first variant of `candidates` one of whose keywords occurs in `label`.
pub(crate) fn find_by_keyword<T: Copy>(
    candidates: &[T],
    keywords: impl Fn(T) -> &'static [&'static str],
    label: &str,
) -> Option<T> {
    candidates
        .iter()
        .copied()
        .find(|&c| keywords(c).iter().any(|kw| holds(label, kw)))
}

/// `label.contains(keyword)` for the short labels of a table: a plain scan of the bytes
/// beats setting up a substring searcher for every keyword of every label. On UTF-8 a
/// byte match is a character match: a keyword's lead byte never equals a continuation.
fn holds(label: &str, keyword: &str) -> bool {
    let (label, keyword) = (label.as_bytes(), keyword.as_bytes());
    let Some((&first, rest)) = keyword.split_first() else {
        return true;
    };
    label.len() >= keyword.len()
        && (0..=label.len() - keyword.len())
            .any(|i| label[i] == first && label[i + 1..i + keyword.len()] == *rest)
}

/// The variant one of whose keywords of three characters or more occurs in `label` with
/// exactly one character misread (OCR reads 理 as 埋, 复 as 夏), and the keyword; `None`
/// where no variant's does, or more than one's.
pub fn find_misread<T: Copy + PartialEq>(
    candidates: impl IntoIterator<Item = T>,
    keywords: impl Fn(T) -> &'static [&'static str],
    label: &str,
) -> Option<(T, &'static str)> {
    let chars: Vec<char> = label.chars().collect();
    let mut found: Option<(T, &'static str)> = None;
    for candidate in candidates {
        for keyword in keywords(candidate) {
            if one_misread(&chars, keyword) {
                match found {
                    Some((other, _)) if other != candidate => return None,
                    _ => found = Some((candidate, keyword)),
                }
            }
        }
    }
    found
}

/// Whether `keyword` (three characters or more) occurs in `chars` with exactly one
/// character different.
fn one_misread(chars: &[char], keyword: &str) -> bool {
    let kw: Vec<char> = keyword.chars().collect();
    kw.len() >= 3
        && kw.len() <= chars.len()
        && chars
            .windows(kw.len())
            .any(|w| w.iter().zip(&kw).filter(|(a, b)| a != b).count() == 1)
}

macro_rules! matcher {
    ($name:ident) => {
        impl $name {
            /// Recognises a normalised printed label by its keywords.
            pub fn match_label(label: &str) -> Option<$name> {
                find_by_keyword(Self::ALL, Self::keywords, label)
            }

            /// [`Self::match_label`], or failing that the variant whose keyword the label
            /// prints with one character misread, and that keyword.
            pub fn match_label_or_misread(label: &str) -> Option<($name, Option<&'static str>)> {
                Self::match_label(label).map(|v| (v, None)).or_else(|| {
                    find_misread(Self::ALL.iter().copied(), Self::keywords, label)
                        .map(|(v, k)| (v, Some(k)))
                })
            }
        }
    };
}
matcher!(Applicant);
matcher!(Proceeding);
matcher!(Outcome);
matcher!(ActiveItem);
matcher!(ActiveCategory);
matcher!(ActiveMetric);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_labelled() {
        let keys: Vec<&str> = ApplicationRow::ALL.iter().map(|r| r.key()).collect();
        let mut dedup = keys.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(keys.len(), dedup.len());
        assert_eq!(keys.len(), 26);
        assert!(ApplicationRow::ALL.iter().all(|r| !r.zh().is_empty()));
    }

    #[test]
    fn groups_cover_the_result_rows() {
        let grouped: usize = RowGroup::ALL.iter().map(|g| g.members().len()).sum();
        assert_eq!(grouped, 8 + 3 + 5 + 4);
        assert_eq!(
            ApplicationRow::OtherOther.group(),
            Some(RowGroup::OtherHandling)
        );
        assert!(!ApplicationRow::TotalProcessed.is_result());
    }

    #[test]
    fn keywords_are_found_as_contains_finds_them() {
        let labels = [
            "本年收费金额(单位:万元)",
            "收费",
            "",
            "金额收费金额",
            "a收费金额",
        ];
        for label in labels {
            for keyword in ["收费金额", "金额", "", "收", "a", "额(单"] {
                assert_eq!(
                    holds(label, keyword),
                    label.contains(keyword),
                    "{label} {keyword}"
                );
            }
        }
    }

    #[test]
    fn metric_labels_match() {
        assert_eq!(
            ActiveMetric::match_label("本年收费金额(单位:万元)"),
            Some(ActiveMetric::FeeAmount)
        );
        assert_eq!(
            ActiveMetric::match_label("本年处理决定数量"),
            Some(ActiveMetric::Decisions)
        );
        assert_eq!(
            ActiveMetric::match_label("处理决定数量"),
            Some(ActiveMetric::Decisions)
        );
        assert_eq!(
            ActiveCategory::match_label("规范性文件"),
            Some(ActiveCategory::NormativeDocuments)
        );
    }
}
