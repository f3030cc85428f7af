# trace/narrate.py
"""Session events as short sentences for a newcomer ("User 'ann' moves from pending to ...")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MOVES = {
    "pending_to_persistent": ("pending", "persistent", "its INSERT ran and it got an identity"),
    "persistent_to_deleted": ("persistent", "deleted", "its DELETE ran"),
    "deleted_to_detached": ("deleted", "detached", "the transaction committed"),
    "persistent_to_detached": ("persistent", "detached", "it left the session"),
    "pending_to_transient": ("pending", "transient", "it left the session before a flush"),
    "deleted_to_persistent": ("deleted", "persistent", "the deletion was rolled back"),
    "persistent_to_transient": ("persistent", "transient", "its INSERT was rolled back"),
    "detached_to_persistent": ("detached", "persistent", "it was added back"),
}


def sentence(name: str, args: tuple, describe: Callable[[Any], str]) -> str:
    """One line of narration for a recorded event."""
    if name in _MOVES:
        before, after, why = _MOVES[name]
        return "%s moves from %s to %s: %s." % (describe(args[0]), before, after, why)
    if name == "synced":
        dest, key, value, source = args
        if source is None:
            return "%s.%s is cleared to %s: it no longer refers to a parent row." % (
                describe(dest), key, value)
        return "%s.%s is set to %s from %s." % (describe(dest), key, value, describe(source))
    if name == "synced_more":
        return "… and %d more key%s copied the same way." % (args[0], "" if args[0] == 1
                                                               else "s")
    if name == "expired_load":
        obj, keys, reading, cause = args
        what = (".%s" % reading) if reading else ", ".join("." + k for k in keys)
        verb = "reading %s loads it again" % what if reading else "%s %s loaded again" % (
            what, "is" if len(keys) == 1 else "are")
        if cause:
            return "%s was expired by %s; %s." % (describe(obj), cause, verb)
        return "%s had expired attributes; %s." % (describe(obj), verb)
    if name == "detached_access":
        obj, attr, left, cause = args
        how = {"persistent_to_detached": "it left the session: closed or expunged",
               "deleted_to_detached": "it was deleted and the transaction committed"}.get(
                   left, "it is not in any session")
        if cause:
            return ("DetachedInstanceError: %s was expired by %s and then detached (%s), so "
                    "reading %s cannot load it again. Read it before the session closes, or "
                    "use expire_on_commit=False." % (
                        describe(obj), cause, how, "." + attr if attr else "its attributes"))
        return ("DetachedInstanceError: %s is detached (%s), so reading %s cannot load it "
                "from the database. Load it while the object is in a session (e.g. with "
                "selectinload()), or session.add() it back first." % (
                    describe(obj), how, "." + attr if attr else "its expired attributes"))
    if name == "after_attach":
        return "%s joins the session." % describe(args[0])
    if name == "flush_planned":
        return "Flush planned: %d step%s, nothing executed yet." % (
            args[0], "" if args[0] == 1 else "s")
    if name == "flush_step":
        return "Step ran: %s (%d SQL statement%s)." % (args[0], args[1], "" if args[1] == 1
                                                        else "s")
    if name == "flush_finished":
        return {"complete": "Flush complete.",
                "aborted": "Flush aborted: database and objects put back as before.",
                "failed": "Flush failed and was rolled back."}.get(args[0], "Flush ended.")
    if name == "after_transaction_create":
        t = args[0]
        return "Transaction %d begins (%s)." % (t.id, t.kind)
    if name == "after_transaction_end":
        t = args[0]
        return "Transaction %d ends (%s)." % (t.id, t.kind)
    if name in ("after_bulk_update", "after_bulk_delete"):
        return "Query.%s() ran: %d row%s matched." % (
            name[len("after_bulk_"):], args[0], "" if args[0] == 1 else "s")
    if name == "after_begin":
        return "A database connection and transaction are opened."
    if name == "after_commit":
        if args and args[0]:  # a nested transaction: its SAVEPOINT was released
            return ("RELEASE SAVEPOINT: the nested transaction's changes join the enclosing"
                    " transaction (not permanent until it commits).")
        return "COMMIT: the changes are now permanent."
    if name == "after_rollback":
        if args and args[0]:
            return "ROLLBACK TO SAVEPOINT: the nested transaction's changes are undone."
        return "ROLLBACK: the database transaction is undone."
    return name.replace("_", " ") + "."
