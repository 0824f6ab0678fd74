"""Alerts for new open screening hits: a webhook (HTTP POST of JSON) and/or e-mail (SMTP).

Sent after a list refresh has been stored (``services.screening.refresh``), outside its
transaction: a webhook that is down or a refused e-mail never undoes the refresh; each
delivery reports whether it went out and, if not, why.

Configured through the one settings object (``screening_alert_webhook``,
``screening_alert_email_to``, ``smtp_*``; see ``docs/settings.md``); the workspace passes
an ``AlertConfig`` here, so this module never reads settings itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from raretrace.domain.screening import Hit
from raretrace.screening.explain import summary


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """Where alerts go. Nothing is sent when neither a webhook nor a recipient is set."""

    webhook_url: str | None = None
    email_to: tuple[str, ...] = ()
    email_from: str = "raretrace@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    timeout_s: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.webhook_url or self.email_to)


@dataclass(frozen=True, slots=True)
class AlertDelivery:
    """One alert sent (``ok``) or not, and why."""

    channel: str  #: "webhook" or "email"
    target: str  #: the URL, or the recipients
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """What an alert says: the list refreshed, its version, the run, the new open hits."""

    list_name: str
    version_id: int | None
    version_date: str
    run_id: int | None
    added: int
    changed: int
    removed: int
    hits: tuple[Hit, ...]


def payload(event: AlertEvent) -> dict[str, Any]:
    """The webhook's JSON body (the e-mail says the same in words)."""
    return {
        "event": "screening.new_open_hits",
        "list": event.list_name,
        "list_version_id": event.version_id,
        "list_version_date": event.version_date,
        "run_id": event.run_id,
        "changes": {"added": event.added, "changed": event.changed, "removed": event.removed},
        "hits": [
            {
                "hit_id": h.hit_id,
                "kind": h.kind.value,
                "party_id": h.subject.party_id,
                "subject": h.subject.name,
                "entry_key": h.entry.entry_key,
                "entry": h.entry.name,
                "matched_name": h.matched_name,
                "score": h.score,
                "threshold": h.threshold,
                "list_kind": h.entry.list_kind,
                "entry_dates_of_birth": list(h.entry.dates_of_birth),
                "explanation": summary(h.features),
            }
            for h in event.hits
        ],
    }


def _subject_line(event: AlertEvent) -> str:
    n = len(event.hits)
    return f"raretrace: {n} new open screening hit{'s' if n != 1 else ''} ({event.list_name})"


def email_text(event: AlertEvent) -> str:
    lines = [
        f"The list {event.list_name} was refreshed (version {event.version_date}: "
        f"{event.added} added, {event.changed} changed, {event.removed} removed entries).",
        f"Screening run {event.run_id} found {len(event.hits)} new open hit(s):",
        "",
    ]
    for h in event.hits:
        who = f"{h.subject.party_id} {h.subject.name}" if h.subject.party_id else h.subject.name
        lines.append(
            f"- hit {h.hit_id}: {who} ~ {h.entry.name} ({h.kind.value}, score {h.score:.2f}; "
            f"{summary(h.features)})"
        )
    lines += ["", "Decide them with `raretrace screen decide HIT... --match/--no-match`."]
    return "\n".join(lines) + "\n"


def _post(url: str, body: bytes, timeout: float) -> AlertDelivery:
    import urllib.error  # here, not at import: most commands never send an alert
    import urllib.request

    if not url.lower().startswith(("http://", "https://")):
        return AlertDelivery("webhook", url, False, "not an http(s) URL")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "raretrace"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return AlertDelivery("webhook", url, False, f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return AlertDelivery("webhook", url, False, f"not delivered: {reason}")
    return AlertDelivery("webhook", url, True, f"HTTP {status}")


def _mail(config: AlertConfig, event: AlertEvent) -> AlertDelivery:
    import smtplib  # here, not at import: most commands never send an alert
    from email.message import EmailMessage

    target = ", ".join(config.email_to)
    message = EmailMessage()
    message["From"] = config.email_from
    message["To"] = target
    message["Subject"] = _subject_line(event)
    message.set_content(email_text(event))
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout_s) as smtp:
            if config.smtp_starttls:
                smtp.starttls()
            if config.smtp_username:
                smtp.login(config.smtp_username, config.smtp_password or "")
            refused = smtp.send_message(message)
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        where = f"{config.smtp_host}:{config.smtp_port}"
        return AlertDelivery("email", target, False, f"not sent through {where}: {exc}")
    if refused:
        return AlertDelivery("email", target, False, f"refused recipients: {sorted(refused)}")
    return AlertDelivery("email", target, True, f"sent through {config.smtp_host}")


def send_alerts(config: AlertConfig, event: AlertEvent) -> tuple[AlertDelivery, ...]:
    """Send ``event`` through every configured channel; never raises for a delivery
    that fails (the failure is in the result)."""
    out: list[AlertDelivery] = []
    if not event.hits:
        return ()
    if config.webhook_url:
        body = json.dumps(payload(event), ensure_ascii=False).encode("utf-8")
        out.append(_post(config.webhook_url, body, config.timeout_s))
    if config.email_to:
        out.append(_mail(config, event))
    return tuple(out)


def failed(deliveries: Sequence[AlertDelivery]) -> list[AlertDelivery]:
    return [d for d in deliveries if not d.ok]


__all__ = [
    "AlertConfig",
    "AlertDelivery",
    "AlertEvent",
    "email_text",
    "failed",
    "payload",
    "send_alerts",
]
