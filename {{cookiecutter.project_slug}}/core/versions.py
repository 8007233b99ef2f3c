"""Edit versions: how a save notices that the form was made from another state.

An edit form carries the version of the object it showed: one short digest per
edited field (``title:1a2b3c4d,body:...``). Under the row lock, the service
compares it with the stored object's version; the fields whose digests differ
are the ones someone else changed meanwhile, which the refusal can name.
"""

import hashlib
import json
from collections.abc import Mapping


def edit_version(values: Mapping[str, object]) -> str:
    """The version of these field values, in their order."""
    return ",".join(f"{name}:{_digest(value)}" for name, value in values.items())


def changed_fields(*, version: str, current: str) -> list[str]:
    """The fields whose digest in ``current`` differs from the one in ``version``."""
    then = _parse(version)
    return [
        name for name, digest in _parse(current).items() if then.get(name) != digest
    ]


def _parse(version: str) -> dict[str, str]:
    return dict(part.partition(":")[::2] for part in version.split(","))


def _digest(value: object) -> str:
    """Eight hex digits of the value as JSON: a choice as its value, a date as text."""
    text = json.dumps(value, default=str)
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()
