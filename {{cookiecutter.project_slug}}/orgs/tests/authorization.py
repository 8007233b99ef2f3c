"""Who may do what in an organization: the one table the pages' and the API's tests read.

For each action, the roles allowed to do it to someone else (a member may
remove themselves, which is leaving). Whoever is not a member gets 404
whatever the action; anonymous people are sent to log in (pages) or get 401
(API). Listing one's organizations, creating one and accepting an invitation
need only an account.
"""

ALLOWED_ROLES: dict[str, frozenset[str]] = {
    "detail": frozenset({"admin", "member"}),
    "list_members": frozenset({"admin", "member"}),
    "change_role": frozenset({"admin"}),
    "remove_member": frozenset({"admin"}),
    "invite": frozenset({"admin"}),
    "list_invites": frozenset({"admin"}),
    "revoke_invite": frozenset({"admin"}),
    "resend_invite": frozenset({"admin"}),
}
