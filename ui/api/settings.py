"""Settings of the HTTP API (`fonte serve`), read from `FONTE_*` variables like fonte.Settings."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Limits and admin access of the API. Safe defaults: no admin endpoints, small limits."""

    model_config = SettingsConfigDict(env_prefix="FONTE_", extra="ignore")

    admin_token: SecretStr | None = None
    """Enables /api/admin/* (otherwise 404); clients send `Authorization: Bearer <token>`."""
    rate_per_key_per_minute: int = Field(default=60, ge=1)
    """Questions per API key in any 60-second window (one a second on average: a busy page)."""
    rate_per_ip_per_minute: int = Field(default=30, ge=1)
    """Questions per client IP address (the TCP peer; proxies are not trusted) in any 60 s."""
    rate_limit_local: bool = False
    """Whether keyless loopback requests (CLI/curl on this machine) are rate limited too."""
    max_concurrency: int = Field(default=2, ge=1)
    """Answers generated at the same time (one per CPU core of a small server); more wait."""
    queue_size: int = Field(default=8, ge=0)
    """Requests that may wait for a generation slot; beyond that, 503 with Retry-After."""
    queue_timeout_s: float = Field(default=30.0, gt=0)
    """How long a queued request waits for a slot before 503."""
    busy_retry_after_s: int = Field(default=5, ge=1)
    """Retry-After of a 503: about one extractive answer's time on two cores."""
    send_timeout_s: float = Field(default=30.0, gt=0)
    """Longest wait for a client to accept one piece of a stream before the answer is stopped
    (a reader that stalls must not hold a generation slot)."""
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_history_messages: int = Field(default=20, ge=0)
    max_history_chars: int = Field(default=4000, ge=1)
    """Longest single history message."""
