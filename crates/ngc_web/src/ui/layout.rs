//! What every page shows around its content: the areas and the user. It reads nothing from
//! the database: everything it shows comes with the request's user.

use crate::auth::CurrentUser;
use ngc_domain::access::{Action, Area};

/// An entry of the main menu.
#[derive(Debug, Clone)]
pub struct NavArea {
    pub label: &'static str,
    pub path: &'static str,
    pub active: bool,
}

/// The signed-in user, as the header shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub email: String,
    pub role: &'static str,
    pub organisation_name: String,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub areas: Vec<NavArea>,
    /// The partnership the session acts for: (slug, name).
    pub acting: Option<(String, String)>,
}

impl Layout {
    /// A frame with no user (sign-in and error pages).
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            user: None,
            csrf: String::new(),
            areas: Vec::new(),
            acting: None,
        }
    }

    /// The frame for a signed-in user, with the areas their role opens.
    pub fn for_user(user: &CurrentUser, title: &str, active: Option<Area>) -> Self {
        let areas = Area::ALL
            .into_iter()
            .filter(|a| user.can(Action::ViewArea(*a)))
            .map(|a| NavArea {
                label: a.label(),
                path: a.path(),
                active: Some(a) == active,
            })
            .collect();
        Self {
            title: title.to_owned(),
            user: Some(NavUser {
                email: user.user.email.clone(),
                role: user.user.role.label(),
                organisation_name: user.user.organisation_name.clone(),
            }),
            csrf: user
                .session
                .as_ref()
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
            areas,
            acting: user
                .session
                .as_ref()
                .and_then(|s| s.acting.as_ref())
                .map(|a| (a.slug.clone(), a.name.clone())),
        }
    }
}
