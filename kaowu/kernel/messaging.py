"""Messages to a person's phone or mailbox (verification codes), behind one small interface.

No SMS gateway or mail relay can be reached here, so production plugs its adapter in by setting
KAOWU_MESSAGE_BACKEND to a class with `send(to=..., text=...)`. The demo writes each message to a file
(var/messages.log) a person can read; the tests use the in-memory recorder and read what was sent.
"""

from __future__ import annotations

import json
import logging
import pathlib
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("kaowu.messages")


class MessageBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class FileBackend:
    """Appends one JSON line per message to settings.KAOWU_MESSAGE_FILE (the demo's 「短信」)."""

    def send(self, *, to: str, text: str) -> None:
        path = pathlib.Path(settings.KAOWU_MESSAGE_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False) + "\n")


class MemoryBackend:
    """The recorded test double: every message sent, in order."""

    outbox: list[dict] = []

    def send(self, *, to: str, text: str) -> None:
        MemoryBackend.outbox.append({"to": to, "text": text})


def send(*, to: str, text: str) -> None:
    backend: MessageBackend = import_string(settings.KAOWU_MESSAGE_BACKEND)()
    backend.send(to=to, text=text)
    logger.info("message sent to %s", to[:3] + "****" + to[-2:] if len(to) > 5 else "***")
