use arte_core::prelude::*;
use arte_core::table;

#[table(name = "memberships")]
pub struct Membership {
    #[column(primary_key)]
    pub team_id: i64,
    #[column(primary_key)]
    pub user_id: i64,
    pub role: String,
}

fn promote(conn: &mut AnyConnection) -> Result<Option<Membership>> {
    let created = Membership::create(
        conn,
        &NewMembership {
            team_id: 1,
            user_id: 2,
            role: "member".to_owned(),
        },
    )?;
    let changes = MembershipChanges {
        role: Some("owner".to_owned()),
    };
    Membership::update(conn, (created.team_id, created.user_id), &changes)?;
    Membership::find(conn, (1, 2))
}

fn main() {
    let _ = promote;
}
