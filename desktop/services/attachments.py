"""Attachments (photos, letters, scans) copied into the application's store: the database, so every PC of
the branch can open them. Size-limited, checksummed, stored once per content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db.uow import Actor
from desktop.domain.errors import NotFound, ValidationError
from desktop.domain.records import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, Attachment, AttachmentBlob
from desktop.i18n import translate


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime


def check_file(path: Path) -> None:
    """Refuse a file before anything is saved: missing, of a type we don't keep, or too large."""
    if not path.is_file():
        raise ValidationError(translate("Errors", "File {path} does not exist.").format(path=path), field="attachments")
    if path.suffix.lower() not in ATTACHMENT_TYPES:
        raise ValidationError(
            translate("Errors", "{name}: only photos, scans, PDF and documents can be attached ({types}).").format(
                name=path.name, types=" ".join(sorted(ATTACHMENT_TYPES))
            ),
            field="attachments",
        )
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            translate("Errors", "{name} is {size} MB; attachments may be at most {limit} MB.").format(
                name=path.name, size=round(size / 1048576, 1), limit=MAX_ATTACHMENT_BYTES // 1048576
            ),
            field="attachments",
        )


def attach(session: Session, actor: Actor, *, owner_type: str, owner_id: int, path: Path) -> Attachment:
    """Store the file within the caller's unit of work (so it commits or rolls back with the record)."""
    check_file(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if session.get(AttachmentBlob, digest) is None:
        session.add(AttachmentBlob(sha256=digest, data=data))
        session.flush()  # the blob row first: no ORM relationship tells the flush about the foreign key
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        filename=path.name[:200],
        content_type=ATTACHMENT_TYPES[path.suffix.lower()],
        size=len(data),
        sha256=digest,
        added_by=actor.username,
    )
    session.add(attachment)
    return attachment


def attachments_of(session: Session, owner_type: str, owner_id: int) -> list[AttachmentInfo]:
    rows = session.scalars(
        select(Attachment).where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id).order_by(Attachment.id)
    )
    return [AttachmentInfo(a.id, a.filename, a.content_type, a.size, a.sha256, a.added_by, a.added_at) for a in rows]


def attachment_content(session: Session, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(translate("Errors", "No attachment with id {id}.").format(id=attachment_id))
    data = session.get(AttachmentBlob, attachment.sha256).data
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValidationError(translate("Errors", "Attachment {name} is damaged (checksum differs).").format(
            name=attachment.filename))
    info = AttachmentInfo(attachment.id, attachment.filename, attachment.content_type, attachment.size,
                          attachment.sha256, attachment.added_by, attachment.added_at)
    return info, data
