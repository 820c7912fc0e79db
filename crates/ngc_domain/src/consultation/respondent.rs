//! What a resident may tell about themselves, both optional: the district of their postcode
//! and an age band. Nothing more is asked or kept.

crate::text_enum! {
    /// An age band.
    pub enum AgeBand as "age band" {
        /// Under 18.
        Under18 = "under_18", "Under 18";
        /// 18 to 24.
        From18To24 = "18_24", "18 to 24";
        /// 25 to 34.
        From25To34 = "25_34", "25 to 34";
        /// 35 to 44.
        From35To44 = "35_44", "35 to 44";
        /// 45 to 54.
        From45To54 = "45_54", "45 to 54";
        /// 55 to 64.
        From55To64 = "55_64", "55 to 64";
        /// 65 to 74.
        From65To74 = "65_74", "65 to 74";
        /// 75 or over.
        From75 = "75_plus", "75 or over";
    }
}

/// The postcode district (the first half of a postcode, `NN14`), upper-cased, from what a
/// resident typed; a whole postcode is refused, so no more than the district is ever kept.
///
/// # Errors
/// A message for the resident when it is not a postcode district.
pub fn postcode_district(typed: &str) -> Result<String, String> {
    let s = typed.trim().to_ascii_uppercase();
    if s.contains(' ') || s.len() > 4 {
        return Err("Give only the first part of your postcode, such as NN14.".into());
    }
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let rest = &b[letters..];
    let ok = (1..=2).contains(&letters)
        && rest.first().is_some_and(u8::is_ascii_digit)
        && rest.len() <= 2
        && rest[1..].iter().all(u8::is_ascii_alphanumeric);
    if ok {
        Ok(s)
    } else {
        Err(format!(
            "`{}` is not a postcode district such as NN14.",
            typed.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_is_kept_and_a_whole_postcode_is_refused() {
        assert_eq!(postcode_district(" nn14 ").unwrap(), "NN14");
        assert_eq!(postcode_district("MK46").unwrap(), "MK46");
        assert_eq!(postcode_district("E1W").unwrap(), "E1W");
        assert_eq!(postcode_district("N1").unwrap(), "N1");
        assert!(
            postcode_district("NN14 6AB")
                .unwrap_err()
                .contains("only the first part")
        );
        assert!(postcode_district("NN146AB").is_err());
        assert!(postcode_district("1NN").is_err());
        assert!(postcode_district("").is_err());
    }
}
