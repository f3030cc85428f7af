# orm/sync.py
"""After an INSERT: copy Python-side defaults Core computed into the objects; expire server ones."""

from __future__ import annotations

from typing import Any


def postfetch_defaults(mapper: Any, states: list, multiparams: list[dict], result: Any) -> None:
    """Fill attributes whose value came from a column default during the INSERT."""
    defaulted = mapper.__dict__.get("_defaulted_cols")
    if defaulted is None:
        defaulted = mapper._defaulted_cols = [
            (key, col) for key, col in mapper.columns.items()
            if not col.primary_key and (col.default is not None or col.server_default is not None)
        ]
    if not defaulted:
        return
    try:
        compiled = result.context.compiled_parameters
    except Exception:
        compiled = [{}] * len(states)
    for state, params, cparams in zip(states, multiparams, compiled):
        d = state.dict
        for key, col in defaulted:
            if col.key in params:
                continue
            if col.default is not None and col.key in cparams:
                d[key] = cparams[col.key]
            else:
                state.expired_attributes.add(key)
                d.pop(key, None)
