//! Procurement notices as OCDS 1.1 releases: the instance's ocid prefix and the ocid of each
//! procurement ([`prefix`]), the notice each step publishes under each regime ([`notice`]),
//! the release built for a step from the stored tender and the step's facts ([`release`],
//! [`parties`]), and the use cases that store a step's release and record its notice's
//! publication ([`notices`]), the releases of a contract's changes and termination
//! ([`contract_change`]), and the public packages of published notices ([`packages`]).

pub mod contract_change;
pub mod notice;
pub mod notices;
pub mod packages;
pub mod parties;
pub mod performance;
pub mod prefix;
pub mod release;

pub use contract_change::{ContractChangeFacts, ContractTerminationFacts};
pub use notice::{PlanningNotice, StepKind};
pub use notices::{
    PrepareInput, PublicationInput, as_published, award_notice_published_on, list_notices,
    prepare_notice, record_publication, store_release, store_release_as,
};
pub use packages::{FeedQuery, PAGE_SIZE, Publisher, export, record_package, release_package};
pub use performance::{MetricFacts, Observation, PerformanceFacts};
pub use prefix::{PrefixStatus, check_prefix, ocid};
pub use release::{
    AwardFacts, AwardStatus, ContractFacts, ContractStatus, ReleaseDraft, StandstillDays, Step,
};

/// The OCDS extensions ngc's releases and packages use, declared in every package (their
/// `extension.json` URLs; nothing is downloaded): the UK extension (`noticeType`,
/// `aboveThreshold`, `standstillPeriod`, `assessmentSummariesDateSent`, `amountGross`, the
/// `vcse` and `publicServiceMissionOrganization` party details), lots, party scale (SME),
/// other requirements (reserved participation), pagination (`links` of a package), and the
/// metrics and performance failures extensions of the contract performance release (UK9:
/// `agreedMetrics`, `implementation.metrics`, `implementation.performanceFailures`).
pub const EXTENSIONS: [&str; 7] = [
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_performance_failures_extension/master/extension.json",
];
