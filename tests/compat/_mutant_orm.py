"""A deliberately wrong "ORM" for the harness self-test: sqlalchemy.orm whose Session defaults
to expire_on_commit=False.  Scripts run on it must be reported as differing from the oracle."""

from sqlalchemy import inspect  # noqa: F401 - the harness inspects objects through the flavour
from sqlalchemy.orm import *  # noqa: F403
from sqlalchemy.orm import Session as _Session


class Session(_Session):
    def __init__(self, *args, expire_on_commit=False, **kw):
        super().__init__(*args, expire_on_commit=expire_on_commit, **kw)
