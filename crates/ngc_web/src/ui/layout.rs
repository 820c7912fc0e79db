//! What every page shows around its content: the areas, the user, the organisation switcher.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
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

/// A partnership the user may act for.
#[derive(Debug, Clone)]
pub struct SwitchOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub areas: Vec<NavArea>,
    pub switch_options: Vec<SwitchOption>,
    pub acting_for: Option<String>,
}

impl Layout {
    /// A frame with no user (sign-in and error pages).
    pub fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            user: None,
            csrf: String::new(),
            areas: Vec::new(),
            switch_options: Vec::new(),
            acting_for: None,
        }
    }

    /// The frame for a signed-in user, with the areas their role opens.
    pub async fn for_user(
        app: &AppState,
        user: &CurrentUser,
        title: &str,
        active: Option<Area>,
    ) -> AppResult<Self> {
        let areas = Area::ALL
            .into_iter()
            .filter(|a| user.can(Action::ViewArea(*a)))
            .map(|a| NavArea {
                label: a.label(),
                path: a.path(),
                active: Some(a) == active,
            })
            .collect();
        let acting = user.session.as_ref().and_then(|s| s.acting_partnership_id);
        let switch_options: Vec<SwitchOption> = if user.principal.partnership_ids.is_empty() {
            Vec::new()
        } else {
            app.store
                .list_partnerships()
                .await?
                .into_iter()
                .filter(|p| user.principal.partnership_ids.contains(&p.id))
                .map(|p| SwitchOption {
                    id: p.id,
                    selected: Some(p.id) == acting,
                    name: p.name,
                })
                .collect()
        };
        let acting_for = switch_options
            .iter()
            .find(|o| o.selected)
            .map(|o| o.name.clone());
        Ok(Self {
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
            switch_options,
            acting_for,
        })
    }
}
