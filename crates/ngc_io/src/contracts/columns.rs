//! ngc's own columns for a contracts register, from the fields the Transparency Code asks
//! councils to publish for contracts over £5,000.

/// A column of ngc's contracts layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// The council's reference for the contract; unique within the file.
    Reference,
    /// The title of the agreement.
    Title,
    /// What the goods, services or works are.
    Description,
    /// The council department responsible.
    Department,
    /// The supplier's name.
    SupplierName,
    /// The supplier's registration number (org-id, or a bare company or charity number).
    SupplierId,
    /// Whether the supplier is a small or medium-sized enterprise.
    Sme,
    /// Whether the supplier is a voluntary, community or social enterprise.
    Vcse,
    /// The first day of the contract.
    StartDate,
    /// The last day of the contract.
    EndDate,
    /// The day the contract is to be reviewed.
    ReviewDate,
    /// The sum to be paid over the contract, in pounds.
    Value,
    /// The VAT the council cannot recover, in pounds.
    IrrecoverableVat,
    /// Whether `value` includes VAT.
    VatTreatment,
    /// A CPV code or a category in words.
    Category,
    /// How the contract was let.
    Route,
    /// The ground for a direct award or an exempt arrangement.
    RouteGround,
}

/// The number of columns.
pub(super) const COUNT: usize = Column::ALL.len();

impl Column {
    /// Every column, in the order the documentation lists them.
    pub const ALL: [Column; 17] = [
        Column::Reference,
        Column::Title,
        Column::Description,
        Column::Department,
        Column::SupplierName,
        Column::SupplierId,
        Column::Sme,
        Column::Vcse,
        Column::StartDate,
        Column::EndDate,
        Column::ReviewDate,
        Column::Value,
        Column::IrrecoverableVat,
        Column::VatTreatment,
        Column::Category,
        Column::Route,
        Column::RouteGround,
    ];

    /// The column's name in a file's header.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Reference => "reference",
            Column::Title => "title",
            Column::Description => "description",
            Column::Department => "department",
            Column::SupplierName => "supplier_name",
            Column::SupplierId => "supplier_id",
            Column::Sme => "sme",
            Column::Vcse => "vcse",
            Column::StartDate => "start_date",
            Column::EndDate => "end_date",
            Column::ReviewDate => "review_date",
            Column::Value => "value",
            Column::IrrecoverableVat => "irrecoverable_vat",
            Column::VatTreatment => "vat_treatment",
            Column::Category => "category",
            Column::Route => "route",
            Column::RouteGround => "route_ground",
        }
    }

    /// Whether every row must give a value (and so the file must have the column).
    pub const fn required(self) -> bool {
        matches!(
            self,
            Column::Reference
                | Column::Title
                | Column::SupplierName
                | Column::StartDate
                | Column::Value
        )
    }

    /// Whether a mapping file may translate this column's words (`[values.sme]`): the
    /// yes/no flags and the closed sets of words.
    pub const fn has_words(self) -> bool {
        matches!(
            self,
            Column::Sme | Column::Vcse | Column::Route | Column::VatTreatment
        )
    }

    /// The column named `name` exactly.
    pub fn named(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The column's position in [`Column::ALL`].
    pub(super) const fn index(self) -> usize {
        self as usize
    }
}

/// The names of every column, comma separated, for messages.
pub(super) fn all_names() -> String {
    Column::ALL.map(Column::name).join(", ")
}

/// The names of every column of a contracts file, in the order the documentation lists them.
pub const CONTRACT_COLUMNS: [&str; 17] = {
    let mut names = [""; 17];
    let mut i = 0;
    while i < 17 {
        names[i] = Column::ALL[i].name();
        i += 1;
    }
    names
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_sits_at_its_index_and_is_found_by_its_name() {
        for (i, column) in Column::ALL.into_iter().enumerate() {
            assert_eq!(column.index(), i);
            assert_eq!(Column::named(column.name()), Some(column));
            assert_eq!(CONTRACT_COLUMNS[i], column.name());
        }
        assert_eq!(Column::named("Reference"), None);
    }
}
